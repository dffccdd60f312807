import { describe, expect, it } from 'vitest';
import { FirnError } from '../../storage/errors/firn-error.js';
import { bindStatement } from './statement-bindings.js';

function failure(f: () => unknown): { code: string; sqlState: string; message: string } {
  try {
    f();
  } catch (err) {
    if (err instanceof FirnError) return { code: err.code, sqlState: err.sqlState, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('bindStatement', () => {
  it('answers the text unchanged without bindings', () => {
    expect(bindStatement('SELECT ?', undefined)).toBe('SELECT ?');
    expect(bindStatement('SELECT ?', null)).toBe('SELECT ?');
    expect(bindStatement('SELECT ?', {})).toBe('SELECT ?');
  });

  it('binds ? in order and :n by position, with a literal per type', () => {
    const sql = bindStatement('SELECT ?, ?, ?, ?, ?, ?, ?, ?', {
      '1': { type: 'FIXED', value: '12345678901234567890.25' },
      '2': { type: 'REAL', value: '1.5' },
      '3': { type: 'TEXT', value: "it's a \\ path" },
      '4': { type: 'BOOLEAN', value: 'true' },
      '5': { type: 'DATE', value: '2024-02-29' },
      '6': { type: 'TIMESTAMP_NTZ', value: '2024-02-29 10:11:12.5' },
      '7': { type: 'TIME', value: '10:11:12' },
      '8': { type: 'text', value: null },
    });
    expect(sql).toBe(
      "SELECT 12345678901234567890.25, '1.5'::FLOAT, 'it''s a \\\\ path', TRUE, '2024-02-29'::DATE, '2024-02-29 10:11:12.5'::TIMESTAMP_NTZ, '10:11:12'::TIME, NULL",
    );
    expect(bindStatement('SELECT :2, :1, :2', { '1': { type: 'FIXED', value: '1' }, '2': { type: 'TEXT', value: 'b' } })).toBe("SELECT 'b', 1, 'b'");
  });

  it('reads integer DATE, TIMESTAMP_NTZ and TIME values as epoch milliseconds, epoch nanoseconds and nanoseconds of the day', () => {
    const sql = bindStatement('SELECT ?, ?, ?, ?', {
      '1': { type: 'DATE', value: '1709164800000' },
      '2': { type: 'DATE', value: '-86400000' },
      '3': { type: 'TIMESTAMP_NTZ', value: '1709201472123456789' },
      '4': { type: 'TIME', value: '36672000000001' },
    });
    expect(sql).toBe("SELECT '2024-02-29'::DATE, '1969-12-31'::DATE, '2024-02-29 10:11:12.123456789'::TIMESTAMP_NTZ, '10:11:12.000000001'::TIME");
  });

  it('parenthesizes negative numbers, so `a - ?` stays a subtraction', () => {
    expect(bindStatement('SELECT 1 - ?', { '1': { type: 'FIXED', value: '-5' } })).toBe('SELECT 1 - (-5)');
    expect(bindStatement('SELECT ?', { '1': { type: 'FIXED', value: '+7' } })).toBe('SELECT 7');
  });

  it('leaves placeholders inside literals, quoted identifiers and comments, and :: casts, alone', () => {
    const sql = bindStatement(`SELECT '?', "a?b", $$?$$, 'it''s ?', x::INT -- ?\n , /* :1 */ ? // ?`, { '1': { type: 'FIXED', value: '3' } });
    expect(sql).toBe(`SELECT '?', "a?b", $$?$$, 'it''s ?', x::INT -- ?\n , /* :1 */ 3 // ?`);
  });

  it('expands array bindings into one row per element after VALUES', () => {
    const sql = bindStatement('INSERT INTO t (a, b) VALUES (?, ?);', {
      '1': { type: 'FIXED', value: ['1', '2', null] },
      '2': { type: 'TEXT', value: ['x', 'y', 'z'] },
    });
    expect(sql).toBe("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (NULL, 'z')");
  });

  it('fails as Snowflake does for a missing binding, an unsupported type and mismatched batch sizes', () => {
    expect(failure(() => bindStatement('SELECT ?, ?', { '1': { type: 'FIXED', value: '1' } }))).toEqual({
      code: '002049',
      sqlState: '42601',
      message: 'SQL compilation error: Bind variable ? not set.',
    });
    expect(failure(() => bindStatement('SELECT :3', { '1': { type: 'FIXED', value: '1' } })).message).toBe('SQL compilation error: Bind variable :3 not set.');
    expect(failure(() => bindStatement('SELECT ?', { '1': { type: 'VARIANT', value: '{}' } }))).toMatchObject({ code: '002040', sqlState: '42601' });
    expect(failure(() => bindStatement('INSERT INTO t VALUES (?, ?)', { '1': { type: 'FIXED', value: ['1', '2'] }, '2': { type: 'FIXED', value: ['1'] } }))).toEqual({
      code: '002099',
      sqlState: '42601',
      message: 'SQL compilation error: Batch size of 1 for bind variable 2 not the same as previous size of 2.',
    });
    expect(failure(() => bindStatement('SELECT ? FROM t', { '1': { type: 'FIXED', value: ['1', '2'] } })).code).toBe('002040');
  });

  it('refuses values their type cannot hold, and malformed bindings', () => {
    expect(failure(() => bindStatement('SELECT ?', { '1': { type: 'FIXED', value: '1; DROP TABLE t' } }))).toMatchObject({ code: '100038', sqlState: '22018' });
    expect(failure(() => bindStatement('SELECT ?', { '1': { type: 'BOOLEAN', value: 'maybe' } }))).toMatchObject({ code: '100037', sqlState: '22018' });
    expect(failure(() => bindStatement('SELECT ?', { a: { type: 'FIXED', value: '1' } })).code).toBe('390401');
    expect(failure(() => bindStatement('SELECT ?', { '1': { value: '1' } })).code).toBe('390401');
    expect(failure(() => bindStatement('SELECT ?', [1])).code).toBe('390401');
    expect(failure(() => bindStatement('SELECT ?', { '1': { type: 'TEXT', value: { a: 1 } } })).code).toBe('390401');
  });
});
