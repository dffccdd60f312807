/**
 * MIN_BY(x, k [, n]) and MAX_BY(x, k [, n]): the x of the row with the smallest (largest) k in
 * each group, or with the n form an ARRAY of the x values of the n best rows, ordered by k.
 *
 * Why an entry store (entry-store.ts): x and k may be of any type, so the candidate rows are kept
 * as rows; every so often, and always before emitting, the entries are sorted by (group, k, x)
 * and only each group's first n (1 without a count) survive. Without a count, each batch first
 * keeps only its best row per group (one comparison per row), so the store holds at most one
 * entry per group and batch between compactions. Ties on k, which Snowflake leaves
 * nondeterministic, go to the smaller x (NULL last), so every split of the rows across workers
 * gives the same answer. Rows whose k is NULL are ignored; x may be NULL.
 * Contract: see accumulator.ts. Inputs: `arg` x, then extras [k] or, in the n form, [k, x as
 * VARIANT] (the binder casts a copy to build the ARRAY). It is a SpanningAccumulator: the
 * partial state is each group's surviving entries, one row each, in columns
 * [x's type, k's type (, VARIANT)] (partial-state-types.ts), and merge is update. Results: x's
 * type, NULL for a group without a row; the n form an ARRAY of the x values ('undefined' for a
 * NULL x, as ARRAY_CONSTRUCT writes it), NULL for a group without a row.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import type { AggregateCall } from '../../fragment/bound-expr.js';
import { rowComparator, type SortOrder } from '../sort/row-comparator.js';
import { growI32, type SpanningAccumulator } from './accumulator.js';
import { EntryStore } from './entry-store.js';

export class MinMaxByAccumulator implements SpanningAccumulator {
  readonly stateTypes: readonly DataType[];
  private readonly store: EntryStore;
  private readonly max: boolean;
  /** Entries kept per group: the count of the n form, else 1. */
  private readonly limit: number;
  private readonly asArray: boolean;
  private readonly orders: SortOrder[];
  /** Per group, this batch's best row so far (-1: none); used without a count. */
  private best: Int32Array = new Int32Array(16).fill(-1);

  constructor(call: AggregateCall) {
    const extras = call.args ?? [];
    if (call.arg === null || extras.length < 1) throw new InternalError(`${call.fn.toUpperCase()} needs a value and a key`);
    this.stateTypes = [call.arg.type, ...extras.map((e) => e.type)];
    this.store = new EntryStore(this.stateTypes);
    this.max = call.fn === 'max_by';
    this.asArray = call.limit !== undefined;
    this.limit = call.limit ?? 1;
    this.orders = [
      { desc: this.max, nullsFirst: false },
      { desc: false, nullsFirst: false },
    ];
  }

  resize(groups: number): void {
    this.best = growI32(this.best, groups, -1);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number, _rows?: Float64Array | null, extras?: readonly Vector[]): void {
    if (input === null || n === 0) return;
    const ex = extras ?? [];
    if (ex.length !== this.stateTypes.length - 1) throw new InternalError(`MIN_BY/MAX_BY got ${ex.length} extra columns, expected ${this.stateTypes.length - 1}`);
    const keyNulls = ex[0].nulls;
    const sel = new Int32Array(n);
    let m = 0;
    if (this.limit === 1) {
      // This batch's best row per group: (k, x) order, the earlier row on a full tie.
      const cmp = rowComparator([ex[0], input], this.orders);
      const best = this.best;
      for (let i = 0; i < n; i++) {
        if (keyNulls !== null && keyNulls[i] !== 0) continue;
        const g = gids === null ? 0 : gids[i];
        const b = best[g];
        if (b < 0) sel[m++] = i;
        if (b < 0 || cmp(i, b) < 0) best[g] = i;
      }
      // sel holds the first row of each group seen; swap in its best row and reset the marks.
      for (let j = 0; j < m; j++) {
        const g = gids === null ? 0 : gids[sel[j]];
        sel[j] = best[g];
        best[g] = -1;
      }
    } else {
      for (let i = 0; i < n; i++) if (keyNulls === null || keyNulls[i] === 0) sel[m++] = i;
    }
    this.store.append([input, ...ex], sel, m, gids);
    if (this.store.due) this.compact();
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n, null, states.slice(1));
  }

  /** Sorts by (group, k, x) and keeps each group's first `limit` entries; returns the kept order. */
  private compact(): void {
    const s = this.store;
    const order = s.sorted([1, 0], this.orders);
    const keep = new Int32Array(s.count);
    let kept = 0;
    let run = 0;
    for (let j = 0; j < s.count; j++) {
      run = j > 0 && s.owner[order[j]] === s.owner[order[j - 1]] ? run + 1 : 0;
      if (run < this.limit) keep[kept++] = order[j];
    }
    s.keep(keep, kept, new Float64Array(kept).fill(1));
  }

  entryGroups(): Int32Array {
    this.compact();
    return this.store.owner.subarray(0, this.store.count);
  }

  emitEntries(sel: Int32Array, count: number): Vector[] {
    return this.stateTypes.map((_, c) => this.store.gather(c, sel, count));
  }

  emitStates(): Vector[] {
    throw new InternalError('MIN_BY / MAX_BY emit their entries, not per-group states');
  }

  emitResult(groups: number): Vector {
    this.compact();
    const s = this.store;
    // After compaction the entries are in (group, k, x) order: each group's run is contiguous.
    const start = s.runs(identity(s.count), groups);
    if (!this.asArray) {
      const sel = new Int32Array(groups);
      for (let g = 0; g < groups; g++) sel[g] = start[g] < start[g + 1] ? start[g] : -1;
      return s.gather(0, sel, groups);
    }
    const values = s.count === 0 ? null : (s.columns()[2] as StrVector);
    const out = new Array<string>(groups);
    const mask = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) {
      if (start[g] === start[g + 1]) {
        anyNull = mask[g] = 1;
        out[g] = '';
        continue;
      }
      const parts: string[] = [];
      for (let k = start[g]; k < start[g + 1]; k++) parts.push(values!.nulls !== null && values!.nulls[k] !== 0 ? 'undefined' : values!.dict[values!.codes[k]]);
      out[g] = `[${parts.join(',')}]`;
    }
    return { kind: 'str', length: groups, codes: Int32Array.from({ length: groups }, (_, g) => g), dict: groups === 0 ? [''] : out, nulls: anyNull ? mask : null };
  }
}

function identity(n: number): Int32Array {
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  return ids;
}
