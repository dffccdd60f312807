import { describe, expect, it } from 'vitest';
import { editDistance, jaroWinklerSimilarity, soundex } from './string-extra.js';

describe('string measures', () => {
  it('EDITDISTANCE counts code points, not UTF-16 units', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('a\u{1F600}b', 'ab')).toBe(1);
    expect(editDistance('\u{1F600}', '\u{1F601}')).toBe(1);
  });

  it('JAROWINKLER_SIMILARITY: lower-cased, integer, 0 for an empty side', () => {
    expect(jaroWinklerSimilarity('MARTHA', 'marhta')).toBe(96);
    expect(jaroWinklerSimilarity('dwayne', 'DUANE')).toBe(84);
    expect(jaroWinklerSimilarity('abc', 'xyz')).toBe(0);
    expect(jaroWinklerSimilarity('', 'abc')).toBe(0);
    expect(jaroWinklerSimilarity('same', 'same')).toBe(100);
  });

  it('SOUNDEX: H and W do not separate equal codes, vowels do; non-letters are skipped', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('Tymczak')).toBe('T522');
    expect(soundex('Honeyman')).toBe('H555');
    expect(soundex('  42 lee')).toBe('L000');
    expect(soundex('!!')).toBe('');
  });
});
