/**
 * Turns one column's fields of a tokenized CSV chunk into typed values, straight from the
 * bytes: NUMBER to exact scaled integers, DATE from YYYY-MM-DD, BOOLEAN, FLOAT,
 * TIMESTAMP_NTZ and TIME in their plain forms, VARCHAR through a byte-keyed dictionary, BINARY
 * from text in the load's BINARY_FORMAT (HEX by default; binary-text.ts).
 *
 * Contract: a decoder is made once per table column (the kernel for its type is chosen
 * then, never per row) and decode(base) writes the tokenizer's current records to output
 * rows base.. of its VectorBuilder. Any field the fast path does not fully understand
 * (exponents, other date forms, ' 12', out-of-range values, ...) goes to the text parsers of
 * CAST (warehouse/execute/cast/), so COPY accepts exactly what CAST accepts and rejects
 * with CAST's messages. A bad value, a NULL into a NOT NULL column, a string longer than
 * VARCHAR(n) or invalid UTF-8 rejects the record through RowRejects; the decoder goes on.
 */
import type { Column } from '../../storage/types/schema.js';
import type { DataType } from '../../storage/types/data-type.js';
import { MAX_BINARY_LENGTH, MAX_VARCHAR_LENGTH, timestampPrecision } from '../../storage/types/data-type.js';
import { BinaryFormat, decodeBinary, notLegalBinary } from '../../storage/types/binary-text.js';
import { MAX_EXACT } from '../../storage/types/vector.js';
import { isUtf8 } from 'node:buffer';
import { DataError, FirnError, InternalError, LoadError } from '../../storage/errors/firn-error.js';
import { datetimeOutOfRange, dayInRange, secsInRange } from '../execute/functions/datetime-range.js';
import { parseBooleanText, parseDateText, parseFloatText, parseNumberText, parseTimestampParts, parseTimeText } from '../execute/cast/parse-text.js';
import { numberOutOfRange } from '../execute/functions/decimal.js';
import { daysFromCivil, daysInMonth } from '../execute/functions/civil-date.js';
import type { CsvTokenizer } from './csv-tokenizer.js';
import { FieldFlag } from './csv-tokenizer.js';
import type { RowRejects } from './row-rejects.js';
import type { VectorBuilder } from './vector-builder.js';
import { clipValue } from '../../storage/errors/clip-value.js';

const NULL = FieldFlag.NULL;
const QUOTED = FieldFlag.QUOTED;
const ESCAPED = FieldFlag.ESCAPED;
/** Flags that send a field off the fast path of a non-string kernel. */
const SLOW = NULL | ESCAPED;

const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const DASH = 45;
const COLON = 58;
const SPACE = 32;
const T_UPPER = 84;

/** Decimal digits a double holds exactly in every case. */
const EXACT_DIGITS = 15;
const SECONDS_PER_DAY = 86_400;
const POW10: number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

export class CsvColumnDecoder {
  private readonly tok: CsvTokenizer;
  private readonly bytes: Uint8Array;
  private readonly buf: Buffer;
  private readonly field: number;
  private readonly column: Column;
  private readonly out: VectorBuilder;
  private readonly rejects: RowRejects;
  private readonly quote: string;
  /** 10^precision for a NUMBER column: the smallest magnitude out of range. */
  private readonly limit: bigint;
  private readonly kernel: (base: number) => void;
  /** Scratch [secs, nanos] for parseTimestampParts. */
  private readonly parts = new Float64Array(2);

  constructor(
    tok: CsvTokenizer,
    bytes: Uint8Array,
    field: number,
    column: Column,
    out: VectorBuilder,
    rejects: RowRejects,
    quote: string,
    binaryFormat: BinaryFormat = BinaryFormat.HEX,
  ) {
    this.tok = tok;
    this.bytes = bytes;
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.field = field;
    this.column = column;
    this.out = out;
    this.rejects = rejects;
    this.quote = quote;
    const type = column.type;
    this.limit = type.kind === 'NUMBER' ? 10n ** BigInt(type.precision) : 0n;
    switch (type.kind) {
      case 'NUMBER':
        this.kernel = (base) => this.decodeNumber(base, type.precision, type.scale);
        break;
      case 'FLOAT':
        this.kernel = (base) => this.decodeFloat(base);
        break;
      case 'DATE':
        this.kernel = (base) => this.decodeDate(base);
        break;
      case 'TIMESTAMP_NTZ':
        this.kernel = (base) => this.decodeTimestamp(base, timestampPrecision(type));
        break;
      case 'TIME':
        this.kernel = (base) => this.decodeTime(base, timestampPrecision(type));
        break;
      case 'BOOLEAN':
        this.kernel = (base) => this.decodeBoolean(base);
        break;
      case 'VARCHAR':
        this.kernel = (base) => this.decodeVarchar(base, type.length ?? MAX_VARCHAR_LENGTH);
        break;
      case 'BINARY':
        this.kernel = (base) => this.decodeBinary(base, binaryFormat, type.length ?? MAX_BINARY_LENGTH);
        break;
      default:
        throw new LoadError('NOT_SUPPORTED', `Loading column "${column.name}" of type ${type.kind} is not supported`);
    }
  }

