/**
 * Reads micro-partitions (and, for COPY INTO, Parquet files written elsewhere) into Firn
 * vectors, decoding only the columns asked for.
 *
 * Contract:
 *  - readPartitionColumns(bytes, columns, wanted, objectKey) returns a Batch whose column j is
 *    table column columns[wanted[j]], decoded from the partition's column of that name and
 *    converted to that column's type. Only the wanted column chunks are copied into
 *    parquet-wasm and decoded (the file is sliced in JS, see arrow/parquet-footer.ts). An empty
 *    `wanted` gives a batch with the row count and no columns, without decoding anything.
 *  - readParquetFile(bytes, name) opens any flat Parquet file: `columns` come from its Arrow
 *    schema, each type from the field's Firn type when the file is a Firn partition, else from
 *    the Arrow type (vector-arrow.firnTypeFromArrow; unsupported -> LoadError NOT_SUPPORTED);
 *    batches(types?, groups?) yields one Batch per row group (or per row group of `groups`, in
 *    that order; `rowGroupRows` gives their sizes), decoded only when reached and converted
 *    to `types` (e.g. the target table's column types, with arrowToVector's conversions and
 *    errors) or to `columns`' types; mostly distinct strings keep their UTF-8 bytes
 *    as bytes (utf8-dict.ts: it is COPY's reader, whose rows are written again soon).
 *    close() is kept for callers; nothing needs releasing.
 *    Columns are found by `name`: a table's partitions name their fields by the columns'
 *    physical names (services passes those, not the SQL names).
 *  - A wanted column the partition does not hold reads as a constant vector of
 *    `absent[i].value` (constant-vector.ts; null: all NULL) when `absent[i]` is given: a
 *    column added by ALTER TABLE after the partition was written. Without it, it is corrupt.
 *  - Corrupt or truncated bytes, or a partition missing a wanted column it must hold, ->
 *    LoadError FILE_CORRUPT naming the object; a newer partition format -> LoadError NOT_SUPPORTED.
 */
import { tableFromIPC, type Data, type Table as ArrowTable } from 'apache-arrow';
import { FirnError, LoadError } from '../errors/firn-error.js';
import type { DataType } from '../types/data-type.js';
import type { Column } from '../types/schema.js';
import type { Batch, Vector } from '../types/vector.js';
import type { Scalar } from '../types/scalar.js';
import { constantVector } from '../types/constant-vector.js';
import { ARROW_SCHEMA_KEY, decodeArrowSchema, projectArrowSchema } from '../arrow/arrow-schema-metadata.js';
import { firnTypeOfField } from '../arrow/column-field.js';
import { concatVectors } from '../arrow/concat-vectors.js';
import { readParquetFooter, sliceParquet, type ParquetFooter } from '../arrow/parquet-footer.js';
import { parquetWasm } from '../arrow/parquet-wasm.js';
import { arrowToVector, emptyVector, firnTypeFromArrow } from '../arrow/vector-arrow.js';
import { FORMAT_KEY, PARTITION_FORMAT_VERSION, READABLE_FORMAT_VERSIONS } from './partition-writer.js';
import { clipValue } from '../errors/clip-value.js';
import { isShreddedName } from './shredded-path.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyData = Data<any>;

/** Runs a decoding step, turning failures other than FirnErrors into FILE_CORRUPT. */
function guarded<T>(objectKey: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof FirnError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new LoadError('FILE_CORRUPT', `file ${clipValue(objectKey)} is corrupt: ${clipValue(detail)}`);
  }
}

function openFooter(bytes: Uint8Array, objectKey: string): ParquetFooter {
  const footer = guarded(objectKey, () => readParquetFooter(bytes, objectKey));
  const format = footer.keyValue.get(FORMAT_KEY);
  if (format !== undefined && !READABLE_FORMAT_VERSIONS.includes(format)) {
    throw new LoadError('NOT_SUPPORTED', `file ${objectKey} has Firn format version ${format}; this Firn reads version ${PARTITION_FORMAT_VERSION}`);
  }
  return footer;
}

/**
 * Decodes a (sliced) Parquet file with parquet-wasm into Arrow tables, one per record batch:
 * each goes through its own IPC stream because apache-arrow's reader ignores replacement
 * dictionaries, and row groups carry different dictionaries for one column.
 */
function decode(file: Uint8Array, rows: number, objectKey: string): ArrowTable[] {
  return guarded(objectKey, () => {
    const wasmTable = parquetWasm().readParquet(file, { batchSize: Math.max(1, rows) });
    try {
      return wasmTable.recordBatches().map((rb) => tableFromIPC(rb.intoIPCStream()));
    } finally {
      wasmTable.free();
    }
  });
}

