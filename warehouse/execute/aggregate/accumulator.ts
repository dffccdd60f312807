/**
 * The accumulator interface of hash aggregation: per-group state of one aggregate call,
 * held in typed arrays indexed by group id.
 *
 * Contract: `resize(groups)` is called before any update/merge that uses group ids below
 * `groups`. `update` folds raw argument values (a vector of the argument's type, or null
 * for COUNT(*)); `merge` folds partial-state columns laid out as `stateTypes` (see
 * partial-state-types.ts). `gids` maps row i to its group; null means every row belongs
 * to group 0 (global aggregation, the fast path). `groupRows`, given to `update` over few groups
 * (few-groups.ts), holds the batch's rows per group, so an accumulator whose input has no
 * NULLs can add those counts instead of counting rows. `emitStates`/`emitResult` build vectors
 * for groups 0..groups-1 without disturbing the state.
 * A SpanningAccumulator (DISTINCT aggregates, MEDIAN) has no per-group summary to ship: its
 * partial state is a list of entries, one partial row each (partial-state-types.ts), so the
 * operator asks it for `entryGroups` and `emitEntries` instead of `emitStates`.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { leaseF64, leaseI32, leaseU8, regrow } from '../batch/array-pool.js';

export interface Accumulator {
  readonly stateTypes: readonly DataType[];
  resize(groups: number): void;
  /** `extras`: the further per-row inputs of a collecting aggregate (collect-accumulator.ts). */
  update(input: Vector | null, gids: Int32Array | null, n: number, groupRows?: Float64Array | null, extras?: readonly Vector[]): void;
  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void;
  emitStates(groups: number): Vector[];
  emitResult(groups: number): Vector;
}

export interface SpanningAccumulator extends Accumulator {
  /** The group of each entry, in entry order (a view, valid until the next update). */
  entryGroups(): Int32Array;
  /** State columns of `count` partial rows: row r carries entry sel[r], or no value (NULL) where sel[r] < 0. */
  emitEntries(sel: Int32Array, count: number): Vector[];
}

export function isSpanning(acc: Accumulator): acc is SpanningAccumulator {
  return typeof (acc as Partial<SpanningAccumulator>).entryGroups === 'function';
}

/**
 * `arr` grown (by doubling) to hold at least `need` entries; new entries set to `fill`. Inside
 * an operator's lease (array-pool.ts) the grown array is leased and `arr` given back.
 */
export function growF64(arr: Float64Array, need: number, fill = 0): Float64Array {
  if (arr.length >= need) return arr;
  let cap = Math.max(arr.length, 16);
  while (cap < need) cap *= 2;
  const out = leaseF64(cap);
  out.set(arr);
  if (fill !== 0) out.fill(fill, arr.length);
  return regrow(arr, out);
}

export function growI32(arr: Int32Array, need: number, fill = 0): Int32Array {
  if (arr.length >= need) return arr;
  let cap = Math.max(arr.length, 16);
  while (cap < need) cap *= 2;
  const out = leaseI32(cap);
  out.set(arr);
  if (fill !== 0) out.fill(fill, arr.length);
  return regrow(arr, out);
}

export function growU8(arr: Uint8Array, need: number): Uint8Array {
  if (arr.length >= need) return arr;
  let cap = Math.max(arr.length, 16);
  while (cap < need) cap *= 2;
  const out = leaseU8(cap);
  out.set(arr);
  return regrow(arr, out);
}

/**
 * NULL mask for groups whose count is 0 (null when no group is empty). The mask is allocated
 * only once an empty group is found: most aggregates have none, and a fresh array of a
 * million groups costs its page faults.
 */
export function nullsWhereZero(counts: Float64Array, groups: number): Uint8Array | null {
  let g = 0;
  while (g < groups && counts[g] !== 0) g++;
  if (g === groups) return null;
  const nulls = new Uint8Array(groups);
  for (; g < groups; g++) nulls[g] = counts[g] === 0 ? 1 : 0;
  return nulls;
}

/** Adds a COUNT state column (NUMBER(18,0), 'f64' or 'dec', never NULL) into per-group counts. */
export function mergeCounts(counts: Float64Array, state: Vector, gids: Int32Array | null, n: number): void {
  if (state.kind === 'f64') {
    const v = state.values;
    if (gids === null) for (let i = 0; i < n; i++) counts[0] += v[i];
    else for (let i = 0; i < n; i++) counts[gids[i]] += v[i];
  } else if (state.kind === 'dec') {
    for (let i = 0; i < n; i++) counts[gids === null ? 0 : gids[i]] += Number(state.values[i]);
  } else {
    throw new InternalError(`COUNT state arrived as a ${state.kind} vector`);
  }
}