  decode(base: number): void {
    this.kernel(base);
  }

  /**
   * NUMBER(p,s): [+-]digits[.digits] with at most 15 significant places once scaled, parsed
   * into the scaled integer with rounding half away from zero on the first dropped digit.
   */
  private decodeNumber(base: number, precision: number, scale: number): void {
    if (this.out.kind === 'dec') {
      this.decodeNumberSlow(base, 0);
      return;
    }
    const { tok, bytes } = this;
    const rows = tok.rows;
    const off = this.field * tok.capacity;
    const start = tok.start;
    const end = tok.end;
    const flags = tok.flags;
    const values = this.out.f64;
    const pow = scale <= EXACT_DIGITS ? POW10[scale] : 0;
    const maxIntDigits = EXACT_DIGITS - scale;
    const limit = precision <= EXACT_DIGITS ? POW10[precision] : Infinity;
    // Hand-inlined; the simple version is, per record:
    //   values[o] = Number(parseNumberText(text(field), scale))  (then the range check)
    for (let r = 0; r < rows; r++) {
      const slot = off + r;
      const o = base + r;
      const f = flags[slot];
      if ((f & SLOW) !== 0 || maxIntDigits <= 0) {
        this.numberSlow(o, r, slot);
        if (this.widened()) return this.decodeNumberSlow(base, r + 1);
        continue;
      }
      let i = start[slot];
      const e = end[slot];
      let neg = false;
      if (i < e) {
        const c = bytes[i];
        if (c === MINUS) {
          neg = true;
          i++;
        } else if (c === PLUS) i++;
      }
      const intStart = i;
      let v = 0;
      while (i < e) {
        const d = bytes[i] - ZERO;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
        i++;
      }
      const intDigits = i - intStart;
      let ok = intDigits > 0 && intDigits <= maxIntDigits;
      if (ok) {
        v *= pow;
        if (i < e) {
          if (bytes[i] === DOT && ++i < e) {
            let frac = 0;
            let k = 0;
            let up = 0;
            while (i < e) {
              const d = bytes[i] - ZERO;
              if (d < 0 || d > 9) break;
              if (k < scale) frac = frac * 10 + d;
              else if (k === scale && d >= 5) up = 1;
              k++;
              i++;
            }
            if (i !== e) ok = false;
            else v += (k < scale ? frac * POW10[scale - k] : frac) + up;
          } else ok = false;
        }
      }
      if (!ok || v >= limit) {
        this.numberSlow(o, r, slot);
        if (this.widened()) return this.decodeNumberSlow(base, r + 1);
        continue;
      }
      // 0 - v, not -v: "-0" must load as 0, never as -0.
      values[o] = neg ? 0 - v : v;
    }
  }

  /** Whether the NUMBER column switched to 'dec' (a CAST result did not fit in 2^53). */
  private widened(): boolean {
    return this.out.kind === 'dec';
  }

  /** NUMBER rows from `from` on through CAST's parser (used once the column went 'dec'). */
  private decodeNumberSlow(base: number, from: number): void {
    const rows = this.tok.rows;
    const off = this.field * this.tok.capacity;
    for (let r = from; r < rows; r++) this.numberSlow(base + r, r, off + r);
  }

  private numberSlow(o: number, r: number, slot: number): void {
    const out = this.out;
    if ((this.tok.flags[slot] & NULL) !== 0) {
      if (out.kind === 'dec') out.dec[o] = 0n;
      else out.f64[o] = 0;
      this.putNull(o, r, slot);
      return;
    }
    const type = this.column.type;
    if (type.kind !== 'NUMBER') return;
    const v = this.parse(r, slot, (text) => parseNumberText(text, type.scale));
    if (v === undefined) return;
    if ((v < 0n ? -v : v) >= this.limit) {
      this.reject(r, slot, numberOutOfRange(v, type.scale, type.precision));
      return;
    }
    const big = v > BigInt(MAX_EXACT) || v < -BigInt(MAX_EXACT);
    if (out.kind === 'f64' && !big) {
      out.f64[o] = Number(v);
      return;
    }
    if (out.kind === 'f64') out.toDec(o);
    out.dec[o] = v;
  }

