/**
 * CAST / TRY_CAST of a whole vector between any two of Firn's types that canCast allows
 * (cast-rules.ts). One loop per (from, to) pair over the typed arrays; strings are parsed
 * and formatted once per dictionary entry where the layout allows.
 *
 * Contract: the result has the physical layout of `to`. A value that cannot be converted
 * throws a DataError (NUMERIC_OUT_OF_RANGE, *_NOT_RECOGNIZED) naming the value, or becomes
 * NULL when `tryCast`. NUMBER -> NUMBER rescales exactly, rounding half away from zero, and
 * checks the target precision. NUMBER/FLOAT -> TIMESTAMP_NTZ reads epoch seconds; a result past
 * 9999-12-31 or before 0001-01-01 raises DATETIME_OUT_OF_RANGE (22008). Every cast to
 * TIMESTAMP_NTZ(p) cuts the fraction to p digits (truncate-ts.ts), as Snowflake does; so does
 * every cast to TIME(p) (a TIMESTAMP_NTZ gives its time of day).
 * CAST to VARCHAR(n) truncates to n characters. BINARY -> VARCHAR writes each distinct value
 * once in the settings' binaryOutput format (BINARY_OUTPUT_FORMAT: HEX, upper case, by
 * default); VARCHAR -> BINARY reads binaryInput's (cast-strings.ts); BINARY -> BINARY(n) cuts
 * to n bytes.
 */
import { castZoned } from './cast-zoned.js';
import { allocF64, allocI32, allocU8 } from '../batch/array-pool.js';
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_BINARY_LENGTH, MAX_PRECISION, isSemiStructured, isZonedTimestamp, timestampPrecision, typeToSql } from '../../../storage/types/data-type.js';
import { castSemiStructured } from './cast-variant.js';
import { formatDate, formatDecimal, formatTime, formatTimestamp } from '../../../storage/types/value-text.js';
import { truncateTs } from '../../../storage/types/truncate-ts.js';
import type { BoolVector, DecVector, F64Vector, I32Vector, Nulls, StrVector, TsVector, Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT, NANOS_PER_SECOND } from '../../../storage/types/vector.js';
import { datetimeOutOfRange, secsInRange } from '../functions/datetime-range.js';
import {
  POW10,
  SAFE_F64,
  checkF64Precision,
  floatToScaled,
  fromBigints,
  pow10n,
  rescaleBig,
  roundDivBig,
  roundDivF64,
  scaledToFloat,
  toBigints,
} from '../functions/decimal.js';
import { allNullVector, compactStrings, expectKind, strVectorFromRows } from '../functions/vector-kit.js';
import { BinaryFormat, encodeBinary } from '../../../storage/types/binary-text.js';
import type { ExprSettings } from '../../fragment/expr-settings.js';
import { compileDateTimeFormat, formatDateTime } from '../functions/datetime-format.js';
import { castStrVector } from './cast-strings.js';
import { canCast } from './cast-rules.js';
import { formatFloat, formatScaledF64 } from './format-text.js';

export function castVector(v: Vector, from: DataType, to: DataType, tryCast: boolean, zone?: string, settings?: ExprSettings): Vector {
  if (from.kind === 'NULL') return allNullVector(to, v.length);
  if (!canCast(from, to)) throw new InternalError(`no cast from ${typeToSql(from)} to ${typeToSql(to)}`);
  if (from.kind === 'BINARY' && to.kind !== 'VARIANT') return fromBinary(expectKind(v, 'str', 'CAST'), to, settings);
  if (isZonedTimestamp(from) || isZonedTimestamp(to)) {
    if (from.kind === 'VARCHAR') return castStrVector(expectKind(v, 'str', 'CAST'), to, tryCast ? 'null' : 'throw', true, null, zone);
    const format = from.kind === 'TIMESTAMP_LTZ' ? settings?.timestampLtzOutput : from.kind === 'TIMESTAMP_TZ' ? settings?.timestampTzOutput : undefined;
    return castZoned(
      v,
      from,
      to,
      tryCast,
      zone,
      castVector,
      () => {
        throw new InternalError('castZoned parses only VARCHAR');
      },
      format,
    );
  }
  if (isSemiStructured(from) || isSemiStructured(to)) return castSemiStructured(v, from, to, tryCast, castVector);
  if (from.kind === 'VARCHAR') return castStrVector(expectKind(v, 'str', 'CAST'), to, tryCast ? 'null' : 'throw', true, null, zone, settings);
  switch (to.kind) {
    case 'VARCHAR': {
      const s = toVarchar(v, from, settings);
      return to.length === undefined ? s : castStrVector(s, to, 'throw', true, null);
    }
    case 'NUMBER':
      return toNumber(v, from, to, tryCast);
    case 'FLOAT':
      return toFloat(v, from);
    case 'BOOLEAN':
      return toBoolean(v, from);
    case 'DATE':
      return from.kind === 'DATE' ? v : timestampToDate(expectKind(v, 'ts', 'CAST'));
    case 'TIMESTAMP_NTZ':
      return toTimestamp(v, from, to, tryCast);
    case 'TIME':
      return toTime(v, from, to);
    case 'NULL':
      return allNullVector(to, v.length);
    default:
      throw new InternalError(`no cast from ${typeToSql(from)} to ${typeToSql(to)}`);
  }
}

