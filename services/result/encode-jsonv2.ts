/**
 * Encodes a StatementResult as the body of a Snowflake SQL API v2 answer (format "jsonv2"),
 * so Snowflake clients, the Firn CLI and the notebook page read one shape.
 *
 * Contract:
 * - `data` is an array of rows; every non-NULL cell is a string, SQL NULL is JSON null.
 * - Cell text by type: NUMBER(p,s) -> decimal with exactly s fraction digits; FLOAT -> the
 *   shortest decimal that round-trips (JavaScript's Number#toString: "1.5", "1e+21"), with
 *   "NaN", "inf", "-inf" for the non-finite values (Snowflake's JSON truncates floats to
 *   fewer digits; Firn sends them exactly); BOOLEAN -> "true"/"false"; DATE -> days since the
 *   epoch; TIMESTAMP_NTZ -> epoch seconds with 9 fraction digits; TIME -> seconds since
 *   midnight with 9 fraction digits ("36672.123456789"); VARCHAR -> the string; VARIANT,
 *   OBJECT, ARRAY -> the JSON as Snowflake prints it (prettyJson: two-space indentation,
 *   strings quoted), rowType 'variant' / 'object' / 'array'; BINARY -> upper-case hex, whatever
 *   BINARY_OUTPUT_FORMAT says (as Snowflake sends it), rowType 'binary' of length 8388608.
 * - Encoding walks each column's typed arrays once, choosing the kernel per vector (type,
 *   physical kind, NULLs or not) and writing straight into the row arrays.
 * - `rowType` uses Snowflake's lower-case type names (fixed, real, text, boolean, date,
 *   timestamp_ntz, time; timestamps and times with precision 0 and scale = their fraction
 *   digits, as Snowflake sends them). database/schema/table are "" because a result column does not record
 *   which table it came from.
 * - A multi-statement request answers with its last statement's rows (Firn's choice, where
 *   Snowflake answers "Multiple statements executed successfully.") under the request's
 *   handle, and lists every statement's own handle in `statementHandles` as Snowflake does.
 * - A result encoded whole (encodeJsonV2) whose text would pass MAX_RESULT_BYTES (one JSON
 *   body is one JavaScript string) fails with RESOURCE_EXHAUSTED (53200) before the body is
 *   built. The HTTP API never encodes a result whole: it answers stored results partition by
 *   partition, piece by piece (encode-jsonv2-partition.ts), without that limit.
 */
import { MAX_BINARY_LENGTH, MAX_VARCHAR_LENGTH, timestampPrecision, type DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, TsVector, Vector } from '../../storage/types/vector.js';
import { formatDecimal, formatEpochSeconds9, formatTimeSeconds } from '../../storage/types/value-text.js';
import { prettyJson } from '../../storage/types/variant-json.js';
import { hexOfBytes } from '../../storage/types/binary-text.js';
import { InternalError, ResourceError } from '../../storage/errors/firn-error.js';
import type { QueryStats, SessionContext, StatementResult } from '../session/statement-result.js';

export type RowTypeEntry = {
  name: string;
  database: string;
  schema: string;
  table: string;
  type: 'fixed' | 'real' | 'text' | 'boolean' | 'date' | 'timestamp_ntz' | 'timestamp_ltz' | 'timestamp_tz' | 'time' | 'variant' | 'object' | 'array' | 'binary';
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  collation: string | null;
};

export type Cell = string | null;

/** One result partition: its rows and the size of its `data` text (exact for partition 0, estimated for the others). */
export type PartitionInfo = { rowCount: number; uncompressedSize: number };

export type JsonV2ResultSet = {
  resultSetMetaData: {
    numRows: number;
    format: 'jsonv2';
    rowType: RowTypeEntry[];
    partitionInfo: PartitionInfo[];
  };
  data: Cell[][];
  code: string;
  statementStatusUrl: string;
  requestId: string;
  sqlState: string;
  statementHandle: string;
  /** A multi-statement request: each statement's handle, in order (GET each for its rows). */
  statementHandles?: string[];
  message: string;
  createdOn: number;
  stats: QueryStats;
  context: SessionContext;
};

