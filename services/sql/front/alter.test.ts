import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { col, num, one, str, syntaxErrorAt } from './front-test-kit.js';

const T = { parts: ['T'] };

describe('ALTER TABLE', () => {
  it.each<[string, Statement]>([
    [
      'ALTER TABLE t ADD COLUMN c NUMBER(10,2)',
      { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'add_column', column: { name: 'C', type: { name: 'NUMBER', params: [10, 2] }, nullable: true }, default: null } },
    ],
    [
      "alter table if exists d.s.t add \"c\" varchar default 'x' not null",
      {
        kind: 'alter_table',
        name: { parts: ['D', 'S', 'T'] },
        ifExists: true,
        action: { kind: 'add_column', column: { name: 'c', type: { name: 'VARCHAR', params: [] }, nullable: false }, default: str('x') },
      },
    ],
    [
      'ALTER TABLE t ADD c INT NOT NULL DEFAULT -1',
      { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'add_column', column: { name: 'C', type: { name: 'INT', params: [] }, nullable: false }, default: { kind: 'unary', op: '-', expr: num('1') } } },
    ],
    [
      'ALTER TABLE t ADD c INT DEFAULT NULL NULL',
      { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'add_column', column: { name: 'C', type: { name: 'INT', params: [] }, nullable: true }, default: { kind: 'null' } } },
    ],
    [
      'ALTER TABLE t ADD c BOOLEAN DEFAULT 1 IS NOT NULL NOT NULL',
      {
        kind: 'alter_table',
        name: T,
        ifExists: false,
        action: { kind: 'add_column', column: { name: 'C', type: { name: 'BOOLEAN', params: [] }, nullable: false }, default: { kind: 'is_null', expr: num('1'), negated: true } },
      },
    ],
    [
      "ALTER TABLE t ADD COLUMN d DATE DEFAULT '2024-01-01'::DATE",
      {
        kind: 'alter_table',
        name: T,
        ifExists: false,
        action: { kind: 'add_column', column: { name: 'D', type: { name: 'DATE', params: [] }, nullable: true }, default: { kind: 'cast', expr: str('2024-01-01'), type: { name: 'DATE', params: [] }, try: false } },
      },
    ],
    ['ALTER TABLE t DROP COLUMN c', { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'drop_column', name: 'C' } }],
    ['ALTER TABLE t DROP "c"', { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'drop_column', name: 'c' } }],
    ['ALTER TABLE t RENAME COLUMN a TO "B"', { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'rename_column', from: 'A', to: 'B' } }],
    ['ALTER TABLE t RENAME TO s2.u', { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'rename', to: { parts: ['S2', 'U'] } } }],
    ['ALTER TABLE IF EXISTS t SWAP WITH u', { kind: 'alter_table', name: T, ifExists: true, action: { kind: 'swap', with: { parts: ['U'] } } }],
    ['ALTER TABLE t CLUSTER BY (day, "Key")', { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'cluster_by', keys: ['DAY', 'Key'] } }],
    ['ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 7', { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'set_retention', days: 7 } }],
    ['alter table t set data_retention_time_in_days=0', { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'set_retention', days: 0 } }],
    ['ALTER TABLE t UNSET DATA_RETENTION_TIME_IN_DAYS', { kind: 'alter_table', name: T, ifExists: false, action: { kind: 'set_retention', days: null } }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['ALTER TABLE', '<EOF>@1:12'],
    ['ALTER TABLE t', '<EOF>@1:14'],
    ['ALTER TABLE t ADD', '<EOF>@1:18'],
    ['ALTER TABLE t ADD COLUMN c', '<EOF>@1:27'],
    ['ALTER TABLE t ADD c INT DEFAULT', '<EOF>@1:32'],
    ['ALTER TABLE t ADD c INT DEFAULT NOT NULL', 'NOT@1:33'],
    ['ALTER TABLE t ADD c INT DEFAULT 1 DEFAULT 2', 'DEFAULT@1:35'],
    ['ALTER TABLE t ADD c INT NOT', '<EOF>@1:28'],
    ['ALTER TABLE t DROP COLUMN', '<EOF>@1:26'],
    ['ALTER TABLE t DROP COLUMN c d', 'd@1:29'],
    ['ALTER TABLE t RENAME COLUMN a b', 'b@1:31'],
    ['ALTER TABLE t RENAME u', 'u@1:22'],
    ['ALTER TABLE t SWAP u', 'u@1:20'],
    ['ALTER TABLE t CLUSTER (a)', '(@1:23'],
    ['ALTER TABLE t CLUSTER BY ()', ')@1:27'],
    ['ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS', '<EOF>@1:46'],
    ['ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = -1', '-@1:49'],
    ['ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = x', 'x@1:49'],
    ['ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 1 2', '2@1:51'],
    ['ALTER TABLE t SET', '<EOF>@1:18'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it.each([
    ['ALTER TABLE t ALTER COLUMN c SET NOT NULL', /^ALTER TABLE \.\.\. ALTER is not supported$/],
    ['ALTER TABLE t MODIFY COLUMN c INT', /MODIFY/],
    ['ALTER TABLE t DROP CLUSTERING KEY', /DROP CLUSTERING/],
    ['ALTER TABLE t ADD PRIMARY KEY (a)', /ADD PRIMARY/],
    ['ALTER TABLE t ADD COLUMN a INT, b INT', /several columns/],
    ['ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT', /IF NOT EXISTS/],
    ['ALTER TABLE t DROP COLUMN a, b', /several columns/],
    ['ALTER TABLE t DROP COLUMN IF EXISTS a', /IF EXISTS/],
    ["ALTER TABLE t ADD c INT COMMENT 'x'", /^Column option COMMENT is not supported$/],
    ['ALTER TABLE t ADD c INT DEFAULT 1 COLLATE \'en\'', /COLLATE/],
    ["ALTER TABLE t SET COMMENT = 'x'", /^ALTER TABLE \.\.\. SET COMMENT is not supported$/],
    ["ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 1 COMMENT = 'x'", /several properties/],
    ['ALTER TABLE t UNSET DATA_RETENTION_TIME_IN_DAYS, COMMENT', /several properties/],
    ['ALTER TABLE t SUSPEND RECLUSTER', /SUSPEND/],
  ])('%s is NotSupportedError', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(NotSupportedError);
    expect(() => parseSql(sql)).toThrow(message);
  });
});

