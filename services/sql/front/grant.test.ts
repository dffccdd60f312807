import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { one, syntaxErrorAt } from './front-test-kit.js';

const grant = (privileges: string[] | null, on: Extract<Statement, { kind: 'grant_privileges' }>['on'], role: string, more: Partial<Extract<Statement, { kind: 'grant_privileges' }>> = {}): Statement => ({
  kind: 'grant_privileges',
  revoke: false,
  privileges,
  on,
  role,
  grantOption: false,
  currentGrants: null,
  ...more,
});
const name = (...parts: string[]) => ({ parts });

describe('GRANT and REVOKE of privileges', () => {
  it.each<[string, Statement]>([
    ['GRANT SELECT ON TABLE t TO ROLE r', grant(['SELECT'], { kind: 'TABLE', name: name('T') }, 'R')],
    ['grant select, insert on d.s.t to r', grant(['SELECT', 'INSERT'], { kind: 'TABLE', name: name('D', 'S', 'T') }, 'R')],
    ['GRANT USAGE ON DATABASE d TO ROLE r', grant(['USAGE'], { kind: 'DATABASE', name: name('D') }, 'R')],
    ['GRANT USAGE, CREATE TABLE, CREATE VIEW ON SCHEMA d.s TO ROLE r', grant(['USAGE', 'CREATE TABLE', 'CREATE VIEW'], { kind: 'SCHEMA', name: name('D', 'S') }, 'R')],
    ['GRANT OPERATE, MODIFY ON WAREHOUSE w TO ROLE r WITH GRANT OPTION', grant(['OPERATE', 'MODIFY'], { kind: 'WAREHOUSE', name: name('W') }, 'R', { grantOption: true })],
    ['GRANT CREATE DATABASE ON ACCOUNT TO ROLE r', grant(['CREATE DATABASE'], { kind: 'ACCOUNT' }, 'R')],
    ['GRANT ALL PRIVILEGES ON TABLE t TO ROLE r', grant(null, { kind: 'TABLE', name: name('T') }, 'R')],
    ['GRANT ALL ON SCHEMA s TO ROLE r', grant(null, { kind: 'SCHEMA', name: name('S') }, 'R')],
    ['GRANT SELECT ON ALL TABLES IN SCHEMA d.s TO ROLE r', grant(['SELECT'], { kind: 'ALL_TABLES', schema: name('D', 'S') }, 'R')],
    ['GRANT SELECT ON FUTURE TABLES IN SCHEMA s TO ROLE r', grant(['SELECT'], { kind: 'FUTURE_TABLES', schema: name('S') }, 'R')],
    ['GRANT OWNERSHIP ON TABLE t TO ROLE r REVOKE CURRENT GRANTS', grant(['OWNERSHIP'], { kind: 'TABLE', name: name('T') }, 'R', { currentGrants: 'REVOKE' })],
    ['GRANT OWNERSHIP ON ROLE a TO ROLE b', grant(['OWNERSHIP'], { kind: 'ROLE', name: 'A' }, 'B')],
    ['REVOKE SELECT ON TABLE t FROM ROLE r', grant(['SELECT'], { kind: 'TABLE', name: name('T') }, 'R', { revoke: true })],
    ['REVOKE GRANT OPTION FOR SELECT ON TABLE t FROM r RESTRICT', grant(['SELECT'], { kind: 'TABLE', name: name('T') }, 'R', { revoke: true, grantOption: true })],
    ['GRANT READ, WRITE ON STAGE d.s.st TO ROLE r', grant(['READ', 'WRITE'], { kind: 'STAGE', name: name('D', 'S', 'ST') }, 'R')],
    ['GRANT USAGE ON STAGE ext TO ROLE r', grant(['USAGE'], { kind: 'STAGE', name: name('EXT') }, 'R')],
    ['GRANT ALL ON STAGE st TO ROLE r', grant(null, { kind: 'STAGE', name: name('ST') }, 'R')],
    ['GRANT OWNERSHIP ON STAGE st TO ROLE r COPY CURRENT GRANTS', grant(['OWNERSHIP'], { kind: 'STAGE', name: name('ST') }, 'R', { currentGrants: 'COPY' })],
    ['GRANT USAGE ON FILE FORMAT s.f TO ROLE r', grant(['USAGE'], { kind: 'FILE_FORMAT', name: name('S', 'F') }, 'R')],
    ['REVOKE READ ON STAGE st FROM ROLE r', grant(['READ'], { kind: 'STAGE', name: name('ST') }, 'R', { revoke: true })],
    ['GRANT CREATE STAGE, CREATE FILE FORMAT ON SCHEMA d.s TO ROLE r', grant(['CREATE STAGE', 'CREATE FILE FORMAT'], { kind: 'SCHEMA', name: name('D', 'S') }, 'R')],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['GRANT SELECT ON DATABASE d TO ROLE r', /Invalid privilege SELECT on DATABASE/],
    ['GRANT USAGE ON TABLE t TO ROLE r', /Invalid privilege USAGE on TABLE/],
    ['GRANT OPERATE ON ALL TABLES IN SCHEMA s TO ROLE r', /Invalid privilege OPERATE on TABLE/],
    ['GRANT OWNERSHIP, SELECT ON TABLE t TO ROLE r', /OWNERSHIP cannot be granted together/],
    ['GRANT OWNERSHIP ON TABLE t TO ROLE r WITH GRANT OPTION', /OWNERSHIP cannot be granted WITH GRANT OPTION/],
    ['GRANT SELECT ON ROLE a TO ROLE b', /Invalid privilege SELECT on ROLE/],
    ['GRANT SELECT ON STAGE st TO ROLE r', /Invalid privilege SELECT on STAGE/],
    ['GRANT READ ON FILE FORMAT f TO ROLE r', /Invalid privilege READ on FILE_FORMAT/],
  ])('%s is refused', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(CompilationError);
    expect(() => parseSql(sql)).toThrow(message);
  });

  it.each([
    ['GRANT SELECT ON TABLE t', '<EOF>@1:24'],
    ['GRANT SELECT TO ROLE r', '<EOF>@1:23'],
    ['GRANT , ON t TO r', ',@1:7'],
    ['GRANT SELECT ON TABLE t TO ROLE r x', 'x@1:35'],
    ['GRANT SELECT ON TABLE t TO ROLE r COPY CURRENT GRANTS', 'COPY@1:35'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });
});

