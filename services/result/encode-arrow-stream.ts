/**
 * Encodes a result (columns + batches) as an Apache Arrow IPC stream, the answer to
 * `Accept: application/vnd.apache.arrow.stream`: for the notebook page and any client that
 * prefers columns to jsonv2's strings.
 *
 * Contract:
 * - The pieces, concatenated, are one IPC stream: the schema message, one record batch per
 *   non-empty Firn batch (in order), then the end-of-stream marker. Nothing is held beyond the
 *   batch being encoded, so a result of any size streams.
 * - Types are exact (the field's metadata 'firn.type' also keeps the Firn type as JSON):
 *     NUMBER(p,0), p <= 18  -> Int64            (every value fits: |v| < 10^18 < 2^63)
 *     other NUMBER(p,s)     -> Decimal128(p, s) (the scaled integer, exactly)
 *     FLOAT                 -> Float64
 *     VARCHAR               -> Utf8
 *     VARIANT/OBJECT/ARRAY  -> Utf8: the JSON as Snowflake prints it (as the JSON rowset sends it)
 *     BINARY                -> Binary (the bytes)
 *     BOOLEAN               -> Bool
 *     DATE                  -> Date32 (DateDay)
 *     TIMESTAMP_NTZ(p)      -> Timestamp without time zone, in the unit of its scale:
 *                              SECOND (p = 0), MILLISECOND (1-3), MICROSECOND (4-6),
 *                              NANOSECOND (7-9); a value outside that unit's int64 range
 *                              (nanoseconds: 1677-09-21..2262-04-11) is DATETIME_OUT_OF_RANGE
 *     TIME(p)               -> Time64(NANOSECOND): nanoseconds since midnight, whatever p
 *     NULL (untyped)        -> Null
 * - Kernels write each column's typed arrays once per batch (no per-row objects, no BigInt).
 */
import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int64,
  makeData,
  Null,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  TimeNanosecond,
  Utf8,
  tableToIPC,
  type Data,
  type DataType as ArrowType,
} from 'apache-arrow';
import { InternalError } from '../../storage/errors/firn-error.js';
import { timestampPrecision, type DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import { FIRN_TYPE_KEY } from '../../storage/arrow/column-field.js';
import { strToUtf8Data, tsToWords, vectorToArrowData } from '../../storage/arrow/vector-arrow.js';
import { prettyJson } from '../../storage/types/variant-json.js';
import { nullsToValidity } from '../../storage/arrow/validity.js';

export const ARROW_STREAM_MEDIA_TYPE = 'application/vnd.apache.arrow.stream';

/** The largest NUMBER precision (scale 0) sent as Int64: every 18-digit integer fits. */
const MAX_INT64_PRECISION = 18;
const TWO32 = 4294967296;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyData = Data<any>;

/** The Arrow type a result column of `type` is sent as (see the module comment). */
export function resultArrowType(type: DataType): ArrowType {
  switch (type.kind) {
    case 'BOOLEAN':
      return new Bool();
    case 'NUMBER':
      return type.scale === 0 && type.precision <= MAX_INT64_PRECISION ? new Int64() : new Decimal(type.scale, type.precision, 128);
    case 'FLOAT':
      return new Float64();
    case 'VARCHAR':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return new Utf8();
    case 'DATE':
      return new DateDay();
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ': {
      // LTZ and TZ are instants: Arrow's timestamp with time zone UTC (a TZ's own offset is not sent).
      const tz = type.kind === 'TIMESTAMP_NTZ' ? undefined : 'UTC';
      const p = timestampPrecision(type);
      if (p === 0) return new TimestampSecond(tz);
      if (p <= 3) return new TimestampMillisecond(tz);
      if (p <= 6) return new TimestampMicrosecond(tz);
      return new TimestampNanosecond(tz);
    }
    case 'TIME':
      return new TimeNanosecond();
    case 'BINARY':
      return new Binary();
    case 'NULL':
      return new Null();
  }
}

/** The result's Arrow schema: one nullable-as-declared field per column, the Firn type in its metadata. */
export function resultArrowSchema(columns: readonly Column[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, resultArrowType(c.type), c.nullable, new Map([[FIRN_TYPE_KEY, JSON.stringify(c.type)]]))));
}

/** Units per second of a TIMESTAMP_NTZ(p) column's Arrow unit. */
function unitsPerSecond(type: DataType): number {
  const p = timestampPrecision(type);
  return p === 0 ? 1 : p <= 3 ? 1_000 : p <= 6 ? 1_000_000 : 1_000_000_000;
}

