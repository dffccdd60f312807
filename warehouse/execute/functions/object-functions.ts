/**
 * OBJECT and JSON-text functions beyond construction and access (semi-structured.ts):
 * OBJECT_INSERT, OBJECT_DELETE, OBJECT_PICK, STRIP_NULL_VALUE, TO_JSON, CHECK_JSON and
 * JSON_EXTRACT_PATH_TEXT.
 *
 * Why: dbt models patch JSON payloads (OBJECT_INSERT with updateFlag, OBJECT_DELETE of
 * personal fields, OBJECT_PICK of a projection), validate raw text (CHECK_JSON) and pull
 * strings out of JSON kept as VARCHAR (JSON_EXTRACT_PATH_TEXT), as in Snowflake.
 *
 * Contract (Snowflake's documented rules):
 *  - OBJECT_INSERT(o, key, value [, updateFlag]): a key the object has raises OBJECT_KEY_EXISTS
 *    (`Duplicate field key 'k'`) unless updateFlag is TRUE, which replaces its value. A SQL
 *    NULL key or value inserts nothing (with updateFlag TRUE a NULL value removes the key, the
 *    pair being omitted from the result); a JSON null value is inserted. A NULL object gives
 *    NULL; a NULL updateFlag is FALSE.
 *  - OBJECT_DELETE(o, k1, ...) drops the named keys; OBJECT_PICK(o, k1, ...) or
 *    OBJECT_PICK(o, array_of_keys) keeps only them. Keys the object lacks are ignored; any
 *    NULL argument gives NULL. Results keep canonical key order.
 *  - STRIP_NULL_VALUE(v): a JSON null becomes SQL NULL, anything else is returned as it is.
 *  - TO_JSON(v): the value's JSON text, compact. Object keys come out sorted (Snowflake
 *    documents its order as unpredictable); numbers and the `undefined` of a SQL NULL array
 *    element as the canonical text has them. TO_JSON(PARSE_JSON('null')) is 'null'.
 *  - CHECK_JSON(s): NULL when `s` is valid JSON (or empty), else PARSE_JSON's reason,
 *    `incomplete object value, pos 7`, as a VARCHAR.
 *  - JSON_EXTRACT_PATH_TEXT(s, path) = TO_VARCHAR(GET_PATH(PARSE_JSON(s), path)): invalid JSON
 *    raises INVALID_JSON as PARSE_JSON does, a malformed path INVALID_JSON as GET_PATH does, a
 *    missing path or a JSON null gives NULL, a string value comes back without its quotes.
 *  - Any other NULL argument gives NULL.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { JsonSyntaxError, arrayElements, canonicalJson, getPath, objectEntries, objectText, parsePath, stringValue, type PathStep } from '../../../storage/types/variant-json.js';
import { variantScalarText } from '../cast/cast-variant.js';
import { rowKernel } from './row-kernel.js';
import { checkArity, coerce, coerceString, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import type { Kernel } from './vector-kit.js';

const O = Types.object;
const V = Types.variant;

function objectInsert([o, key, value, update]: readonly Scalar[]): string | null {
  if (o === null) return null;
  const text = String(o);
  if (key === null) return text;
  const k = String(key);
  const members = objectEntries(text);
  const at = members.findIndex(([name]) => name === k);
  if (at >= 0 && update !== true) throw new DataError('OBJECT_KEY_EXISTS', `Duplicate field key '${clipValue(k)}'`);
  if (value === null) {
    if (at < 0) return text;
    members.splice(at, 1);
  } else if (at >= 0) members[at] = [k, String(value)];
  else members.push([k, String(value)]);
  return objectText(members);
}

/** The key arguments of OBJECT_DELETE / OBJECT_PICK: the strings given, or the strings of one ARRAY. */
function keysOf(args: readonly Scalar[], fromArray: boolean): Set<string> {
  if (!fromArray) return new Set(args.map(String));
  return new Set(arrayElements(String(args[0])).map((e) => (e[0] === '"' ? stringValue(e) : e)));
}

