import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch, StrVector, Vector } from '../../../storage/types/vector.js';
import { concatBatches } from './concat-batches.js';
import { strDictSize, utf8DictVector } from '../../../storage/arrow/utf8-dict.js';
import { encodeUtf8Strings } from '../../../storage/arrow/utf8-strings.js';

const str = (dict: string[], codes: number[], nulls?: number[]): StrVector => ({ kind: 'str', length: codes.length, codes: Int32Array.from(codes), dict, nulls: nulls ? Uint8Array.from(nulls) : null });
const one = (v: Vector): Batch => ({ length: v.length, columns: [v] });

function values(b: Batch, c: number): unknown[] {
  const v = b.columns[c];
  return Array.from({ length: b.length }, (_, i) => (v.nulls !== null && v.nulls[i] ? null : v.kind === 'str' ? v.dict[v.codes[i]] : v.kind === 'ts' ? [v.secs[i], v.nanos[i]] : v.values[i]));
}

describe('concatBatches', () => {
  it('appends different dictionaries that are small for their rows', () => {
    const out = concatBatches([Types.varchar], [one(str(['p', 'q', 'unused'], [0, 1, 0])), one(str(['q', 'r', 'q'], [2, 1, 0], [0, 0, 1]))]);
    expect(values(out, 0)).toEqual(['p', 'q', 'p', 'q', 'r', null]);
    expect((out.columns[0] as StrVector).dict.length).toBe(6);
  });

  it('merges dictionaries much larger than their rows into one holding each used string once', () => {
    const big = Array.from({ length: 50 }, (_, i) => `s${i}`);
    const out = concatBatches([Types.varchar], [one(str(big, [3, 7])), one(str([...big].reverse(), [46, 0]))]);
    expect(values(out, 0)).toEqual(['s3', 's7', 's3', 's49']);
    expect([...(out.columns[0] as StrVector).dict].sort()).toEqual(['s3', 's49', 's7']);
  });

  it('keeps a shared dictionary as is', () => {
    const dict = ['a', 'b'];
    const out = concatBatches([Types.varchar], [one(str(dict, [1])), one(str(dict, [0, 1]))]);
    expect((out.columns[0] as StrVector).dict).toBe(dict);
    expect(values(out, 0)).toEqual(['b', 'a', 'b']);
  });

  it('widens a NUMBER column to dec when any batch is dec, and concatenates NULL masks', () => {
    const out = concatBatches(
      [Types.number(38, 0), Types.date],
      [
        { length: 2, columns: [{ kind: 'f64', length: 2, values: Float64Array.from([1, 2]), nulls: Uint8Array.from([0, 1]) }, { kind: 'i32', length: 2, values: Int32Array.from([7, 8]), nulls: null }] },
        { length: 1, columns: [{ kind: 'dec', length: 1, values: [2n ** 70n], nulls: null }, { kind: 'i32', length: 1, values: Int32Array.from([9]), nulls: Uint8Array.from([1]) }] },
      ],
    );
    expect(out.columns[0].kind).toBe('dec');
    expect(values(out, 0)).toEqual([1n, null, 2n ** 70n]);
    expect(values(out, 1)).toEqual([7, 8, null]);
  });

  it('gives the empty batch of the types for no rows, and rejects mismatched kinds', () => {
    const out = concatBatches([Types.varchar, Types.float], []);
    expect(out.length).toBe(0);
    expect(out.columns.map((c) => c.kind)).toEqual(['str', 'f64']);
    const f = one({ kind: 'f64', length: 1, values: Float64Array.from([1]), nulls: null });
    expect(() => concatBatches([Types.varchar], [one(str(['a'], [0])), f])).toThrow(/concat/);
  });

  it('appends string dicts held as UTF-8 without decoding them, keeping only the entries their rows use', () => {
    const enc = (strings: string[]) => encodeUtf8Strings(strings);
    const a = utf8DictVector(2, Int32Array.from([8, 9]), null, enc(Array.from({ length: 10 }, (_, i) => `a${i}é`)));
    const b = utf8DictVector(3, Int32Array.from([0, 1, 0]), Uint8Array.from([0, 0, 1]), enc(['😀', '', ...Array.from({ length: 8 }, (_, i) => `b${i}`)]));
    const out = concatBatches([Types.varchar], [{ length: 2, columns: [a] }, { length: 3, columns: [b] }]).columns[0] as StrVector;
    expect(strDictSize(out)).toBe(4);
    expect(Array.from(out.codes, (c, i) => (out.nulls?.[i] ? null : out.dict[c]))).toEqual(['a8é', 'a9é', '😀', '', null]);
  });
});