describe('ALTER DATABASE | SCHEMA', () => {
  it.each<[string, Statement]>([
    ['ALTER DATABASE d SET DATA_RETENTION_TIME_IN_DAYS = 3', { kind: 'alter_container', objectType: 'DATABASE', name: { parts: ['D'] }, ifExists: false, action: { kind: 'set_retention', days: 3 } }],
    ['alter schema if exists d.s unset data_retention_time_in_days', { kind: 'alter_container', objectType: 'SCHEMA', name: { parts: ['D', 'S'] }, ifExists: true, action: { kind: 'set_retention', days: null } }],
    ['ALTER SCHEMA s SET DATA_RETENTION_TIME_IN_DAYS = 0', { kind: 'alter_container', objectType: 'SCHEMA', name: { parts: ['S'] }, ifExists: false, action: { kind: 'set_retention', days: 0 } }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['ALTER DATABASE d.s SET DATA_RETENTION_TIME_IN_DAYS = 1', '.@1:17'],
    ['ALTER SCHEMA d.s.x SET DATA_RETENTION_TIME_IN_DAYS = 1', '.@1:17'],
    ['ALTER DATABASE d', '<EOF>@1:17'],
    ['ALTER SCHEMA s SET DATA_RETENTION_TIME_IN_DAYS 1', '1@1:48'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it.each([
    ['ALTER DATABASE d RENAME TO e', /^ALTER DATABASE \.\.\. RENAME is not supported$/],
    ['ALTER SCHEMA s SWAP WITH t', /^ALTER SCHEMA \.\.\. SWAP is not supported$/],
    ['ALTER DATABASE d SET MAX_DATA_EXTENSION_TIME_IN_DAYS = 1', /MAX_DATA_EXTENSION_TIME_IN_DAYS/],
    ['ALTER WAREHOUSE w SET ENABLE_QUERY_ACCELERATION = TRUE', /^Warehouse property ENABLE_QUERY_ACCELERATION is not supported$/],
    ['ALTER ROLE r RENAME TO s', /^ALTER ROLE is not supported$/],
  ])('%s is NotSupportedError', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(NotSupportedError);
    expect(() => parseSql(sql)).toThrow(message);
  });
});

it('keeps a column named like a keyword usable after ADD', () => {
  expect(one('ALTER TABLE t ADD "NOT" INT')).toMatchObject({ action: { column: { name: 'NOT' } } });
  expect(one('ALTER TABLE t ADD c INT DEFAULT a')).toMatchObject({ action: { default: col('A') } });
});
