import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { JsonDocuments, jsonSourceBatches, type JsonFormat, type JsonMatch } from './json-reader.js';
import { decompress } from './read-source-file.js';
import type { OnError } from './file-load-result.js';
import type { Column } from '../../storage/types/schema.js';
import type { DataType } from '../../storage/types/data-type.js';
import { Types } from '../../storage/types/data-type.js';
import type { Batch } from '../../storage/types/vector.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { scalarToExact } from '../../storage/types/scalar.js';
import { DataError, FirnError, LoadError } from '../../storage/errors/firn-error.js';

const enc = new TextEncoder();
const col = (name: string, type: DataType, nullable = true): Column => ({ name, type, nullable });
const V = [col('V', Types.variant)];

async function load(text: string | Uint8Array, columns: Column[] = V, format: JsonFormat = {}, onError: OnError = 'ABORT_STATEMENT', match: JsonMatch = 'NONE') {
  const source = jsonSourceBatches(typeof text === 'string' ? enc.encode(text) : text, columns, format, onError, match, 'f.json', 'T');
  const rows: (boolean | string | null)[][] = [];
  const sizes: number[] = [];
  for await (const b of source.batches) {
    sizes.push(b.length);
    rows.push(...showRows(b, columns));
  }
  return { rows, sizes, result: source.result() };
}

function showRows(b: Batch, columns: Column[]): (boolean | string | null)[][] {
  return Array.from({ length: b.length }, (_, i) => columns.map((c, k) => scalarToExact(scalarAt(b.columns[k], i, c.type))));
}

async function loadError(text: string, columns: Column[] = V, format: JsonFormat = {}, match: JsonMatch = 'NONE'): Promise<FirnError> {
  try {
    await load(text, columns, format, 'ABORT_STATEMENT', match);
  } catch (err) {
    return err as FirnError;
  }
  throw new Error('expected the load to fail');
}

/** Every document of `text` as the reader sees it, with a window of `window` bytes. */
function docs(text: string, window: number, strip = false): unknown[] {
  const r = new JsonDocuments(enc.encode(text), 'f.json', strip, false, window);
  const out: unknown[] = [];
  for (let d = r.next(); d !== null; d = r.next()) out.push(d);
  return out;
}

describe('JSON documents', () => {
  test('one pretty-printed document is one row, in canonical form (keys sorted, no whitespace)', async () => {
    const { rows, result } = await load('{\n  "name": "Ann",\n  "tags": ["a", "b"],\n  "address": {"zip": "10115", "city": "Berlin"}\n}\n');
    expect(rows).toEqual([['{"address":{"city":"Berlin","zip":"10115"},"name":"Ann","tags":["a","b"]}']]);
    expect(result).toMatchObject({ file: 'f.json', status: 'LOADED', rowsParsed: 1, rowsLoaded: 1, errorsSeen: 0, firstError: null });
  });

  test('NDJSON: one document per line, blank lines and CRLF ignored; numbers stay exact', async () => {
    const { rows } = await load('{"n": 1.50}\r\n\n{"n": 12345678901234567890123456789012345678}\n{"n": 1e2}\n[1, {"x": null}]\n"text"\nnull\ntrue\n');
    expect(rows).toEqual([
      ['{"n":1.50}'],
      ['{"n":12345678901234567890123456789012345678}'],
      ['{"n":1.000000000000000e+02}'],
      ['[1,{"x":null}]'],
      ['"text"'],
      ['null'],
      ['true'],
    ]);
  });

  test('concatenated documents need no separator', async () => {
    expect((await load('{"a":1}{"a":2}[3]"s"  7')).rows).toEqual([['{"a":1}'], ['{"a":2}'], ['[3]'], ['"s"'], ['7']]);
  });

  test('STRIP_OUTER_ARRAY: each element of the outer array is a document; without it the array is one row', async () => {
    const text = '[\n  {"a": 1},\n  {"b": [1, 2]},\n  "x"\n]\n';
    expect((await load(text, V, { stripOuterArray: true })).rows).toEqual([['{"a":1}'], ['{"b":[1,2]}'], ['"x"']]);
    expect((await load(text)).rows).toEqual([['[{"a":1},{"b":[1,2]},"x"]']]);
    expect((await load('[] [{"a":1}][{"a":2}]', V, { stripOuterArray: true })).rows).toEqual([['{"a":1}'], ['{"a":2}']]);
  });

  test('an empty file or one of whitespace loads no rows; a byte order mark is skipped', async () => {
    expect(await load('')).toMatchObject({ rows: [], result: { status: 'LOADED', rowsParsed: 0, rowsLoaded: 0 } });
    expect((await load(' \n\t\n')).rows).toEqual([]);
    expect((await load(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{"a":1}')]))).rows).toEqual([['{"a":1}']]);
  });

  test('duplicate keys are an error unless ALLOW_DUPLICATE (the last value wins)', async () => {
    expect((await loadError('{"a":1,"a":2}')).message).toMatch(/^Error parsing JSON: duplicate object attribute "a", pos 12\n/);
    expect((await load('{"a":1,"a":2}', V, { allowDuplicate: true })).rows).toEqual([['{"a":2}']]);
  });

  test('a gzip file reads the same after decompress (COMPRESSION = AUTO)', async () => {
    const text = '{"a":1}\n{"a":[true,false]}\n';
    const bytes = await decompress(gzipSync(Buffer.from(text)), 'AUTO', 'f.json.gz');
    expect((await load(bytes)).rows).toEqual([['{"a":1}'], ['{"a":[true,false]}']]);
  });

  test('invalid UTF-8 fails the file', async () => {
    const err = await load(new Uint8Array([0x22, 0xc3, 0x28, 0x22])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as LoadError).message).toBe("Invalid UTF8 detected in file 'f.json'");
  });

  test('documents in batches: all rows arrive, none lost at batch edges', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `{"i":${i}}`);
    const { rows, sizes, result } = await load(lines.join('\n'));
    expect(sizes).toEqual([4096, 4096, 1808]);
    expect(rows.map((r) => r[0])).toEqual(lines);
    expect(result).toMatchObject({ rowsParsed: 10_000, rowsLoaded: 10_000 });
  });
});

