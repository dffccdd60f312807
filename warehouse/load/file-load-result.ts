/**
 * The per-file outcome of COPY INTO, and how a list of them becomes COPY's result rows.
 *
 * Contract: a source reader (csv-reader.ts, parquet-source-reader.ts) returns one
 * FileLoadResult per file. It is plain data (it crosses the worker boundary by structured
 * clone). copyResultBatch turns the results of every file of one COPY statement into the
 * result set Snowflake shows, with COPY_RESULT_COLUMNS as its columns:
 *   file, status, rows_parsed, rows_loaded, error_limit, errors_seen, first_error,
 *   first_error_line, first_error_character, first_error_column_name
 * The first_* fields are NULL when the file had no error.
 */
import type { Column } from '../../storage/types/schema.js';
import type { Batch, F64Vector, StrVector, Nulls } from '../../storage/types/vector.js';
import { Types } from '../../storage/types/data-type.js';

export const LoadStatus = {
  LOADED: 'LOADED',
  LOAD_FAILED: 'LOAD_FAILED',
  PARTIALLY_LOADED: 'PARTIALLY_LOADED',
} as const;
export type LoadStatus = (typeof LoadStatus)[keyof typeof LoadStatus];

export const OnError = { ABORT_STATEMENT: 'ABORT_STATEMENT', CONTINUE: 'CONTINUE' } as const;
export type OnError = (typeof OnError)[keyof typeof OnError];

export type FileLoadResult = {
  file: string;
  status: LoadStatus;
  /** Data records read from the file (skipped header lines excluded), bad ones included. */
  rowsParsed: number;
  rowsLoaded: number;
  /** Errors allowed before the file fails: 1 for ABORT_STATEMENT, rows_parsed for CONTINUE. */
  errorLimit: number;
  /** Records rejected. */
  errorsSeen: number;
  /** Message of the first rejected record (without the file/line context lines). */
  firstError: string | null;
  /** 1-based line in the file (header lines counted) where the first error is. */
  firstErrorLine: number | null;
  /** 1-based character position within that line. */
  firstErrorCharacter: number | null;
  /** Snowflake's column label, e.g. "T"["AMOUNT":3]. */
  firstErrorColumnName: string | null;
};

/** Where and what the first error of a file was. */
export type FirstLoadError = {
  message: string;
  line: number;
  character: number;
  columnName: string | null;
};

/** Builds a file's result from its counts; the status follows from them. */
export function fileLoadResult(
  file: string,
  onError: OnError,
  rowsParsed: number,
  rowsLoaded: number,
  errorsSeen: number,
  first: FirstLoadError | null,
): FileLoadResult {
  let status: LoadStatus = LoadStatus.LOADED;
  if (errorsSeen > 0) status = rowsLoaded > 0 ? LoadStatus.PARTIALLY_LOADED : LoadStatus.LOAD_FAILED;
  return {
    file,
    status,
    rowsParsed,
    rowsLoaded,
    errorLimit: onError === OnError.CONTINUE ? rowsParsed : 1,
    errorsSeen,
    firstError: first?.message ?? null,
    firstErrorLine: first?.line ?? null,
    firstErrorCharacter: first?.character ?? null,
    firstErrorColumnName: first?.columnName ?? null,
  };
}

const bigint = Types.number(38, 0);

/** The columns of COPY INTO's result, named as Snowflake names them. */
export const COPY_RESULT_COLUMNS: Column[] = [
  { name: 'file', type: Types.varchar, nullable: false },
  { name: 'status', type: Types.varchar, nullable: false },
  { name: 'rows_parsed', type: bigint, nullable: false },
  { name: 'rows_loaded', type: bigint, nullable: false },
  { name: 'error_limit', type: bigint, nullable: false },
  { name: 'errors_seen', type: bigint, nullable: false },
  { name: 'first_error', type: Types.varchar, nullable: true },
  { name: 'first_error_line', type: bigint, nullable: true },
  { name: 'first_error_character', type: bigint, nullable: true },
  { name: 'first_error_column_name', type: Types.varchar, nullable: true },
];

/** One result row per file, in the order given; columns as COPY_RESULT_COLUMNS. */
export function copyResultBatch(results: FileLoadResult[]): Batch {
  const n = results.length;
  return {
    length: n,
    columns: [
      strVector(results.map((r) => r.file)),
      strVector(results.map((r) => r.status)),
      numVector(results.map((r) => r.rowsParsed)),
      numVector(results.map((r) => r.rowsLoaded)),
      numVector(results.map((r) => r.errorLimit)),
      numVector(results.map((r) => r.errorsSeen)),
      strVector(results.map((r) => r.firstError)),
      numVector(results.map((r) => r.firstErrorLine)),
      numVector(results.map((r) => r.firstErrorCharacter)),
      strVector(results.map((r) => r.firstErrorColumnName)),
    ],
  };
}

function nullMask(values: (unknown | null)[]): Nulls {
  if (!values.some((v) => v === null)) return null;
  return Uint8Array.from(values, (v) => (v === null ? 1 : 0));
}

function strVector(values: (string | null)[]): StrVector {
  const dict: string[] = [];
  const codeOf = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (v === null) return;
    let code = codeOf.get(v);
    if (code === undefined) {
      code = dict.length;
      dict.push(v);
      codeOf.set(v, code);
    }
    codes[i] = code;
  });
  return { kind: 'str', length: values.length, codes, dict, nulls: nullMask(values) };
}

function numVector(values: (number | null)[]): F64Vector {
  return {
    kind: 'f64',
    length: values.length,
    values: Float64Array.from(values, (v) => v ?? 0),
    nulls: nullMask(values),
  };
}
