/**
 * Streaming k-way merge of sorted batch streams (an external sort's spilled runs, or any
 * sorted inputs that do not fit in memory at once): holds one batch per stream, never the
 * whole input.
 *
 * Contract: every source yields its rows sorted by `keys` (the order of sortBatch). The output
 * is the stable merge, equal to a stable sort of the sources' concatenation in source order:
 * rows equal on every key come out source by source. Output batches have at most
 * `batchRows` rows. Rows of different batches are compared key by key on their values (the
 * comparator of row-comparator.ts works within one batch): NULLs first or last per
 * `nullsFirst`, NaN above every FLOAT, strings in JS string order, NUMBER values exact even
 * when one side is 'f64' and the other 'dec' (scaled integers compare across Number and
 * BigInt exactly). A binary heap of stream heads costs O(log k) comparisons per row; each
 * output batch is built by one gather per source batch it draws from, one concat and one
 * permutation gather. The cancel flag is checked once per output batch.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import type { CancelFlag } from '../../cancel/cancel-flag.js';
import { concatBatches } from '../batch/concat-batches.js';
import { gatherBatch } from '../batch/gather-batch.js';
import { evaluateExpr } from '../evaluate-expr.js';

type KeyCompare = (a: Vector, i: number, b: Vector, j: number) => number;

/** One source's current batch, its evaluated keys, read position, and the rows taken from it for the output batch being built. */
type Cursor = {
  source: number;
  it: AsyncIterator<Batch>;
  batch: Batch;
  keys: Vector[];
  pos: number;
  /** Rows of `batch` taken into the current output batch, and which part they form. */
  taken: Int32Array;
  takenCount: number;
  part: number;
};

export async function* mergeSortedStreams(
  sources: readonly AsyncIterable<Batch>[],
  types: readonly DataType[],
  keys: readonly SortKey[],
  batchRows: number,
  cancel: CancelFlag | null,
): AsyncGenerator<Batch> {
  if (sources.length === 1) {
    yield* sources[0];
    return;
  }
  const compares = keys.map(keyCompare);
  const cursors: Cursor[] = [];
  try {
    for (let s = 0; s < sources.length; s++) {
      const it = sources[s][Symbol.asyncIterator]();
      const c: Cursor = { source: s, it, batch: { length: 0, columns: [] }, keys: [], pos: 0, taken: new Int32Array(0), takenCount: 0, part: -1 };
      if (await load(c, keys)) cursors.push(c);
      else await it.return?.();
    }
    const less = (x: Cursor, y: Cursor): boolean => {
      for (let k = 0; k < compares.length; k++) {
        const r = compares[k](x.keys[k], x.pos, y.keys[k], y.pos);
        if (r !== 0) return r < 0;
      }
      return x.source < y.source;
    };
    const heap = cursors.slice();
    let size = heap.length;
    const siftDown = (i: number): void => {
      const x = heap[i];
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
        if (!less(heap[c], x)) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = x;
    };
    for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);

    // The output batch being built: part p is a gather of one source batch; output row o is
    // row outIndex[o] of part outPart[o].
    let parts: { batch: Batch; cursor: Cursor; sel: Int32Array; count: number }[] = [];
    const outPart = new Int32Array(batchRows);
    const outIndex = new Int32Array(batchRows);
    let out = 0;
    const flush = (): Batch => {
      const gathered = parts.map((p) => gatherBatch(p.batch, p.sel, p.count));
      const offsets = new Int32Array(gathered.length);
      for (let p = 1; p < gathered.length; p++) offsets[p] = offsets[p - 1] + gathered[p - 1].length;
      const all = concatBatches(types, gathered);
      const perm = new Int32Array(out);
      for (let o = 0; o < out; o++) perm[o] = offsets[outPart[o]] + outIndex[o];
      for (const c of cursors) c.part = -1;
      const n = out;
      out = 0;
      parts = [];
      // One part is already in output order.
      return gathered.length === 1 ? all : gatherBatch(all, perm, n);
    };
    while (size > 0) {
      const c = heap[0];
      if (c.part < 0) {
        c.part = parts.length;
        parts.push({ batch: c.batch, cursor: c, sel: c.taken, count: 0 });
      }
      const p = parts[c.part];
      outPart[out] = c.part;
      outIndex[out] = p.count;
      p.sel[p.count++] = c.pos;
      out++;
      c.pos++;
      if (c.pos === c.batch.length) {
        c.part = -1;
        if (!(await load(c, keys))) heap[0] = heap[--size];
      }
      if (size > 0) siftDown(0);
      if (out === batchRows) {
        cancel?.check();
        yield flush();
      }
      if (size === 1 && out === 0) {
        // One stream left: the rest of it passes through.
        const last = heap[0];
        if (last.pos > 0) yield gatherBatch(last.batch, rangeSel(last.pos, last.batch.length));
        else yield last.batch;
        for (;;) {
          const r = await last.it.next();
          if (r.done) break;
          if (r.value.length > 0) yield r.value;
        }
        size = 0;
      }
    }
    if (out > 0) yield flush();
  } finally {
    for (const c of cursors) await c.it.return?.();
  }
}

