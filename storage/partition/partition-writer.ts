/**
 * Writes one micro-partition: a batch of a table's rows as ONE immutable Parquet object, plus
 * its exact zone map.
 *
 * Contract: writePartition(columns, batch, opts) returns the Parquet bytes and the zone map
 * (byteSize = the object's size). Columns are written with the logical Arrow types of
 * vector-arrow.ts (so other engines read them as decimals, dates, timestamps, strings).
 * A VARCHAR column that repeats (few distinct values in under 1 MB) is written as
 * Dictionary<Utf8> with Parquet dictionary encoding, so it reads back as codes + dict with no
 * hashing; any other VARCHAR column is written as plain Utf8 without a Parquet dictionary
 * (parquet-wasm decodes a high-cardinality dictionary column ~10x slower than plain).
 * A NUMBER or DATE column gets a Parquet dictionary only when its zone map's range holds at
 * most a quarter as many values as the batch has rows (TPC-H's keys, prices and the like are
 * written plain: parquet-wasm spends 2-4x as long building a dictionary it then abandons, and
 * the plain Snappy pages come out smaller). No Parquet statistics are written: zone maps in the
 * catalog are Firn's statistics, and computing them again costs ~15% of the encode.
 * Compression is Snappy by default (measured in parquet-wasm 0.7.1 on 1M rows: Snappy and
 * LZ4_RAW decode 2-5x faster than ZSTD, ZSTD files are ~2x smaller), in row groups of
 * `rowGroupRows` (default: the whole batch in one row group). The Parquet key-value metadata
 * holds, in this order, 'firn.format' = PARTITION_FORMAT_VERSION, 'firn.columns' (the Firn
 * columns as JSON) and the Arrow schema ('ARROW:schema'), in which every field also keeps its
 * Firn type ('firn.type'). parquet-wasm orders key-value entries through a hash map, so the
 * writer puts them back in that order: equal batches give byte-identical files. A NULL in a
 * NOT NULL column is a DataError NULL_NOT_ALLOWED.
 * With `shredded` (table writes only: write-micro-partitions.ts), the typed sub-columns of
 * VARIANT paths follow the table's columns as extra fields (shredded-path.ts) and the zone map
 * lists them under `shredded`; 'firn.columns' still lists the table's columns only.
 * Path: Firn vectors -> apache-arrow RecordBatch -> IPC stream -> parquet-wasm Table -> writeParquet.
 */
import { makeData, RecordBatch, Schema, Struct, Table, type Data, type Field } from 'apache-arrow';
import { tableToIpcScratch } from '../arrow/ipc-scratch.js';
import { DataError, InternalError } from '../errors/firn-error.js';
import type { Column } from '../types/schema.js';
import { isSemiStructured } from '../types/data-type.js';
import type { Batch, StrVector, Vector } from '../types/vector.js';
import { columnToField } from '../arrow/column-field.js';
import { orderKeyValueMetadata } from '../arrow/parquet-footer.js';
import { parquetWasm } from '../arrow/parquet-wasm.js';
import { strToUtf8Data, vectorToArrowData } from '../arrow/vector-arrow.js';
import { utf8DictOf } from '../arrow/utf8-dict.js';
import { utf16Length, type Utf8Strings } from '../arrow/utf8-strings.js';
import { nullsToValidity } from '../arrow/validity.js';
import { computeColumnZone, computeZoneMap } from './compute-zone-map.js';
import { isShreddedName, shreddedName, type ShreddedPath } from './shredded-path.js';
import type { ColumnZone, ZoneMap } from './zone-map.js';
import type { DataType } from '../types/data-type.js';

/**
 * 2: TIMESTAMP_NTZ columns holding sub-microsecond values are Decimal128(38, 9) epoch seconds
 * (vector-arrow.ts). Version 1 partitions (timestamps always int64 microseconds) read as is.
 */
export const PARTITION_FORMAT_VERSION = '2';
/** Older partition format versions this Firn still reads. */
export const READABLE_FORMAT_VERSIONS: readonly string[] = ['1', PARTITION_FORMAT_VERSION];
export const FORMAT_KEY = 'firn.format';
export const COLUMNS_KEY = 'firn.columns';

