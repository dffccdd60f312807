/**
 * Join pruning at run time, as Snowflake does it: once a join's build stage has run, the range
 * of each build key (and, when it has at most RUNTIME_FILTER_KEY_SET_LIMIT (key-summary.ts) distinct values, that exact
 * set) becomes a predicate on the probe stage's scan, and that scan is pruned again over its
 * zone maps before any of its partitions is dispatched. Workers also apply the predicate while
 * scanning. The planner only asks for it where dropping probe rows without a match cannot
 * change the result (the probe side of INNER/SEMI joins, the inner side of outer joins;
 * Stage.runtimeFilters in warehouse/fragment/stage-plan.ts).
 *
 * Contract: `mergeKeySummaries` combines the build tasks' KeySummaries of one key (min of
 * mins, max of maxes, union of value sets; a task without a set makes the merged set null).
 * A union past RUNTIME_FILTER_KEY_SET_LIMIT is dropped too (many build tasks' sets
 * would make one huge IN list), and so is a union of bitmaps whose keys span more than
 * RUNTIME_FILTER_BITS_SPAN values (counted in whole words), as one task's builder would drop
 * it: the filter a probe gets must not depend on how many tasks built the keys (TPC-H Q18's
 * 57 order keys over 6M values: two tasks' halves each fit a bitmap, their union does not, and
 * every task of the probe then judged the zones of a 750 KiB bitmap instead of an IN list).
 * `runtimeFilterPredicate` turns a merged summary into a predicate over the probe scan's
 * column `probeColumn` (a scanColumns position): FALSE when the build side has no non-NULL key
 * (nothing can match), the IN list when the set is known, else min <= col <= max; null (no
 * filter) when the key's type does not share the column's value domain (a NUMBER of another
 * scale: its JSON scalars are scaled integers of that scale). `runtimeFilterBits` answers the
 * merged bitmap (the union of the tasks' bitmaps) for a set too large for an IN list.
 */
import { Types, type DataType } from '../../storage/types/data-type.js';
import { scalarFromJson, type Scalar } from '../../storage/types/scalar.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { KeyBits, KeySummary } from '../../warehouse/fragment/stage-plan.js';
import { totalCompare } from '../../warehouse/execute/functions/comparison.js';
import { RUNTIME_FILTER_KEY_SET_LIMIT } from '../../warehouse/execute/stage/key-summary.js';
import { countKeyBits, hasKeyBits, RUNTIME_FILTER_BITS_SPAN, unionKeyBits, usedSpan } from '../../warehouse/execute/stage/key-bits.js';

type Json = null | boolean | number | string;

export function mergeKeySummaries(type: DataType, summaries: readonly KeySummary[]): KeySummary {
  let rows = 0;
  let min: Scalar = null;
  let max: Scalar = null;
  let minJson: unknown = null;
  let maxJson: unknown = null;
  let values: Map<string, unknown> | null = new Map();
  for (const s of summaries) {
    rows += s.rows;
    if (s.min !== null && s.min !== undefined) {
      const v = scalarFromJson(type, s.min as Json);
      if (min === null || compareScalars(v, min) < 0) {
        min = v;
        minJson = s.min;
      }
    }
    if (s.max !== null && s.max !== undefined) {
      const v = scalarFromJson(type, s.max as Json);
      if (max === null || compareScalars(v, max) > 0) {
        max = v;
        maxJson = s.max;
      }
    }
    if (values !== null && s.values !== null) {
      for (const v of s.values) values.set(`${typeof v}:${String(v)}`, v);
      if (values.size > RUNTIME_FILTER_KEY_SET_LIMIT) values = null;
    } else {
      values = null;
    }
  }
  const all = summaries.map((s) => s.bits);
  const bits = all.every((b): b is KeyBits => b !== null) ? unionKeyBits(all, RUNTIME_FILTER_BITS_SPAN) : null;
  return { rows, min: minJson, max: maxJson, values: values === null ? null : [...values.values()], bits };
}

/** Total order of two non-NULL scalars of one type (NaN above every number, as the kernels). */
function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'number' && typeof b === 'number') return totalCompare(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether JSON scalars of `key` mean the same values in `column` (same kind; NUMBER: same scale). */
function sameDomain(key: DataType, column: DataType): boolean {
  if (key.kind !== column.kind) return false;
  if (key.kind === 'NUMBER' && column.kind === 'NUMBER') return key.scale === column.scale;
  return true;
}

export function runtimeFilterPredicate(keyType: DataType, column: { index: number; type: DataType }, summary: KeySummary): BoundExpr | null {
  if (!sameDomain(keyType, column.type)) return null;
  const type = column.type;
  const col: BoundExpr = { kind: 'column', index: column.index, type };
  const lit = (v: unknown): BoundExpr => ({ kind: 'literal', value: scalarFromJson(type, v as Json), type });
  if (summary.min === null || summary.max === null || summary.min === undefined || summary.max === undefined) {
    return { kind: 'literal', value: false, type: Types.boolean };
  }
  if (summary.values !== null && summary.values.length > 0) {
    return { kind: 'in_list', expr: col, list: summary.values.map(lit), negated: false, type: Types.boolean };
  }
  return {
    kind: 'and',
    type: Types.boolean,
    args: [
      { kind: 'call', fn: 'ge', args: [col, lit(summary.min)], type: Types.boolean },
      { kind: 'call', fn: 'le', args: [col, lit(summary.max)], type: Types.boolean },
    ],
  };
}

/**
 * The key bitmap to filter the probe scan's `column` by, when a bitmap holds the build keys
 * and they share the column's value domain: always for keys an IN list holds too
 * (runtimeFilterPredicate; the bitmap tests a row in a few instructions, the coordinator keeps
 * the IN list for pruning), and for keys too many for an IN list when they are sparse, at most
 * half the values of their own [min, max] (a denser set drops few rows the range would not,
 * and the join drops those anyway).
 */
export function runtimeFilterBits(keyType: DataType, column: { type: DataType }, summary: KeySummary): KeyBits | null {
  if (summary.bits === null) return null;
  if (!sameDomain(keyType, column.type) || !hasKeyBits(column.type)) return null;
  if (summary.values !== null) return summary.bits;
  return countKeyBits(summary.bits) * 2 <= usedSpan(summary.bits) ? summary.bits : null;
}
