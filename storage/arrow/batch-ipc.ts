/**
 * Batches <-> Arrow IPC stream bytes: what workers send back to services (as a transferred
 * ArrayBuffer) and what the SSD column cache stores.
 *
 * Contract: the codec is lossless for Firn batches. Each vector travels in its physical form
 * with the least re-encoding: 'f64' as Float64 and 'i32' as Int32 (buffers copied once by the
 * IPC writer, read back as zero-copy views), 'str' as Dictionary<Utf8, Int32> (codes as they
 * are, the dict encoded once), 'dec' as Decimal128, 'bool' as bit-packed Bool, 'ts' as
 * Struct<secs: Float64, nanos: Int32[, offsets: Int16]> (arrays as they are; offsets: TIMESTAMP_TZ). Field metadata
 * keeps each column's Firn DataType ('firn.type') and vector kind ('firn.vector'), so e.g.
 * NUMBER(38,0) with wide values or VARCHAR(10) survive, and decoding gives back the same kinds.
 * Duplicate column names (SELECT a, a) are kept: the repeated field gets a unique name and the
 * column's name in 'firn.name'.
 * Streams written elsewhere (no 'firn.vector') are decoded by logical type (vector-arrow.ts).
 * The returned bytes own their ArrayBuffer exactly (safe to transfer). Malformed bytes ->
 * LoadError FILE_CORRUPT.
 */
import {
  Bool,
  Data,
  Decimal,
  Field as ArrowField,
  Float64,
  Int32,
  Int16,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  type DataType as ArrowType,
  type Field,
} from 'apache-arrow';
import { FirnError, InternalError, LoadError } from '../errors/firn-error.js';
import type { DataType } from '../types/data-type.js';
import type { Column } from '../types/schema.js';
import type { Batch, Vector } from '../types/vector.js';
import { columnToField, firnTypeOfField } from './column-field.js';
import { concatVectors } from './concat-vectors.js';
import { decimal128ToBigInts, decToDecimal128 } from './decimal-words.js';
import { validityToNulls, nullsToValidity, packBits } from './validity.js';
import { arrowToVector, firnTypeFromArrow, strToDictionaryData } from './vector-arrow.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyData = Data<any>;

export const FIRN_VECTOR_KEY = 'firn.vector';
/** The column's name when the field had to be renamed (apache-arrow rejects duplicate names). */
export const FIRN_NAME_KEY = 'firn.name';
const VECTOR_KINDS = new Set(['bool', 'f64', 'i32', 'dec', 'str', 'ts']);

function physicalData(vec: Vector, type: DataType): AnyData {
  const { length } = vec;
  const { bitmap: nullBitmap, nullCount } = nullsToValidity(vec.nulls, length);
  switch (vec.kind) {
    case 'bool':
      return makeData({ type: new Bool(), length, nullCount, nullBitmap, data: packBits(vec.values, length, false) });
    case 'f64':
      return makeData({ type: new Float64(), length, nullCount, nullBitmap, data: vec.values.subarray(0, length) });
    case 'i32':
      return makeData({ type: new Int32(), length, nullCount, nullBitmap, data: vec.values.subarray(0, length) });
    case 'dec': {
      const precision = type.kind === 'NUMBER' ? type.precision : 38;
      const scale = type.kind === 'NUMBER' ? type.scale : 0;
      return makeData({ type: new Decimal(scale, precision, 128), length, nullCount, nullBitmap, data: decToDecimal128(vec.values, vec.nulls, length) });
    }
    case 'str':
      return strToDictionaryData(vec, nullBitmap, nullCount);
    case 'ts': {
      const secs = makeData({ type: new Float64(), length, nullCount: 0, data: vec.secs.subarray(0, length) });
      const nanos = makeData({ type: new Int32(), length, nullCount: 0, data: vec.nanos.subarray(0, length) });
      const fields: ArrowField[] = [new ArrowField('secs', secs.type, false), new ArrowField('nanos', nanos.type, false)];
      if (!vec.offsets) return makeData({ type: new Struct(fields), length, nullCount, nullBitmap, children: [secs, nanos] });
      // TIMESTAMP_TZ: each value's offset in minutes rides along as a third child.
      const offs = makeData({ type: new Int16(), length, nullCount: 0, data: vec.offsets.subarray(0, length) });
      fields.push(new ArrowField('offsets', offs.type, false));
      return makeData({ type: new Struct(fields), length, nullCount, nullBitmap, children: [secs, nanos, offs] });
    }
  }
}

