/**
 * Text -> typed value parsers with Snowflake's accepted forms. CAST/TRY_CAST from VARCHAR use
 * them once per dictionary entry; COPY INTO's CSV loader uses them once per field.
 *
 * Contract: every parser returns null when the text is not recognized (never throws), so
 * callers choose between an error, NULL (TRY_CAST, ON_ERROR = CONTINUE) or a row report.
 * Leading and trailing blanks are ignored everywhere.
 *   numbers   '12', '-1.5', '+.5', '5.', '1e3', ' 7 '      (rounded half away from zero to the scale)
 *   floats    as numbers, plus 'NaN', 'inf', '-inf', 'Infinity'
 *   dates     'YYYY-MM-DD', 'DD-MON-YYYY', 'MM/DD/YYYY' (Snowflake's AUTO formats), a timestamp
 *             (its date is taken), or an integer of epoch seconds (ms/us/ns by magnitude)
 *   timestamps a date form, then 'T' or ' ' and 'HH:MI[:SS[.fffffffff]]', an optional zone
 *             (ignored for TIMESTAMP_NTZ); or an integer epoch (s/ms/us/ns by magnitude)
 *   times     'HH:MI', 'HH:MI:SS', 'HH:MI:SS.fffffffff' (24-hour, optional AM/PM on a 12-hour
 *             clock), or a timestamp form (its time of day is taken)
 *   booleans  true/false, t/f, yes/no, y/n, on/off, 1/0 (any case)
 * Timestamps keep all 9 fraction digits (nanoseconds); more than 9 is not recognized.
 */
import { tsToNanos } from '../../../storage/types/timestamp-nanos.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';
import { daysFromCivil, daysInMonth } from '../functions/civil-date.js';

const SECONDS_PER_DAY = 86_400;
import { pow10n } from '../functions/decimal.js';

/** Magnitudes beyond 10^SATURATE are returned as +-10^SATURATE: out of range for any NUMBER. */
const SATURATE = 80;

/**
 * A number's text as the scaled integer at `scale` (a number when it fits in 2^53, else a
 * bigint), or null when not a number.
 */
export function parseScaledNumber(text: string, scale: number): number | bigint | null {
  const t = text.trim();
  const n = t.length;
  let i = 0;
  let negative = false;
  const first = t.charCodeAt(0);
  if (first === 43 || first === 45) {
    negative = first === 45;
    i = 1;
  }
  const intStart = i;
  while (i < n && isDigit(t.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < n && t.charCodeAt(i) === 46) {
    i++;
    fracStart = i;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return null;
  let exponent = 0;
  if (i < n && (t.charCodeAt(i) | 32) === 101) {
    i++;
    let expNegative = false;
    const c = t.charCodeAt(i);
    if (c === 43 || c === 45) {
      expNegative = c === 45;
      i++;
    }
    const expStart = i;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    if (i === expStart) return null;
    exponent = Number(t.slice(expStart, i));
    if (expNegative) exponent = -exponent;
  }
  if (i !== n) return null;

  let digits = t.slice(intStart, intEnd) + t.slice(fracStart, fracEnd);
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) === 48) lead++;
  if (lead > 0) digits = digits.slice(lead);
  if (digits === '0') return 0;
  const shift = exponent - (fracEnd - fracStart) + scale;

  let magnitude: number | bigint;
  if (shift >= 0) {
    if (digits.length + shift > SATURATE) magnitude = pow10n(SATURATE);
    else if (digits.length + shift <= 15) magnitude = Number(digits) * 10 ** shift;
    else magnitude = BigInt(digits) * pow10n(shift);
  } else {
    const cut = digits.length + shift;
    const kept = cut > 0 ? digits.slice(0, cut) : '';
    const roundUp = cut >= 0 && cut < digits.length && digits.charCodeAt(cut) >= 53;
    if (kept.length <= 15) magnitude = (kept === '' ? 0 : Number(kept)) + (roundUp ? 1 : 0);
    else magnitude = BigInt(kept) + (roundUp ? 1n : 0n);
  }
  if (typeof magnitude === 'bigint' && magnitude <= BigInt(MAX_EXACT)) magnitude = Number(magnitude);
  if (typeof magnitude === 'number') return negative && magnitude !== 0 ? -magnitude : magnitude;
  return negative ? -magnitude : magnitude;
}

