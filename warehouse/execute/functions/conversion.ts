/**
 * Conversion functions, each a CAST (or TRY_CAST for the TRY_ forms) to a fixed type:
 * TO_DATE / DATE, TO_TIMESTAMP / TO_TIMESTAMP_NTZ, TO_VARCHAR / TO_CHAR, TO_NUMBER /
 * TO_TIME (a string or a TIMESTAMP_NTZ -> TIME(9)), TO_DECIMAL / TO_NUMERIC (NUMBER(38,0), or NUMBER(p,s) for TO_NUMBER(x, p[, s]) with constant
 * p and s: a cast to that type, rounding half away from zero and raising
 * NUMERIC_OUT_OF_RANGE when the value does not fit), TO_DOUBLE, TO_BOOLEAN; and their forms with a
 * format: TO_DATE(text, fmt) and TO_TIMESTAMP(text, fmt) read text with a date/time format
 * (datetime-format.ts; 'AUTO' is the one-argument form), TO_CHAR(date_or_timestamp, fmt)
 * prints with one, TO_CHAR(number, fmt) prints with a numeric format (number-format.ts); and
 * TO_TIMESTAMP[_NTZ | _LTZ | _TZ](number, scale), a count of 10^-scale seconds since the epoch.
 *
 * Contract: the one-argument forms accept what an explicit cast to the target accepts
 * (cast-rules.ts); their kernel is castVector, so the functions and CAST agree on every
 * value. With a format, text that does not fit raises DATE_NOT_RECOGNIZED /
 * TIMESTAMP_NOT_RECOGNIZED ("Can't parse '...' as date with format '...'", Snowflake's
 * message), and a date past 0001-01-01 .. 9999-12-31 DATETIME_OUT_OF_RANGE, or gives NULL in the TRY_ forms; TO_CHAR of a VARCHAR ignores the format. Text is
 * parsed once per dictionary entry.
 */
import { wallClock } from '../cast/cast-zoned.js';
import { DEFAULT_TIMEZONE } from '../../../storage/types/time-zone.js';
import { isNumeric, isZonedTimestamp } from '../../../storage/types/data-type.js';
import type { TsVector } from '../../../storage/types/vector.js';
import { allocF64, allocI32, allocU8 } from '../batch/array-pool.js';
import { CompilationError, DataError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_PRECISION, Types, timestampPrecision } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import { canCast } from '../cast/cast-rules.js';
import { castVector } from '../cast/cast-vector.js';
import { truncateTs } from '../../../storage/types/truncate-ts.js';
import { datetimeOutOfRange, secsInRange } from './datetime-range.js';

const SECONDS_PER_DAY = 86_400;
import { compileDateTimeFormat, formatDateTime, parseDateTime } from './datetime-format.js';
import { compileNumberFormat, formatFloat, formatScaled } from './number-format.js';
import { INTEGER, checkArity, coerceString, mismatch, type ConstArgs, type FunctionDef, type Signature } from './type-rules.js';
import { compactStrings, constParam, expectKind, isConst, materialize, nullsOf, orNulls, strVectorFromRows, type Val } from './vector-kit.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import { binaryFormatOf, encodeBinary, invalidUtf8Binary } from '../../../storage/types/binary-text.js';
import type { ExprSettings } from '../../fragment/expr-settings.js';
import { stringKernel } from './string.js';

type Target = 'date' | 'timestamp' | 'text' | 'other';

function resolveConversion(fn: string, target: DataType, formatted: Target) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 1, formatted === 'other' ? 1 : 2);
    if (types.length === 1) {
      if (!canCast(types[0], target)) throw mismatch(fn, types);
      return { argTypes: [types[0]], returnType: target };
    }
    if (formatted === 'timestamp' && isNumeric(types[0]) && types[1].kind === 'NUMBER') {
      // TO_TIMESTAMP(epoch, scale): a number of 10^-scale seconds since the epoch.
      return { argTypes: [types[0], types[1]], returnType: target };
    }
    const format = coerceString(fn, types, types[1]);
    if (formatted === 'text') {
      const k = types[0].kind;
      if (k === 'BOOLEAN' || k === 'TIME') throw mismatch(fn, types);
      return { argTypes: [types[0], format], returnType: target };
    }
    return { argTypes: [coerceString(fn, types, types[0]), format], returnType: target };
  };
}