export function encodeBatchIpc(columns: Column[], batch: Batch): Uint8Array {
  if (columns.length !== batch.columns.length) {
    throw new InternalError(`batch has ${batch.columns.length} columns, schema has ${columns.length}`);
  }
  const children: AnyData[] = [];
  const fields: Field[] = [];
  const names = new Set<string>();
  const buffers = new Set<unknown>();
  for (let i = 0; i < columns.length; i++) {
    let vec = batch.columns[i];
    const column = columns[i];
    // apache-arrow's IPC writer mis-sizes the body when one typed array backs two columns
    // (a projection repeating a column, SELECT a, a): a repeat gets its own copy.
    const values = vec.kind === 'str' ? vec.codes : vec.kind === 'ts' ? vec.secs : vec.values;
    if (buffers.has(values)) {
      if (vec.kind === 'str') vec = { ...vec, codes: vec.codes.slice() };
      else if (vec.kind === 'ts') vec = { ...vec, secs: vec.secs.slice(), nanos: vec.nanos.slice(), ...(vec.offsets ? { offsets: vec.offsets.slice() } : {}) };
      else if (vec.kind !== 'dec') vec = { ...vec, values: vec.values.slice() } as Vector;
    }
    buffers.add(values);
    if (vec.length !== batch.length) throw new InternalError(`column ${column.name} has ${vec.length} rows, batch has ${batch.length}`);
    const data = physicalData(vec, column.type);
    children.push(data);
    const extra: Record<string, string> = { [FIRN_VECTOR_KEY]: vec.kind };
    let fieldName = column.name;
    if (names.has(fieldName)) {
      extra[FIRN_NAME_KEY] = column.name;
      for (let k = i; names.has(fieldName); k++) fieldName = `${column.name}#${k}`;
    }
    names.add(fieldName);
    fields.push(columnToField({ ...column, name: fieldName }, data.type as ArrowType, extra));
  }
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: batch.length, nullCount: 0, children });
  const bytes = tableToIPC(new Table([new RecordBatch(schema, struct)]), 'stream');
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function physicalVector(data: AnyData, kind: string, type: DataType, what: string): Vector {
  const length = data.length;
  switch (kind) {
    case 'f64':
      return { kind: 'f64', length, values: (data.values as Float64Array).subarray(0, length), nulls: validityToNulls(data.nullBitmap, data.offset, length, data.nullCount) };
    case 'i32':
      return { kind: 'i32', length, values: (data.values as Int32Array).subarray(0, length), nulls: validityToNulls(data.nullBitmap, data.offset, length, data.nullCount) };
    case 'dec': {
      const nulls = validityToNulls(data.nullBitmap, data.offset, length, data.nullCount);
      return { kind: 'dec', length, values: decimal128ToBigInts(data.values as Uint32Array, length, nulls), nulls };
    }
    case 'bool':
      return arrowToVector(data, { kind: 'BOOLEAN' }, what);
    case 'ts': {
      const [secs, nanos, offs] = data.children as AnyData[];
      const s = (secs.values as Float64Array).subarray(0, length);
      const ns = (nanos.values as Int32Array).subarray(0, length);
      const nulls = validityToNulls(data.nullBitmap, data.offset, length, data.nullCount);
      if (offs) return { kind: 'ts', length, secs: s, nanos: ns, nulls, offsets: (offs.values as Int16Array).subarray(0, length) };
      return { kind: 'ts', length, secs: s, nanos: ns, nulls };
    }
    default:
      return arrowToVector(data, { kind: 'VARCHAR' }, what);
  }
}

export function decodeBatchIpc(bytes: Uint8Array): { columns: Column[]; batch: Batch } {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new LoadError('FILE_CORRUPT', `malformed Arrow IPC stream: ${err instanceof Error ? err.message : String(err)}`);
  }
  // apache-arrow reads bytes without a schema message as an empty table; Firn streams always
  // hold a schema and a record batch.
  if (table.batches.length === 0 && table.schema.fields.length === 0) throw new LoadError('FILE_CORRUPT', 'malformed Arrow IPC stream: no schema');
  try {
    const fields = table.schema.fields;
    const columns: Column[] = [];
    const vectors: Vector[] = [];
    for (let k = 0; k < fields.length; k++) {
      const field = fields[k];
      const what = `column ${field.name} of an Arrow IPC stream`;
      const type = firnTypeOfField(field, what) ?? firnTypeFromArrow(field.type, what);
      columns.push({ name: field.metadata.get(FIRN_NAME_KEY) ?? field.name, type, nullable: field.nullable });
      const kind = field.metadata.get(FIRN_VECTOR_KEY);
      const chunks = table.batches.map((b) => b.data.children[k] as AnyData);
      if (kind !== undefined && !VECTOR_KINDS.has(kind)) throw new LoadError('FILE_CORRUPT', `${what} has unknown vector kind '${kind}'`);
      const parts = chunks.map((d) => (kind === undefined ? arrowToVector(d, type, what) : physicalVector(d, kind, type, what)));
      vectors.push(parts.length > 0 ? concatVectors(parts) : arrowToVector(table.getChildAt(k)!, type, what));
    }
    return { columns, batch: { length: table.numRows, columns: vectors } };
  } catch (err) {
    if (err instanceof FirnError) throw err;
    throw new LoadError('FILE_CORRUPT', `malformed Arrow IPC stream: ${err instanceof Error ? err.message : String(err)}`);
  }
}