/** Little-endian int64 words of integral doubles (|v| <= 2^53): hi = floor(v / 2^32), lo the rest. */
function integersToInt64Words(values: Float64Array, length: number): Uint32Array {
  const words = new Uint32Array(length * 2);
  for (let i = 0, o = 0; i < length; i++, o += 2) {
    const v = values[i];
    const hi = Math.floor(v / TWO32);
    words[o] = v - hi * TWO32;
    words[o + 1] = hi;
  }
  return words;
}

/** Little-endian int64 words of scaled bigints that fit in int64 (NUMBER(p<=18, 0)). */
function bigintsToInt64Words(values: readonly bigint[], length: number): Uint32Array {
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) out[i] = values[i] ?? 0n;
  return new Uint32Array(out.buffer);
}

/** One column of one batch as Arrow data of resultArrowType(type). */
export function resultColumnData(vec: Vector, type: DataType): AnyData {
  const { length } = vec;
  const arrowType = resultArrowType(type);
  switch (type.kind) {
    case 'VARCHAR': {
      if (vec.kind !== 'str') break;
      const { bitmap, nullCount } = nullsToValidity(vec.nulls, length);
      return strToUtf8Data(vec, bitmap, nullCount);
    }
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY': {
      if (vec.kind !== 'str') break;
      const { bitmap, nullCount } = nullsToValidity(vec.nulls, length);
      // The JSON as Snowflake prints it (as in the JSON rowset), each dictionary entry once.
      const dict = vec.dict.map(prettyJson);
      return strToUtf8Data({ ...vec, dict }, bitmap, nullCount);
    }
    case 'NUMBER': {
      if (!(arrowType instanceof Int64)) return vectorToArrowData(vec, type, arrowType);
      const { bitmap, nullCount } = nullsToValidity(vec.nulls, length);
      let words: Uint32Array;
      if (vec.kind === 'f64') words = integersToInt64Words(vec.values, length);
      else if (vec.kind === 'dec') words = bigintsToInt64Words(vec.values, length);
      else break;
      return makeData({ type: arrowType, length, nullCount, nullBitmap: bitmap, data: new BigInt64Array(words.buffer, words.byteOffset, length) });
    }
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ': {
      if (vec.kind !== 'ts') break;
      const { bitmap, nullCount } = nullsToValidity(vec.nulls, length);
      const words = tsToWords(vec, unitsPerSecond(type), 2);
      return makeData({ type: arrowType as TimestampSecond, length, nullCount, nullBitmap: bitmap, data: new BigInt64Array(words.buffer, words.byteOffset, length) });
    }
    default:
      return vectorToArrowData(vec, type, arrowType);
  }
  throw new InternalError(`a '${vec.kind}' vector cannot hold ${type.kind}`);
}

/** One Firn batch as an Arrow record batch of `schema`. */
export function resultRecordBatch(schema: Schema, columns: readonly Column[], batch: Batch): RecordBatch {
  if (batch.columns.length !== columns.length) throw new InternalError(`batch has ${batch.columns.length} columns, the result ${columns.length}`);
  const children = columns.map((c, i) => {
    const vec = batch.columns[i];
    if (vec.length !== batch.length) throw new InternalError(`column ${c.name} has ${vec.length} rows, batch has ${batch.length}`);
    return resultColumnData(vec, c.type);
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.length, nullCount: 0, children }));
}

/**
 * The IPC stream of a result, piece by piece: the schema message first, then each batch's
 * record batch message, then the end-of-stream marker (see the module comment).
 * Each record batch is written with the schema by the IPC writer, and the schema's bytes
 * (the same every time: no dictionaries) are cut off all but the first.
 */
export async function* encodeArrowStream(columns: readonly Column[], batches: AsyncIterable<Batch> | Iterable<Batch>): AsyncGenerator<Uint8Array> {
  const schema = resultArrowSchema(columns);
  const empty = tableToIPC(new Table(schema), 'stream');
  const eos = 8;
  const schemaBytes = empty.byteLength - eos;
  yield empty.subarray(0, schemaBytes);
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const bytes = tableToIPC(new Table([resultRecordBatch(schema, columns, batch)]), 'stream');
    yield bytes.subarray(schemaBytes, bytes.byteLength - eos);
  }
  yield empty.subarray(schemaBytes);
}
