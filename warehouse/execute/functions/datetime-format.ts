/**
 * Snowflake date and time format models, for TO_CHAR / TO_VARCHAR of a DATE or TIMESTAMP and
 * for TO_DATE / TO_TIMESTAMP of a string with a format.
 *
 * Contract: compileDateTimeFormat turns a format into elements once; formatDateTime and
 * parseDateTime then work per value with integer civil-date math (civil-date.ts), no Date
 * objects. Elements, case-insensitive: YYYY, YY, MM, MON (Jan), MMMM (January), DD,
 * DY (Mon), HH24 (and HH), HH12, AM / PM, MI, SS, FF[0-9] (fraction of a second, FF = FF9),
 * TZH and TZM (the offset's signed hours and its minutes: '+01' '00'; a value without an offset,
 * a TIMESTAMP_NTZ, shows TZH as Z and TZM as nothing, as Snowflake does; parsing reads and
 * ignores them).
 * Text in double quotes ("" is a quote) and every other non-letter character (and T) is a
 * literal. Any other letter raises NotSupportedError naming it. Output names are capitalized
 * as Snowflake prints them (Jan, Mon, AM) whatever the element's case.
 * Parsing: numbers take up to their width in digits (at least one), names match
 * case-insensitively, literals must match (letters case-insensitively), nothing may follow
 * except blanks; YY is 1970-2069 (Snowflake's default TWO_DIGIT_CENTURY_START); missing
 * parts default to 1970-01-01 00:00:00; impossible dates (Feb 30) do not parse. A string
 * that does not fit returns null; the caller raises DATE/TIMESTAMP_NOT_RECOGNIZED.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import { civilFromDays, dayOfWeek, daysFromCivil, daysInMonth } from './civil-date.js';
import { clipValue } from '../../../storage/errors/clip-value.js';

const SECONDS_PER_DAY = 86_400;

type Element =
  | { kind: 'year4' | 'year2' | 'month' | 'monthAbbr' | 'monthName' | 'day' | 'dayAbbr' }
  | { kind: 'hour24' | 'hour12' | 'meridian' | 'minute' | 'second' }
  | { kind: 'fraction'; digits: number }
  | { kind: 'tzHour' | 'tzMinute' }
  | { kind: 'literal'; text: string };

export type DateTimeFormat = { readonly text: string; readonly elements: readonly Element[] };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Fixed-spelling elements, longest first so MMMM wins over MON over MM. */
const WORDS: [string, Element][] = [
  ['TZH', { kind: 'tzHour' }],
  ['TZM', { kind: 'tzMinute' }],
  ['YYYY', { kind: 'year4' }],
  ['YY', { kind: 'year2' }],
  ['MMMM', { kind: 'monthName' }],
  ['MON', { kind: 'monthAbbr' }],
  ['MM', { kind: 'month' }],
  ['MI', { kind: 'minute' }],
  ['DD', { kind: 'day' }],
  ['DY', { kind: 'dayAbbr' }],
  ['HH24', { kind: 'hour24' }],
  ['HH12', { kind: 'hour12' }],
  ['HH', { kind: 'hour24' }],
  ['AM', { kind: 'meridian' }],
  ['PM', { kind: 'meridian' }],
  ['SS', { kind: 'second' }],
];

const cache = new Map<string, DateTimeFormat>();

export function compileDateTimeFormat(text: string): DateTimeFormat {
  const hit = cache.get(text);
  if (hit) return hit;
  const upper = text.toUpperCase();
  const elements: Element[] = [];
  const literal = (s: string): void => {
    const last = elements[elements.length - 1];
    if (last && last.kind === 'literal') last.text += s;
    else elements.push({ kind: 'literal', text: s });
  };
  let i = 0;
  while (i < text.length) {
    const c = upper[i];
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length) {
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            s += '"';
            j += 2;
            continue;
          }
          break;
        }
        s += text[j++];
      }
      literal(s);
      i = j + 1;
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      if (upper.startsWith('FF', i)) {
        const d = text[i + 2];
        const digits = d !== undefined && d >= '0' && d <= '9' ? Number(d) : 9;
        elements.push({ kind: 'fraction', digits });
        i += d !== undefined && d >= '0' && d <= '9' ? 3 : 2;
        continue;
      }
      const word = WORDS.find(([w]) => upper.startsWith(w, i));
      if (word) {
        elements.push(word[1]);
        i += word[0].length;
        continue;
      }
      if (c === 'T') {
        literal(text[i++]);
        continue;
      }
      const run = /^[A-Z]+/.exec(upper.slice(i))![0];
      throw new NotSupportedError(`The date/time format element '${clipValue(run)}' (in '${clipValue(text)}')`);
    }
    literal(text[i++]);
  }
  const format = { text, elements };
  if (cache.size > 256) cache.clear();
  cache.set(text, format);
  return format;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A timestamp (whole seconds since the epoch + nanoseconds of the second; a DATE is its day
 * times 86,400 s) as text. FFn shows the first n of the 9 fraction digits (truncated).
 * `offset`: the value's UTC offset in minutes for TZH / TZM (null: none, shown as Z).
 */