export const PartitionCompression = { ZSTD: 'zstd', SNAPPY: 'snappy', LZ4: 'lz4', NONE: 'none' } as const;
export type PartitionCompression = (typeof PartitionCompression)[keyof typeof PartitionCompression];

export type WritePartitionOptions = {
  /** Rows per Parquet row group; default: all rows in one row group. */
  rowGroupRows?: number;
  /** Default Snappy (see the measurements above). */
  compression?: PartitionCompression;
  /**
   * Typed sub-columns of VARIANT paths (shredded-path.ts), written after the table's columns
   * and listed in the zone map's `shredded` with their zones; never set for files leaving Firn.
   */
  shredded?: readonly ShreddedColumn[];
};

/** One shredded path's sub-column as the writer takes it: its vector of `batch.length` rows. */
export type ShreddedColumn = { column: string; path: string[]; type: DataType; others: number; vector: Vector };

/** Parquet's default dictionary page limit: a larger dictionary falls back to plain pages. */
const DICTIONARY_BYTES = 1 << 20;

/** True when a 'str' vector repeats: at most half as many distinct entries as rows, in under 1 MB. */
function repeats(vec: StrVector): boolean {
  const enc = utf8DictOf(vec);
  if (enc !== undefined) return utf8Repeats(vec, enc);
  const used = new Uint8Array(vec.dict.length);
  let count = 0;
  let chars = 0;
  for (let i = 0; i < vec.length; i++) {
    if (vec.nulls !== null && vec.nulls[i] !== 0) continue;
    const c = vec.codes[i];
    if (used[c] === 0) {
      used[c] = 1;
      count++;
      chars += vec.dict[c].length;
      if (count * 2 > vec.length || chars > DICTIONARY_BYTES) return false;
    }
  }
  return true;
}

/**
 * repeats() of a dict held as UTF-8 (utf8-dict.ts), without decoding it and with the same
 * answer: entries are summed in bytes, an upper bound of their UTF-16 length, and only once
 * that bound passes DICTIONARY_BYTES are the used entries counted in UTF-16 units.
 */
function utf8Repeats(vec: StrVector, enc: Utf8Strings): boolean {
  const { codes, nulls, length } = vec;
  const { offsets, bytes } = enc;
  const used = new Uint8Array(offsets.length - 1);
  let count = 0;
  let size = 0;
  let exact = false;
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const c = codes[i];
    if (used[c] !== 0) continue;
    used[c] = 1;
    count++;
    if (count * 2 > length) return false;
    size += exact ? utf16Length(bytes, offsets[c], offsets[c + 1]) : offsets[c + 1] - offsets[c];
    if (size > DICTIONARY_BYTES && !exact) {
      exact = true;
      size = 0;
      for (let k = 0; k < used.length; k++) if (used[k] !== 0) size += utf16Length(bytes, offsets[k], offsets[k + 1]);
    }
    if (size > DICTIONARY_BYTES) return false;
  }
  return true;
}

/** Distinct values a NUMBER or DATE column may span, per row, and still get a Parquet dictionary. */
const DICTIONARY_RANGE_PER_ROW = 0.25;

/** False when the zone proves a NUMBER / DATE column spans too many values for a dictionary to pay. */
function rangeFitsDictionary(type: DataType, zone: ColumnZone, rows: number): boolean {
  if (type.kind !== 'NUMBER' && type.kind !== 'DATE') return true;
  if (zone.min === null || zone.max === null) return true;
  const span = Number(zone.max) - Number(zone.min) + 1;
  return span <= rows * DICTIONARY_RANGE_PER_ROW;
}

function checkNotNull(columns: Column[], batch: Batch): void {
  for (let c = 0; c < columns.length; c++) {
    const nulls = batch.columns[c].nulls;
    if (columns[c].nullable || nulls === null) continue;
    for (let i = 0; i < batch.length; i++) {
      if (nulls[i] !== 0) throw new DataError('NULL_NOT_ALLOWED', `NULL result in a non-nullable column ${columns[c].name}`);
    }
  }
}

