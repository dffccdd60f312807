/**
 * Threat: a role that may create tables, schemas or databases but may not read a table copies
 * it with a zero-copy CLONE — now or AT an earlier point — and reads the copy, which it would
 * own. Mallory's role DEV may create tables in VAULT.PUBLIC, schemas in VAULT and databases,
 * uses VAULT.PUBLIC and reads OPEN there, but holds nothing on SECRET (or, later, only INSERT).
 * DEV is granted to SYSADMIN, so ADMIN's SHOW lists anything a clone would have created.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAs, outcome } from '../support/engine-as.js';

const MALLORY = { user: 'MALLORY', role: 'DEV' };

describe('privilege escalation through a clone of an object the role cannot read', () => {
  let e: EngineAs;
  let inserted: string;
  beforeAll(async () => {
    e = await EngineAs.open({}, ['MALLORY']);
    for (const sql of [
      'CREATE DATABASE VAULT',
      'CREATE TABLE VAULT.PUBLIC.SECRET (A INT)',
      'CREATE TABLE VAULT.PUBLIC.OPEN (A INT)',
      'INSERT INTO VAULT.PUBLIC.OPEN VALUES (1)',
      'CREATE ROLE DEV',
      'GRANT ROLE DEV TO USER MALLORY',
      // Under SYSADMIN, as custom roles should be: ADMIN sees whatever DEV would own.
      'GRANT ROLE DEV TO ROLE SYSADMIN',
      'GRANT USAGE ON DATABASE VAULT TO ROLE DEV',
      'GRANT USAGE ON SCHEMA VAULT.PUBLIC TO ROLE DEV',
      'GRANT CREATE TABLE ON SCHEMA VAULT.PUBLIC TO ROLE DEV',
      'GRANT CREATE SCHEMA ON DATABASE VAULT TO ROLE DEV',
      'GRANT CREATE DATABASE ON ACCOUNT TO ROLE DEV',
      'GRANT SELECT ON TABLE VAULT.PUBLIC.OPEN TO ROLE DEV',
      'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE DEV',
    ]) {
      await e.run(sql);
    }
    inserted = randomUUID();
    await e.run('INSERT INTO VAULT.PUBLIC.SECRET VALUES (42)', undefined, { queryId: inserted });
  });
  afterAll(async () => {
    await e?.close();
  });

  const tables = async () => (await e.run('SHOW TABLES IN SCHEMA VAULT.PUBLIC')).rows.map((r) => r[1]);
  const schemas = async () => (await e.run('SHOW SCHEMAS IN DATABASE VAULT')).rows.map((r) => r[1]);

  it('refuses cloning a table the role cannot see, now or AT a statement: it reads as missing and no table appears', async () => {
    const missing = { code: '002003', message: "SQL compilation error: Object 'VAULT.PUBLIC.SECRET' does not exist or not authorized." };
    expect(await outcome(e.run('CREATE TABLE VAULT.PUBLIC.MINE CLONE VAULT.PUBLIC.SECRET', MALLORY))).toEqual(missing);
    expect(await outcome(e.run(`CREATE TABLE VAULT.PUBLIC.MINE CLONE VAULT.PUBLIC.SECRET AT(STATEMENT => '${inserted}')`, MALLORY))).toEqual(missing);
    expect(await tables()).toEqual(['OPEN', 'SECRET']);
  });

  it('refuses cloning a table the role sees without SELECT (003001)', async () => {
    await e.run('GRANT INSERT ON TABLE VAULT.PUBLIC.SECRET TO ROLE DEV');
    try {
      expect(await outcome(e.run('CREATE OR REPLACE TABLE VAULT.PUBLIC.MINE CLONE VAULT.PUBLIC.SECRET', MALLORY))).toEqual({
        code: '003001',
        message: "SQL access control error: Insufficient privileges to operate on table 'SECRET'",
      });
      expect(await tables()).toEqual(['OPEN', 'SECRET']);
    } finally {
      await e.run('REVOKE INSERT ON TABLE VAULT.PUBLIC.SECRET FROM ROLE DEV');
    }
  });

  it('refuses cloning a schema or a database holding a table the role cannot read, naming the container, and clones nothing', async () => {
    expect(await outcome(e.run('CREATE SCHEMA VAULT.COPY CLONE VAULT.PUBLIC', MALLORY))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on schema 'PUBLIC'",
    });
    expect(await outcome(e.run(`CREATE SCHEMA VAULT.COPY CLONE VAULT.PUBLIC AT(STATEMENT => '${inserted}')`, MALLORY))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on schema 'PUBLIC'",
    });
    expect(await outcome(e.run('CREATE DATABASE LOOT CLONE VAULT', MALLORY))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on database 'VAULT'",
    });
    expect(await schemas()).toEqual(['PUBLIC']);
    expect((await e.run("SHOW DATABASES LIKE 'LOOT'")).rows).toEqual([]);
  });

  it('clones what the role may read, and the clone is the role\'s', async () => {
    await e.run('CREATE TABLE VAULT.PUBLIC.MINE CLONE VAULT.PUBLIC.OPEN', MALLORY);
    expect((await e.run('SELECT A FROM VAULT.PUBLIC.MINE', MALLORY)).rows).toEqual([['1']]);
    expect((await e.run('SHOW GRANTS ON TABLE VAULT.PUBLIC.MINE')).rows.map((r) => [r[1], r[5]])).toEqual([['OWNERSHIP', 'DEV']]);
    // Once SELECT on SECRET is granted, a schema clone goes through and holds both tables.
    await e.run('GRANT SELECT ON TABLE VAULT.PUBLIC.SECRET TO ROLE DEV');
    await e.run('CREATE SCHEMA VAULT.COPY CLONE VAULT.PUBLIC', MALLORY);
    expect((await e.run('SELECT A FROM VAULT.COPY.SECRET', MALLORY)).rows).toEqual([['42']]);
  });
});
