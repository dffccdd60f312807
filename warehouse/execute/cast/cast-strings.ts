/**
 * VARCHAR -> typed column conversion, parsing each distinct string once: the engine of
 * CAST/TRY_CAST from VARCHAR and of loaders (COPY INTO) that turn text fields into columns.
 *
 * Contract of castStringsToVector: `values` are the texts of one column (null = SQL NULL), as
 * a plain array or a 'str' vector; the result has the physical layout of `type`. A text that
 * does not parse (or does not fit: NUMBER precision, VARCHAR(n) length) throws a DataError
 * with Snowflake's message (a date or timestamp past 0001-01-01 .. 9999-12-31:
 * DATETIME_OUT_OF_RANGE, 22008) when onError is 'throw', else becomes NULL and is reported in
 * `errors` with its row number. Loaders get STRING_TOO_LONG for an over-long VARCHAR(n);
 * CAST instead truncates (castStrVector with truncate = true). BINARY reads text in the
 * settings' binaryInput format (BINARY_INPUT_FORMAT, or a load's BINARY_FORMAT; HEX by
 * default): text not in it fails with 100115 "The following string is not a legal
 * hex-encoded value: '...'". DATE, TIME and TIMESTAMP_NTZ read text in the settings' input
 * format when the session set one (DATE_INPUT_FORMAT, TIME_INPUT_FORMAT, TIMESTAMP_INPUT_FORMAT;
 * datetime-format.ts), else in every form AUTO recognizes (parse-text.ts).
 */
import { allocF64, allocI32, allocU8 } from '../batch/array-pool.js';
import { DataError, type ErrorCodeName } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_PRECISION, timestampPrecision } from '../../../storage/types/data-type.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import { pow10n } from '../functions/decimal.js';
import { allNullVector, compactStrings, strVectorFromRows } from '../functions/vector-kit.js';
import { parseZoned } from './cast-zoned.js';
import { DEFAULT_TIMEZONE } from '../../../storage/types/time-zone.js';
import { datetimeOutOfRange, dayInRange, secsInRange } from '../functions/datetime-range.js';
import { parseBooleanText, parseDateText, parseFloatText, parseScaledNumber, parseTimestampParts, parseTimeText } from './parse-text.js';
import { truncateTs } from '../../../storage/types/truncate-ts.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import { canonicalJson } from '../../../storage/types/variant-json.js';
import { BinaryFormat, decodeBinary, notLegalBinary } from '../../../storage/types/binary-text.js';
import { MAX_BINARY_LENGTH } from '../../../storage/types/data-type.js';
import type { ExprSettings } from '../../fragment/expr-settings.js';
import { compileDateTimeFormat, parseDateTime } from '../functions/datetime-format.js';

export type CastRowError = { row: number; message: string };
export type CastStringsResult = { vector: Vector; errors: CastRowError[] };

export function castStringsToVector(
  values: readonly (string | null)[] | StrVector,
  type: DataType,
  onError: 'throw' | 'null',
  settings?: ExprSettings,
): CastStringsResult {
  const v = Array.isArray(values) ? strVectorFromRows(values as (string | null)[]) : (values as StrVector);
  const errors: CastRowError[] = [];
  const vector = castStrVector(v, type, onError, false, errors, undefined, settings);
  return { vector, errors };
}

const BAD = 1;
const OUT_OF_RANGE = 2;

