/**
 * Sorted runs on the warehouse's local disk: the clustered COPY's range partition by cluster
 * key. Phase 1 (a 'sort' load task per source file) sorts its file's rows by the clustering
 * key and writes them here as one run, answering the run and an evenly spaced sample of its
 * keys; services picks range boundaries from the samples; phase 2 (merge-range-task.ts)
 * reads from every run only the blocks that hold its key range (`readRunRange`).
 *
 * Contract:
 * - A run file is Arrow IPC blocks of at most `blockRows` (RUN_BLOCK_ROWS) rows, back to back, in key
 *   order (ASC NULLS LAST, as loads sort); `SortedRun.blocks` locates them and
 *   `SortedRun.firstKeys` holds each block's first key.
 * - A range is [lower, upper) over the key columns; rows equal to a bound belong to the range
 *   that starts there, so ranges cut at the same bounds are disjoint and together hold every
 *   row exactly once. `readRunRange` answers that range's rows of one run, in run order,
 *   reading only the blocks that can hold them (block b spans keys firstKeys[b] ..
 *   firstKeys[b + 1]).
 * - Paths are checked to lie under FIRN_HOME (`home`); the statement removes its directory.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeBatchIpc, encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import type { SortedRun } from '../fragment/fragment.js';
import { concatBatches } from '../execute/batch/concat-batches.js';
import { gatherBatch } from '../execute/batch/gather-batch.js';
import { sliceBatch } from '../execute/batch/slice-batch.js';
import { sortBatch } from '../execute/sort/sort-batch.js';
import { keyComparator } from '../execute/sort/row-comparator.js';
import { clusterKeys } from './write-micro-partitions.js';

export const RUN_BLOCK_ROWS = 16_384;
/** Keys each run contributes to the boundary choice. */
export const RUN_SAMPLE_ROWS = 256;

/** Sorts `batch` by the clustering key and writes it as a run at `runPath`; answers the run and a key sample (Arrow IPC of the key columns). */
export async function writeSortedRun(
  home: string,
  runPath: string,
  columns: Column[],
  clusterBy: number[],
  batch: Batch,
  blockRows = RUN_BLOCK_ROWS,
): Promise<{ run: SortedRun; sample: Uint8Array }> {
  const file = firnHomePath(home, runPath);
  await mkdir(path.dirname(file), { recursive: true });
  const sorted = sortBatch(batch, clusterKeys(columns, clusterBy));
  const keyCols = clusterBy.map((i) => columns[i]);
  const keysOf = (rows: Int32Array) => encodeBatchIpc(keyCols, gatherBatch({ length: sorted.length, columns: clusterBy.map((i) => sorted.columns[i]) }, rows));
  const blocks: SortedRun['blocks'] = [];
  const bytes: Uint8Array[] = [];
  let offset = 0;
  for (let at = 0; at < sorted.length; at += blockRows) {
    const end = Math.min(sorted.length, at + blockRows);
    const ipc = encodeBatchIpc(columns, sliceBatch(sorted, at, end));
    blocks.push({ offset, length: ipc.length, rows: end - at });
    bytes.push(ipc);
    offset += ipc.length;
  }
  await writeFile(file, bytes);
  const firsts = Int32Array.from(blocks, (_, b) => b * blockRows);
  const samples = Math.min(sorted.length, RUN_SAMPLE_ROWS);
  const sampleRows = Int32Array.from({ length: samples }, (_, s) => Math.floor((s * sorted.length) / samples));
  return { run: { path: file, rows: sorted.length, blocks, firstKeys: keysOf(firsts) }, sample: keysOf(sampleRows) };
}

/** Row `a` of `left` against row `b` of `right` (same key columns), key by key, ASC NULLS LAST; 0 when equal. */
export type CrossComparator = (a: number, b: number) => number;

/** Compares rows of two key batches (each column i of one against column i of the other). */
export function crossComparator(columns: Column[], left: Batch, right: Batch): CrossComparator {
  const both = concatBatches(
    columns.map((c) => c.type),
    [left, right],
  );
  const cmps = both.columns.map((v: Vector) => keyComparator(v, { desc: false, nullsFirst: false }));
  const shift = left.length;
  return (a, b) => {
    for (let k = 0; k < cmps.length; k++) {
      const c = cmps[k](a, b + shift);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** The first row r in [0, n) with compare(r) >= 0 (n when none); `compare` is non-decreasing over r. */
function lowerBound(n: number, compare: (r: number) => number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(mid) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows of `run` whose key lies in [bounds[lo], bounds[hi]) (-1: unbounded), in run order, one block's slice at a time; `keyColumns` are the key columns, `bounds` a batch of them. */
export async function* readRunRange(home: string, run: SortedRun, clusterBy: number[], keyColumns: Column[], bounds: Batch, lo: number, hi: number): AsyncGenerator<Batch> {
  if (run.rows === 0) return;
  const firstKeys = decodeBatchIpc(run.firstKeys).batch;
  const vsBound = crossComparator(keyColumns, firstKeys, bounds);
  const nBlocks = run.blocks.length;
  // Block b can hold keys >= lower unless block b + 1 starts below lower; it can hold keys
  // < upper only if it starts below upper.
  const from = lo < 0 ? 0 : Math.max(0, lowerBound(nBlocks, (b) => vsBound(b, lo)) - 1);
  const to = hi < 0 ? nBlocks : lowerBound(nBlocks, (b) => vsBound(b, hi));
  if (from >= to) return;
  const handle = await open(firnHomePath(home, run.path), 'r');
  try {
    for (let b = from; b < to; b++) {
      const { offset, length } = run.blocks[b];
      const buf = new Uint8Array(length);
      await handle.read(buf, 0, length, offset);
      const block = decodeBatchIpc(buf).batch;
      const keys: Batch = { length: block.length, columns: clusterBy.map((i) => block.columns[i]) };
      const cmp = lo < 0 && hi < 0 ? null : crossComparator(keyColumns, keys, bounds);
      const start = lo < 0 || !cmp ? 0 : lowerBound(block.length, (r) => cmp(r, lo));
      const end = hi < 0 || !cmp ? block.length : lowerBound(block.length, (r) => cmp(r, hi));
      if (end > start) yield start === 0 && end === block.length ? block : sliceBatch(block, start, end);
    }
  } finally {
    await handle.close();
  }
}
