/**
 * Views with their owner's rights, as in Snowflake: a role given SELECT on a view reads what the
 * view's query reads with the owner's privileges, and nothing else — not the base table itself,
 * not a view it holds nothing on, not a secure view's text. The result cache must neither refuse
 * such a reader (it may not read the base table, and need not) nor serve a replaced view's old
 * answer. Grants follow the view through OR REPLACE only with COPY GRANTS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAs, outcome } from '../support/engine-as.js';

const DEV = { user: 'MALLORY', role: 'DEV' };

describe('views: owner rights, secure views, grants and the result cache', () => {
  let e: EngineAs;
  beforeAll(async () => {
    e = await EngineAs.open({}, ['MALLORY']);
    for (const sql of [
      'CREATE DATABASE SALES',
      'CREATE TABLE SALES.PUBLIC.ORDERS (REGION VARCHAR, AMOUNT NUMBER(10,2), CARD VARCHAR)',
      "INSERT INTO SALES.PUBLIC.ORDERS VALUES ('EU', 10.50, '4111-1'), ('EU', 2.25, '4111-2'), ('US', 7.00, '5500-3')",
      'CREATE VIEW SALES.PUBLIC.BY_REGION AS SELECT REGION, SUM(AMOUNT) AS TOTAL FROM ORDERS GROUP BY REGION',
      'CREATE SECURE VIEW SALES.PUBLIC.EU_ONLY AS SELECT REGION, AMOUNT FROM SALES.PUBLIC.ORDERS WHERE REGION = \'EU\'',
      'CREATE ROLE DEV',
      'GRANT ROLE DEV TO USER MALLORY',
      'GRANT USAGE ON DATABASE SALES TO ROLE DEV',
      'GRANT USAGE ON SCHEMA SALES.PUBLIC TO ROLE DEV',
      'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE DEV',
      'GRANT SELECT ON VIEW SALES.PUBLIC.BY_REGION TO ROLE DEV',
    ]) {
      await e.run(sql);
    }
  });
  afterAll(async () => {
    await e?.close();
  });

  it('a role with SELECT on the view reads it, with the owner rights over a table it may not read', async () => {
    const r = await e.run('SELECT REGION, TOTAL FROM SALES.PUBLIC.BY_REGION ORDER BY REGION', DEV);
    expect(r.rows).toEqual([['EU', '12.75'], ['US', '7.00']]);
    expect(await outcome(e.run('SELECT * FROM SALES.PUBLIC.ORDERS', DEV))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'SALES.PUBLIC.ORDERS' does not exist or not authorized.",
    });
  });

  it("a view the role holds nothing on reads as missing; one whose owner lost SELECT on its table fails for every reader", async () => {
    expect(await outcome(e.run('SELECT * FROM SALES.PUBLIC.EU_ONLY', DEV))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'SALES.PUBLIC.EU_ONLY' does not exist or not authorized.",
    });
    await e.run('CREATE ROLE ANALYST');
    await e.run('GRANT USAGE ON DATABASE SALES TO ROLE ANALYST');
    await e.run('GRANT USAGE ON SCHEMA SALES.PUBLIC TO ROLE ANALYST');
    await e.run('GRANT CREATE VIEW ON SCHEMA SALES.PUBLIC TO ROLE ANALYST');
    await e.run('GRANT SELECT ON TABLE SALES.PUBLIC.ORDERS TO ROLE ANALYST');
    await e.run('GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE ANALYST');
    await e.run('GRANT ROLE ANALYST TO USER MALLORY');
    const analyst = { user: 'MALLORY', role: 'ANALYST' };
    await e.run('CREATE VIEW SALES.PUBLIC.ANALYST_VIEW AS SELECT COUNT(*) AS N FROM ORDERS', analyst);
    await e.run('GRANT SELECT ON VIEW SALES.PUBLIC.ANALYST_VIEW TO ROLE DEV', analyst);
    expect((await e.run('SELECT N FROM SALES.PUBLIC.ANALYST_VIEW', DEV)).rows).toEqual([['3']]);
    await e.run('REVOKE SELECT ON TABLE SALES.PUBLIC.ORDERS FROM ROLE ANALYST');
    expect(await outcome(e.run('SELECT N FROM SALES.PUBLIC.ANALYST_VIEW', DEV))).toEqual({
      code: '002003',
      message: "SQL compilation error: Failure during expansion of view 'ANALYST_VIEW': Object 'SALES.PUBLIC.ORDERS' does not exist or not authorized.",
    });
  });

  it('CREATE VIEW needs CREATE VIEW on the schema, and the creator must be able to read what the view reads', async () => {
    expect(await outcome(e.run('CREATE VIEW SALES.PUBLIC.MINE AS SELECT 1 AS X', DEV))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on schema 'PUBLIC'",
    });
    await e.run('GRANT CREATE VIEW ON SCHEMA SALES.PUBLIC TO ROLE DEV');
    expect(await outcome(e.run('CREATE VIEW SALES.PUBLIC.MINE AS SELECT * FROM SALES.PUBLIC.ORDERS', DEV))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'SALES.PUBLIC.ORDERS' does not exist or not authorized.",
    });
    await e.run('CREATE VIEW SALES.PUBLIC.MINE AS SELECT TOTAL FROM SALES.PUBLIC.BY_REGION', DEV);
    const owners = await e.run("SELECT TABLE_NAME, TABLE_OWNER FROM SALES.INFORMATION_SCHEMA.VIEWS WHERE TABLE_NAME = 'MINE'", DEV);
    expect(owners.rows).toEqual([['MINE', 'DEV']]);
    // ACCOUNTADMIN does not inherit DEV: the view is not its to see.
    expect((await e.run("SELECT TABLE_NAME FROM SALES.INFORMATION_SCHEMA.VIEWS WHERE TABLE_NAME = 'MINE'")).rows).toEqual([]);
  });

  it("a secure view's text is its owner's to see: SHOW VIEWS and INFORMATION_SCHEMA.VIEWS show it empty to others", async () => {
    await e.run('GRANT SELECT ON VIEW SALES.PUBLIC.EU_ONLY TO ROLE DEV');
    const text = "CREATE SECURE VIEW SALES.PUBLIC.EU_ONLY AS SELECT REGION, AMOUNT FROM SALES.PUBLIC.ORDERS WHERE REGION = 'EU'";
    const shown = async (identity?: typeof DEV) => {
      const show = await e.run("SHOW VIEWS LIKE 'EU_ONLY' IN SCHEMA SALES.PUBLIC", identity);
      const info = await e.run("SELECT VIEW_DEFINITION, IS_SECURE FROM SALES.INFORMATION_SCHEMA.VIEWS WHERE TABLE_NAME = 'EU_ONLY'", identity);
      return [show.rows.map((r) => [r[show.columns.indexOf('text')], r[show.columns.indexOf('is_secure')]]), info.rows];
    };
    expect(await shown()).toEqual([[[text, 'true']], [[text, 'YES']]]);
    expect(await shown(DEV)).toEqual([[['', 'true']], [['', 'YES']]]);
    expect((await e.run('SELECT SUM(AMOUNT) FROM SALES.PUBLIC.EU_ONLY', DEV)).rows).toEqual([['12.75']]);
  });

  it('serves a cached answer over a view to a reader without SELECT on its table, and never a replaced view\'s', async () => {
    await e.run('CREATE OR REPLACE VIEW SALES.PUBLIC.CACHED COPY GRANTS AS SELECT SUM(AMOUNT) AS S FROM SALES.PUBLIC.ORDERS');
    await e.run('GRANT SELECT ON VIEW SALES.PUBLIC.CACHED TO ROLE DEV');
    const q = 'SELECT S FROM SALES.PUBLIC.CACHED';
    expect((await e.run(q, DEV)).rows).toEqual([['19.75']]);
    const hit = await e.run(q, DEV);
    expect([hit.rows, hit.fromResultCache]).toEqual([[['19.75']], true]);
    // Replaced with COPY GRANTS: DEV keeps SELECT, and gets the new query's answer, not the cached one.
    await e.run("CREATE OR REPLACE VIEW SALES.PUBLIC.CACHED COPY GRANTS AS SELECT SUM(AMOUNT) AS S FROM SALES.PUBLIC.ORDERS WHERE REGION = 'US'");
    const replaced = await e.run(q, DEV);
    expect([replaced.rows, replaced.fromResultCache]).toEqual([[['7.00']], false]);
    // A change to the table read through the view invalidates the entry too.
    await e.run("INSERT INTO SALES.PUBLIC.ORDERS VALUES ('US', 1.00, '5500-4')");
    const changed = await e.run(q, DEV);
    expect([changed.rows, changed.fromResultCache]).toEqual([[['8.00']], false]);
    // Replaced without COPY GRANTS: the grants go with the old view.
    await e.run('CREATE OR REPLACE VIEW SALES.PUBLIC.CACHED AS SELECT 1 AS S');
    expect(await outcome(e.run(q, DEV))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'SALES.PUBLIC.CACHED' does not exist or not authorized.",
    });
  });

  it('SHOW GRANTS ON VIEW lists its grants and owner; DROP VIEW needs ownership', async () => {
    const grants = await e.run('SHOW GRANTS ON VIEW SALES.PUBLIC.EU_ONLY');
    const cols = ['privilege', 'granted_on', 'name', 'grantee_name'].map((c) => grants.columns.indexOf(c));
    expect(grants.rows.map((r) => cols.map((i) => r[i])).sort()).toEqual([
      ['OWNERSHIP', 'VIEW', 'SALES.PUBLIC.EU_ONLY', 'ACCOUNTADMIN'],
      ['SELECT', 'VIEW', 'SALES.PUBLIC.EU_ONLY', 'DEV'],
    ]);
    expect(await outcome(e.run('DROP VIEW SALES.PUBLIC.EU_ONLY', DEV))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on view 'EU_ONLY'",
    });
    await e.run('DROP VIEW SALES.PUBLIC.EU_ONLY');
    expect((await e.run('SHOW GRANTS TO ROLE DEV')).rows.some((r) => r.includes('SALES.PUBLIC.EU_ONLY'))).toBe(false);
  });
  it("a schema clone copies views only for a role that may read them (and owns the secure ones); the copies are the cloner's", async () => {
    for (const sql of [
      'CREATE DATABASE HR',
      'CREATE TABLE HR.PUBLIC.PAY (NAME VARCHAR, SALARY INTEGER)',
      "INSERT INTO HR.PUBLIC.PAY VALUES ('ann', 10), ('bo', 20)",
      'CREATE VIEW HR.PUBLIC.TOTAL AS SELECT SUM(SALARY) AS S FROM PAY',
      'CREATE ROLE CLONER',
      'GRANT ROLE CLONER TO USER MALLORY',
      'GRANT USAGE ON DATABASE HR TO ROLE CLONER',
      'GRANT USAGE ON SCHEMA HR.PUBLIC TO ROLE CLONER',
      'GRANT CREATE SCHEMA ON DATABASE HR TO ROLE CLONER',
      'GRANT SELECT ON TABLE HR.PUBLIC.PAY TO ROLE CLONER',
      'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE CLONER',
    ]) {
      await e.run(sql);
    }
    const cloner = { user: 'MALLORY', role: 'CLONER' };
    const refused = { code: '003001', message: "SQL access control error: Insufficient privileges to operate on schema 'PUBLIC'" };
    expect(await outcome(e.run('CREATE SCHEMA HR.COPY1 CLONE HR.PUBLIC', cloner))).toEqual(refused);
    await e.run('GRANT SELECT ON VIEW HR.PUBLIC.TOTAL TO ROLE CLONER');
    await e.run('CREATE SECURE VIEW HR.PUBLIC.ANN AS SELECT SALARY FROM PAY WHERE NAME = \'ann\'');
    await e.run('GRANT SELECT ON VIEW HR.PUBLIC.ANN TO ROLE CLONER');
    expect(await outcome(e.run('CREATE SCHEMA HR.COPY1 CLONE HR.PUBLIC', cloner))).toEqual(refused);
    expect((await e.run("SHOW SCHEMAS LIKE 'COPY1' IN DATABASE HR")).rows).toEqual([]);
    await e.run('DROP VIEW HR.PUBLIC.ANN');
    await e.run('CREATE SCHEMA HR.COPY1 CLONE HR.PUBLIC', cloner);
    expect((await e.run('SELECT S FROM HR.COPY1.TOTAL', cloner)).rows).toEqual([['30']]);
    const grants = await e.run('SHOW GRANTS ON VIEW HR.COPY1.TOTAL', cloner);
    const cols = ['privilege', 'grantee_name'].map((c) => grants.columns.indexOf(c));
    expect(grants.rows.map((r) => cols.map((k) => r[k]))).toEqual([['OWNERSHIP', 'CLONER']]);
  });
});
