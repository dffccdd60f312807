import { expect, test } from 'vitest';
import { StringDictionary } from './string-dictionary.js';

const enc = new TextEncoder();

/** Interns each '|'-separated piece of `text`; returns the codes. */
function internAll(dict: StringDictionary, bytes: Uint8Array): number[] {
  const codes: number[] = [];
  let s = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 124) {
      codes.push(dict.intern(s, i));
      s = i + 1;
    }
  }
  return codes;
}

test('equal byte strings share a code; ASCII and UTF-8 decode right', () => {
  const bytes = enc.encode('ab|日本|ab||日本|b');
  const dict = new StringDictionary(bytes);
  const codes = internAll(dict, bytes);
  expect(codes).toEqual([0, 1, 0, 2, 1, 3]);
  expect(dict.dict).toEqual(['ab', '日本', '', 'b']);
});

test('invalid UTF-8 gives -1 and adds nothing', () => {
  const bytes = Uint8Array.from([0x61, 0xc3, 0x28]);
  const dict = new StringDictionary(bytes);
  expect(dict.intern(0, 3)).toBe(-1);
  expect(dict.decode(0, 3)).toBeNull();
  expect(dict.dict).toEqual([]);
});

test('many distinct values: codes always point at the right string, before and after deduplication stops', () => {
  const values = Array.from({ length: 200_000 }, (_, i) => (i % 5 === 0 ? 'common' : `value-${i}`));
  const bytes = enc.encode(values.join('|'));
  const dict = new StringDictionary(bytes);
  const codes = internAll(dict, bytes);
  codes.forEach((c, i) => {
    if (dict.dict[c] !== values[i]) throw new Error(`row ${i}: ${dict.dict[c]} != ${values[i]}`);
  });
  expect(dict.dict.length).toBeGreaterThan(160_000);
});

test('few distinct values over many rows keep a small dictionary (hash table grows)', () => {
  const values = Array.from({ length: 100_000 }, (_, i) => `k${i % 3000}`);
  const bytes = enc.encode(values.join('|'));
  const dict = new StringDictionary(bytes);
  const codes = internAll(dict, bytes);
  expect(dict.dict.length).toBe(3000);
  expect(codes.every((c, i) => dict.dict[c] === values[i])).toBe(true);
});