function conversionKernel(tryCast: boolean, formatted: Target) {
  return (args: Val[], argTypes: readonly DataType[], type: DataType, n: number, zone?: string, settings?: ExprSettings): Val => {
    if (args.length === 1) return castVector(args[0] as Vector, argTypes[0], type, tryCast, zone, settings);
    if (formatted === 'text') {
      if (argTypes[0].kind === 'BINARY') return binaryToText(args, argTypes, type, n);
      // A zoned timestamp is formatted as its wall clock (LTZ in the zone, TZ at its offset).
      if (isZonedTimestamp(argTypes[0])) {
        const wall = wallClock(materialize(args[0], argTypes[0], n) as TsVector, argTypes[0], zone ?? DEFAULT_TIMEZONE);
        return toCharWithFormat([wall, args[1]], [Types.timestampNtz, argTypes[1]], n);
      }
      return toCharWithFormat(args, argTypes, n);
    }
    if (isNumeric(argTypes[0])) {
      // The instant of an epoch count: NTZ shows it as UTC's wall clock, LTZ is it, TZ has the session zone's offset then.
      const instant = fromEpochScaled(args, argTypes, n);
      return type.kind === 'TIMESTAMP_TZ' ? castVector(instant, Types.timestampLtz, type, tryCast, zone) : instant;
    }
    if (isZonedTimestamp(type)) {
      // TO_TIMESTAMP_LTZ/TZ(text, format): the text's wall clock, read in the session's zone.
      const ntz = Types.timestamp(timestampPrecision(type));
      const wall = parseWithFormat(args, argTypes, ntz, n, false, tryCast);
      return castVector(wall, ntz, type, tryCast, zone);
    }
    return parseWithFormat(args, argTypes, type, n, formatted === 'date', tryCast);
  };
}

/**
 * TO_TIMESTAMP(x, scale): x counts 10^-scale seconds since 1970-01-01 UTC (scale a constant
 * 0..9; fractions below a nanosecond are dropped toward negative infinity). A NUMBER is exact;
 * a FLOAT is rounded to the nanosecond.
 */
function fromEpochScaled(args: Val[], argTypes: readonly DataType[], n: number): TsVector {
  const scaleValue = constParam(args[1], argTypes[1], n);
  const scale = scaleValue === undefined || scaleValue === null ? NaN : Number(scaleValue);
  if (!Number.isInteger(scale) || scale < 0 || scale > 9) {
    throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid scale for TO_TIMESTAMP: the scale must be a constant integer from 0 to 9`);
  }
  const x = materialize(args[0], argTypes[0], n);
  const inType = argTypes[0];
  const secs = allocF64(n);
  const nanos = allocI32(n);
  if (x.kind === 'f64' && inType.kind === 'NUMBER' && inType.scale + scale <= 15) {
    // The scaled integer x * 10^inScale counts 10^-(inScale + scale) seconds; all exact in a double.
    const t = inType.scale + scale;
    const unit = 10 ** t;
    for (let i = 0; i < n; i++) {
      const v = x.values[i];
      const s = Math.floor(v / unit);
      const rem = v - s * unit;
      secs[i] = s;
      nanos[i] = t <= 9 ? rem * 10 ** (9 - t) : Math.floor(rem / 10 ** (t - 9));
    }
  } else if (x.kind === 'f64' && inType.kind !== 'NUMBER') {
    const unit = 10 ** scale;
    for (let i = 0; i < n; i++) {
      const total = Math.round((x.values[i] / unit) * 1e9);
      const s = Math.floor(total / 1e9);
      secs[i] = s;
      nanos[i] = total - s * 1e9;
    }
  } else {
    const t = BigInt((inType.kind === 'NUMBER' ? inType.scale : 0) + scale);
    const unit = 10n ** t;
    const big = x.kind === 'dec' ? x.values : Array.from((x as { values: Float64Array }).values, (v) => BigInt(v));
    for (let i = 0; i < n; i++) {
      const v = big[i];
      let s = v / unit;
      if (v < 0n && s * unit !== v) s -= 1n;
      const rem = v - s * unit;
      secs[i] = Number(s);
      nanos[i] = Number(t <= 9n ? rem * 10n ** (9n - t) : rem / 10n ** (t - 9n));
    }
  }
  for (let i = 0; i < n; i++) {
    if (!(x.nulls !== null && x.nulls[i]) && !secsInRange(secs[i])) throw datetimeOutOfRange(String(secs[i]), 'timestamp');
  }
  return { kind: 'ts', length: n, secs, nanos, nulls: x.nulls };
}

/**
 * TO_VARCHAR(binary, format): the bytes as HEX, BASE64 or UTF-8 text; bytes that are not UTF-8
 * raise INVALID_UTF8_BINARY, an unknown format INVALID_ARGUMENT_VALUE.
 */
function binaryToText(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  return stringKernel('str', ([name]) => {
    const format = binaryFormatOf(String(name));
    if (format === null) throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid binary format '${clipValue(String(name))}': expected HEX, BASE64 or UTF-8`);
    return (s) => {
      const text = encodeBinary(s, format);
      if (text === null) throw invalidUtf8Binary(s);
      return text;
    };
  })(args, argTypes, type, n);
}

