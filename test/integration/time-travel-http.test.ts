/**
 * Time travel over the real server (from dist/). The statementHandle a POST returns names its
 * statement in AT | BEFORE (STATEMENT => ...): AT and BEFORE an INSERT's, UPDATE's and
 * DELETE's handle read the rows just after and just before it, also for a statement that
 * changed no table (read as of its start). A TIMESTAMP_NTZ literal is read as UTC although the
 * server runs in another time zone; OFFSET counts from the statement's start. SHOW VERSIONS
 * lists each version with its handle and what it changed, SHOW TABLES HISTORY lists dropped
 * tables with dropped_on. With FIRN_DATA_RETENTION_DAYS=0 every older version is out of reach
 * (000707) and dropped tables cannot be restored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure, type StatementBody } from '../support/post-statement.js';

/** The rows of `sql`, as the API sends them (strings). */
async function rows(url: string, sql: string): Promise<(string | null)[][]> {
  return (await postStatement(url, sql)).data as (string | null)[][];
}

async function failure(url: string, sql: string): Promise<StatementFailure> {
  const err = await postStatement(url, sql).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, sql).toBeInstanceOf(StatementFailure);
  return err as StatementFailure;
}

/** A jsonv2 TIMESTAMP_NTZ cell (epoch seconds, 9 fraction digits) as the UTC text of a TIMESTAMP_NTZ literal. */
function utcText(cell: string): string {
  const [sec, frac] = cell.split('.');
  const iso = new Date(Number(sec) * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${frac}`;
}

function column(body: StatementBody, name: string): number {
  return body.resultSetMetaData.rowType.findIndex((c) => c.name === name);
}

describe('time travel over HTTP', () => {
  let dir: string;
  let server: FirnProcess;
  const h: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-travel-'));
    // Not UTC: a TIMESTAMP_NTZ must still be read as UTC.
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { TZ: 'Asia/Kolkata' } });
    const run = async (name: string, sql: string) => {
      h[name] = (await postStatement(server.url, sql)).statementHandle;
    };
    await run('create', 'CREATE TABLE t (id INTEGER, v VARCHAR)');
    await run('insert', "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    await run('update', "UPDATE t SET v = 'B' WHERE id = 2");
    await run('delete', 'DELETE FROM t WHERE id = 1');
    await run('select', 'SELECT COUNT(*) FROM t');
    await run('other', 'CREATE TABLE other (x INTEGER)');
    await run('insert2', "INSERT INTO t VALUES (3, 'c')");
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every statement its own handle', () => {
    expect(new Set(Object.values(h)).size).toBe(7);
  });

  it.each([
    ['AT', 'create', []],
    ['AT', 'insert', [['1', 'a'], ['2', 'b']]],
    ['BEFORE', 'insert', []],
    ['AT', 'update', [['1', 'a'], ['2', 'B']]],
    ['BEFORE', 'update', [['1', 'a'], ['2', 'b']]],
    ['AT', 'delete', [['2', 'B']]],
    ['BEFORE', 'delete', [['1', 'a'], ['2', 'B']]],
    // Statements that changed no version of t read it as of their start.
    ['AT', 'select', [['2', 'B']]],
    ['BEFORE', 'other', [['2', 'B']]],
    ['AT', 'insert2', [['2', 'B'], ['3', 'c']]],
    ['BEFORE', 'insert2', [['2', 'B']]],
  ])('%s(STATEMENT => the %s handle) reads the rows of that point', async (mode, name, expected) => {
    expect(await rows(server.url, `SELECT id, v FROM t ${mode}(STATEMENT => '${h[name]}') ORDER BY id`)).toEqual(expected);
  });

  it('reads two points of one table in a join and in a CTE', async () => {
    const joined = await rows(
      server.url,
      `SELECT a.id, a.v, b.v FROM t AT(STATEMENT => '${h.insert}') a JOIN t BEFORE(STATEMENT => '${h.delete}') b ON a.id = b.id ORDER BY a.id`,
    );
    expect(joined).toEqual([['1', 'a', 'a'], ['2', 'b', 'B']]);
    const cte = await rows(
      server.url,
      `WITH old AS (SELECT * FROM t BEFORE(STATEMENT => '${h.update}')) SELECT t.id, old.v, t.v FROM t JOIN old ON t.id = old.id ORDER BY t.id`,
    );
    expect(cte).toEqual([['2', 'b', 'B']]);
  });

  it('clones a table as of a statement', async () => {
    expect((await postStatement(server.url, `CREATE TABLE snap CLONE t BEFORE(STATEMENT => '${h.delete}')`)).data).toEqual([['Table SNAP successfully created.']]);
    expect(await rows(server.url, 'SELECT id, v FROM snap ORDER BY id')).toEqual([['1', 'a'], ['2', 'B']]);
    await postStatement(server.url, 'DROP TABLE snap');
  });

  it('clones a schema and a database AT and BEFORE a statement', async () => {
    await postStatement(server.url, `CREATE SCHEMA firn.after_update CLONE firn.public AT(STATEMENT => '${h.update}')`);
    await postStatement(server.url, `CREATE SCHEMA firn.before_update CLONE firn.public BEFORE(STATEMENT => '${h.update}')`);
    await postStatement(server.url, `CREATE DATABASE before_delete CLONE firn BEFORE(STATEMENT => '${h.delete}')`);
    expect(await rows(server.url, 'SELECT id, v FROM firn.after_update.t ORDER BY id')).toEqual([['1', 'a'], ['2', 'B']]);
    expect(await rows(server.url, 'SELECT id, v FROM firn.before_update.t ORDER BY id')).toEqual([['1', 'a'], ['2', 'b']]);
    expect(await rows(server.url, 'SELECT id, v FROM before_delete.public.t ORDER BY id')).toEqual([['1', 'a'], ['2', 'B']]);
    // OTHER was created after the DELETE: not in a clone of the database before it.
    expect(await failure(server.url, 'SELECT * FROM before_delete.public.other')).toMatchObject({ code: '002003' });
  });

  it('refuses BEFORE the creating statement with 000707 and an unknown handle with 000709', async () => {
    const before = await failure(server.url, `SELECT * FROM t BEFORE(STATEMENT => '${h.create}')`);
    expect(before).toMatchObject({
      code: '000707',
      sqlState: '02000',
      message: 'Time travel data is not available for table T. The requested time is either beyond the allowed time travel period or before the object creation time.',
    });
    const unknown = await failure(server.url, "SELECT * FROM t AT(STATEMENT => '01b82abe-3203-ce4f-0000-81c105b674e2')");
    expect(unknown).toMatchObject({ code: '000709', sqlState: '02000', message: 'Statement 01b82abe-3203-ce4f-0000-81c105b674e2 not found' });
  });

  it('lists the versions with their handles and changes (SHOW VERSIONS)', async () => {
    const body = await postStatement(server.url, 'SHOW VERSIONS IN TABLE t');
    expect(body.resultSetMetaData.rowType.map((c) => [c.name, c.type])).toEqual([
      ['version', 'fixed'],
      ['committed_on', 'timestamp_ntz'],
      ['query_id', 'text'],
      ['operation', 'text'],
      ['rows_added', 'fixed'],
      ['rows_removed', 'fixed'],
      ['partitions_added', 'fixed'],
      ['partitions_removed', 'fixed'],
    ]);
    const at = column(body, 'committed_on');
    expect(body.data.map((r) => r.filter((_, i) => i !== at))).toEqual([
      ['0', h.create, 'CREATE TABLE', '0', '0', '0', '0'],
      ['1', h.insert, 'INSERT', '2', '0', '1', '0'],
      ['2', h.update, 'UPDATE', '2', '2', '1', '1'],
      ['3', h.delete, 'DELETE', '1', '2', '1', '1'],
      ['4', h.insert2, 'INSERT', '1', '0', '1', '0'],
    ]);
    const times = body.data.map((r) => Number(r[at]));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('reads a TIMESTAMP_NTZ as UTC: AT and BEFORE the UPDATE commit time', async () => {
    const body = await postStatement(server.url, 'SHOW VERSIONS IN TABLE t');
    const committed = utcText(body.data[2][column(body, 'committed_on')]!);
    expect(await rows(server.url, `SELECT id, v FROM t AT(TIMESTAMP => '${committed}'::TIMESTAMP_NTZ) ORDER BY id`)).toEqual([['1', 'a'], ['2', 'B']]);
    expect(await rows(server.url, `SELECT id, v FROM t BEFORE(TIMESTAMP => '${committed}'::TIMESTAMP_NTZ) ORDER BY id`)).toEqual([['1', 'a'], ['2', 'b']]);
    // An uncast string is a TIMESTAMP_NTZ too.
    expect(await rows(server.url, `SELECT id, v FROM t BEFORE(TIMESTAMP => '${committed}') ORDER BY id`)).toEqual([['1', 'a'], ['2', 'b']]);
  });

  it('counts OFFSET from the statement start', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    await postStatement(server.url, "INSERT INTO t VALUES (4, 'd')");
    expect(await rows(server.url, 'SELECT id FROM t AT(OFFSET => -1) ORDER BY id')).toEqual([['2'], ['3']]);
    expect(await rows(server.url, 'SELECT id FROM t AT(OFFSET => 0) ORDER BY id')).toEqual([['2'], ['3'], ['4']]);
  });

  it('lists a dropped table with dropped_on in SHOW TABLES HISTORY, and UNDROP brings it back', async () => {
    await postStatement(server.url, 'CREATE TABLE gone (x INTEGER)');
    await postStatement(server.url, 'INSERT INTO gone VALUES (7)');
    await postStatement(server.url, 'DROP TABLE gone');
    const before = Date.now() / 1000;
    const body = await postStatement(server.url, 'SHOW TABLES HISTORY');
    expect(body.resultSetMetaData.rowType.map((c) => c.name)).toEqual([
      'created_on', 'name', 'database_name', 'schema_name', 'kind', 'cluster_by', 'rows', 'bytes', 'retention_time', 'dropped_on',
    ]);
    const [name, rowsAt, retention, dropped] = ['name', 'rows', 'retention_time', 'dropped_on'].map((c) => column(body, c));
    const byName = new Map(body.data.map((r) => [r[name], r]));
    // SNAP: the clone dropped by an earlier test.
    expect([...byName.keys()].sort()).toEqual(['GONE', 'OTHER', 'SNAP', 'T']);
    expect(byName.get('T')![dropped]).toBeNull();
    expect(byName.get('SNAP')![dropped]).not.toBeNull();
    expect(byName.get('T')![retention]).toBe('1');
    const gone = byName.get('GONE')!;
    expect(gone[rowsAt]).toBe('1');
    expect(Number(gone[dropped])).toBeGreaterThan(before - 60);
    expect(Number(gone[dropped])).toBeLessThanOrEqual(before + 1);
    const like = await postStatement(server.url, "SHOW TABLES HISTORY LIKE 'go%' IN firn.public");
    expect(like.data.map((r) => r[name])).toEqual(['GONE']);
    // SHOW TABLES (no HISTORY) lists only live tables, without the two columns.
    const live = await postStatement(server.url, 'SHOW TABLES');
    expect(live.data.map((r) => r[column(live, 'name')]).sort()).toEqual(['OTHER', 'T']);
    expect(column(live, 'dropped_on')).toBe(-1);
    expect((await postStatement(server.url, 'UNDROP TABLE gone')).data).toEqual([['Table GONE successfully restored.']]);
    expect(await rows(server.url, 'SELECT x FROM gone')).toEqual([['7']]);
  });
});

describe('time travel with FIRN_DATA_RETENTION_DAYS=0', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-travel0-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_DATA_RETENTION_DAYS: '0' } });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses any older version with 000707 and cannot UNDROP', async () => {
    await postStatement(server.url, 'CREATE TABLE t (id INTEGER)');
    const insert = (await postStatement(server.url, 'INSERT INTO t VALUES (1)')).statementHandle;
    const update = (await postStatement(server.url, 'UPDATE t SET id = 2')).statementHandle;
    for (const sql of [`SELECT * FROM t AT(STATEMENT => '${insert}')`, `SELECT * FROM t BEFORE(STATEMENT => '${update}')`, 'SELECT * FROM t AT(OFFSET => -1)']) {
      expect(await failure(server.url, sql), sql).toMatchObject({ code: '000707', sqlState: '02000' });
    }
    expect(await failure(server.url, `CREATE TABLE c CLONE t AT(STATEMENT => '${insert}')`)).toMatchObject({ code: '000707' });
    // The current version is still readable.
    expect(await rows(server.url, `SELECT id FROM t AT(STATEMENT => '${update}')`)).toEqual([['2']]);
    await postStatement(server.url, 'DROP TABLE t');
    const history = await postStatement(server.url, 'SHOW TABLES HISTORY');
    expect(history.data).toEqual([]);
    expect(await failure(server.url, 'UNDROP TABLE t')).toMatchObject({ code: '002003' });
  });
});
