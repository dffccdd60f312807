/**
 * MODE(x): the most frequent non-NULL value of each group.
 *
 * How: values get ids from a KeyInterner of x's type (key-interner.ts: equal SQL values get one
 * id whatever batch or physical form they come in; FLOAT 0 and -0, NaN and NaN are one value),
 * (group, value id) pairs get ids from a TupleHashSet, and each pair counts its rows in a
 * Float64Array: O(1) per row, as DISTINCT aggregates deduplicate.
 * Contract: see accumulator.ts. It is a SpanningAccumulator: the partial state is each group's
 * (value, count) pairs, one row each, in columns [x's type, count NUMBER(18,0)]
 * (partial-state-types.ts); merge adds them with their counts. Result: x's type, NULL for a
 * group without a non-NULL value. A tie for the highest count (Snowflake returns "one of those
 * values") goes to the smallest value in ORDER BY order, so every split of the rows across
 * workers gives the same answer.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { keyComparator } from '../sort/row-comparator.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, type SpanningAccumulator } from './accumulator.js';
import { createKeyInterner, type KeyInterner } from './key-interner.js';
import { TupleHashSet } from './tuple-hash-set.js';

export class ModeAccumulator implements SpanningAccumulator {
  readonly stateTypes: readonly DataType[];
  private readonly values: KeyInterner;
  private readonly pairs = new TupleHashSet(2);
  /** Rows of each pair, by pair id. */
  private counts: Float64Array = new Float64Array(1024);
  private vids: Int32Array = new Int32Array(0);

  constructor(private readonly argType: DataType) {
    this.stateTypes = [argType, COUNT_TYPE];
    this.values = createKeyInterner(argType);
  }

  resize(): void {
    // Pairs, not groups, take the space; they grow in update.
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    this.add(input, gids, n, null);
  }

  private add(input: Vector | null, gids: Int32Array | null, n: number, weights: Float64Array | null): void {
    if (input === null || n === 0 || this.argType.kind === 'NULL') return;
    if (this.vids.length < n) this.vids = new Int32Array(Math.max(n, 1024));
    const vids = this.vids;
    this.values.intern(input, vids);
    const nulls = input.nulls;
    this.counts = growF64(this.counts, this.pairs.size + n);
    const counts = this.counts;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      counts[this.pairs.intern2(gids === null ? 0 : gids[i], vids[i])] += weights === null ? 1 : weights[i];
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    const c = states[1];
    let weights: Float64Array;
    if (c.kind === 'f64') weights = c.values;
    else if (c.kind === 'dec') weights = Float64Array.from(c.values, Number);
    else throw new InternalError(`MODE count state arrived as a ${c.kind} vector`);
    this.add(states[0], gids, n, weights);
  }

  entryGroups(): Int32Array {
    const count = this.pairs.size;
    const t = this.pairs.tuples;
    const groups = new Int32Array(count);
    for (let k = 0; k < count; k++) groups[k] = t[2 * k];
    return groups;
  }

  /** The value id of each pair. */
  private pairValues(): Int32Array {
    const count = this.pairs.size;
    const t = this.pairs.tuples;
    const out = new Int32Array(count);
    for (let k = 0; k < count; k++) out[k] = t[2 * k + 1];
    return out;
  }

  emitEntries(sel: Int32Array, count: number): Vector[] {
    const values = this.pairValues();
    const ids = new Int32Array(count);
    const counts = new Float64Array(count);
    for (let r = 0; r < count; r++) {
      ids[r] = sel[r] < 0 ? -1 : values[sel[r]];
      if (sel[r] >= 0) counts[r] = this.counts[sel[r]];
    }
    return [this.values.emit(ids, count), { kind: 'f64', length: count, values: counts, nulls: null }];
  }

  emitStates(): Vector[] {
    throw new InternalError('MODE emits its (value, count) pairs, not per-group states');
  }

  emitResult(groups: number): Vector {
    const size = this.pairs.size;
    const t = this.pairs.tuples;
    const values = this.pairValues();
    // Every pair's value once, for the tie-break comparison; built only when a tie appears.
    let cmp: ((a: number, b: number) => number) | null = null;
    const best = new Int32Array(groups).fill(-1);
    for (let k = 0; k < size; k++) {
      const g = t[2 * k];
      const b = best[g];
      if (b < 0 || this.counts[k] > this.counts[b]) {
        best[g] = k;
        continue;
      }
      if (this.counts[k] < this.counts[b]) continue;
      cmp ??= keyComparator(this.values.emit(values, size), { desc: false, nullsFirst: false });
      if (cmp(k, b) < 0) best[g] = k;
    }
    const ids = new Int32Array(groups);
    for (let g = 0; g < groups; g++) ids[g] = best[g] < 0 ? -1 : values[best[g]];
    return this.values.emit(ids, groups);
  }
}