function columnOf(tables: ArrowTable[], name: string, objectKey: string): AnyData[] {
  const chunks: AnyData[] = [];
  for (const t of tables) {
    const k = t.schema.fields.findIndex((f) => f.name === name);
    if (k < 0) throw new LoadError('FILE_CORRUPT', `file ${objectKey} has no column ${name}`);
    for (const b of t.batches) chunks.push(b.data.children[k] as AnyData);
  }
  return chunks;
}

function toVector(chunks: AnyData[], type: DataType, what: string, keepUtf8 = false): Vector {
  if (chunks.length === 0) return emptyVector(type);
  return concatVectors(chunks.map((d) => arrowToVector(d, type, what, { keepUtf8 })));
}

/** What a column a partition may lack reads as (see readPartitionColumns). */
export type AbsentColumn = { value: Scalar };

export function readPartitionColumns(
  bytes: Uint8Array,
  columns: Column[],
  wanted: number[],
  objectKey = 'partition',
  absent?: readonly (AbsentColumn | null | undefined)[],
): Batch {
  const footer = openFooter(bytes, objectKey);
  if (wanted.length === 0) return { length: footer.numRows, columns: [] };
  const leafNames = footer.leafNames;
  if (leafNames === null) throw new LoadError('FILE_CORRUPT', `file ${objectKey} has a nested schema; it is not a Firn partition`);
  const held: number[] = [];
  const leaves: number[] = [];
  for (const i of new Set(wanted)) {
    const leaf = leafNames.indexOf(columns[i].name);
    if (leaf >= 0) {
      held.push(i);
      leaves.push(leaf);
    } else if (!absent?.[i]) throw new LoadError('FILE_CORRUPT', `file ${objectKey} has no column ${columns[i].name}`);
  }
  const decoded = new Map<number, Vector>();
  if (leaves.length > 0) {
    leaves.sort((a, b) => a - b);
    const entry = footer.keyValue.get(ARROW_SCHEMA_KEY);
    const arrowSchema = entry === undefined ? null : projectArrowSchema(entry, leaves);
    const sliced = guarded(objectKey, () => sliceParquet(footer, { columns: leaves, arrowSchema }));
    const tables = decode(sliced, Math.max(0, ...footer.rowGroups.map((g) => g.numRows)), objectKey);
    for (const i of held) {
      const v = toVector(columnOf(tables, columns[i].name, objectKey), columns[i].type, `column ${columns[i].name} of ${objectKey}`);
      if (v.length !== footer.numRows) throw new LoadError('FILE_CORRUPT', `file ${objectKey} decoded ${v.length} rows, its footer says ${footer.numRows}`);
      decoded.set(i, v);
    }
  }
  const out = wanted.map((i) => decoded.get(i) ?? constantVector(absent![i]!.value, columns[i].type, footer.numRows));
  return { length: footer.numRows, columns: out };
}

export type ParquetFileContents = {
  columns: Column[];
  rowCount: number;
  rowGroupCount: number;
  /** Rows of each row group. */
  rowGroupRows: number[];
  /** One batch per row group (default all, else those of `groups`), converted to `types` (default: the types of `columns`). */
  batches(types?: DataType[], groups?: readonly number[]): Iterable<Batch>;
  close(): void;
};

function schemaColumns(footer: ParquetFooter, name: string): Column[] {
  const entry = footer.keyValue.get(ARROW_SCHEMA_KEY);
  const schema =
    (entry === undefined ? null : decodeArrowSchema(entry)) ??
    guarded(name, () => tableFromIPC(parquetWasm().readSchema(sliceParquet(footer, { rowGroups: [] })).intoIPCStream()).schema);
  // A Firn partition's shredded sub-columns (shredded-path.ts) are no columns of the file.
  const fields = footer.keyValue.has(FORMAT_KEY) ? schema.fields.filter((f) => !isShreddedName(f.name)) : schema.fields;
  return fields.map((field) => {
    const what = `column ${field.name} of ${name}`;
    return { name: field.name, type: firnTypeOfField(field, what) ?? firnTypeFromArrow(field.type, what), nullable: field.nullable };
  });
}

export function readParquetFile(bytes: Uint8Array, name = 'file'): ParquetFileContents {
  const footer = openFooter(bytes, name);
  const columns = schemaColumns(footer, name);
  return {
    columns,
    rowCount: footer.numRows,
    rowGroupCount: footer.rowGroups.length,
    rowGroupRows: footer.rowGroups.map((g) => g.numRows),
    close: () => undefined,
    batches: (types = columns.map((c) => c.type), groups = footer.rowGroups.map((_, g) => g)) => ({
      *[Symbol.iterator](): Generator<Batch> {
        for (const g of groups) {
          const rows = footer.rowGroups[g].numRows;
          const tables = decode(guarded(name, () => sliceParquet(footer, { rowGroups: [g] })), rows, name);
          const vectors = columns.map((c, i) => toVector(columnOf(tables, c.name, name), types[i], `column ${c.name} of ${name}`, true));
          yield { length: rows, columns: vectors };
        }
      },
    }),
  };
}
