import { describe, expect, it } from 'vitest';
import { PackedStrings } from './packed-strings.js';

describe('PackedStrings', () => {
  const dict = ['', 'a', 'ünïcödé', '😀 x', '', 'long '.repeat(50), 'z'];

  it('gives back every entry, one by one and whole, empty strings and surrogate pairs included', () => {
    const packed = PackedStrings.pack(dict);
    expect(packed.size).toBe(dict.length);
    expect(dict.map((_, i) => packed.entry(i))).toEqual(dict);
    expect(packed.unpack()).toEqual(dict);
  });

  it('packs an empty dictionary', () => {
    const packed = PackedStrings.pack([]);
    expect(packed.size).toBe(0);
    expect(packed.unpack()).toEqual([]);
  });
});
