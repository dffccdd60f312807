/**
 * Reads micro-partitions (and, for COPY INTO, Parquet files written elsewhere) into Firn
 * vectors, decoding only the columns asked for.
 *
 * Contract:
 *  - readPartitionColumns(bytes, columns, wanted, objectKey) resolves to a Batch whose column
 *    j is table column columns[wanted[j]], decoded from the partition's column of that name
 *    and converted to that column's type. Only the wanted column chunks are decompressed and
 *    decoded (parquet-wasm projection), row group by row group. An empty `wanted` gives a
 *    batch with the row count and no columns.
 *  - readParquetFile(bytes, name) opens any Parquet file: `columns` come from its Arrow schema,
 *    each type from the field's Firn type when the file is a Firn partition, else from the
 *    Arrow type (vector-arrow.firnTypeFromArrow; unsupported -> LoadError NOT_SUPPORTED);
 *    batches(types?) yields one Batch per row group, converted to `types` (e.g. the target
 *    table's column types, with arrowToVector's conversions and errors) or to `columns`' types.
 *  - Corrupt or truncated bytes, or a partition missing a wanted column, -> LoadError
 *    FILE_CORRUPT naming the object; a newer partition format -> LoadError NOT_SUPPORTED.
 * Both are async because parquet-wasm 0.7.1 honours column projection only in its async
 * ParquetFile reader (its sync readParquet ignores `columns`).
 */
import { tableFromIPC, type Data, type Table as ArrowTable } from 'apache-arrow';
import type { ParquetFile, RecordBatch as WasmRecordBatch } from 'parquet-wasm/esm';
import { FirnError, LoadError } from '../errors/firn-error.js';
import type { DataType } from '../types/data-type.js';
import type { Column } from '../types/schema.js';
import type { Batch, Vector } from '../types/vector.js';
import { firnTypeOfField } from '../arrow/column-field.js';
import { concatVectors } from '../arrow/concat-vectors.js';
import { parquetWasm } from '../arrow/parquet-wasm.js';
import { arrowToVector, emptyVector, firnTypeFromArrow } from '../arrow/vector-arrow.js';
import { FORMAT_KEY, PARTITION_FORMAT_VERSION } from './partition-writer.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyData = Data<any>;

function corrupt(objectKey: string, err: unknown): LoadError {
  const detail = err instanceof Error ? err.message : String(err);
  return new LoadError('FILE_CORRUPT', `file ${objectKey} is corrupt or not a Parquet file: ${detail}`);
}

/** Runs a parquet-wasm / Arrow decoding step, turning its failures into FILE_CORRUPT. */
async function guarded<T>(objectKey: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof FirnError) throw err;
    throw corrupt(objectKey, err);
  }
}

type OpenFile = { file: ParquetFile; rowCount: number; rowGroupRows: number[]; kv: Map<string, string> };

async function openFile(bytes: Uint8Array, objectKey: string): Promise<OpenFile> {
  const pw = parquetWasm();
  const file = await guarded(objectKey, () => pw.ParquetFile.fromFile(new Blob([bytes])));
  try {
    return await guarded(objectKey, () => {
      const meta = file.metadata();
      const fileMeta = meta.fileMetadata();
      const rowGroupRows = meta.rowGroups().map((rg) => {
        const n = rg.numRows();
        rg.free();
        return n;
      });
      const kv = new Map<string, string>();
      for (const [k, v] of fileMeta.keyValueMetadata() as Map<unknown, unknown>) if (typeof v === 'string') kv.set(String(k), v);
      const rowCount = fileMeta.numRows();
      fileMeta.free();
      meta.free();
      const format = kv.get(FORMAT_KEY);
      if (format !== undefined && format !== PARTITION_FORMAT_VERSION) {
        throw new LoadError('NOT_SUPPORTED', `file ${objectKey} has Firn format version ${format}; this Firn reads version ${PARTITION_FORMAT_VERSION}`);
      }
      return { file, rowCount, rowGroupRows, kv };
    });
  } catch (err) {
    file.free();
    throw err;
  }
}

