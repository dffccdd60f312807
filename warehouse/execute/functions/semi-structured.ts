/**
 * Semi-structured functions over VARIANT, OBJECT and ARRAY (canonical JSON text in 'str'
 * vectors, storage/types/variant-json.ts): parsing (PARSE_JSON, TRY_PARSE_JSON), conversion
 * (TO_VARIANT, TO_OBJECT, TO_ARRAY, AS_VARCHAR / AS_INTEGER / AS_DOUBLE / ...), construction
 * (OBJECT_CONSTRUCT[_KEEP_NULL], ARRAY_CONSTRUCT), access (GET, GET_PATH, which the SQL path
 * syntax `v:a.b[0]` and `v['a']` also binds to), inspection (TYPEOF, IS_*, ARRAY_SIZE,
 * ARRAY_CONTAINS, OBJECT_KEYS), and strings to and from arrays (SPLIT, ARRAY_TO_STRING).
 *
 * Contract: arguments the function reads as JSON are cast to VARIANT by the binder, so
 * kernels see canonical text. When one argument is a 'str' vector and the rest constants,
 * the work runs once per dictionary entry and keeps the codes (the fast path); otherwise per
 * row. A JSON null is a value (`null`), distinct from SQL NULL: GET of a missing key or an
 * out-of-range index is SQL NULL, IS_NULL_VALUE tells JSON null apart. Invalid JSON in
 * PARSE_JSON is INVALID_JSON (100069, 22P02), `Error parsing JSON: <reason>, pos <n>`;
 * TRY_PARSE_JSON gives NULL there.
 */
import { CompilationError, DataError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { StrVector } from '../../../storage/types/vector.js';
import {
  JsonSyntaxError,
  arrayElements,
  arrayLength,
  canonicalJson,
  getField,
  getIndex,
  getPath,
  objectEntries,
  objectText,
  parsePath,
  variantKind,
  type VariantKind,
} from '../../../storage/types/variant-json.js';
import { variantScalarText } from '../cast/cast-variant.js';
import { castVector } from '../cast/cast-vector.js';
import { INTEGER, checkArity, coerceString, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import { perEntry, rowKernel } from './row-kernel.js';
import { expectKind, materialize } from './vector-kit.js';

// ---------------------------------------------------------------------------------------
// Typing

const V = Types.variant;

/** Every argument cast to VARIANT (any type converts), result `ret`. */
function allVariant(fn: string, min: number, max: number, ret: DataType) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, min, max);
    return { argTypes: types.map(() => V), returnType: ret };
  };
}

/** One argument read as a VARIANT (OBJECT and ARRAY stay as they are), result `ret`. */
function oneVariant(fn: string, ret: DataType) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 1, 1);
    return { argTypes: [V], returnType: ret };
  };
}

function parseJsonKernel(tryParse: boolean) {
  return rowKernel('str', ([text, param]) => {
    const allowDuplicates = typeof param === 'string' && param.toLowerCase() === 'd';
    try {
      return canonicalJson(String(text), allowDuplicates);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      if (tryParse) return null;
      throw new DataError('INVALID_JSON', `Error parsing JSON: ${err.message}`);
    }
  });
}