function resolveKeys(fn: string) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 2, Infinity);
    // OBJECT_PICK(o, array_of_keys): one ARRAY of key names.
    if (fn === 'object_pick' && types.length === 2 && types[1].kind === 'ARRAY') return { argTypes: [O, Types.array], returnType: O };
    return { argTypes: types.map((t, j) => (j === 0 ? O : coerceString(fn, types, t))), returnType: O };
  };
}

/** OBJECT_PICK (`keep`) or OBJECT_DELETE: the keys come from one ARRAY when the call was bound with one. */
function objectKeys(keep: boolean): Kernel {
  const byArgs = rowKernel('str', (args) => pick(args, keysOf(args.slice(1), false), keep));
  const byArray = rowKernel('str', (args) => pick(args, keysOf(args.slice(1), true), keep));
  return (args, argTypes, type, n) => (argTypes.length === 2 && argTypes[1].kind === 'ARRAY' ? byArray : byArgs)(args, argTypes, type, n);
}

function pick(args: readonly Scalar[], keys: Set<string>, keep: boolean): string {
  return objectText(objectEntries(String(args[0])).filter(([k]) => keys.has(k) === keep));
}

/** Paths by text, parsed once per worker (a query names a few). */
const PATHS = new Map<string, readonly PathStep[]>();

function pathOf(path: string): readonly PathStep[] {
  let steps = PATHS.get(path);
  if (steps === undefined) {
    const parsed = parsePath(path);
    if (parsed === null) throw new DataError('INVALID_JSON', `Invalid extraction path '${clipValue(path)}': invalid path syntax`);
    steps = parsed;
    if (PATHS.size > 256) PATHS.clear();
    PATHS.set(path, steps);
  }
  return steps;
}

function extractPathText([json, path]: readonly Scalar[]): string | null {
  let doc: string | null;
  try {
    doc = canonicalJson(String(json));
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new DataError('INVALID_JSON', `Error parsing JSON: ${err.message}`);
  }
  if (doc === null) return null;
  const v = getPath(doc, pathOf(String(path)));
  if (v === null || v === 'null') return null;
  return variantScalarText(v, Types.varchar, false);
}

function checkJson([s]: readonly Scalar[]): string | null {
  try {
    canonicalJson(String(s));
    return null;
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return err.message;
  }
}

function resolveInsert(types: readonly DataType[]): Signature {
  checkArity('object_insert', types, 3, 4);
  const argTypes: DataType[] = [O, coerceString('object_insert', types, types[1]), V];
  if (types.length === 4) argTypes.push(coerce('object_insert', types, types[3], Types.boolean));
  return { argTypes, returnType: O };
}

function oneArg(fn: string, arg: DataType, ret: DataType) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 1, 1);
    if (arg.kind === 'VARCHAR') return { argTypes: [coerceString(fn, types, types[0])], returnType: ret };
    return { argTypes: [arg], returnType: ret };
  };
}

function resolveExtractPath(types: readonly DataType[]): Signature {
  checkArity('json_extract_path_text', types, 2, 2);
  if (types[0].kind === 'BOOLEAN' || types[1].kind === 'BOOLEAN') throw mismatch('json_extract_path_text', types);
  return { argTypes: [coerceString('json_extract_path_text', types, types[0]), coerceString('json_extract_path_text', types, types[1])], returnType: Types.varchar };
}

export const objectFunctions: FunctionDef[] = [
  { name: 'object_insert', resolve: resolveInsert, kernel: rowKernel('str', objectInsert, false), strict: false },
  { name: 'object_delete', resolve: resolveKeys('object_delete'), kernel: objectKeys(false), strict: true },
  { name: 'object_pick', resolve: resolveKeys('object_pick'), kernel: objectKeys(true), strict: true },
  { name: 'strip_null_value', resolve: oneArg('strip_null_value', V, V), kernel: rowKernel('str', ([v]) => (v === 'null' ? null : String(v))), strict: true },
  { name: 'to_json', resolve: oneArg('to_json', V, Types.varchar), kernel: rowKernel('str', ([v]) => String(v)), strict: true },
  { name: 'check_json', resolve: oneArg('check_json', Types.varchar, Types.varchar), kernel: rowKernel('str', checkJson), strict: true },
  { name: 'json_extract_path_text', resolve: resolveExtractPath, kernel: rowKernel('str', extractPathText), strict: true },
];