describe('JSON windows', () => {
  // Documents spanning windows, strings with spaces and multi-byte characters, a document
  // larger than a window, and lines counted across windows, read with tiny windows must give
  // exactly what one window gives.
  const text = [
    '{"s": "a b c d e f g h", "n": 123456789}',
    '  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]',
    '"ünïcödé – 日本語 text with spaces"',
    '{"deep": {"deeper": {"deepest": [true, false, null, 1.25e3]}}}',
    '12345678901234567890 -0.5 true',
    '{"bad": tru}',
    '{"after": "bad"}',
  ].join('\n');
  const whole = docs(text, 1 << 20);

  test('one window reads every document with its line and character', () => {
    expect(whole).toEqual([
      { value: '{"n":123456789,"s":"a b c d e f g h"}', line: 1, character: 1 },
      { value: '[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]', line: 2, character: 3 },
      { value: '"ünïcödé – 日本語 text with spaces"', line: 3, character: 1 },
      { value: '{"deep":{"deeper":{"deepest":[true,false,null,1.250000000000000e+03]}}}', line: 4, character: 1 },
      { value: '12345678901234567890', line: 5, character: 1 },
      { value: '-0.5', line: 5, character: 22 },
      { value: 'true', line: 5, character: 27 },
      { error: 'Error parsing JSON: unknown keyword "tru", pos 12', line: 6, character: 12 },
      { value: '{"after":"bad"}', line: 7, character: 1 },
    ]);
  });

  test.each([1, 2, 3, 5, 8, 13, 21, 64])('a window of %i bytes reads the same', (window) => {
    expect(docs(text, window)).toEqual(whole);
  });

  test('a stripped outer array across windows', () => {
    const arr = `[${Array.from({ length: 50 }, (_, i) => `{"k": "v ${i}"}`).join(', ')}]`;
    const one = docs(arr, 1 << 20, true);
    expect(one).toHaveLength(50);
    expect(docs(arr, 7, true)).toEqual(one);
  });
});

describe('JSON errors', () => {
  const HINT =
    "If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.";

  test('ABORT_STATEMENT: the first bad document fails the load with 100069 and where it is', async () => {
    const err = await loadError('{"a":1}\n{"a":2,\n"b" 3}\n');
    expect(err).toBeInstanceOf(DataError);
    expect(err.codeName).toBe('INVALID_JSON');
    expect(err.code).toBe('100069');
    expect(err.message).toBe(`Error parsing JSON: expected ':', pos 13\n  File 'f.json', line 3, character 5\n  Row 2, column "T"["V":1]\n  ${HINT}`);
  });

  test('CONTINUE: a bad NDJSON line is skipped and counted; an unclosed line does not swallow the next', async () => {
    const { rows, result } = await load('{"a":1}\n{"a":2\n{"a":3}\n{"a": nope}\n{"a":5}\n', V, {}, 'CONTINUE');
    expect(rows).toEqual([['{"a":1}'], ['{"a":3}'], ['{"a":5}']]);
    expect(result).toEqual({
      file: 'f.json',
      status: 'PARTIALLY_LOADED',
      rowsParsed: 5,
      rowsLoaded: 3,
      errorLimit: 5,
      errorsSeen: 2,
      firstError: 'Error parsing JSON: incomplete object value, pos 8',
      firstErrorLine: 3,
      firstErrorCharacter: 1,
      firstErrorColumnName: '"T"["V":1]',
    });
  });

  test('CONTINUE: an error inside a stripped outer array skips the rest of the file', async () => {
    const { rows, result } = await load('[{"a":1}, {"a":}, {"a":3}]', V, { stripOuterArray: true }, 'CONTINUE');
    expect(rows).toEqual([['{"a":1}']]);
    expect(result).toMatchObject({ status: 'PARTIALLY_LOADED', rowsParsed: 2, rowsLoaded: 1, errorsSeen: 1, firstError: "Error parsing JSON: unexpected character '}', pos 6" });
  });

  test('an unterminated outer array and a file of nothing but bad JSON', async () => {
    expect((await load('[{"a":1}', V, { stripOuterArray: true }, 'CONTINUE')).result).toMatchObject({ rowsParsed: 2, rowsLoaded: 1, firstError: 'Error parsing JSON: incomplete array value, pos 1' });
    expect((await load('nope', V, {}, 'CONTINUE')).result).toMatchObject({ status: 'LOAD_FAILED', rowsParsed: 1, rowsLoaded: 0, errorsSeen: 1 });
  });

  test('an OBJECT column takes objects only', async () => {
    const columns = [col('O', { kind: 'OBJECT' })];
    const { rows, result } = await load('{"a":1}\n[1]\n{"b":2}\n', columns, {}, 'CONTINUE');
    expect(rows).toEqual([['{"a":1}'], ['{"b":2}']]);
    expect(result).toMatchObject({ errorsSeen: 1, firstError: 'Failed to cast variant value [1] to OBJECT', firstErrorLine: 2, firstErrorColumnName: '"T"["O":1]' });
  });
});