/** Why entry `s` failed, as Snowflake words it. */
function failure(type: DataType, s: string, reason: number, settings?: ExprSettings): DataError {
  let code: ErrorCodeName;
  let message: string;
  switch (type.kind) {
    case 'BINARY':
      if (reason === OUT_OF_RANGE) {
        code = 'STRING_TOO_LONG';
        message = `Binary value '${clipValue(s)}' is too long and would be truncated`;
        break;
      }
      return notLegalBinary(s, settings?.binaryInput ?? BinaryFormat.HEX);
    case 'NUMBER':
    case 'FLOAT':
      code = reason === OUT_OF_RANGE ? 'NUMERIC_OUT_OF_RANGE' : 'NUMERIC_NOT_RECOGNIZED';
      message = reason === OUT_OF_RANGE ? `Numeric value '${clipValue(s)}' is out of range` : `Numeric value '${clipValue(s)}' is not recognized`;
      break;
    case 'DATE':
      if (reason === OUT_OF_RANGE) return datetimeOutOfRange(`'${clipValue(s)}'`, 'date');
      code = 'DATE_NOT_RECOGNIZED';
      message = `Date '${clipValue(s)}' is not recognized`;
      break;
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      if (reason === OUT_OF_RANGE) return datetimeOutOfRange(`'${clipValue(s)}'`, 'timestamp');
      code = 'TIMESTAMP_NOT_RECOGNIZED';
      message = `Timestamp '${clipValue(s)}' is not recognized`;
      break;
    case 'TIME':
      code = 'TIME_NOT_RECOGNIZED';
      message = `Time '${clipValue(s)}' is not recognized`;
      break;
    case 'BOOLEAN':
      code = 'BOOLEAN_NOT_RECOGNIZED';
      message = `Boolean value '${clipValue(s)}' is not recognized`;
      break;
    case 'OBJECT':
    case 'ARRAY':
      code = 'INVALID_VARIANT_CAST';
      message = `Failed to cast variant value ${clipValue(s)} to ${type.kind}`;
      break;
    default:
      code = 'STRING_TOO_LONG';
      message = `String '${clipValue(s)}' is too long and would be truncated`;
  }
  return new DataError(code, message);
}

/** A DATE read in a format (days since the epoch), or null. */
function formattedDate(format: string): (s: string) => number | null {
  const f = compileDateTimeFormat(format);
  const parts = new Float64Array(2);
  return (s) => (parseDateTime(f, s, parts) ? Math.floor(parts[0] / 86_400) : null);
}

/** A TIME read in a format (nanoseconds since midnight), or null. */
function formattedTime(format: string): (s: string) => number | null {
  const f = compileDateTimeFormat(format);
  const parts = new Float64Array(2);
  return (s) => {
    if (!parseDateTime(f, s, parts)) return null;
    const day = parts[0] - Math.floor(parts[0] / 86_400) * 86_400;
    return day * 1_000_000_000 + parts[1];
  };
}

/** The first n characters (code points) of s; counting only when s could exceed n UTF-16 units. */
function truncateCodePoints(s: string, n: number): string {
  if (s.length <= n) return s;
  let units = 0;
  let points = 0;
  while (units < s.length && points < n) {
    const c = s.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < s.length ? 2 : 1;
    points++;
  }
  return s.slice(0, units);
}

/**
 * Converts a 'str' vector to `type`, parsing each dictionary entry once and mapping codes.
 * Entries that fail only matter if a non-NULL row uses them.
 */
