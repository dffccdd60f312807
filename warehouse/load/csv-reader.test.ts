import { describe, expect, test } from 'vitest';
import { readCsv } from './csv-reader.js';
import type { CsvFormat } from './csv-reader.js';
import type { OnError } from './file-load-result.js';
import type { Column } from '../../storage/types/schema.js';
import type { DataType } from '../../storage/types/data-type.js';
import { Types } from '../../storage/types/data-type.js';
import type { Batch } from '../../storage/types/vector.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { formatDate, formatDecimal, formatTime, formatTimestampNanos } from '../../storage/types/value-text.js';
import { DataError, FirnError, LoadError } from '../../storage/errors/firn-error.js';
import { parseBooleanText, parseDateText, parseFloatText, parseNumberText, parseTimestampText } from '../execute/cast/parse-text.js';

const enc = new TextEncoder();
const num = (p: number, s: number): DataType => Types.number(p, s);
const varchar = (length?: number): DataType => ({ kind: 'VARCHAR', length });
const col = (name: string, type: DataType, nullable = true): Column => ({ name, type, nullable });
const fmt = (over: Partial<CsvFormat> = {}): CsvFormat => ({
  skipHeader: 0,
  fieldDelimiter: ',',
  fieldOptionallyEnclosedBy: '"',
  nullIf: ['\\N'],
  emptyFieldAsNull: true,
  ...over,
});
const HINT =
  "If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.";

function load(text: string | Uint8Array, columns: Column[], format: CsvFormat = fmt(), onError: OnError = 'ABORT_STATEMENT') {
  return readCsv(typeof text === 'string' ? enc.encode(text) : text, columns, format, onError, 'f.csv', 'T');
}

/** One record's cells as display text (null for NULL), so expectations read like query output. */
function showRow(batch: Batch, columns: Column[], i: number): (string | null)[] {
  return columns.map((c, k) => {
    const v = scalarAt(batch.columns[k], i, c.type);
    if (v === null) return null;
    switch (c.type.kind) {
      case 'NUMBER':
        return formatDecimal(v as bigint, c.type.scale);
      case 'DATE':
        return formatDate(v as number);
      case 'TIMESTAMP_NTZ':
        return formatTimestampNanos(v as bigint);
      case 'TIME':
        return formatTime(v as number);
      case 'FLOAT':
        return Object.is(v, -0) ? '-0' : String(v);
      default:
        return String(v);
    }
  });
}

function show(batch: Batch, columns: Column[]): (string | null)[][] {
  return Array.from({ length: batch.length }, (_, i) => showRow(batch, columns, i));
}

function values(text: string, columns: Column[], format?: CsvFormat) {
  const { batch, result } = load(text, columns, format);
  expect(result.status).toBe('LOADED');
  expect(result.rowsLoaded).toBe(batch.length);
  return show(batch, columns);
}