/** BINARY -> VARCHAR (in the output format) or BINARY(n) (cut to n bytes), once per dictionary entry. */
function fromBinary(v: StrVector, to: DataType, settings: ExprSettings | undefined): Vector {
  if (to.kind === 'BINARY') {
    const limit = to.length ?? MAX_BINARY_LENGTH;
    return v.dict.some((s) => s.length > limit) ? { ...v, dict: v.dict.map((s) => s.slice(0, limit)) } : v;
  }
  if (to.kind !== 'VARCHAR') throw new InternalError(`no cast from BINARY to ${typeToSql(to)}`);
  const format = settings?.binaryOutput ?? BinaryFormat.HEX;
  const c = compactStrings(v);
  const text: StrVector = { kind: 'str', length: c.length, codes: c.codes, dict: c.dict.map((s) => encodeBinary(s, format)!), nulls: c.nulls };
  return to.length === undefined ? text : castStrVector(text, to, 'throw', true, null);
}

/** The session's output format for values of `from` (DATE, TIME, TIMESTAMP_NTZ), when it set one. */
function outputFormat(from: DataType, settings: ExprSettings | undefined): string | undefined {
  if (!settings) return undefined;
  if (from.kind === 'DATE') return settings.dateOutput;
  if (from.kind === 'TIME') return settings.timeOutput;
  if (from.kind === 'TIMESTAMP_NTZ') return settings.timestampNtzOutput;
  return undefined;
}

/** DATE, TIME or TIMESTAMP_NTZ values in a format (datetime-format.ts), each distinct value once. */
function formattedText(v: Vector, from: DataType, format: string): StrVector {
  const compiled = compileDateTimeFormat(format);
  const n = v.length;
  const nulls = v.nulls;
  const civil = new Int32Array(3);
  const seen = new Map<string, number>();
  const dict: string[] = [];
  const codes = allocI32(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    let secs: number;
    let nanos: number;
    if (from.kind === 'DATE') {
      secs = expectKind(v, 'i32', 'CAST').values[i] * 86_400;
      nanos = 0;
    } else if (from.kind === 'TIME') {
      const ns = expectKind(v, 'f64', 'CAST').values[i];
      secs = Math.floor(ns / NANOS_PER_SECOND);
      nanos = ns - secs * NANOS_PER_SECOND;
    } else {
      const ts = expectKind(v, 'ts', 'CAST');
      secs = ts.secs[i];
      nanos = ts.nanos[i];
    }
    const text = formatDateTime(compiled, secs, nanos, civil);
    let c = seen.get(text);
    if (c === undefined) {
      c = dict.length;
      seen.set(text, c);
      dict.push(text);
    }
    codes[i] = c;
  }
  if (dict.length === 0) dict.push('');
  return { kind: 'str', length: n, codes, dict, nulls };
}

function toVarchar(v: Vector, from: DataType, settings?: ExprSettings): StrVector {
  const n = v.length;
  const nulls = v.nulls;
  const format = outputFormat(from, settings);
  if (format !== undefined) return formattedText(v, from, format);
  switch (from.kind) {
    case 'BOOLEAN': {
      const b = expectKind(v, 'bool', 'CAST');
      const codes = allocI32(n);
      for (let i = 0; i < n; i++) codes[i] = b.values[i] ? 1 : 0;
      return { kind: 'str', length: n, codes, dict: ['false', 'true'], nulls };
    }
    case 'DATE': {
      // Dates repeat a lot: format each distinct day once.
      const d = expectKind(v, 'i32', 'CAST');
      const seen = new Map<number, number>();
      const dict: string[] = [];
      const codes = allocI32(n);
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const day = d.values[i];
        let c = seen.get(day);
        if (c === undefined) {
          c = dict.length;
          seen.set(day, c);
          dict.push(formatDate(day));
        }
        codes[i] = c;
      }
      if (dict.length === 0) dict.push('');
      return { kind: 'str', length: n, codes, dict, nulls };
    }
    default: {
      const out = new Array<string | null>(n);
      if (v.kind === 'dec') {
        const scale = from.kind === 'NUMBER' ? from.scale : 0;
        for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? null : formatDecimal(v.values[i], scale);
      } else if (v.kind === 'ts') {
        for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? null : formatTimestamp(v.secs[i], v.nanos[i]);
      } else {
        const x = expectKind(v, 'f64', 'CAST').values;
        if (from.kind === 'NUMBER') {
          const scale = from.scale;
          for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? null : formatScaledF64(x[i], scale);
        } else if (from.kind === 'TIME') {
          for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? null : formatTime(x[i]);
        } else if (from.kind === 'FLOAT') {
          for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? null : formatFloat(x[i]);
        } else {
          throw new InternalError(`no cast from ${from.kind} vector 'f64' to VARCHAR`);
        }
      }
      return strVectorFromRows(out);
    }
  }
}

