/**
 * COPY INTO from one JSON file (TYPE = JSON): the file's bytes and the target table's columns
 * in, typed batches and Snowflake's per-file result out. Runs in a warehouse worker.
 *
 * Contract: jsonSourceBatches(bytes, columns, format, onError, match, fileName[, tableName])
 * answers { batches, result() }; result() is final once `batches` has been read to the end.
 *  - Documents: a file holds JSON values one after another, separated by whitespace or not at
 *    all (one document, NDJSON, or concatenated documents: Snowflake's JSON type reads all
 *    three). With STRIP_OUTER_ARRAY = TRUE a top-level array is taken apart and each element is
 *    a document. A UTF-8 byte order mark at the start is skipped. Each document is one row.
 *  - match 'NONE': the table has one column (VARIANT, OBJECT or ARRAY; services checks) and
 *    the document is its value, cast as a VARIANT is cast to that type (an OBJECT column takes
 *    objects only). 'CASE_SENSITIVE' / 'CASE_INSENSITIVE': each top-level key of an object
 *    document loads into the column of that name (exact, or ignoring case), its value cast from
 *    VARIANT to the column's type as `v:key::type` casts it; a column whose key is missing (or a
 *    document that is no object) loads NULL, keys without a column are ignored. Under
 *    CASE_INSENSITIVE, when two keys differ only in case, the first in key order wins.
 *  - Errors: a document that is not JSON is `Error parsing JSON: <reason>, pos <n>` (n counted
 *    from the document's start; DataError INVALID_JSON, 100069), a value that does not cast is
 *    the cast's error, NULL into a NOT NULL column NULL_NOT_ALLOWED. ON_ERROR = ABORT_STATEMENT
 *    throws at the first, with file, line, character and row (document number) as CSV loads
 *    word it; CONTINUE skips the row, counts it, and the result names the first. After a parse
 *    error reading resumes at the start of the line where the error is, when that line is not
 *    the document's first (an unclosed NDJSON line), else at the next line; after an error inside
 *    a stripped outer array the rest of the file is skipped (one error), since no element
 *    boundary can be trusted there. Invalid UTF-8 fails the file (LoadError FILE_CORRUPT).
 *  - Streaming: the text is decoded a window of about WINDOW_BYTES at a time, cut just after a
 *    whitespace byte so no number or keyword is split; a document cut by the window's end is
 *    re-read from its start in the next window (a window doubles while one document is larger).
 *    Rows are yielded in batches of at most BATCH_ROWS rows / BATCH_CHARS characters of JSON.
 */
