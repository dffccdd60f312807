/**
 * DISTINCT aggregates (COUNT(DISTINCT x), SUM(DISTINCT x), ...): deduplicate (group, value)
 * pairs, then feed each pair's first occurrence to the ordinary accumulator of the function.
 *
 * Contract: values get ids from a KeyInterner of the argument's type (so 1.0 in an 'f64'
 * batch and in a 'dec' batch, or equal strings under different dictionaries, are one
 * value); pairs (group id, value id) live in a TupleHashSet. NULLs are ignored. `merge` is
 * `update`: the partial state of a DISTINCT aggregate is a column of raw values (see
 * partial-state-types.ts), so the final step deduplicates across workers the same way.
 * It is a SpanningAccumulator: the pairs are its entries (accumulator.ts).
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { gatherVector } from '../batch/gather-vector.js';
import type { Accumulator, SpanningAccumulator } from './accumulator.js';
import { createKeyInterner, type KeyInterner } from './key-interner.js';
import { TupleHashSet } from './tuple-hash-set.js';

export class DistinctAccumulator implements SpanningAccumulator {
  readonly stateTypes: readonly DataType[];
  private readonly values: KeyInterner;
  private readonly seen = new TupleHashSet(2);
  private vids: Int32Array = new Int32Array(0);
  /** Value id of each pair, filled by entryGroups. */
  private entryValues: Int32Array | null = null;

  constructor(
    private readonly inner: Accumulator,
    argType: DataType,
  ) {
    this.stateTypes = [argType];
    this.values = createKeyInterner(argType);
  }

  resize(groups: number): void {
    this.inner.resize(groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || n === 0) return;
    if (this.vids.length < n) this.vids = new Int32Array(Math.max(n, 1024));
    const vids = this.vids;
    this.values.intern(input, vids);
    const nulls = input.nulls;
    const sel = new Int32Array(n);
    let m = 0;
    let expect = this.seen.size;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      // Pair ids are dense in insertion order, so a pair is new exactly when its id is the next one.
      if (this.seen.intern2(gids === null ? 0 : gids[i], vids[i]) === expect) {
        sel[m++] = i;
        expect++;
      }
    }
    if (m === 0) return;
    let newGids: Int32Array | null = null;
    if (gids !== null) {
      newGids = new Int32Array(m);
      for (let k = 0; k < m; k++) newGids[k] = gids[sel[k]];
    }
    this.inner.update(gatherVector(input, sel, m), newGids, m);
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n);
  }

  /** The group of each distinct (group, value) pair, in order of first appearance. */
  entryGroups(): Int32Array {
    const count = this.seen.size;
    const t = this.seen.tuples;
    const groups = new Int32Array(count);
    const values = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      groups[k] = t[2 * k];
      values[k] = t[2 * k + 1];
    }
    this.entryValues = values;
    return groups;
  }

  /** One column of the argument's type: row r = the value of pair sel[r], NULL where sel[r] < 0. */
  emitEntries(sel: Int32Array, count: number): Vector[] {
    if (this.entryValues === null || this.entryValues.length !== this.seen.size) this.entryGroups();
    const values = this.entryValues!;
    const ids = new Int32Array(count);
    for (let r = 0; r < count; r++) ids[r] = sel[r] < 0 ? -1 : values[sel[r]];
    return [this.values.emit(ids, count)];
  }

  emitStates(): Vector[] {
    throw new InternalError('DISTINCT aggregates emit (group, value) pairs, not per-group states');
  }

  emitResult(groups: number): Vector {
    return this.inner.emitResult(groups);
  }
}
