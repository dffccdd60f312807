/**
 * exchange_source_exec: the chunks stage `node.stage` routed to this task, decoded one at a
 * time in order (Arrow IPC bytes, or a spill file holding one IPC stream), passed on in
 * bounded batches. With `merge`, each producer task's chunks (consecutive chunks with the
 * same `producer`; a chunk without one is a run by itself) are one run sorted by the merge
 * keys, and the runs are k-way merged as they stream, holding one decoded chunk per run:
 *
 * Each round takes the current batch of every run, finds the run whose LAST row is smallest
 * (the frontier f, run r*), and emits every row that no later batch can precede: rows <= f
 * of runs before r*, all of r*, rows < f of runs after r* (so ties keep run order: the
 * merge is stable). mergeSorted orders the emitted pieces; the rest of each batch stays for
 * the next round, and r* reads its next chunk. Every round finishes at least one batch.
 */
import { readFile } from 'node:fs/promises';
import { decodeBatchIpc } from '../../../../storage/arrow/batch-ipc.js';
import type { DataType } from '../../../../storage/types/data-type.js';
import type { Batch } from '../../../../storage/types/vector.js';
import type { SortKey } from '../../../fragment/bound-expr.js';
import type { ExchangeChunk, ExecNode } from '../../../fragment/stage-plan.js';
import { concatBatches } from '../../batch/concat-batches.js';
import { sliceBatch } from '../../batch/slice-batch.js';
import { evaluateExpr } from '../../evaluate-expr.js';
import { mergeSorted } from '../../sort/merge-sorted.js';
import { rowComparator } from '../../sort/row-comparator.js';
import { bounded } from '../bounded.js';
import type { OperatorBody, TaskContext } from '../operator.js';

export function exchangeSourceExec(node: Extract<ExecNode, { kind: 'exchange_source_exec' }>, ctx: TaskContext): OperatorBody {
  const chunks = ctx.task.inputs[node.stage] ?? [];
  return {
    async *run() {
      if (node.merge === null) {
        for (const chunk of chunks) yield* bounded(await decodeChunk(chunk));
        return;
      }
      yield* mergeRuns(splitRuns(chunks), node.types, node.merge);
    },
  };
}

/** A chunk's rows: its IPC bytes, or the IPC stream in its spill file. */
export async function decodeChunk(chunk: ExchangeChunk): Promise<Batch> {
  const bytes = chunk.kind === 'ipc' ? chunk.bytes : new Uint8Array(await readFile(chunk.path));
  return decodeBatchIpc(bytes).batch;
}

function splitRuns(chunks: readonly ExchangeChunk[]): ExchangeChunk[][] {
  const runs: ExchangeChunk[][] = [];
  let last: number | undefined;
  for (const c of chunks) {
    if (runs.length === 0 || c.producer === undefined || c.producer !== last) runs.push([]);
    runs[runs.length - 1].push(c);
    last = c.producer;
  }
  return runs;
}

/** One run's batches, one decoded chunk at a time, empty ones skipped. */
async function* runBatches(run: readonly ExchangeChunk[]): AsyncGenerator<Batch> {
  for (const chunk of run) {
    const b = await decodeChunk(chunk);
    if (b.length > 0) yield b;
  }
}

async function* mergeRuns(runs: ExchangeChunk[][], types: readonly DataType[], keys: readonly SortKey[]): AsyncGenerator<Batch> {
  const sources = runs.map(runBatches);
  const heads: (Batch | null)[] = [];
  for (const s of sources) heads.push((await s.next()).value ?? null);
  for (;;) {
    const live = heads.map((h, r) => (h ? r : -1)).filter((r) => r >= 0);
    if (live.length === 0) return;
    if (live.length === 1) {
      const r = live[0];
      yield* bounded(heads[r]!);
      for await (const b of { [Symbol.asyncIterator]: () => sources[r] }) yield* bounded(b);
      return;
    }
    const parts = live.map((r) => heads[r]!);
    const all = concatBatches(types, parts);
    const cmp = rowComparator(
      keys.map((k) => evaluateExpr(k.expr, all)),
      keys,
    );
    const start: number[] = [];
    let at = 0;
    for (const p of parts) {
      start.push(at);
      at += p.length;
    }
    const lastRow = (i: number) => start[i] + parts[i].length - 1;
    let f = 0;
    for (let i = 1; i < parts.length; i++) if (cmp(lastRow(i), lastRow(f)) < 0) f = i;
    const frontier = lastRow(f);
    const pieces: Batch[] = [];
    for (let i = 0; i < parts.length; i++) {
      // Rows of part i that go now: the prefix whose rows are <= f (before r*) or < f (after r*).
      const strict = i > f;
      let lo = 0;
      let hi = parts[i].length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const c = cmp(start[i] + mid, frontier);
        if (c < 0 || (c === 0 && !strict)) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) pieces.push(sliceBatch(all, start[i], start[i] + lo));
      const r = live[i];
      if (lo === parts[i].length) heads[r] = (await sources[r].next()).value ?? null;
      else heads[r] = sliceBatch(parts[i], lo);
    }
    yield* bounded(mergeSorted(pieces, types, keys));
  }
}
