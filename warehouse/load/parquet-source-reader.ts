/**
 * COPY INTO from one Parquet file (TYPE = PARQUET): the file's bytes and the target table's
 * columns in, one typed Batch and the per-file result out. Runs in a warehouse worker.
 *
 * Contract: readParquetSource(bytes, columns, fileName) resolves to { batch, result }.
 *  - File columns are matched to table columns by name, case-insensitively (Snowflake's
 *    MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE; an exact-case match wins over another). When
 *    every table column has a match, or at least one does and the counts differ, names
 *    decide: extra file columns are ignored and table columns missing from the file load
 *    NULL. When the names do not all match and the counts are equal, columns match by
 *    position. No name matching and different counts -> LoadError FILE_COLUMN_COUNT.
 *  - Values are converted to the table's types by storage/arrow's arrowToVector (through
 *    storage/partition/partition-reader.ts, one row group at a time), with its conversions
 *    and errors (NUMERIC_OUT_OF_RANGE, STRING_TOO_LONG, TYPE_MISMATCH), which name the file.
 *    A NULL for a NOT NULL column is a DataError NULL_NOT_ALLOWED naming file, row, column; a
 *    date or timestamp past 0001-01-01 .. 9999-12-31 is DATETIME_OUT_OF_RANGE (22008).
 *  - Bad bytes -> LoadError FILE_CORRUPT naming the file. The file loads whole or not at all
 *    (status LOADED; any error aborts), like ON_ERROR = ABORT_STATEMENT.
 * Async because parquet-wasm's reader is.
 */
import type { Column } from '../../storage/types/schema.js';
import { NANOS_PER_DAY, type DataType } from '../../storage/types/data-type.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import { DataError, LoadError } from '../../storage/errors/firn-error.js';
import { readParquetFile } from '../../storage/partition/partition-reader.js';
import { concatVectors } from '../../storage/arrow/concat-vectors.js';
import { emptyVector } from '../../storage/arrow/vector-arrow.js';
import { nullVector } from '../execute/batch/null-vector.js';
import { checkDays, checkSecs } from '../execute/functions/datetime-range.js';
import { sliceBatch } from '../execute/batch/slice-batch.js';
import { fileLoadResult } from './file-load-result.js';
import type { FileLoadResult } from './file-load-result.js';
import { clipValue } from '../../storage/errors/clip-value.js';

export async function readParquetSource(bytes: Uint8Array, columns: Column[], fileName: string): Promise<{ batch: Batch; result: FileLoadResult }> {
  const parts: Vector[][] = columns.map(() => []);
  const source = parquetSourceBatches(bytes, columns, fileName);
  for await (const group of source.batches) group.columns.forEach((v, t) => parts[t].push(v));
  const length = source.rowCount;
  const vectors = columns.map((c, t) => (parts[t].length === 0 ? emptyVector(c.type) : concatVectors(parts[t])));
  vectors.forEach((v) => {
    if (v.length !== length) throw new LoadError('FILE_CORRUPT', `File '${clipValue(fileName)}' decoded ${v.length} rows, its footer says ${length}`);
  });
  return { batch: { length, columns: vectors }, result: source.result };
}

/**
 * The same load one row group at a time (a COPY that writes as rows come holds one row group,
 * not the file): `batches` yields each row group converted and checked as readParquetSource
 * checks the whole file; `result` is the file's result once every batch was read.
 * With `rows`, only the file's rows [start, end) (clamped to the file) are loaded: just the
 * row groups they touch are decoded, cut to the range; `rowCount` and `result` count those
 * rows, and a NULL_NOT_ALLOWED error still names the row by its place in the file.
 */