import { isUtf8 } from 'node:buffer';
import type { Column } from '../../storage/types/schema.js';
import { Types } from '../../storage/types/data-type.js';
import type { Batch, StrVector, Vector } from '../../storage/types/vector.js';
import { DataError, FirnError, InternalError, LoadError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { JsonSyntaxError, objectEntries, readJsonValue } from '../../storage/types/variant-json.js';
import { castVector } from '../execute/cast/cast-vector.js';
import { gatherBatch } from '../execute/batch/gather-batch.js';
import { CancelFlag } from '../cancel/cancel-flag.js';
import { fileLoadResult } from './file-load-result.js';
import type { FileLoadResult, FirstLoadError, OnError } from './file-load-result.js';

export type JsonFormat = { stripOuterArray?: boolean; allowDuplicate?: boolean };
/** How documents map to columns: MATCH_BY_COLUMN_NAME. */
export type JsonMatch = 'CASE_SENSITIVE' | 'CASE_INSENSITIVE' | 'NONE';

export const WINDOW_BYTES = 4 << 20;
const BATCH_ROWS = 4096;
const BATCH_CHARS = 8 << 20;
const ON_ERROR_HINT =
  "If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.";

/** One document read from the file: its canonical text, or why it is not JSON. */
type Doc = { value: string; line: number; character: number } | { error: string; line: number; character: number };

const decoder = new TextDecoder();

function isWs(b: number): boolean {
  return b === 32 || b === 10 || b === 13 || b === 9;
}

/** The documents of a file, one window of text at a time (see the module comment). */
export class JsonDocuments {
  private text = '';
  /** Byte offsets in the file of text[0] and of the byte after the window. */
  private start = 0;
  private end = 0;
  private final = false;
  /** The size asked for the window (it is cut shorter, at whitespace). */
  private size = 0;
  /** Next char of `text` to read. */
  private at = 0;
  /**
   * Line of text[0] and where its line starts (<= 0: before the window), and a cursor: the
   * line of text[lineAt] and the index where that line starts.
   */
  private windowLine = 1;
  private windowLineStart = 0;
  private line = 1;
  private lineAt = 0;
  private lineStart = 0;
  private inArray = false;
  private needComma = false;
  private stopped = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fileName: string,
    private readonly strip: boolean,
    private readonly allowDuplicate: boolean,
    private readonly windowBytes = WINDOW_BYTES,
  ) {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    this.load(bom, windowBytes);
  }

  /** Decodes the window starting at byte `from`: about `size` bytes, cut after whitespace. */
  private load(from: number, size: number): void {
    this.size = size;
    const bytes = this.bytes;
    let end = bytes.length;
    for (;;) {
      if (from + size >= bytes.length) break;
      let k = from + size;
      while (k > from && !isWs(bytes[k - 1])) k--;
      if (k > from) {
        end = k;
        break;
      }
      size *= 2;
    }
    const slice = bytes.subarray(from, end);
    if (!isUtf8(slice)) throw new LoadError('FILE_CORRUPT', `Invalid UTF8 detected in file '${clipValue(this.fileName)}'`);
    this.text = decoder.decode(slice);
    this.start = from;
    this.end = end;
    this.final = end === bytes.length;
    // The cursor stands at the old window's char that is text[0] now.
    this.windowLine = this.line;
    this.windowLineStart = this.lineStart - this.lineAt;
    this.at = 0;
    this.lineAt = 0;
    this.lineStart = this.windowLineStart;
  }

  /** Moves the window to begin at char `c` of the current one (the line cursor follows). */
  private reload(c: number, size: number): void {
    this.lineOf(c);
    this.load(this.start + Buffer.byteLength(this.text.slice(0, c)), size);
  }

  /** The 1-based file line of char `i` of the window. */
  private lineOf(i: number): number {
    const t = this.text;
    if (i < this.lineAt) {
      this.lineAt = 0;
      this.line = this.windowLine;
      this.lineStart = this.windowLineStart;
    }
    let line = this.line;
    let lineStart = this.lineStart;
    for (let p = this.lineAt; p < i; p++) {
      if (t.charCodeAt(p) === 10) {
        line++;
        lineStart = p + 1;
      }
    }
    this.line = line;
    this.lineStart = lineStart;
    this.lineAt = i;
    return line;
  }

  /** Line and 1-based character (within its line) of char `i`. */
  private where(i: number): { line: number; character: number } {
    const at = Math.min(i, this.text.length);
    const line = this.lineOf(at);
    return { line, character: at - this.lineStart + 1 };
  }

  private fail(reason: string, docStart: number, errPos: number): Doc {
    const { line, character } = this.where(errPos);
    return { error: `Error parsing JSON: ${reason}, pos ${errPos - docStart + 1}`, line, character };
  }

  /** The next document, or null at the end of the file. */
  next(): Doc | null {
    for (;;) {
      if (this.stopped) return null;
      const t = this.text;
      let at = this.at;
      while (at < t.length) {
        const c = t.charCodeAt(at);
        if (c === 32 || c === 10 || c === 13 || c === 9) at++;
        else break;
      }
      this.at = at;
      if (at >= t.length) {
        if (!this.final) {
          this.lineOf(t.length);
          this.load(this.end, this.windowBytes);
          continue;
        }
        if (this.inArray) {
          this.stopped = true;
          return this.fail('incomplete array value', at, at);
        }
        return null;
      }
      const ch = t[at];
      if (this.strip && !this.inArray && ch === '[') {
        this.inArray = true;
        this.needComma = false;
        this.at = at + 1;
        continue;
      }
      if (this.inArray) {
        if (ch === ']') {
          this.inArray = false;
          this.at = at + 1;
          continue;
        }
        if (this.needComma) {
          if (ch !== ',') {
            this.stopped = true;
            return this.fail('incomplete array value', at, at);
          }
          this.needComma = false;
          this.at = at + 1;
          continue;
        }
      }
      try {
        const { value, end } = readJsonValue(t, at, this.allowDuplicate);
        const { line, character } = this.where(at);
        this.at = end;
        if (this.inArray) this.needComma = true;
        return { value, line, character };
      } catch (err) {
        if (!(err instanceof JsonSyntaxError)) throw err;
        if (err.pos >= t.length && !this.final) {
          // Cut by the window's end: read it again from its start, in a bigger window if it began one.
          this.reload(at, at === 0 ? this.size * 2 : this.windowBytes);
          continue;
        }
        const doc = this.fail(err.reason, at, err.pos);
        if (this.inArray) {
          this.stopped = true;
        } else {
          // fail() left the line cursor at the error.
          const errPos = Math.min(err.pos, t.length);
          const lineStart = this.lineStart;
          const next = t.indexOf('\n', errPos);
          this.at = lineStart > at ? lineStart : next < 0 ? t.length : next + 1;
        }
        return doc;
      }
    }
  }
}