/** NUMBER(p,s) -> NUMBER(p2,s2): exact rescale (rounding half away from zero) and range check. */
function rescaleNumber(v: F64Vector | DecVector, fromScale: number, to: Extract<DataType, { kind: 'NUMBER' }>, tryCast: boolean): F64Vector | DecVector {
  const precision = Math.min(to.precision, MAX_PRECISION);
  const n = v.length;
  if (v.kind === 'f64') {
    const src = v.values;
    if (to.scale === fromScale) return checkF64Precision(v, precision, to.scale, tryCast);
    if (to.scale > fromScale && to.scale - fromScale <= 22) {
      const m = POW10[to.scale - fromScale];
      const out = allocF64(n);
      let exact = true;
      for (let i = 0; i < n; i++) {
        const r = src[i] * m;
        out[i] = r;
        if (r >= MAX_EXACT || r <= -MAX_EXACT) {
          exact = false;
          break;
        }
      }
      if (exact) return checkF64Precision({ kind: 'f64', length: n, values: out, nulls: v.nulls }, precision, to.scale, tryCast);
    } else if (to.scale < fromScale && fromScale - to.scale <= 15) {
      const d = POW10[fromScale - to.scale];
      const out = allocF64(n);
      let exact = true;
      for (let i = 0; i < n; i++) {
        const x = src[i];
        if (x >= SAFE_F64 || x <= -SAFE_F64) {
          exact = false;
          break;
        }
        out[i] = roundDivF64(x, d);
      }
      if (exact) return checkF64Precision({ kind: 'f64', length: n, values: out, nulls: v.nulls }, precision, to.scale, tryCast);
    }
  }
  const big = toBigints(v);
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) out[i] = rescaleBig(big[i], fromScale, to.scale);
  return fromBigints(out, v.nulls, precision, to.scale, tryCast);
}

function toNumber(v: Vector, from: DataType, to: Extract<DataType, { kind: 'NUMBER' }>, tryCast: boolean): Vector {
  const n = v.length;
  const precision = Math.min(to.precision, MAX_PRECISION);
  switch (from.kind) {
    case 'NUMBER':
      return rescaleNumber(v as F64Vector | DecVector, from.scale, to, tryCast);
    case 'BOOLEAN': {
      const b = expectKind(v, 'bool', 'CAST');
      const one = POW10[to.scale] ?? Infinity;
      const out = allocF64(n);
      for (let i = 0; i < n; i++) out[i] = b.values[i] ? one : 0;
      if (one >= MAX_EXACT) {
        const big = new Array<bigint>(n);
        for (let i = 0; i < n; i++) big[i] = b.values[i] ? pow10n(to.scale) : 0n;
        return fromBigints(big, v.nulls, precision, to.scale, tryCast);
      }
      return checkF64Precision({ kind: 'f64', length: n, values: out, nulls: v.nulls }, precision, to.scale, tryCast);
    }
    case 'FLOAT': {
      const x = expectKind(v, 'f64', 'CAST').values;
      const nulls = v.nulls;
      let outNulls: Nulls = nulls;
      const m = to.scale <= 22 ? POW10[to.scale] : Infinity;
      const out = allocF64(n);
      let wide: (bigint | undefined)[] | null = null;
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const f = x[i];
        if (!Number.isFinite(f)) {
          if (!tryCast) throw new DataError('NUMERIC_OUT_OF_RANGE', `Numeric value '${formatFloat(f)}' is out of range`);
          if (outNulls === nulls) outNulls = nulls ? nulls.slice() : allocU8(n);
          outNulls![i] = 1;
          continue;
        }
        const r = f * m;
        const a = r < 0 ? -r : r;
        if (a < SAFE_F64) {
          const whole = Math.floor(a);
          // A product landing exactly on .5 may be a rounding artefact: decide it exactly.
          if (a - whole === 0.5) out[i] = Number(floatToScaled(f, to.scale));
          else out[i] = (r < 0 ? -1 : 1) * (a - whole >= 0.5 ? whole + 1 : whole);
        } else {
          wide ??= new Array<bigint | undefined>(n);
          wide[i] = floatToScaled(f, to.scale);
        }
      }
      if (wide) {
        const all = new Array<bigint>(n);
        for (let i = 0; i < n; i++) all[i] = wide[i] ?? BigInt(out[i]);
        return fromBigints(all, outNulls, precision, to.scale, tryCast);
      }
      return checkF64Precision({ kind: 'f64', length: n, values: out, nulls: outNulls }, precision, to.scale, tryCast);
    }
    default:
      throw new InternalError(`no cast from ${from.kind} to NUMBER`);
  }
}