  /** FLOAT: [+-]digits[.digits] with at most 15 digits, i.e. an exact integer over an exact power of ten. */
  private decodeFloat(base: number): void {
    const { tok, bytes } = this;
    const rows = tok.rows;
    const off = this.field * tok.capacity;
    const start = tok.start;
    const end = tok.end;
    const flags = tok.flags;
    const values = this.out.f64;
    // Hand-inlined; the simple version is values[o] = parseFloatText(text(field)) per record.
    // m / 10^k is correctly rounded (both exact doubles), so it equals Number(text).
    for (let r = 0; r < rows; r++) {
      const slot = off + r;
      const o = base + r;
      if ((flags[slot] & SLOW) !== 0) {
        this.floatSlow(o, r, slot);
        continue;
      }
      let i = start[slot];
      const e = end[slot];
      let neg = false;
      if (i < e) {
        const c = bytes[i];
        if (c === MINUS) {
          neg = true;
          i++;
        } else if (c === PLUS) i++;
      }
      const digitsStart = i;
      let m = 0;
      while (i < e) {
        const d = bytes[i] - ZERO;
        if (d < 0 || d > 9) break;
        m = m * 10 + d;
        i++;
      }
      let digits = i - digitsStart;
      let fracDigits = 0;
      if (digits > 0 && i < e && bytes[i] === DOT) {
        i++;
        const fracStart = i;
        while (i < e) {
          const d = bytes[i] - ZERO;
          if (d < 0 || d > 9) break;
          m = m * 10 + d;
          i++;
        }
        fracDigits = i - fracStart;
        digits += fracDigits;
        if (fracDigits === 0) digits = 0;
      }
      if (i !== e || digits === 0 || digits > EXACT_DIGITS) {
        this.floatSlow(o, r, slot);
        continue;
      }
      const v = fracDigits === 0 ? m : m / POW10[fracDigits];
      values[o] = neg ? -v : v;
    }
  }

  private floatSlow(o: number, r: number, slot: number): void {
    if ((this.tok.flags[slot] & NULL) !== 0) {
      this.out.f64[o] = 0;
      this.putNull(o, r, slot);
      return;
    }
    const v = this.parse(r, slot, parseFloatText);
    if (v !== undefined) this.out.f64[o] = v;
  }

  /** DATE: exactly YYYY-MM-DD with a valid month and day, years 0001-9999. */
  private decodeDate(base: number): void {
    const { tok, bytes } = this;
    const rows = tok.rows;
    const off = this.field * tok.capacity;
    const start = tok.start;
    const end = tok.end;
    const flags = tok.flags;
    const values = this.out.i32;
    // The simple version is values[o] = parseDateText(text(field)) per record.
    for (let r = 0; r < rows; r++) {
      const slot = off + r;
      const o = base + r;
      const s = start[slot];
      const days = (flags[slot] & SLOW) === 0 && end[slot] - s === 10 ? ymdAt(bytes, s) : NaN;
      if (days === days) {
        values[o] = days;
        continue;
      }
      if ((flags[slot] & NULL) !== 0) {
        values[o] = 0;
        this.putNull(o, r, slot);
        continue;
      }
      const v = this.parse(r, slot, parseDateText);
      if (v !== undefined) values[o] = v;
    }
  }

  /**
   * TIMESTAMP_NTZ(p): YYYY-MM-DD[ T]HH:MM:SS[.f{1,9}] into seconds + nanoseconds; anything else
   * (zones, epoch numbers, ...) via CAST's parser. The fraction is cut to p digits.
   */
  private decodeTimestamp(base: number, precision: number): void {
    const { tok, bytes } = this;
    const rows = tok.rows;
    const off = this.field * tok.capacity;
    const start = tok.start;
    const end = tok.end;
    const flags = tok.flags;
    const secs = this.out.f64;
    const nanos = this.out.nanos;
    const parts = this.parts;
    const unit = 10 ** (9 - precision);
    // The simple version is [secs[o], nanos[o]] = parseTimestampParts(text(field)) per record.
    for (let r = 0; r < rows; r++) {
      const slot = off + r;
      const o = base + r;
      const s = (flags[slot] & SLOW) === 0 ? timestampAt(bytes, start[slot], end[slot], nanos, o) : NaN;
      if (s === s) {
        secs[o] = s;
        if (unit > 1) nanos[o] -= nanos[o] % unit;
        continue;
      }
      if ((flags[slot] & NULL) !== 0) {
        secs[o] = 0;
        nanos[o] = 0;
        this.putNull(o, r, slot);
        continue;
      }
      const ok = this.parse(r, slot, (text) => (parseTimestampParts(text, parts) ? parts[0] : null));
      if (ok === undefined) continue;
      secs[o] = parts[0];
      nanos[o] = parts[1] - (parts[1] % unit);
    }
  }