export function castStrVector(
  input: StrVector,
  type: DataType,
  mode: 'throw' | 'null',
  truncate: boolean,
  errors: CastRowError[] | null,
  zone?: string,
  settings?: ExprSettings,
): Vector {
  if (type.kind === 'TIMESTAMP_LTZ' || type.kind === 'TIMESTAMP_TZ') {
    return parseZoned(input, type, zone ?? DEFAULT_TIMEZONE, mode === 'null', (s, t) => {
      throw failure(t, s, BAD);
    });
  }
  const v = compactStrings(input);
  const n = v.length;
  const dict = v.dict;
  const m = dict.length;
  const bad = allocU8(m);
  const codes = v.codes;
  const nulls: Uint8Array | null = v.nulls ? v.nulls.slice() : null;
  let outNulls = nulls;

  /** Handles a row whose entry failed; returns normally only in 'null' mode. */
  const fail = (i: number, code: number): void => {
    const e = failure(type, dict[code], bad[code], settings);
    if (mode === 'throw') throw e;
    errors?.push({ row: i, message: e.message });
    outNulls ??= allocU8(n);
    outNulls[i] = 1;
  };

  switch (type.kind) {
    case 'NULL':
      return allNullVector(type, n);
    case 'VARIANT':
      // A string becomes a JSON string value ('abc' -> "abc"), as CAST('abc' AS VARIANT) does.
      return { kind: 'str', length: n, codes, dict: dict.map((s) => JSON.stringify(s)), nulls: v.nulls };
    case 'OBJECT':
    case 'ARRAY': {
      // Text read into an OBJECT / ARRAY column (a load): JSON of that kind, or the row fails.
      const want = type.kind === 'OBJECT' ? '{' : '[';
      const out = dict.map((s) => {
        try {
          const t = canonicalJson(s);
          return t !== null && t[0] === want ? t : null;
        } catch {
          return null;
        }
      });
      for (let c = 0; c < m; c++) if (out[c] === null) bad[c] = BAD;
      for (let i = 0; i < n; i++) if (!(nulls && nulls[i]) && bad[codes[i]]) fail(i, codes[i]);
      return { kind: 'str', length: n, codes, dict: out.map((s) => s ?? ''), nulls: outNulls };
    }
    case 'BINARY': {
      // Each distinct text decoded once; BINARY(n) cuts a CAST's value to n bytes, fails a load's.
      const format = settings?.binaryInput ?? BinaryFormat.HEX;
      const limit = type.length ?? MAX_BINARY_LENGTH;
      const out = new Array<string>(m);
      for (let c = 0; c < m; c++) {
        const b = decodeBinary(dict[c], format);
        if (b === null) {
          bad[c] = BAD;
          out[c] = '';
        } else if (b.length > limit) {
          if (truncate) out[c] = b.slice(0, limit);
          else bad[c] = OUT_OF_RANGE;
          out[c] ??= '';
        } else {
          out[c] = b;
        }
      }
      for (let i = 0; i < n; i++) if (!(nulls && nulls[i]) && bad[codes[i]]) fail(i, codes[i]);
      return { kind: 'str', length: n, codes, dict: m > 0 ? out : [''], nulls: outNulls };
    }
    case 'VARCHAR': {
      const limit = type.length;
      if (limit === undefined) return v;
      let changed = false;
      const out = dict.slice();
      for (let c = 0; c < m; c++) {
        const t = truncateCodePoints(dict[c], limit);
        if (t !== dict[c]) {
          changed = true;
          if (truncate) out[c] = t;
          else bad[c] = BAD;
        }
      }
      if (!changed) return v;
      if (truncate) return { kind: 'str', length: n, codes, dict: out, nulls: v.nulls };
      for (let i = 0; i < n; i++) if (!(nulls && nulls[i]) && bad[codes[i]]) fail(i, codes[i]);
      return { kind: 'str', length: n, codes, dict, nulls: outNulls };
    }
    case 'BOOLEAN': {
      const parsed = allocU8(m);
      for (let c = 0; c < m; c++) {
        const b = parseBooleanText(dict[c]);
        if (b === null) bad[c] = BAD;
        else parsed[c] = b ? 1 : 0;
      }
      const out = allocU8(n);
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const c = codes[i];
        if (bad[c]) fail(i, c);
        else out[i] = parsed[c];
      }
      return { kind: 'bool', length: n, values: out, nulls: outNulls };
    }
    case 'DATE': {
      const parsed = allocI32(m);
      const readDate = settings?.dateInput ? formattedDate(settings.dateInput) : parseDateText;
      for (let c = 0; c < m; c++) {
        const d = readDate(dict[c]);
        if (d === null) bad[c] = BAD;
        else if (!dayInRange(d)) bad[c] = OUT_OF_RANGE;
        else parsed[c] = d;
      }
      const out = allocI32(n);
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const c = codes[i];
        if (bad[c]) fail(i, c);
        else out[i] = parsed[c];
      }
      return { kind: 'i32', length: n, values: out, nulls: outNulls };
    }
    case 'TIMESTAMP_NTZ': {
      const pSecs = allocF64(m);
      const pNanos = allocI32(m);
      const parts = new Float64Array(2);
      const format = settings?.timestampInput ? compileDateTimeFormat(settings.timestampInput) : null;
      for (let c = 0; c < m; c++) {
        if (!(format ? parseDateTime(format, dict[c], parts) : parseTimestampParts(dict[c], parts))) {
          bad[c] = BAD;
          continue;
        }
        if (!secsInRange(parts[0])) {
          bad[c] = OUT_OF_RANGE;
          continue;
        }
        pSecs[c] = parts[0];
        pNanos[c] = parts[1];
      }
      const secs = allocF64(n);
      const nanos = allocI32(n);
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const c = codes[i];
        if (bad[c]) {
          fail(i, c);
        } else {
          secs[i] = pSecs[c];
          nanos[i] = pNanos[c];
        }
      }
      return truncateTs({ kind: 'ts', length: n, secs, nanos, nulls: outNulls }, timestampPrecision(type));
    }
    case 'TIME': {
      const parsed = allocF64(m);
      const unit = 10 ** (9 - timestampPrecision(type));
      const readTime = settings?.timeInput ? formattedTime(settings.timeInput) : parseTimeText;
      for (let c = 0; c < m; c++) {
        const ns = readTime(dict[c]);
        if (ns === null) bad[c] = BAD;
        else parsed[c] = ns - (ns % unit);
      }
      const out = allocF64(n);
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const c = codes[i];
        if (bad[c]) fail(i, c);
        else out[i] = parsed[c];
      }
      return { kind: 'f64', length: n, values: out, nulls: outNulls };
    }
    case 'FLOAT': {
      const parsed = allocF64(m);
      for (let c = 0; c < m; c++) {
        const x = parseFloatText(dict[c]);
        if (x === null) bad[c] = BAD;
        else parsed[c] = x;
      }
      const out = allocF64(n);
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const c = codes[i];
        if (bad[c]) fail(i, c);
        else out[i] = parsed[c];
      }
      return { kind: 'f64', length: n, values: out, nulls: outNulls };
    }
    case 'NUMBER': {
      const scale = type.scale;
      const precision = Math.min(type.precision, MAX_PRECISION);
      const limitF = precision < 16 ? 10 ** precision : Infinity;
      const limitN = pow10n(precision);
      const parsed = allocF64(m);
      let wide: (bigint | undefined)[] | null = null;
      for (let c = 0; c < m; c++) {
        const x = parseScaledNumber(dict[c], scale);
        if (x === null) {
          bad[c] = BAD;
        } else if (typeof x === 'number') {
          if (x >= limitF || x <= -limitF) bad[c] = OUT_OF_RANGE;
          else parsed[c] = x;
        } else if (x >= limitN || x <= -limitN) {
          bad[c] = OUT_OF_RANGE;
        } else {
          wide ??= new Array<bigint | undefined>(m);
          wide[c] = x;
        }
      }
      let needsDec = false;
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const c = codes[i];
        if (bad[c]) fail(i, c);
        else if (wide && wide[c] !== undefined) needsDec = true;
      }
      if (needsDec) {
        const out = new Array<bigint>(n);
        for (let i = 0; i < n; i++) {
          const c = codes[i];
          out[i] = outNulls && outNulls[i] ? 0n : (wide![c] ?? BigInt(parsed[c]));
        }
        return { kind: 'dec', length: n, values: out, nulls: outNulls };
      }
      const out = allocF64(n);
      for (let i = 0; i < n; i++) out[i] = parsed[codes[i]];
      return { kind: 'f64', length: n, values: out, nulls: outNulls };
    }
  }
}