/** Decodes the (projected) record batches of one read into Arrow tables, freeing wasm memory. */
async function readTables(f: OpenFile, objectKey: string, options: { columns?: string[]; rowGroups?: number[] }): Promise<ArrowTable[]> {
  const rows = options.rowGroups ? options.rowGroups.map((g) => f.rowGroupRows[g]) : f.rowGroupRows;
  const batchSize = Math.max(1, ...rows);
  const wt = await guarded(objectKey, () => f.file.read({ ...options, batchSize }));
  try {
    // Each record batch carries its own (projected) schema; the Table's schema does not.
    return await guarded(objectKey, () => wt.recordBatches().map((rb: WasmRecordBatch) => tableFromIPC(rb.intoIPCStream())));
  } finally {
    wt.free();
  }
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

function toVector(chunks: AnyData[], type: DataType, what: string): Vector {
  if (chunks.length === 0) return emptyVector(type);
  return concatVectors(chunks.map((d) => arrowToVector(d, type, what)));
}

export async function readPartitionColumns(bytes: Uint8Array, columns: Column[], wanted: number[], objectKey = 'partition'): Promise<Batch> {
  const f = await openFile(bytes, objectKey);
  try {
    if (wanted.length === 0) return { length: f.rowCount, columns: [] };
    const names = [...new Set(wanted.map((i) => columns[i].name))];
    const tables = f.rowCount === 0 ? [] : await readTables(f, objectKey, { columns: names });
    const out = wanted.map((i) => {
      const col = columns[i];
      return toVector(columnOf(tables, col.name, objectKey), col.type, `column ${col.name} of ${objectKey}`);
    });
    for (const v of out) {
      if (v.length !== f.rowCount) throw new LoadError('FILE_CORRUPT', `file ${objectKey} decoded ${v.length} rows, its footer says ${f.rowCount}`);
    }
    return { length: f.rowCount, columns: out };
  } finally {
    f.file.free();
  }
}

export type ParquetFileContents = {
  columns: Column[];
  rowCount: number;
  rowGroupCount: number;
  /** One batch per row group, converted to `types` (default: the types of `columns`). */
  batches(types?: DataType[]): AsyncIterable<Batch>;
  /** Releases the file's wasm memory; also done when a batches() iteration finishes. */
  close(): void;
};

async function schemaColumns(f: OpenFile, objectKey: string): Promise<Column[]> {
  const schema = await guarded(objectKey, () => tableFromIPC(f.file.schema().intoIPCStream()).schema);
  return schema.fields.map((field) => {
    const what = `column ${field.name} of ${objectKey}`;
    return { name: field.name, type: firnTypeOfField(field, what) ?? firnTypeFromArrow(field.type, what), nullable: field.nullable };
  });
}

export async function readParquetFile(bytes: Uint8Array, name = 'file'): Promise<ParquetFileContents> {
  const f = await openFile(bytes, name);
  let closed = false;
  const close = (): void => {
    if (!closed) f.file.free();
    closed = true;
  };
  try {
    const columns = await schemaColumns(f, name);
    return {
      columns,
      rowCount: f.rowCount,
      rowGroupCount: f.rowGroupRows.length,
      close,
      batches: (types = columns.map((c) => c.type)) => ({
        async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
          try {
            for (let g = 0; g < f.rowGroupRows.length; g++) {
              if (closed) throw new LoadError('FILE_CORRUPT', `file ${name} was closed while being read`);
              const tables = await readTables(f, name, { rowGroups: [g] });
              const vectors = columns.map((c, i) => toVector(columnOf(tables, c.name, name), types[i], `column ${c.name} of ${name}`));
              yield { length: f.rowGroupRows[g], columns: vectors };
            }
          } finally {
            close();
          }
        },
      }),
    };
  } catch (err) {
    close();
    throw err;
  }
}
