import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { one, syntaxErrorAt } from './front-test-kit.js';

describe('SHOW TABLES HISTORY and SHOW VERSIONS', () => {
  it.each<[string, Statement]>([
    ['SHOW TABLES HISTORY', { kind: 'show', objectType: 'TABLES', in: null, like: null, history: true }],
    ["show tables history like 'T%' in schema d.s", { kind: 'show', objectType: 'TABLES', in: { parts: ['D', 'S'] }, like: 'T%', history: true }],
    ['SHOW TABLES HISTORY IN s', { kind: 'show', objectType: 'TABLES', in: { parts: ['S'] }, like: null, history: true }],
    ['SHOW TABLES', { kind: 'show', objectType: 'TABLES', in: null, like: null, history: false }],
    ['SHOW VERSIONS IN TABLE t', { kind: 'show_versions', table: { parts: ['T'] } }],
    ['show versions in table d.s."t"', { kind: 'show_versions', table: { parts: ['D', 'S', 't'] } }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ["SHOW TABLES LIKE 'x' HISTORY", 'HISTORY@1:22'],
    ['SHOW TABLES HISTORY HISTORY', 'HISTORY@1:21'],
    ['SHOW VERSIONS', '<EOF>@1:14'],
    ['SHOW VERSIONS t', 't@1:15'],
    ['SHOW VERSIONS IN t', 't@1:18'],
    ['SHOW VERSIONS IN TABLE', '<EOF>@1:23'],
    ["SHOW VERSIONS IN TABLE t LIKE 'x'", 'LIKE@1:26'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it.each([
    ['SHOW DATABASES HISTORY', /^SHOW DATABASES HISTORY is not supported$/],
    ['SHOW SCHEMAS HISTORY', /^SHOW SCHEMAS HISTORY is not supported$/],
    ['SHOW TABLES HISTORY IN DATABASE d', /SHOW TABLES IN DATABASE/],
  ])('%s is NotSupportedError', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(NotSupportedError);
    expect(() => parseSql(sql)).toThrow(message);
  });
});

describe('SHOW COLUMNS', () => {
  it.each<[string, Statement]>([
    ['SHOW COLUMNS', { kind: 'show_columns', like: null, scope: { kind: 'CURRENT' } }],
    ["show columns like 'a%' in table d.s.t", { kind: 'show_columns', like: 'a%', scope: { kind: 'TABLE', name: { parts: ['D', 'S', 'T'] } } }],
    ['SHOW COLUMNS IN t', { kind: 'show_columns', like: null, scope: { kind: 'TABLE', name: { parts: ['T'] } } }],
    ['SHOW COLUMNS IN SCHEMA', { kind: 'show_columns', like: null, scope: { kind: 'SCHEMA', name: null } }],
    ['SHOW COLUMNS IN SCHEMA d.s', { kind: 'show_columns', like: null, scope: { kind: 'SCHEMA', name: { parts: ['D', 'S'] } } }],
    ['SHOW COLUMNS IN DATABASE', { kind: 'show_columns', like: null, scope: { kind: 'DATABASE', name: null } }],
    ['SHOW COLUMNS IN DATABASE d', { kind: 'show_columns', like: null, scope: { kind: 'DATABASE', name: { parts: ['D'] } } }],
    ['SHOW COLUMNS IN ACCOUNT', { kind: 'show_columns', like: null, scope: { kind: 'ACCOUNT' } }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['SHOW COLUMNS LIKE x', 'x@1:19'],
    ['SHOW COLUMNS IN', '<EOF>@1:16'],
    ['SHOW COLUMNS IN DATABASE a.b', '.@1:27'],
    ['SHOW COLUMNS IN t x', 'x@1:19'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it('SHOW COLUMNS IN VIEW is NotSupportedError', () => {
    expect(() => parseSql('SHOW COLUMNS IN VIEW v')).toThrow(NotSupportedError);
  });
});