describe('readCsv: accepted input', () => {
  const a = col('A', varchar());
  const b = col('B', num(10, 0));
  const cases: { name: string; columns: Column[]; format?: Partial<CsvFormat>; text: string; rows: (string | null)[][] }[] = [
    {
      name: 'every type',
      columns: [
        col('N', num(10, 2)),
        col('I', num(38, 0)),
        col('F', Types.float),
        col('S', varchar()),
        col('D', Types.date),
        col('TS', Types.timestampNtz),
        col('B', Types.boolean),
      ],
      text: '12.34,42,1.5,hello,2024-02-29,2024-01-02 03:04:05.123456,true\n-0.5,-7,-2,world,1970-01-01,2024-01-02T03:04:05,FALSE\n',
      rows: [
        ['12.34', '42', '1.5', 'hello', '2024-02-29', '2024-01-02 03:04:05.123456', 'true'],
        ['-0.50', '-7', '-2', 'world', '1970-01-01', '2024-01-02 03:04:05.000', 'false'],
      ],
    },
    {
      name: 'NUMBER forms, rounding half away from zero to the scale',
      columns: [col('N', num(10, 2))],
      text: ['1.235', '-1.235', '1.2349', '1e3', ' 7 ', '+5', '.5', '5.', '-0', '-0.001', '0.005', '00012.30', '"3.5"', '99999999.99'].join('\n'),
      rows: [['1.24'], ['-1.24'], ['1.23'], ['1000.00'], ['7.00'], ['5.00'], ['0.50'], ['5.00'], ['0.00'], ['0.00'], ['0.01'], ['12.30'], ['3.50'], ['99999999.99']],
    },
    {
      name: 'NUMBER with scale 0 rounds and wide values stay exact',
      columns: [col('N', num(38, 0))],
      text: '2.5\n-2.5\n12345678901234567890123\n9007199254740993\n',
      rows: [['3'], ['-3'], ['12345678901234567890123'], ['9007199254740993']],
    },
    {
      name: 'NUMBER with a large scale',
      columns: [col('N', num(38, 20))],
      text: '1.5\n-0.00000000000000000001\n',
      rows: [['1.50000000000000000000'], ['-0.00000000000000000001']],
    },
    {
      name: 'FLOAT',
      columns: [col('F', Types.float)],
      text: ['0.1', '1e-3', '-0', '-2.50', 'NaN', 'inf', '-Infinity', '123456789012345678', '3.141592653589793', '+7'].join('\n'),
      rows: [['0.1'], ['0.001'], ['-0'], ['-2.5'], ['NaN'], ['Infinity'], ['-Infinity'], ['123456789012345680'], ['3.141592653589793'], ['7']],
    },
    {
      name: 'DATE forms',
      columns: [col('D', Types.date)],
      text: ['0001-01-01', '9999-12-31', '2000-02-29', '15-Mar-2024', '03/15/2024', '2024-03-15 10:00:00', '2024-3-5'].join('\n'),
      rows: [['0001-01-01'], ['9999-12-31'], ['2000-02-29'], ['2024-03-15'], ['2024-03-15'], ['2024-03-15'], ['2024-03-05']],
    },
    {
      name: 'TIMESTAMP_NTZ forms',
      columns: [col('T', Types.timestampNtz)],
      text: ['2024-01-02 03:04:05', '2024-01-02 03:04:05.1', '2024-01-02 03:04:05.123456789', '2024-01-02', '2024-01-02T03:04:05Z', '1969-12-31 23:59:59.5'].join('\n'),
      rows: [
        ['2024-01-02 03:04:05.000'],
        ['2024-01-02 03:04:05.100'],
        ['2024-01-02 03:04:05.123456789'],
        ['2024-01-02 00:00:00.000'],
        ['2024-01-02 03:04:05.000'],
        ['1969-12-31 23:59:59.500'],
      ],
    },
    {
      name: 'TIME forms, to the nanosecond, and TIME(p) cutting the fraction',
      columns: [col('T', Types.time()), col('T3', Types.time(3))],
      text: [
        '10:11:12.123456789,10:11:12.123456789',
        '23:59:59.999999999,23:59:59.9999',
        '00:00:00,00:00:00.1',
        '7:08,03:04:05 PM',
        '2024-01-02 03:04:05.000000001,\\N',
      ].join('\n'),
      rows: [
        ['10:11:12.123456789', '10:11:12.123'],
        ['23:59:59.999999999', '23:59:59.999'],
        ['00:00:00', '00:00:00.100'],
        ['07:08:00', '15:04:05'],
        ['03:04:05.000000001', null],
      ],
    },
    {
      name: 'BOOLEAN spellings',
      columns: [col('B', Types.boolean)],
      text: ['true', 'False', '1', '0', 'yes', 'NO', 'on', 'off', 't', 'F', 'y', 'n'].join('\n'),
      rows: ['true', 'false', 'true', 'false', 'true', 'false', 'true', 'false', 'true', 'false', 'true', 'false'].map((v) => [v]),
    },
    {
      name: 'quoting: delimiters, doubled quotes, empty string, line breaks inside',
      columns: [a, b],
      text: '"a,b",1\n"say ""hi""",2\n"",3\n"multi\nline",4\nplain,5\n"x",6\n"""",7\n',
      rows: [
        ['a,b', '1'],
        ['say "hi"', '2'],
        ['', '3'],
        ['multi\nline', '4'],
        ['plain', '5'],
        ['x', '6'],
        ['"', '7'],
      ],
    },
    {
      name: 'a quote inside an unenclosed field is data',
      columns: [a, b],
      text: 'ab"c,1\n',
      rows: [['ab"c', '1']],
    },
    {
      name: 'CRLF line ends',
      columns: [a, b],
      text: 'x,1\r\ny,2\r\n"z\r\nw",3\r\n',
      rows: [
        ['x', '1'],
        ['y', '2'],
        ['z\r\nw', '3'],
      ],
    },
    { name: 'no final line break', columns: [a, b], text: 'x,1\ny,2', rows: [['x', '1'], ['y', '2']] },
    { name: 'lone CR line ends', columns: [a, b], text: 'x,1\ry,2\r', rows: [['x', '1'], ['y', '2']] },
    { name: 'empty file', columns: [a, b], text: '', rows: [] },
    {
      name: 'default NULL_IF \\N and EMPTY_FIELD_AS_NULL',
      columns: [a, b],
      text: '\\N,\\N\n,\n"",1\n"\\N",2\nNULL,3\n',
      rows: [
        [null, null],
        [null, null],
        ['', '1'],
        [null, '2'],
        ['NULL', '3'],
      ],
    },
    {
      name: 'custom NULL_IF matches the whole field, exactly',
      columns: [a, b],
      format: { nullIf: ['NULL', 'NA', '-'] },
      text: 'NULL,NULL\nNA,-\nnull,1\n\\N,2\n"NA",3\nNAN,4\n',
      rows: [
        [null, null],
        [null, null],
        ['null', '1'],
        ['\\N', '2'],
        [null, '3'],
        ['NAN', '4'],
      ],
    },
    {
      name: "NULL_IF '' makes empty unenclosed fields NULL even without EMPTY_FIELD_AS_NULL",
      columns: [a, b],
      format: { nullIf: [''], emptyFieldAsNull: false },
      text: ',1\n"",2\n',
      rows: [
        [null, '1'],
        ['', '2'],
      ],
    },
    {
      name: 'EMPTY_FIELD_AS_NULL = FALSE keeps empty strings',
      columns: [a, col('C', varchar())],
      format: { emptyFieldAsNull: false },
      text: ',x\n"",\n',
      rows: [
        ['', 'x'],
        ['', ''],
      ],
    },
    { name: 'SKIP_HEADER = 1', columns: [a, b], format: { skipHeader: 1 }, text: 'A,B\nx,1\n', rows: [['x', '1']] },
    { name: 'SKIP_HEADER = 2 with CRLF', columns: [a, b], format: { skipHeader: 2 }, text: 'title\r\nA,B\r\nx,1\r\n', rows: [['x', '1']] },
    { name: 'SKIP_HEADER past the end', columns: [a, b], format: { skipHeader: 3 }, text: 'A,B\nx,1\n', rows: [] },
    { name: "delimiter '|'", columns: [a, b], format: { fieldDelimiter: '|' }, text: 'x,y|1\n"p|q"|2\n', rows: [['x,y', '1'], ['p|q', '2']] },
    { name: 'delimiter tab', columns: [a, b], format: { fieldDelimiter: '\t' }, text: 'x y\t1\n\t2\n', rows: [['x y', '1'], [null, '2']] },
    {
      name: 'multi-character delimiter',
      columns: [a, b, col('C', varchar())],
      format: { fieldDelimiter: '||' },
      text: 'a|b||1||c\n"x||y"||2||\n',
      rows: [
        ['a|b', '1', 'c'],
        ['x||y', '2', null],
      ],
    },
    { name: 'non-ASCII delimiter', columns: [a, b], format: { fieldDelimiter: '¦' }, text: 'é¦1\n¦2\n', rows: [['é', '1'], [null, '2']] },
    {
      name: 'no enclosure: quotes are data',
      columns: [a, b],
      format: { fieldOptionallyEnclosedBy: null },
      text: '"x",1\n"",2\n',
      rows: [
        ['"x"', '1'],
        ['""', '2'],
      ],
    },
    {
      name: 'single-quote enclosure',
      columns: [a, b],
      format: { fieldOptionallyEnclosedBy: "'" },
      text: "'it''s, ok',1\n\"x\",2\n",
      rows: [
        ["it's, ok", '1'],
        ['"x"', '2'],
      ],
    },
    {
      name: 'unicode strings, VARCHAR(n) counts characters',
      columns: [col('S', varchar(3)), b],
      text: 'héé,1\n日本語,2\n"😀😀",3\n日本語,4\nabc,5\n',
      rows: [
        ['héé', '1'],
        ['日本語', '2'],
        ['😀😀', '3'],
        ['日本語', '4'],
        ['abc', '5'],
      ],
    },
    { name: 'a UTF-8 byte order mark is skipped', columns: [a, b], format: { skipHeader: 1 }, text: '\uFEFFA,B\nx,1\n', rows: [['x', '1']] },
    { name: 'a blank line is one empty field', columns: [a], text: 'x\n\ny\n', rows: [['x'], [null], ['y']] },
    { name: 'a trailing delimiter is an empty last field', columns: [a, col('C', varchar())], text: 'x,\n', rows: [['x', null]] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      expect(values(c.text, c.columns, fmt(c.format))).toEqual(c.rows);
    });
  }

  test('wide NUMBER values make a dec vector; small ones an f64 vector', () => {
    const columns = [col('N', num(38, 0))];
    expect(load('1\n2\n', columns).batch.columns[0].kind).toBe('f64');
    expect(load('1\n12345678901234567890\n', columns).batch.columns[0].kind).toBe('dec');
  });

  test('NULL masks are absent when a column has no NULL', () => {
    const { batch } = load('x,1\ny,2\n', [col('A', varchar()), col('B', num(10, 0))]);
    expect(batch.columns.map((c) => c.nulls)).toEqual([null, null]);
  });

  test('repeated strings share one dictionary entry', () => {
    const { batch } = load('x\ny\nx\n"x"\ny\n', [col('A', varchar())]);
    const v = batch.columns[0];
    if (v.kind !== 'str') throw new Error('expected str');
    expect(v.dict).toEqual(['x', 'y']);
    expect(Array.from(v.codes)).toEqual([0, 1, 0, 0, 1]);
  });

  test('a column of mostly distinct strings stays correct after deduplication stops', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(i % 10 === 0 ? 'same' : `v${i}`);
    const { batch } = load(lines.join('\n'), [col('A', varchar())]);
    const v = batch.columns[0];
    expect(batch.length).toBe(100_000);
    for (const i of [0, 1, 9, 10, 65_537, 99_999]) expect(scalarAt(v, i, Types.varchar)).toBe(lines[i]);
  });
});

