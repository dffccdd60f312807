/**
 * Hash aggregation (GROUP BY and global aggregates) over typed arrays, in three modes:
 *   partial  — raw rows in, one partial-state batch out (layout in partial-state-types.ts:
 *              group keys, then each aggregate's state columns);
 *   final    — partial-state batches from any number of tasks in (a hash exchange put all
 *              states of a group in one task), results out;
 *   complete — both at once (the 'single' phase: all rows of a group in one task).
 * Results are the group keys, then one column per aggregate with its call's result type.
 *
 * Contract: call `consume` once per batch, then `finish` once. Group keys and aggregate
 * arguments are BoundExprs over the input batch, evaluated through the injected
 * ExprEvaluator (required in partial and complete mode; final mode reads columns). Rows get
 * dense group ids from a GroupKeyTable (NULL is its own group); accumulators keep per-group
 * state in typed arrays indexed by group id; past `memoryBudget` bytes (estimated per group)
 * consume throws ResourceError RESOURCE_EXHAUSTED. The key table's and accumulators' arrays are
 * leased from the worker's array pool and go back to it once finish (or finishStates) has
 * emitted copies of them, so the next aggregation reuses them. Without GROUP BY every row is group 0 (no key
 * hashing at all) and the output always has exactly one row, even for empty input (COUNT 0,
 * everything else NULL); with GROUP BY, empty input gives zero rows.
 */
import { ArrayLease, leased, recycleUnshared } from '../batch/array-pool.js';
import { InternalError, ResourceError } from '../../../storage/errors/firn-error.js';
import { CancelFlag } from '../../cancel/cancel-flag.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import { aggregateExtras, type AggregateCall, type BoundExpr } from '../../fragment/bound-expr.js';
import { concatVectors } from '../batch/concat-batches.js';
import { SharedEvaluation, type ExprEvaluator } from '../batch/expr-evaluator.js';
import { gatherVector } from '../batch/gather-vector.js';
import { isSpanning, type Accumulator } from './accumulator.js';
import { createAccumulator } from './create-accumulator.js';
import { groupRows } from './few-groups.js';
import { GroupKeyTable } from './group-key-table.js';
import { aggregateStateTypes, partialStateTypes } from './partial-state-types.js';

/** Estimated bytes per group per key column (interner slots, stored values, tuple ids) and per state column. */
const BYTES_PER_KEY = 40;
const BYTES_PER_STATE = 16;

export const AggregateMode = { PARTIAL: 'partial', FINAL: 'final', COMPLETE: 'complete' } as const;
export type AggregateMode = (typeof AggregateMode)[keyof typeof AggregateMode];

/** An operator's output: one batch and the types of its columns. */
export type AggregateOutput = { batch: Batch; types: DataType[] };

export class HashAggregateExec {
  /** Types of the batches `consume` takes in final mode (the partial-state layout). */
  readonly stateTypes: DataType[];
  /** Types of the batch `finish` returns. */
  readonly outputTypes: DataType[];
  private readonly keys: GroupKeyTable | null;
  private readonly accs: Accumulator[];
  /** First state column of each aggregate in a partial-state batch. */
  private readonly stateOffsets: number[];
  private readonly inputs: SharedEvaluation;
  /** How many extra inputs each aggregate takes (after all arguments in `inputs`). */
  private readonly extraCounts: number[];
  private gids: Int32Array = new Int32Array(0);
  private finished = false;
  /** The key table's and accumulators' arrays, given back to the pool once finish has emitted. */
  private readonly lease = new ArrayLease();

  /** Estimated bytes one group holds: key table entries plus accumulator states. */
  private readonly bytesPerGroup: number;

  constructor(
    readonly groupBy: readonly BoundExpr[],
    readonly aggregates: readonly AggregateCall[],
    readonly mode: AggregateMode,
    private readonly evaluate?: ExprEvaluator,
    private readonly memoryBudget = Infinity,
  ) {
    if (mode !== 'final' && evaluate === undefined) throw new InternalError(`${mode} aggregation needs an expression evaluator`);
    this.keys = groupBy.length > 0 ? new GroupKeyTable(groupBy.map((g) => g.type)) : null;
    this.accs = aggregates.map(createAccumulator);
    this.stateTypes = partialStateTypes(groupBy, aggregates);
    this.outputTypes = mode === 'partial' ? this.stateTypes : [...groupBy.map((g) => g.type), ...aggregates.map((a) => a.type)];
    this.stateOffsets = [];
    let at = groupBy.length;
    for (const a of aggregates) {
      this.stateOffsets.push(at);
      at += aggregateStateTypes(a).length;
    }
    // Each call's argument, then every call's extras (aggregateExtras: WITHIN GROUP keys, MIN_BY's key, ...).
    this.extraCounts = aggregates.map((a) => aggregateExtras(a).length);
    this.inputs = new SharedEvaluation([...aggregates.map((a) => a.arg), ...aggregates.flatMap(aggregateExtras)]);
    this.bytesPerGroup = groupBy.length * BYTES_PER_KEY + this.accs.reduce((n, acc) => n + acc.stateTypes.length * BYTES_PER_STATE, 0);
    for (const acc of this.accs) acc.resize(1);
  }

  /** Groups so far (1 without GROUP BY). */
  get groups(): number {
    return this.keys === null ? 1 : this.keys.size;
  }

  /** Estimated bytes of the group table and accumulator states (what memoryBudget is checked against). */
  get memoryBytes(): number {
    return this.groups * this.bytesPerGroup;
  }

  consume(batch: Batch): void {
    leased(this.lease, () => this.consumeLeased(batch));
  }