/** The rows of a batch that are rejected, each with the first reason found. */
type Reject = { row: number; column: number; error: FirnError };

export function jsonSourceBatches(
  bytes: Uint8Array,
  columns: Column[],
  format: JsonFormat,
  onError: OnError,
  match: JsonMatch,
  fileName: string,
  tableName?: string,
): { batches: AsyncIterable<Batch>; result: () => FileLoadResult } {
  if (match === 'NONE' && columns.length !== 1) throw new InternalError('a JSON load without MATCH_BY_COLUMN_NAME needs one column');
  const docs = new JsonDocuments(bytes, fileName, format.stripOuterArray === true, format.allowDuplicate === true);
  const keyColumn = keyLookup(columns, match);
  let parsed = 0;
  let loaded = 0;
  let errors = 0;
  let first: FirstLoadError | null = null;
  let done = false;
  const label = (k: number | null) => (k === null ? null : `${tableName === undefined ? '' : `"${tableName}"`}["${columns[k].name}":${k + 1}]`);

  /** Counts a rejected row (the `row`-th document of the file); throws under ABORT_STATEMENT. */
  function reject(error: FirnError, row: number, line: number, character: number, column: number | null): void {
    errors++;
    if (first !== null) return;
    first = { message: error.message, line, character, columnName: label(column) };
    if (onError === 'ABORT_STATEMENT') {
      const at = column === null ? '' : `, column ${first.columnName}`;
      const message = `${error.message}\n  File '${clipValue(fileName)}', line ${line}, character ${character}\n  Row ${row}${at}\n  ${ON_ERROR_HINT}`;
      throw error instanceof LoadError ? new LoadError(error.codeName, message) : new DataError(error.codeName, message);
    }
  }

  async function* batches(): AsyncGenerator<Batch> {
    const texts: (string | null)[][] = columns.map(() => []);
    const lines: number[] = [];
    const chars: number[] = [];
    const rows: number[] = [];
    let size = 0;
    const flush = (): Batch | null => {
      const n = lines.length;
      if (n === 0) return null;
      const batch = buildBatch(texts, lines, chars, rows);
      for (const t of texts) t.length = 0;
      lines.length = 0;
      chars.length = 0;
      rows.length = 0;
      size = 0;
      return batch;
    };
    const buildBatch = (cols: (string | null)[][], ls: number[], cs: number[], rs: number[]): Batch => {
      const n = ls.length;
      const bad = new Uint8Array(n);
      const reasons: Reject[] = [];
      const variants = cols.map((t) => strVector(t));
      let out = castColumns(variants, columns, bad, reasons);
      columns.forEach((c, k) => {
        if (c.nullable) return;
        const v = out.columns[k];
        if (v.nulls === null) return;
        for (let i = 0; i < n; i++) {
          if (v.nulls[i] && !bad[i]) {
            bad[i] = 1;
            reasons.push({ row: i, column: k, error: new DataError('NULL_NOT_ALLOWED', `NULL result in a non-nullable column`) });
          }
        }
      });
      if (reasons.length === 0) {
        loaded += n;
        return out;
      }
      reasons.sort((a, b) => a.row - b.row || a.column - b.column);
      let last = -1;
      for (const r of reasons) {
        if (r.row === last) continue;
        last = r.row;
        reject(r.error, rs[r.row], ls[r.row], cs[r.row], r.column);
      }
      const keep = new Int32Array(n);
      let m = 0;
      for (let i = 0; i < n; i++) if (!bad[i]) keep[m++] = i;
      out = gatherBatch(out, keep, m);
      loaded += m;
      return out;
    };
    for (;;) {
      const doc = docs.next();
      if (doc === null) break;
      parsed++;
      if ('error' in doc) {
        reject(new DataError('INVALID_JSON', doc.error), parsed, doc.line, doc.character, match === 'NONE' ? 0 : null);
        continue;
      }
      if (match === 'NONE') {
        texts[0].push(doc.value);
      } else {
        for (const t of texts) t.push(null);
        if (doc.value.charCodeAt(0) === 123) {
          const row = lines.length;
          for (const [key, value] of objectEntries(doc.value)) {
            const k = keyColumn(key);
            if (k >= 0 && texts[k][row] === null) texts[k][row] = value;
          }
        }
      }
      lines.push(doc.line);
      chars.push(doc.character);
      rows.push(parsed);
      size += doc.value.length;
      if (lines.length >= BATCH_ROWS || size >= BATCH_CHARS) {
        CancelFlag.checkpoint();
        const b = flush();
        if (b !== null && b.length > 0) yield b;
      }
    }
    const b = flush();
    if (b !== null && b.length > 0) yield b;
    done = true;
  }

  return {
    batches: batches(),
    result: () => {
      if (!done) throw new InternalError('the result of a JSON load is known once all its batches are read');
      return fileLoadResult(fileName, onError, parsed, loaded, errors, first);
    },
  };
}

