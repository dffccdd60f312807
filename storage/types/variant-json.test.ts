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