describe('readCsv: errors', () => {
  type ErrorCase = {
    name: string;
    columns: Column[];
    format?: Partial<CsvFormat>;
    /** Header line, one good record, the bad record, one good record. */
    text: string | Uint8Array;
    cls: typeof DataError | typeof LoadError;
    code: string;
    message: string;
    line: number;
    character: number;
    row: string;
    column: string;
  };
  const ab = [col('A', varchar()), col('B', num(10, 0))];
  const cases: ErrorCase[] = [
    {
      name: 'too many fields',
      columns: ab,
      text: 'A,B\nx,1\ny,2,3\nz,4\n',
      cls: LoadError,
      code: 'FILE_COLUMN_COUNT',
      message:
        'Number of columns in file (3) does not match that of the corresponding table (2), use file format option error_on_column_count_mismatch=false to ignore this error',
      line: 3,
      character: 5,
      row: 'Row 2',
      column: '"T"[3]',
    },
    {
      name: 'too few fields',
      columns: ab,
      text: 'A,B\nx,1\ny\nz,4\n',
      cls: LoadError,
      code: 'FILE_COLUMN_COUNT',
      message:
        'Number of columns in file (1) does not match that of the corresponding table (2), use file format option error_on_column_count_mismatch=false to ignore this error',
      line: 3,
      character: 2,
      row: 'Row 2',
      column: '"T"["B":2]',
    },
    {
      name: 'a number that is not one',
      columns: ab,
      text: 'A,B\nx,1\ny,abc\nz,4\n',
      cls: DataError,
      code: 'NUMERIC_NOT_RECOGNIZED',
      message: "Numeric value 'abc' is not recognized",
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["B":2]',
    },
    {
      name: 'an empty field into a NUMBER without EMPTY_FIELD_AS_NULL',
      columns: ab,
      format: { emptyFieldAsNull: false },
      text: 'A,B\nx,1\ny,\nz,4\n',
      cls: DataError,
      code: 'NUMERIC_NOT_RECOGNIZED',
      message: "Numeric value '' is not recognized",
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["B":2]',
    },
    {
      name: 'a FLOAT that is not one (enclosed: the position is the quote)',
      columns: [col('A', varchar()), col('F', Types.float)],
      text: 'A,F\nx,1\ny,"1.5x"\nz,4\n',
      cls: DataError,
      code: 'NUMERIC_NOT_RECOGNIZED',
      message: "Numeric value '1.5x' is not recognized",
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["F":2]',
    },
    {
      name: 'an impossible date',
      columns: [col('A', varchar()), col('D', Types.date)],
      text: 'A,D\nx,2024-01-01\nyy,2023-02-29\nz,2024-01-01\n',
      cls: DataError,
      code: 'DATE_NOT_RECOGNIZED',
      message: "Date '2023-02-29' is not recognized",
      line: 3,
      character: 4,
      row: 'Row 2',
      column: '"T"["D":2]',
    },
    {
      name: 'a timestamp that is not one',
      columns: [col('A', varchar()), col('T', Types.timestampNtz)],
      text: 'A,T\nx,2024-01-01 00:00:00\ny,2024-01-01 25:00:00\nz,2024-01-01\n',
      cls: DataError,
      code: 'TIMESTAMP_NOT_RECOGNIZED',
      message: "Timestamp '2024-01-01 25:00:00' is not recognized",
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["T":2]',
    },
    {
      name: 'a time that is not one',
      columns: [col('A', varchar()), col('T', Types.time())],
      text: 'A,T\nx,10:00:00\ny,24:00:00\nz,10:00\n',
      cls: DataError,
      code: 'TIME_NOT_RECOGNIZED',
      message: "Time '24:00:00' is not recognized",
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["T":2]',
    },
    {
      name: 'a boolean that is not one',
      columns: [col('A', varchar()), col('B', Types.boolean)],
      text: 'A,B\nx,true\ny,maybe\nz,false\n',
      cls: DataError,
      code: 'BOOLEAN_NOT_RECOGNIZED',
      message: "Boolean value 'maybe' is not recognized",
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["B":2]',
    },
    {
      name: 'NULL into a NOT NULL column',
      columns: [col('A', varchar(), false), col('B', num(10, 0))],
      text: 'A,B\nx,1\n,2\nz,4\n',
      cls: DataError,
      code: 'NULL_NOT_ALLOWED',
      message: 'NULL result in a non-nullable column',
      line: 3,
      character: 1,
      row: 'Row 2',
      column: '"T"["A":1]',
    },
    {
      name: 'NULL_IF into a NOT NULL column',
      columns: [col('A', varchar()), col('B', num(10, 0), false)],
      text: 'A,B\nx,1\ny,\\N\nz,4\n',
      cls: DataError,
      code: 'NULL_NOT_ALLOWED',
      message: 'NULL result in a non-nullable column',
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["B":2]',
    },
    {
      name: 'more digits than NUMBER(p,s) allows',
      columns: [col('A', varchar()), col('N', num(3, 0))],
      text: 'A,N\nx,999\ny,1000\nz,-999\n',
      cls: DataError,
      code: 'NUMERIC_OUT_OF_RANGE',
      message: 'Number out of representable range: type NUMBER(3,0), value 1000',
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["N":2]',
    },
    {
      name: 'rounding past NUMBER(p,s)',
      columns: [col('A', varchar()), col('N', num(4, 2))],
      text: 'A,N\nx,99.994\ny,-99.995\nz,1\n',
      cls: DataError,
      code: 'NUMERIC_OUT_OF_RANGE',
      message: 'Number out of representable range: type NUMBER(4,2), value -100.00',
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["N":2]',
    },
    {
      name: 'a string longer than VARCHAR(n)',
      columns: [col('A', varchar(3)), col('B', num(10, 0))],
      text: 'A,B\nx,1\nabcd,2\nz,4\n',
      cls: DataError,
      code: 'STRING_TOO_LONG',
      message: "String 'abcd' is too long and would be truncated",
      line: 3,
      character: 1,
      row: 'Row 2',
      column: '"T"["A":1]',
    },
    {
      name: 'unicode: too long in characters, positions in characters',
      columns: [col('B', num(10, 0)), col('A', varchar(2))],
      text: 'B,A\n1,日本\n2,日本語\n3,x\n',
      cls: DataError,
      code: 'STRING_TOO_LONG',
      message: "String '日本語' is too long and would be truncated",
      line: 3,
      character: 3,
      row: 'Row 2',
      column: '"T"["A":2]',
    },
    {
      name: 'text after a closing quote',
      columns: ab,
      text: 'A,B\nx,1\n"ab"c,2\nz,4\n',
      cls: LoadError,
      code: 'FILE_CORRUPT',
      message: "Found character 'c' instead of field delimiter ','",
      line: 3,
      character: 5,
      row: 'Row 2',
      column: '"T"["A":1]',
    },
    {
      name: 'invalid UTF-8',
      columns: ab,
      text: Uint8Array.from([...enc.encode('A,B\nx,1\nab'), 0xff, 0xfe, ...enc.encode(',2\nz,4\n')]),
      cls: LoadError,
      code: 'FILE_CORRUPT',
      message: "Invalid UTF8 detected in string '0xFFFE'",
      line: 3,
      character: 1,
      row: 'Row 2',
      column: '"T"["A":1]',
    },
    {
      name: 'an error in a record that spans lines',
      columns: ab,
      text: 'A,B\nx,1\n"two\nlines",oops\nz,4\n',
      cls: DataError,
      code: 'NUMERIC_NOT_RECOGNIZED',
      message: "Numeric value 'oops' is not recognized",
      line: 4,
      character: 8,
      row: 'Row 2 starts at line 3',
      column: '"T"["B":2]',
    },
  ];

  for (const c of cases) {
    const format = fmt({ skipHeader: 1, ...c.format });
    test(`${c.name}: ABORT_STATEMENT throws with the file, line and column`, () => {
      let err: unknown;
      try {
        load(c.text, c.columns, format, 'ABORT_STATEMENT');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(c.cls);
      const fe = err as FirnError;
      expect(fe.codeName).toBe(c.code);
      expect(fe.message).toBe(`${c.message}\n  File 'f.csv', line ${c.line}, character ${c.character}\n  ${c.row}, column ${c.column}\n  ${HINT}`);
    });
    test(`${c.name}: CONTINUE skips the record and reports it`, () => {
      const { batch, result } = load(c.text, c.columns, format, 'CONTINUE');
      expect(result).toEqual({
        file: 'f.csv',
        status: 'PARTIALLY_LOADED',
        rowsParsed: 3,
        rowsLoaded: 2,
        errorLimit: 3,
        errorsSeen: 1,
        firstError: c.message,
        firstErrorLine: c.line,
        firstErrorCharacter: c.character,
        firstErrorColumnName: c.column,
      });
      expect(batch.length).toBe(2);
      expect(show(batch, c.columns).map((r) => r[0])).toEqual(c.columns[0].name === 'B' ? ['1', '3'] : ['x', 'z']);
    });
  }

  test('an enclosed field never closed rejects the rest of the file', () => {
    const columns = [col('A', varchar()), col('B', num(10, 0))];
    const { batch, result } = load('x,1\n"y,2\nz,3\n', columns, fmt(), 'CONTINUE');
    expect(show(batch, columns)).toEqual([['x', '1']]);
    expect(result.errorsSeen).toBe(1);
    expect(result.firstError).toBe('End of file reached while expecting the closing " of an enclosed field');
    expect([result.firstErrorLine, result.firstErrorCharacter]).toEqual([2, 1]);
    expect(() => load('x,1\n"y,2\nz,3\n', columns)).toThrow(LoadError);
  });

  test('CONTINUE: every bad record counted, the first one reported; all bad -> LOAD_FAILED', () => {
    const columns = [col('N', num(10, 0))];
    const partial = load('1\nx\n2\ny\nz\n3\n', columns, fmt(), 'CONTINUE');
    expect(show(partial.batch, columns)).toEqual([['1'], ['2'], ['3']]);
    expect(partial.result).toMatchObject({ status: 'PARTIALLY_LOADED', rowsParsed: 6, rowsLoaded: 3, errorsSeen: 3, firstError: "Numeric value 'x' is not recognized", firstErrorLine: 2 });
    const failed = load('a\nb\n', columns, fmt(), 'CONTINUE');
    expect(failed.batch.length).toBe(0);
    expect(failed.result).toMatchObject({ status: 'LOAD_FAILED', rowsParsed: 2, rowsLoaded: 0, errorsSeen: 2, errorLimit: 2 });
  });

  test('dates and timestamps past 0001-01-01 .. 9999-12-31 are rejected with 22008, the ends load', () => {
    const columns = [col('D', Types.date), col('T', Types.timestampNtz)];
    const text = '0001-01-01,0001-01-01 00:00:00\n9999-12-31,9999-12-31 23:59:59.999\n0000-12-31,2024-01-01 00:00:00\n2024-01-01,0000-06-01 10:00:00\n900000000000000000000000,2024-01-01\n';
    const { batch, result } = load(text, columns, fmt(), 'CONTINUE');
    expect(show(batch, columns)).toEqual([
      ['0001-01-01', '0001-01-01 00:00:00.000'],
      ['9999-12-31', '9999-12-31 23:59:59.999'],
    ]);
    expect(result).toMatchObject({ rowsParsed: 5, rowsLoaded: 2, errorsSeen: 3, firstErrorLine: 3 });
    expect(result.firstError).toBe("Date out of range in '0000-12-31': the supported range is 0001-01-01 to 9999-12-31");
    expect(() => load(text, columns)).toThrow(expect.objectContaining({ codeName: 'DATETIME_OUT_OF_RANGE' }));
  });

  test('the first error of a record is its leftmost bad field', () => {
    const columns = [col('A', num(10, 0)), col('B', num(10, 0))];
    const { result } = load('x,y\n', columns, fmt(), 'CONTINUE');
    expect([result.firstError, result.firstErrorColumnName]).toEqual(["Numeric value 'x' is not recognized", '"T"["A":1]']);
  });

  test('a clean file reports LOADED and no first error', () => {
    const { result } = load('1\n2\n', [col('N', num(10, 0))], fmt(), 'ABORT_STATEMENT');
    expect(result).toEqual({
      file: 'f.csv',
      status: 'LOADED',
      rowsParsed: 2,
      rowsLoaded: 2,
      errorLimit: 1,
      errorsSeen: 0,
      firstError: null,
      firstErrorLine: null,
      firstErrorCharacter: null,
      firstErrorColumnName: null,
    });
  });

  test('without a table name the column label is just the column', () => {
    const { result } = readCsv(enc.encode('x\n'), [col('N', num(10, 0))], fmt(), 'CONTINUE', 'g.csv');
    expect(result.firstErrorColumnName).toBe('["N":1]');
  });

  test('options Firn cannot honour are refused', () => {
    const columns = [col('A', varchar())];
    expect(() => load('x', columns, fmt({ fieldDelimiter: '' }))).toThrow(/FIELD_DELIMITER/);
    expect(() => load('x', columns, fmt({ fieldOptionallyEnclosedBy: '«' }))).toThrow(/FIELD_OPTIONALLY_ENCLOSED_BY/);
    expect(() => load('x', columns, fmt({ fieldOptionallyEnclosedBy: ',' }))).toThrow(/FIELD_OPTIONALLY_ENCLOSED_BY/);
  });
});

describe('readCsv: across chunks', () => {
  test('rejected records in many chunks are dropped and the rest stay in order', () => {
    const columns = [col('I', num(38, 0)), col('S', varchar())];
    const lines: string[] = [];
    const kept: string[][] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 7 === 3) lines.push(`bad${i},s${i}`);
      else if (i % 11 === 5) lines.push(`${i}`);
      else {
        lines.push(`${i},s${i % 13}`);
        kept.push([String(i), `s${i % 13}`]);
      }
    }
    const { batch, result } = load(lines.join('\n'), columns, fmt(), 'CONTINUE');
    expect(show(batch, columns)).toEqual(kept);
    expect(result.errorsSeen).toBe(10_000 - kept.length);
    expect(result.firstErrorLine).toBe(4);
    const v = batch.columns[1];
    if (v.kind !== 'str') throw new Error('expected str');
    expect(v.dict.length).toBe(13);
  });

  test('a wide NUMBER late in the file widens the whole column without losing earlier values', () => {
    const columns = [col('N', num(38, 2))];
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`${i}.25`);
    lines.push('123456789012345678901234.5');
    lines.push('-7');
    const { batch } = load(lines.join('\n'), columns);
    expect(batch.columns[0].kind).toBe('dec');
    const out = show(batch, columns);
    expect(out[0]).toEqual(['0.25']);
    expect(out[4999]).toEqual(['4999.25']);
    expect(out[5000]).toEqual(['123456789012345678901234.50']);
    expect(out[5001]).toEqual(['-7.00']);
  });

  test('line numbers keep counting across chunks', () => {
    const lines = ['H'];
    for (let i = 0; i < 5000; i++) lines.push(String(i));
    lines[4321] = 'oops';
    const { result } = load(lines.join('\r\n'), [col('N', num(10, 0))], fmt({ skipHeader: 1 }), 'CONTINUE');
    expect([result.firstErrorLine, result.rowsParsed, result.errorsSeen]).toEqual([4322, 5000, 1]);
  });
});