export function parquetSourceBatches(
  bytes: Uint8Array,
  columns: Column[],
  fileName: string,
  rows?: { start: number; end: number },
): { rowCount: number; result: FileLoadResult; batches: AsyncIterable<Batch> } {
  const file = readParquetFile(bytes, fileName);
  const start = Math.min(file.rowCount, Math.max(0, rows?.start ?? 0));
  const end = Math.min(file.rowCount, Math.max(start, rows?.end ?? file.rowCount));
  // The row groups that hold rows of [start, end), and where each begins in the file.
  const groups: number[] = [];
  const groupStarts: number[] = [];
  let at = 0;
  file.rowGroupRows.forEach((n, g) => {
    if (at < end && at + n > start) {
      groups.push(g);
      groupStarts.push(at);
    }
    at += n;
  });
  const sourceOf = matchColumns(file.columns, columns, fileName);
  // Matched file columns convert to their table column's type; the others keep their own.
  const types: DataType[] = file.columns.map((c) => c.type);
  sourceOf.forEach((f, t) => {
    if (f >= 0) types[f] = columns[t].type;
  });
  async function* batches(): AsyncGenerator<Batch> {
    let k = 0;
    try {
      for (const decoded of file.batches(types, groups)) {
        const groupStart = groupStarts[k++];
        decoded.columns.forEach((v) => {
          if (v.length !== decoded.length) throw new LoadError('FILE_CORRUPT', `File '${clipValue(fileName)}' decoded ${v.length} rows of a row group of ${decoded.length}`);
        });
        const from = Math.max(0, start - groupStart);
        const group = sliceBatch(decoded, from, Math.min(decoded.length, end - groupStart));
        const vectors = columns.map((c, t) => (sourceOf[t] >= 0 ? group.columns[sourceOf[t]] : nullVector(c.type, group.length)));
        vectors.forEach((v, t) => {
          checkNotNull(v, columns[t], fileName, groupStart + from);
          checkDateRange(v, columns[t], fileName);
        });
        yield { length: group.length, columns: vectors };
      }
    } finally {
      file.close();
    }
  }
  const count = end - start;
  return { rowCount: count, result: fileLoadResult(fileName, 'ABORT_STATEMENT', count, count, 0, null), batches: batches() };
}

/** For each table column, the index of the file column it loads from, or -1 (loads NULL). */
function matchColumns(fileColumns: Column[], tableColumns: Column[], fileName: string): number[] {
  const byName = tableColumns.map((t) => {
    const exact = fileColumns.findIndex((f) => f.name === t.name);
    if (exact >= 0) return exact;
    const upper = t.name.toUpperCase();
    return fileColumns.findIndex((f) => f.name.toUpperCase() === upper);
  });
  const matched = byName.filter((f) => f >= 0).length;
  if (matched === tableColumns.length) return byName;
  if (fileColumns.length === tableColumns.length) return tableColumns.map((_, t) => t);
  if (matched > 0) return byName;
  throw new LoadError(
    'FILE_COLUMN_COUNT',
    `Number of columns in file (${fileColumns.length}) does not match that of the corresponding table (${tableColumns.length}), and no column name matches; file '${clipValue(fileName)}'`,
  );
}

/** `offset`: the file row of v's first row. */
function checkNotNull(v: Vector, column: Column, fileName: string, offset: number): void {
  if (column.nullable || v.nulls === null) return;
  const row = v.nulls.indexOf(1);
  if (row < 0) return;
  throw new DataError('NULL_NOT_ALLOWED', `NULL result in a non-nullable column\n  File '${clipValue(fileName)}', row ${offset + row + 1}, column "${column.name}"`);
}

/**
 * DATE / TIMESTAMP_NTZ values from the file must lie in Firn's range (datetime-range.ts), and
 * a TIME in 00:00:00 .. 23:59:59.999999999 (else Snowflake's "Time '...' is not recognized").
 */
function checkDateRange(v: Vector, column: Column, fileName: string): void {
  const what = `column "${column.name}" of file '${clipValue(fileName)}'`;
  if (column.type.kind === 'DATE' && v.kind === 'i32') checkDays(v.values, v.nulls, v.length, what);
  if (column.type.kind === 'TIMESTAMP_NTZ' && v.kind === 'ts') checkSecs(v.secs, v.nulls, v.length, what);
  if (column.type.kind === 'TIME' && v.kind === 'f64') checkTimeOfDay(v.values, v.nulls, v.length, what);
}

function checkTimeOfDay(values: Float64Array, nulls: Uint8Array | null, n: number, what: string): void {
  for (let i = 0; i < n; i++) {
    const ns = values[i];
    if ((ns < 0 || ns >= NANOS_PER_DAY) && !(nulls !== null && nulls[i] !== 0)) {
      throw new DataError('TIME_NOT_RECOGNIZED', `Time '${ns / 1e9}' (seconds since midnight) is not recognized in ${what}`);
    }
  }
}