/** The 422/4xx/500 body: Snowflake's QueryFailureStatus. */
export type JsonV2Failure = {
  code: string;
  sqlState: string;
  message: string;
  statementHandle: string;
  statementStatusUrl?: string;
  createdOn?: number;
  /**
   * A multi-statement request whose statement `failed.index` (1-based) failed: each statement
   * that ran before it (its handle, and whether it committed), and those that did not run
   * (firn-error.ts MultiStatementError); `summary` says the same in a sentence.
   */
  failed?: { index: number; handle: string };
  ran?: { index: number; handle: string; state: 'committed' | 'rolled_back' | 'pending' }[];
  notRun?: number[];
  summary?: string;
};

/** Largest result text sent in one answer: well under V8's largest string (2^29 - 24 UTF-16 units). */
export const MAX_RESULT_BYTES = 256 * 2 ** 20;

export const SUCCESS_CODE = '090001';
export const SUCCESS_MESSAGE = 'Statement executed successfully.';

export type EncodeOptions = { requestId: string; createdOn: number };

/** Path a client GETs to fetch the statement's result again. */
export function statementStatusUrl(handle: string, requestId: string): string {
  return `/api/v2/statements/${handle}?requestId=${encodeURIComponent(requestId)}`;
}

export function encodeJsonV2(result: StatementResult, opts: EncodeOptions): JsonV2ResultSet {
  const { columns, batch } = result;
  const { data, size: cells } = encodeCells(columns, batch);
  const numRows = batch.length;
  const size = 2 + cells + Math.max(0, numRows - 1);
  if (size > MAX_RESULT_BYTES) {
    throw new ResourceError('RESOURCE_EXHAUSTED', `The result of ${numRows} rows is about ${size} bytes of text, more than the ${MAX_RESULT_BYTES} bytes one answer may hold; add a LIMIT or select fewer or shorter values`);
  }
  return { ...resultSetMetaData(columns, numRows, size), data, ...answerFields({ ...result, statementHandles: result.statements?.map((st) => st.queryId) }, opts) };
}

/**
 * `resultSetMetaData` of a result of `numRows` rows whose `data` text is about `size` bytes, in
 * one partition, or in the given `partitions` (services/statements: a stored result's).
 */
export function resultSetMetaData(columns: Column[], numRows: number, size: number, partitions?: PartitionInfo[]): Pick<JsonV2ResultSet, 'resultSetMetaData'> {
  return {
    resultSetMetaData: {
      numRows,
      format: 'jsonv2',
      rowType: columns.map(rowTypeOf),
      partitionInfo: partitions ?? [{ rowCount: numRows, uncompressedSize: size }],
    },
  };
}

/** What the answer's status fields are made of: a StatementResult, or a stored statement's outcome. */
export type AnswerSource = Pick<StatementResult, 'queryId' | 'stats' | 'context'> & { statementHandles?: string[] | null };

/** The answer's fields after `data`: status, handles, stats and context. */
export function answerFields(result: AnswerSource, opts: EncodeOptions): Omit<JsonV2ResultSet, 'resultSetMetaData' | 'data'> {
  return {
    code: SUCCESS_CODE,
    statementStatusUrl: statementStatusUrl(result.queryId, opts.requestId),
    requestId: opts.requestId,
    sqlState: '00000',
    statementHandle: result.queryId,
    ...(result.statementHandles ? { statementHandles: result.statementHandles } : {}),
    message: SUCCESS_MESSAGE,
    createdOn: opts.createdOn,
    stats: result.stats,
    context: publicContext(result.context),
  };
}

/**
 * The rows of one batch as jsonv2 cells, and the approximate size of their JSON text (cells,
 * row brackets and the commas inside rows; not the commas between rows).
 */
