/**
 * An append-only table of per-group entries for aggregates whose state is a small set of rows
 * per group (MIN_BY / MAX_BY: each group's best rows), compacted by sorting now and then.
 *
 * Why: such states cannot be summarized in a few numbers per group, and their entries can be
 * of any type, so they are kept as rows: an owner group per entry (Int32Array), a weight per
 * entry (Float64Array: a count) and one column per value, stored as the gathered copies of the
 * input batches (no reference to an input vector survives `append`) and concatenated on demand.
 * When the entries outgrow COMPACT_MIN and twice what the last compaction kept, the owner calls
 * `compact`: entries are sorted by (owner, the caller's keys) and the caller picks, from each
 * run of the sorted order, the entries that survive (and their weights).
 * Contract: `columns()` are the concatenated value columns, row k = entry k; `sorted(orders)`
 * is the entry order by owner then the value columns under `orders` (entries equal on every
 * key keep their arrival order); `keep(order, count, weights)` replaces the table by the entries
 * order[0..count) with the given weights. Entries of a NULL-typed column are all NULL.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { I32Vector, Vector } from '../../../storage/types/vector.js';
import { concatVectors } from '../batch/concat-batches.js';
import { gatherVector } from '../batch/gather-vector.js';
import { nullVector } from '../batch/null-vector.js';
import type { SortOrder } from '../sort/row-comparator.js';
import { sortPermutation } from '../sort/sort-permutation.js';
import { growF64, growI32 } from './accumulator.js';

/** Fewest entries worth a compaction. */
const COMPACT_MIN = 4096;

const OWNER_ORDER: SortOrder = { desc: false, nullsFirst: false };

export class EntryStore {
  owner: Int32Array = new Int32Array(1024);
  weight: Float64Array = new Float64Array(1024);
  count = 0;
  /** Entries kept by the last compaction: the next one waits for twice as many. */
  private kept = 0;
  private chunks: Vector[][];
  private joined: Vector[] | null = null;

  constructor(readonly types: readonly DataType[]) {
    this.chunks = types.map(() => []);
  }

  /** Entries for rows sel[0..m) of `vectors`: owner gids[row] (0 when gids is null), weight weights?.[row] ?? 1. */
  append(vectors: readonly Vector[], sel: Int32Array, m: number, gids: Int32Array | null, weights: Float64Array | null = null): void {
    if (m === 0) return;
    this.owner = growI32(this.owner, this.count + m);
    this.weight = growF64(this.weight, this.count + m);
    for (let k = 0; k < m; k++) {
      const i = sel[k];
      this.owner[this.count + k] = gids === null ? 0 : gids[i];
      this.weight[this.count + k] = weights === null ? 1 : weights[i];
    }
    this.count += m;
    // Copies: the aggregate operator recycles the batch's evaluated vectors after update.
    vectors.forEach((v, c) => this.chunks[c].push(gatherVector(v, sel, m)));
    this.joined = null;
  }

  /** Is the table big enough to compact? */
  get due(): boolean {
    return this.count >= COMPACT_MIN && this.count >= 2 * this.kept;
  }

  columns(): Vector[] {
    if (this.joined === null) {
      this.joined = this.types.map((t, c) => (this.chunks[c].length === 0 ? nullVector(t, this.count) : concatVectors(t, this.chunks[c], this.count)));
      this.chunks = this.joined.map((v) => [v]);
    }
    return this.joined;
  }

  /** Entry indices ordered by owner, then by the value columns `keys` under `orders`. */
  sorted(keys: readonly number[], orders: readonly SortOrder[]): Int32Array {
    const cols = this.columns();
    const owner: I32Vector = { kind: 'i32', length: this.count, values: this.owner.subarray(0, this.count), nulls: null };
    return sortPermutation([owner, ...keys.map((k) => cols[k])], [OWNER_ORDER, ...orders], this.count);
  }

  /** Keeps entries order[0..count) (in that order), entry order[j] taking weight weights[j]. */
  keep(order: Int32Array, count: number, weights: Float64Array): void {
    const cols = this.columns();
    const sel = order.subarray(0, count);
    const owner = new Int32Array(Math.max(count, 1024));
    for (let j = 0; j < count; j++) owner[j] = this.owner[sel[j]];
    const weight = new Float64Array(Math.max(count, 1024));
    weight.set(weights.subarray(0, count));
    this.joined = cols.map((v) => gatherVector(v, sel, count));
    this.chunks = this.joined.map((v) => [v]);
    this.owner = owner;
    this.weight = weight;
    this.count = count;
    this.kept = count;
  }

  /** Start of each group's run in `order` (groups + 1 offsets); `order` is sorted by owner. */
  runs(order: Int32Array, groups: number): Int32Array {
    const start = new Int32Array(groups + 1);
    for (let j = 0; j < this.count; j++) start[this.owner[order[j]] + 1]++;
    for (let g = 0; g < groups; g++) start[g + 1] += start[g];
    return start;
  }

  /** Column c's values for rows picked by sel (NULL where sel[r] < 0). */
  gather(c: number, sel: Int32Array, count: number): Vector {
    const type = this.types[c];
    if (this.count === 0) return nullVector(type, count);
    const withNull = concatVectors(type, [this.columns()[c], nullVector(type, 1)], this.count + 1);
    const at = new Int32Array(count);
    for (let r = 0; r < count; r++) at[r] = sel[r] < 0 ? this.count : sel[r];
    return gatherVector(withNull, at, count);
  }
}