export function writePartition(columns: Column[], batch: Batch, opts: WritePartitionOptions = {}): { bytes: Uint8Array; zoneMap: ZoneMap } {
  if (columns.length !== batch.columns.length) {
    throw new InternalError(`batch has ${batch.columns.length} columns, table has ${columns.length}`);
  }
  if (columns.length === 0) throw new InternalError('a partition needs at least one column');
  checkNotNull(columns, batch);
  const zoneMap = computeZoneMap(columns, batch, 0);
  const fields: Field[] = [];
  const noDictionary: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const children: Data<any>[] = [];
  for (let c = 0; c < columns.length; c++) {
    const vec = batch.columns[c];
    if (vec.length !== batch.length) throw new InternalError(`column ${columns[c].name} has ${vec.length} rows, batch has ${batch.length}`);
    let data: Data<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (vec.kind === 'str' && (columns[c].type.kind === 'VARCHAR' || isSemiStructured(columns[c].type)) && !repeats(vec)) {
      const { bitmap, nullCount } = nullsToValidity(vec.nulls, vec.length);
      data = strToUtf8Data(vec, bitmap, nullCount);
      noDictionary.push(columns[c].name);
    } else {
      data = vectorToArrowData(vec, columns[c].type);
      if (!rangeFitsDictionary(columns[c].type, zoneMap.columns[columns[c].name], batch.length)) noDictionary.push(columns[c].name);
    }
    children.push(data);
    fields.push(columnToField(columns[c], data.type));
  }
  const shredded = opts.shredded ?? [];
  if (shredded.length > 0) {
    if (columns.some((c) => isShreddedName(c.name))) throw new InternalError('a column name holds the shredded-path separator');
    const entries: Record<string, ShreddedPath> = {};
    for (const s of shredded) {
      const name = shreddedName(s.column, s.path, s.type);
      if (s.vector.length !== batch.length || entries[name] !== undefined) throw new InternalError(`shredded path ${name} is malformed or repeated`);
      const zone = computeColumnZone(s.vector, s.type);
      entries[name] = { column: s.column, path: s.path, type: s.type, others: s.others, zone };
      const column: Column = { name, type: s.type, nullable: true };
      let data: Data<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (s.vector.kind === 'str' && !repeats(s.vector)) {
        const { bitmap, nullCount } = nullsToValidity(s.vector.nulls, s.vector.length);
        data = strToUtf8Data(s.vector, bitmap, nullCount);
        noDictionary.push(name);
      } else {
        data = vectorToArrowData(s.vector, s.type);
        if (!rangeFitsDictionary(s.type, zone, batch.length)) noDictionary.push(name);
      }
      children.push(data);
      fields.push(columnToField(column, data.type));
    }
    zoneMap.shredded = entries;
  }
  const schema = new Schema(fields);
  const ipc = tableToIpcScratch(new Table([new RecordBatch(schema, makeData({ type: new Struct(fields), length: batch.length, nullCount: 0, children }))]));

  const pw = parquetWasm();
  const compression = {
    zstd: pw.Compression.ZSTD,
    snappy: pw.Compression.SNAPPY,
    lz4: pw.Compression.LZ4_RAW,
    none: pw.Compression.UNCOMPRESSED,
  }[opts.compression ?? PartitionCompression.SNAPPY];
  const rowGroupRows = Math.max(1, Math.floor(opts.rowGroupRows ?? batch.length));
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(compression)
    .setMaxRowGroupSize(rowGroupRows)
    .setStatisticsEnabled(pw.EnabledStatistics.None)
    .setCreatedBy('firn')
    .setKeyValueMetadata(new Map([
      [FORMAT_KEY, PARTITION_FORMAT_VERSION],
      [COLUMNS_KEY, JSON.stringify(columns)],
    ]));
  for (const name of noDictionary) builder = builder.setColumnDictionaryEnabled(name, false);
  const props = builder.build();
  const bytes = pw.writeParquet(pw.Table.fromIPCStream(ipc), props);
  orderKeyValueMetadata(bytes, [FORMAT_KEY, COLUMNS_KEY]);
  return { bytes, zoneMap: { ...zoneMap, byteSize: bytes.byteLength } };
}
