import { describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { one, syntaxErrorAt } from './front-test-kit.js';

describe('user statements', () => {
  it.each<[string, Statement]>([
    ['CREATE USER bob', { kind: 'create_user', name: 'BOB', ifNotExists: false, orReplace: false, properties: {} }],
    [
      "create user if not exists \"Bob\" password = 'p w' default_role = sysadmin default_warehouse = 'wh' default_namespace = sales.q1 disabled = true comment = 'c'",
      {
        kind: 'create_user', name: 'Bob', ifNotExists: true, orReplace: false,
        properties: { password: 'p w', defaultRole: 'SYSADMIN', defaultWarehouse: 'WH', defaultNamespace: ['SALES', 'Q1'], disabled: true, comment: 'c' },
      },
    ],
    [
      "CREATE OR REPLACE USER u PASSWORD='x', DEFAULT_ROLE='\"Mixed\"', DEFAULT_NAMESPACE='db', DISABLED='false'",
      { kind: 'create_user', name: 'U', ifNotExists: false, orReplace: true, properties: { password: 'x', defaultRole: 'Mixed', defaultNamespace: ['DB'], disabled: false } },
    ],
    ["ALTER USER u SET PASSWORD = 'new'", { kind: 'alter_user', name: 'U', ifExists: false, action: { kind: 'set', properties: { password: 'new' } } }],
    [
      'ALTER USER IF EXISTS u UNSET DEFAULT_ROLE, COMMENT, DISABLED, PASSWORD',
      { kind: 'alter_user', name: 'U', ifExists: true, action: { kind: 'set', properties: { defaultRole: null, comment: null, disabled: false, password: null } } },
    ],
    [
      "ALTER USER u ADD PROGRAMMATIC ACCESS TOKEN t1 ROLE_RESTRICTION = 'analyst' DAYS_TO_EXPIRY = 30 COMMENT = 'ci'",
      { kind: 'alter_user', name: 'U', ifExists: false, action: { kind: 'add_token', token: 'T1', ifNotExists: false, roleRestriction: 'ANALYST', daysToExpiry: 30, comment: 'ci' } },
    ],
    [
      'ALTER USER ADD PAT IF NOT EXISTS mine',
      { kind: 'alter_user', name: null, ifExists: false, action: { kind: 'add_token', token: 'MINE', ifNotExists: true, roleRestriction: null, daysToExpiry: null, comment: null } },
    ],
    ['ALTER USER add ADD PAT t', { kind: 'alter_user', name: 'ADD', ifExists: false, action: { kind: 'add_token', token: 'T', ifNotExists: false, roleRestriction: null, daysToExpiry: null, comment: null } }],
    ['ALTER USER u REMOVE PROGRAMMATIC ACCESS TOKEN t1', { kind: 'alter_user', name: 'U', ifExists: false, action: { kind: 'remove_token', token: 'T1' } }],
    ['ALTER USER REMOVE PAT t1', { kind: 'alter_user', name: null, ifExists: false, action: { kind: 'remove_token', token: 'T1' } }],
    ['DROP USER bob', { kind: 'drop_user', name: 'BOB', ifExists: false }],
    ['drop user if exists "x"', { kind: 'drop_user', name: 'x', ifExists: true }],
    ['SHOW USERS', { kind: 'show_users', like: null }],
    ["SHOW USERS LIKE 'a%'", { kind: 'show_users', like: 'a%' }],
    ['SHOW USER PROGRAMMATIC ACCESS TOKENS', { kind: 'show_user_tokens', user: null }],
    ['SHOW USER PATS FOR USER bob', { kind: 'show_user_tokens', user: 'BOB' }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['CREATE USER', '<EOF>@1:12'],
    ['CREATE USER u PASSWORD', '<EOF>@1:23'],
    ['CREATE USER u PASSWORD = secret', 'secret@1:26'],
    ['CREATE USER u.v', '.@1:14'],
    ['ALTER USER u SET', '<EOF>@1:17'],
    ['ALTER USER u ADD PAT', '<EOF>@1:21'],
    ['ALTER USER u ADD PAT t DAYS_TO_EXPIRY = -1', '-@1:41'],
    ['ALTER USER u ADD PAT t DAYS_TO_EXPIRY = 1.5', '1.5@1:41'],
    ['DROP USER', '<EOF>@1:10'],
    ['DROP USER a b', 'b@1:13'],
    ['SHOW USER', '<EOF>@1:10'],
    ['SHOW USER PATS FOR bob', 'bob@1:20'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it.each([
    ['CREATE USER u EMAIL = \'a@b\'', NotSupportedError, /^User property EMAIL is not supported$/],
    ['ALTER USER u UNSET MINS_TO_UNLOCK', NotSupportedError, /^User property MINS_TO_UNLOCK is not supported$/],
    ['ALTER USER u ROTATE PAT t', NotSupportedError, /ROTATE PROGRAMMATIC ACCESS TOKEN is not supported/],
    ['ALTER USER u RENAME TO v', NotSupportedError, /^ALTER USER \.\.\. RENAME is not supported$/],
    ['ALTER USER u ADD PAT t MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 5', NotSupportedError, /MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT/],
    ['SHOW USERS LIMIT 5', NotSupportedError, /LIMIT/],
    ['DESCRIBE USER u', NotSupportedError, /^DESCRIBE USER is not supported$/],
    ['CREATE USER u COLOUR = 1', CompilationError, /^SQL compilation error: invalid property 'COLOUR' for 'USER'$/],
    ['CREATE USER u DISABLED = maybe', CompilationError, /^SQL compilation error: invalid value for property 'DISABLED'$/],
    ["CREATE USER u DEFAULT_NAMESPACE = 'a.b.c'", CompilationError, /DEFAULT_NAMESPACE/],
    ['ALTER USER u ADD PAT t LIFETIME = 5', CompilationError, /invalid property 'LIFETIME' for 'PROGRAMMATIC ACCESS TOKEN'/],
    ['CREATE OR REPLACE USER IF NOT EXISTS u', CompilationError, /OR REPLACE and IF NOT EXISTS are incompatible/],
  ])('%s is refused', (sql, cls, message) => {
    expect(() => parseSql(sql)).toThrow(cls);
    expect(() => parseSql(sql)).toThrow(message);
  });
});
