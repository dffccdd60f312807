/**
 * Time-zone math for TIMESTAMP_LTZ and TIMESTAMP_TZ: the UTC offset of an IANA zone at an
 * instant, the instant of a zone's wall-clock time, and the text of an offset.
 *
 * Why: LTZ values are instants shown in the session's TIMEZONE, TZ values are instants with
 * their own offset; casts to and from NTZ and VARCHAR, DATE_TRUNC/DATE_PART on them and
 * CONVERT_TIMEZONE all need a zone's offset at an instant. Node's Intl (ICU's tz database) is
 * the source; it is slow per call, so offsets are cached per zone per 15-minute bucket (every
 * transition of the tz database since 1970 falls on a quarter hour in UTC).
 *
 * Contract:
 *  - Offsets are minutes east of UTC (Los Angeles in winter is -480), rounded to the minute
 *    (historic local mean times such as +00:19:32 become +00:20; Snowflake keeps minutes too).
 *  - A zone is an IANA name ('America/Los_Angeles', 'UTC', 'Etc/GMT+5'), checked by
 *    isValidTimeZone; names are case-insensitive as in Snowflake and canonicalized by
 *    canonicalZone. A fixed offset '+01:00' / '-0530' also names a zone.
 *  - localToUtcSecs resolves a wall clock that does not exist (the spring-forward gap) by the
 *    offset before the gap (02:30 in Los Angeles on its spring day becomes 03:30 PDT) and an
 *    ambiguous one (the fall-back overlap) by the earlier instant (the daylight offset).
 */

/** Snowflake's default TIMEZONE parameter. */
export const DEFAULT_TIMEZONE = 'America/Los_Angeles';

const BUCKET_SECS = 900;
const MAX_CACHED = 200_000;

type ZoneInfo = { name: string; fixed: number | null; format: Intl.DateTimeFormat | null; cache: Map<number, number> };

const zones = new Map<string, ZoneInfo | null>();

const FIXED_RE = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

function zoneInfo(zone: string): ZoneInfo | null {
  const key = zone.toLowerCase();
  let info = zones.get(key);
  if (info !== undefined) return info;
  info = makeZone(zone);
  zones.set(key, info);
  return info;
}

function makeZone(zone: string): ZoneInfo | null {
  const z = zone.trim();
  const fixed = FIXED_RE.exec(z);
  if (fixed) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3] ?? 0);
    if (minutes >= 24 * 60) return null;
    return { name: offsetText(fixed[1] === '-' ? -minutes : minutes, true), fixed: fixed[1] === '-' ? -minutes : minutes, format: null, cache: new Map() };
  }
  try {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: z, timeZoneName: 'longOffset', year: 'numeric' });
    const name = format.resolvedOptions().timeZone;
    return { name, fixed: null, format, cache: new Map() };
  } catch {
    return null;
  }
}

/** True when `zone` names a time zone (an IANA name or a fixed offset). */
export function isValidTimeZone(zone: string): boolean {
  return zone.trim() !== '' && zoneInfo(zone) !== null;
}

/** The zone's canonical spelling ('america/new_york' -> 'America/New_York'), or null when unknown. */
export function canonicalZone(zone: string): string | null {
  return zoneInfo(zone)?.name ?? null;
}

function requireZone(zone: string): ZoneInfo {
  const info = zoneInfo(zone);
  if (!info) throw new RangeError(`unknown time zone '${zone}'`);
  return info;
}

const LONG_OFFSET_RE = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?/;

function intlOffset(format: Intl.DateTimeFormat, utcSecs: number): number {
  // Intl's Date range is +-8.64e15 ms; Firn's years 0001..9999 are far inside it.
  const parts = format.formatToParts(new Date(utcSecs * 1000));
  const text = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = LONG_OFFSET_RE.exec(text);
  if (!m || m[1] === undefined) return 0;
  const secs = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  const minutes = Math.round(secs / 60);
  return m[1] === '-' ? -minutes : minutes;
}

/** The UTC offset in minutes of `zone` at the instant `utcSecs` (seconds since the epoch, UTC). */
export function zoneOffsetMinutes(zone: string, utcSecs: number): number {
  const info = requireZone(zone);
  return offsetOf(info, utcSecs);
}

function offsetOf(info: ZoneInfo, utcSecs: number): number {
  if (info.fixed !== null) return info.fixed;
  const bucket = Math.floor(utcSecs / BUCKET_SECS);
  let off = info.cache.get(bucket);
  if (off === undefined) {
    off = intlOffset(info.format!, bucket * BUCKET_SECS);
    if (info.cache.size >= MAX_CACHED) info.cache.clear();
    info.cache.set(bucket, off);
  }
  return off;
}

/**
 * A resolver for one zone, for kernels: `offsetAt(utcSecs)` per row without a name lookup.
 */
export function zoneOffsets(zone: string): (utcSecs: number) => number {
  const info = requireZone(zone);
  if (info.fixed !== null) {
    const f = info.fixed;
    return () => f;
  }
  return (utcSecs) => offsetOf(info, utcSecs);
}

/**
 * The instant (UTC seconds) of wall-clock `localSecs` (seconds since 1970-01-01 00:00 of the
 * zone's local calendar) in `zone`; gaps and overlaps as the header says.
 */
export function localToUtcSecs(offsetAt: (utcSecs: number) => number, localSecs: number): number {
  // The offsets in force a day either side bound the answer: try the earlier (larger) first.
  const before = offsetAt(localSecs - 86_400);
  const after = offsetAt(localSecs + 86_400);
  if (before === after) {
    const o = offsetAt(localSecs - before * 60);
    if (o === before) return localSecs - before * 60;
    return localSecs - o * 60;
  }
  const hi = Math.max(before, after);
  const lo = Math.min(before, after);
  // Earlier instant = larger offset; valid when the zone really has that offset then.
  if (offsetAt(localSecs - hi * 60) === hi) return localSecs - hi * 60;
  if (offsetAt(localSecs - lo * 60) === lo) return localSecs - lo * 60;
  // A gap: the wall clock does not exist; read it with the offset before the gap.
  return localSecs - before * 60;
}

/** '+HHMM' (Snowflake's TZHTZM) or, with `colon`, '+HH:MM'. */
export function offsetText(minutes: number, colon = false): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  const hh = String(Math.floor(m / 60)).padStart(2, '0');
  const mm = String(m % 60).padStart(2, '0');
  return colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}
