/**
 * Window function calls: the bound IR of `fn(args) OVER (PARTITION BY ... ORDER BY ... frame)`
 * produced by the binder (services/plan) and computed by warehouse/execute/window. Like
 * bound-expr.ts it is plain data (structured-clone safe), so a fragment may carry it.
 *
 * Contract:
 *  - `args` are BoundExprs over the operator's input batch:
 *      lag/lead       [expr, offset?, default?]  offset: an integer (default 1; negative swaps
 *                     LAG and LEAD, as Snowflake documents); default: same type as expr
 *                     (the binder casts it), returned when the offset leaves the partition;
 *      ntile          [buckets]  a positive integer;
 *      first_value, last_value, sum, avg, count, min, max   [expr];
 *      row_number, rank, dense_rank, count_star             [];
 *      cume_dist, percent_rank                              [] (FLOAT results);
 *      nth_value      [expr, n]  n a positive integer (the binder checks it is a constant); with
 *                     `fromLast` (FROM LAST) counted from the frame's end;
 *      conditional_true_event [BOOLEAN], conditional_change_event [expr]: event numbers;
 *      aggregate      [arg, ...extras]: any aggregate over the whole partition, its call (without
 *                     expressions) in `aggregate`; the accumulator gets arg and extras
 *                     (aggregateExtras of bound-expr.ts) back in that order.
 *      listagg, array_agg  [x, ...k]  x as text (LISTAGG: VARCHAR; ARRAY_AGG: VARIANT), then
 *                     the WITHIN GROUP keys, whose orders are `withinGroup`;
 *      object_agg     [key VARCHAR, value VARIANT].
 *    The collecting calls (frame-collect.ts) also carry `distinct` and LISTAGG's constant
 *    `delimiter`. Keys ride in `args` so every rewrite of a call's expressions reaches them.
 *  - `orderBy` keys carry their NULL placement explicitly (the binder fills in defaults).
 *  - `frame` null means the function's default frame (Snowflake's rules, see
 *    warehouse/execute/window/resolve-frame.ts); ranking functions and LAG/LEAD ignore frames.
 *  - Frame offsets are non-negative numbers. ROWS: a row count. RANGE: a distance in the
 *    physical unit of the single ORDER BY key: the scaled integer for NUMBER(p,s) (so 1.5 over
 *    NUMBER(10,2) is 150), days for DATE, microseconds for TIMESTAMP_NTZ, the value for FLOAT.
 *  - `ignoreNulls` (IGNORE NULLS) applies to lag, lead, first_value, last_value and nth_value.
 *  - `type` is the result type (warehouse/execute/window/window-result-type.ts).
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { AggregateCall, BoundExpr, SortKey } from './bound-expr.js';

export const WindowFn = {
  ROW_NUMBER: 'row_number',
  RANK: 'rank',
  DENSE_RANK: 'dense_rank',
  NTILE: 'ntile',
  CUME_DIST: 'cume_dist',
  PERCENT_RANK: 'percent_rank',
  NTH_VALUE: 'nth_value',
  CONDITIONAL_TRUE_EVENT: 'conditional_true_event',
  CONDITIONAL_CHANGE_EVENT: 'conditional_change_event',
  LAG: 'lag',
  LEAD: 'lead',
  FIRST_VALUE: 'first_value',
  LAST_VALUE: 'last_value',
  SUM: 'sum',
  AVG: 'avg',
  COUNT: 'count',
  COUNT_STAR: 'count_star',
  MIN: 'min',
  MAX: 'max',
  LISTAGG: 'listagg',
  ARRAY_AGG: 'array_agg',
  OBJECT_AGG: 'object_agg',
} as const;
/** 'aggregate' has no SQL name of its own: it is any aggregate function over a window. */
export type WindowFn = (typeof WindowFn)[keyof typeof WindowFn] | 'aggregate';

/** The aggregate of an 'aggregate' window call: an AggregateCall whose expressions ride in the call's args. */
export type WindowAggregate = Omit<AggregateCall, 'arg' | 'args' | 'value' | 'orderBy'>;

export const FrameUnits = { ROWS: 'ROWS', RANGE: 'RANGE' } as const;
export type FrameUnits = (typeof FrameUnits)[keyof typeof FrameUnits];

export type FrameBound =
  | { kind: 'unbounded_preceding' }
  | { kind: 'preceding'; offset: number }
  | { kind: 'current_row' }
  | { kind: 'following'; offset: number }
  | { kind: 'unbounded_following' };

/** `units BETWEEN start AND end`; a one-bound frame (`ROWS 2 PRECEDING`) ends at CURRENT ROW. */
export type WindowFrame = { units: FrameUnits; start: FrameBound; end: FrameBound };

export type WindowCall = {
  fn: WindowFn;
  args: BoundExpr[];
  partitionBy: BoundExpr[];
  orderBy: SortKey[];
  frame: WindowFrame | null;
  ignoreNulls?: boolean;
  /** The collecting calls: DISTINCT, LISTAGG's delimiter ('' default), the WITHIN GROUP key orders (args[1..]). */
  distinct?: boolean;
  delimiter?: string;
  withinGroup?: SortOrder[];
  /** NTH_VALUE ... FROM LAST. */
  fromLast?: boolean;
  aggregate?: WindowAggregate;
  type: DataType;
};

/** A sort key's direction and NULL placement (the key itself is an argument). */
export type SortOrder = { desc: boolean; nullsFirst: boolean };
