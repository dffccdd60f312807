import { describe, expect, it } from 'vitest';
import { AuthenticationError, DataError, FirnError, InsufficientPrivilegesError, NotSupportedError, SqlSyntaxError, asFirnError, fromPlain } from './firn-error.js';

describe('FirnError', () => {
  it('carries a stable code and SQLSTATE', () => {
    const e = new DataError('DIVISION_BY_ZERO', 'Division by zero');
    expect(e.code).toBe('100051');
    expect(e.sqlState).toBe('22012');
  });

  it('rebuilds the same class from plain data', () => {
    for (const original of [
      new DataError('NUMERIC_NOT_RECOGNIZED', "Numeric value 'x' is not recognized"),
      new SqlSyntaxError("unexpected 'FORM'", { line: 1, column: 9 }),
      new NotSupportedError('LATERAL'),
      new InsufficientPrivilegesError("SQL access control error: Insufficient privileges to operate on table 'T'"),
      new AuthenticationError('USER_LOCKED', 'locked', 900),
    ]) {
      const plain = structuredClone(original.toPlain());
      const rebuilt = fromPlain(plain);
      expect(rebuilt).toBeInstanceOf(original.constructor);
      expect(rebuilt).toBeInstanceOf(FirnError);
      expect(rebuilt.message).toBe(original.message);
      expect(rebuilt.code).toBe(original.code);
      expect(rebuilt.sqlState).toBe(original.sqlState);
    }
  });

  it("carries Snowflake's 003001 / 42501 for insufficient privileges", () => {
    const e = new InsufficientPrivilegesError("SQL access control error: Insufficient privileges to operate on table 'T'");
    expect([e.code, e.sqlState, e.codeName]).toEqual(['003001', '42501', 'INSUFFICIENT_PRIVILEGES']);
  });

  it('wraps unknown throwables as internal errors', () => {
    const e = asFirnError(new TypeError('boom'));
    expect(e.sqlState).toBe('XX000');
    expect(e.message).toContain('boom');
  });
});