/** The column a top-level key loads into, or -1. */
function keyLookup(columns: Column[], match: JsonMatch): (key: string) => number {
  const index = new Map<string, number>();
  const fold = match === 'CASE_INSENSITIVE';
  columns.forEach((c, k) => {
    const name = fold ? c.name.toUpperCase() : c.name;
    if (!index.has(name)) index.set(name, k);
  });
  return fold ? (key) => index.get(key.toUpperCase()) ?? -1 : (key) => index.get(key) ?? -1;
}

/**
 * Each column's VARIANT texts cast to its type. A cast that fails for the batch is retried
 * row by row to find the rows at fault (marked in `bad`, with their reason), then the batch is
 * cast without them; their slots are left NULL in the answer.
 */
function castColumns(variants: StrVector[], columns: Column[], bad: Uint8Array, reasons: Reject[]): Batch {
  const n = bad.length;
  const out: Vector[] = columns.map((c, k) => {
    const v = variants[k];
    if (c.type.kind === 'VARIANT') return v;
    try {
      return castVector(v, Types.variant, c.type, false);
    } catch (err) {
      if (!(err instanceof FirnError)) throw err;
      const texts: (string | null)[] = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const nul = v.nulls !== null && v.nulls[i] === 1;
        texts[i] = nul ? null : v.dict[v.codes[i]];
        if (nul) continue;
        try {
          castVector(strVector([texts[i]]), Types.variant, c.type, false);
        } catch (e) {
          if (!(e instanceof FirnError)) throw e;
          if (!bad[i]) reasons.push({ row: i, column: k, error: e });
          bad[i] = 1;
          texts[i] = null;
        }
      }
      return castVector(strVector(texts), Types.variant, c.type, false);
    }
  });
  return { length: n, columns: out };
}

/** Texts longer than this are not looked up for an equal one: documents are mostly distinct, and hashing them costs more than it saves. */
const DEDUPE_MAX_LENGTH = 64;

/** A 'str' vector of the texts (null: SQL NULL); each distinct short text once in the dictionary. */
function strVector(texts: (string | null)[]): StrVector {
  const n = texts.length;
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const codeOf = new Map<string, number>();
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const t = texts[i];
    if (t === null) {
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
      continue;
    }
    if (t.length > DEDUPE_MAX_LENGTH) {
      codes[i] = dict.length;
      dict.push(t);
      continue;
    }
    let code = codeOf.get(t);
    if (code === undefined) {
      code = dict.length;
      dict.push(t);
      codeOf.set(t, code);
    }
    codes[i] = code;
  }
  return { kind: 'str', length: n, codes, dict: dict.length > 0 ? dict : [''], nulls };
}
