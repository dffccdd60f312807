/**
 * Logical plans: the tree the binder builds and the optimizer rewrites.
 *
 * Contract: a kind-tagged union; every node knows its output columns (planColumns). Bound
 * expressions inside a node refer to the columns of that node's input by position. A scan
 * is bound at a snapshot: `partitions` is the live set at `version`, fixed for the whole
 * statement. `filter` and `columns` on a scan are filled in by push-down rules; until then
 * a scan outputs every table column.
 */
import type { PartitionInfo, TableInfo } from '../catalog/catalog.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { AggregateCall, BoundExpr, SortKey } from '../../warehouse/fragment/bound-expr.js';
import type { PruningResult } from '../pruning/prune-partitions.js';
import type { WindowCall } from '../../warehouse/fragment/window-call.js';

export type ScanNode = {
  kind: 'scan';
  table: TableInfo;
  version: number;
  partitions: readonly PartitionInfo[];
  /** Table column positions this scan reads; output column i = table column columns[i]. */
  columns: number[];
  /** Predicate over the scan's output columns, pushed down from a Filter. */
  filter: BoundExpr | null;
  /** Filled in by the prune step: which partitions survive and how. */
  pruning: PruningResult | null;
  /**
   * A DML's target scan: each row also answers its address after `columns`, `$partition` and
   * `$row` (ROW_ID_COLUMNS), which the rewrite finds rows by. No filter is pushed onto them.
   */
  rowIds?: true;
};

/** The row address columns a `rowIds` scan appends: its partition's id and its ordinal in it. */
export const ROW_ID_COLUMNS: readonly Column[] = [
  { name: '$partition', type: { kind: 'NUMBER', precision: 18, scale: 0 }, nullable: false },
  { name: '$row', type: { kind: 'NUMBER', precision: 18, scale: 0 }, nullable: false },
];

/** The columns SPLIT_TO_TABLE adds, as Snowflake names them. */
export const SPLIT_TO_TABLE_COLUMNS: readonly Column[] = [
  { name: 'SEQ', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: false },
  { name: 'INDEX', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: false },
  { name: 'VALUE', type: { kind: 'VARCHAR', length: 16_777_216 }, nullable: false },
];

/** The columns FLATTEN adds, as Snowflake names them. */
export const FLATTEN_COLUMNS: readonly Column[] = [
  { name: 'SEQ', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: false },
  { name: 'KEY', type: { kind: 'VARCHAR', length: 16_777_216 }, nullable: true },
  { name: 'PATH', type: { kind: 'VARCHAR', length: 16_777_216 }, nullable: true },
  { name: 'INDEX', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: true },
  { name: 'VALUE', type: { kind: 'VARIANT' }, nullable: true },
  { name: 'THIS', type: { kind: 'VARIANT' }, nullable: true },
];

/** FLATTEN's MODE: which compounds it expands. */
export const FLATTEN_MODES = ['OBJECT', 'ARRAY', 'BOTH'] as const;
export type FlattenMode = (typeof FLATTEN_MODES)[number];

export type GeneratorNode = { kind: 'generator'; rowCount: number | null; timeLimitMs: number | null; columns: Column[] };

/**
 * A recursive common table expression's definition (bind-recursive-cte.ts): never inside a plan,
 * only the root of an init plan (BindContext.initPlans), which the engine runs before the plans
 * after it (run-recursive-cte.ts): `anchor` once, then `recursive` over and over, each time with
 * its `working_table` leaf standing for the rows the time before returned, until it returns no
 * rows. Its rows are every run's, in `columns` (the anchor's and the recursive step's are
 * conformed to them already). The plans that read them hold `recursive_cte` leaves of its id.
 */
export type RecursiveUnionNode = { kind: 'recursive_union'; name: string; anchor: LogicalPlan; recursive: LogicalPlan; columns: Column[] };

