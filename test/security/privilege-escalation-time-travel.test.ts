/**
 * Threat: a role reads a table's past — AT | BEFORE a statement or a time — to see what it may
 * not read now: data from before its SELECT was revoked, or the data of another owner's table
 * that once had the name of a table it owns now. Time travel reads the versions of the live
 * table the name resolves to, with the privileges the role holds on it now.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAs, outcome } from '../support/engine-as.js';

const MALLORY = { user: 'MALLORY', role: 'DEV' };

describe('privilege escalation through time travel of an object the role cannot read', () => {
  let e: EngineAs;
  let early: string;
  let late: string;
  beforeAll(async () => {
    e = await EngineAs.open({}, ['MALLORY']);
    for (const sql of [
      'CREATE DATABASE VAULT',
      'CREATE TABLE VAULT.PUBLIC.SECRET (A INT)',
      'CREATE ROLE DEV',
      'GRANT ROLE DEV TO USER MALLORY',
      'GRANT ROLE DEV TO ROLE SYSADMIN',
      'GRANT USAGE ON DATABASE VAULT TO ROLE DEV',
      'GRANT USAGE ON SCHEMA VAULT.PUBLIC TO ROLE DEV',
      'GRANT CREATE TABLE ON SCHEMA VAULT.PUBLIC TO ROLE DEV',
      'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE DEV',
      'GRANT SELECT ON TABLE VAULT.PUBLIC.SECRET TO ROLE DEV',
    ]) {
      await e.run(sql);
    }
    early = randomUUID();
    late = randomUUID();
    await e.run('INSERT INTO VAULT.PUBLIC.SECRET VALUES (1)', undefined, { queryId: early });
    expect((await e.run('SELECT A FROM VAULT.PUBLIC.SECRET', MALLORY)).rows).toEqual([['1']]);
    await e.run('REVOKE SELECT ON TABLE VAULT.PUBLIC.SECRET FROM ROLE DEV');
    await e.run('INSERT INTO VAULT.PUBLIC.SECRET VALUES (42)', undefined, { queryId: late });
  });
  afterAll(async () => {
    await e?.close();
  });

  const missing = { code: '002003', message: "SQL compilation error: Object 'VAULT.PUBLIC.SECRET' does not exist or not authorized." };

  it('refuses reading a table AT or BEFORE a statement once SELECT is revoked, also at a point when the role could read it', async () => {
    expect(await outcome(e.run(`SELECT A FROM VAULT.PUBLIC.SECRET AT(STATEMENT => '${early}')`, MALLORY))).toEqual(missing);
    expect(await outcome(e.run(`SELECT A FROM VAULT.PUBLIC.SECRET BEFORE(STATEMENT => '${late}')`, MALLORY))).toEqual(missing);
    expect(await outcome(e.run('SELECT A FROM VAULT.PUBLIC.SECRET AT(OFFSET => -1)', MALLORY))).toEqual(missing);
    // In a subquery, or joined: the same check.
    expect(await outcome(e.run(`SELECT (SELECT MAX(A) FROM VAULT.PUBLIC.SECRET AT(STATEMENT => '${late}'))`, MALLORY))).toEqual(missing);
  });

  it('refuses a clone AT a point and EXPLAIN of a time travel read', async () => {
    expect(await outcome(e.run(`CREATE TABLE VAULT.PUBLIC.MINE CLONE VAULT.PUBLIC.SECRET AT(STATEMENT => '${late}')`, MALLORY))).toEqual(missing);
    expect(await outcome(e.run(`EXPLAIN SELECT A FROM VAULT.PUBLIC.SECRET AT(STATEMENT => '${late}')`, MALLORY))).toEqual(missing);
  });

  it("does not reach another owner's table through a table of the same name the role owns now", async () => {
    await e.run('ALTER TABLE VAULT.PUBLIC.SECRET RENAME TO VAULT.PUBLIC.ARCHIVE');
    await e.run('CREATE TABLE VAULT.PUBLIC.SECRET (A INT)', MALLORY);
    // The name now resolves to Mallory's empty table, whose history starts after `late`.
    expect(await outcome(e.run(`SELECT A FROM VAULT.PUBLIC.SECRET AT(STATEMENT => '${late}')`, MALLORY))).toMatchObject({ code: '000707' });
    expect((await e.run('SELECT COUNT(*) FROM VAULT.PUBLIC.SECRET', MALLORY)).rows).toEqual([['0']]);
    expect(await outcome(e.run(`SELECT A FROM VAULT.PUBLIC.ARCHIVE AT(STATEMENT => '${late}')`, MALLORY))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'VAULT.PUBLIC.ARCHIVE' does not exist or not authorized.",
    });
  });
});