/** A number's text as the scaled integer at `scale` (value * 10^scale), or null. */
export function parseNumberText(text: string, scale: number): bigint | null {
  const v = parseScaledNumber(text, scale);
  return v === null ? null : typeof v === 'bigint' ? v : BigInt(v);
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FLOAT_SPECIALS: Record<string, number> = {
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
};

/** A FLOAT's text as a double, or null. */
export function parseFloatText(text: string): number | null {
  const t = text.trim();
  if (FLOAT_RE.test(t)) return Number(t);
  const special = FLOAT_SPECIALS[t.toLowerCase()];
  return special === undefined ? null : special;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const DMY_RE = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;
const MDY_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const INTEGER_RE = /^[+-]?\d+$/;

/** Days since the epoch of a valid civil date, or null. */
function civilDays(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return daysFromCivil(y, m, d);
}

/** A date-only text in one of the AUTO formats -> days, or null. */
function parseDateOnly(t: string): number | null {
  // Fast path for 'YYYY-MM-DD', the form nearly every file and literal uses.
  if (t.length === 10 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45) {
    const y = digits4(t, 0);
    const m = digits2(t, 5);
    const d = digits2(t, 8);
    if (y >= 0 && m >= 0 && d >= 0) return civilDays(y, m, d);
  }
  let match = ISO_DATE_RE.exec(t);
  if (match) return civilDays(Number(match[1]), Number(match[2]), Number(match[3]));
  match = DMY_RE.exec(t);
  if (match) {
    const month = MONTHS[match[2].toLowerCase()];
    return month ? civilDays(Number(match[3]), month, Number(match[1])) : null;
  }
  match = MDY_RE.exec(t);
  if (match) return civilDays(Number(match[3]), Number(match[1]), Number(match[2]));
  return null;
}

/**
 * Snowflake's reading of an integer as epoch time: seconds, ms, us or ns by magnitude, into
 * out = [secs, nanos]. Exact (through a bigint: this path is rare).
 */
function epochParts(t: string, out: Float64Array): void {
  const v = BigInt(t);
  const a = v < 0n ? -v : v;
  const ns = a < 31_536_000_000n ? v * 1_000_000_000n : a < 31_536_000_000_000n ? v * 1_000_000n : a < 31_536_000_000_000_000n ? v * 1000n : v;
  let secs = ns / NS;
  let rem = ns - secs * NS;
  if (rem < 0n) {
    secs -= 1n;
    rem += NS;
  }
  out[0] = Number(secs);
  out[1] = Number(rem);
}
const NS = 1_000_000_000n;

const dateScratch = new Float64Array(2);

/** A DATE's text -> days since 1970-01-01, or null. */
export function parseDateText(text: string): number | null {
  const t = text.trim();
  const d = parseDateOnly(t);
  if (d !== null) return d;
  if (!parseTimestampParts(t, dateScratch)) return null;
  return Math.floor(dateScratch[0] / SECONDS_PER_DAY);
}

const TIME_SUFFIX_RE = /^(.+?)(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d*))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * A timestamp's text -> out[0] = whole seconds since the epoch of its wall clock, out[1] =
 * nanoseconds of the second (all 9 fraction digits kept); false when not recognized. When `out`
 * has room: out[2] = the offset the text gives in minutes ('+01:00', '-0530', 'Z'), NaN when
 * it gives none, and out[3] = 1 when the text was an integer epoch (a UTC instant), else 0.
 */
export function parseTimestampParts(text: string, out: Float64Array): boolean {
  const t = text.trim();
  // Fast path for 'YYYY-MM-DD HH:MI:SS' with an optional fraction and no zone.
  if (t.length >= 19 && (t.charCodeAt(10) === 32 || t.charCodeAt(10) === 84) && t.charCodeAt(13) === 58 && t.charCodeAt(16) === 58) {
    const days = parseDateOnly(t.slice(0, 10));
    const hh = digits2(t, 11);
    const mi = digits2(t, 14);
    const ss = digits2(t, 17);
    if (days !== null && hh >= 0 && hh < 24 && mi >= 0 && mi < 60 && ss >= 0 && ss < 60) {
      let frac = 0;
      let ok = t.length === 19;
      if (!ok && t.charCodeAt(19) === 46) {
        frac = fractionNanos(t, 20, t.length);
        ok = frac >= 0;
      }
      if (ok) {
        out[0] = days * SECONDS_PER_DAY + hh * 3600 + mi * 60 + ss;
        out[1] = frac;
        if (out.length > 2) out[2] = NaN;
        if (out.length > 3) out[3] = 0;
        return true;
      }
    }
  }
  if (INTEGER_RE.test(t)) {
    epochParts(t, out);
    if (out.length > 2) out[2] = NaN;
    if (out.length > 3) out[3] = 1;
    return true;
  }
  const m = TIME_SUFFIX_RE.exec(t);
  if (!m) return false;
  const days = parseDateOnly(m[1]);
  if (days === null) return false;
  out[1] = 0;
  if (out.length > 3) out[3] = 0;
  if (out.length > 2) {
    const off = m[6] === undefined ? NaN : zoneOffsetText(m[6]);
    if (Number.isNaN(off) && m[6] !== undefined) return false;
    out[2] = off;
  }
  if (m[2] === undefined) {
    out[0] = days * SECONDS_PER_DAY;
    return true;
  }
  const hh = Number(m[2]);
  const mi = Number(m[3]);
  const ss = m[4] === undefined ? 0 : Number(m[4]);
  if (hh > 23 || mi > 59 || ss > 59) return false;
  const frac = m[5] ? fractionNanos(m[5], 0, m[5].length) : 0;
  if (frac < 0) return false;
  out[0] = days * SECONDS_PER_DAY + hh * 3600 + mi * 60 + ss;
  out[1] = frac;
  return true;
}

/** 'Z', '+01', '+0130', '-05:30' -> minutes east of UTC; NaN when out of range. */
function zoneOffsetText(z: string): number {
  if (z === 'Z' || z === 'z') return 0;
  const sign = z.charCodeAt(0) === 45 ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  const hh = Number(digits.slice(0, 2));
  const mm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hh > 23 || mm > 59) return NaN;
  return sign * (hh * 60 + mm);
}