describe('readCsv: the fast paths agree with CAST', () => {
  // Deterministic pseudo-random texts around the fast paths' edges.
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];
  const digitsOf = (n: number): string => Array.from({ length: n }, () => String(rnd(10))).join('');

  function compare(type: DataType, all: string[], parse: (t: string) => unknown): void {
    // An empty unenclosed field is NULL, not text for CAST.
    const texts = all.filter((t) => t !== '');
    const columns = [col('X', type)];
    const { batch, result } = load(texts.map((t) => `"${t}"`).join('\n') + '\n' + texts.join('\n'), columns, fmt(), 'CONTINUE');
    const expected = [...texts, ...texts].map(parse).filter((v) => v !== undefined);
    expect(result.rowsLoaded).toBe(expected.length);
    const got = Array.from({ length: batch.length }, (_, i) => scalarAt(batch.columns[0], i, type));
    expect(got).toEqual(expected);
  }

  test('NUMBER(p,s)', () => {
    for (const [p, s] of [
      [10, 2],
      [15, 2],
      [38, 0],
      [5, 5],
      [18, 4],
      [3, 0],
    ]) {
      const texts: string[] = [];
      for (let i = 0; i < 400; i++) {
        const sign = pick(['', '', '-', '+']);
        const int = digitsOf(rnd(18) + (i % 5 === 0 ? 0 : 1));
        const frac = rnd(3) === 0 ? '' : `.${digitsOf(rnd(8))}`;
        texts.push(`${sign}${int}${frac}`);
      }
      const limit = 10n ** BigInt(p);
      compare(Types.number(p, s), texts, (t) => {
        const v = parseNumberText(t, s);
        if (v === null || (v < 0n ? -v : v) >= limit) return undefined;
        return v;
      });
    }
  });

  test('FLOAT', () => {
    const texts: string[] = [];
    for (let i = 0; i < 500; i++) texts.push(`${pick(['', '-', '+'])}${digitsOf(rnd(12) + 1)}${rnd(2) ? `.${digitsOf(rnd(12))}` : ''}`);
    compare(Types.float, texts, (t) => parseFloatText(t) ?? undefined);
  });

  test('DATE and TIMESTAMP_NTZ', () => {
    const texts: string[] = [];
    for (let i = 0; i < 500; i++) {
      const y = String(rnd(10_000)).padStart(4, '0');
      const m = String(rnd(14)).padStart(2, '0');
      const d = String(rnd(33)).padStart(2, '0');
      texts.push(`${y}-${m}-${d}`);
    }
    compare(Types.date, texts, (t) => parseDateText(t) ?? undefined);
    const stamps = texts.map((t) => `${t}${pick([' ', 'T'])}${String(rnd(25)).padStart(2, '0')}:${String(rnd(61)).padStart(2, '0')}:${String(rnd(61)).padStart(2, '0')}${pick(['', '.', `.${digitsOf(rnd(9) + 1)}`])}`);
    compare(Types.timestampNtz, stamps, (t) => parseTimestampText(t) ?? undefined);
  });

  test('BOOLEAN', () => {
    const texts = ['true', 'TRUE', 'tRuE', 'false', 'FALSE', '1', '0', '2', 'tru', 'falsey', 'yes', 'n', ''];
    compare(Types.boolean, texts, (t) => parseBooleanText(t) ?? undefined);
  });
});