  /**
   * TIME(p): HH:MM:SS[.f{1,9}] into nanoseconds since midnight; anything else (HH:MI, AM/PM,
   * a timestamp) via CAST's parser. The fraction is cut to p digits.
   */
  private decodeTime(base: number, precision: number): void {
    const { tok, bytes } = this;
    const rows = tok.rows;
    const off = this.field * tok.capacity;
    const start = tok.start;
    const end = tok.end;
    const flags = tok.flags;
    const values = this.out.f64;
    const unit = 10 ** (9 - precision);
    // The simple version is values[o] = parseTimeText(text(field)) per record.
    for (let r = 0; r < rows; r++) {
      const slot = off + r;
      const o = base + r;
      let ns = (flags[slot] & SLOW) === 0 ? timeAt(bytes, start[slot], end[slot]) : NaN;
      if (ns !== ns) {
        if ((flags[slot] & NULL) !== 0) {
          values[o] = 0;
          this.putNull(o, r, slot);
          continue;
        }
        const v = this.parse(r, slot, parseTimeText);
        if (v === undefined) continue;
        ns = v;
      }
      values[o] = ns - (ns % unit);
    }
  }

  /** BOOLEAN: 'true'/'false' in any case, '1'/'0'; the other spellings via CAST. */
  private decodeBoolean(base: number): void {
    const { tok, bytes } = this;
    const rows = tok.rows;
    const off = this.field * tok.capacity;
    const start = tok.start;
    const end = tok.end;
    const flags = tok.flags;
    const values = this.out.u8;
    // The simple version is values[o] = parseBooleanText(text(field)) ? 1 : 0 per record.
    for (let r = 0; r < rows; r++) {
      const slot = off + r;
      const o = base + r;
      const s = start[slot];
      const v = (flags[slot] & SLOW) === 0 ? booleanAt(bytes, s, end[slot]) : -1;
      if (v >= 0) {
        values[o] = v;
        continue;
      }
      if ((flags[slot] & NULL) !== 0) {
        values[o] = 0;
        this.putNull(o, r, slot);
        continue;
      }
      const b = this.parse(r, slot, parseBooleanText);
      if (b !== undefined) values[o] = b ? 1 : 0;
    }
  }

  /** VARCHAR(n): dictionary codes; a field longer than n characters rejects its record. */
  private decodeVarchar(base: number, maxLength: number): void {
    const { tok, bytes } = this;
    const rows = tok.rows;
    const off = this.field * tok.capacity;
    const start = tok.start;
    const end = tok.end;
    const flags = tok.flags;
    const codes = this.out.codes;
    const dict = this.out.strings;
    if (!dict) throw new InternalError(`column "${this.column.name}" has no dictionary`);
    // The simple version is codes[o] = dict.append(text(field)) per record; interning from
    // the bytes decodes each distinct value once instead.
    for (let r = 0; r < rows; r++) {
      const slot = off + r;
      const o = base + r;
      const f = flags[slot];
      const s = start[slot];
      const e = end[slot];
      if ((f & SLOW) !== 0) {
        codes[o] = 0;
        if ((f & NULL) !== 0) {
          this.putNull(o, r, slot);
          continue;
        }
        const text = this.text(s, e, f);
        if (text === null) {
          this.rejectUtf8(r, slot);
          continue;
        }
        if (e - s > maxLength && codePoints(text) > maxLength) {
          this.rejectTooLong(r, slot, text);
          continue;
        }
        codes[o] = dict.append(text);
        continue;
      }
      if (e - s > maxLength && utf8Length(bytes, s, e) > maxLength) {
        codes[o] = 0;
        const text = this.text(s, e, f);
        if (text === null) this.rejectUtf8(r, slot);
        else this.rejectTooLong(r, slot, text);
        continue;
      }
      const code = dict.intern(s, e);
      if (code < 0) {
        codes[o] = 0;
        this.rejectUtf8(r, slot);
        continue;
      }
      codes[o] = code;
    }
  }