/** The format argument per row (one constant, or row values). */
function formatReader(v: Val, type: DataType, n: number): (i: number) => string {
  if (isConst(v)) {
    const s = String(v.value);
    return () => s;
  }
  const f = expectKind(materialize(v, type, n), 'str', 'format');
  return (i) => f.dict[f.codes[i]];
}

function notRecognized(text: string, format: string, asDate: boolean): DataError {
  return new DataError(asDate ? 'DATE_NOT_RECOGNIZED' : 'TIMESTAMP_NOT_RECOGNIZED', `Can't parse '${clipValue(text)}' as ${asDate ? 'date' : 'timestamp'} with format '${clipValue(format)}'`);
}

/** TO_DATE / TO_TIMESTAMP (TRY_ too) of text with a format. */
function parseWithFormat(args: Val[], argTypes: readonly DataType[], type: DataType, n: number, asDate: boolean, tryCast: boolean): Vector {
  const formatOf = formatReader(args[1], argTypes[1], n);
  if (isConst(args[1]) && String(args[1].value).toUpperCase() === 'AUTO') return castVector(materialize(args[0], argTypes[0], n), argTypes[0], type, tryCast);
  const text = compactStrings(expectKind(materialize(args[0], argTypes[0], n), 'str', 'TO_DATE'));
  const nulls = orNulls(text.nulls, nullsOf(args[1], n), n);
  const secs = allocF64(n);
  const nanos = allocI32(n);
  const parts = new Float64Array(2);
  let outNulls: Uint8Array | null = nulls;
  const fail = (i: number, s: string, f: string, outOfRange = false): void => {
    if (!tryCast) throw outOfRange ? datetimeOutOfRange(`'${clipValue(s)}'`, asDate ? 'date' : 'timestamp') : notRecognized(s, f, asDate);
    if (outNulls === nulls) outNulls = nulls ? nulls.slice() : allocU8(n);
    outNulls![i] = 1;
  };
  if (isConst(args[1])) {
    // One format: parse each dictionary entry once (ok: 0 not parsed, 1 parsed, OUT_OF_RANGE).
    const OUT_OF_RANGE = 2;
    const f = formatOf(0);
    const format = compileDateTimeFormat(f);
    const m = text.dict.length;
    const ok = allocU8(m);
    const pSecs = allocF64(m);
    const pNanos = allocI32(m);
    for (let c = 0; c < m; c++) {
      if (!parseDateTime(format, text.dict[c], parts)) continue;
      ok[c] = secsInRange(parts[0]) ? 1 : OUT_OF_RANGE;
      pSecs[c] = parts[0];
      pNanos[c] = parts[1];
    }
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      const c = text.codes[i];
      if (ok[c] !== 1) {
        fail(i, text.dict[c], f, ok[c] === OUT_OF_RANGE);
      } else {
        secs[i] = pSecs[c];
        nanos[i] = pNanos[c];
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      const s = text.dict[text.codes[i]];
      const f = formatOf(i);
      if (f.toUpperCase() === 'AUTO' || !parseDateTime(compileDateTimeFormat(f), s, parts)) {
        fail(i, s, f);
      } else if (!secsInRange(parts[0])) {
        fail(i, s, f, true);
      } else {
        secs[i] = parts[0];
        nanos[i] = parts[1];
      }
    }
  }
  if (type.kind !== 'DATE') return truncateTs({ kind: 'ts', length: n, secs, nanos, nulls: outNulls }, timestampPrecision(type));
  const days = allocI32(n);
  for (let i = 0; i < n; i++) days[i] = Math.floor(secs[i] / SECONDS_PER_DAY);
  return { kind: 'i32', length: n, values: days, nulls: outNulls };
}

