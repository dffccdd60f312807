/**
 * One statement's result rows as the columnar batches the engine produced, kept for as long as
 * the statement store keeps the statement, so its partitions (SQL API v2 `?partition=N`), the
 * driver's re-fetch and RESULT_SCAN are encoded on demand from the batches, never from a
 * prebuilt text.
 *
 * Contract:
 * - `append(batch)` adds rows in order. A batch is held in memory while the store's shared
 *   `ResultSpace` has room for it (its vector-bytes.ts size), after the space moved older
 *   results to disk if need be (`moveToDisk`); otherwise it is written to `dir` as one Arrow
 *   IPC stream file (storage/arrow/batch-ipc.ts, lossless) and only its row count is kept.
 *   Once spilled, every later batch of the result is spilled too. A chunk being moved to disk
 *   reads from memory until its file is complete.
 * - `finish()` closes the result: the row count is final and `partitions` is computed: row
 *   ranges of about `partitionBytes` of JSON text each (at least one row; a result of 0 rows
 *   has one empty partition). The text is estimated when a batch is appended, from each
 *   string's length (shared dictionary entries counted per row: a constant 16 MB string over
 *   400 rows is 6.4 GB of text, whatever its memory) and a fixed width per other type; a
 *   batch whose rows average more than ROW_DETAIL_BYTES keeps each row's estimate, so a
 *   partition never holds many large rows, others only their total (rows of such a batch
 *   are cut evenly).
 * - `read(start, end)` yields rows [start, end) as batches (views over the kept ones, file
 *   batches decoded as they are reached). `dispose()` releases the memory and removes the
 *   files; reading a disposed result throws RESULT_NOT_AVAILABLE. Disk usage is reported to
 *   the space as it grows, so the store can evict old results past its disk budget.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeBatchIpc, encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { InternalError, ResourceError } from '../../storage/errors/firn-error.js';
import type { DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';

/**
 * The memory and disk all kept results share (the store owns one). `reclaim` (the store's)
 * moves other results to disk to make room in memory for `bytes`.
 */
export class ResultSpace {
  memoryUsed = 0;
  diskUsed = 0;
  constructor(
    readonly memoryBytes: number,
    readonly diskBytes: number,
    private readonly reclaim: (bytes: number, asking: ResultBatches) => Promise<void> = async () => {},
  ) {}
  /** Reserves `bytes` of memory when they fit the budget. */
  tryReserve(bytes: number): boolean {
    if (this.memoryUsed + bytes > this.memoryBytes) return false;
    this.memoryUsed += bytes;
    return true;
  }
  /** Reserves `bytes` of memory, moving other results to disk first when they do not fit. */
  async reserve(bytes: number, asking: ResultBatches): Promise<boolean> {
    if (this.tryReserve(bytes)) return true;
    if (bytes > this.memoryBytes) return false;
    await this.reclaim(bytes, asking);
    return this.tryReserve(bytes);
  }
}

/** `rows` rows from row `start`: `bytes` in memory or on disk, about `text` characters of JSON (`rowText` per row when large). */
type Chunk = { start: number; rows: number; bytes: number; text: number; rowText: Float64Array | null; batch: Batch | null; file: string | null };

/** Batches whose rows average more than this much JSON text keep each row's estimate. */
export const ROW_DETAIL_BYTES = 4096;

export type ResultPartition = { start: number; rows: number };

export class ResultBatches {
  private readonly chunks: Chunk[] = [];
  private rowCount = 0;
  private spilled = false;
  private disposed = false;
  private finished: ResultPartition[] | null = null;
  private dirMade = false;

  constructor(
    readonly columns: Column[],
    private readonly space: ResultSpace,
    private readonly dir: string,
    private readonly partitionBytes: number,
  ) {}

  get numRows(): number {
    return this.rowCount;
  }

  /** Bytes of this result held in memory. */
  get memoryBytes(): number {
    let n = 0;
    for (const c of this.chunks) if (c.batch !== null) n += c.bytes;
    return n;
  }

  /** Bytes of this result written to disk. */
  get diskBytes(): number {
    let n = 0;
    for (const c of this.chunks) if (c.batch === null && c.file !== null) n += c.bytes;
    return n;
  }

  get available(): boolean {
    return !this.disposed;
  }

  async append(batch: Batch): Promise<void> {
    if (this.finished !== null) throw new InternalError('append to a finished result');
    if (this.disposed) throw notAvailable();
    if (batch.length === 0) return;
    const start = this.rowCount;
    this.rowCount += batch.length;
    const bytes = batchBytes(batch);
    const perRow = rowTextEstimates(this.columns, batch);
    let text = 0;
    for (let r = 0; r < perRow.length; r++) text += perRow[r]!;
    const rowText = text / batch.length > ROW_DETAIL_BYTES ? perRow : null;
    if (!this.spilled && (await this.space.reserve(bytes, this))) {
      if (this.disposed) {
        this.space.memoryUsed -= bytes;
        throw notAvailable();
      }
      this.chunks.push({ start, rows: batch.length, bytes, text, rowText, batch, file: null });
      return;
    }
    this.spilled = true;
    const chunk: Chunk = { start, rows: batch.length, bytes: 0, text, rowText, batch: null, file: null };
    await this.writeChunk(chunk, this.chunks.length, batch);
    this.chunks.push(chunk);
  }