export function encodeCells(columns: Column[], batch: Batch): { data: Cell[][]; size: number } {
  if (batch.columns.length !== columns.length) {
    throw new InternalError(`result has ${columns.length} columns but its batch has ${batch.columns.length} vectors`);
  }
  const numRows = batch.length;
  const width = columns.length;
  const data: Cell[][] = new Array(numRows);
  for (let r = 0; r < numRows; r++) data[r] = new Array<Cell>(width);
  let size = numRows * 2 + numRows * Math.max(0, width - 1);
  for (let c = 0; c < width; c++) {
    size += encodeColumn(batch.columns[c]!, columns[c]!.type, numRows, data, c);
  }
  return { data, size };
}

/** The rowType entry Snowflake sends for a column of this type. */
export function rowTypeOf(column: Column): RowTypeEntry {
  const base = { name: column.name, database: '', schema: '', table: '', nullable: column.nullable, collation: null };
  const t = column.type;
  switch (t.kind) {
    case 'NUMBER':
      return { ...base, type: 'fixed', precision: t.precision, scale: t.scale, length: null, byteLength: null };
    case 'FLOAT':
      return { ...base, type: 'real', precision: null, scale: null, length: null, byteLength: null };
    case 'BOOLEAN':
      return { ...base, type: 'boolean', precision: null, scale: null, length: null, byteLength: null };
    case 'DATE':
      return { ...base, type: 'date', precision: null, scale: null, length: null, byteLength: null };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return { ...base, type: t.kind.toLowerCase() as 'timestamp_ntz' | 'timestamp_ltz' | 'timestamp_tz', precision: 0, scale: timestampPrecision(t), length: null, byteLength: null };
    case 'TIME':
      return { ...base, type: 'time', precision: 0, scale: timestampPrecision(t), length: null, byteLength: null };
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return { ...base, type: SEMI_ROW_TYPES[t.kind], precision: null, scale: null, length: null, byteLength: null };
    case 'BINARY': {
      const length = t.length ?? MAX_BINARY_LENGTH;
      return { ...base, type: 'binary', precision: null, scale: null, length, byteLength: length };
    }
    case 'VARCHAR':
    case 'NULL': {
      const length = t.kind === 'VARCHAR' ? (t.length ?? MAX_VARCHAR_LENGTH) : MAX_VARCHAR_LENGTH;
      return { ...base, type: 'text', precision: null, scale: null, length, byteLength: Math.min(4 * length, MAX_VARCHAR_LENGTH) };
    }
  }
}

/**
 * Writes column `c` of every row in `out` and returns the approximate JSON size of the cells
 * (text length plus quotes; "null" for NULL), used for partitionInfo.uncompressedSize.
 */
