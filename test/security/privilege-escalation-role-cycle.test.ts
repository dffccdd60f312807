/**
 * Threat: a role gains privileges it was never granted by reshaping the role hierarchy — closing
 * a cycle so that a role it holds inherits a role above it, granting itself a role it does not
 * own, or activating a role nobody granted it. Mallory holds TEAM, which (as Snowflake advises
 * for custom roles) is granted to SYSADMIN; she also holds DELEGATE, a role with MANAGE GRANTS,
 * so only the cycle rule stands between TEAM and ACCOUNTADMIN's privileges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAs, outcome } from '../support/engine-as.js';

const MALLORY_TEAM = { user: 'MALLORY', role: 'TEAM' };
const MALLORY_DELEGATE = { user: 'MALLORY', role: 'DELEGATE' };
const cycle = (role: string, grantee: string, why: string) => ({
  code: '390504',
  message: `SQL execution error: Granting role '${role}' to role '${grantee}' would create a cycle in the role hierarchy: ${why}.`,
});

describe('privilege escalation through a role cycle', () => {
  let e: EngineAs;
  beforeAll(async () => {
    e = await EngineAs.open({}, ['MALLORY']);
    for (const sql of [
      'CREATE DATABASE VAULT',
      'CREATE TABLE VAULT.PUBLIC.SECRET (A INT)',
      'INSERT INTO VAULT.PUBLIC.SECRET VALUES (42)',
      'CREATE ROLE TEAM',
      'CREATE ROLE SUBTEAM',
      'GRANT ROLE SUBTEAM TO ROLE TEAM',
      'GRANT ROLE TEAM TO ROLE SYSADMIN',
      'GRANT OWNERSHIP ON ROLE TEAM TO ROLE TEAM',
      'CREATE ROLE DELEGATE',
      'GRANT MANAGE GRANTS ON ACCOUNT TO ROLE DELEGATE',
      'GRANT ROLE TEAM TO USER MALLORY',
      'GRANT ROLE DELEGATE TO USER MALLORY',
      'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE TEAM',
    ]) {
      await e.run(sql);
    }
  });
  afterAll(async () => {
    await e?.close();
  });

  const secretIsHidden = async () =>
    expect(await outcome(e.run('SELECT A FROM VAULT.PUBLIC.SECRET', MALLORY_TEAM))).toEqual({
      code: '002003',
      message: "SQL compilation error: Object 'VAULT.PUBLIC.SECRET' does not exist or not authorized.",
    });

  it('refuses granting ACCOUNTADMIN to a role ACCOUNTADMIN already inherits, even with MANAGE GRANTS, and nothing changes', async () => {
    const before = await e.run('SHOW GRANTS TO ROLE TEAM');
    expect(await outcome(e.run('GRANT ROLE ACCOUNTADMIN TO ROLE TEAM', MALLORY_DELEGATE))).toEqual(cycle('ACCOUNTADMIN', 'TEAM', "'ACCOUNTADMIN' already inherits 'TEAM'"));
    expect(await outcome(e.run('GRANT ROLE SYSADMIN TO ROLE SUBTEAM', MALLORY_DELEGATE))).toEqual(cycle('SYSADMIN', 'SUBTEAM', "'SYSADMIN' already inherits 'SUBTEAM'"));
    expect((await e.run('SHOW GRANTS TO ROLE TEAM')).rows).toEqual(before.rows);
    await secretIsHidden();
  });

  it('refuses granting a role to itself', async () => {
    expect(await outcome(e.run('GRANT ROLE TEAM TO ROLE TEAM', MALLORY_TEAM))).toEqual(cycle('TEAM', 'TEAM', 'a role cannot be granted to itself'));
  });

  it("refuses the owner of a role granting it a role it does not own (003001), so it cannot pull SYSADMIN's privileges down", async () => {
    expect(await outcome(e.run('GRANT ROLE SYSADMIN TO ROLE SUBTEAM', MALLORY_TEAM))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on role 'SYSADMIN'",
    });
    await secretIsHidden();
  });

  it('refuses activating a role the user was never granted, also one that merely inherits a role the user holds', async () => {
    for (const role of ['SYSADMIN', 'ACCOUNTADMIN']) {
      expect(await outcome(e.run(`USE ROLE ${role}`, MALLORY_TEAM))).toEqual({
        code: '003013',
        message: `SQL access control error: Requested role '${role}' is not assigned to the executing user.  Specify another role to activate.`,
      });
      expect(await outcome(e.run('SELECT 1', { user: 'MALLORY', role }))).toEqual({
        code: '003013',
        message: `SQL access control error: Requested role '${role}' is not assigned to the executing user.  Specify another role to activate.`,
      });
    }
    // What TEAM inherits is Mallory's to use: SUBTEAM.
    expect((await e.run("USE ROLE SUBTEAM; SHOW ROLES LIKE 'SUBTEAM'", MALLORY_TEAM)).rows.map((r) => [r[1], r[2]])).toEqual([['SUBTEAM', 'Y']]);
  });

  it('keeps the system hierarchy: even ACCOUNTADMIN cannot revoke SYSADMIN from it', async () => {
    expect(await outcome(e.run('REVOKE ROLE SYSADMIN FROM ROLE ACCOUNTADMIN'))).toEqual({
      code: '390201',
      message: 'Revoking the system role SYSADMIN from ACCOUNTADMIN is not supported',
    });
    expect((await e.run('SELECT COUNT(*) FROM VAULT.PUBLIC.SECRET')).rows).toEqual([['1']]);
  });
});