export type LogicalPlan =
  | ScanNode
  | { kind: 'values'; columns: Column[]; rows: BoundExpr[][] }
  /** Rows computed already, held columnar (an earlier statement's result: RESULT_SCAN); read once, in one task. */
  | { kind: 'batches'; columns: Column[]; batches: readonly Batch[]; source?: BatchesSource }
  /**
   * The rows of recursive CTE `name`, computed by init plan `id` (a RecursiveUnionNode) before
   * this plan runs; the engine puts them in its place as a `batches` node (run-query.ts).
   */
  | { kind: 'recursive_cte'; id: number; name: string; columns: Column[] }
  /** Inside a RecursiveUnionNode's `recursive` plan: the rows its previous run returned (the anchor's the first time). */
  | { kind: 'working_table'; name: string; columns: Column[] }
  | RecursiveUnionNode
  /**
   * TABLE(GENERATOR(...)): `rowCount` rows (null: unbounded, then `timeLimitMs` must be set),
   * produced in the warehouse, stopping early once `timeLimitMs` has passed. Its one column is
   * each row's ordinal 0, 1, 2, ... (GENERATOR_ROW_COLUMN), hidden from `*`, which SEQn() and
   * RANDOM(seed) read (bind-generator.ts).
   */
  | GeneratorNode
  /**
   * SPLIT_TO_TABLE(string, delimiter) per input row (a correlated table function): each row
   * repeated once per part of `string` split at `delimiter` (both over the input's columns),
   * followed by SEQ, INDEX and VALUE (SPLIT_TO_TABLE_COLUMNS). A NULL string or delimiter
   * gives the row no output; an empty string one empty part.
   */
  | { kind: 'split_to_table'; input: LogicalPlan; string: BoundExpr; delimiter: BoundExpr }
  /**
   * FLATTEN per input row (a correlated table function): each row repeated once per element of
   * the compound at `path` in `expr` (a VARIANT/OBJECT/ARRAY over the input's columns), with
   * `recursive` every nested element too, followed by FLATTEN_COLUMNS; see flatten_exec.
   */
  | { kind: 'flatten'; input: LogicalPlan; expr: BoundExpr; path: string; outer: boolean; recursive: boolean; mode: FlattenMode }
  /**
   * seq.NEXTVAL over each input row: the input's columns, then one column per entry of `sequences`
   * (`id` the catalog's, `name` qualified for EXPLAIN; an id may repeat: each entry is a reference
   * of its own, with its own values), each row getting a next value of its own (NUMBER(38,0), never
   * NULL). Filled in the warehouse by nextval_exec, which reserves its values from the catalog as
   * batches come; over VALUES services puts reserved values in their place instead
   * (reserve-sequence-values.ts). Optimizer rules never move an expression across it.
   */
  | { kind: 'sequence'; input: LogicalPlan; sequences: { id: number; name: string }[] }
  | { kind: 'filter'; input: LogicalPlan; predicate: BoundExpr }
  /**
   * `secure`: the top of a secure view's query. Filters from the query around it stop here,
   * except conjuncts that can raise no error (push-down-filter.ts), so a predicate never runs
   * on rows the view's own filters hide.
   */
  | { kind: 'project'; input: LogicalPlan; exprs: BoundExpr[]; names: string[]; secure?: boolean }
  | { kind: 'aggregate'; input: LogicalPlan; groupBy: BoundExpr[]; groupNames: string[]; aggregates: AggregateCall[] }
  | { kind: 'sort'; input: LogicalPlan; keys: SortKey[] }
  | { kind: 'limit'; input: LogicalPlan; limit: number | null; offset: number }
  | JoinNode
  /** Window functions: outputs the input's columns, then one column per call. */
  | { kind: 'window'; input: LogicalPlan; calls: WindowCall[] }
  | { kind: 'set_operation'; op: 'UNION' | 'INTERSECT' | 'EXCEPT'; all: boolean; left: LogicalPlan; right: LogicalPlan; columns: Column[] };

/** Where a `batches` node's rows came from when it stands for a recursive CTE or its working table (EXPLAIN names them). */
export type BatchesSource = { kind: 'recursive_cte' | 'working_table'; name: string };

export const JoinType = {
  INNER: 'INNER',
  LEFT: 'LEFT',
  RIGHT: 'RIGHT',
  FULL: 'FULL',
  CROSS: 'CROSS',
  SEMI: 'SEMI',
  ANTI: 'ANTI',
  /** ANTI for `x NOT IN (subquery)`: any NULL on the right side means no row qualifies. */
  NULL_AWARE_ANTI: 'NULL_AWARE_ANTI',
  /** Every left row plus a BOOLEAN column: whether some right row matches (EXISTS: never NULL). */
  MARK: 'MARK',
  /** MARK for `x IN (subquery)`: TRUE, FALSE or NULL by IN's three-valued rules. */
  NULL_AWARE_MARK: 'NULL_AWARE_MARK',
} as const;
export type JoinType = (typeof JoinType)[keyof typeof JoinType];

