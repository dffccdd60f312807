/**
 * Several writes in one request (issue 7, point 1), over real HTTP: every statement has its
 * own query id, which is its statementHandle (listed in `statementHandles`, fetchable with
 * GET /api/v2/statements/{handle}) and the id in the table version log, and its own object
 * keys; a failing statement deletes exactly its own objects, never an earlier statement's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { postRaw } from '../support/statement-http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('several writes in one request', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-multi-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir } });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (statement: string, timeout?: number) => postRaw(server.url, statement, timeout, { MULTI_STATEMENT_COUNT: 0 });

  /** The version log of FIRN.PUBLIC.<name>, read from the catalog file the server writes. */
  function versions(name: string): { version: number; query_id: string; operation: string }[] {
    const db = openSqliteDatabase(path.join(dir, 'home', 'catalog.sqlite'), { readonly: true });
    try {
      return db
        .prepare(
          `SELECT v.version, v.query_id, v.operation FROM table_versions v JOIN tables t ON t.id = v.table_id
           WHERE t.name = ? AND t.dropped_at IS NULL ORDER BY v.version`,
        )
        .all(name) as { version: number; query_id: string; operation: string }[];
    } finally {
      db.close();
    }
  }

  /** The object keys every live partition of FIRN.PUBLIC.<name> references. */
  function referencedKeys(name: string): string[] {
    const db = openSqliteDatabase(path.join(dir, 'home', 'catalog.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare(
          `SELECT p.object_key FROM partitions p JOIN tables t ON t.id = p.table_id
           WHERE t.name = ? AND t.dropped_at IS NULL AND p.removed_version IS NULL ORDER BY p.object_key`,
        )
        .all(name) as { object_key: string }[];
      return rows.map((r) => r.object_key);
    } finally {
      db.close();
    }
  }

  it('keeps both INSERTs of one request, each under its own statement handle', async () => {
    await postStatement(server.url, 'CREATE TABLE t (x INTEGER)');
    const r = await post('INSERT INTO t VALUES (1); INSERT INTO t VALUES (2), (3)');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([['2']]);
    expect((await postStatement(server.url, 'SELECT x FROM t ORDER BY x')).data).toEqual([['1'], ['2'], ['3']]);
    const handles = r.body.statementHandles as string[];
    expect(handles).toHaveLength(2);
    for (const h of handles) expect(h).toMatch(UUID);
    expect(new Set([...handles, r.body.statementHandle]).size).toBe(3);

    // The version log records each statement's own id: the id time travel will accept.
    expect(versions('T').map((v) => [v.version, v.query_id, v.operation])).toEqual([
      [0, expect.stringMatching(UUID), 'CREATE TABLE'],
      [1, handles[0], 'INSERT'],
      [2, handles[1], 'INSERT'],
    ]);
    // Each statement's result is there again under its own handle.
    const counts: unknown[] = [];
    for (const h of handles) {
      const got = await fetch(`${server.url}/api/v2/statements/${h}`, { headers: ADMIN_AUTH_HEADERS });
      expect(got.status).toBe(200);
      const body = (await got.json()) as Record<string, unknown>;
      expect(body.statementHandle).toBe(h);
      counts.push(body.data);
    }
    expect(counts).toEqual([[['1']], [['2']]]);
    // A single-statement answer lists no statementHandles, as in Snowflake.
    expect((await post('SELECT 1')).body).not.toHaveProperty('statementHandles');
  });

  it('keeps an INSERT and its file when a COPY after it in the same request fails', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, '5\nnot a number\n');
    await postStatement(server.url, 'CREATE TABLE u (x INTEGER)');
    const r = await post(`INSERT INTO u VALUES (1), (2); COPY INTO u FROM 'file://${bad}'`);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('100038');

    expect((await postStatement(server.url, 'SELECT x FROM u ORDER BY x')).data).toEqual([['1'], ['2']]);
    const keys = referencedKeys('U');
    expect(keys).toHaveLength(1);
    const store = openObjectStore(`file://${path.join(dir, 'home', 'data')}`);
    expect(await store.head(keys[0])).not.toBeNull();
    expect(versions('U').map((v) => v.operation)).toEqual(['CREATE TABLE', 'INSERT']);
  });
});
