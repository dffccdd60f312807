import { describe, expect, it } from 'vitest';
import { canonicalJson } from './variant-json.js';
import { variantOrderKey } from './variant-order-key.js';

const key = (json: string) => variantOrderKey(canonicalJson(json)!);
const sorted = (texts: string[]) => [...texts].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

describe('variantOrderKey', () => {
  it('orders numbers numerically across INTEGER, DECIMAL and DOUBLE, with -Infinity lowest and NaN highest', () => {
    const numbers = ['10', '9', '-1.5', '1e2', '0.05', '-0.51', '-0.5', '0', '-0.0', '1.50', '1.5', '123456789012345678901234567890123456', '-1e300', '1e-300', '2.5e-1'];
    expect(sorted(numbers)).toEqual(['-1e300', '-1.5', '-0.51', '-0.5', '0', '-0.0', '1e-300', '0.05', '2.5e-1', '1.50', '1.5', '9', '10', '1e2', '123456789012345678901234567890123456']);
    expect(key('1.5')).toBe(key('1.50'));
    expect(key('1.5')).toBe(key('15e-1'));
    expect(key('0')).toBe(key('-0.00'));
    expect(variantOrderKey('-Infinity') < key('-1e300')).toBe(true);
    expect(variantOrderKey('Infinity') > key('1e300')).toBe(true);
    expect(variantOrderKey('NaN') > variantOrderKey('Infinity')).toBe(true);
  });

  it('orders strings by character (a prefix first, NUL and U+0001 in place), booleans FALSE first', () => {
    expect(sorted(['"b"', '"a"', '"ab"', '""', '"a\\u0000"', '"a\\u0001"', '"B"'])).toEqual(['""', '"B"', '"a"', '"a\\u0000"', '"a\\u0001"', '"ab"', '"b"']);
    expect(sorted(['true', 'false'])).toEqual(['false', 'true']);
  });

  it('orders arrays element by element, the shorter first; objects by sorted keys, then values, then fewer keys', () => {
    expect(sorted(['[1,3]', '[1,2]', '[1]', '[]', '[2]', '[1,2,0]', '["a"]'])).toEqual(['[]', '[1]', '[1,2]', '[1,2,0]', '[1,3]', '[2]', '["a"]']);
    expect(sorted(['{"x":1}', '{"a":0}', '{"x":1,"y":0}', '{}', '{"x":0}', '{"":5}'])).toEqual(['{}', '{"":5}', '{"a":0}', '{"x":0}', '{"x":1}', '{"x":1,"y":0}']);
    expect(key('{"b":1,"a":2}')).toBe(key('{"a":2,"b":1}'));
    expect(sorted(['[[1],2]', '[[1,0]]', '[[1]]'])).toEqual(['[[1]]', '[[1],2]', '[[1,0]]']);
  });

  it('orders the kinds numbers < strings < booleans < arrays < objects < JSON null < undefined', () => {
    expect(sorted(['null', '{}', '[]', 'true', '"s"', '5'])).toEqual(['5', '"s"', 'true', '[]', '{}', 'null']);
    expect(variantOrderKey('undefined') > key('null')).toBe(true);
    expect(variantOrderKey('[undefined]') > key('[null]')).toBe(true);
  });
});