export function formatDateTime(format: DateTimeFormat, secs: number, nanos: number, civil: Int32Array = new Int32Array(3), offset: number | null = null): string {
  const days = Math.floor(secs / SECONDS_PER_DAY);
  const within = secs - days * SECONDS_PER_DAY;
  civilFromDays(days, civil);
  const hour = Math.floor(within / 3600);
  let out = '';
  for (const e of format.elements) {
    switch (e.kind) {
      case 'literal':
        out += e.text;
        break;
      case 'year4':
        out += pad(civil[0], 4);
        break;
      case 'year2':
        out += pad(((civil[0] % 100) + 100) % 100, 2);
        break;
      case 'month':
        out += pad(civil[1], 2);
        break;
      case 'monthAbbr':
        out += MONTHS[civil[1] - 1].slice(0, 3);
        break;
      case 'monthName':
        out += MONTHS[civil[1] - 1];
        break;
      case 'day':
        out += pad(civil[2], 2);
        break;
      case 'dayAbbr':
        out += DAYS[dayOfWeek(days)];
        break;
      case 'hour24':
        out += pad(hour, 2);
        break;
      case 'hour12':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, 2);
        break;
      case 'meridian':
        out += hour < 12 ? 'AM' : 'PM';
        break;
      case 'minute':
        out += pad(Math.floor(within / 60) % 60, 2);
        break;
      case 'second':
        out += pad(within % 60, 2);
        break;
      case 'fraction': {
        out += pad(nanos, 9).slice(0, e.digits);
        break;
      }
      case 'tzHour':
        out += offset === null ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60), 2)}`;
        break;
      case 'tzMinute':
        out += offset === null ? '' : pad(Math.abs(offset) % 60, 2);
        break;
    }
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Text read with a format -> out[0] = whole seconds since the epoch, out[1] = nanoseconds;
 * false when it does not fit.
 */
export function parseDateTime(format: DateTimeFormat, text: string, out: Float64Array): boolean {
  let at = 0;
  while (at < text.length && isBlank(text.charCodeAt(at))) at++;
  /** Up to `width` digits (at least one) at `at`, or -1. */
  const digits = (width: number): number => {
    let v = 0;
    let k = 0;
    while (k < width && at < text.length && isDigit(text.charCodeAt(at))) {
      v = v * 10 + (text.charCodeAt(at++) - 48);
      k++;
    }
    return k === 0 ? -1 : v;
  };
  /** Index of the name in `names` (compared on `length` letters, case-insensitively) at `at`, or -1. */
  const name = (names: readonly string[], length: number | null): number => {
    for (let k = 0; k < names.length; k++) {
      const w = length === null ? names[k] : names[k].slice(0, length);
      if (text.slice(at, at + w.length).toLowerCase() === w.toLowerCase()) {
        at += w.length;
        return k;
      }
    }
    return -1;
  };
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fraction = 0;
  let pm: boolean | null = null;
  let twelve = false;
  for (const e of format.elements) {
    let v = 0;
    switch (e.kind) {
      case 'literal':
        for (let k = 0; k < e.text.length; k++) {
          const want = e.text[k];
          if (at >= text.length || text[at].toLowerCase() !== want.toLowerCase()) return false;
          at++;
        }
        continue;
      case 'year4':
        v = year = digits(4);
        break;
      case 'year2':
        v = digits(2);
        year = v < 70 ? 2000 + v : 1900 + v;
        break;
      case 'month':
        v = month = digits(2);
        break;
      case 'monthAbbr':
        v = month = name(MONTHS, 3) + 1;
        if (v === 0) return false;
        break;
      case 'monthName':
        v = month = name(MONTHS, null) + 1;
        if (v === 0) return false;
        break;
      case 'day':
        v = day = digits(2);
        break;
      case 'dayAbbr':
        v = name(DAYS, 3);
        break;
      case 'hour24':
        v = hour = digits(2);
        break;
      case 'hour12':
        v = hour = digits(2);
        twelve = true;
        break;
      case 'meridian': {
        const k = name(['AM', 'PM'], null);
        if (k < 0) return false;
        pm = k === 1;
        break;
      }
      case 'minute':
        v = minute = digits(2);
        break;
      case 'second':
        v = second = digits(2);
        break;
      case 'tzHour': {
        if (text[at] === 'Z' || text[at] === 'z') {
          at++;
          continue;
        }
        if (text[at] === '+' || text[at] === '-') at++;
        v = digits(2);
        break;
      }
      case 'tzMinute':
        if (at >= text.length || !isDigit(text.charCodeAt(at))) continue;
        v = digits(2);
        break;
      case 'fraction': {
        const start = at;
        v = digits(e.digits === 0 ? 9 : e.digits);
        // The digits read (at most 9) are a fraction of a second: scale them to nanoseconds.
        fraction = v * 10 ** (9 - (at - start));
        break;
      }
    }
    if (v < 0) return false;
  }
  while (at < text.length && isBlank(text.charCodeAt(at))) at++;
  if (at !== text.length) return false;
  if (twelve || pm !== null) {
    if (twelve && (hour < 1 || hour > 12)) return false;
    if (pm !== null && hour <= 12) hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
  out[0] = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  out[1] = fraction;
  return true;
}
