/**
 * The spill file format: a sequence of frames, each a 4-byte little-endian length and then
 * one Arrow IPC stream (schema + one record batch, storage/arrow/batch-ipc.ts) holding one
 * written batch. The framing is ours so a reader can stream a multi-GB file back one batch
 * at a time without parsing IPC incrementally.
 *
 * Contract: a SpillWriter belongs to a SpillSpace, which charges every frame's bytes against
 * the disk budget before it is written (53200 past it). `write(batch, types)` appends one
 * frame (empty batches are skipped); `finish()` closes the file and answers its SpillRun.
 * `readSpillRun(run, batchRows)` yields the written batches in order, every column in the
 * vector kind it was written in, cut to at most `batchRows` rows each when given; it holds
 * one frame in memory at a time and closes the file when the caller stops early. Writes and
 * reads are synchronous node:fs calls: spilling runs in a worker thread, whose event loop
 * has nothing else to do meanwhile.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { decodeBatchIpc, encodeBatchIpc } from '../../../storage/arrow/batch-ipc.js';
import { InternalError, LoadError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { Batch } from '../../../storage/types/vector.js';
import { sliceBatch } from '../batch/slice-batch.js';

export type { SpillOptions } from './spill-options.js';

/** A finished spill file: its rows, bytes on disk and column types. */
export type SpillRun = { path: string; rows: number; bytes: number; types: DataType[] };

const HEADER = 4;

export class SpillWriter {
  private fd: number | null = null;
  private rows = 0;
  private bytes = 0;
  private types: DataType[] | null = null;
  private done = false;
  private readonly header = new Uint8Array(HEADER);

  constructor(
    readonly path: string,
    private readonly charge: (bytes: number) => void,
  ) {}

  /** Appends one batch (one frame). */
  async write(batch: Batch, types: DataType[]): Promise<void> {
    this.writeSync(batch, types);
  }

  /** write() without the promise, for callers inside synchronous loops. */
  writeSync(batch: Batch, types: DataType[]): void {
    if (this.done) throw new InternalError(`spill file ${this.path}: write after finish`);
    if (this.types === null) this.types = types.slice();
    else if (types.length !== this.types.length) throw new InternalError(`spill file ${this.path}: batch of ${types.length} columns, file has ${this.types.length}`);
    if (batch.length === 0) return;
    const body = encodeBatchIpc(columnsOf(types), batch);
    this.charge(HEADER + body.byteLength);
    this.fd ??= openSync(this.path, 'w');
    new DataView(this.header.buffer).setUint32(0, body.byteLength, true);
    writeAll(this.fd, this.header);
    writeAll(this.fd, body);
    this.rows += batch.length;
    this.bytes += HEADER + body.byteLength;
  }

  /** Closes the file; `types` is used when nothing was written. */
  async finish(types?: DataType[]): Promise<SpillRun> {
    return this.finishSync(types);
  }

  finishSync(types?: DataType[]): SpillRun {
    if (this.done) throw new InternalError(`spill file ${this.path}: finish called twice`);
    this.done = true;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    return { path: this.path, rows: this.rows, bytes: this.bytes, types: this.types ?? types ?? [] };
  }

  /** Closes the file without a run (the space is deleting it). */
  abandon(): void {
    this.done = true;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export async function* readSpillRun(run: SpillRun, batchRows?: number): AsyncGenerator<Batch> {
  if (run.rows === 0) return;
  const fd = openSync(run.path, 'r');
  try {
    const header = new Uint8Array(HEADER);
    const view = new DataView(header.buffer);
    let at = 0;
    while (at < run.bytes) {
      readAll(fd, header, at, run.path);
      const length = view.getUint32(0, true);
      const body = new Uint8Array(length);
      readAll(fd, body, at + HEADER, run.path);
      at += HEADER + length;
      const { batch } = decodeBatchIpc(body);
      if (batchRows === undefined || batch.length <= batchRows) {
        yield batch;
        continue;
      }
      for (let start = 0; start < batch.length; start += batchRows) yield sliceBatch(batch, start, Math.min(batch.length, start + batchRows));
    }
  } finally {
    closeSync(fd);
  }
}

function columnsOf(types: readonly DataType[]): Column[] {
  return types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
}

function readAll(fd: number, into: Uint8Array, position: number, path: string): void {
  let done = 0;
  while (done < into.byteLength) {
    const got = readSync(fd, into, done, into.byteLength - done, position + done);
    if (got === 0) throw new LoadError('FILE_CORRUPT', `spill file ${path} ends early`);
    done += got;
  }
}