/** Moves the cursor to its source's next non-empty batch; false at the end. */
async function load(c: Cursor, keys: readonly SortKey[]): Promise<boolean> {
  for (;;) {
    const r = await c.it.next();
    if (r.done) return false;
    const b = r.value;
    if (b.length === 0) continue;
    c.batch = b;
    c.keys = keys.map((k) => evaluateExpr(k.expr, b));
    c.pos = 0;
    // A fresh array: the previous one may still be a part of the output batch being built.
    c.taken = new Int32Array(b.length);
    return true;
  }
}

function rangeSel(start: number, end: number): Int32Array {
  const sel = new Int32Array(end - start);
  for (let i = 0; i < sel.length; i++) sel[i] = start + i;
  return sel;
}

/** Compares row i of a with row j of b (two batches' vectors of one key), NULLs placed per the key. */
function keyCompare(key: SortKey): KeyCompare {
  const s = key.desc ? -1 : 1;
  const nullSide = key.nullsFirst ? -1 : 1;
  return (a, i, b, j) => {
    const na = a.nulls !== null && a.nulls[i] !== 0;
    const nb = b.nulls !== null && b.nulls[j] !== 0;
    if (na || nb) return na === nb ? 0 : na ? nullSide : -nullSide;
    return s * compareValues(a, i, b, j);
  };
}

/** Ascending order of two non-NULL values of one key type (see the module contract). */
function compareValues(a: Vector, i: number, b: Vector, j: number): number {
  switch (a.kind) {
    case 'str': {
      if (b.kind !== 'str') break;
      const x = a.dict[a.codes[i]];
      const y = b.dict[b.codes[j]];
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'ts': {
      if (b.kind !== 'ts') break;
      const x = a.secs[i];
      const y = b.secs[j];
      if (x !== y) return x < y ? -1 : 1;
      const p = a.nanos[i];
      const q = b.nanos[j];
      return p < q ? -1 : p > q ? 1 : 0;
    }
    case 'f64':
    case 'i32':
    case 'bool':
    case 'dec': {
      if (b.kind === 'str' || b.kind === 'ts') break;
      const x: number | bigint = a.values[i];
      const y: number | bigint = b.values[j];
      if (x < y) return -1;
      if (x > y) return 1;
      // Equal, or a NaN (FLOAT): greater than every number, equal to NaN.
      const xn = typeof x === 'number' && x !== x;
      const yn = typeof y === 'number' && y !== y;
      return xn === yn ? 0 : xn ? 1 : -1;
    }
  }
  throw new InternalError(`cannot compare a ${a.kind} vector with a ${b.kind} vector`);
}
