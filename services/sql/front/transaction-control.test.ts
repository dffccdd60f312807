import { describe, expect, it } from 'vitest';
import type { Statement } from '../ast.js';
import { one, syntaxErrorAt } from './front-test-kit.js';

describe('transaction control', () => {
  it.each<[string, Statement]>([
    ['BEGIN', { kind: 'begin', name: null }],
    ['begin work', { kind: 'begin', name: null }],
    ['BEGIN TRANSACTION', { kind: 'begin', name: null }],
    ['BEGIN TRANSACTION NAME t1', { kind: 'begin', name: 'T1' }],
    ['BEGIN NAME "load"', { kind: 'begin', name: 'load' }],
    ['START TRANSACTION', { kind: 'begin', name: null }],
    ['start transaction name x', { kind: 'begin', name: 'X' }],
    ['COMMIT', { kind: 'commit' }],
    ['COMMIT WORK', { kind: 'commit' }],
    ['ROLLBACK', { kind: 'rollback' }],
    ['rollback work', { kind: 'rollback' }],
    ['SHOW TRANSACTIONS', { kind: 'show_transactions', inAccount: false }],
    ['show transactions in account', { kind: 'show_transactions', inAccount: true }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['START', '<EOF>@1:6'],
    ['START WORK', 'WORK@1:7'],
    ['BEGIN TRANSACTION WORK', 'WORK@1:19'],
    ['BEGIN NAME', '<EOF>@1:11'],
    ['COMMIT TRANSACTION', 'TRANSACTION@1:8'],
    ['ROLLBACK WORK now', 'now@1:15'],
    ['SHOW TRANSACTIONS IN', '<EOF>@1:21'],
    ['SHOW TRANSACTIONS IN DATABASE d', 'DATABASE@1:22'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });
});