/** TO_CHAR / TO_VARCHAR of a DATE, TIMESTAMP, NUMBER or FLOAT with a format. */
function toCharWithFormat(args: Val[], argTypes: readonly DataType[], n: number): StrVector {
  const t = argTypes[0];
  const v = materialize(args[0], t, n);
  if (t.kind === 'VARCHAR') return expectKind(v, 'str', 'TO_CHAR');
  const formatOf = formatReader(args[1], argTypes[1], n);
  const nulls = orNulls(v.nulls, nullsOf(args[1], n), n);
  const rows = new Array<string | null>(n);
  const civil = new Int32Array(3);
  const value = (i: number): Scalar => (v.kind === 'str' || v.kind === 'bool' || v.kind === 'ts' ? null : v.values[i]);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      rows[i] = null;
      continue;
    }
    const f = formatOf(i);
    const x = value(i)!;
    switch (t.kind) {
      case 'DATE':
        rows[i] = formatDateTime(compileDateTimeFormat(f), (x as number) * SECONDS_PER_DAY, 0, civil);
        break;
      case 'TIMESTAMP_NTZ': {
        const ts = expectKind(v, 'ts', 'TO_CHAR');
        rows[i] = formatDateTime(compileDateTimeFormat(f), ts.secs[i], ts.nanos[i], civil);
        break;
      }
      case 'NUMBER':
        rows[i] = formatScaled(compileNumberFormat(f), typeof x === 'bigint' ? x : BigInt(x as number), t.scale);
        break;
      default:
        rows[i] = formatFloat(compileNumberFormat(f), x as number);
    }
  }
  return strVectorFromRows(rows);
}

/** An integer constant argument (a precision or scale), or null. */
function constInteger(t: DataType, value: Scalar | undefined): number | null {
  if (t.kind !== 'NUMBER' || t.scale !== 0 || typeof value !== 'bigint') return null;
  return Number(value);
}

/** TO_NUMBER(x [, precision [, scale]]): the result type comes from the constant precision and scale. */
function resolveToNumber(fn: string) {
  return (types: readonly DataType[], consts: ConstArgs): Signature => {
    // TO_NUMBER(x, format[, p, s]) is Snowflake's too, but not Firn's yet.
    if (types.length > 1 && types.length <= 4 && types[1].kind === 'VARCHAR') throw new NotSupportedError(`${fn.toUpperCase()} with a format`);
    checkArity(fn, types, 1, 3);
    let target: DataType = INTEGER;
    // A NULL precision or scale makes the (strict) result NULL.
    if (types.length > 1 && consts.slice(1).every((c) => c !== null)) {
      const precision = constInteger(types[1], consts[1]);
      const scale = types.length > 2 ? constInteger(types[2], consts[2]) : 0;
      if (precision === null || scale === null) {
        throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: the precision and scale of ${fn.toUpperCase()} must be integer constants`);
      }
      if (precision < 1 || precision > MAX_PRECISION || scale < 0 || scale > precision) {
        throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid precision and scale for ${fn.toUpperCase()}: (${precision}, ${scale}); precision must be 1 to ${MAX_PRECISION} and scale 0 to precision`);
      }
      target = Types.number(precision, scale);
    }
    if (!canCast(types[0], target)) throw mismatch(fn, types);
    return { argTypes: [...types], returnType: target };
  };
}

function toNumberKernel(tryCast: boolean) {
  return (args: Val[], argTypes: readonly DataType[], type: DataType): Val => castVector(args[0] as Vector, argTypes[0], type, tryCast);
}

/** TO_X and TRY_TO_X, with their aliases. */
function conversion(name: string, target: DataType, formatted: Target, aliases: string[] = [], tryAliases: string[] = []): FunctionDef[] {
  return [
    { name, aliases, resolve: resolveConversion(name, target, formatted), kernel: conversionKernel(false, formatted), strict: true },
    {
      name: `try_${name}`,
      aliases: tryAliases,
      resolve: resolveConversion(`try_${name}`, target, formatted),
      kernel: conversionKernel(true, formatted),
      strict: true,
    },
  ];
}

export const conversionFunctions: FunctionDef[] = [
  ...conversion('to_date', Types.date, 'date', ['date']),
  ...conversion('to_timestamp', Types.timestampNtz, 'timestamp', ['to_timestamp_ntz'], ['try_to_timestamp_ntz']),
  ...conversion('to_timestamp_ltz', Types.timestampLtz, 'timestamp'),
  ...conversion('to_timestamp_tz', Types.timestampTz, 'timestamp'),
  ...conversion('to_varchar', Types.varchar, 'text', ['to_char']),
  { name: 'to_number', aliases: ['to_decimal', 'to_numeric'], resolve: resolveToNumber('to_number'), kernel: toNumberKernel(false), strict: true },
  {
    name: 'try_to_number',
    aliases: ['try_to_decimal', 'try_to_numeric'],
    resolve: resolveToNumber('try_to_number'),
    kernel: toNumberKernel(true),
    strict: true,
  },
  ...conversion('to_time', Types.time(), 'other'),
  ...conversion('to_double', Types.float, 'other'),
  ...conversion('to_boolean', Types.boolean, 'other'),
];
