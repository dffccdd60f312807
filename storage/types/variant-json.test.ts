import { describe, expect, it } from 'vitest';
import {
  JsonSyntaxError,
  arrayElements,
  canonicalJson,
  formatVariantDouble,
  getField,
  getIndex,
  getPath,
  objectEntries,
  parsePath,
  prettyJson,
  variantKind,
} from './variant-json.js';

describe('canonicalJson (PARSE_JSON)', () => {
  it('drops whitespace, sorts keys, keeps number text exactly', () => {
    expect(canonicalJson(' { "b" : [ 1 , 2.50 ] , "a" : { "z" : null , "y" : "s" } } ')).toBe('{"a":{"y":"s","z":null},"b":[1,2.50]}');
    expect(canonicalJson('12345678901234567890123456789012345678')).toBe('12345678901234567890123456789012345678');
    expect(canonicalJson('-0')).toBe('0');
    expect(canonicalJson('"a\\u0041\\n"')).toBe('"aA\\n"');
  });

  it('makes exponents and over-long numbers doubles, printed as Snowflake prints them', () => {
    expect(canonicalJson('1.2345e+02')).toBe('1.234500000000000e+02');
    expect(canonicalJson('123456789012345678901234567890123456789')).toBe('1.234567890123457e+38');
    expect(formatVariantDouble(3)).toBe('3.000000000000000e+00');
    expect(formatVariantDouble(-0.00015)).toBe('-1.500000000000000e-04');
    expect(formatVariantDouble(NaN)).toBe('NaN');
  });

  it('gives null for empty or blank text', () => {
    expect(canonicalJson('')).toBeNull();
    expect(canonicalJson(' \n\t')).toBeNull();
  });

  it("rejects invalid JSON with Snowflake's reason and 1-based position", () => {
    const fault = (t: string) => {
      try {
        canonicalJson(t);
      } catch (e) {
        expect(e).toBeInstanceOf(JsonSyntaxError);
        return (e as Error).message;
      }
      return 'parsed';
    };
    expect(fault('cdefg')).toBe('unknown keyword "cdefg", pos 6');
    expect(fault(' cdefg')).toBe('unknown keyword "cdefg", pos 7');
    expect(fault('nul')).toBe('unknown keyword "nul", pos 4');
    expect(fault('{"a":1')).toBe('incomplete object value, pos 7');
    expect(fault('[1,2')).toBe('incomplete array value, pos 5');
    expect(fault('1 2')).toBe('garbage after valid input, pos 3');
    expect(fault('{"a":1,"a":2}')).toMatch(/duplicate object attribute "a"/);
    expect(canonicalJson('{"a":1,"a":2}', true)).toBe('{"a":2}');
  });
});

