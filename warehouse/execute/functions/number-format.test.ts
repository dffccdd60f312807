import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import { compileNumberFormat, formatFloat, formatScaled } from './number-format.js';

/** A decimal literal's text printed with a format, exactly (as TO_CHAR of a NUMBER). */
function num(text: string, format: string): string {
  const [i, f = ''] = text.split('.');
  return formatScaled(compileNumberFormat(format), BigInt(i + f), f.length);
}

describe('numeric format models', () => {
  it('reserves a sign position and blanks leading 9 positions', () => {
    expect(num('123.45', '999.99')).toBe(' 123.45');
    expect(num('-123.45', '999.99')).toBe('-123.45');
    expect(num('5', '999')).toBe('   5');
    expect(num('-5', '999')).toBe('  -5');
    expect(num('0', '999')).toBe('   0');
    expect(num('0.5', '9.99')).toBe('  .50');
    expect(num('-0.5', '9.99')).toBe(' -.50');
  });

  it('prints leading zeros from the leftmost 0 on, and rounds half away from zero', () => {
    expect(num('0.5', '0.99')).toBe(' 0.50');
    expect(num('42', '0000')).toBe(' 0042');
    expect(num('42', '9099')).toBe('  042');
    expect(num('1.005', '9.99')).toBe(' 1.01');
    expect(num('-1.005', '9.99')).toBe('-1.01');
    expect(num('9.995', '9.99')).toBe('#####');
  });

  it('prints group separators only after a digit', () => {
    expect(num('1234567.891', '9,999,999.99')).toBe(' 1,234,567.89');
    expect(num('1234.5', '9,999,999.99')).toBe('     1,234.50');
    expect(num('-1234.5', '9G999D99')).toBe('-1,234.50');
  });

  it('floats $ and the sign to the first digit; S and MI place the sign explicitly', () => {
    expect(num('-12.391', '$99.0')).toBe('-$12.4');
    expect(num('3', '$99.0')).toBe('  $3.0');
    expect(num('-12.391', '">"$99.0"<"')).toBe('>-$12.4<');
    expect(num('12.391', 'S99.0')).toBe('+12.4');
    expect(num('-2.391', 'S99.0')).toBe(' -2.4');
    expect(num('12', '99S')).toBe('12+');
    expect(num('-123.45', '999.99MI')).toBe('123.45-');
    expect(num('123.45', '999.99MI')).toBe('123.45 ');
  });

  it('FM removes padding and trailing zeros in 9 positions', () => {
    expect(num('12.5', 'FM999.99')).toBe('12.5');
    expect(num('-12.5', 'FM999.00')).toBe('-12.50');
    expect(num('1234.5', 'FM9,999,999.99')).toBe('1,234.5');
    expect(num('123.45', 'FM999.99MI')).toBe('123.45');
    expect(num('7', 'FM0000')).toBe('0007');
  });

  it('prints # in every position when the integer part does not fit', () => {
    expect(num('1234', '99')).toBe('###');
    expect(num('-1234', '99.9MI')).toBe('#####');
    expect(num('100', '"x"99')).toBe('#x##');
  });

  it('prints FLOATs, NaN and infinity as overflow', () => {
    const f = compileNumberFormat('999.99');
    expect(formatFloat(f, 2.5)).toBe('   2.50');
    expect(formatFloat(f, -0.125)).toBe('   -.13');
    expect(formatFloat(f, 0)).toBe('   0.00');
    expect(formatFloat(compileNumberFormat('9'), 2.5)).toBe(' 3');
    expect(formatFloat(f, NaN)).toBe('#######');
    expect(formatFloat(f, Infinity)).toBe('#######');
  });

  it('names unsupported elements in a NOT_SUPPORTED error', () => {
    expect(() => compileNumberFormat('XXXX')).toThrow(NotSupportedError);
    expect(() => compileNumberFormat('9.99EEEE')).toThrow(/The number format element 'EEEE'/);
  });
});
