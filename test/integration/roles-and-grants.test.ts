/**
 * The role and grant statements end to end on one in-process engine: the system roles and who
 * owns the embedded defaults, CREATE | DROP ROLE, GRANT | REVOKE ROLE, USE ROLE, SHOW ROLES and
 * the forms of SHOW GRANTS with Snowflake's columns, OWNERSHIP transfers, ALL and FUTURE TABLES
 * IN SCHEMA (future grants reach tables made by CREATE, CTAS, CLONE and CREATE OR REPLACE), and
 * the guards that keep the account administrable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAs, outcome } from '../support/engine-as.js';

const ALICE = { user: 'ALICE', role: 'ANALYST' };
const GRANT_COLUMNS = ['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by'];

describe('roles and grants', () => {
  let e: EngineAs;
  beforeAll(async () => {
    e = await EngineAs.open({}, ['ALICE', 'BACKUP_ADMIN', 'OLIVIA', 'LARRY']);
  });
  afterAll(async () => {
    await e?.close();
  });

  /** Rows without their created_on. */
  const rows = async (sql: string, identity?: { user: string; role: string }) => (await e.run(sql, identity)).rows.map((r) => r.slice(1));

  it('starts with the system roles, ADMIN holding ACCOUNTADMIN, and the embedded defaults owned by SYSADMIN', async () => {
    const roles = await e.run('SHOW ROLES');
    expect(roles.columns).toEqual(['created_on', 'name', 'is_current', 'is_inherited', 'assigned_to_users', 'granted_to_roles', 'granted_roles', 'owner', 'comment']);
    expect(roles.rows.map((r) => r.slice(1, 8))).toEqual([
      ['ACCOUNTADMIN', 'Y', 'N', '1', '0', '2', ''],
      ['PUBLIC', 'N', 'Y', '0', '0', '0', ''],
      ['SECURITYADMIN', 'N', 'Y', '0', '1', '1', ''],
      ['SYSADMIN', 'N', 'Y', '0', '1', '0', ''],
      ['USERADMIN', 'N', 'Y', '0', '1', '0', ''],
    ]);
    expect(await rows('SHOW GRANTS')).toEqual([['ACCOUNTADMIN', 'USER', 'ADMIN', '']]);
    expect(await rows('SHOW GRANTS ON DATABASE FIRN')).toEqual([['OWNERSHIP', 'DATABASE', 'FIRN', 'ROLE', 'SYSADMIN', 'true', 'SYSADMIN']]);
    expect(await rows('SHOW GRANTS ON SCHEMA FIRN.PUBLIC')).toEqual([['OWNERSHIP', 'SCHEMA', 'FIRN.PUBLIC', 'ROLE', 'SYSADMIN', 'true', 'SYSADMIN']]);
    expect((await e.run("SHOW WAREHOUSES LIKE 'COMPUTE_WH'")).rows.map((r) => r[20])).toEqual(['SYSADMIN']);
    expect(await rows('SHOW GRANTS TO ROLE SECURITYADMIN')).toEqual([
      ['MANAGE GRANTS', 'ACCOUNT', 'FIRN', 'ROLE', 'SECURITYADMIN', 'false', ''],
      ['USAGE', 'ROLE', 'USERADMIN', 'ROLE', 'SECURITYADMIN', 'false', ''],
    ]);
  });

  it('creates, shows and drops roles; the creator owns them and OR REPLACE needs that ownership', async () => {
    expect((await e.run("CREATE ROLE ANALYST COMMENT = 'reads'")).rows).toEqual([['Role ANALYST successfully created.']]);
    expect((await e.run('CREATE ROLE IF NOT EXISTS ANALYST')).rows).toEqual([['ANALYST already exists, statement succeeded.']]);
    expect(await outcome(e.run('CREATE ROLE ANALYST'))).toEqual({ code: '002002', message: "SQL compilation error: Object 'ANALYST' already exists." });
    expect(await rows("SHOW ROLES LIKE 'ANALYST'")).toEqual([['ANALYST', 'N', 'N', '0', '0', '0', 'ACCOUNTADMIN', 'reads']]);
    // USERADMIN may create roles; SYSADMIN may not.
    await e.run('USE ROLE USERADMIN; CREATE ROLE TEMP');
    expect(await outcome(e.run('USE ROLE SYSADMIN; CREATE ROLE TEMP2'))).toEqual({ code: '003001', message: "SQL access control error: Insufficient privileges to operate on account 'FIRN'" });
    expect(await outcome(e.run('USE ROLE SYSADMIN; CREATE OR REPLACE ROLE TEMP'))).toEqual({ code: '003001', message: "SQL access control error: Insufficient privileges to operate on account 'FIRN'" });
    expect((await e.run('DROP ROLE TEMP')).rows).toEqual([['TEMP successfully dropped.']]);
    expect((await e.run('DROP ROLE IF EXISTS TEMP')).rows).toEqual([['TEMP successfully dropped.']]);
    expect(await outcome(e.run('DROP ROLE TEMP'))).toEqual({ code: '002003', message: "SQL compilation error: Role 'TEMP' does not exist or not authorized." });
    expect(await outcome(e.run('DROP ROLE SYSADMIN'))).toEqual({ code: '003001', message: "SQL access control error: Insufficient privileges to operate on role 'SYSADMIN'" });
  });

  it('grants roles to users and roles, shows them both ways, and USE ROLE switches for the rest of the request', async () => {
    await e.run('GRANT ROLE ANALYST TO USER ALICE');
    await e.run('CREATE ROLE READER');
    await e.run('GRANT ROLE READER TO ROLE ANALYST');
    const of = await e.run('SHOW GRANTS OF ROLE READER');
    expect(of.columns).toEqual(['created_on', 'role', 'granted_to', 'grantee_name', 'granted_by']);
    expect(of.rows.map((r) => r.slice(1))).toEqual([['READER', 'ROLE', 'ANALYST', 'ACCOUNTADMIN']]);
    expect(await rows('SHOW GRANTS TO USER ALICE')).toEqual([['ANALYST', 'USER', 'ALICE', 'ACCOUNTADMIN']]);
    expect(await rows('SHOW GRANTS', ALICE)).toEqual([['ANALYST', 'USER', 'ALICE', 'ACCOUNTADMIN']]);
    expect(await outcome(e.run('SHOW GRANTS TO USER ADMIN', ALICE))).toEqual({ code: '003001', message: "SQL access control error: Insufficient privileges to operate on user 'ADMIN'" });
    expect((await e.run('SHOW GRANTS TO ROLE ANALYST')).columns).toEqual(GRANT_COLUMNS);
    expect(await rows('SHOW GRANTS TO ROLE ANALYST', ALICE)).toEqual([['USAGE', 'ROLE', 'READER', 'ROLE', 'ANALYST', 'false', 'ACCOUNTADMIN']]);
    expect(await outcome(e.run('SHOW GRANTS TO ROLE SYSADMIN', ALICE))).toEqual({ code: '003001', message: "SQL access control error: Insufficient privileges to operate on role 'SYSADMIN'" });
    const switched = await e.run("USE ROLE READER; SHOW ROLES LIKE '%R%'", ALICE);
    expect(switched.rows.map((r) => [r[1], r[2], r[3]])).toEqual([
      ['READER', 'Y', 'N'],
      ['SECURITYADMIN', 'N', 'N'],
      ['USERADMIN', 'N', 'N'],
    ]);
    await e.run('REVOKE ROLE READER FROM ROLE ANALYST');
    expect(await outcome(e.run('USE ROLE READER', ALICE))).toMatchObject({ code: '003013' });
  });

  it('keeps the account administrable: ACCOUNTADMIN stays with its last user', async () => {
    expect(await outcome(e.run('REVOKE ROLE ACCOUNTADMIN FROM USER ADMIN'))).toEqual({
      code: '390201',
      message: 'Revoking ACCOUNTADMIN from its last user ADMIN is not supported',
    });
    await e.run('GRANT ROLE ACCOUNTADMIN TO USER BACKUP_ADMIN');
    await e.run('REVOKE ROLE ACCOUNTADMIN FROM USER BACKUP_ADMIN');
    expect((await e.run('SELECT 1')).rows).toEqual([['1']]);
  });

  it('applies ALL TABLES IN SCHEMA to the tables there now, and FUTURE TABLES to each table made later by CREATE, CTAS, CLONE and CREATE OR REPLACE', async () => {
    await e.run('CREATE DATABASE SALES');
    await e.run('CREATE TABLE SALES.PUBLIC.OLD (A INT)');
    await e.run('GRANT USAGE ON DATABASE SALES TO ROLE ANALYST');
    await e.run('GRANT USAGE ON SCHEMA SALES.PUBLIC TO ROLE ANALYST');
    await e.run('GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE ANALYST');
    await e.run('GRANT SELECT ON ALL TABLES IN SCHEMA SALES.PUBLIC TO ROLE ANALYST');
    await e.run('GRANT SELECT ON FUTURE TABLES IN SCHEMA SALES.PUBLIC TO ROLE ANALYST');
    expect(await rows('SHOW FUTURE GRANTS IN SCHEMA SALES.PUBLIC')).toEqual([['SELECT', 'TABLE', 'SALES.PUBLIC.<TABLE>', 'ROLE', 'ANALYST', 'false']]);
    for (const sql of ['CREATE TABLE SALES.PUBLIC.NEW (A INT)', 'CREATE TABLE SALES.PUBLIC.CTAS AS SELECT 1 AS A', 'CREATE TABLE SALES.PUBLIC.COPY CLONE SALES.PUBLIC.OLD', 'CREATE OR REPLACE TABLE SALES.PUBLIC.OLD (A INT)']) await e.run(sql);
    for (const t of ['OLD', 'NEW', 'CTAS', 'COPY']) expect((await e.run(`SELECT COUNT(*) FROM SALES.PUBLIC.${t}`, ALICE)).rows).toHaveLength(1);
    expect((await e.run('SHOW TABLES IN SCHEMA SALES.PUBLIC', ALICE)).rows.map((r) => r[1])).toEqual(['COPY', 'CTAS', 'NEW', 'OLD']);
    // Only MANAGE GRANTS may set future grants, not even the schema's owner.
    expect(await outcome(e.run('USE ROLE SYSADMIN; GRANT INSERT ON FUTURE TABLES IN SCHEMA FIRN.PUBLIC TO ROLE ANALYST'))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on schema 'PUBLIC'",
    });
    await e.run('REVOKE SELECT ON FUTURE TABLES IN SCHEMA SALES.PUBLIC FROM ROLE ANALYST');
    await e.run('CREATE TABLE SALES.PUBLIC.LATER (A INT)');
    expect(await outcome(e.run('SELECT COUNT(*) FROM SALES.PUBLIC.LATER', ALICE))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'SALES.PUBLIC.LATER' does not exist or not authorized.",
    });
  });

  it('transfers OWNERSHIP (the new owner may then drop it, the old one may not), and a dropped role leaves what it owned to the role dropping it', async () => {
    await e.run('CREATE ROLE OWNERS');
    await e.run('GRANT ROLE OWNERS TO USER OLIVIA');
    await e.run('GRANT USAGE ON DATABASE SALES TO ROLE OWNERS');
    await e.run('GRANT USAGE ON SCHEMA SALES.PUBLIC TO ROLE OWNERS');
    await e.run('GRANT OWNERSHIP ON TABLE SALES.PUBLIC.NEW TO ROLE OWNERS REVOKE CURRENT GRANTS');
    expect(await rows('SHOW GRANTS ON TABLE SALES.PUBLIC.NEW', { user: 'OLIVIA', role: 'OWNERS' })).toEqual([['OWNERSHIP', 'TABLE', 'SALES.PUBLIC.NEW', 'ROLE', 'OWNERS', 'true', 'OWNERS']]);
    expect(await outcome(e.run('DROP TABLE SALES.PUBLIC.NEW'))).toMatchObject({ code: '002003' });
    await e.run('DROP ROLE OWNERS');
    expect(await rows('SHOW GRANTS ON TABLE SALES.PUBLIC.NEW')).toEqual([['OWNERSHIP', 'TABLE', 'SALES.PUBLIC.NEW', 'ROLE', 'ACCOUNTADMIN', 'true', 'ACCOUNTADMIN']]);
    expect((await e.run('DROP TABLE SALES.PUBLIC.NEW')).rows).toEqual([['NEW successfully dropped.']]);
  });

  it("refuses an INSERT without USAGE on the warehouse, also while another role's INSERT into the table is being written (a group commit runs on its first member's session)", async () => {
    await e.run('CREATE ROLE LOADER');
    await e.run('GRANT ROLE LOADER TO USER LARRY');
    await e.run('GRANT USAGE ON DATABASE SALES TO ROLE LOADER');
    await e.run('GRANT USAGE ON SCHEMA SALES.PUBLIC TO ROLE LOADER');
    await e.run('GRANT INSERT ON TABLE SALES.PUBLIC.OLD TO ROLE LOADER');
    const admin = e.run('INSERT INTO SALES.PUBLIC.OLD VALUES (1)');
    const larry = outcome(e.run('INSERT INTO SALES.PUBLIC.OLD VALUES (2)', { user: 'LARRY', role: 'LOADER' }));
    await admin;
    expect(await larry).toEqual({ code: '002003', message: "Warehouse 'COMPUTE_WH' does not exist or not authorized." });
    expect((await e.run('SELECT A FROM SALES.PUBLIC.OLD')).rows).toEqual([['1']]);
  });
});
