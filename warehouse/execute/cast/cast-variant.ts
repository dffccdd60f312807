/**
 * CAST to and from VARIANT, OBJECT and ARRAY (castVector sends every cast that involves one
 * here). All three are 'str' vectors of canonical JSON (storage/types/variant-json.ts), so
 * each cast works once per dictionary entry and keeps the row codes.
 *
 * Contract, following Snowflake:
 *   - scalar -> VARIANT: VARCHAR becomes a JSON string ('abc' -> "abc"), NUMBER its exact
 *     decimal text, FLOAT a double (3 -> 3.000000000000000e+00), BOOLEAN true/false, DATE /
 *     TIMESTAMP_NTZ / TIME a JSON string of their VARCHAR form (Firn keeps no date tag inside a
 *     VARIANT, so TYPEOF says VARCHAR where Snowflake says DATE or TIMESTAMP_NTZ).
 *   - OBJECT / ARRAY -> VARIANT: the same text. VARIANT -> OBJECT / ARRAY: the value must be
 *     one, else INVALID_VARIANT_CAST (NULL for TRY_CAST).
 *   - VARIANT -> scalar: a JSON null is SQL NULL; a string converts from its content (so
 *     v:name::string has no quotes, v:d::date parses the text), a number from its text, a
 *     boolean as true/false (1/0 to a number); an object or array converts to VARCHAR as its
 *     compact JSON text and to nothing else (INVALID_VARIANT_CAST).
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { isSemiStructured } from '../../../storage/types/data-type.js';
import { formatVariantDouble, stringValue, variantKind } from '../../../storage/types/variant-json.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import { allocU8 } from '../batch/array-pool.js';
import { expectKind } from '../functions/vector-kit.js';
import { castStrVector } from './cast-strings.js';

/** castVector (cast-vector.ts), passed in: it calls this module for every cast that involves a semi-structured type. */
type CastFn = (v: Vector, from: DataType, to: DataType, tryCast: boolean) => Vector;

export function castSemiStructured(v: Vector, from: DataType, to: DataType, tryCast: boolean, castVector: CastFn): Vector {
  if (isSemiStructured(to)) {
    if (from.kind === 'VARCHAR' && to.kind !== 'VARIANT') return castStrVector(expectKind(v, 'str', 'CAST'), to, tryCast ? 'null' : 'throw', false, null);
    if (isSemiStructured(from)) return from.kind === to.kind || to.kind === 'VARIANT' ? v : checkKind(expectKind(v, 'str', 'CAST'), to, tryCast);
    return scalarToVariant(v, from, castVector);
  }
  return variantToScalar(expectKind(v, 'str', 'CAST'), to, tryCast);
}

/** Snowflake's names of cast targets in INVALID_VARIANT_CAST messages. */
const TARGET_NAMES: Partial<Record<DataType['kind'], string>> = { NUMBER: 'FIXED', FLOAT: 'REAL', VARCHAR: 'TEXT' };

/** Snowflake's message when a VARIANT value cannot become `to`: `Failed to cast variant value "abc" to FIXED`. */
export function invalidVariantCast(text: string, to: DataType): DataError {
  return new DataError('INVALID_VARIANT_CAST', `Failed to cast variant value ${clipValue(text)} to ${TARGET_NAMES[to.kind] ?? to.kind}`);
}

/** Maps each dictionary entry (its text, or null for SQL NULL) and rebuilds the vector over the same codes. */
export function mapEntries(v: StrVector, f: (text: string) => string | null): StrVector {
  const n = v.length;
  const dict = v.dict;
  const out = new Array<string>(dict.length);
  const isNull = allocU8(dict.length);
  const done = allocU8(dict.length);
  let nulls: Uint8Array | null = v.nulls;
  let copied = false;
  for (let i = 0; i < n; i++) {
    if (v.nulls !== null && v.nulls[i]) continue;
    const c = v.codes[i];
    if (!done[c]) {
      done[c] = 1;
      const r = f(dict[c]);
      if (r === null) isNull[c] = 1;
      else out[c] = r;
    }
    if (isNull[c]) {
      if (!copied) {
        nulls = v.nulls === null ? allocU8(n) : v.nulls.slice();
        copied = true;
      }
      nulls![i] = 1;
    }
  }
  for (let c = 0; c < out.length; c++) if (out[c] === undefined) out[c] = '';
  return { kind: 'str', length: n, codes: v.codes, dict: out.length > 0 ? out : [''], nulls };
}

function checkKind(v: StrVector, to: DataType, tryCast: boolean): Vector {
  const want = to.kind === 'OBJECT' ? '{' : '[';
  return mapEntries(v, (t) => {
    if (t[0] === want) return t;
    if (t === 'null' || tryCast) return null;
    throw invalidVariantCast(t, to);
  });
}

function scalarToVariant(v: Vector, from: DataType, castVector: CastFn): Vector {
  switch (from.kind) {
    case 'FLOAT': {
      const x = expectKind(v, 'f64', 'CAST');
      const n = x.length;
      const rows = new Array<string | null>(n);
      for (let i = 0; i < n; i++) rows[i] = x.nulls && x.nulls[i] ? null : formatVariantDouble(x.values[i]);
      return castStrVector(stringsVector(rows), { kind: 'VARCHAR' }, 'throw', false, null);
    }
    case 'NUMBER':
    case 'BOOLEAN':
      return castVector(v, from, { kind: 'VARCHAR' }, false);
    case 'VARCHAR':
      return mapEntries(expectKind(v, 'str', 'CAST'), (s) => JSON.stringify(s));
    default:
      return mapEntries(expectKind(castVector(v, from, { kind: 'VARCHAR' }, false), 'str', 'CAST'), (s) => JSON.stringify(s));
  }
}

function stringsVector(rows: (string | null)[]): StrVector {
  const n = rows.length;
  const codes = new Int32Array(n);
  const dict: string[] = [];
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const s = rows[i];
    if (s === null) {
      nulls ??= allocU8(n);
      nulls[i] = 1;
    } else {
      codes[i] = dict.length;
      dict.push(s);
    }
  }
  return { kind: 'str', length: n, codes, dict: dict.length > 0 ? dict : [''], nulls };
}

/** The text a VARIANT value converts from, or null for SQL NULL; throws for an object or array (except to VARCHAR). */
export function variantScalarText(t: string, to: DataType, tryCast: boolean): string | null {
  switch (variantKind(t)) {
    case 'NULL_VALUE':
      return null;
    case 'VARCHAR':
      return stringValue(t);
    case 'BOOLEAN':
      return to.kind === 'NUMBER' || to.kind === 'FLOAT' ? (t === 'true' ? '1' : '0') : t;
    case 'DOUBLE':
      return to.kind === 'VARCHAR' ? t : String(Number(t));
    case 'OBJECT':
    case 'ARRAY':
      if (to.kind === 'VARCHAR') return t;
      if (tryCast) return null;
      throw invalidVariantCast(t, to);
    default:
      return t;
  }
}

function variantToScalar(v: StrVector, to: DataType, tryCast: boolean): Vector {
  const texts = mapEntries(v, (t) => variantScalarText(t, to, tryCast));
  const out = castStrVector(texts, to, 'null', true, null);
  if (!tryCast && out.nulls !== null) {
    // A value the cast refused (not a NULL or JSON null going in): Snowflake names the VARIANT value.
    for (let i = 0; i < out.length; i++) {
      if (out.nulls[i] && !(texts.nulls !== null && texts.nulls[i])) throw invalidVariantCast(v.dict[v.codes[i]], to);
    }
  }
  return out;
}
