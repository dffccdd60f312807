/**
 * The official snowflake-sdk driver, unmodified, executing statements on a real Firn server:
 * `?` and `:n` binds (array binds as one multi-row INSERT), value round-trips of every Firn
 * type (TIME to the nanosecond), streaming a 1M-row result (fetched in chunks), asyncExec with getResultsFromQueryId,
 * cancel, and multi-statement requests with MULTI_STATEMENT_COUNT.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { connectDriver, destroy, execute, type DriverConnection, type DriverStatement } from '../support/snowflake-driver.js';

const PASSWORD = 'admin-pass-for-driver-tests';

describe('snowflake-sdk execute', () => {
  let dir: string;
  let server: FirnProcess;
  let conn: DriverConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-sdk-exec-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_ADMIN_PASSWORD: PASSWORD } });
    conn = await connectDriver(server.url, { username: 'ADMIN', password: PASSWORD });
    await execute(conn, 'CREATE TABLE k (x INTEGER)');
    // One array bind: 1000 rows in one INSERT.
    const keys = Array.from({ length: 1000 }, (_, i) => [i]);
    const { rows, statement } = await execute(conn, 'INSERT INTO k VALUES (?)', { binds: keys });
    expect(rows).toEqual([{ 'number of rows inserted': 1000 }]);
    expect(statement.getNumUpdatedRows()).toBe(1000);
  }, 60_000);

  afterAll(async () => {
    if (conn) await destroy(conn);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends array binds past the driver's stage-binding threshold (100,000 values) inline", async () => {
    await execute(conn, 'CREATE TABLE many (v INTEGER)');
    const values = Array.from({ length: 100_001 }, (_, i) => [i]);
    const inserted = await execute(conn, 'INSERT INTO many VALUES (?)', { binds: values });
    expect(inserted.statement.getNumUpdatedRows()).toBe(100_001);
    expect((await execute(conn, 'SELECT COUNT(*) AS n, SUM(v) AS s FROM many')).rows).toEqual([{ N: 100_001, S: 5_000_050_000 }]);
  }, 120_000);

  it('binds ? and :n placeholders', async () => {
    expect((await execute(conn, 'SELECT COUNT(*) AS n FROM k WHERE x < ? AND x >= ?', { binds: [10, 4] })).rows).toEqual([{ N: 6 }]);
    expect((await execute(conn, 'SELECT :2 AS a, :1 AS b, :2 || :2 AS c', { binds: [1, 'x'] })).rows).toEqual([{ A: 'x', B: 1, C: 'xx' }]);
    await expect(execute(conn, 'SELECT ?, ?', { binds: [1] })).rejects.toMatchObject({ code: '002049', sqlState: '42601' });
  });

  it('round-trips NUMBER (exact), FLOAT, BOOLEAN, VARCHAR, DATE, TIMESTAMP_NTZ and NULL', async () => {
    await execute(conn, 'CREATE TABLE typed (n NUMBER(38,10), f FLOAT, b BOOLEAN, s VARCHAR, d DATE, ts TIMESTAMP_NTZ)');
    const rows = [
      ['12345678901234567890.0123456789', 1.5, true, "it's \\ here", '2024-02-29', '2024-02-29 10:11:12.123456789'],
      [-7, -0.25, false, '', new Date(Date.UTC(1969, 11, 31)), new Date(Date.UTC(2001, 0, 2, 3, 4, 5, 678))],
      [null, null, null, null, null, null],
    ];
    const inserted = await execute(conn, 'INSERT INTO typed VALUES (?, ?, ?, ?, ?, ?)', { binds: rows });
    expect(inserted.statement.getNumUpdatedRows()).toBe(3);
    // As text, exactly as Firn holds the values.
    const asText = await execute(conn, 'SELECT * FROM typed ORDER BY n NULLS LAST', { fetchAsString: ['Number', 'Boolean', 'Date'] });
    expect(asText.rows).toEqual([
      { N: '-7.0000000000', F: '-0.25', B: 'FALSE', S: '', D: '1969-12-31', TS: '2001-01-02 03:04:05.678000000' },
      { N: '12345678901234567890.0123456789', F: '1.5', B: 'TRUE', S: "it's \\ here", D: '2024-02-29', TS: '2024-02-29 10:11:12.123456789' },
      // The driver itself turns a NULL into the text 'NULL' for the types it is asked to fetch as strings.
      { N: 'NULL', F: 'NULL', B: 'NULL', S: null, D: 'NULL', TS: 'NULL' },
    ]);
    // As JavaScript values.
    const native = await execute(conn, "SELECT f, b, d, ts FROM typed WHERE s = ''");
    const row = native.rows[0] ?? {};
    expect(row.F).toBe(-0.25);
    expect(row.B).toBe(false);
    expect((row.D as Date).getTime()).toBe(Date.UTC(1969, 11, 31));
    expect((row.TS as Date).getTime()).toBe(Date.UTC(2001, 0, 2, 3, 4, 5, 678));
    const columns = (native.statement.getColumns() ?? []).map((c) => [c.getName(), c.getType()]);
    expect(columns).toEqual([['F', 'real'], ['B', 'boolean'], ['D', 'date'], ['TS', 'timestamp_ntz']]);
  });

  it('round-trips TIME(p) exactly to the nanosecond, bound and as literals, with NULL', async () => {
    await execute(conn, 'CREATE TABLE clock (id INTEGER, t TIME, t3 TIME(3))');
    // The driver sends JavaScript strings as TEXT binds; the INSERT converts them to TIME.
    const bound = [
      [1, '10:11:12.123456789', '10:11:12.123456789'],
      [2, '23:59:59.999999999', '00:00:00.001'],
      [3, null, null],
    ];
    expect((await execute(conn, 'INSERT INTO clock VALUES (?, ?, ?)', { binds: bound })).statement.getNumUpdatedRows()).toBe(3);
    await execute(conn, "INSERT INTO clock VALUES (4, TIME '00:00:00', '12:00:00'::TIME), (5, '2024-01-02 03:04:05.000000001'::TIMESTAMP_NTZ::TIME, NULL)");
    const { rows, statement } = await execute(conn, 'SELECT id, t, t3 FROM clock ORDER BY id');
    // The driver hands TIME out as text in TIME_OUTPUT_FORMAT, and a NULL TIME as the text 'NULL'.
    expect(rows).toEqual([
      { ID: 1, T: '10:11:12.123456789', T3: '10:11:12.123000000' },
      { ID: 2, T: '23:59:59.999999999', T3: '00:00:00.001000000' },
      { ID: 3, T: 'NULL', T3: 'NULL' },
      { ID: 4, T: '00:00:00.000000000', T3: '12:00:00.000000000' },
      { ID: 5, T: '03:04:05.000000001', T3: 'NULL' },
    ]);
    const columns = (statement.getColumns() ?? []).map((c) => [c.getName(), c.getType(), c.getScale()]);
    expect(columns).toEqual([['ID', 'fixed', 0], ['T', 'time', 9], ['T3', 'time', 3]]);
    const nulls = await execute(conn, 'SELECT COUNT(*) AS n FROM clock WHERE t IS NULL');
    expect(nulls.rows).toEqual([{ N: 1 }]);
    // A bound value in a comparison, and a value out of range with Snowflake's error.
    expect((await execute(conn, 'SELECT id FROM clock WHERE t = ?', { binds: ['03:04:05.000000001'] })).rows).toEqual([{ ID: 5 }]);
    await expect(execute(conn, 'INSERT INTO clock (id, t) VALUES (?, ?)', { binds: [6, '24:00:00'] })).rejects.toMatchObject({ code: '100108', sqlState: '22007' });
  });

  it('hands VARIANT, OBJECT and ARRAY columns to the driver as Snowflake does: rowType variant/object/array, values parsed from JSON', async () => {
    await execute(conn, 'CREATE TABLE semi (id INTEGER, v VARIANT, o OBJECT, a ARRAY)');
    await execute(conn, `INSERT INTO semi SELECT 1, PARSE_JSON('{"b": [1, 2.50, "x"], "a": null}'), OBJECT_CONSTRUCT('k', 'v'), ARRAY_CONSTRUCT(1, 'two')`);
    await execute(conn, `INSERT INTO semi SELECT 2, PARSE_JSON('"text"'), NULL, ARRAY_CONSTRUCT()`);
    const { rows, statement } = await execute(conn, 'SELECT id, v, o, a, v:b[2]::string AS s FROM semi ORDER BY id');
    // The driver JSON.parses each cell (Snowflake sends them pretty-printed); SQL NULL stays null.
    expect(rows).toEqual([
      { ID: 1, V: { a: null, b: [1, 2.5, 'x'] }, O: { k: 'v' }, A: [1, 'two'], S: 'x' },
      { ID: 2, V: 'text', O: null, A: [], S: null },
    ]);
    const columns = (statement.getColumns() ?? []).map((c) => [c.getName(), c.getType()]);
    expect(columns).toEqual([['ID', 'fixed'], ['V', 'variant'], ['O', 'object'], ['A', 'array'], ['S', 'text']]);
    await expect(execute(conn, "SELECT PARSE_JSON('{bad')")).rejects.toMatchObject({ code: '100069', sqlState: '22P02' });
  });

  it('streams a 1M-row result, fetched as chunks', async () => {
    const statement = await new Promise<DriverStatement>((resolve, reject) => {
      conn.execute({ sqlText: 'SELECT a.x * 1000 + b.x AS v FROM k a, k b', streamResult: true, complete: (err, st) => (err ? reject(err) : resolve(st as DriverStatement)) });
    });
    expect(statement.getNumRows()).toBe(1_000_000);
    let count = 0;
    let sum = 0;
    const seen = new Uint8Array(1_000_000);
    await new Promise<void>((resolve, reject) => {
      statement
        .streamRows()
        .on('data', (row: { V: number }) => {
          count++;
          sum += row.V;
          seen[row.V] = 1;
        })
        .on('error', reject)
        .on('end', () => resolve());
    });
    expect(count).toBe(1_000_000);
    expect(sum).toBe(499_999_500_000);
    expect(seen.every((v) => v === 1)).toBe(true);
  }, 120_000);

  it('asyncExec answers at once; getQueryStatus and getResultsFromQueryId fetch the result by query id', async () => {
    const queryId = await new Promise<string>((resolve, reject) => {
      conn.execute({ sqlText: 'SELECT COUNT(*) AS n, SUM(x) AS s FROM k', asyncExec: true, complete: (err, st) => (err ? reject(err) : resolve(st.getQueryId())) });
    });
    expect(queryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      void conn.getResultsFromQueryId({ queryId, complete: (err: unknown, _st: unknown, r: unknown[]) => (err ? reject(err) : resolve(r)) } as never);
    });
    expect(rows).toEqual([{ N: 1000, S: 499500 }]);
    expect(await conn.getQueryStatus(queryId)).toBe('SUCCESS');
    // The same result again, by its id, from another connection of the same user.
    const other = await connectDriver(server.url, { username: 'ADMIN', password: PASSWORD });
    const again = await new Promise<unknown[]>((resolve, reject) => {
      other.fetchResult({ queryId, complete: (err: unknown, _st: unknown, r: unknown[]) => (err ? reject(err) : resolve(r)) } as never);
    });
    expect(again).toEqual([{ N: 1000, S: 499500 }]);
    await destroy(other);
  });

  it("fetches a statement run over the SQL API by its handle (the same user's)", async () => {
    const handle = (await postStatement(server.url, 'SELECT MAX(x) AS m FROM k')).statementHandle;
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      conn.fetchResult({ queryId: handle, complete: (err: unknown, _st: unknown, r: unknown[]) => (err ? reject(err) : resolve(r)) } as never);
    });
    expect(rows).toEqual([{ M: 999 }]);
  });

  it('a failed async statement reports FAILED_WITH_ERROR and its error', async () => {
    const queryId = await new Promise<string>((resolve, reject) => {
      conn.execute({ sqlText: 'SELECT * FROM missing_table', asyncExec: true, complete: (err, st) => (err ? reject(err) : resolve(st.getQueryId())) });
    });
    await expect(conn.getQueryStatusThrowIfError(queryId)).rejects.toMatchObject({ code: '002003', sqlState: '02000' });
    expect(await conn.getQueryStatus(queryId)).toBe('FAILED_WITH_ERROR');
  });

  it('cancel() stops a running statement: it fails with 000604 and the warehouse answers the next statement', async () => {
    let statement: DriverStatement | null = null;
    const outcome = new Promise<unknown>((resolve) => {
      statement = conn.execute({ sqlText: 'SELECT COUNT(*) FROM k a, k b, k c WHERE a.x + b.x + c.x = 5', complete: (err) => resolve(err) }) as DriverStatement;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await new Promise<void>((resolve, reject) => statement!.cancel((err) => (err ? reject(err) : resolve())));
    expect(await outcome).toMatchObject({ code: '000604', sqlState: '57014' });
    expect((await execute(conn, 'SELECT COUNT(*) AS n FROM k')).rows).toEqual([{ N: 1000 }]);
  }, 60_000);

  it('runs several statements with MULTI_STATEMENT_COUNT, each result fetched in turn; the default count of 1 refuses them', async () => {
    await execute(conn, 'CREATE TABLE multi (v INTEGER)');
    const sql = 'INSERT INTO multi VALUES (1), (2); SELECT SUM(v) AS total FROM multi; SELECT COUNT(*) AS n FROM multi';
    await expect(execute(conn, sql)).rejects.toMatchObject({
      code: '000008',
      sqlState: '0A000',
      message: 'Actual statement count 3 did not match the desired statement count 1.',
    });
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM multi')).data).toEqual([['0']]);
    const results: unknown[][] = [];
    await new Promise<void>((resolve, reject) => {
      // hasNext() / NextResult(): the driver's multi-statement API, absent from its type declarations.
      const complete = (err: unknown, st: { hasNext(): boolean; NextResult(): void }, rows: unknown[]) => {
        if (err) return reject(err);
        results.push(rows);
        if (st.hasNext()) st.NextResult();
        else resolve();
      };
      conn.execute({ sqlText: sql, parameters: { MULTI_STATEMENT_COUNT: 3 }, complete } as never);
    });
    expect(results).toEqual([[{ 'number of rows inserted': 2 }], [{ TOTAL: 3 }], [{ N: 2 }]]);
    await expect(execute(conn, sql, { parameters: { MULTI_STATEMENT_COUNT: 2 } })).rejects.toMatchObject({ code: '000008' });
  });

  it("answers LAST_QUERY_ID() with the session's earlier statements, across requests", async () => {
    const first = await execute(conn, 'SELECT 1 AS one');
    const second = await execute(conn, 'SELECT 2 AS two');
    const ids = await execute(conn, 'SELECT LAST_QUERY_ID() AS last, LAST_QUERY_ID(-2) AS before');
    expect(ids.rows).toEqual([{ LAST: second.statement.getQueryId(), BEFORE: first.statement.getQueryId() }]);
  });

  it('holds a transaction across the requests of a session: BEGIN, writes seen only by it, then COMMIT or ROLLBACK', async () => {
    await execute(conn, 'CREATE TABLE txn (v INTEGER)');
    await execute(conn, 'BEGIN');
    await execute(conn, 'INSERT INTO txn VALUES (1), (2)');
    expect((await execute(conn, 'SELECT COUNT(*) AS n FROM txn')).rows).toEqual([{ N: 2 }]);
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM txn')).data).toEqual([['0']]);
    await execute(conn, 'COMMIT');
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM txn')).data).toEqual([['2']]);
    await execute(conn, 'BEGIN');
    await execute(conn, 'DELETE FROM txn');
    await execute(conn, 'ROLLBACK');
    expect((await execute(conn, 'SELECT COUNT(*) AS n FROM txn')).rows).toEqual([{ N: 2 }]);
  });

  it('keeps USE ROLE for the rest of the session', async () => {
    await execute(conn, 'USE ROLE PUBLIC');
    // PUBLIC may not even see the default schema.
    await expect(execute(conn, 'CREATE TABLE public_cannot (x INTEGER)')).rejects.toMatchObject({ code: '002003', message: expect.stringMatching(/FIRN\.PUBLIC/) });
    await execute(conn, 'USE ROLE ACCOUNTADMIN');
    await expect(execute(conn, 'CREATE TABLE admin_can (x INTEGER)')).resolves.toBeTruthy();
  });
});