describe('readCsv: a million records', () => {
  test('parses every record of a generated 1M-row file', () => {
    const columns = [
      col('ID', num(38, 0), false),
      col('AMOUNT', num(12, 2)),
      col('DAY', Types.date),
      col('MODE', varchar(10)),
      col('NOTE', varchar(40)),
      col('RATE', Types.float),
      col('OK', Types.boolean),
    ];
    const modes = ['TRUCK', 'MAIL', 'REG AIR', 'SHIP'];
    const n = 1_000_000;
    const parts: string[] = ['ID|AMOUNT|DAY|MODE|NOTE|RATE|OK\n'];
    for (let i = 0; i < n; i++) {
      const amount = i % 1000 === 999 ? '\\N' : `${(i % 100_000) - 50_000}.${String(i % 100).padStart(2, '0')}`;
      const day = formatDate(i % 20_000);
      parts.push(`${i}|${amount}|${day}|${modes[i % 4]}|"note ${i}, ok"|${(i % 997) / 8}|${i % 3 === 0}\n`);
    }
    const bytes = Buffer.from(parts.join(''));
    const started = performance.now();
    const { batch, result } = readCsv(bytes, columns, fmt({ skipHeader: 1, fieldDelimiter: '|' }), 'ABORT_STATEMENT', 'big.csv');
    console.log(`1M rows, ${(bytes.length / 1e6).toFixed(0)} MB parsed in ${(performance.now() - started).toFixed(0)} ms`);
    expect(result).toMatchObject({ status: 'LOADED', rowsParsed: n, rowsLoaded: n });
    expect(batch.length).toBe(n);
    for (const i of [0, 1, 999, 123_456, 500_000, n - 1]) {
      const amount = i % 1000 === 999 ? null : formatDecimal(BigInt((i % 100_000) - 50_000) * 100n + BigInt(Math.sign((i % 100_000) - 50_000) || 1) * BigInt(i % 100), 2);
      expect(showRow(batch, columns, i)).toEqual([String(i), amount, formatDate(i % 20_000), modes[i % 4], `note ${i}, ok`, String((i % 997) / 8), String(i % 3 === 0)]);
    }
    const mode = batch.columns[3];
    if (mode.kind !== 'str') throw new Error('expected str');
    expect(mode.dict).toEqual(modes);
  });
});
