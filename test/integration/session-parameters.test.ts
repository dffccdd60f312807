/**
 * Session parameters on the real server: a snowflake-sdk login session keeps what ALTER SESSION
 * sets across its requests (formats, week start, QUERY_TAG in the query history, AUTOCOMMIT =
 * FALSE transactions, STATEMENT_TIMEOUT_IN_SECONDS) while another session does not see it, and
 * the driver renders values with the session's output formats; a SQL API request starts from
 * its body's `parameters`, checked as ALTER SESSION checks them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { connectDriver, destroy, execute, type DriverConnection } from '../support/snowflake-driver.js';
import { postRaw } from '../support/statement-http.js';

const PASSWORD = 'admin-pass-for-parameter-tests';

describe('session parameters', () => {
  let dir: string;
  let server: FirnProcess;
  let conn: DriverConnection;
  let other: DriverConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-params-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_ADMIN_PASSWORD: PASSWORD } });
    const options = { username: 'ADMIN', password: PASSWORD, database: 'FIRN', schema: 'PUBLIC' };
    conn = await connectDriver(server.url, options);
    other = await connectDriver(server.url, options);
  }, 60_000);

  afterAll(async () => {
    if (conn) await destroy(conn);
    if (other) await destroy(other);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps ALTER SESSION for the login session's later requests; another session keeps its own", async () => {
    await execute(conn, "ALTER SESSION SET QUERY_TAG = 'driver tag', DATE_OUTPUT_FORMAT = 'DD/MM/YYYY', BINARY_OUTPUT_FORMAT = BASE64, WEEK_START = 1");
    const sql = "SELECT TO_VARCHAR('2024-03-05'::DATE) AS s, DAYOFWEEK('2024-03-10'::DATE) AS w, TO_VARCHAR(X'4869') AS b";
    const tagged = await execute(conn, sql);
    expect(tagged.rows).toEqual([{ S: '05/03/2024', W: 7, B: 'SGk=' }]);
    expect((await execute(other, sql)).rows).toEqual([{ S: '2024-03-05', W: 0, B: '4869' }]);
    // QUERY_TAG went into the query history with the statement.
    const id = tagged.statement.getQueryId();
    const history = await execute(other, `SELECT QUERY_TAG AS t FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_ID = '${id}'`);
    expect(history.rows).toEqual([{ T: 'driver tag' }]);
    const shown = await execute(conn, "SHOW PARAMETERS LIKE 'QUERY_TAG'");
    expect(shown.rows).toEqual([{ key: 'QUERY_TAG', value: 'driver tag', default: '', level: 'SESSION', description: expect.any(String), type: 'STRING' }]);
    await execute(conn, 'ALTER SESSION UNSET QUERY_TAG, DATE_OUTPUT_FORMAT, BINARY_OUTPUT_FORMAT, WEEK_START');
    expect((await execute(conn, sql)).rows).toEqual([{ S: '2024-03-05', W: 0, B: '4869' }]);
  });

  it("tells the driver the session's output formats, so it renders DATE and BINARY values with them", async () => {
    await execute(conn, "ALTER SESSION SET DATE_OUTPUT_FORMAT = 'YYYY/MM/DD', BINARY_OUTPUT_FORMAT = 'BASE64'");
    const asText = await execute(conn, "SELECT '2024-03-05'::DATE AS d, X'4869' AS b", { fetchAsString: ['Date', 'Buffer'] });
    expect(asText.rows).toEqual([{ D: '2024/03/05', B: 'SGk=' }]);
    await execute(conn, 'ALTER SESSION UNSET DATE_OUTPUT_FORMAT, BINARY_OUTPUT_FORMAT');
    const plain = await execute(conn, "SELECT '2024-03-05'::DATE AS d, X'4869' AS b", { fetchAsString: ['Date', 'Buffer'] });
    expect(plain.rows).toEqual([{ D: '2024-03-05', B: '4869' }]);
  });

  it('opens a transaction at the first DML with AUTOCOMMIT = FALSE, kept across requests until COMMIT', async () => {
    await execute(conn, 'CREATE TABLE pending (x INT)');
    await execute(conn, 'ALTER SESSION SET AUTOCOMMIT = FALSE');
    await execute(conn, 'INSERT INTO pending VALUES (1)');
    expect((await execute(conn, 'SELECT COUNT(*) AS n FROM pending')).rows).toEqual([{ N: 1 }]);
    expect((await execute(other, 'SELECT COUNT(*) AS n FROM pending')).rows).toEqual([{ N: 0 }]);
    await execute(conn, 'COMMIT');
    expect((await execute(other, 'SELECT COUNT(*) AS n FROM pending')).rows).toEqual([{ N: 1 }]);
    await execute(conn, 'INSERT INTO pending VALUES (2)');
    await execute(conn, 'ROLLBACK');
    await execute(conn, 'ALTER SESSION SET AUTOCOMMIT = TRUE');
    await execute(conn, 'INSERT INTO pending VALUES (3)');
    expect((await execute(other, 'SELECT x FROM pending ORDER BY x')).rows).toEqual([{ X: 1 }, { X: 3 }]);
  });

  it('cancels a statement past the session\'s STATEMENT_TIMEOUT_IN_SECONDS with 000630', async () => {
    await execute(conn, 'ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 1');
    const slow = 'SELECT COUNT(*) FROM TABLE(GENERATOR(ROWCOUNT => 30000)) a, TABLE(GENERATOR(ROWCOUNT => 30000)) b';
    await expect(execute(conn, slow)).rejects.toMatchObject({ code: '000630', sqlState: '57014' });
    await execute(conn, 'ALTER SESSION UNSET STATEMENT_TIMEOUT_IN_SECONDS');
    expect((await execute(conn, 'SELECT 1 AS one')).rows).toEqual([{ ONE: 1 }]);
  });

  it("starts a SQL API request from its body's parameters, checked as ALTER SESSION checks them", async () => {
    const sql = "SELECT TO_VARCHAR('2024-03-05'::DATE) AS s, TO_VARCHAR(X'4869') AS b";
    const r = await postRaw(server.url, sql, undefined, { date_output_format: 'MM-DD-YYYY', BINARY_OUTPUT_FORMAT: 'base64', query_tag: 'api tag' });
    expect([r.status, r.body.data]).toEqual([200, [['03-05-2024', 'SGk=']]]);
    const tag = await postStatement(server.url, `SELECT QUERY_TAG FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_ID = '${r.body.statementHandle as string}'`);
    expect(tag.data).toEqual([['api tag']]);
    // The next request is a session of its own again.
    expect((await postStatement(server.url, sql)).data).toEqual([['2024-03-05', '4869']]);
    const bad = await postRaw(server.url, 'SELECT 1', undefined, { week_start: 9 });
    expect([bad.status, bad.body.message]).toEqual([400, '"parameters.week_start" is not a valid WEEK_START']);
  });
});
