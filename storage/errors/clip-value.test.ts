import { describe, expect, it } from 'vitest';
import { clipValue } from './clip-value.js';
import { DataError, MAX_MESSAGE_CHARS, fromPlain } from './firn-error.js';

describe('clipValue', () => {
  it('keeps values up to 100 characters and cuts longer ones to 100 followed by …', () => {
    expect(clipValue('')).toBe('');
    expect(clipValue('x'.repeat(100))).toBe('x'.repeat(100));
    expect(clipValue('x'.repeat(101))).toBe(`${'x'.repeat(100)}…`);
    expect(clipValue('y'.repeat(10_000_000))).toBe(`${'y'.repeat(100)}…`);
  });

  it('never splits a surrogate pair', () => {
    const v = `${'x'.repeat(99)}😀tail`;
    expect(clipValue(v)).toBe(`${'x'.repeat(99)}…`);
  });
});

describe('FirnError message bound (the safety net)', () => {
  it('cuts any message past MAX_MESSAGE_CHARS, also when rebuilt from plain data', () => {
    const long = `Numeric value '${'z'.repeat(5_000_000)}' is not recognized`;
    const e = new DataError('NUMERIC_NOT_RECOGNIZED', long);
    expect(e.message).toBe(`${long.slice(0, MAX_MESSAGE_CHARS)}…`);
    const back = fromPlain({ name: 'DataError', codeName: 'NUMERIC_NOT_RECOGNIZED', message: long });
    expect(back.message).toBe(`${long.slice(0, MAX_MESSAGE_CHARS)}…`);
    expect(new DataError('NUMERIC_NOT_RECOGNIZED', 'short').message).toBe('short');
  });
});
