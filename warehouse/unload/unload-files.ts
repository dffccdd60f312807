/**
 * A worker's side of COPY INTO @stage: one task's rows as files in the stage's store.
 *
 * Contract: unloadFiles(batches, columns, target, task) streams the task's batches into files
 * of at most about `target.maxFileBytes` bytes before compression (a file is closed at the
 * first batch that reaches it, so only one file's worth is held at a time), each encoded
 * (CSV via csv-encoder.ts, gzipped when asked; Parquet via the partition writer, Snappy or
 * uncompressed) and put under `${namePrefix}0_${task}_${n}${extension}`. With `singleName`
 * the task writes exactly one file of that name, and more than maxFileBytes fails with
 * Snowflake's "Max file size (...) exceeded for unload single file mode" (RESOURCE_EXHAUSTED).
 * No rows, no file. Answers the files written, in order; a failure leaves the files already
 * put for the statement to remove (it removes every file under the unload's name prefix).
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { ResourceError } from '../../storage/errors/firn-error.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import type { DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';
import type { Batch } from '../../storage/types/vector.js';
import { concatBatches } from '../execute/batch/concat-batches.js';
import type { UnloadedFile, UnloadTarget } from '../fragment/stage-plan.js';
import { CsvEncoder } from './csv-encoder.js';

const gzipAsync = promisify(gzip);

export async function unloadFiles(batches: AsyncIterable<Batch>, columns: Column[], target: UnloadTarget, task: number): Promise<UnloadedFile[]> {
  const store = openObjectStore(target.storeUrl, target.credentials ? { credentials: target.credentials } : {});
  const out: UnloadedFile[] = [];
  const types: DataType[] = columns.map((c) => c.type);
  const csv = target.format.type === 'CSV' ? new CsvEncoder(columns, target.format) : null;
  let texts: string[] = [];
  let held: Batch[] = [];
  let bytes = 0;
  let rows = 0;

  const tooLarge = () => new ResourceError('RESOURCE_EXHAUSTED', `Max file size (${target.maxFileBytes}) exceeded for unload single file mode. We recommend that you increase the max file size parameter, or disable single-file mode.`);

  const flush = async (): Promise<void> => {
    if (rows === 0) return;
    const key = target.singleName ?? `${target.namePrefix}0_${task}_${out.length}${target.extension}`;
    let body: Uint8Array;
    let inputBytes: number;
    if (csv) {
      const text = Buffer.from((target.format.type === 'CSV' && target.format.header ? csv.headerLine() : '') + texts.join(''), 'utf8');
      inputBytes = text.byteLength;
      body = target.format.type === 'CSV' && target.format.gzip ? await gzipAsync(text) : text;
    } else {
      const batch = concatBatches(types, held);
      inputBytes = bytes;
      body = writePartition(
        columns.map((c) => ({ ...c, nullable: true })),
        batch,
        { compression: target.format.type === 'PARQUET' && target.format.snappy ? 'snappy' : 'none' },
      ).bytes;
    }
    await store.put(key, body);
    out.push({ key, rows, inputBytes, outputBytes: body.byteLength });
    texts = [];
    held = [];
    bytes = 0;
    rows = 0;
  };

  for await (const batch of batches) {
    if (batch.length === 0) continue;
    if (csv) {
      const text = csv.encode(batch);
      texts.push(text);
      bytes += Buffer.byteLength(text, 'utf8');
    } else {
      held.push(batch);
      bytes += batchBytes(batch);
    }
    rows += batch.length;
    if (bytes >= target.maxFileBytes) {
      if (target.singleName !== null) {
        if (bytes > target.maxFileBytes) throw tooLarge();
      } else {
        await flush();
      }
    }
  }
  await flush();
  return out;
}
