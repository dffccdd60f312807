import { describe, expect, it } from 'vitest';
import { LoadError } from '../errors/firn-error.js';
import { decodeUtf8Strings, dictionaryFromUtf8, encodeUtf8Strings, int64OffsetsToInt32 } from './utf8-strings.js';

describe('utf8 strings', () => {
  it('encodes ASCII and non-ASCII lists with TextEncoder-identical bytes', () => {
    for (const list of [['ab', '', 'cde'], ['x', 'é', '😀z', '', '日本'], ['\ud800', 'a\udc00']]) {
      const { offsets, bytes } = encodeUtf8Strings(list);
      const expected = list.map((s) => new TextEncoder().encode(s));
      expect(offsets.length).toBe(list.length + 1);
      list.forEach((_, i) => expect([...bytes.subarray(offsets[i], offsets[i + 1])]).toEqual([...expected[i]]));
    }
  });

  it('decodes a range of entries from one buffer, ASCII and not', () => {
    for (const list of [['ab', '', 'cde', 'f'], ['x', 'é', '😀z', '', '日本']]) {
      const { offsets, bytes } = encodeUtf8Strings(list);
      expect(decodeUtf8Strings(bytes, offsets, 0, list.length, 'c')).toEqual(list);
      expect(decodeUtf8Strings(bytes, offsets, 1, 3, 'c')).toEqual(list.slice(1, 4));
    }
  });

  it('rejects invalid UTF-8 with LoadError FILE_CORRUPT naming the column', () => {
    const bytes = new Uint8Array([0x61, 0xff, 0x62]);
    expect(() => decodeUtf8Strings(bytes, new Int32Array([0, 3]), 0, 1, 'column Q')).toThrow(LoadError);
    expect(() => decodeUtf8Strings(bytes, new Int32Array([0, 3]), 0, 1, 'column Q')).toThrow(/column Q/);
  });

  it('dictionaryFromUtf8 de-duplicates repeating columns and skips NULL rows', () => {
    const rows = ['b', 'ä', 'b', 'zz', 'ä', 'b'];
    const { offsets, bytes } = encodeUtf8Strings(rows);
    const nulls = new Uint8Array([0, 0, 0, 1, 0, 0]);
    const { codes, dict } = dictionaryFromUtf8(bytes, offsets, rows.length, nulls, 'c');
    expect(dict).toEqual(['b', 'ä']);
    expect([...codes].map((c, i) => (nulls[i] ? null : dict[c]))).toEqual(['b', 'ä', 'b', null, 'ä', 'b']);
  });

  it('dictionaryFromUtf8 de-duplicates a repeating column of many values by their bytes, as a Map of strings would', () => {
    // 3,000 distinct values (past the table's first growths), each repeated, with non-ASCII,
    // empty and same-length values, under a NULL mask; the first 1,024 rows repeat a few values.
    const values = Array.from({ length: 3000 }, (_, v) => (v % 11 === 0 ? `é${v}😀` : v % 13 === 0 ? '' : `v${String(v).padStart(5, '0')}`));
    const rows = [...Array.from({ length: 1024 }, (_, i) => values[i % 4]), ...Array.from({ length: 12000 }, (_, i) => values[(i * 7919) % 3000])];
    const nulls = Uint8Array.from(rows, (_, i) => (i % 17 === 5 ? 1 : 0));
    const { offsets, bytes } = encodeUtf8Strings(rows);
    const { codes, dict } = dictionaryFromUtf8(bytes, offsets, rows.length, nulls, 'c');
    const expected: string[] = [];
    const seen = new Map<string, number>();
    rows.forEach((r, i) => {
      if (nulls[i] === 0 && !seen.has(r)) seen.set(r, expected.push(r) - 1);
    });
    expect(dict).toEqual(expected);
    rows.forEach((r, i) => expect(nulls[i] ? true : dict[codes[i]] === r).toBe(true));
  });

  it('dictionaryFromUtf8 rejects invalid UTF-8 in a repeating column', () => {
    const bytes = new Uint8Array(2000).fill(0x61);
    bytes[1500] = 0xff;
    const offsets = Int32Array.from({ length: 1001 }, (_, i) => i * 2);
    expect(() => dictionaryFromUtf8(bytes, offsets, 1000, null, 'column R')).toThrow(/column R/);
  });

  it('dictionaryFromUtf8 gives mostly distinct columns one entry per row', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `name ${i}`);
    const { offsets, bytes } = encodeUtf8Strings(rows);
    const { codes, dict } = dictionaryFromUtf8(bytes, offsets, rows.length, null, 'c');
    expect(dict).toEqual(rows);
    expect([...codes]).toEqual(rows.map((_, i) => i));
  });

  it('an all-NULL column still has a dictionary entry for its codes', () => {
    const { offsets, bytes } = encodeUtf8Strings(['', '']);
    const { dict } = dictionaryFromUtf8(bytes, offsets, 2, new Uint8Array([1, 1]), 'c');
    expect(dict.length).toBeGreaterThan(0);
  });

  it('converts LargeUtf8 offsets', () => {
    expect([...int64OffsetsToInt32(new BigInt64Array([0n, 5n, 70000n]))]).toEqual([0, 5, 70000]);
  });
});