function resolveParseJson(fn: string) {
  return (types: readonly DataType[], consts: readonly (Scalar | undefined)[]): Signature => {
    checkArity(fn, types, 1, 2);
    if (types.length === 2) {
      const p = consts[1];
      if (typeof p === 'string' && !['d', 's'].includes(p.toLowerCase())) {
        throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid parameter for function '${fn.toUpperCase()}': the second argument must be the constant 'd' or 's'`);
      }
    }
    return { argTypes: types.map((t) => coerceString(fn, types, t)), returnType: V };
  };
}

/** GET(v, key | index): the key for an OBJECT (or VARIANT), an integer index for an ARRAY. */
function resolveGet(types: readonly DataType[]): Signature {
  checkArity('get', types, 2, 2);
  const [, k] = types;
  const keyType = k.kind === 'NUMBER' || k.kind === 'FLOAT' ? INTEGER : coerceString('get', types, k);
  return { argTypes: [V, keyType], returnType: V };
}

function getValue(v: string, key: Scalar): string | null {
  if (typeof key === 'string') return getField(v, key);
  const index = typeof key === 'bigint' ? Number(key) : Number(key);
  return getIndex(v, index);
}

function getPathKernel(): ReturnType<typeof rowKernel> {
  const parsed = new Map<string, ReturnType<typeof parsePath>>();
  return rowKernel('str', ([v, path]) => {
    const p = String(path);
    let steps = parsed.get(p);
    if (steps === undefined) {
      steps = parsePath(p);
      if (steps === null) throw new DataError('INVALID_JSON', `Invalid extraction path '${p}': invalid path syntax`);
      parsed.set(p, steps);
    }
    return getPath(String(v), steps!);
  });
}

/** Keys and values of OBJECT_CONSTRUCT: key, value, key, value, ... */
function resolveObjectConstruct(fn: string) {
  return (types: readonly DataType[]): Signature => {
    if (types.length % 2 !== 0) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: function '${fn.toUpperCase()}' takes an even number of arguments (key, value pairs), got ${types.length}`);
    return { argTypes: types.map((t, j) => (j % 2 === 0 ? coerceString(fn, types, t) : V)), returnType: Types.object };
  };
}

function objectConstruct(keepNull: boolean) {
  return rowKernel(
    'str',
    (args) => {
      const members = new Map<string, string>();
      for (let j = 0; j < args.length; j += 2) {
        const k = args[j];
        const v = args[j + 1];
        if (k === null) continue;
        if (v === null) {
          if (keepNull) members.set(String(k), 'null');
          continue;
        }
        members.set(String(k), String(v));
      }
      return objectText([...members]);
    },
    false,
  );
}

const arrayConstruct = rowKernel('str', (args) => `[${args.map((a) => (a === null ? 'undefined' : String(a))).join(',')}]`, false);

/** IS_<kind>: the value's kind is one of `kinds`. */
function isKind(name: string, kinds: readonly VariantKind[]): FunctionDef {
  return { name, resolve: oneVariant(name, Types.boolean), kernel: rowKernel('bool', ([v]) => kinds.includes(variantKind(String(v)))), strict: true };
}

/** AS_<type>: the value when it has one of `kinds`, cast to `type`; else NULL. */
function asType(name: string, type: DataType, kinds: readonly VariantKind[], aliases: string[] = []): FunctionDef {
  return {
    name,
    aliases,
    resolve: oneVariant(name, type),
    kernel: (args, argTypes, _type, n) => {
      const v = expectKind(materialize(args[0], argTypes[0], n), 'str', name);
      const only = perEntry('str', v, (t) => (kinds.includes(variantKind(t)) ? t : null)) as StrVector;
      return castVector(only, V, type, true);
    },
    strict: true,
  };
}

function conversion(name: string, type: DataType): FunctionDef {
  return {
    name,
    resolve: (types) => {
      checkArity(name, types, 1, 1);
      const t = types[0];
      // TO_OBJECT / TO_ARRAY take a VARIANT (or the type itself); TO_VARIANT anything.
      if (type.kind !== 'VARIANT' && t.kind !== 'VARIANT' && t.kind !== type.kind && t.kind !== 'NULL') {
        if (type.kind === 'ARRAY') return { argTypes: [V], returnType: type };
        throw mismatch(name, types);
      }
      return { argTypes: [t.kind === 'NULL' ? type : t], returnType: type };
    },
    kernel: (args, argTypes, _type, n) => {
      const v = materialize(args[0], argTypes[0], n);
      if (type.kind === 'ARRAY' && argTypes[0].kind === 'VARIANT') {
        // TO_ARRAY of a non-array value wraps it in an array of one element.
        return perEntry('str', expectKind(v, 'str', name), (t) => (t[0] === '[' ? t : `[${t}]`));
      }
      return castVector(v, argTypes[0], type, false);
    },
    strict: true,
  };
}

export const semiStructuredFunctions: FunctionDef[] = [
  { name: 'parse_json', resolve: resolveParseJson('parse_json'), kernel: parseJsonKernel(false), strict: true },
  { name: 'try_parse_json', resolve: resolveParseJson('try_parse_json'), kernel: parseJsonKernel(true), strict: true },
  conversion('to_variant', V),
  conversion('to_object', Types.object),
  conversion('to_array', Types.array),
  { name: 'object_construct', resolve: resolveObjectConstruct('object_construct'), kernel: objectConstruct(false), strict: false },
  { name: 'object_construct_keep_null', resolve: resolveObjectConstruct('object_construct_keep_null'), kernel: objectConstruct(true), strict: false },
  { name: 'array_construct', resolve: allVariant('array_construct', 0, Infinity, Types.array), kernel: arrayConstruct, strict: false },
  { name: 'get', resolve: resolveGet, kernel: rowKernel('str', ([v, k]) => getValue(String(v), k)), strict: true },
  {
    name: 'get_path',
    resolve: (types) => {
      checkArity('get_path', types, 2, 2);
      return { argTypes: [V, coerceString('get_path', types, types[1])], returnType: V };
    },
    kernel: getPathKernel(),
    strict: true,
  },
  { name: 'typeof', resolve: oneVariant('typeof', Types.varchar), kernel: rowKernel('str', ([v]) => variantKind(String(v))), strict: true },
  isKind('is_null_value', ['NULL_VALUE']),
  isKind('is_object', ['OBJECT']),
  isKind('is_array', ['ARRAY']),
  isKind('is_integer', ['INTEGER']),
  isKind('is_decimal', ['INTEGER', 'DECIMAL']),
  isKind('is_double', ['INTEGER', 'DECIMAL', 'DOUBLE']),
  isKind('is_real', ['INTEGER', 'DECIMAL', 'DOUBLE']),
  isKind('is_varchar', ['VARCHAR']),
  isKind('is_char', ['VARCHAR']),
  isKind('is_boolean', ['BOOLEAN']),
  {
    name: 'array_size',
    resolve: oneVariant('array_size', INTEGER),
    kernel: rowKernel('f64', ([v]) => {
      const t = String(v);
      return t[0] === '[' ? arrayLength(t) : null;
    }),
    strict: true,
  },
  {
    name: 'array_contains',
    resolve: (types) => {
      checkArity('array_contains', types, 2, 2);
      return { argTypes: [V, Types.array], returnType: Types.boolean };
    },
    kernel: rowKernel(
      'bool',
      ([value, array]) => {
        if (array === null) return null;
        return arrayElements(String(array)).includes(value === null ? 'undefined' : String(value));
      },
      false,
    ),
    strict: false,
  },
  {
    name: 'object_keys',
    resolve: oneVariant('object_keys', Types.array),
    kernel: rowKernel('str', ([v]) => {
      const t = String(v);
      if (t[0] !== '{') return null;
      return `[${objectEntries(t)
        .map(([k]) => JSON.stringify(k))
        .join(',')}]`;
    }),
    strict: true,
  },
  {
    // SPLIT(string, separator): the parts as an ARRAY of strings; an empty separator gives the whole string.
    name: 'split',
    resolve: (types) => {
      checkArity('split', types, 2, 2);
      return { argTypes: [coerceString('split', types, types[0]), coerceString('split', types, types[1])], returnType: Types.array };
    },
    kernel: rowKernel('str', ([s, sep]) => {
      const text = String(s);
      const d = String(sep);
      return `[${(d === '' ? [text] : text.split(d)).map((part) => JSON.stringify(part)).join(',')}]`;
    }),
    strict: true,
  },
  {
    // ARRAY_TO_STRING(array, separator): each element as TO_VARCHAR makes it (strings unquoted), a NULL as '', joined.
    name: 'array_to_string',
    resolve: (types) => {
      checkArity('array_to_string', types, 2, 2);
      return { argTypes: [V, coerceString('array_to_string', types, types[1])], returnType: Types.varchar };
    },
    kernel: rowKernel('str', ([a, sep]) => {
      const t = String(a);
      const elements = t[0] === '[' ? arrayElements(t) : [t];
      return elements.map((e) => (e === 'undefined' ? '' : (variantScalarText(e, Types.varchar, false) ?? ''))).join(String(sep));
    }),
    strict: true,
  },
  asType('as_varchar', Types.varchar, ['VARCHAR'], ['as_char']),
  asType('as_integer', INTEGER, ['INTEGER']),
  asType('as_number', Types.number(38, 0), ['INTEGER', 'DECIMAL'], ['as_decimal']),
  asType('as_double', Types.float, ['INTEGER', 'DECIMAL', 'DOUBLE'], ['as_real']),
  asType('as_boolean', Types.boolean, ['BOOLEAN']),
  asType('as_object', Types.object, ['OBJECT']),
  asType('as_array', Types.array, ['ARRAY']),
];
