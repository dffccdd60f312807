/**
 * Text forms of typed values shared by every tier: decimals from scaled integers, dates from
 * day numbers, timestamps from microseconds. Output encoders (JSON rowset, CLI, CAST to
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

/** Microseconds since epoch -> "YYYY-MM-DD HH:MM:SS.ffffff" (fraction trimmed to 3 or 6 digits when non-zero). */
export function formatTimestamp(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const d = new Date(ms);
  const frac = micros - ms * 1000 + (d.getUTCMilliseconds() * 1000);
  const base = `${formatDate(Math.floor(ms / MS_PER_DAY))} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  if (frac === 0) return `${base}.000`;
  const f6 = String(Math.round(frac)).padStart(6, '0');
  return `${base}.${f6.endsWith('000') ? f6.slice(0, 3) : f6}`;
}

/** Microseconds since epoch -> Snowflake SQL API form: seconds with 9 fractional digits. */
export function formatEpochSeconds9(micros: number): string {
  const m = BigInt(Math.round(micros));
  const neg = m < 0n;
  const abs = neg ? -m : m;
  const secs = abs / 1_000_000n;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0') + '000';
  return `${neg ? '-' : ''}${secs}.${frac}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
function pad4(n: number): string {
  return String(n).padStart(4, '0');
}