  private consumeLeased(batch: Batch): void {
    CancelFlag.checkpoint();
    if (this.finished) throw new InternalError('HashAggregateExec.consume after finish');
    const n = batch.length;
    if (n === 0) return;
    if (this.mode === 'final' && batch.columns.length !== this.stateTypes.length) {
      throw new InternalError(`partial aggregate batch has ${batch.columns.length} columns, expected ${this.stateTypes.length}`);
    }
    const keyVectors = this.mode === 'final' ? batch.columns.slice(0, this.groupBy.length) : this.groupBy.map((g) => this.evaluate!(g, batch));
    const gids = this.assignGroups(keyVectors, n);
    if (this.mode === 'final') {
      this.accs.forEach((acc, a) => {
        const at = this.stateOffsets[a];
        acc.merge(batch.columns.slice(at, at + acc.stateTypes.length), gids, n);
      });
      return;
    }
    const args = this.inputs.evaluate(batch, this.evaluate!);
    const rows = gids === null ? null : groupRows(gids, n, this.keys!.size);
    let at = this.accs.length;
    this.accs.forEach((acc, a) => {
      const k = this.extraCounts[a];
      if (k === 0) acc.update(args[a], gids, n, rows);
      else acc.update(args[a], gids, n, rows, args.slice(at, at + k) as Vector[]);
      at += k;
    });
    // Keys and arguments computed for this batch are dead now (no key table or accumulator keeps input arrays).
    for (const v of keyVectors) recycleUnshared(v, batch);
    for (const v of new Set(args)) recycleUnshared(v, batch);
  }

  /** Group id per row (null for global aggregation), with every accumulator sized for them. */
  private assignGroups(keyVectors: Vector[], n: number): Int32Array | null {
    if (this.keys === null) return null;
    if (this.gids.length < n) this.gids = new Int32Array(Math.max(n, 1024));
    this.keys.assign(keyVectors, n, this.gids);
    const groups = this.keys.size;
    if (groups * this.bytesPerGroup > this.memoryBudget) {
      throw new ResourceError(
        'RESOURCE_EXHAUSTED',
        `Aggregation exceeded its memory budget: ${groups} groups need about ${groups * this.bytesPerGroup} bytes, more than the ${this.memoryBudget} allowed. ` +
          'Use a larger warehouse or group by fewer distinct values.',
      );
    }
    for (const acc of this.accs) acc.resize(groups);
    return this.gids;
  }

  finish(): AggregateOutput {
    this.finished = true;
    const groups = this.keys === null ? 1 : this.keys.size;
    const batch = this.mode === 'partial' ? this.emitPartial(groups) : this.emitResults(groups);
    this.lease.release();
    return { batch, types: this.outputTypes };
  }

  /**
   * The partial-state batch of what was consumed so far, in any mode (layout: stateTypes):
   * a final or complete aggregation that must spill hands its groups on as states.
   */
  finishStates(): AggregateOutput {
    this.finished = true;
    const batch = this.emitPartial(this.groups);
    this.lease.release();
    return { batch, types: this.stateTypes };
  }

  private emitResults(groups: number): Batch {
    const keyColumns = this.keys === null ? [] : this.keys.emitKeys(identity(groups), groups);
    return { length: groups, columns: [...keyColumns, ...this.accs.map((acc) => acc.emitResult(groups))] };
  }

  /** The partial-state batch; see partial-state-types.ts for how spanning entries span rows. */
  private emitPartial(groups: number): Batch {
    const spanning = this.accs.map((acc) => (isSpanning(acc) ? acc : null));
    if (spanning.every((s) => s === null)) {
      const keyColumns = this.keys === null ? [] : this.keys.emitKeys(identity(groups), groups);
      return { length: groups, columns: [...keyColumns, ...this.accs.flatMap((acc) => acc.emitStates(groups))] };
    }
    const entries = spanning.map((s) => (s === null ? null : s.entryGroups()));
    const rowsOf = new Int32Array(groups).fill(1);
    for (const e of entries) {
      if (e === null) continue;
      const perGroup = new Int32Array(groups);
      for (let k = 0; k < e.length; k++) perGroup[e[k]]++;
      for (let g = 0; g < groups; g++) if (perGroup[g] > rowsOf[g]) rowsOf[g] = perGroup[g];
    }
    const start = new Int32Array(groups);
    let total = 0;
    for (let g = 0; g < groups; g++) {
      start[g] = total;
      total += rowsOf[g];
    }
    // Row r belongs to group rowGroup[r]; rows after a group's first take the identity state,
    // which sits one past the last group in stateSel's source.
    const rowGroup = new Int32Array(total);
    const stateSel = new Int32Array(total);
    for (let g = 0; g < groups; g++) {
      for (let j = 0; j < rowsOf[g]; j++) {
        rowGroup[start[g] + j] = g;
        stateSel[start[g] + j] = j === 0 ? g : groups;
      }
    }
    const columns: Vector[] = this.keys === null ? [] : this.keys.emitKeys(rowGroup, total);
    this.accs.forEach((acc, a) => {
      const s = spanning[a];
      if (s !== null) {
        const e = entries[a]!;
        const sel = new Int32Array(total).fill(-1);
        const cursor = new Int32Array(groups);
        for (let k = 0; k < e.length; k++) {
          const g = e[k];
          sel[start[g] + cursor[g]++] = k;
        }
        columns.push(...s.emitEntries(sel, total));
        return;
      }
      const empty = createAccumulator(this.aggregates[a]);
      empty.resize(1);
      const identityStates = empty.emitStates(1);
      acc.emitStates(groups).forEach((state, k) => {
        const withIdentity = concatVectors(acc.stateTypes[k], [state, identityStates[k]], groups + 1);
        columns.push(gatherVector(withIdentity, stateSel, total));
      });
    });
    return { length: total, columns };
  }
}

function identity(n: number): Int32Array {
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  return ids;
}
