/**
 * One statement's result rows as the columnar batches the engine produced, kept for as long as
 * the statement store keeps the statement, so its partitions (SQL API v2 `?partition=N`), the
 * driver's re-fetch and RESULT_SCAN are encoded on demand from the batches, never from a
 * prebuilt text.
 *
 * Contract:
 * - `append(batch)` adds rows in order. A batch is held in memory while the store's shared
 *   `ResultSpace` has room for it (its vector-bytes.ts size); otherwise it is written to
 *   `dir` as one Arrow IPC stream file (storage/arrow/batch-ipc.ts, lossless) and only its
 *   row count is kept. Once spilled, every later batch of the result is spilled too, so the
 *   rows read back in order with one file open at a time.
 * - `finish()` closes the result: the row count is final and `partitions` is computed: row
 *   ranges of about `partitionBytes` of batch memory each (at least one row; a result of 0
 *   rows has one empty partition), never splitting more finely than rows.
 * - `read(start, end)` yields rows [start, end) as batches (views over the kept ones, file
 *   batches decoded as they are reached). `dispose()` releases the memory and removes the
 *   files; reading a disposed result throws RESULT_NOT_AVAILABLE. Disk usage is reported to
 *   the space as it grows, so the store can evict old results past its disk budget.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeBatchIpc, encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { InternalError, ResourceError } from '../../storage/errors/firn-error.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';

/** The memory and disk all kept results share (the store owns one). */
export class ResultSpace {
  memoryUsed = 0;
  diskUsed = 0;
  constructor(
    readonly memoryBytes: number,
    readonly diskBytes: number,
  ) {}
  /** Reserves `bytes` of memory when they fit the budget. */
  tryReserve(bytes: number): boolean {
    if (this.memoryUsed + bytes > this.memoryBytes) return false;
    this.memoryUsed += bytes;
    return true;
  }
}

type Chunk = { start: number; rows: number; bytes: number; batch: Batch | null; file: string | null };

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
    for (const c of this.chunks) if (c.file !== null) n += c.bytes;
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
    if (!this.spilled && this.space.tryReserve(bytes)) {
      this.chunks.push({ start, rows: batch.length, bytes, batch, file: null });
      return;
    }
    this.spilled = true;
    if (!this.dirMade) {
      await mkdir(this.dir, { recursive: true });
      this.dirMade = true;
    }
    const ipc = encodeBatchIpc(this.columns, batch);
    const file = path.join(this.dir, `${this.chunks.length}.arrow`);
    await writeFile(file, ipc);
    if (this.disposed) {
      await rm(file, { force: true });
      throw notAvailable();
    }
    this.chunks.push({ start, rows: batch.length, bytes: ipc.byteLength, batch: null, file });
    this.space.diskUsed += ipc.byteLength;
  }

  /** No more rows: computes the partitions (see the module comment). */
  finish(): ResultPartition[] {
    if (this.finished !== null) return this.finished;
    const parts: ResultPartition[] = [];
    let start = 0;
    let rows = 0;
    let bytes = 0;
    for (const c of this.chunks) {
      const perRow = c.bytes / c.rows;
      let at = 0;
      while (at < c.rows) {
        // Rows of this chunk that still fit the current partition (at least one for an empty one).
        const room = Math.max(rows === 0 ? 1 : 0, Math.floor((this.partitionBytes - bytes) / Math.max(perRow, 1e-9)));
        const take = Math.min(c.rows - at, room);
        if (take === 0) {
          parts.push({ start, rows });
          start += rows;
          rows = 0;
          bytes = 0;
          continue;
        }
        rows += take;
        bytes += take * perRow;
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
      else this.space.diskUsed -= c.bytes;
      c.batch = null;
    }
    if (this.dirMade) await rm(this.dir, { recursive: true, force: true });
  }
}

/** The result was evicted (past the store's budgets or age) or its statement is gone. */
export function notAvailable(): ResourceError {
  return new ResourceError('RESULT_NOT_AVAILABLE', 'The result of this statement is no longer available; run the statement again');
}
