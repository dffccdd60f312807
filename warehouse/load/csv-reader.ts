/**
 * COPY INTO from one CSV file: the file's bytes and the target table's columns in, one typed
 * Batch and Snowflake's per-file result out. Runs in a warehouse worker.
 *
 * Contract: readCsv(bytes, columns, format, onError, fileName[, tableName]).
 *  - Field i of a record goes to columns[i]; a record with another field count is rejected
 *    with FILE_COLUMN_COUNT (Snowflake's text). Values are parsed as CAST parses text, NULLs
 *    follow NULL_IF (exact match of the field, enclosing quotes removed) and
 *    EMPTY_FIELD_AS_NULL (an empty unenclosed field; "" is always the empty string).
 *  - ON_ERROR = ABORT_STATEMENT: the first rejected record throws (DataError for bad values,
 *    LoadError for malformed records) with the reason, then the file, line, character, record
 *    number and column, as Snowflake words it. CONTINUE: rejected records are skipped and
 *    counted; the result names the first one. Lines are 1-based and count header lines.
 *  - A UTF-8 byte order mark at the start is skipped. The whole file is read in one pass, a
 *    chunk of records at a time: tokenize (csv-tokenizer.ts), then decode column by column
 *    (csv-column-decoder.ts), then drop the chunk's rejected records.
 * The options type is structurally services/sql/ast.ts's CopyFileFormat (warehouse/ may not
 * import services/), so the parsed options can be passed as they are.
 */
import type { Column } from '../../storage/types/schema.js';
import type { BinaryFormat } from '../../storage/types/binary-text.js';
import type { Batch } from '../../storage/types/vector.js';
import { DataError, FirnError, LoadError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { CsvTokenizer, RowFault } from './csv-tokenizer.js';
import type { CsvDialect } from './csv-tokenizer.js';
import { CsvColumnDecoder } from './csv-column-decoder.js';
import { RowRejects } from './row-rejects.js';
import type { RowReject } from './row-rejects.js';
import { VectorBuilder, builderKindOf } from './vector-builder.js';
import { fileLoadResult } from './file-load-result.js';
import { CancelFlag } from '../cancel/cancel-flag.js';
import type { FileLoadResult, FirstLoadError, OnError } from './file-load-result.js';
import { clipValue } from '../../storage/errors/clip-value.js';

export type CsvFormat = {
  skipHeader: number;
  fieldDelimiter: string;
  fieldOptionallyEnclosedBy: string | null;
  nullIf: string[];
  emptyFieldAsNull: boolean;
  /** BINARY_FORMAT: how BINARY columns' fields are written (absent: HEX). */
  binaryFormat?: BinaryFormat;
};

/** Records tokenized and decoded together. */
const CHUNK_ROWS = 2048;
const LF = 10;
const CR = 13;
const ON_ERROR_HINT =
  "If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.";

const encoder = new TextEncoder();

export function readCsv(
  bytes: Uint8Array,
  columns: Column[],
  format: CsvFormat,
  onError: OnError,
  fileName: string,
  tableName?: string,
): { batch: Batch; result: FileLoadResult } {
  const dialect = csvDialect(format);
  const tok = new CsvTokenizer(bytes, columns.length, dialect, CHUNK_ROWS, fileName);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) tok.pos = 3;
  tok.skipLines(format.skipHeader);
  const dataStart = tok.pos;
  const builders = columns.map((c) => new VectorBuilder(builderKindOf(c.type), 0, bytes));
  const rejects = new RowRejects(CHUNK_ROWS);
  const quote = format.fieldOptionallyEnclosedBy ?? '';
  const decoders = columns.map((c, k) => new CsvColumnDecoder(tok, bytes, k, c, builders[k], rejects, quote, format.binaryFormat));
  let parsed = 0;
  let loaded = 0;
  let errors = 0;
  let first: FirstLoadError | null = null;
  while (tok.next() > 0) {
    CancelFlag.checkpoint();
    const rows = tok.rows;
    if (parsed === 0) {
      // Size the columns once from the first chunk's bytes per record, but never beyond one
      // record per `columns.length` bytes (a delimiter per field): ensure() grows if needed.
      const remaining = bytes.length - dataStart;
      const estimate = Math.ceil((remaining / Math.max(1, tok.pos - dataStart)) * rows * 1.02);
      for (const b of builders) b.ensure(Math.min(estimate, Math.ceil(remaining / Math.max(1, columns.length))) + CHUNK_ROWS);
    }
    for (const b of builders) b.ensure(loaded + rows);
    rejects.reset(rows);
    rejectMalformed(bytes, tok, rows, columns.length, rejects, format);
    for (const d of decoders) d.decode(loaded);
    if (rejects.count > 0) {
      const bad = rejects.first();
      if (bad && !first) {
        first = describeReject(bytes, tok, bad.row, bad.reason, columns, tableName);
        if (onError === 'ABORT_STATEMENT') throw abortError(bad.reason.error, first, tok.rowLine[bad.row], parsed + bad.row + 1, fileName);
      }
      errors += rejects.count;
      for (const b of builders) b.compact(loaded, rows, rejects.bad);
      loaded += rows - rejects.count;
    } else {
      loaded += rows;
    }
    parsed += rows;
  }
  const batch: Batch = { length: loaded, columns: builders.map((b) => b.finish(loaded)) };
  return { batch, result: fileLoadResult(fileName, onError, parsed, loaded, errors, first) };
}