  /** BINARY: each field's text decoded in `format` (the simple, per-record path: binary columns are rare). */
  private decodeBinary(base: number, format: BinaryFormat, maxLength: number): void {
    const { tok } = this;
    const rows = tok.rows;
    const off = this.field * tok.capacity;
    const codes = this.out.codes;
    const dict = this.out.strings;
    if (!dict) throw new InternalError(`column "${this.column.name}" has no dictionary`);
    for (let r = 0; r < rows; r++) {
      const slot = off + r;
      const o = base + r;
      const f = tok.flags[slot];
      codes[o] = 0;
      if ((f & NULL) !== 0) {
        this.putNull(o, r, slot);
        continue;
      }
      const text = this.text(tok.start[slot], tok.end[slot], f);
      if (text === null) {
        this.rejectUtf8(r, slot);
        continue;
      }
      const value = decodeBinary(text, format);
      if (value === null) {
        this.reject(r, slot, notLegalBinary(text, format));
        continue;
      }
      if (value.length > maxLength) {
        this.reject(r, slot, new DataError('STRING_TOO_LONG', `Binary value '${clipValue(text)}' is too long and would be truncated`));
        continue;
      }
      codes[o] = dict.append(value);
    }
  }

  private putNull(o: number, r: number, slot: number): void {
    this.out.setNull(o);
    if (!this.column.nullable) {
      this.reject(r, slot, new DataError('NULL_NOT_ALLOWED', 'NULL result in a non-nullable column'));
    }
  }

  /**
   * Runs a CAST text parser on the field. Text it does not recognize rejects the record with
   * CAST's error for this column's type; returns undefined then.
   */
  private parse<T>(r: number, slot: number, parser: (text: string) => T | null): T | undefined {
    const text = this.text(this.tok.start[slot], this.tok.end[slot], this.tok.flags[slot]);
    if (text === null) {
      this.rejectUtf8(r, slot);
      return undefined;
    }
    const v = parser(text);
    if (v === null) {
      this.reject(r, slot, notRecognized(this.column.type, text));
      return undefined;
    }
    const kind = this.column.type.kind;
    if ((kind === 'DATE' && !dayInRange(v as number)) || (kind === 'TIMESTAMP_NTZ' && !secsInRange(v as number))) {
      this.reject(r, slot, datetimeOutOfRange(`'${clipValue(text)}'`, kind === 'DATE' ? 'date' : 'timestamp'));
      return undefined;
    }
    return v;
  }

  /** The field's value as a string (doubled quotes undone), or null when it is not valid UTF-8. */
  private text(s: number, e: number, flag: number): string | null {
    const bytes = this.bytes;
    let hi = 0;
    for (let i = s; i < e; i++) hi |= bytes[i];
    if (hi >= 0x80 && !isUtf8(bytes.subarray(s, e))) return null;
    const text = this.buf.toString(hi < 0x80 ? 'latin1' : 'utf8', s, e);
    return (flag & ESCAPED) !== 0 ? text.replaceAll(this.quote + this.quote, this.quote) : text;
  }

  private rejectTooLong(r: number, slot: number, text: string): void {
    this.reject(r, slot, new DataError('STRING_TOO_LONG', `String '${clipValue(text)}' is too long and would be truncated`));
  }

