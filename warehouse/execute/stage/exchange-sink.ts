/**
 * The exchange sink: routes a task's output rows to the consuming stage's tasks as
 * ExchangeChunks (Arrow IPC, columns c0..cN of the stage root's types).
 *
 *  - gather / written: one partition (consumer task 0);
 *  - hash: each row to partition keyPartitions(keys) of `consumerTasks` (key-partitions.ts,
 *    so equal keys, NULL included, meet in one partition), split per batch with selection
 *    vectors (gatherBatch); with `nullsRoundRobin`, rows with a NULL key instead go to the
 *    partitions in turn, one row each (continuing across batches);
 *  - range: each row to the consumer task whose key range holds its key (rangePartitions),
 *    split the same way, or the whole batch to one task when all its keys lie in that task's
 *    range (singleRange);
 *  - round_robin: whole batches, partition by partition (starting at the task's number, so
 *    the tasks of a stage do not all start with consumer 0);
 *  - broadcast: one list of chunks for every consumer task; at `finish` their bytes are laid
 *    end to end in ONE SharedArrayBuffer, so the coordinator hands the same chunks to every
 *    consumer without copying (a structured clone of a view on shared memory shares it).
 *
 * A partition's batches are buffered until CHUNK_ROWS rows or CHUNK_BYTES bytes, then cut
 * into one chunk (concatBatches and the IPC encoder keep only the dictionary entries its
 * rows use, so a chunk of a few rows never carries a partition's whole dictionary). Chunks held in memory count against the sink's memory share; past it, the
 * next chunks are written to spill files (kind 'file', one IPC stream per file) under the
 * task's spill directory, charged to the task's SpillSpace (its disk budget: 53200 past it).
 * The sink writes those files itself, not through a SpillWriter, because they must outlive
 * the task (SpillSpace.close deletes its writers' files): the consumer reads them, and
 * services removes the statement's spill directory when the statement ends.
 *
 * Contract: `add(batch)` per output batch, then `finish()` once: `outputs[c]` are the chunks
 * for consumer task c (broadcast: one list, outputs.length 1), every chunk tagged with this
 * task as its `producer`; `transfer` lists the ArrayBuffers of in-memory chunks (each chunk
 * owns its buffer), to transfer with the reply.
 */
import { markTransient, recycleTransient, recycleUnshared } from '../batch/array-pool.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeBatchIpc } from '../../../storage/arrow/batch-ipc.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import { batchBytes } from '../../../storage/types/vector-bytes.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { ExchangeChunk, StageOutput } from '../../fragment/stage-plan.js';
import { concatBatches } from '../batch/concat-batches.js';
import { gatherBatch } from '../batch/gather-batch.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { keyPartitions } from '../join/key-partitions.js';
import { rangePartitions, singleRange } from '../join/range-partitions.js';
import type { SpillSpace } from '../spill/spill-space.js';

/** Rows and bytes at which a partition's buffered batches become one chunk. */
export const CHUNK_ROWS = 1 << 16;
export const CHUNK_BYTES = 4 << 20;

export type ExchangeSinkOptions = {
  output: StageOutput;
  types: readonly DataType[];
  consumerTasks: number;
  /** This task's number (chunks' `producer`). */
  task: number;
  /** Bytes of chunks the sink may hold in memory before it writes them to spill files. */
  memoryBytes: number;
  /** The task's spill area: its directory holds the files, its budget is charged for them. */
  spill: SpillSpace;
  /** Spill file names start with this (unique per task of a statement). */
  spillPrefix: string;
};

/** A partition's buffered batches; `dicts`: the string dictionaries counted in `bytes` already (a gathered batch shares its source's). */
type Pending = { batches: Batch[]; rows: number; bytes: number; dicts: Set<readonly string[]> };

function emptyPending(): Pending {
  return { batches: [], rows: 0, bytes: 0, dicts: new Set() };
}

export class ExchangeSink {
  private readonly columns: Column[];
  private readonly parts: number;
  private readonly pending: Pending[];
  private readonly chunks: ExchangeChunk[][];
  private held = 0;
  private spilled = 0;
  private files = 0;
  private nextRoundRobin: number;

  constructor(private readonly opts: ExchangeSinkOptions) {
    this.columns = opts.types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
    const k = opts.output.kind;
    this.parts = k === 'hash' || k === 'range' || k === 'round_robin' ? Math.max(1, opts.consumerTasks) : 1;
    this.pending = Array.from({ length: this.parts }, emptyPending);
    this.chunks = Array.from({ length: this.parts }, () => []);
    this.nextRoundRobin = opts.task % this.parts;
  }

  /** Bytes written to spill files. */
  get bytesSpilled(): number {
    return this.spilled;
  }

