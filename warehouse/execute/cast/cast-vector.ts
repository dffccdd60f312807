/**
 * CAST / TRY_CAST of a whole vector between any two of Firn's types that canCast allows
 * (cast-rules.ts). One loop per (from, to) pair over the typed arrays; strings are parsed
 * and formatted once per dictionary entry where the layout allows.
 *
 * Contract: the result has the physical layout of `to`. A value that cannot be converted
 * throws a DataError (NUMERIC_OUT_OF_RANGE, *_NOT_RECOGNIZED) naming the value, or becomes
 * NULL when `tryCast`. NUMBER -> NUMBER rescales exactly, rounding half away from zero, and
 * checks the target precision. NUMBER/FLOAT -> TIMESTAMP_NTZ reads epoch seconds; a result past
 * 9999-12-31 or before 0001-01-01 raises DATETIME_OUT_OF_RANGE (22008).
 * CAST to VARCHAR(n) truncates to n characters.
 */
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_PRECISION, typeToSql } from '../../../storage/types/data-type.js';
import { formatDate, formatDecimal, formatTimestamp } from '../../../storage/types/value-text.js';
import type { BoolVector, DecVector, F64Vector, I32Vector, Nulls, StrVector, Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';
import { MICROS_PER_DAY, MICROS_PER_SECOND } from '../functions/civil-date.js';
import { datetimeOutOfRange, microsInRange } from '../functions/datetime-range.js';
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
import { allNullVector, expectKind, strVectorFromRows } from '../functions/vector-kit.js';
import { castStrVector } from './cast-strings.js';
import { canCast } from './cast-rules.js';
import { formatFloat, formatScaledF64 } from './format-text.js';

export function castVector(v: Vector, from: DataType, to: DataType, tryCast: boolean): Vector {
  if (from.kind === 'NULL') return allNullVector(to, v.length);
  if (!canCast(from, to)) throw new InternalError(`no cast from ${typeToSql(from)} to ${typeToSql(to)}`);
  if (from.kind === 'VARCHAR') return castStrVector(expectKind(v, 'str', 'CAST'), to, tryCast ? 'null' : 'throw', true, null);
  switch (to.kind) {
    case 'VARCHAR': {
      const s = toVarchar(v, from);
      return to.length === undefined ? s : castStrVector(s, to, 'throw', true, null);
    }
    case 'NUMBER':
      return toNumber(v, from, to, tryCast);
    case 'FLOAT':
      return toFloat(v, from);
    case 'BOOLEAN':
      return toBoolean(v, from);
    case 'DATE':
      return from.kind === 'DATE' ? v : timestampToDate(expectKind(v, 'f64', 'CAST'));
    case 'TIMESTAMP_NTZ':
      return toTimestamp(v, from, tryCast);
    case 'NULL':
      return allNullVector(to, v.length);
  }
}

function toVarchar(v: Vector, from: DataType): StrVector {
  const n = v.length;
  const nulls = v.nulls;
  switch (from.kind) {
    case 'BOOLEAN': {
      const b = expectKind(v, 'bool', 'CAST');
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = b.values[i] ? 1 : 0;
      return { kind: 'str', length: n, codes, dict: ['false', 'true'], nulls };
    }
    case 'DATE': {
      // Dates repeat a lot: format each distinct day once.
      const d = expectKind(v, 'i32', 'CAST');
      const seen = new Map<number, number>();
      const dict: string[] = [];
      const codes = new Int32Array(n);
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
      } else {
        const x = expectKind(v, 'f64', 'CAST').values;
        if (from.kind === 'NUMBER') {
          const scale = from.scale;
          for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? null : formatScaledF64(x[i], scale);
        } else if (from.kind === 'FLOAT') {
          for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? null : formatFloat(x[i]);
        } else {
          for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? null : formatTimestamp(x[i]);
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
      const out = new Float64Array(n);
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
      const out = new Float64Array(n);
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
      const out = new Float64Array(n);
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
      const out = new Float64Array(n);
      let wide: (bigint | undefined)[] | null = null;
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i]) continue;
        const f = x[i];
        if (!Number.isFinite(f)) {
          if (!tryCast) throw new DataError('NUMERIC_OUT_OF_RANGE', `Numeric value '${formatFloat(f)}' is out of range`);
          if (outNulls === nulls) outNulls = nulls ? nulls.slice() : new Uint8Array(n);
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
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = b.values[i] ? 1 : 0;
      return { kind: 'f64', length: n, values: out, nulls: v.nulls };
    }
    case 'NUMBER': {
      const out = new Float64Array(n);
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
  const out = new Uint8Array(n);
  if (v.kind === 'dec') {
    for (let i = 0; i < n; i++) out[i] = v.values[i] !== 0n ? 1 : 0;
  } else {
    const x = expectKind(v, 'f64', 'CAST').values;
    for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
  }
  return { kind: 'bool', length: n, values: out, nulls: v.nulls };
}

function timestampToDate(v: F64Vector): I32Vector {
  const n = v.length;
  const out = new Int32Array(n);
  const x = v.values;
  for (let i = 0; i < n; i++) out[i] = Math.floor(x[i] / MICROS_PER_DAY);
  return { kind: 'i32', length: n, values: out, nulls: v.nulls };
}

function toTimestamp(v: Vector, from: DataType, tryCast: boolean): Vector {
  const n = v.length;
  switch (from.kind) {
    case 'TIMESTAMP_NTZ':
      return v;
    case 'DATE': {
      const d = expectKind(v, 'i32', 'CAST').values;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = d[i] * MICROS_PER_DAY;
      return { kind: 'f64', length: n, values: out, nulls: v.nulls };
    }
    case 'FLOAT': {
      const x = expectKind(v, 'f64', 'CAST').values;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.round(x[i] * MICROS_PER_SECOND);
      return nonFiniteToError(out, v.nulls, tryCast);
    }
    case 'NUMBER': {
      // Epoch seconds at scale s -> microseconds: scale by 10^(6 - s), rounding when s > 6.
      const shift = 6 - from.scale;
      const out = new Float64Array(n);
      if (v.kind === 'dec') {
        for (let i = 0; i < n; i++) {
          if (v.nulls && v.nulls[i]) continue;
          out[i] = Number(shift >= 0 ? v.values[i] * pow10n(shift) : roundDivBig(v.values[i], pow10n(-shift)));
        }
      } else {
        const x = expectKind(v, 'f64', 'CAST').values;
        for (let i = 0; i < n; i++) {
          const s = x[i];
          out[i] = shift >= 0 ? s * POW10[shift] : Math.abs(s) < SAFE_F64 && -shift <= 15 ? roundDivF64(s, POW10[-shift]) : Number(roundDivBig(BigInt(s), pow10n(-shift)));
        }
      }
      return nonFiniteToError(out, v.nulls, tryCast);
    }
    default:
      throw new InternalError(`no cast from ${from.kind} to TIMESTAMP_NTZ`);
  }
}

/** Non-finite epoch values are not recognized, finite ones past the supported range are out of range (NULL in TRY_CAST). */
function nonFiniteToError(out: Float64Array, nulls: Nulls, tryCast: boolean): F64Vector {
  let outNulls = nulls;
  for (let i = 0; i < out.length; i++) {
    if (microsInRange(out[i]) || (nulls && nulls[i])) continue;
    if (!tryCast && !Number.isFinite(out[i])) throw new DataError('TIMESTAMP_NOT_RECOGNIZED', `Timestamp '${formatFloat(out[i])}' is not recognized`);
    if (!tryCast) throw datetimeOutOfRange(`'${formatFloat(out[i] / MICROS_PER_SECOND)}'`, 'timestamp');
    if (outNulls === nulls) outNulls = nulls ? nulls.slice() : new Uint8Array(out.length);
    outNulls![i] = 1;
  }
  return { kind: 'f64', length: out.length, values: out, nulls: outNulls };
}