describe('MATCH_BY_COLUMN_NAME', () => {
  const columns = [col('ID', Types.number(38, 0)), col('NAME', Types.varchar), col('PRICE', Types.number(10, 2)), col('OK', Types.boolean), col('TAGS', Types.variant)];
  const text = ['{"id": 1, "name": "Ann", "price": 9.5, "ok": true, "tags": ["x"], "extra": 7}', '{"ID": "2", "Name": "Bob"}', '{"id": 3, "price": "1.25", "ok": "false", "tags": null}', '[1, 2]'].join('\n');

  test('CASE_INSENSITIVE: keys load into the columns of that name, cast as a VARIANT cast would; missing keys are NULL', async () => {
    const { rows, result } = await load(text, columns, {}, 'ABORT_STATEMENT', 'CASE_INSENSITIVE');
    expect(rows).toEqual([
      ['1', 'Ann', '950', true, '["x"]'],
      ['2', 'Bob', null, null, null],
      ['3', null, '125', false, 'null'],
      [null, null, null, null, null],
    ]);
    expect(result).toMatchObject({ status: 'LOADED', rowsParsed: 4, rowsLoaded: 4 });
  });

  test('CASE_SENSITIVE: only keys spelled exactly as the column match', async () => {
    const lower = [col('id', Types.number(38, 0)), col('NAME', Types.varchar)];
    const { rows } = await load('{"id": 1, "name": "Ann"}\n{"ID": 2, "NAME": "Bob"}', lower, {}, 'ABORT_STATEMENT', 'CASE_SENSITIVE');
    expect(rows).toEqual([
      ['1', null],
      [null, 'Bob'],
    ]);
  });

  test('a value that does not cast rejects its row (CONTINUE) or fails the load (ABORT_STATEMENT)', async () => {
    const input = '{"id": 1, "name": "a"}\n{"id": "x", "name": "b"}\n{"id": {"o": 1}, "name": "c"}\n{"id": 4}';
    const { rows, result } = await load(input, columns, {}, 'CONTINUE', 'CASE_INSENSITIVE');
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['1', 'a'],
      ['4', null],
    ]);
    expect(result).toMatchObject({ status: 'PARTIALLY_LOADED', rowsParsed: 4, rowsLoaded: 2, errorsSeen: 2, firstError: 'Failed to cast variant value "x" to FIXED', firstErrorLine: 2, firstErrorCharacter: 1, firstErrorColumnName: '"T"["ID":1]' });
    const err = await loadError(input, columns, {}, 'CASE_INSENSITIVE');
    expect(err.codeName).toBe('INVALID_VARIANT_CAST');
    expect(err.message.split('\n').slice(0, 3)).toEqual(['Failed to cast variant value "x" to FIXED', "  File 'f.json', line 2, character 1", '  Row 2, column "T"["ID":1]']);
  });

  test('a missing key for a NOT NULL column rejects the row', async () => {
    const strict = [col('ID', Types.number(38, 0), false), col('NAME', Types.varchar)];
    const { rows, result } = await load('{"id": 1}\n{"name": "x"}\n', strict, {}, 'CONTINUE', 'CASE_INSENSITIVE');
    expect(rows).toEqual([['1', null]]);
    expect(result).toMatchObject({ errorsSeen: 1, firstError: 'NULL result in a non-nullable column', firstErrorLine: 2, firstErrorColumnName: '"T"["ID":1]' });
  });
});