  async add(batch: Batch): Promise<void> {
    if (batch.length === 0) return;
    const out = this.opts.output;
    if ((out.kind === 'hash' || out.kind === 'range') && this.parts > 1) {
      const keys = out.kind === 'hash' ? out.keys.map((k) => evaluateExpr(k, batch)) : [evaluateExpr(out.key, batch)];
      // A batch whose keys all lie in one range goes there whole.
      const single = out.kind === 'range' ? singleRange(keys[0], out.bounds, this.parts) : -1;
      if (single >= 0) {
        recycleUnshared(keys[0], batch);
        await this.buffer(single, batch);
        return;
      }
      const part = out.kind === 'hash' ? keyPartitions(keys, batch.length, this.parts) : rangePartitions(keys[0], out.bounds, this.parts);
      if (out.kind === 'hash' && out.nullsRoundRobin) this.spreadNulls(keys, part);
      for (const k of keys) recycleUnshared(k, batch);
      // Counting sort of the rows by partition: one selection vector per partition.
      const counts = new Int32Array(this.parts + 1);
      for (let i = 0; i < batch.length; i++) counts[part[i] + 1]++;
      for (let p = 0; p < this.parts; p++) counts[p + 1] += counts[p];
      const sel = new Int32Array(batch.length);
      const fill = counts.slice(0, this.parts);
      for (let i = 0; i < batch.length; i++) sel[fill[part[i]]++] = i;
      let whole = false;
      for (let p = 0; p < this.parts; p++) {
        const n = counts[p + 1] - counts[p];
        whole ||= n === batch.length;
        // A partition's gathered rows are the sink's own (recycled once encoded, see cut).
        if (n > 0) await this.buffer(p, n === batch.length ? batch : markTransient(gatherBatch(batch, sel.subarray(counts[p], counts[p + 1]))));
      }
      if (!whole) recycleTransient(batch);
      return;
    }
    if (out.kind === 'round_robin') {
      const p = this.nextRoundRobin;
      this.nextRoundRobin = (p + 1) % this.parts;
      await this.buffer(p, batch);
      return;
    }
    await this.buffer(0, batch);
  }

  /** Gives the rows with a NULL in any key the partitions in turn, one row each (after the last such row's). */
  private spreadNulls(keys: readonly Vector[], part: Int32Array): void {
    const masks = keys.map((k) => k.nulls).filter((m): m is Uint8Array => m !== null);
    if (masks.length === 0) return;
    let p = this.nextRoundRobin;
    for (let i = 0; i < part.length; i++) {
      let isNull = 0;
      for (const m of masks) isNull |= m[i];
      if (isNull === 0) continue;
      part[i] = p;
      p = p + 1 === this.parts ? 0 : p + 1;
    }
    this.nextRoundRobin = p;
  }

  async finish(): Promise<{ outputs: ExchangeChunk[][]; transfer: ArrayBuffer[] }> {
    for (let p = 0; p < this.parts; p++) await this.cut(p);
    if (this.opts.output.kind === 'broadcast') return { outputs: [shareChunks(this.chunks[0])], transfer: [] };
    const transfer: ArrayBuffer[] = [];
    for (const list of this.chunks) for (const c of list) if (c.kind === 'ipc') transfer.push(c.bytes.buffer as ArrayBuffer);
    return { outputs: this.chunks, transfer };
  }

  private async buffer(p: number, batch: Batch): Promise<void> {
    const pend = this.pending[p];
    pend.batches.push(batch);
    pend.rows += batch.length;
    pend.bytes += batchBytes(batch, pend.dicts);
    if (pend.rows >= CHUNK_ROWS || pend.bytes >= CHUNK_BYTES) await this.cut(p);
  }

  /** Turns partition p's buffered batches into one chunk: in memory while within the share, else a spill file. */
  private async cut(p: number): Promise<void> {
    const pend = this.pending[p];
    if (pend.rows === 0) return;
    const batch = concatBatches(this.opts.types, pend.batches);
    this.pending[p] = emptyPending();
    const bytes = encodeBatchIpc(this.columns, batch);
    for (const b of pend.batches) recycleTransient(b);
    const producer = this.opts.task;
    if (this.held + bytes.length <= this.opts.memoryBytes) {
      this.held += bytes.length;
      this.chunks[p].push({ kind: 'ipc', bytes, rows: batch.length, producer });
      return;
    }
    this.opts.spill.charge(bytes.length);
    await mkdir(this.opts.spill.dir, { recursive: true });
    const file = path.join(this.opts.spill.dir, `${this.opts.spillPrefix}-x${this.files++}.arrow`);
    await writeFile(file, bytes);
    this.spilled += bytes.length;
    this.chunks[p].push({ kind: 'file', path: file, bytes: bytes.length, rows: batch.length, producer });
  }
}

/** The chunks with their IPC bytes copied end to end into one SharedArrayBuffer (file chunks unchanged). */
function shareChunks(chunks: readonly ExchangeChunk[]): ExchangeChunk[] {
  let total = 0;
  for (const c of chunks) if (c.kind === 'ipc') total += c.bytes.length;
  const shared = new SharedArrayBuffer(total);
  let at = 0;
  return chunks.map((c) => {
    if (c.kind !== 'ipc') return c;
    const view = new Uint8Array(shared, at, c.bytes.length);
    view.set(c.bytes);
    at += c.bytes.length;
    return { ...c, bytes: view };
  });
}
