/**
 * Casts to and from TIMESTAMP_LTZ and TIMESTAMP_TZ: the conversions that need a time zone.
 *
 * Why a module of its own: every other cast is zone-free; these read the session's TIMEZONE,
 * which the binder stamps on the cast node (BoundExpr `zone`) so workers see the statement's
 * zone. LTZ and TZ 'ts' vectors hold the UTC instant; TZ adds per-row `offsets` (data-type.ts).
 *
 * Contract (zone = the session's TIMEZONE):
 *   NTZ -> LTZ     the wall clock read in zone (gaps/overlaps as time-zone.ts resolves them)
 *   NTZ -> TZ      the same instant, with zone's offset at it
 *   LTZ -> NTZ     the instant's wall clock in zone
 *   LTZ -> TZ      the instant, with zone's offset at it
 *   TZ  -> NTZ     the value's own wall clock (its offset, not the zone)
 *   TZ  -> LTZ     the instant (the offset dropped)
 *   VARCHAR -> LTZ/TZ  a text with an offset ('2024-03-10 02:30:00 +01:00', 'Z') is that
 *                  instant (TZ keeps the offset); without one it is a wall clock in zone; an
 *                  integer is epoch seconds (UTC), TZ shown at zone's offset then
 *   LTZ/TZ -> VARCHAR  'YYYY-MM-DD HH:MI:SS[.f] +HHMM' (the wall clock, fraction as for NTZ,
 *                  then Snowflake's TZHTZM offset; LTZ in zone, TZ at its own offset), or in
 *                  the session's TIMESTAMP_LTZ / TZ output format when it set one (`format`)
 *   DATE -> LTZ/TZ midnight in zone; LTZ/TZ -> DATE / TIME the wall clock's date / time of day
 *   NUMBER/FLOAT -> LTZ/TZ  epoch seconds as an instant
 *   anything else  through NTZ (the wall clock), e.g. VARIANT
 * Precision is cut to the target's digits (truncateTs), as for NTZ.
 */
import { allocF64, allocI32 } from '../batch/array-pool.js';
import { InternalError } from '../../../storage/errors/firn-error.js';
import { isZonedTimestamp, timestampPrecision, Types, type DataType } from '../../../storage/types/data-type.js';
import { localToUtcSecs, offsetText, zoneOffsets, DEFAULT_TIMEZONE } from '../../../storage/types/time-zone.js';
import { truncateTs } from '../../../storage/types/truncate-ts.js';
import { formatTimestamp } from '../../../storage/types/value-text.js';
import type { StrVector, TsVector, Vector } from '../../../storage/types/vector.js';
import { compactStrings } from '../functions/vector-kit.js';
import { secsInRange } from '../functions/datetime-range.js';
import { parseTimestampParts } from './parse-text.js';
import { compileDateTimeFormat, formatDateTime } from '../functions/datetime-format.js';

type CastFn = (v: Vector, from: DataType, to: DataType, tryCast: boolean, zone?: string) => Vector;

/** A cast where `from` or `to` is LTZ or TZ; `castVector` does the zone-free legs. */
export function castZoned(
  v: Vector,
  from: DataType,
  to: DataType,
  tryCast: boolean,
  zone: string | undefined,
  castVector: CastFn,
  parseError: (text: string, to: DataType) => never,
  format?: string,
): Vector {
  const z = zone ?? DEFAULT_TIMEZONE;
  if (from.kind === 'VARCHAR') return parseZoned(v as StrVector, to, z, tryCast, parseError);
  if (from.kind === 'VARIANT') return castVector(castVector(v, from, Types.varchar, tryCast), Types.varchar, to, tryCast, z);
  if (isZonedTimestamp(from)) {
    const ts = v as TsVector;
    if (isZonedTimestamp(to)) return truncateTs(to.kind === 'TIMESTAMP_TZ' ? withOffsets(ts, from, z) : instantOnly(ts), timestampPrecision(to));
    if (to.kind === 'VARCHAR') {
      const s = formatZoned(ts, from, z, format);
      return to.length === undefined ? s : castVector(s, Types.varchar, to, tryCast);
    }
    if (to.kind === 'NUMBER' || to.kind === 'FLOAT') return castVector(instantOnly(ts), Types.timestampNtz, to, tryCast);
    return castVector(wallClock(ts, from, z), Types.timestampNtz, to, tryCast, z);
  }
  // From a zone-free type to LTZ/TZ.
  let instant: TsVector;
  if (from.kind === 'NUMBER' || from.kind === 'FLOAT') instant = castVector(v, from, Types.timestampNtz, tryCast) as TsVector;
  else instant = fromWallClock(castVector(v, from, Types.timestampNtz, tryCast) as TsVector, z);
  const out = to.kind === 'TIMESTAMP_TZ' ? withOffsets(instant, Types.timestampLtz, z) : instant;
  return truncateTs(out, timestampPrecision(to));
}

/** The instant alone (a TZ's offsets dropped). */
function instantOnly(ts: TsVector): TsVector {
  return ts.offsets ? { kind: 'ts', length: ts.length, secs: ts.secs, nanos: ts.nanos, nulls: ts.nulls } : ts;
}