describe('roles', () => {
  it.each<[string, Statement]>([
    ['CREATE ROLE r', { kind: 'create_role', name: 'R', ifNotExists: false, orReplace: false, comment: null }],
    ["CREATE OR REPLACE ROLE \"r\" COMMENT = 'readers'", { kind: 'create_role', name: 'r', ifNotExists: false, orReplace: true, comment: 'readers' }],
    ['CREATE ROLE IF NOT EXISTS r', { kind: 'create_role', name: 'R', ifNotExists: true, orReplace: false, comment: null }],
    ['DROP ROLE IF EXISTS r', { kind: 'drop_role', name: 'R', ifExists: true }],
    ['GRANT ROLE a TO ROLE b', { kind: 'grant_role', revoke: false, role: 'A', grantee: { kind: 'ROLE', name: 'B' } }],
    ['GRANT ROLE a TO USER alice', { kind: 'grant_role', revoke: false, role: 'A', grantee: { kind: 'USER', name: 'ALICE' } }],
    ['REVOKE ROLE a FROM USER alice', { kind: 'grant_role', revoke: true, role: 'A', grantee: { kind: 'USER', name: 'ALICE' } }],
    ['USE ROLE sysadmin', { kind: 'use_role', name: 'SYSADMIN' }],
    ['SHOW ROLES', { kind: 'show_roles', like: null }],
    ["SHOW ROLES LIKE 'A%'", { kind: 'show_roles', like: 'A%' }],
    ['SHOW GRANTS', { kind: 'show_grants', of: { kind: 'CURRENT_USER' } }],
    ['SHOW GRANTS TO ROLE r', { kind: 'show_grants', of: { kind: 'TO_ROLE', role: 'R' } }],
    ['SHOW GRANTS TO USER u', { kind: 'show_grants', of: { kind: 'TO_USER', user: 'U' } }],
    ['SHOW GRANTS OF ROLE r', { kind: 'show_grants', of: { kind: 'OF_ROLE', role: 'R' } }],
    ['SHOW GRANTS ON TABLE d.s.t', { kind: 'show_grants', of: { kind: 'ON', target: { kind: 'TABLE', name: name('D', 'S', 'T') } } }],
    ['SHOW GRANTS ON ACCOUNT', { kind: 'show_grants', of: { kind: 'ON', target: { kind: 'ACCOUNT' } } }],
    ['SHOW GRANTS ON STAGE d.s.st', { kind: 'show_grants', of: { kind: 'ON', target: { kind: 'STAGE', name: name('D', 'S', 'ST') } } }],
    ['SHOW GRANTS ON FILE FORMAT f', { kind: 'show_grants', of: { kind: 'ON', target: { kind: 'FILE_FORMAT', name: name('F') } } }],
    ['SHOW FUTURE GRANTS IN SCHEMA d.s', { kind: 'show_future_grants', schema: name('D', 'S') }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['CREATE OR REPLACE ROLE IF NOT EXISTS r', /OR REPLACE and IF NOT EXISTS are incompatible/],
  ])('%s is refused', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(message);
  });

  it.each([
    ['GRANT ROLE a TO b', 'b@1:17'],
    ['DROP ROLE a b', 'b@1:13'],
    ['USE ROLE', '<EOF>@1:9'],
    ['SHOW GRANTS ON ALL TABLES IN SCHEMA s', 'ALL@1:16'],
    ['CREATE ROLE r COMMENT = 1', '1@1:25'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });
});
