import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { one, syntaxErrorAt } from './front-test-kit.js';

describe('UNDROP', () => {
  it.each<[string, Statement]>([
    ['UNDROP TABLE t', { kind: 'undrop', objectType: 'TABLE', name: { parts: ['T'] } }],
    ['undrop table d.s."t"', { kind: 'undrop', objectType: 'TABLE', name: { parts: ['D', 'S', 't'] } }],
    ['UNDROP SCHEMA d.s', { kind: 'undrop', objectType: 'SCHEMA', name: { parts: ['D', 'S'] } }],
    ['UNDROP DATABASE d', { kind: 'undrop', objectType: 'DATABASE', name: { parts: ['D'] } }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['UNDROP', '<EOF>@1:7'],
    ['UNDROP t', 't@1:8'],
    ['UNDROP TABLE', '<EOF>@1:13'],
    ['UNDROP TABLE t u', 'u@1:16'],
    ['UNDROP DATABASE d.s', '.@1:18'],
    ['UNDROP SCHEMA d.s.t', '.@1:18'],
    ['UNDROP WAREHOUSE w', 'WAREHOUSE@1:8'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it.each([
    ['UNDROP DYNAMIC TABLE t', /^UNDROP DYNAMIC is not supported$/],
    ['UNDROP TAG g', /UNDROP TAG/],
    ["UNDROP TABLE IDENTIFIER('\"abc\"')", /IDENTIFIER/],
  ])('%s is NotSupportedError', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(NotSupportedError);
    expect(() => parseSql(sql)).toThrow(message);
  });
});