  private rejectUtf8(r: number, slot: number): void {
    const s = this.tok.start[slot];
    const e = this.tok.end[slot];
    let bad = s;
    while (bad < e && this.bytes[bad] < 0x80) bad++;
    const hex = Array.from(this.bytes.subarray(bad, Math.min(e, bad + 4)), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
    this.reject(r, slot, new LoadError('FILE_CORRUPT', `Invalid UTF8 detected in string '0x${hex}'`));
  }

  private reject(r: number, slot: number, error: FirnError): void {
    const quoted = (this.tok.flags[slot] & QUOTED) !== 0;
    this.rejects.reject(r, this.field, this.tok.start[slot] - (quoted ? 1 : 0), error);
  }
}

/** CAST's error for text that is not a value of `type`. */
function notRecognized(type: DataType, text: string): DataError {
  switch (type.kind) {
    case 'DATE':
      return new DataError('DATE_NOT_RECOGNIZED', `Date '${clipValue(text)}' is not recognized`);
    case 'TIMESTAMP_NTZ':
      return new DataError('TIMESTAMP_NOT_RECOGNIZED', `Timestamp '${clipValue(text)}' is not recognized`);
    case 'TIME':
      return new DataError('TIME_NOT_RECOGNIZED', `Time '${clipValue(text)}' is not recognized`);
    case 'BOOLEAN':
      return new DataError('BOOLEAN_NOT_RECOGNIZED', `Boolean value '${clipValue(text)}' is not recognized`);
    default:
      return new DataError('NUMERIC_NOT_RECOGNIZED', `Numeric value '${clipValue(text)}' is not recognized`);
  }
}

/** Days since 1970-01-01 of the YYYY-MM-DD at bytes[s..s+10), or NaN when it is not one. */
function ymdAt(bytes: Uint8Array, s: number): number {
  if (bytes[s + 4] !== DASH || bytes[s + 7] !== DASH) return NaN;
  const y = digits(bytes, s, 4);
  const m = digits(bytes, s + 5, 2);
  const d = digits(bytes, s + 8, 2);
  // NaN (a non-digit) fails every comparison, so this also rejects those.
  if (!(y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return NaN;
  return daysFromCivil(y, m, d);
}

/** Microseconds since epoch of YYYY-MM-DD[ T]HH:MM:SS[.f{1,6}] at bytes[s..e), or NaN. */
function timestampAt(bytes: Uint8Array, s: number, e: number, nanos: Int32Array, o: number): number {
  const len = e - s;
  if (len < 19 || len === 20 || len > 29) return NaN;
  const days = ymdAt(bytes, s);
  const sep = bytes[s + 10];
  if (days !== days || (sep !== SPACE && sep !== T_UPPER)) return NaN;
  // The time of day after the separator, in nanoseconds (< 2^47: exact in a double).
  const tod = timeAt(bytes, s + 11, s + len);
  if (tod !== tod) return NaN;
  const secs = Math.floor(tod / 1e9);
  nanos[o] = tod - secs * 1e9;
  return days * SECONDS_PER_DAY + secs;
}

/** Nanoseconds since midnight of the HH:MM:SS[.f{1,9}] at bytes[s..e), or NaN when it is not one. */
function timeAt(bytes: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len < 8 || len === 9 || len > 18 || bytes[s + 2] !== COLON || bytes[s + 5] !== COLON) return NaN;
  const hh = digits(bytes, s, 2);
  const mi = digits(bytes, s + 3, 2);
  const ss = digits(bytes, s + 6, 2);
  if (hh > 23 || mi > 59 || ss > 59) return NaN;
  let frac = 0;
  if (len > 8) {
    if (bytes[s + 8] !== DOT) return NaN;
    const f = digits(bytes, s + 9, len - 9);
    if (f !== f) return NaN;
    frac = f * POW10[18 - len];
  }
  return ((hh * 60 + mi) * 60 + ss) * 1e9 + frac;
}

const TRUE_WORD = Uint8Array.from('true', (ch) => ch.charCodeAt(0));
const FALSE_WORD = Uint8Array.from('false', (ch) => ch.charCodeAt(0));

/** 1 / 0 for true / false spelled 'true', 'false' (any case), '1', '0'; -1 otherwise. */
function booleanAt(bytes: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len === 1) {
    const c = bytes[s];
    return c === ZERO + 1 ? 1 : c === ZERO ? 0 : -1;
  }
  if (wordAt(bytes, s, len, TRUE_WORD)) return 1;
  if (wordAt(bytes, s, len, FALSE_WORD)) return 0;
  return -1;
}

/** Whether the `len` bytes at s spell `word` (lower-case ASCII) in any case. */
function wordAt(bytes: Uint8Array, s: number, len: number, word: Uint8Array): boolean {
  if (len !== word.length) return false;
  // | 0x20 lower-cases ASCII letters.
  for (let k = 0; k < len; k++) if ((bytes[s + k] | 0x20) !== word[k]) return false;
  return true;
}

/** The unsigned decimal of `count` ASCII digits at bytes[s..], or NaN if one is not a digit. */
function digits(bytes: Uint8Array, s: number, count: number): number {
  let v = 0;
  for (let i = s; i < s + count; i++) {
    const d = bytes[i] - ZERO;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** Characters (code points) of the UTF-8 bytes [s, e): every byte that is not a continuation byte. */
function utf8Length(bytes: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((bytes[i] & 0xc0) !== 0x80) n++;
  return n;
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