/**
 * A join. `condition` is over the left columns followed by the right columns. SEMI and
 * ANTI joins output only the left columns; MARK joins the left columns and the mark. For
 * NULL_AWARE_ANTI and NULL_AWARE_MARK the condition's first conjunct is the IN comparison
 * `x = y` (x over the left columns only, y over the right columns only); the other
 * conjuncts (correlation) select the right rows each left row is compared with.
 */
export type JoinNode = { kind: 'join'; joinType: JoinType; left: LogicalPlan; right: LogicalPlan; condition: BoundExpr | null };

/** Output columns of a plan node. */
export function planColumns(plan: LogicalPlan): Column[] {
  switch (plan.kind) {
    case 'scan': {
      const cols = plan.columns.map((i) => plan.table.columns[i]);
      return plan.rowIds ? [...cols, ...ROW_ID_COLUMNS] : cols;
    }
    case 'values':
    case 'batches':
    case 'generator':
    case 'recursive_cte':
    case 'working_table':
    case 'recursive_union':
      return plan.columns;
    case 'filter':
    case 'sort':
    case 'limit':
      return planColumns(plan.input);
    case 'project':
      return plan.exprs.map((e, i) => ({ name: plan.names[i], type: e.type, nullable: true }));
    case 'aggregate':
      return [
        ...plan.groupBy.map((e, i) => ({ name: plan.groupNames[i], type: e.type, nullable: true })),
        ...plan.aggregates.map((a, i) => ({ name: `$agg${i}`, type: a.type, nullable: a.fn !== 'count' && a.fn !== 'count_star' })),
      ];
    case 'join':
      if (isMarkJoin(plan.joinType)) return [...planColumns(plan.left), { name: '$mark', type: Types.boolean, nullable: true }];
      return joinOutputsRight(plan.joinType) ? [...planColumns(plan.left), ...planColumns(plan.right)] : planColumns(plan.left);
    case 'set_operation':
      return plan.columns;
    case 'split_to_table':
      return [...planColumns(plan.input), ...SPLIT_TO_TABLE_COLUMNS];
    case 'flatten':
      return [...planColumns(plan.input), ...FLATTEN_COLUMNS];
    case 'window':
      return [...planColumns(plan.input), ...plan.calls.map((c, i) => ({ name: `$window${i}`, type: c.type, nullable: true }))];
    case 'sequence':
      return [...planColumns(plan.input), ...plan.sequences.map((_, i) => ({ name: `$nextval${i}`, type: NEXTVAL_TYPE, nullable: false }))];
  }
}

/** The type of seq.NEXTVAL: Snowflake's NUMBER(38,0) (values are 64-bit). */
export const NEXTVAL_TYPE = { kind: 'NUMBER', precision: 38, scale: 0 } as const satisfies Column['type'];

/** SEMI, ANTI and MARK joins keep only their left input's columns (MARK adds its mark). */
export function joinOutputsRight(t: JoinType): boolean {
  return t !== 'SEMI' && t !== 'ANTI' && t !== 'NULL_AWARE_ANTI' && !isMarkJoin(t);
}

export function isMarkJoin(t: JoinType): boolean {
  return t === 'MARK' || t === 'NULL_AWARE_MARK';
}

/** Join types whose condition starts with an IN comparison (see JoinNode). */
export function hasInKey(t: JoinType): boolean {
  return t === 'NULL_AWARE_ANTI' || t === 'NULL_AWARE_MARK';
}

/** The children of a node, for generic traversals. */
export function planInputs(plan: LogicalPlan): LogicalPlan[] {
  if ('input' in plan) return [plan.input];
  if (plan.kind === 'join' || plan.kind === 'set_operation') return [plan.left, plan.right];
  if (plan.kind === 'recursive_union') return [plan.anchor, plan.recursive];
  return [];
}
