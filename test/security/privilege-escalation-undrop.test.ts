/**
 * Threat: a role restores with UNDROP an object it does not own — the most recently dropped
 * table, schema or database of a name is restored whoever asks — to read it or to take its
 * name back from its owner. Mallory's role DEV may create tables and schemas in VAULT and owns
 * a dropped table of her own; ADMIN's SECRET table and HIDDEN schema are dropped after hers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAs, outcome } from '../support/engine-as.js';

const MALLORY = { user: 'MALLORY', role: 'DEV' };

describe('privilege escalation through an UNDROP of an object the role cannot read', () => {
  let e: EngineAs;
  beforeAll(async () => {
    e = await EngineAs.open({}, ['MALLORY']);
    for (const sql of [
      'CREATE DATABASE VAULT',
      'CREATE ROLE DEV',
      'GRANT ROLE DEV TO USER MALLORY',
      'GRANT ROLE DEV TO ROLE SYSADMIN',
      'GRANT USAGE ON DATABASE VAULT TO ROLE DEV',
      'GRANT USAGE ON SCHEMA VAULT.PUBLIC TO ROLE DEV',
      'GRANT CREATE TABLE ON SCHEMA VAULT.PUBLIC TO ROLE DEV',
      'GRANT CREATE SCHEMA ON DATABASE VAULT TO ROLE DEV',
      'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE DEV',
    ]) {
      await e.run(sql);
    }
    // Mallory's own SECRET goes first; ADMIN's, with the data, is dropped after it.
    await e.run('CREATE TABLE VAULT.PUBLIC.SECRET (A INT)', MALLORY);
    await e.run('DROP TABLE VAULT.PUBLIC.SECRET', MALLORY);
    await e.run('CREATE TABLE VAULT.PUBLIC.SECRET (A INT)');
    await e.run('INSERT INTO VAULT.PUBLIC.SECRET VALUES (42)');
    await e.run('DROP TABLE VAULT.PUBLIC.SECRET');
    await e.run('CREATE SCHEMA VAULT.HIDDEN');
    await e.run('CREATE TABLE VAULT.HIDDEN.T (A INT)');
    await e.run('DROP SCHEMA VAULT.HIDDEN');
    await e.run('CREATE DATABASE PRIVATE');
    await e.run('DROP DATABASE PRIVATE');
  });
  afterAll(async () => {
    await e?.close();
  });

  const history = async () => (await e.run("SHOW TABLES HISTORY LIKE 'SECRET' IN SCHEMA VAULT.PUBLIC")).rows.map((r) => [r[1], r[9] === null ? 'live' : 'dropped']);

  it('refuses restoring a table the role holds nothing on: it reads as missing, and both tables stay dropped', async () => {
    expect(await outcome(e.run('UNDROP TABLE VAULT.PUBLIC.SECRET', MALLORY))).toEqual({
      code: '002003',
      message: "Table 'VAULT.PUBLIC.SECRET' does not exist or not authorized.",
    });
    expect(await history()).toEqual([
      ['SECRET', 'dropped'],
      ['SECRET', 'dropped'],
    ]);
  });

  it('refuses restoring a table the role may read but does not own (003001)', async () => {
    // SELECT granted on the dropped table (by id: it comes back with it) is not ownership.
    await e.run('UNDROP TABLE VAULT.PUBLIC.SECRET');
    await e.run('GRANT SELECT ON TABLE VAULT.PUBLIC.SECRET TO ROLE DEV');
    await e.run('DROP TABLE VAULT.PUBLIC.SECRET');
    expect(await outcome(e.run('UNDROP TABLE VAULT.PUBLIC.SECRET', MALLORY))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on table 'SECRET'",
    });
    expect(await history()).toEqual([
      ['SECRET', 'dropped'],
      ['SECRET', 'dropped'],
    ]);
  });

  it('refuses restoring a schema or a database the role does not own, and leaves them dropped', async () => {
    expect(await outcome(e.run('UNDROP SCHEMA VAULT.HIDDEN', MALLORY))).toEqual({
      code: '002003',
      message: "Schema 'VAULT.HIDDEN' does not exist or not authorized.",
    });
    expect(await outcome(e.run('UNDROP DATABASE PRIVATE', MALLORY))).toEqual({
      code: '002003',
      message: "Database 'PRIVATE' does not exist or not authorized.",
    });
    expect((await e.run('SHOW SCHEMAS IN DATABASE VAULT')).rows.map((r) => r[1])).toEqual(['PUBLIC']);
    expect((await e.run("SHOW DATABASES LIKE 'PRIVATE'")).rows).toEqual([]);
  });

  it('restores what the role owns, with the owner\'s grants by id', async () => {
    await e.run('UNDROP TABLE VAULT.PUBLIC.SECRET');
    expect((await e.run('SELECT A FROM VAULT.PUBLIC.SECRET', MALLORY)).rows).toEqual([['42']]);
    await e.run('ALTER TABLE VAULT.PUBLIC.SECRET RENAME TO VAULT.PUBLIC.ADMINS');
    await e.run('UNDROP TABLE VAULT.PUBLIC.SECRET', MALLORY);
    expect((await e.run('SELECT COUNT(*) FROM VAULT.PUBLIC.SECRET', MALLORY)).rows).toEqual([['0']]);
  });
});
