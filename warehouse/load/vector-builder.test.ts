import { expect, test } from 'vitest';
import { VectorBuilder, builderKindOf } from './vector-builder.js';
import { Types } from '../../storage/types/data-type.js';

const none = new Uint8Array(0);

test('the builder kind follows the type layout', () => {
  expect([Types.boolean, Types.number(10, 2), Types.float, Types.timestampNtz, Types.date, Types.varchar].map(builderKindOf)).toEqual([
    'bool',
    'f64',
    'f64',
    'ts',
    'i32',
    'str',
  ]);
  expect(() => builderKindOf(Types.null)).toThrow();
});

test('grows, keeps NULLs, and drops rejected rows of a chunk', () => {
  const b = new VectorBuilder('f64', 2, none);
  b.ensure(5);
  [10, 11, 12, 13, 14].forEach((v, i) => (b.f64[i] = v));
  b.setNull(3);
  b.compact(1, 4, Uint8Array.from([1, 0, 0, 1]));
  expect(b.finish(3)).toEqual({ kind: 'f64', length: 3, values: Float64Array.from([10, 12, 13]), nulls: Uint8Array.from([0, 0, 1]) });
});

test('a NULL mask with no NULL left becomes null', () => {
  const b = new VectorBuilder('i32', 4, none);
  b.setNull(1);
  b.compact(0, 2, Uint8Array.from([0, 1]));
  expect(b.finish(1).nulls).toBeNull();
});

test('toDec keeps earlier values exactly', () => {
  const b = new VectorBuilder('f64', 4, none);
  b.f64[0] = 5;
  b.f64[1] = -(2 ** 53);
  b.toDec(2);
  b.dec[2] = 10n ** 30n;
  expect(b.finish(3)).toEqual({ kind: 'dec', length: 3, values: [5n, -(2n ** 53n), 10n ** 30n], nulls: null });
});

test('a str column that lost rows keeps only the strings still used', () => {
  const bytes = new TextEncoder().encode('abc');
  const b = new VectorBuilder('str', 3, bytes);
  const strings = b.strings;
  if (!strings) throw new Error("str builders have a dictionary");
  b.codes[0] = strings.intern(0, 1);
  b.codes[1] = strings.intern(1, 2);
  b.codes[2] = strings.intern(2, 3);
  b.compact(0, 3, Uint8Array.from([0, 1, 0]));
  const v = b.finish(2);
  expect(v).toEqual({ kind: 'str', length: 2, codes: Int32Array.from([0, 1]), dict: ['a', 'c'], nulls: null });
});