function toFloat(v: Vector, from: DataType): F64Vector {
  const n = v.length;
  switch (from.kind) {
    case 'FLOAT':
      return expectKind(v, 'f64', 'CAST');
    case 'BOOLEAN': {
      const b = expectKind(v, 'bool', 'CAST');
      const out = allocF64(n);
      for (let i = 0; i < n; i++) out[i] = b.values[i] ? 1 : 0;
      return { kind: 'f64', length: n, values: out, nulls: v.nulls };
    }
    case 'NUMBER': {
      const out = allocF64(n);
      if (v.kind === 'dec') {
        for (let i = 0; i < n; i++) out[i] = v.nulls && v.nulls[i] ? 0 : scaledToFloat(v.values[i], from.scale);
      } else {
        const x = expectKind(v, 'f64', 'CAST').values;
        if (from.scale <= 22) {
          // Both operands are exact, so each quotient is correctly rounded.
          const d = POW10[from.scale];
          for (let i = 0; i < n; i++) out[i] = x[i] / d;
        } else {
          for (let i = 0; i < n; i++) out[i] = scaledToFloat(BigInt(x[i]), from.scale);
        }
      }
      return { kind: 'f64', length: n, values: out, nulls: v.nulls };
    }
    default:
      throw new InternalError(`no cast from ${from.kind} to FLOAT`);
  }
}

function toBoolean(v: Vector, from: DataType): BoolVector {
  const n = v.length;
  if (from.kind === 'BOOLEAN') return expectKind(v, 'bool', 'CAST');
  const out = allocU8(n);
  if (v.kind === 'dec') {
    for (let i = 0; i < n; i++) out[i] = v.values[i] !== 0n ? 1 : 0;
  } else {
    const x = expectKind(v, 'f64', 'CAST').values;
    for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
  }
  return { kind: 'bool', length: n, values: out, nulls: v.nulls };
}

function timestampToDate(v: TsVector): I32Vector {
  const n = v.length;
  const out = allocI32(n);
  const x = v.secs;
  for (let i = 0; i < n; i++) out[i] = Math.floor(x[i] / SECONDS_PER_DAY);
  return { kind: 'i32', length: n, values: out, nulls: v.nulls };
}

const SECONDS_PER_DAY = 86_400;

/** To TIME(p): a TIME's or a TIMESTAMP_NTZ's time of day, its fraction cut to p digits. */
function toTime(v: Vector, from: DataType, to: DataType): F64Vector {
  const n = v.length;
  const unit = 10 ** (9 - timestampPrecision(to));
  const out = allocF64(n);
  if (from.kind === 'TIMESTAMP_NTZ') {
    const ts = expectKind(v, 'ts', 'CAST');
    for (let i = 0; i < n; i++) {
      const s = ts.secs[i];
      const ns = (s - Math.floor(s / SECONDS_PER_DAY) * SECONDS_PER_DAY) * NANOS_PER_SECOND + ts.nanos[i];
      out[i] = ns - (ns % unit);
    }
    return { kind: 'f64', length: n, values: out, nulls: v.nulls };
  }
  const x = expectKind(v, 'f64', 'CAST').values;
  if (unit === 1) return { kind: 'f64', length: n, values: x, nulls: v.nulls };
  for (let i = 0; i < n; i++) out[i] = x[i] - (x[i] % unit);
  return { kind: 'f64', length: n, values: out, nulls: v.nulls };
}

/** To TIMESTAMP_NTZ(p): the value, then its fraction cut to p digits (truncateTs). */
function toTimestamp(v: Vector, from: DataType, to: DataType, tryCast: boolean): Vector {
  return truncateTs(toTimestampNanos(v, from, tryCast), timestampPrecision(to));
}

