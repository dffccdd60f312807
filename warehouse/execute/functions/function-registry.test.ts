import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { batchOf, castTo, evalRead, lit, vec, type Readable } from '../expr-test-kit.js';
import { getFunction, registeredFunctionNames, resolveFunction } from './function-registry.js';

const S = Types.varchar;
const I = Types.number(38, 0);
const N = Types.number(10, 2);
const D = Types.date;

describe('function registry', () => {
  it('resolves every documented name (any case) to a canonical kernel name', () => {
    const calls: [string, DataType[], string][] = [
      ['ADD', [N, N], 'add'],
      ['subtract', [N, N], 'subtract'],
      ['multiply', [N, N], 'multiply'],
      ['divide', [N, N], 'divide'],
      ['modulo', [N, N], 'modulo'],
      ['MOD', [N, N], 'modulo'],
      ['negate', [N], 'negate'],
      ['eq', [N, N], 'eq'],
      ['ne', [N, N], 'ne'],
      ['lt', [N, N], 'lt'],
      ['le', [N, N], 'le'],
      ['gt', [N, N], 'gt'],
      ['ge', [N, N], 'ge'],
      ['concat', [S, S, S], 'concat'],
      ['upper', [S], 'upper'],
      ['lower', [S], 'lower'],
      ['length', [S], 'length'],
      ['LEN', [S], 'length'],
      ['substr', [S, I], 'substr'],
      ['substring', [S, I, I], 'substr'],
      ['trim', [S], 'trim'],
      ['ltrim', [S], 'ltrim'],
      ['rtrim', [S, S], 'rtrim'],
      ['year', [D], 'year'],
      ['month', [D], 'month'],
      ['day', [D], 'day'],
      ['dayofmonth', [D], 'day'],
      ['quarter', [D], 'quarter'],
      ['dayofweek', [D], 'dayofweek'],
      ['date_trunc', [S, D], 'date_trunc'],
      ['dateadd', [S, I, D], 'dateadd'],
      ['datediff', [S, D, D], 'datediff'],
      ['coalesce', [N, N, N], 'coalesce'],
      ['nullif', [N, N], 'nullif'],
      ['iff', [Types.boolean, N, N], 'iff'],
      ['nvl', [N, N], 'nvl'],
      ['abs', [N], 'abs'],
      ['round', [N, I], 'round'],
      ['floor', [N], 'floor'],
      ['ceil', [N], 'ceil'],
      ['to_date', [S], 'to_date'],
      ['left', [S, I], 'left'],
      ['right', [S, I], 'right'],
      ['replace', [S, S, S], 'replace'],
      ['startswith', [S, S], 'startswith'],
      ['contains', [S, S], 'contains'],
      ['position', [S, S], 'position'],
      ['lpad', [S, I, S], 'lpad'],
      ['rpad', [S, I], 'rpad'],
      ['sqrt', [Types.float], 'sqrt'],
      ['ln', [Types.float], 'ln'],
      ['power', [N, N], 'power'],
      ['greatest', [N, N], 'greatest'],
      ['least', [N, N], 'least'],
      ['split_part', [S, S, I], 'split_part'],
      ['trunc', [N, I], 'trunc'],
      ['TRUNCATE', [N], 'trunc'],
      ['trunc', [D, S], 'trunc'],
      ['nvl2', [N, S, S], 'nvl2'],
      ['zeroifnull', [N], 'zeroifnull'],
      ['decode', [N, N, S, S], 'decode'],
      ['to_date', [S, S], 'to_date'],
      ['to_char', [D, S], 'to_varchar'],
      ['to_char', [N, S], 'to_varchar'],
      ['try_to_timestamp', [S, S], 'try_to_timestamp'],
    ];
    for (const [name, args, fn] of calls) {
      expect(resolveFunction(name, args).fn, name).toBe(fn);
      expect(getFunction(fn).name).toBe(fn);
    }
  });

  it('returns the cast each argument needs', () => {
    expect(resolveFunction('year', [S])).toEqual({ fn: 'year', argTypes: [Types.timestampNtz], returnType: I });
    expect(resolveFunction('concat', [N, D])).toEqual({ fn: 'concat', argTypes: [S, S], returnType: S });
    expect(resolveFunction('add', [S, N])).toEqual({ fn: 'add', argTypes: [Types.float, Types.float], returnType: Types.float });
    expect(resolveFunction('iff', [S, N, Types.null]).argTypes).toEqual([Types.boolean, N, N]);
    expect(resolveFunction('to_timestamp', [I]).returnType).toEqual(Types.timestampNtz);
  });

  it('raises UNKNOWN_FUNCTION and TYPE_MISMATCH as compilation errors', () => {
    expect(() => resolveFunction('frobnicate', [S])).toThrow(CompilationError);
    expect(() => resolveFunction('frobnicate', [S])).toThrow(expect.objectContaining({ codeName: 'UNKNOWN_FUNCTION', message: 'SQL compilation error: Unknown function FROBNICATE' }));
    expect(() => resolveFunction('upper', [])).toThrow(/takes 1 argument/);
    expect(() => resolveFunction('substr', [S])).toThrow(/takes 2 to 3 arguments/);
    expect(() => resolveFunction('sqrt', [D])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH', message: "SQL compilation error: invalid argument types for function 'SQRT': (DATE)" }));
    expect(() => resolveFunction('to_date', [Types.boolean])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});

/**
 * One sample call per function: [function, arguments as (type, value, literal-only)]. Every
 * registered function but the clock functions must appear (checked below).
 */
type Arg = [DataType, Readable, boolean?];
const F = Types.float;
const B = Types.boolean;
const T = Types.timestampNtz;
const J = Types.variant;
const SAMPLES: [string, Arg[]][] = [
  ['add', [[N, '1.50'], [N, '2.25']]],
  ['subtract', [[D, '2024-03-01'], [I, '2']]],
  ['multiply', [[N, '1.50'], [F, 2]]],
  ['divide', [[N, '7.00'], [N, '2.00']]],
  ['modulo', [[N, '7.00'], [I, '4']]],
  ['negate', [[N, '1.50']]],
  ['abs', [[N, '-1.50']]],
  ['round', [[N, '1.55'], [I, '1']]],
  ['floor', [[N, '1.55']]],
  ['ceil', [[F, 1.5]]],
  ['trunc', [[N, '-1.55'], [I, '1']]],
  ['sqrt', [[F, 4]]],
  ['ln', [[F, 1]]],
  ['exp', [[F, 0]]],
  ['power', [[F, 2], [I, '3']]],
  ['eq', [[N, '1.50'], [N, '1.50']]],
  ['ne', [[S, 'a'], [S, 'b']]],
  ['lt', [[D, '2024-01-01'], [T, '2024-01-01 00:00:01']]],
  ['le', [[B, true], [B, false]]],
  ['gt', [[F, 2], [N, '1.50']]],
  ['ge', [[S, 'b'], [S, 'a']]],
  ['concat', [[S, 'a'], [S, 'b'], [N, '1.50']]],
  ['upper', [[S, 'abc']]],
  ['lower', [[S, 'ABC']]],
  ['length', [[S, 'abc']]],
  ['substr', [[S, 'hello'], [I, '2'], [I, '3']]],
  ['left', [[S, 'hello'], [I, '2']]],
  ['right', [[S, 'hello'], [I, '2']]],
  ['trim', [[S, 'xhix'], [S, 'x']]],
  ['ltrim', [[S, '  hi']]],
  ['rtrim', [[S, 'hi  ']]],
  ['replace', [[S, 'abcb'], [S, 'b'], [S, 'x']]],
  ['startswith', [[S, 'hello'], [S, 'he']]],
  ['endswith', [[S, 'hello'], [S, 'lo']]],
  ['contains', [[S, 'hello'], [S, 'ell']]],
  ['position', [[S, 'l'], [S, 'hello'], [I, '4']]],
  ['lpad', [[S, 'x'], [I, '3'], [S, '*']]],
  ['rpad', [[S, 'x'], [I, '3'], [S, '*']]],
  ['split_part', [[S, 'a,b,c'], [S, ','], [I, '2']]],
  ['like', [[S, 'abc'], [S, 'a%']]],
  ['ilike', [[S, 'ABC'], [S, 'a%']]],
  ['year', [[D, '2024-02-29']]],
  ['quarter', [[D, '2024-02-29']]],
  ['month', [[D, '2024-02-29']]],
  ['week', [[D, '2024-02-29']]],
  ['day', [[D, '2024-02-29']]],
  ['dayofweek', [[D, '2024-02-29']]],
  ['dayofweekiso', [[D, '2024-02-29']]],
  ['dayofyear', [[D, '2024-02-29']]],
  ['hour', [[T, '2024-02-29 13:14:15']]],
  ['minute', [[T, '2024-02-29 13:14:15']]],
  ['second', [[T, '2024-02-29 13:14:15']]],
  ['date_part', [[S, 'epoch_second', true], [T, '2024-02-29 13:14:15']]],
  ['date_trunc', [[S, 'month', true], [D, '2024-02-29']]],
  ['dateadd', [[S, 'month', true], [I, '1'], [D, '2024-01-31']]],
  ['datediff', [[S, 'day', true], [D, '2024-01-31'], [D, '2024-03-01']]],
  ['greatest', [[N, '1.50'], [I, '2']]],
  ['least', [[N, '1.50'], [I, '2']]],
  ['to_date', [[S, '2024-01-02']]],
  ['try_to_date', [[S, '01/02/2024'], [S, 'MM/DD/YYYY']]],
  ['to_timestamp', [[S, '2024-01-02 03:04:05']]],
  ['try_to_timestamp', [[S, '2024-01-02 03'], [S, 'YYYY-MM-DD HH24']]],
  ['to_timestamp_ltz', [[S, '2024-01-02 03:04:05 +01:00']]],
  ['try_to_timestamp_ltz', [[S, '2024-01-02 03'], [S, 'YYYY-MM-DD HH24']]],
  ['to_timestamp_tz', [[S, '2024-01-02 03:04:05 +01:00']]],
  ['try_to_timestamp_tz', [[S, '2024-01-02 03:04:05']]],
  ['convert_timezone', [[S, 'UTC', true], [S, '2024-01-02 03:04:05 +01:00']]],
  ['to_varchar', [[D, '2024-01-02'], [S, 'DD.MM.YYYY']]],
  ['try_to_varchar', [[N, '1.50']]],
  ['to_number', [[S, '12']]],
  ['try_to_number', [[S, '12.345'], [I, '10', true], [I, '2', true]]],
  ['to_time', [[S, '10:11:12.123456789']]],
  ['try_to_time', [[T, '2024-01-02 03:04:05']]],
  ['to_double', [[S, '1.5']]],
  ['try_to_double', [[S, '1.5']]],
  ['to_boolean', [[S, 'true']]],
  ['try_to_boolean', [[S, 'no']]],
  ['regexp_like', [[S, 'abc'], [S, 'A.C'], [S, 'i']]],
  ['regexp_substr', [[S, 'a1b22c333'], [S, '([a-z])([0-9]+)'], [I, '1'], [I, '2'], [S, 'e'], [I, '2']]],
  ['regexp_replace', [[S, 'a1b22'], [S, '([0-9]+)'], [S, '<\\1>'], [I, '1'], [I, '0'], [S, 'c']]],
  ['regexp_count', [[S, 'a1b22c333'], [S, '[0-9]+'], [I, '2'], [S, 'c']]],
  ['regexp_instr', [[S, 'a1b22c333'], [S, '[0-9]+'], [I, '1'], [I, '2'], [I, '1'], [S, 'c'], [I, '0']]],
  ['md5', [[S, 'abc']]],
  ['sha1', [[S, 'abc']]],
  ['sha2', [[S, 'abc'], [I, '384']]],
  ['md5_binary', [[Types.binary, 'abc']]],
  ['sha1_binary', [[S, 'abc']]],
  ['sha2_binary', [[Types.binary, 'abc'], [I, '384']]],
  ['to_binary', [[S, '4142'], [S, 'HEX']]],
  ['try_to_binary', [[S, 'QUI='], [S, 'BASE64']]],
  ['hex_decode_binary', [[S, '4142']]],
  ['try_hex_decode_binary', [[S, '4142']]],
  ['base64_decode_binary', [[S, 'YWJj'], [S, '-_']]],
  ['try_base64_decode_binary', [[S, 'YWJj']]],
  ['uuid_string', [[S, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'], [S, 'python.org']]],
  ['initcap', [[S, 'hello world'], [S, ' ']]],
  ['reverse', [[S, 'abc']]],
  ['repeat', [[S, 'ab'], [I, '3']]],
  ['ascii', [[S, 'A']]],
  ['chr', [[I, '65']]],
  ['translate', [[S, 'abc'], [S, 'ab'], [S, 'x']]],
  ['concat_ws', [[S, ','], [S, 'a'], [N, '1.50']]],
  ['strtok', [[S, 'a.b.c'], [S, '.'], [I, '2']]],
  ['base64_encode', [[S, 'abc'], [I, '76'], [S, '-_']]],
  ['base64_decode_string', [[S, 'YWJj'], [S, '-_']]],
  ['hex_encode', [[S, 'abc'], [I, '0']]],
  ['hex_decode_string', [[S, '616263']]],
  ['nullifzero', [[N, '1.50']]],
  ['boolxor', [[I, '1'], [F, 0]]],
  ['boolnot', [[N, '0.00']]],
  ['bitand', [[I, '12'], [I, '10']]],
  ['bitor', [[I, '12'], [I, '10']]],
  ['bitxor', [[I, '12'], [I, '10']]],
  ['bitnot', [[I, '12']]],
  ['bitshiftleft', [[I, '3'], [I, '2']]],
  ['bitshiftright', [[I, '-12'], [I, '2']]],
  ['sign', [[N, '-1.50']]],
  ['square', [[N, '1.50']]],
  ['width_bucket', [[N, '1.50'], [N, '0'], [N, '10'], [N, '4']]],
  ['cbrt', [[F, 27]]],
  ['pi', []],
  ['log', [[I, '2'], [F, 8]]],
  ['sin', [[F, 1]]],
  ['cos', [[F, 1]]],
  ['tan', [[F, 1]]],
  ['cot', [[F, 1]]],
  ['asin', [[F, 0.5]]],
  ['acos', [[F, 0.5]]],
  ['atan', [[F, 1]]],
  ['atan2', [[F, 1], [I, '2']]],
  ['degrees', [[F, 1]]],
  ['radians', [[I, '180']]],
  ['weekiso', [[D, '2024-02-29']]],
  ['yearofweekiso', [[D, '2024-02-29']]],
  ['yearofweek', [[D, '2021-01-01']]],
  ['date_from_parts', [[I, '2024'], [I, '13'], [I, '0']]],
  ['timestamp_from_parts', [[I, '2024'], [I, '2'], [I, '29'], [I, '25'], [I, '0'], [I, '0'], [I, '5']]],
  ['time_from_parts', [[I, '12'], [I, '34'], [I, '56'], [I, '7']]],
  ['last_day', [[D, '2024-02-10'], [S, 'quarter', true]]],
  ['next_day', [[D, '2024-02-10'], [S, 'fr']]],
  ['previous_day', [[T, '2024-02-10 10:00:00'], [S, 'Friday']]],
  ['add_months', [[D, '2024-02-29'], [I, '1']]],
  ['months_between', [[D, '2024-03-15'], [T, '2024-02-10 12:00:00']]],
  ['dayname', [[D, '2024-02-29']]],
  ['monthname', [[T, '2024-02-29 10:00:00']]],
  ['parse_json', [[S, '{"b":[1,2],"a":"x"}']]],
  ['try_parse_json', [[S, '{"a":1,"a":2}'], [S, 'd', true]]],
  ['to_variant', [[N, '1.50']]],
  ['to_object', [[J, '{"a":1}']]],
  ['to_array', [[J, '1']]],
  ['get', [[J, '{"a":[1,2]}'], [S, 'a']]],
  ['get_path', [[J, '{"a":[1,{"b":true}]}'], [S, 'a[1].b']]],
  ['typeof', [[J, '1.5']]],
  ['$variant_order_key', [[J, '[1,"a"]']]],
  ['is_null_value', [[J, 'null']]],
  ['is_object', [[J, '{}']]],
  ['is_array', [[J, '[]']]],
  ['is_integer', [[J, '12']]],
  ['is_decimal', [[J, '1.2']]],
  ['is_double', [[J, '1.000000000000000e+00']]],
  ['is_real', [[J, '1']]],
  ['is_varchar', [[J, '"a"']]],
  ['is_char', [[J, '"a"']]],
  ['is_boolean', [[J, 'true']]],
  ['array_size', [[J, '[1,2,3]']]],
  ['object_keys', [[J, '{"a":1,"b":2}']]],
  ['split', [[S, 'a,b'], [S, ',']]],
  ['array_to_string', [[Types.array, '[1,"x"]'], [S, '-']]],
  ['as_varchar', [[J, '"abc"']]],
  ['as_integer', [[J, '42']]],
  ['as_number', [[J, '42']]],
  ['as_double', [[J, '1.5']]],
  ['as_boolean', [[J, 'false']]],
  ['as_object', [[J, '{"a":1}']]],
  ['as_array', [[J, '[1]']]],
  ['array_cat', [[Types.array, '[1,2]'], [Types.array, '[3]']]],
  ['array_slice', [[Types.array, '[0,1,2,3]'], [I, '1'], [I, '-1']]],
  ['array_compact', [[Types.array, '[1,undefined,null,2]']]],
  ['array_distinct', [[Types.array, '[1,1,"a"]']]],
  ['array_flatten', [[Types.array, '[[1],[2,3]]']]],
  ['array_reverse', [[Types.array, '[1,2]']]],
  ['array_generate_range', [[I, '1'], [I, '10'], [I, '3']]],
  ['arrays_overlap', [[Types.array, '[1,2]'], [Types.array, '[2]']]],
  ['array_intersection', [[Types.array, '[1,2,2]'], [Types.array, '[2,2,3]']]],
  ['array_except', [[Types.array, '[1,2,2]'], [Types.array, '[2]']]],
  ['array_min', [[Types.array, '[3,1,2]']]],
  ['array_max', [[Types.array, '[3,1,2]']]],
  ['array_sort', [[Types.array, '[3,null,1]'], [B, false], [B, true]]],
  ['object_delete', [[Types.object, '{"a":1,"b":2}'], [S, 'a']]],
  ['object_pick', [[Types.object, '{"a":1,"b":2}'], [S, 'a'], [S, 'b']]],
  ['strip_null_value', [[J, '1']]],
  ['to_json', [[J, '{"a":[1,"x"]}']]],
  ['check_json', [[S, '{"a":']]],
  ['json_extract_path_text', [[S, '{"a":{"b":"x"}}'], [S, 'a.b']]],
  ['editdistance', [[S, 'kitten'], [S, 'sitting'], [I, '2']]],
  ['jarowinkler_similarity', [[S, 'martha'], [S, 'marhta']]],
  ['soundex', [[S, 'Robert']]],
  ['octet_length', [[S, 'é']]],
  ['bit_length', [[S, 'é']]],
  ['unicode', [[S, 'é']]],
  ['space', [[I, '2']]],
  ['insert', [[S, 'abcdef'], [I, '3'], [I, '2'], [S, 'zzz']]],
  ['strtok_to_array', [[S, 'a.b'], [S, '.']]],
  ['regexp_substr_all', [[S, 'a1b22'], [S, '[0-9]+'], [I, '1'], [I, '1'], [S, 'c'], [I, '0']]],
  ['time_slice', [[T, '2024-02-29 13:14:15'], [I, '15'], [S, 'minute', true], [S, 'end', true]]],
  ['md5_number_lower64', [[S, 'abc']]],
  ['md5_number_upper64', [[S, 'abc']]],
];
/** Functions that are not NULL-in, NULL-out; each has its own NULL tests (conditional.test.ts, comparison.test.ts, single-row-check.test.ts). */
const NON_STRICT = [
  'object_construct',
  'object_construct_keep_null',
  'array_construct',
  'array_contains',
  'coalesce',
  'nvl',
  'iff',
  'nullif',
  'nvl2',
  'zeroifnull',
  'decode',
  'is_distinct_from',
  'is_not_distinct_from',
  '$single_row',
  'hash',
  'div0',
  'div0null',
  'booland',
  'boolor',
  // Tested for NULLs in test/sql/array-object-functions.slt and string-functions-more.slt.
  'array_append',
  'array_prepend',
  'array_insert',
  'array_position',
  'object_insert',
  'system$typeof',
];
const CLOCK = ['current_date', 'current_time', 'current_timestamp', 'sysdate'];
/** Data-generation functions: random or numbered by the generator's row, tested in data-generation.test.ts and generator.slt. */
const GENERATED = ['random', 'randstr', 'uniform', 'normal', 'seq1', 'seq2', 'seq4', 'seq8'];

function bindSample(name: string, args: BoundExpr[]): BoundExpr {
  const r = resolveFunction(name, args.map((a) => a.type), args.map((a) => (a.kind === 'literal' ? a.value : undefined)));
  return { kind: 'call', fn: r.fn, args: args.map((a, i) => castTo(a, r.argTypes[i])), type: r.returnType };
}

describe('every function with NULLs', () => {
  it('has a sample call for every registered function', () => {
    const covered = new Set([...SAMPLES.map(([name]) => name), ...NON_STRICT, ...CLOCK, ...GENERATED]);
    expect(registeredFunctionNames().filter((name) => !covered.has(name))).toEqual([]);
  });

  for (const [name, args] of SAMPLES) {
    it(`${name}: a NULL in any argument, constant or in a column, gives NULL; rows with values agree with the constant result`, () => {
      const constant = bindSample(name, args.map(([type, value]) => lit(value, type)));
      const [expected] = evalRead(constant, batchOf());
      expect(expected, 'the sample itself is not NULL').not.toBeNull();
      for (let j = 0; j < args.length; j++) {
        // A typed NULL constant in position j.
        const withNull = bindSample(name, args.map(([type, value], k) => lit(k === j ? null : value, type)));
        expect(evalRead(withNull, batchOf()), `NULL constant in argument ${j + 1}`).toEqual([null]);
        if (args[j][2]) continue;
        // Position j as a column of [value, NULL], the rest constants (or columns of two values).
        const columns = args.map(([type, value], k) => vec(type, k === j ? [value, null] : [value, value]));
        const refs = args.map(([type, value, literalOnly], k): BoundExpr => (literalOnly ? lit(value, type) : { kind: 'column', index: k, type }));
        // A scale argument in a column types ROUND/TRUNC at the input's scale: compare values.
        const decimals = (v: Readable) => (typeof v === 'string' && /^-?\d+\.\d+$/.test(v) ? v.replace(/\.?0+$/, '') : v);
        expect(evalRead(bindSample(name, refs), batchOf(...columns)).map(decimals), `column argument ${j + 1}`).toEqual([decimals(expected), null]);
      }
    });
  }
});