const tsScratch = new Float64Array(2);

/** A TIMESTAMP_NTZ's text -> nanoseconds since the epoch (a scalar, see scalar.ts), or null. */
export function parseTimestampText(text: string): bigint | null {
  return parseTimestampParts(text, tsScratch) ? tsToNanos(tsScratch[0], tsScratch[1]) : null;
}

const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{0,9}))?)?(?:\s*([AP]M))?$/i;

/** A TIME's text -> nanoseconds since midnight (0 .. 86,399,999,999,999), or null. */
export function parseTimeText(text: string): number | null {
  const t = text.trim();
  const m = TIME_RE.exec(t);
  if (m === null) {
    if (!t.includes('-') && !t.includes('/') && !INTEGER_RE.test(t)) return null;
    if (!parseTimestampParts(t, tsScratch)) return null;
    const sod = tsScratch[0] - Math.floor(tsScratch[0] / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    return sod * 1e9 + tsScratch[1];
  }
  let hh = Number(m[1]);
  const mi = Number(m[2]);
  const ss = m[3] === undefined ? 0 : Number(m[3]);
  if (m[5] !== undefined) {
    if (hh < 1 || hh > 12) return null;
    hh = (hh % 12) + (m[5].toUpperCase() === 'PM' ? 12 : 0);
  }
  if (hh > 23 || mi > 59 || ss > 59) return null;
  const frac = m[4] ? fractionNanos(m[4], 0, m[4].length) : 0;
  return (hh * 3600 + mi * 60 + ss) * 1e9 + frac;
}

const BOOLEANS: Record<string, boolean> = {
  true: true, t: true, yes: true, y: true, on: true, '1': true,
  false: false, f: false, no: false, n: false, off: false, '0': false,
};

/** A BOOLEAN's text -> true/false, or null. */
export function parseBooleanText(text: string): boolean | null {
  const v = BOOLEANS[text.trim().toLowerCase()];
  return v === undefined ? null : v;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digits2(t: string, at: number): number {
  const a = t.charCodeAt(at) - 48;
  const b = t.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function digits4(t: string, at: number): number {
  const hi = digits2(t, at);
  const lo = digits2(t, at + 2);
  return hi >= 0 && lo >= 0 ? hi * 100 + lo : -1;
}

/** Up to 9 fraction digits t[from, to) -> nanoseconds; -1 if not digits or more than 9. */
function fractionNanos(t: string, from: number, to: number): number {
  if (to - from > 9) return -1;
  let nanos = 0;
  for (let i = 0; i < 9; i++) {
    const at = from + i;
    let digit = 0;
    if (at < to) {
      digit = t.charCodeAt(at) - 48;
      if (digit < 0 || digit > 9) return -1;
    }
    nanos = nanos * 10 + digit;
  }
  return nanos;
}
