/**
 * Warehouse names never become paths: a warehouse named "../../escaped" (or "..", or with a
 * slash) gets its disk cache in $FIRN_HOME/cache/warehouse-<id>, and the real server creates
 * nothing outside FIRN_HOME. Control characters in identifiers are refused (000904).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { HOME_LOCK_FILE_NAME } from '../../services/session/home-lock.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

/** Every path under `root`, relative, sorted; `skip` (a direct child) is listed but not entered. */
function tree(root: string, skip: string | null = null): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      out.push(child);
      if (e.isDirectory() && child !== skip) walk(child);
    }
  };
  walk('');
  return out.sort();
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

describe('warehouse names and paths', () => {
  let dir: string;
  let home: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-paths-'));
    home = path.join(dir, 'a', 'b', 'home');
    mkdirSync(home, { recursive: true });
    server = await startFirnProcess({ home });
    await postStatement(server.url, 'CREATE TABLE t (x INT); INSERT INTO t VALUES (1), (2), (3)');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('caches a warehouse named "../../escaped" under FIRN_HOME/cache/warehouse-<id> and creates nothing outside FIRN_HOME', async () => {
    const before = tree(dir, 'a/b/home');
    for (const name of ['../../escaped', '..', 'x/../../../y', '/tmp/abs']) {
      const quoted = `"${name}"`;
      await postStatement(server.url, `CREATE WAREHOUSE ${quoted}`);
      const r = await postStatement(server.url, 'SELECT SUM(x) AS s FROM t', { warehouse: name });
      expect(r.data).toEqual([['6']]);
      expect(r.stats.warehouse).toBe(name);
    }
    const shown = await postStatement(server.url, "SHOW WAREHOUSES LIKE '%'");
    expect(shown.data.map((row) => row[0]).sort()).toEqual(['..', '../../escaped', '/tmp/abs', 'COMPUTE_WH', 'x/../../../y']);
    // COMPUTE_WH is warehouse 1; the four created here are 2..5, each with its worker's cache directory.
    for (const id of [2, 3, 4, 5]) await until(() => existsSync(path.join(home, 'cache', `warehouse-${id}`, 'w0')));
    expect(readdirSync(path.join(home, 'cache')).filter((n) => !/^warehouse-\d+$/.test(n))).toEqual([]);
    expect(readdirSync(home).sort()).toEqual(expect.arrayContaining(['cache', 'catalog.sqlite', 'data']));
    expect(readdirSync(home).filter((n) => !['cache', 'data', 'credentials'].includes(n) && !n.startsWith('catalog.sqlite') && !n.startsWith(HOME_LOCK_FILE_NAME))).toEqual([]);
    expect(tree(dir, 'a/b/home')).toEqual(before);
    expect(before).toEqual(['a', 'a/b', 'a/b/home']);
    expect(existsSync(path.join(dir, 'a', 'b', 'escaped'))).toBe(false);
  });

  it('refuses NUL and other control characters in identifiers, quoted or not, with 000904', async () => {
    for (const sql of ['CREATE WAREHOUSE "evil\u0000name"', 'CREATE TABLE "t\u0001" (x INT)', 'CREATE DATABASE "d\nx"', 'SELECT x AS "a\u0007" FROM t']) {
      const failure = await postStatement(server.url, sql).then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure, JSON.stringify(sql)).toBeInstanceOf(StatementFailure);
      expect(failure).toMatchObject({ status: 422, code: '000904', sqlState: '42000' });
      expect((failure as StatementFailure).message).toMatch(/^SQL compilation error: invalid identifier '".*\\u00[0-9a-f]{2}.*"': identifiers must not contain control characters$/);
    }
    const shown = await postStatement(server.url, "SHOW WAREHOUSES LIKE 'evil%'");
    expect(shown.data).toEqual([]);
    const ctx = await postStatement(server.url, 'SELECT 1', { warehouse: 'wh\u0000x' }).catch((err: unknown) => err);
    expect(ctx).toMatchObject({ status: 400, code: '390401', message: '"warehouse" must not contain control characters' });
  });

  it('deletes the cache of a replaced or dropped warehouse, and at startup every cache no live warehouse owns', async () => {
    const ids = (): Map<string, number> => {
      const db = openSqliteDatabase(path.join(home, 'catalog.sqlite'), { readonly: true });
      try {
        return new Map((db.prepare('SELECT name, id FROM warehouses').all() as { name: string; id: number }[]).map((w) => [w.name, w.id]));
      } finally {
        db.close();
      }
    };
    const cache = (id: number) => path.join(home, 'cache', `warehouse-${id}`);
    const useCached = async () => expect((await postStatement(server.url, 'SELECT SUM(x) FROM t', { warehouse: 'CACHED' })).data).toEqual([['6']]);
    await postStatement(server.url, 'CREATE WAREHOUSE cached');
    await useCached();
    const first = ids().get('CACHED')!;
    await until(() => existsSync(path.join(cache(first), 'w0')));

    await postStatement(server.url, 'CREATE OR REPLACE WAREHOUSE cached');
    const second = ids().get('CACHED')!;
    expect(second).not.toBe(first);
    await useCached();
    await until(() => existsSync(path.join(cache(second), 'w0')));
    await until(() => !existsSync(cache(first)));

    await postStatement(server.url, 'DROP WAREHOUSE cached');
    await until(() => !existsSync(cache(second)));

    // What an older Firn (caches named after warehouses) or a drop while the server was down leaves.
    mkdirSync(path.join(home, 'cache', 'OLD_NAME', 'w0'), { recursive: true });
    mkdirSync(path.join(home, 'cache', 'warehouse-999', 'w0'), { recursive: true });
    const kept = readdirSync(path.join(home, 'cache')).filter((n) => n !== 'OLD_NAME' && n !== 'warehouse-999').sort();
    expect(kept).toEqual(expect.arrayContaining([2, 3, 4, 5].map((id) => `warehouse-${id}`)));
    await server.stop();
    server = await startFirnProcess({ home });
    // The live warehouses' caches survive the restart; nothing else is left.
    expect(readdirSync(path.join(home, 'cache')).sort()).toEqual(kept);
    const live = new Set([...ids().values()].map((id) => `warehouse-${id}`));
    expect(kept.filter((n) => !live.has(n))).toEqual([]);
  });
});