describe('canonicalJson against documents of known canonical text', () => {
  type Doc = { text: (r: () => number) => string; canonical: string };
  /** mulberry32, so a failure repeats. */
  const prng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ws = (r: () => number) => (r() < 0.3 ? [' ', '\n', '\t ', '\r\n  '][Math.floor(r() * 4)] : '');
  /** A string written plainly, with escapes (\u0041, \/, \n) or with a surrogate pair. */
  const str = (r: () => number, value: string): Doc => ({
    text: (q) => (q() < 0.5 ? JSON.stringify(value) : JSON.stringify(value).replace(/A/g, '\\u0041').replace(/\//g, '\\/')),
    canonical: JSON.stringify(value),
  });
  const scalar = (r: () => number): Doc => {
    const k = Math.floor(r() * 7);
    if (k === 0) return str(r, ['', 'A/b', 'x\ny', 'é😀', 'plain'][Math.floor(r() * 5)]);
    if (k === 1) {
      const n = ['0', '-12', '3.50', '12345678901234567890', '-0.001'][Math.floor(r() * 5)];
      return { text: () => n, canonical: n };
    }
    if (k === 2) {
      const n = ['1e3', '-2.5E-7', '1.25e+02'][Math.floor(r() * 3)];
      return { text: () => n, canonical: formatVariantDouble(Number(n)) };
    }
    if (k === 3) return { text: () => '-0', canonical: '0' };
    const w = ['true', 'false', 'null', 'null'][k - 3];
    return { text: () => w, canonical: w };
  };
  const doc = (r: () => number, depth: number): Doc => {
    const k = depth > 3 ? 0 : Math.floor(r() * 3);
    if (k === 0) return scalar(r);
    const n = Math.floor(r() * 5);
    const items = Array.from({ length: n }, () => doc(r, depth + 1));
    if (k === 1) {
      return {
        text: (q) => `[${ws(q)}${items.map((d) => d.text(q) + ws(q)).join(`,${ws(q)}`)}]`,
        canonical: `[${items.map((d) => d.canonical).join(',')}]`,
      };
    }
    const keys = [...new Set(Array.from({ length: n }, () => ['a', 'b', 'B', 'ab', 'a!', 'Ä', 'k/A', ''][Math.floor(r() * 8)]))];
    const members = keys.map((key) => ({ key: str(r, key), value: doc(r, depth + 1), name: key }));
    const shuffled = [...members].sort(() => r() - 0.5);
    return {
      text: (q) => `{${ws(q)}${(q() < 0.5 ? shuffled : members).map((m) => `${m.key.text(q)}${ws(q)}:${ws(q)}${m.value.text(q)}`).join(`${ws(q)},${ws(q)}`)}${ws(q)}}`,
      canonical: `{${[...members]
        .sort((x, y) => (x.name < y.name ? -1 : 1))
        .map((m) => `${m.key.canonical}:${m.value.canonical}`)
        .join(',')}}`,
    };
  };

  it('sorts and checks large objects for duplicate keys too', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    const reversed = `{${[...keys].reverse().map((k, i) => `"${k}": ${i}`).join(', ')}}`;
    expect(canonicalJson(reversed)).toBe(`{${keys.map((k, i) => `"${k}":${39 - i}`).join(',')}}`);
    expect(() => canonicalJson(`${reversed.slice(0, -1)}, "k07": 1}`)).toThrow(/duplicate object attribute "k07"/);
    expect(canonicalJson(`${reversed.slice(0, -1)}, "k07": true}`, true)).toContain('"k07":true,"k08"');
    expect(() => canonicalJson('{"b": 1, "a": 2, "b": 3}')).toThrow(/duplicate object attribute "b"/);
  });

  it('gives the known canonical text, whether the source is already canonical or not', () => {
    const r = prng(7);
    for (let i = 0; i < 3000; i++) {
      const d = doc(r, 0);
      const source = d.text(prng(i));
      expect(canonicalJson(source), source).toBe(d.canonical);
      expect(canonicalJson(d.canonical), d.canonical).toBe(d.canonical);
      expect(canonicalJson(`[${source},${d.canonical}]`)).toBe(`[${d.canonical},${d.canonical}]`);
    }
  });
});

describe('reading canonical text', () => {
  const doc = canonicalJson('{"a": {"b": [10, {"c": "x"}, null]}, "k e y": true, "e": []}')!;

  it('GET by key and index; missing is null, JSON null is the text null', () => {
    expect(getField(doc, 'k e y')).toBe('true');
    expect(getField(doc, 'zz')).toBeNull();
    expect(getField('[1]', 'a')).toBeNull();
    const b = getField(getField(doc, 'a')!, 'b')!;
    expect(getIndex(b, 0)).toBe('10');
    expect(getIndex(b, 2)).toBe('null');
    expect(getIndex(b, 3)).toBeNull();
    expect(getIndex('[undefined,1]', 0)).toBeNull();
  });

  it('GET_PATH paths', () => {
    expect(parsePath('a.b[1].c')).toEqual(['a', 'b', 1, 'c']);
    expect(parsePath('"k e y"')).toEqual(['k e y']);
    expect(parsePath("a['b'][0]")).toEqual(['a', 'b', 0]);
    expect(parsePath('a..b')).toBeNull();
    expect(getPath(doc, parsePath('a.b[1].c')!)).toBe('"x"');
    expect(getPath(doc, parsePath('a.x.c')!)).toBeNull();
  });

  it('kinds, elements and entries', () => {
    expect(['{}', '[]', '"s"', 'true', 'null', '7', '7.5', '7.000000000000000e+00'].map(variantKind)).toEqual([
      'OBJECT', 'ARRAY', 'VARCHAR', 'BOOLEAN', 'NULL_VALUE', 'INTEGER', 'DECIMAL', 'DOUBLE',
    ]);
    expect(arrayElements('[1,"a,b",[2,3],{"x":[]}]')).toEqual(['1', '"a,b"', '[2,3]', '{"x":[]}']);
    expect(objectEntries('{"a\\"b":1,"c":{"d":2}}')).toEqual([['a"b', '1'], ['c', '{"d":2}']]);
  });

  it('prints as Snowflake does: two-space indentation, one element per line', () => {
    expect(prettyJson(doc)).toBe(
      '{\n  "a": {\n    "b": [\n      10,\n      {\n        "c": "x"\n      },\n      null\n    ]\n  },\n  "e": [],\n  "k e y": true\n}',
    );
    expect(prettyJson('"abc"')).toBe('"abc"');
    expect(prettyJson('{}')).toBe('{}');
  });
});