  /** Moves the rows held in memory to disk (the store makes room for newer results). */
  async moveToDisk(): Promise<void> {
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      const batch = c.batch;
      if (batch === null || this.disposed) continue;
      const held = c.bytes;
      await this.writeChunk(c, i, batch);
      // Readers meanwhile still found the batch; from now on they read the file.
      c.batch = null;
      this.space.memoryUsed -= held;
    }
  }

  /** Writes `batch` as chunk `index`'s Arrow IPC file and records it on disk. */
  private async writeChunk(chunk: Chunk, index: number, batch: Batch): Promise<void> {
    if (!this.dirMade) {
      await mkdir(this.dir, { recursive: true });
      this.dirMade = true;
    }
    const ipc = encodeBatchIpc(this.columns, batch);
    const file = path.join(this.dir, `${index}.arrow`);
    await writeFile(file, ipc);
    if (this.disposed) {
      await rm(file, { force: true });
      throw notAvailable();
    }
    chunk.file = file;
    chunk.bytes = ipc.byteLength;
    this.space.diskUsed += ipc.byteLength;
  }

  /** No more rows: computes the partitions (see the module comment). */
  finish(): ResultPartition[] {
    if (this.finished !== null) return this.finished;
    const parts: ResultPartition[] = [];
    const target = this.partitionBytes;
    let start = 0;
    let rows = 0;
    let text = 0;
    const cut = () => {
      parts.push({ start, rows });
      start += rows;
      rows = 0;
      text = 0;
    };
    for (const c of this.chunks) {
      if (c.rowText !== null) {
        for (let r = 0; r < c.rows; r++) {
          const t = c.rowText[r]!;
          if (rows > 0 && text + t > target) cut();
          rows++;
          text += t;
        }
        continue;
      }
      const perRow = c.text / c.rows;
      let at = 0;
      while (at < c.rows) {
        // Rows of this chunk that still fit the current partition (at least one for an empty one).
        const room = Math.max(rows === 0 ? 1 : 0, Math.floor((target - text) / Math.max(perRow, 1e-9)));
        const take = Math.min(c.rows - at, room);
        if (take === 0) {
          cut();
          continue;
        }
        rows += take;
        text += take * perRow;
        at += take;
      }
    }
    if (rows > 0 || parts.length === 0) parts.push({ start, rows });
    this.finished = parts;
    return parts;
  }

  /** The partitions (finish() must have run). */
  get partitions(): ResultPartition[] {
    if (this.finished === null) throw new InternalError('partitions of an unfinished result');
    return this.finished;
  }

  /** Rows [start, end) in order, as batches. */
  async *read(start = 0, end = this.rowCount): AsyncGenerator<Batch> {
    for (const c of this.chunks) {
      if (c.start + c.rows <= start) continue;
      if (c.start >= end) break;
      if (this.disposed) throw notAvailable();
      let batch = c.batch;
      if (batch === null) {
        let bytes: Buffer;
        try {
          bytes = await readFile(c.file!);
        } catch (err) {
          if (this.disposed) throw notAvailable();
          throw err;
        }
        batch = decodeBatchIpc(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).batch;
      }
      const from = Math.max(0, start - c.start);
      const to = Math.min(c.rows, end - c.start);
      yield sliceBatch(batch, from, to);
    }
  }

  /** Frees the memory and deletes the files. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.chunks) {
      if (c.batch !== null) this.space.memoryUsed -= c.bytes;
      else if (c.file !== null) this.space.diskUsed -= c.bytes;
      c.batch = null;
    }
    if (this.dirMade) await rm(this.dir, { recursive: true, force: true });
  }
}

/** The result was evicted (past the store's budgets or age) or its statement is gone. */
export function notAvailable(): ResourceError {
  return new ResourceError('RESULT_NOT_AVAILABLE', 'The result of this statement is no longer available; run the statement again');
}

/** JSON characters of a non-NULL cell of each fixed-width type, with its quotes and comma. */
function fixedCellText(type: DataType): number {
  switch (type.kind) {
    case 'NUMBER':
      return Math.min(type.precision, 21) + 4;
    case 'FLOAT':
      return 26;
    case 'BOOLEAN':
      return 8;
    case 'DATE':
      return 9;
    case 'TIMESTAMP_NTZ':
      return 24;
    case 'TIME':
      return 18;
    default:
      return 5;
  }
}

/** Each row's estimated JSON text: brackets, then per cell its width (strings by length). */
function rowTextEstimates(columns: Column[], batch: Batch): Float64Array {
  const n = batch.length;
  const out = new Float64Array(n).fill(2);
  for (let c = 0; c < columns.length; c++) {
    const v = batch.columns[c]!;
    if (v.kind === 'str') {
      const { codes, dict, nulls } = v;
      // Hand-inlined per-row loop: out[r] += nulls?.[r] ? 5 : dict[codes[r]].length + 3.
      if (nulls === null) {
        for (let r = 0; r < n; r++) out[r] += dict[codes[r]!]!.length + 3;
      } else {
        for (let r = 0; r < n; r++) out[r] += nulls[r] ? 5 : dict[codes[r]!]!.length + 3;
      }
      continue;
    }
    const width = fixedCellText(columns[c]!.type);
    for (let r = 0; r < n; r++) out[r] += width;
  }
  return out;
}
