/**
 * LAG and LEAD: the value `offset` rows before (LAG) or after (LEAD) the current row in its
 * partition's order, or `default` when that row is outside the partition.
 *
 * Contract (https://docs.snowflake.com/en/sql-reference/functions/lag): the offset defaults
 * to 1; a negative offset looks the other way (LAG(x, -1) = LEAD(x, 1)); 0 is the current
 * row; a NULL offset gives NULL. The default is evaluated per row (the current row's value
 * is used) and is NULL when absent. With IGNORE NULLS, offsets count only rows whose value
 * is not NULL (LAG(x, 1) IGNORE NULLS is the closest earlier non-NULL value). Frames do not
 * apply. The result has the call's type, gathered from the argument and default vectors
 * (one concatenation when there is a default, then one gather).
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { concatVectors } from '../batch/concat-batches.js';
import { gatherOrNull } from './gather-or-null.js';
import type { IntegerArgument } from './integer-argument.js';
import { nonNullPositions } from './non-null-positions.js';
import type { WindowLayout } from './window-layout.js';

export type LagLeadInput = {
  arg: Vector;
  /** Per-row offsets; null = 1 for every row. */
  offsets: IntegerArgument | null;
  /** Per-row defaults, of the call's type; null = NULL. */
  defaults: Vector | null;
  ignoreNulls: boolean;
};

export function lagLead(fn: 'lag' | 'lead', type: DataType, layout: WindowLayout, input: LagLeadInput): Vector {
  const { n, perm, partitionStarts } = layout;
  const { arg, offsets, defaults } = input;
  const direction = fn === 'lag' ? -1 : 1;
  // src[r] = row of `source` holding row r's result: an arg row, n + r for row r's default, or -1.
  const src = new Int32Array(n);
  const offNulls = offsets?.nulls ?? null;
  const offValues = offsets?.values ?? null;
  const skipNulls = input.ignoreNulls && arg.nulls !== null ? nonNullPositions(layout, arg) : null;
  // The row `shift` away from p in [ps, pe), or -1; chosen once: plain positions, or non-NULL rows only.
  const locate =
    skipNulls === null
      ? (p: number, ps: number, pe: number, shift: number) => (p + shift >= ps && p + shift < pe ? p + shift : -1)
      : (p: number, ps: number, pe: number, shift: number) => nthNonNull(skipNulls.before, skipNulls.list, p, ps, pe, shift);
  const parts = partitionStarts.length - 1;
  for (let k = 0; k < parts; k++) {
    const ps = partitionStarts[k];
    const pe = partitionStarts[k + 1];
    for (let p = ps; p < pe; p++) {
      const r = perm[p];
      if (offNulls !== null && offNulls[r] !== 0) {
        src[r] = -1;
        continue;
      }
      const shift = direction * (offValues === null ? 1 : offValues[r]);
      const at = shift === 0 ? p : locate(p, ps, pe, shift);
      src[r] = at >= 0 ? perm[at] : defaults !== null ? n + r : -1;
    }
  }
  const source = defaults !== null ? concatVectors(type, [arg, defaults]) : arg;
  return gatherOrNull(source, src);
}

/** Position of the |shift|-th non-NULL row before (shift < 0) or after (shift > 0) p within [ps, pe), or -1. */
function nthNonNull(before: Int32Array, list: Int32Array, p: number, ps: number, pe: number, shift: number): number {
  if (shift < 0) {
    const i = before[p] + shift;
    return i >= before[ps] ? list[i] : -1;
  }
  const i = before[p + 1] + shift - 1;
  return i < before[pe] ? list[i] : -1;
}
