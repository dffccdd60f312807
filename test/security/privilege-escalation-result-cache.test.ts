/**
 * Threat: a role gets rows of a table it may not read from the result cache, where a role that
 * may read it left them: the same statement text, database and schema hit the same entry. The
 * cache is shared across roles (as Snowflake's is), so the engine must check the asking role's
 * SELECT on every table the entry came from before it serves it — also after a REVOKE, and
 * whether the table reads as missing to the role or as visible without SELECT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAs, outcome } from '../support/engine-as.js';

const MALLORY = { user: 'MALLORY', role: 'DEV' };
const QUERY = 'SELECT SUM(A) FROM VAULT.PUBLIC.SECRET';

describe('privilege escalation through the result cache', () => {
  let e: EngineAs;
  beforeAll(async () => {
    e = await EngineAs.open({}, ['MALLORY']);
    for (const sql of [
      'CREATE DATABASE VAULT',
      'CREATE TABLE VAULT.PUBLIC.SECRET (A INT)',
      'INSERT INTO VAULT.PUBLIC.SECRET VALUES (40), (2)',
      'CREATE ROLE DEV',
      'GRANT ROLE DEV TO USER MALLORY',
      'GRANT USAGE ON DATABASE VAULT TO ROLE DEV',
      'GRANT USAGE ON SCHEMA VAULT.PUBLIC TO ROLE DEV',
      'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE DEV',
    ]) {
      await e.run(sql);
    }
    // ADMIN computes the answer, then reads it again from the cache: the entry exists.
    expect((await e.run(QUERY)).rows).toEqual([['42']]);
    const again = await e.run(QUERY);
    expect([again.rows, again.fromResultCache]).toEqual([[['42']], true]);
  });
  afterAll(async () => {
    await e?.close();
  });

  it('does not serve a cached answer to a role that cannot see the table', async () => {
    expect(await outcome(e.run(QUERY, MALLORY))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'VAULT.PUBLIC.SECRET' does not exist or not authorized.",
    });
  });

  it('does not serve a cached answer to a role that sees the table without SELECT', async () => {
    await e.run('GRANT INSERT ON TABLE VAULT.PUBLIC.SECRET TO ROLE DEV');
    expect(await outcome(e.run(QUERY, MALLORY))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on table 'SECRET'",
    });
  });

  it("answers once SELECT is granted (computed: a role is served only its own entries, never ADMIN's), and refuses the role's own entry after REVOKE", async () => {
    await e.run('GRANT SELECT ON TABLE VAULT.PUBLIC.SECRET TO ROLE DEV');
    const granted = await e.run(QUERY, MALLORY);
    expect([granted.rows, granted.fromResultCache]).toEqual([[['42']], false]);
    const again = await e.run(QUERY, MALLORY);
    expect([again.rows, again.fromResultCache]).toEqual([[['42']], true]);
    await e.run('REVOKE SELECT ON TABLE VAULT.PUBLIC.SECRET FROM ROLE DEV');
    expect(await outcome(e.run(QUERY, MALLORY))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on table 'SECRET'",
    });
    const admin = await e.run(QUERY);
    expect([admin.rows, admin.fromResultCache]).toEqual([[['42']], true]);
  });

  it('does not serve it through USE ROLE to a role the user holds but that lacks SELECT', async () => {
    await e.run('GRANT SELECT ON TABLE VAULT.PUBLIC.SECRET TO ROLE DEV');
    await e.run('CREATE ROLE INTERN');
    await e.run('GRANT ROLE INTERN TO USER MALLORY');
    await e.run('GRANT USAGE ON DATABASE VAULT TO ROLE INTERN');
    await e.run('GRANT USAGE ON SCHEMA VAULT.PUBLIC TO ROLE INTERN');
    expect(await outcome(e.run(`USE ROLE INTERN; ${QUERY}`, MALLORY))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'VAULT.PUBLIC.SECRET' does not exist or not authorized.",
    });
  });
});