function encodeColumn(v: Vector, type: DataType, n: number, out: Cell[][], c: number): number {
  if (v.length !== n) throw new InternalError(`vector of length ${v.length} in a batch of ${n} rows`);
  switch (type.kind) {
    case 'NULL':
      for (let r = 0; r < n; r++) out[r]![c] = null;
      return 4 * n;
    case 'NUMBER':
      if (v.kind === 'f64') return encodeScaledF64(v.values, v.nulls, type.scale, n, out, c);
      if (v.kind === 'dec') return encodeScaledBig(v.values, v.nulls, type.scale, n, out, c);
      break;
    case 'FLOAT':
      if (v.kind === 'f64') return encodeFloat(v.values, v.nulls, n, out, c);
      break;
    case 'BOOLEAN':
      if (v.kind === 'bool') return encodeBool(v.values, v.nulls, n, out, c);
      break;
    case 'DATE':
      if (v.kind === 'i32') return encodeDate(v.values, v.nulls, n, out, c);
      break;
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      if (v.kind === 'ts') return encodeTimestamp(v, n, out, c);
      break;
    case 'TIMESTAMP_TZ':
      if (v.kind === 'ts') return encodeTimestamp(v, n, out, c, true);
      break;
    case 'TIME':
      if (v.kind === 'f64') return encodeTime(v.values, v.nulls, n, out, c);
      break;
    case 'VARCHAR':
      if (v.kind === 'str') return encodeStr(v.codes, v.dict, v.nulls, n, out, c);
      break;
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      if (v.kind === 'str') return encodeStr(v.codes, mapDict(v.dict, v.codes, v.nulls, n, prettyJson), v.nulls, n, out, c);
      break;
    case 'BINARY':
      if (v.kind === 'str') return encodeStr(v.codes, mapDict(v.dict, v.codes, v.nulls, n, hexOfBytes), v.nulls, n, out, c);
      break;
  }
  throw new InternalError(`cannot encode a '${v.kind}' vector as ${type.kind}`);
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const ZEROS = '000000000000000';
/** Below this magnitude q * 10^s and the remainder below are exact in a double. */
const FAST_LIMIT = 2 ** 52;

/**
 * formatDecimal(scaled, scale) for a scaled integer held in a double, without a BigInt per
 * value: split into quotient and remainder by 10^scale in float arithmetic (exact below
 * 2^52; one correction step fixes a quotient rounded across an integer boundary).
 */
export function scaledF64ToDecimal(scaled: number, scale: number): string {
  const neg = scaled < 0;
  const abs = neg ? -scaled : scaled;
  if (scale === 0 && abs < 1e21) return String(scaled === 0 ? 0 : scaled);
  if (scale > 15 || abs >= FAST_LIMIT) return formatDecimal(BigInt(scaled), scale);
  const p = POW10[scale]!;
  let q = Math.floor(abs / p);
  let rem = abs - q * p;
  if (rem < 0) {
    q -= 1;
    rem += p;
  } else if (rem >= p) {
    q += 1;
    rem -= p;
  }
  const frac = String(rem);
  return `${neg ? '-' : ''}${q}.${ZEROS.slice(0, scale - frac.length)}${frac}`;
}

/*
 * The kernels below are each the hand-inlined form of
 *   for (r) out[r][c] = nulls?.[r] ? null : text(values[r])
 * written out twice (no-NULL loop, NULL-mask loop) so the NULL test is chosen once per
 * vector and no per-cell closure is called.
 */
function encodeScaledF64(vals: Float64Array, nulls: Uint8Array | null, scale: number, n: number, out: Cell[][], c: number): number {
  let size = 0;
  if (nulls === null) {
    for (let r = 0; r < n; r++) {
      const s = scaledF64ToDecimal(vals[r]!, scale);
      out[r]![c] = s;
      size += s.length + 2;
    }
  } else {
    for (let r = 0; r < n; r++) {
      if (nulls[r]) {
        out[r]![c] = null;
        size += 4;
      } else {
        const s = scaledF64ToDecimal(vals[r]!, scale);
        out[r]![c] = s;
        size += s.length + 2;
      }
    }
  }
  return size;
}

function encodeScaledBig(vals: bigint[], nulls: Uint8Array | null, scale: number, n: number, out: Cell[][], c: number): number {
  let size = 0;
  if (nulls === null) {
    for (let r = 0; r < n; r++) {
      const s = formatDecimal(vals[r]!, scale);
      out[r]![c] = s;
      size += s.length + 2;
    }
  } else {
    for (let r = 0; r < n; r++) {
      if (nulls[r]) {
        out[r]![c] = null;
        size += 4;
      } else {
        const s = formatDecimal(vals[r]!, scale);
        out[r]![c] = s;
        size += s.length + 2;
      }
    }
  }
  return size;
}

function floatText(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

function encodeFloat(vals: Float64Array, nulls: Uint8Array | null, n: number, out: Cell[][], c: number): number {
  let size = 0;
  if (nulls === null) {
    for (let r = 0; r < n; r++) {
      const s = floatText(vals[r]!);
      out[r]![c] = s;
      size += s.length + 2;
    }
  } else {
    for (let r = 0; r < n; r++) {
      if (nulls[r]) {
        out[r]![c] = null;
        size += 4;
      } else {
        const s = floatText(vals[r]!);
        out[r]![c] = s;
        size += s.length + 2;
      }
    }
  }
  return size;
}

function encodeBool(vals: Uint8Array, nulls: Uint8Array | null, n: number, out: Cell[][], c: number): number {
  let size = 0;
  if (nulls === null) {
    for (let r = 0; r < n; r++) {
      const t = vals[r] !== 0;
      out[r]![c] = t ? 'true' : 'false';
      size += t ? 6 : 7;
    }
  } else {
    for (let r = 0; r < n; r++) {
      if (nulls[r]) {
        out[r]![c] = null;
        size += 4;
      } else {
        const t = vals[r] !== 0;
        out[r]![c] = t ? 'true' : 'false';
        size += t ? 6 : 7;
      }
    }
  }
  return size;
}

function encodeDate(vals: Int32Array, nulls: Uint8Array | null, n: number, out: Cell[][], c: number): number {
  let size = 0;
  if (nulls === null) {
    for (let r = 0; r < n; r++) {
      const s = String(vals[r]!);
      out[r]![c] = s;
      size += s.length + 2;
    }
  } else {
    for (let r = 0; r < n; r++) {
      if (nulls[r]) {
        out[r]![c] = null;
        size += 4;
      } else {
        const s = String(vals[r]!);
        out[r]![c] = s;
        size += s.length + 2;
      }
    }
  }
  return size;
}

/**
 * Epoch seconds with 9 fraction digits, exact (formatEpochSeconds9 per value); with `withOffset`
 * (TIMESTAMP_TZ) followed by ' <tzIndex>', tzIndex = offset minutes + 1440 (Snowflake's
 * documented form, what snowflake-sdk's convertRawTimestampTz reads).
 */
function encodeTimestamp(v: TsVector, n: number, out: Cell[][], c: number, withOffset = false): number {
  const { secs, nanos, nulls, offsets } = v;
  let size = 0;
  for (let r = 0; r < n; r++) {
    if (nulls !== null && nulls[r]) {
      out[r]![c] = null;
      size += 4;
    } else {
      const epoch = formatEpochSeconds9(secs[r]!, nanos[r]!);
      const s = withOffset ? `${epoch} ${(offsets ? offsets[r]! : 0) + 1440}` : epoch;
      out[r]![c] = s;
      size += s.length + 2;
    }
  }
  return size;
}

/** TIME: seconds since midnight with 9 fraction digits ("36672.123456789"), as the SQL API sends it. */
function encodeTime(vals: Float64Array, nulls: Uint8Array | null, n: number, out: Cell[][], c: number): number {
  let size = 0;
  for (let r = 0; r < n; r++) {
    if (nulls !== null && nulls[r]) {
      out[r]![c] = null;
      size += 4;
    } else {
      const s = formatTimeSeconds(vals[r]!, 9);
      out[r]![c] = s;
      size += s.length + 2;
    }
  }
  return size;
}

/** Snowflake's rowType names of the semi-structured types. */
const SEMI_ROW_TYPES = { VARIANT: 'variant', OBJECT: 'object', ARRAY: 'array' } as const;

/**
 * The dictionary with every entry a row uses mapped once: VARIANTs pretty-printed as Snowflake
 * shows them, BINARY values as hex.
 */
function mapDict(dict: string[], codes: Int32Array, nulls: Uint8Array | null, n: number, map: (s: string) => string): string[] {
  const out = new Array<string>(dict.length);
  for (let r = 0; r < n; r++) {
    if (nulls !== null && nulls[r]) continue;
    const k = codes[r]!;
    if (out[k] === undefined) out[k] = map(dict[k]!);
  }
  return out;
}

function encodeStr(codes: Int32Array, dict: string[], nulls: Uint8Array | null, n: number, out: Cell[][], c: number): number {
  let size = 0;
  if (nulls === null) {
    for (let r = 0; r < n; r++) {
      const s = dict[codes[r]!]!;
      out[r]![c] = s;
      size += s.length + 2;
    }
  } else {
    for (let r = 0; r < n; r++) {
      if (nulls[r]) {
        out[r]![c] = null;
        size += 4;
      } else {
        const s = dict[codes[r]!]!;
        out[r]![c] = s;
        size += s.length + 2;
      }
    }
  }
  return size;
}

/** The context an answer reports: the session's names and current role, never its user. */
function publicContext(c: SessionContext): SessionContext {
  return { database: c.database, schema: c.schema, warehouse: c.warehouse, ...(c.role !== undefined ? { role: c.role } : {}) };
}
