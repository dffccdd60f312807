/**
 * The CSV state machine: one pass over the file's bytes that finds where every field of every
 * record starts and ends, a chunk of records at a time, without creating any string.
 *
 * Contract: next() tokenizes up to `capacity` records from the current position and returns
 * how many it found (0 at end of file). For record r and table column c the field's content
 * is bytes [start[c * capacity + r], end[...]) with the enclosing quotes already excluded;
 * flags[...] says whether it was enclosed (QUOTED), holds doubled quotes to undo (ESCAPED),
 * and whether it is SQL NULL (NULL: an empty unenclosed field under EMPTY_FIELD_AS_NULL, or
 * a NULL_IF string). A record with fewer fields than columns gets empty NULL fields for the
 * missing ones; fieldCount[r] is the true count, extraStart[r] where field number `columns`
 * (the first one too many) began, rowEnd[r] where its line break is. Records end at LF,
 * CRLF or a lone CR; the last one may lack a line break. Line numbers are 1-based and count
 * every line of the file, line breaks inside enclosed fields included; skipLines() skips
 * header lines. A malformed record (an enclosed field never closed, or text after a closing
 * quote) is still delimited, and fault[r] / faultPos[r] / faultField[r] say what and where,
 * so the reader can reject it.
 */
import { LoadError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';

export const FieldFlag = { QUOTED: 1, ESCAPED: 2, NULL: 4 } as const;

export const RowFault = { NONE: 0, UNTERMINATED_QUOTE: 1, TEXT_AFTER_QUOTE: 2 } as const;
export type RowFault = (typeof RowFault)[keyof typeof RowFault];

/** The byte-level form of the CSV options. */
export type CsvDialect = {
  /** UTF-8 bytes of FIELD_DELIMITER (one or more). */
  delimiter: Uint8Array;
  /** The FIELD_OPTIONALLY_ENCLOSED_BY byte, or -1 when fields are never enclosed. */
  quote: number;
  /** UTF-8 bytes of each NULL_IF string. */
  nullIf: Uint8Array[];
  emptyFieldAsNull: boolean;
};

const LF = 10;
const CR = 13;
const MAX_OFFSET = 2 ** 32 - 1;

export class CsvTokenizer {
  readonly capacity: number;
  readonly columns: number;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly flags: Uint8Array;
  /** Byte offset where each record begins. */
  readonly rowStart: Uint32Array;
  /** Line number where each record begins. */
  readonly rowLine: Float64Array;
  /** Byte offset where each record's line break (or the end of file) begins. */
  readonly rowEnd: Uint32Array;
  readonly fieldCount: Int32Array;
  readonly extraStart: Uint32Array;
  readonly fault: Uint8Array;
  readonly faultPos: Uint32Array;
  readonly faultField: Int32Array;
  /** Records found by the last next(). */
  rows = 0;
  /** Byte offset of the next record. */
  pos = 0;
  /** Line number at pos. */
  line = 1;

  private readonly bytes: Uint8Array;
  private readonly delimiter: Uint8Array;
  private readonly quote: number;
  private readonly emptyFieldAsNull: boolean;
  private readonly nullIf: Uint8Array[];
  /** nullIfLength[len] = 1 when some NULL_IF string has `len` bytes. */
  private readonly nullIfLength: Uint8Array;

  constructor(bytes: Uint8Array, columns: number, dialect: CsvDialect, capacity: number, fileName: string) {
    if (bytes.length > MAX_OFFSET) {
      throw new LoadError('RESOURCE_EXHAUSTED', `File '${clipValue(fileName)}' is larger than 4 GiB; split it into smaller files`);
    }
    this.bytes = bytes;
    this.columns = columns;
    this.capacity = capacity;
    this.delimiter = dialect.delimiter;
    this.quote = dialect.quote;
    this.emptyFieldAsNull = dialect.emptyFieldAsNull;
    this.nullIf = dialect.nullIf;
    this.nullIfLength = new Uint8Array(Math.max(0, ...dialect.nullIf.map((b) => b.length)) + 1);
    for (const b of dialect.nullIf) this.nullIfLength[b.length] = 1;
    const slots = columns * capacity;
    this.start = new Uint32Array(slots);
    this.end = new Uint32Array(slots);
    this.flags = new Uint8Array(slots);
    this.rowStart = new Uint32Array(capacity);
    this.rowLine = new Float64Array(capacity);
    this.rowEnd = new Uint32Array(capacity);
    this.fieldCount = new Int32Array(capacity);
    this.extraStart = new Uint32Array(capacity);
    this.fault = new Uint8Array(capacity);
    this.faultPos = new Uint32Array(capacity);
    this.faultField = new Int32Array(capacity);
  }

  /** Skips `count` lines (SKIP_HEADER); they are counted but never parsed. */
  skipLines(count: number): void {
    const bytes = this.bytes;
    const n = bytes.length;
    let i = this.pos;
    for (let k = 0; k < count && i < n; k++) {
      while (i < n && bytes[i] !== LF && bytes[i] !== CR) i++;
      if (i < n) i += bytes[i] === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
      this.line++;
    }
    this.pos = i;
  }

  next(): number {
    const bytes = this.bytes;
    const n = bytes.length;
    const cap = this.capacity;
    const ncols = this.columns;
    const delim = this.delimiter;
    const d0 = delim[0];
    const dlen = delim.length;
    const q = this.quote;
    const start = this.start;
    const end = this.end;
    const flags = this.flags;
    const maxNullLen = this.nullIfLength.length - 1;
    const emptyAsNull = this.emptyFieldAsNull;
    let i = this.pos;
    let line = this.line;
    let r = 0;
    while (r < cap && i < n) {
      this.rowStart[r] = i;
      this.rowLine[r] = line;
      this.fault[r] = RowFault.NONE;
      let k = 0;
      for (;;) {
        const begin = i;
        let fs = i;
        let fe: number;
        let fl = 0;
        if (i < n && bytes[i] === q) {
          fl = FieldFlag.QUOTED;
          fs = ++i;
          for (;;) {
            // Up to the next quote, counting the line breaks the field holds (simple version:
            // i = bytes.indexOf(q, i), then count LF / lone CR in between).
            while (i < n) {
              const c = bytes[i];
              if (c === q) break;
              if (c === LF || (c === CR && bytes[i + 1] !== LF)) line++;
              i++;
            }
            if (i >= n) {
              fe = n;
              this.markFault(r, RowFault.UNTERMINATED_QUOTE, begin, k);
              break;
            }
            if (i + 1 < n && bytes[i + 1] === q) {
              fl |= FieldFlag.ESCAPED;
              i += 2;
              continue;
            }
            fe = i++;
            if (i < n) {
              const c = bytes[i];
              if (c !== LF && c !== CR && !(c === d0 && this.delimiterAt(i))) {
                this.markFault(r, RowFault.TEXT_AFTER_QUOTE, i, k);
                i = this.skipUnenclosed(i);
              }
            }
            break;
          }
        } else {
          i = dlen === 1 ? skipToBreak(bytes, i, d0) : this.skipUnenclosed(i);
          fe = i;
        }
        if (k < ncols) {
          const slot = k * cap + r;
          start[slot] = fs;
          end[slot] = fe;
          if (fe === fs) {
            if (fl === 0 && (emptyAsNull || this.nullIfLength[0] === 1)) fl = FieldFlag.NULL;
          } else if (fe - fs <= maxNullLen || (fl & FieldFlag.ESCAPED) !== 0) {
            if (this.isNullIf(fs, fe, fl)) fl |= FieldFlag.NULL;
          }
          flags[slot] = fl;
        } else if (k === ncols) {
          this.extraStart[r] = begin;
        }
        k++;
        if (i >= n) {
          this.rowEnd[r] = n;
          break;
        }
        const c = bytes[i];
        if (c === d0) {
          i += dlen;
          continue;
        }
        this.rowEnd[r] = i;
        i++;
        if (c === CR && i < n && bytes[i] === LF) i++;
        line++;
        break;
      }
      this.fieldCount[r] = k;
      const rowEnd = this.rowEnd[r];
      for (; k < ncols; k++) {
        const slot = k * cap + r;
        start[slot] = rowEnd;
        end[slot] = rowEnd;
        flags[slot] = FieldFlag.NULL;
      }
      r++;
    }
    this.pos = i;
    this.line = line;
    this.rows = r;
    return r;
  }

  /** Whether the whole delimiter starts at byte i. */
  private delimiterAt(i: number): boolean {
    const delim = this.delimiter;
    const bytes = this.bytes;
    if (i + delim.length > bytes.length) return false;
    for (let k = 0; k < delim.length; k++) if (bytes[i + k] !== delim[k]) return false;
    return true;
  }

  /** From byte i to the next delimiter, line break or end of file (any delimiter length). */
  private skipUnenclosed(i: number): number {
    const bytes = this.bytes;
    const n = bytes.length;
    const d0 = this.delimiter[0];
    for (; i < n; i++) {
      const c = bytes[i];
      if (c === LF || c === CR || (c === d0 && this.delimiterAt(i))) break;
    }
    return i;
  }

  private markFault(r: number, fault: RowFault, pos: number, field: number): void {
    if (this.fault[r] !== RowFault.NONE) return;
    this.fault[r] = fault;
    this.faultPos[r] = pos;
    this.faultField[r] = field;
  }

  /** Whether field content [s, e) equals a NULL_IF string (doubled quotes undone first). */
  private isNullIf(s: number, e: number, fl: number): boolean {
    const bytes = this.bytes;
    const escaped = (fl & FieldFlag.ESCAPED) !== 0;
    const q = this.quote;
    for (const candidate of this.nullIf) {
      if (!escaped && candidate.length !== e - s) continue;
      let i = s;
      let k = 0;
      for (; i < e && k < candidate.length; i++, k++) {
        if (bytes[i] !== candidate[k]) break;
        if (escaped && bytes[i] === q) i++;
      }
      if (i === e && k === candidate.length) return true;
    }
    return false;
  }
}

/**
 * The hot loop of unenclosed fields with a one-byte delimiter: the index of the next
 * delimiter, LF or CR at or after i (or bytes.length). The simple version is
 * skipUnenclosed(i), which also handles delimiters of several bytes.
 */
function skipToBreak(bytes: Uint8Array, i: number, d0: number): number {
  const n = bytes.length;
  while (i < n) {
    const c = bytes[i];
    if (c === d0 || c === LF || c === CR) break;
    i++;
  }
  return i;
}
