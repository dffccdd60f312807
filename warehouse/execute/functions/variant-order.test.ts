import { describe, expect, it } from 'vitest';
import { compareCodePoints, compareVariant } from './variant-order.js';

const sign = (x: number) => Math.sign(x);

describe('variant order', () => {
  it('compares NUMBERs exactly from their text, past what a double holds', () => {
    expect(sign(compareVariant('12345678901234567890123456789012345678', '12345678901234567890123456789012345677'))).toBe(1);
    expect(sign(compareVariant('0.30000000000000000001', '0.3'))).toBe(1);
    expect(compareVariant('1.50', '1.5')).toBe(0);
    expect(sign(compareVariant('-2.50', '-2.4'))).toBe(-1);
    expect(sign(compareVariant('-10', '9'))).toBe(-1);
    expect(sign(compareVariant('-0.5', '-0.25'))).toBe(-1);
  });

  it('compares with a DOUBLE as doubles, NaN above every number', () => {
    expect(compareVariant('1.000000000000000e+01', '10')).toBe(0);
    expect(sign(compareVariant('10.5', '1.000000000000000e+01'))).toBe(1);
    expect(sign(compareVariant('NaN', 'Infinity'))).toBe(1);
    expect(sign(compareVariant('-Infinity', '-99'))).toBe(-1);
    expect(compareVariant('NaN', 'NaN')).toBe(0);
  });

  it('orders kinds: numbers, strings, booleans, arrays, objects, JSON null', () => {
    const sorted = ['null', '{"a":1}', '[1]', 'true', 'false', '"b"', '"a"', '3', '-1'].sort(compareVariant);
    expect(sorted).toEqual(['-1', '3', '"a"', '"b"', 'false', 'true', '[1]', '{"a":1}', 'null']);
  });

  it('compares strings by code point, arrays element-wise and objects by key then value', () => {
    expect(sign(compareCodePoints('\u{1F600}', '\uFFFF'))).toBe(1);
    expect(sign(compareVariant('"Zebra"', '"apple"'))).toBe(-1);
    expect(sign(compareVariant('"a\\"b"', '"a"'))).toBe(1);
    expect(sign(compareVariant('[1,2]', '[1,2,0]'))).toBe(-1);
    expect(sign(compareVariant('[2]', '[1,9]'))).toBe(1);
    expect(sign(compareVariant('[1,undefined]', '[1,"z"]'))).toBe(1);
    expect(sign(compareVariant('{"a":2}', '{"b":1}'))).toBe(-1);
    expect(sign(compareVariant('{"a":1,"b":2}', '{"a":1,"b":1}'))).toBe(1);
  });
});
