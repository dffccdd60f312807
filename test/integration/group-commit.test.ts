/**
 * Group commit on a real server: 64 clients each INSERT one row into one table at the same
 * time. Inserts that arrive while another is being written share its successor's write and
 * catalog commit, so the table gets far fewer versions and objects than 64; every client is
 * answered only once its row is committed (a read right after its answer sees it), and every
 * statement id is recorded with the version that holds its row. A bad row in a group fails
 * only its own statement.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

describe('group commit of concurrent small INSERTs', () => {
  let dir: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-group-commit-'));
    server = await startFirnProcess({ home: home() });
    await postStatement(server.url, 'CREATE TABLE g (id INTEGER NOT NULL, note VARCHAR(3))');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function catalog<T>(sql: string): T[] {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'), { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }

  it('64 single-row INSERTs make far fewer versions and objects, each answered after its commit', async () => {
    const seen = await Promise.all(
      Array.from({ length: 64 }, async (_, k) => {
        const r = await postStatement(server.url, `INSERT INTO g VALUES (${k}, 'ok')`);
        expect(r.data).toEqual([['1']]);
        const visible = await postStatement(server.url, `SELECT COUNT(*) FROM g WHERE id = ${k}`);
        return { k, handle: r.statementHandle, visible: visible.data[0][0] };
      }),
    );
    expect(seen.filter((s) => s.visible !== '1')).toEqual([]);
    expect((await postStatement(server.url, 'SELECT COUNT(*), COUNT(DISTINCT id) FROM g')).data).toEqual([['64', '64']]);
    const versions = catalog<{ version: number }>("SELECT v.version FROM table_versions v JOIN tables t ON t.id = v.table_id WHERE t.name = 'G' AND v.version > 0");
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.length).toBeLessThanOrEqual(8);
    const objects = readdirSync(path.join(home(), 'data'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(objects.length).toBeLessThanOrEqual(8);
    // Every statement id resolves to the version that holds its row.
    const ids = catalog<{ query_id: string }>("SELECT s.query_id FROM version_statements s JOIN tables t ON t.id = s.table_id WHERE t.name = 'G'").map((r) => r.query_id);
    for (const s of seen) expect(ids).toContain(s.handle);
  });

  it('a bad row in a group fails only its own statement', async () => {
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, k) =>
        postStatement(server.url, k === 7 ? `INSERT INTO g VALUES (${100 + k}, 'too long')` : `INSERT INTO g VALUES (${100 + k}, 'ok')`).then(
          () => 'ok',
          (err: unknown) => (err instanceof StatementFailure ? err.code : 'other'),
        ),
      ),
    );
    expect(results.filter((r) => r !== 'ok')).toEqual(['100078']);
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM g WHERE id >= 100')).data).toEqual([['15']]);
  });
});