/** Checks and converts the options into bytes; options Firn cannot honour are refused. */
function csvDialect(format: CsvFormat): CsvDialect {
  const delimiter = encoder.encode(format.fieldDelimiter);
  if (delimiter.length === 0 || delimiter.includes(LF) || delimiter.includes(CR)) {
    throw new NotSupportedError(`FIELD_DELIMITER '${clipValue(format.fieldDelimiter)}' (empty or holding a line break)`);
  }
  let quote = -1;
  const enclosedBy = format.fieldOptionallyEnclosedBy;
  if (enclosedBy !== null && enclosedBy !== '') {
    const q = encoder.encode(enclosedBy);
    if (q.length !== 1 || q[0] === LF || q[0] === CR || delimiter.includes(q[0])) {
      throw new NotSupportedError(`FIELD_OPTIONALLY_ENCLOSED_BY '${clipValue(enclosedBy)}' (must be one ASCII character other than the delimiter)`);
    }
    quote = q[0];
  }
  return {
    delimiter,
    quote,
    nullIf: format.nullIf.map((s) => encoder.encode(s)),
    emptyFieldAsNull: format.emptyFieldAsNull,
  };
}

/** Rejects the chunk's records that are malformed or have the wrong number of fields. */
function rejectMalformed(bytes: Uint8Array, tok: CsvTokenizer, rows: number, ncols: number, rejects: RowRejects, format: CsvFormat): void {
  const fieldCount = tok.fieldCount;
  const fault = tok.fault;
  for (let r = 0; r < rows; r++) {
    if (fault[r] !== RowFault.NONE) {
      rejects.reject(r, tok.faultField[r], tok.faultPos[r], faultError(bytes, tok, r, format));
      continue;
    }
    const count = fieldCount[r];
    if (count === ncols) continue;
    const message = `Number of columns in file (${count}) does not match that of the corresponding table (${ncols}), use file format option error_on_column_count_mismatch=false to ignore this error`;
    const pos = count > ncols ? tok.extraStart[r] : tok.rowEnd[r];
    rejects.reject(r, Math.min(count, ncols), pos, new LoadError('FILE_COLUMN_COUNT', message));
  }
}

function faultError(bytes: Uint8Array, tok: CsvTokenizer, r: number, format: CsvFormat): LoadError {
  if (tok.fault[r] === RowFault.UNTERMINATED_QUOTE) {
    return new LoadError('FILE_CORRUPT', `End of file reached while expecting the closing ${format.fieldOptionallyEnclosedBy} of an enclosed field`);
  }
  const pos = tok.faultPos[r];
  const found = String.fromCodePoint(Buffer.from(bytes.subarray(pos, pos + 4)).toString('utf8').codePointAt(0) ?? 0);
  return new LoadError('FILE_CORRUPT', `Found character '${found}' instead of field delimiter '${clipValue(format.fieldDelimiter)}'`);
}

/** Line, character and column label of a rejected record, as COPY reports them. */
function describeReject(
  bytes: Uint8Array,
  tok: CsvTokenizer,
  row: number,
  reject: RowReject,
  columns: Column[],
  tableName: string | undefined,
): FirstLoadError {
  let line = tok.rowLine[row];
  let lineStart = tok.rowStart[row];
  for (let i = lineStart; i < reject.pos; i++) {
    const c = bytes[i];
    if (c === LF || (c === CR && bytes[i + 1] !== LF)) {
      line++;
      lineStart = i + 1;
    }
  }
  let character = 1;
  for (let i = lineStart; i < reject.pos; i++) if ((bytes[i] & 0xc0) !== 0x80) character++;
  const table = tableName === undefined ? '' : `"${tableName}"`;
  const column = columns[reject.field];
  const columnName = column ? `${table}["${column.name}":${reject.field + 1}]` : `${table}[${reject.field + 1}]`;
  return { message: reject.error.message, line, character, columnName };
}

/** The ABORT_STATEMENT error: the reason, then where it is, as Snowflake words it. */
function abortError(reason: FirnError, first: FirstLoadError, rowLine: number, recordNumber: number, fileName: string): FirnError {
  const rowText = rowLine === first.line ? `Row ${recordNumber}` : `Row ${recordNumber} starts at line ${rowLine}`;
  const message = `${reason.message}\n  File '${clipValue(fileName)}', line ${first.line}, character ${first.character}\n  ${rowText}, column ${first.columnName}\n  ${ON_ERROR_HINT}`;
  return reason instanceof LoadError ? new LoadError(reason.codeName, message) : new DataError(reason.codeName, message);
}
