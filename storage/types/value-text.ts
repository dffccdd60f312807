/**
 * Text forms of typed values shared by every tier: decimals from scaled integers, dates from
 * day numbers, timestamps from seconds + nanoseconds, times from nanoseconds since midnight. Output encoders (JSON rowset, CLI, CAST to
 * VARCHAR) build on these so one value prints the same everywhere.
 */
const MS_PER_DAY = 86_400_000;

/** 1234n, scale 2 -> "12.34"; -5n, scale 2 -> "-0.05". */
export function formatDecimal(scaled: bigint | number, scale: number): string {
  const v = typeof scaled === 'bigint' ? scaled : BigInt(scaled);
  if (scale === 0) return v.toString();
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** Days since 1970-01-01 -> "YYYY-MM-DD" (proleptic Gregorian, years 0001-9999). */
export function formatDate(days: number): string {
  const d = new Date(days * MS_PER_DAY);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/**
 * A timestamp (whole seconds since the epoch + nanoseconds of the second) ->
 * "YYYY-MM-DD HH:MM:SS.fff", the fraction shown to 3, 6 or 9 digits: the fewest of those that
 * hold it exactly.
 */
export function formatTimestamp(secs: number, nanos: number): string {
  const days = Math.floor(secs / 86_400);
  const sod = secs - days * 86_400;
  const hh = Math.floor(sod / 3600);
  const mi = Math.floor((sod - hh * 3600) / 60);
  const ss = sod - hh * 3600 - mi * 60;
  const base = `${formatDate(days)} ${pad2(hh)}:${pad2(mi)}:${pad2(ss)}`;
  const f9 = String(nanos).padStart(9, '0');
  if (nanos % 1_000_000 === 0) return `${base}.${f9.slice(0, 3)}`;
  if (nanos % 1000 === 0) return `${base}.${f9.slice(0, 6)}`;
  return `${base}.${f9}`;
}

/**
 * A TIME (nanoseconds since midnight) -> "HH:MI:SS", Snowflake's default TIME_OUTPUT_FORMAT,
 * followed by the fraction when there is one, to 3, 6 or 9 digits: the fewest of those that
 * hold it exactly (so no digit of a stored value is lost).
 */
export function formatTime(nanosOfDay: number): string {
  const sod = Math.floor(nanosOfDay / 1e9);
  const nanos = nanosOfDay - sod * 1e9;
  const hh = Math.floor(sod / 3600);
  const mi = Math.floor((sod - hh * 3600) / 60);
  const base = `${pad2(hh)}:${pad2(mi)}:${pad2(sod - hh * 3600 - mi * 60)}`;
  if (nanos === 0) return base;
  const f9 = String(nanos).padStart(9, '0');
  if (nanos % 1_000_000 === 0) return `${base}.${f9.slice(0, 3)}`;
  if (nanos % 1000 === 0) return `${base}.${f9.slice(0, 6)}`;
  return `${base}.${f9}`;
}

/**
 * A TIME -> the SQL API / driver form: seconds since midnight with `scale` fraction digits
 * ("36672.123456789" at scale 9, "36672" at scale 0), exact.
 */
export function formatTimeSeconds(nanosOfDay: number, scale: number): string {
  const sod = Math.floor(nanosOfDay / 1e9);
  if (scale === 0) return String(sod);
  return `${sod}.${String(nanosOfDay - sod * 1e9).padStart(9, '0').slice(0, scale)}`;
}

/** The SQL API's TIME text ("36672.123456789": seconds since midnight) -> nanoseconds since midnight, exactly. */
export function parseTimeSeconds(text: string): number {
  const dot = text.indexOf('.');
  const whole = Number(dot < 0 ? text : text.slice(0, dot));
  return whole * 1e9 + Number((dot < 0 ? '' : text.slice(dot + 1, dot + 10)).padEnd(9, '0'));
}

/** A timestamp scalar (bigint nanoseconds since the epoch) as formatTimestamp's text. */
export function formatTimestampNanos(ns: bigint): string {
  let s = ns / 1_000_000_000n;
  let r = ns - s * 1_000_000_000n;
  if (r < 0n) {
    s -= 1n;
    r += 1_000_000_000n;
  }
  return formatTimestamp(Number(s), Number(r));
}

/**
 * A timestamp -> Snowflake SQL API form: epoch seconds with 9 fraction digits, exact
 * (1969-12-31 23:59:59.5 is "-0.500000000").
 */
export function formatEpochSeconds9(secs: number, nanos: number): string {
  if (secs >= 0 || nanos === 0) return `${secs}.${String(nanos).padStart(9, '0')}`;
  // secs + nanos / 1e9 < 0 with a fraction: -(|secs| - 1) - (1e9 - nanos) / 1e9
  const whole = -secs - 1;
  return `-${whole}.${String(1_000_000_000 - nanos).padStart(9, '0')}`;
}

/**
 * The SQL API's timestamp text ("1700000000.123456789", "-0.500000000": epoch seconds with up
 * to 9 fraction digits) -> [whole seconds (floored), nanoseconds], exactly.
 */
export function parseEpochSeconds(text: string): [number, number] {
  const neg = text.startsWith('-');
  const body = neg ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const whole = Number(dot < 0 ? body : body.slice(0, dot));
  const frac = Number((dot < 0 ? '' : body.slice(dot + 1, dot + 10)).padEnd(9, '0'));
  if (!neg) return [whole, frac];
  return frac === 0 ? [-whole, 0] : [-whole - 1, 1_000_000_000 - frac];
}

/** The SQL API's timestamp text -> formatTimestamp's text. */
export function formatEpochSecondsText(text: string): string {
  const [secs, nanos] = parseEpochSeconds(text);
  return formatTimestamp(secs, nanos);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
function pad4(n: number): string {
  return String(n).padStart(4, '0');
}
