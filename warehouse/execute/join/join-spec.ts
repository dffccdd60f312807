/**
 * The description of one hash join, as the planner hands it to HashJoinExec: join type, the
 * column types of both inputs, equality keys, an optional NULL-aware IN key, an optional
 * residual predicate, and which input is hashed (the build side).
 *
 * Contract:
 *  - `left` and `right` are the SQL sides; output columns are always the left input's
 *    columns then the right input's (INNER, CROSS, LEFT, RIGHT, FULL), or the left input's
 *    columns only (SEMI, ANTI, NULL_AWARE_ANTI), plus one BOOLEAN column for MARK.
 *  - `buildSide` names the input that is consumed first and hashed; the other is probed
 *    batch by batch. Every join type works with either build side.
 *  - `keys[k].left` is a BoundExpr over the left input's columns, `keys[k].right` over the
 *    right input's; both sides of a key have one type (the planner casts; NUMBER keys must
 *    share their scale), or one side is of the NULL type. Keys use SQL equality: a NULL key
 *    never matches. No keys at all means a nested-loop join over `residual` (CROSS when
 *    there is no residual either).
 *  - `inKey` (MARK and NULL_AWARE_ANTI only) is the comparison of `x [NOT] IN (subquery)`:
 *    left = x, right = the subquery's column, with IN's three-valued rules. `keys` are then
 *    the correlation keys: they (and `residual`) select the subquery rows of each left row.
 *    MARK without inKey has EXISTS semantics (TRUE or FALSE, never NULL).
 *  - `residual` is a BOOLEAN BoundExpr over the combined row (left columns, then right
 *    columns); a pair joins only when it is TRUE.
 *  - `memoryBudget` bounds the bytes the build side may hold (batches plus hash table),
 *    and separately the output a caller keeps; `batchSize` bounds the rows of each output batch; a build side with at most
 *    `keySetLimit` distinct keys reports its key set for join pruning.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import { Types, typeToSql, type DataType } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';

export const JoinType = {
  INNER: 'INNER',
  CROSS: 'CROSS',
  LEFT: 'LEFT',
  RIGHT: 'RIGHT',
  FULL: 'FULL',
  SEMI: 'SEMI',
  ANTI: 'ANTI',
  NULL_AWARE_ANTI: 'NULL_AWARE_ANTI',
  MARK: 'MARK',
} as const;
export type JoinType = (typeof JoinType)[keyof typeof JoinType];

export const BuildSide = { LEFT: 'left', RIGHT: 'right' } as const;
export type BuildSide = (typeof BuildSide)[keyof typeof BuildSide];

/** One equality: `left` over the left input, `right` over the right input. */
export type JoinKey = { left: BoundExpr; right: BoundExpr };

export type HashJoinSpec = {
  type: JoinType;
  /** Column types of the left input's batches. */
  left: readonly DataType[];
  /** Column types of the right input's batches. */
  right: readonly DataType[];
  keys: readonly JoinKey[];
  inKey?: JoinKey | null;
  residual?: BoundExpr | null;
  buildSide: BuildSide;
  /** Names the join in error messages, e.g. 'join #2 (ORDERS, LINEITEM)'. */
  name?: string;
  /** Bytes the build side may hold, and the output a caller keeps; default unlimited. */
  memoryBudget?: number;
  /** Most rows per output batch; default DEFAULT_JOIN_BATCH_SIZE. */
  batchSize?: number;
  /** Largest distinct-key count for which the key set is reported; default DEFAULT_KEY_SET_LIMIT. */
  keySetLimit?: number;
  /**
   * The output columns to produce, as positions in the full output (left then right
   * columns), in order; default all. Joined pairs gather only these columns.
   */
  outputs?: readonly number[];
};

export const DEFAULT_JOIN_BATCH_SIZE = 8192;
export const DEFAULT_KEY_SET_LIMIT = 1000;

/** True for the join types whose output is the left rows (plus a mark) rather than pairs. */
export function isRowFlagJoin(type: JoinType): boolean {
  return type === 'SEMI' || type === 'ANTI' || type === 'NULL_AWARE_ANTI' || type === 'MARK';
}

/** Types of the join's output batches. */
export function joinOutputTypes(spec: HashJoinSpec): DataType[] {
  const all = spec.type === 'MARK' ? [...spec.left, Types.boolean] : isRowFlagJoin(spec.type) ? [...spec.left] : [...spec.left, ...spec.right];
  return spec.outputs ? spec.outputs.map((i) => all[i]) : all;
}

/** The one type both sides of a key are hashed as; throws when the planner left them apart. */
export function joinKeyType(key: JoinKey, what: string): DataType {
  const l = key.left.type;
  const r = key.right.type;
  if (l.kind === 'NULL') return r;
  if (r.kind === 'NULL') return l;
  const same = l.kind === r.kind && (l.kind !== 'NUMBER' || (r.kind === 'NUMBER' && l.scale === r.scale));
  if (!same) throw new InternalError(`${what}: left side is ${typeToSql(l)} and right side is ${typeToSql(r)}; the planner must cast them to one type`);
  return l;
}

/** Checks the combinations the operator does not accept (planner bugs, not user errors). */
export function validateJoinSpec(spec: HashJoinSpec): void {
  const inKey = spec.inKey ?? null;
  if (spec.type === 'NULL_AWARE_ANTI' && inKey === null) throw new InternalError('NULL_AWARE_ANTI join needs an inKey');
  if (inKey !== null && spec.type !== 'MARK' && spec.type !== 'NULL_AWARE_ANTI') throw new InternalError(`${spec.type} join takes no inKey`);
  if (spec.type === 'CROSS' && (spec.keys.length > 0 || inKey !== null || (spec.residual ?? null) !== null)) {
    throw new InternalError('CROSS join takes no keys and no residual predicate');
  }
  if (spec.residual && spec.residual.type.kind !== 'BOOLEAN' && spec.residual.type.kind !== 'NULL') {
    throw new InternalError(`join residual predicate is ${typeToSql(spec.residual.type)}, not BOOLEAN`);
  }
  if (spec.batchSize !== undefined && !(spec.batchSize >= 1)) throw new InternalError(`join batchSize ${spec.batchSize} must be at least 1`);
  const width = joinOutputTypes({ ...spec, outputs: undefined }).length;
  if (spec.outputs && spec.outputs.some((o) => !(o >= 0 && o < width && Number.isInteger(o)))) {
    throw new InternalError(`join outputs ${spec.outputs.join(',')} outside its ${width} output columns`);
  }
  spec.keys.forEach((k, i) => joinKeyType(k, `join key ${i + 1}`));
  if (inKey !== null) joinKeyType(inKey, 'join IN key');
}
