import { describe, expect, it } from 'vitest';
import type { Column } from '../types/schema.js';
import type { Batch, Vector } from '../types/vector.js';
import { utf8DictVector } from '../arrow/utf8-dict.js';
import { encodeUtf8Strings } from '../arrow/utf8-strings.js';
import { computeColumnZone, computeZoneMap, MAX_BOUND_LENGTH } from './compute-zone-map.js';

const n = (precision: number, scale: number) => ({ kind: 'NUMBER' as const, precision, scale });

describe('computeZoneMap', () => {
  it('gives exact bounds and NULL counts for every type', () => {
    const columns: Column[] = [
      { name: 'N', type: n(10, 2), nullable: true },
      { name: 'W', type: n(38, 0), nullable: true },
      { name: 'S', type: { kind: 'VARCHAR' }, nullable: true },
      { name: 'D', type: { kind: 'DATE' }, nullable: true },
      { name: 'T', type: { kind: 'TIMESTAMP_NTZ' }, nullable: true },
      { name: 'B', type: { kind: 'BOOLEAN' }, nullable: true },
      { name: 'F', type: { kind: 'FLOAT' }, nullable: true },
      { name: 'E', type: { kind: 'VARCHAR' }, nullable: true },
    ];
    const nulls = new Uint8Array([0, 0, 1, 0]);
    const batch: Batch = {
      length: 4,
      columns: [
        // the value under the NULL (-99999) must not count
        { kind: 'f64', length: 4, values: new Float64Array([-1250, 300, -99999, 0]), nulls },
        { kind: 'dec', length: 4, values: [-(10n ** 30n), 10n ** 37n, 10n ** 38n, 5n], nulls },
        // 'aa' and 'zz' are dict entries no row uses; 'Z' sorts before 'a' (UTF-16 order)
        { kind: 'str', length: 4, codes: new Int32Array([1, 2, 4, 3]), dict: ['aa', 'b', 'Z', 'é', 'zz'], nulls },
        { kind: 'i32', length: 4, values: new Int32Array([19000, -365, -100000, 0]), nulls },
        // nanoseconds decide between equal seconds; the row under the NULL (year 9999) must not count
        { kind: 'ts', length: 4, secs: new Float64Array([1_704_164_645, -1, 253_402_300_799, 1_704_164_645]), nanos: new Int32Array([123_456_789, 999_999_999, 0, 123_456_790]), nulls },
        { kind: 'bool', length: 4, values: new Uint8Array([1, 1, 0, 1]), nulls },
        { kind: 'f64', length: 4, values: new Float64Array([0.5, -2.25, -100, 1e300]), nulls },
        { kind: 'str', length: 4, codes: new Int32Array(4), dict: ['x'], nulls: new Uint8Array([1, 1, 1, 1]) },
      ],
    };
    const zm = computeZoneMap(columns, batch, 1234);
    expect(zm.rowCount).toBe(4);
    expect(zm.byteSize).toBe(1234);
    expect(zm.columns).toEqual({
      N: { min: '-1250', max: '300', nullCount: 1, exact: true },
      W: { min: '-1000000000000000000000000000000', max: '10000000000000000000000000000000000000', nullCount: 1, exact: true },
      S: { min: 'Z', max: 'é', nullCount: 1, exact: true },
      D: { min: -365, max: 19000, nullCount: 1, exact: true },
      T: { min: '-1', max: '1704164645123456790', nullCount: 1, exact: true },
      B: { min: true, max: true, nullCount: 1, exact: true },
      F: { min: -2.25, max: 1e300, nullCount: 1, exact: true },
      E: { min: null, max: null, nullCount: 4, exact: true },
    });
    expect(JSON.parse(JSON.stringify(zm))).toEqual(zm);
  });

  it('handles vectors without a NULL mask and booleans of both values', () => {
    const z = computeColumnZone({ kind: 'bool', length: 3, values: new Uint8Array([0, 1, 0]), nulls: null }, { kind: 'BOOLEAN' });
    expect(z).toEqual({ min: false, max: true, nullCount: 0, exact: true });
    const f = computeColumnZone({ kind: 'f64', length: 2, values: new Float64Array([-0, 7]), nulls: null }, n(5, 0));
    expect(f).toEqual({ min: '0', max: '7', nullCount: 0, exact: true });
  });

  it('bounds a string column by the dict entries its rows use, not the whole dict it shares', () => {
    const dict = ['a', 'zz', 'm', 'k', 'b', 'q', 'y'];
    // Rows use entries 2..4 (entry 3 only under a NULL); 'a', 'zz' and 'y' belong to other rows of the batch.
    const codes = new Int32Array([2, 4, 3, 2]);
    const z = computeColumnZone({ kind: 'str', length: 4, codes, dict, nulls: new Uint8Array([0, 0, 1, 0]) }, { kind: 'VARCHAR' });
    expect(z).toEqual({ min: 'b', max: 'm', nullCount: 1, exact: true });
    const all = computeColumnZone({ kind: 'str', length: 2, codes: new Int32Array([6, 5]), dict, nulls: null }, { kind: 'VARCHAR' });
    expect(all).toEqual({ min: 'q', max: 'y', nullCount: 0, exact: true });
  });

  it('treats NaN as the largest FLOAT, as Snowflake orders it', () => {
    const z = computeColumnZone({ kind: 'f64', length: 3, values: new Float64Array([1, NaN, -Infinity]), nulls: null }, { kind: 'FLOAT' });
    expect(z.min).toBe(-Infinity);
    expect(z.max).toBeNaN();
  });

  it('truncates long string bounds and marks them inexact, still bounding the data', () => {
    const long = 'm'.repeat(MAX_BOUND_LENGTH + 50);
    const longer = 'n'.repeat(MAX_BOUND_LENGTH) + '\uffff'.repeat(3);
    const z = computeColumnZone({ kind: 'str', length: 2, codes: new Int32Array([0, 1]), dict: [long, longer], nulls: null }, { kind: 'VARCHAR' });
    expect(z.exact).toBe(false);
    expect((z.min as string).length).toBeLessThanOrEqual(MAX_BOUND_LENGTH);
    expect((z.max as string).length).toBeLessThanOrEqual(MAX_BOUND_LENGTH);
    expect((z.min as string) <= long).toBe(true);
    expect((z.max as string) >= longer).toBe(true);
  });

  it('bounds a string column held as UTF-8 exactly as the same strings: JS order, NULLs, long and astral values', () => {
    const alphabet = ['a', 'é', '\uE000', '\uFFFF', '😀', '\u{10FFFF}', 'z', ' '];
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + rand(40);
      const strings = Array.from({ length: n }, () => {
        const len = rand(9) === 0 ? MAX_BOUND_LENGTH + rand(40) - 20 : rand(6);
        return Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join('');
      });
      const nulls = trial % 3 === 0 ? Uint8Array.from(strings, () => (rand(3) === 0 ? 1 : 0)) : null;
      // Rows use a shuffled subset of the entries, as a slice of a bigger batch does.
      const codes = Int32Array.from({ length: n }, () => rand(n));
      const held = utf8DictVector(n, codes, nulls, encodeUtf8Strings(strings));
      const plain: Vector = { kind: 'str', length: n, codes, dict: strings, nulls };
      expect(computeColumnZone(held, { kind: 'VARCHAR' })).toEqual(computeColumnZone(plain, { kind: 'VARCHAR' }));
    }
    const pair = utf8DictVector(2, new Int32Array([0, 1]), null, encodeUtf8Strings(['\uE000', '😀']));
    expect(computeColumnZone(pair, { kind: 'VARCHAR' })).toEqual({ min: '😀', max: '\uE000', nullCount: 0, exact: true });
  });
});
