/**
 * Date functions over TIMESTAMP_LTZ and TIMESTAMP_TZ: the NTZ kernels of date.ts and
 * calendar.ts applied to the wall clock, as Snowflake does (YEAR of an LTZ is the year in the
 * session's TIMEZONE; DATE_TRUNC('day', tz) is midnight at the value's own offset).
 *
 * Contract: zoneAware(def) is def with a kernel that converts every LTZ/TZ argument to its
 * wall clock (LTZ in the call's zone, TZ at its own offset: cast-zoned.ts), runs the NTZ kernel,
 * and turns a timestamp result back: LTZ reads the wall clock in the zone, TZ keeps the
 * offset of the call's first TZ argument (row by row). DATE_PART of an EPOCH_* part reads the
 * instant, not the wall clock. Calls without LTZ/TZ run the kernel unchanged.
 */
import { isZonedTimestamp, timestampPrecision, Types, type DataType } from '../../../storage/types/data-type.js';
import { DEFAULT_TIMEZONE, zoneOffsets } from '../../../storage/types/time-zone.js';
import type { TsVector } from '../../../storage/types/vector.js';
import { allocF64 } from '../batch/array-pool.js';
import { fromWallClock, wallClock } from '../cast/cast-zoned.js';
import { DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import { isValidTimeZone, localToUtcSecs } from '../../../storage/types/time-zone.js';
import { checkArity, coerceString, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import { expectKind, isConst, materialize, orNulls, nullsOf, type Kernel, type Val } from './vector-kit.js';

function asNtz(t: DataType): DataType {
  return isZonedTimestamp(t) ? Types.timestampOf('TIMESTAMP_NTZ', timestampPrecision(t)) : t;
}

export function zoneAware(def: FunctionDef): FunctionDef {
  const inner = def.kernel;
  if (!inner) return def;
  const kernel: Kernel = (args, argTypes, type, n, zone, settings) => {
    if (!isZonedTimestamp(type) && !argTypes.some(isZonedTimestamp)) return inner(args, argTypes, type, n, zone, settings);
    const z = zone ?? DEFAULT_TIMEZONE;
    const epochPart = def.name === 'date_part' && isConst(args[0]) && /^epoch/i.test(String(args[0].value ?? ''));
    let tzSource: TsVector | null = null;
    const wallArgs: Val[] = args.map((a, j) => {
      const t = argTypes[j];
      if (!isZonedTimestamp(t)) return a;
      const v = materialize(a, t, n) as TsVector;
      if (t.kind === 'TIMESTAMP_TZ' && !tzSource) tzSource = v;
      if (epochPart) return { kind: 'ts', length: v.length, secs: v.secs, nanos: v.nanos, nulls: v.nulls } as TsVector;
      return wallClock(v, t, z);
    });
    const result = inner(wallArgs, argTypes.map(asNtz), asNtz(type), n, zone, settings);
    if (!isZonedTimestamp(type)) return result;
    const wall = materialize(result, asNtz(type), n) as TsVector;
    const source = tzSource as TsVector | null;
    if (type.kind === 'TIMESTAMP_LTZ' || !source) {
      const instant = fromWallClock(wall, z);
      if (type.kind === 'TIMESTAMP_LTZ') return instant;
      const offsetAt = zoneOffsets(z);
      return { ...instant, offsets: Int16Array.from(instant.secs, (s) => offsetAt(s)) };
    }
    const offs = source.offsets ?? new Int16Array(wall.length);
    const secs = allocF64(wall.length);
    for (let i = 0; i < wall.length; i++) secs[i] = wall.secs[i] - offs[i] * 60;
    return { kind: 'ts', length: wall.length, secs, nanos: wall.nanos, nulls: wall.nulls, offsets: offs };
  };
  return { ...def, kernel };
}

/** A zone argument per row: constant or per-row names, each checked once. */
function zoneReader(v: Val, type: DataType, n: number): (i: number) => (utcSecs: number) => number {
  const check = (name: string) => {
    if (!isValidTimeZone(name)) throw new DataError('UNKNOWN_TIME_ZONE', `Unknown time zone '${clipValue(name)}'`);
    return zoneOffsets(name);
  };
  if (isConst(v)) {
    const f = check(String(v.value));
    return () => f;
  }
  const s = expectKind(materialize(v, type, n), 'str', 'CONVERT_TIMEZONE');
  const byCode = new Map<number, (utcSecs: number) => number>();
  return (i) => {
    const c = s.codes[i];
    let f = byCode.get(c);
    if (!f) byCode.set(c, (f = check(s.dict[c])));
    return f;
  };
}

function resolveConvertTimezone(types: readonly DataType[]): Signature {
  checkArity('convert_timezone', types, 2, 3);
  const fn = 'convert_timezone';
  const ts = types[types.length - 1];
  const zoneTypes = types.slice(0, -1).map((t) => coerceString(fn, types, t));
  if (types.length === 3) {
    if (!(ts.kind === 'TIMESTAMP_NTZ' || ts.kind === 'VARCHAR' || ts.kind === 'DATE' || ts.kind === 'NULL')) throw mismatch(fn, types);
    const p = ts.kind === 'TIMESTAMP_NTZ' ? timestampPrecision(ts) : 9;
    return { argTypes: [...zoneTypes, Types.timestampOf('TIMESTAMP_NTZ', p)], returnType: Types.timestampOf('TIMESTAMP_NTZ', p) };
  }
  if (!(ts.kind === 'TIMESTAMP_NTZ' || ts.kind === 'TIMESTAMP_LTZ' || ts.kind === 'TIMESTAMP_TZ' || ts.kind === 'VARCHAR' || ts.kind === 'DATE' || ts.kind === 'NULL')) throw mismatch(fn, types);
  const p = ts.kind === 'VARCHAR' || ts.kind === 'DATE' || ts.kind === 'NULL' ? 9 : timestampPrecision(ts);
  // The source as an instant: a TZ as it is, anything else through TIMESTAMP_TZ (session zone).
  return { argTypes: [...zoneTypes, Types.timestampOf('TIMESTAMP_TZ', p)], returnType: Types.timestampOf('TIMESTAMP_TZ', p) };
}

/**
 * CONVERT_TIMEZONE(target, ts): the instant of ts (a TIMESTAMP_TZ) with target's offset at it.
 * CONVERT_TIMEZONE(source, target, ntz): ntz read as a wall clock in source, shown as the
 * wall clock in target (an NTZ). An unknown zone is UNKNOWN_TIME_ZONE.
 */
const convertTimezoneKernel: Kernel = (args, argTypes, type, n) => {
  const last = args.length - 1;
  const v = materialize(args[last], argTypes[last], n) as TsVector;
  const nulls = args.slice(0, last).reduce((acc: Uint8Array | null, a) => orNulls(acc, nullsOf(a, n), n), v.nulls);
  const secs = allocF64(n);
  if (args.length === 2) {
    const target = zoneReader(args[0], argTypes[0], n);
    const offsets = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      secs[i] = v.secs[i];
      offsets[i] = target(i)(v.secs[i]);
    }
    return { kind: 'ts', length: n, secs, nanos: v.nanos, nulls, offsets };
  }
  const source = zoneReader(args[0], argTypes[0], n);
  const target = zoneReader(args[1], argTypes[1], n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    const instant = localToUtcSecs(source(i), v.secs[i]);
    secs[i] = instant + target(i)(instant) * 60;
  }
  return { kind: 'ts', length: n, secs, nanos: v.nanos, nulls };
};

export const zonedFunctions: FunctionDef[] = [{ name: 'convert_timezone', resolve: resolveConvertTimezone, kernel: convertTimezoneKernel, strict: true }];