function toTimestampNanos(v: Vector, from: DataType, tryCast: boolean): TsVector {
  const n = v.length;
  switch (from.kind) {
    case 'TIMESTAMP_NTZ':
      return expectKind(v, 'ts', 'CAST');
    case 'DATE': {
      const d = expectKind(v, 'i32', 'CAST').values;
      const secs = allocF64(n);
      for (let i = 0; i < n; i++) secs[i] = d[i] * SECONDS_PER_DAY;
      return { kind: 'ts', length: n, secs, nanos: allocI32(n), nulls: v.nulls };
    }
    case 'FLOAT': {
      // Epoch seconds: the whole seconds floored, the fraction rounded to the nanosecond.
      const x = expectKind(v, 'f64', 'CAST').values;
      const secs = allocF64(n);
      const nanos = allocI32(n);
      for (let i = 0; i < n; i++) {
        if (v.nulls && v.nulls[i]) continue;
        const s = Math.floor(x[i]);
        if (!secsInRange(s)) {
          secs[i] = s;
          continue;
        }
        const ns = Math.round((x[i] - s) * NANOS_PER_SECOND);
        secs[i] = ns >= NANOS_PER_SECOND ? s + 1 : s;
        nanos[i] = ns >= NANOS_PER_SECOND ? ns - NANOS_PER_SECOND : ns;
      }
      return rangeToError({ kind: 'ts', length: n, secs, nanos, nulls: v.nulls }, x, tryCast);
    }
    case 'NUMBER': {
      // Epoch seconds at scale s: whole seconds = floor(v / 10^s), the rest scaled to nanoseconds
      // (digits past the ninth dropped).
      const scale = from.scale;
      const secs = allocF64(n);
      const nanos = allocI32(n);
      if (v.kind === 'dec' || scale > 15) {
        const vals = v.kind === 'dec' ? v.values : toBigints(expectKind(v, 'f64', 'CAST'));
        const p = pow10n(scale);
        for (let i = 0; i < n; i++) {
          if (v.nulls && v.nulls[i]) continue;
          let q = vals[i] / p;
          let r = vals[i] - q * p;
          if (r < 0n) {
            q -= 1n;
            r += p;
          }
          secs[i] = Number(q);
          nanos[i] = Number(scale <= 9 ? r * pow10n(9 - scale) : r / pow10n(scale - 9));
        }
      } else {
        const x = expectKind(v, 'f64', 'CAST').values;
        const p = POW10[scale];
        // Hand-inlined floor division of the scaled value by 10^scale into seconds and a remainder
        // (q = floor(val / p), r = val mod p), with the one-step fix for the quotient's float rounding.
        for (let i = 0; i < n; i++) {
          const val = x[i];
          let q = Math.floor(val / p);
          let r = val - q * p;
          if (r < 0) {
            q -= 1;
            r += p;
          } else if (r >= p) {
            q += 1;
            r -= p;
          }
          secs[i] = q;
          nanos[i] = scale <= 9 ? r * POW10[9 - scale] : Math.floor(r / POW10[scale - 9]);
        }
      }
      return rangeToError({ kind: 'ts', length: n, secs, nanos, nulls: v.nulls }, null, tryCast);
    }
    default:
      throw new InternalError(`no cast from ${from.kind} to TIMESTAMP_NTZ`);
  }
}

/**
 * Epoch values whose whole seconds fall outside the supported range: a non-finite FLOAT is not
 * recognized, anything else is out of range (NULL in TRY_CAST). `source` holds the FLOAT input
 * (named in the message), or null for NUMBER input (its seconds are named).
 */
function rangeToError(ts: TsVector, source: Float64Array | null, tryCast: boolean): TsVector {
  const { secs, nulls } = ts;
  let outNulls = nulls;
  for (let i = 0; i < ts.length; i++) {
    if (secsInRange(secs[i]) || (nulls && nulls[i])) continue;
    if (!tryCast && source && !Number.isFinite(source[i])) throw new DataError('TIMESTAMP_NOT_RECOGNIZED', `Timestamp '${formatFloat(source[i])}' is not recognized`);
    if (!tryCast) throw datetimeOutOfRange(`'${formatFloat(source ? source[i] : secs[i])}'`, 'timestamp');
    if (outNulls === nulls) outNulls = nulls ? nulls.slice() : new Uint8Array(ts.length);
    outNulls![i] = 1;
  }
  return outNulls === nulls ? ts : { ...ts, nulls: outNulls };
}