/** The per-row offset: a TZ's own, else zone's at the instant. */
function offsetsOf(ts: TsVector, from: DataType, zone: string): Int16Array {
  if (from.kind === 'TIMESTAMP_TZ') return ts.offsets ?? new Int16Array(ts.length);
  const offsetAt = zoneOffsets(zone);
  const out = new Int16Array(ts.length);
  const secs = ts.secs;
  const nulls = ts.nulls;
  for (let i = 0; i < ts.length; i++) if (!(nulls && nulls[i])) out[i] = offsetAt(secs[i]);
  return out;
}

/** As TZ: the instant with each row's offset (a TZ keeps its own; LTZ/NTZ instants get zone's). */
function withOffsets(ts: TsVector, from: DataType, zone: string): TsVector {
  return { kind: 'ts', length: ts.length, secs: ts.secs, nanos: ts.nanos, nulls: ts.nulls, offsets: offsetsOf(ts, from, zone) };
}

/** The wall clock of an LTZ (in zone) or a TZ (at its own offset), as an NTZ vector. */
export function wallClock(ts: TsVector, from: DataType, zone: string): TsVector {
  const offs = offsetsOf(ts, from, zone);
  const n = ts.length;
  const secs = allocF64(n);
  const src = ts.secs;
  for (let i = 0; i < n; i++) secs[i] = src[i] + offs[i] * 60;
  return { kind: 'ts', length: n, secs, nanos: ts.nanos, nulls: ts.nulls };
}

/** NTZ wall clocks read in zone -> instants (an LTZ vector). */
export function fromWallClock(ts: TsVector, zone: string): TsVector {
  const offsetAt = zoneOffsets(zone);
  const n = ts.length;
  const secs = allocF64(n);
  const src = ts.secs;
  const nulls = ts.nulls;
  for (let i = 0; i < n; i++) secs[i] = nulls && nulls[i] ? 0 : localToUtcSecs(offsetAt, src[i]);
  return { kind: 'ts', length: n, secs, nanos: ts.nanos, nulls };
}

/** 'YYYY-MM-DD HH:MI:SS[.f] +HHMM' per row, or the wall clock and offset in `format`. */
function formatZoned(ts: TsVector, from: DataType, zone: string, format?: string): StrVector {
  const offs = offsetsOf(ts, from, zone);
  const n = ts.length;
  const nulls = ts.nulls;
  const dict: string[] = [];
  const codes = allocI32(n);
  const compiled = format === undefined ? null : compileDateTimeFormat(format);
  const civil = new Int32Array(3);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    codes[i] = dict.length;
    const wall = ts.secs[i] + offs[i] * 60;
    dict.push(compiled ? formatDateTime(compiled, wall, ts.nanos[i], civil, offs[i]) : `${formatTimestamp(wall, ts.nanos[i])} ${offsetText(offs[i])}`);
  }
  if (dict.length === 0) dict.push('');
  return { kind: 'str', length: n, codes, dict, nulls };
}

/** VARCHAR -> LTZ/TZ, one parse per distinct string. */
export function parseZoned(input: StrVector, to: DataType, zone: string, tryCast: boolean, parseError: (text: string, to: DataType) => never): TsVector {
  const v = compactStrings(input);
  const offsetAt = zoneOffsets(zone);
  const m = v.dict.length;
  const pSecs = new Float64Array(m);
  const pNanos = new Int32Array(m);
  const pOffs = new Int16Array(m);
  const ok = new Uint8Array(m);
  const parts = new Float64Array(4);
  for (let c = 0; c < m; c++) {
    if (!parseTimestampParts(v.dict[c], parts) || !secsInRange(parts[0])) continue;
    let instant: number;
    let off: number;
    if (parts[3] === 1) {
      instant = parts[0];
      off = offsetAt(instant);
    } else if (!Number.isNaN(parts[2])) {
      off = parts[2];
      instant = parts[0] - off * 60;
    } else {
      instant = localToUtcSecs(offsetAt, parts[0]);
      off = offsetAt(instant);
    }
    pSecs[c] = instant;
    pNanos[c] = parts[1];
    pOffs[c] = off;
    ok[c] = 1;
  }
  const n = v.length;
  const secs = allocF64(n);
  const nanos = allocI32(n);
  const offsets = to.kind === 'TIMESTAMP_TZ' ? new Int16Array(n) : null;
  let nulls = v.nulls;
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    const c = v.codes[i];
    if (!ok[c]) {
      if (!tryCast) parseError(v.dict[c], to);
      if (!nulls || nulls === v.nulls) nulls = nulls ? nulls.slice() : new Uint8Array(n);
      nulls[i] = 1;
      continue;
    }
    secs[i] = pSecs[c];
    nanos[i] = pNanos[c];
    if (offsets) offsets[i] = pOffs[c];
  }
  const out: TsVector = { kind: 'ts', length: n, secs, nanos, nulls };
  if (offsets) out.offsets = offsets;
  return truncateTs(out, timestampPrecision(to));
}

export function expectTs(v: Vector): TsVector {
  if (v.kind !== 'ts') throw new InternalError(`timestamp cast over a '${v.kind}' vector`);
  return v;
}
