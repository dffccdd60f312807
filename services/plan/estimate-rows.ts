/**
 * Row estimates from catalog statistics, for choosing join order and build sides.
 *
 * Contract (crude on purpose, but never needs more than the catalog): a scan counts its
 * live partition rows (only the surviving partitions once pruned) times the selectivity of
 * its filter where pruning did not prove the filter true for the whole partition: bounds on
 * a numeric or DATE column keep the share of its zone-map range they cover, an equality
 * with a constant 1/10, any other conjunct 1/4. Other filters are selective the same way. A
 * HAVING filter (over grouped rows) keeps 1 group in 10, or 1 in 1,000 when it asks a SUM
 * of a column that is never negative (never positive) for more (less) than a group of
 * average size can reach by the column's zone-map range: only the rare large groups pass
 * (TPC-H Q18's SUM(l_quantity) > 300 with quantities of at most 50). An inner join of
 * L and R on a key equality gives |L| x |R| / the larger of the two keys' distinct counts,
 * where a column's distinct count is at most its relation's rows and, for integer and DATE
 * columns, at most max - min + 1 over the zone maps (columnNdv); outer joins keep at least
 * their preserved side; a SEMI join keeps the share of left keys the right side has (at
 * most all), ANTI and MARK joins their left side. A GROUP BY gives at most the
 * product of its keys' distinct counts; without GROUP BY one row. A recursive CTE not computed
 * yet counts RECURSIVE_CTE_ROWS.
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { ColumnInfo } from '../catalog/catalog.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { planColumns, type LogicalPlan, type ScanNode } from './logical-plan.js';

/**
 * A recursive CTE's rows before it ran (and its working table's): unknown, as a table of a few
 * partitions. The plans that read them are planned again once they are computed (run-query.ts).
 */
export const RECURSIVE_CTE_ROWS = 1000;

/** Plans are immutable, so each node's estimate is computed once (joins ask for their inputs' often). */
const memo = new WeakMap<LogicalPlan, number>();

export function estimateRows(p: LogicalPlan): number {
  let rows = memo.get(p);
  if (rows === undefined) {
    rows = estimate(p);
    memo.set(p, rows);
  }
  return rows;
}

function estimate(p: LogicalPlan): number {
  switch (p.kind) {
    case 'scan': {
      const sel = selectivity(p.filter, p);
      // Partitions pruning proved all-true count whole; the rest still face the filter.
      if (p.pruning) return p.pruning.units.reduce((n, u) => n + (u.filterMode === 'all' ? u.partition.rowCount : u.partition.rowCount * sel), 0);
      return p.partitions.reduce((n, x) => n + x.rowCount, 0) * sel;
    }
    case 'values':
      return p.rows.length;
    case 'batches':
      return p.batches.reduce((n, b) => n + b.length, 0);
    case 'generator':
      return p.rowCount ?? GENERATOR_UNBOUNDED_ROWS;
    case 'recursive_cte':
    case 'working_table':
    case 'recursive_union':
      return RECURSIVE_CTE_ROWS;
    case 'split_to_table':
      return estimateRows(p.input) * SPLIT_PARTS_PER_ROW;
    case 'flatten':
      return estimateRows(p.input) * (p.recursive ? 2 * SPLIT_PARTS_PER_ROW : SPLIT_PARTS_PER_ROW);
    case 'join':
      return joinRows(p);
    case 'set_operation':
      return estimateRows(p.left) + estimateRows(p.right);
    case 'aggregate': {
      const input = estimateRows(p.input);
      if (p.groupBy.length === 0) return 1;
      let groups = 1;
      for (const g of p.groupBy) groups *= g.kind === 'column' ? columnNdv(p.input, g.index) : input;
      return Math.max(1, Math.min(input, groups));
    }
    case 'limit':
      return Math.min(p.limit ?? Infinity, estimateRows(p.input));
    case 'filter':
      if (p.input.kind === 'aggregate' && p.input.groupBy.length > 0) return estimateRows(p.input) * havingSelectivity(p.predicate, p.input);
      return estimateRows(p.input) * selectivity(p.predicate, p.input.kind === 'scan' ? p.input : null);
    default:
      return estimateRows(p.input);
  }
}

/**
 * Fraction of rows a predicate keeps. Over a scan, the bounds a conjunct sets on a numeric
 * or DATE column (col >= lit, col < lit, ...) keep the share of the column's zone-map range
 * they cover (values taken as spread evenly); otherwise 1/10 per equality with a constant
 * and 1/4 per other conjunct.
 */
function selectivity(e: BoundExpr | null, scan: ScanNode | null): number {
  if (e === null) return 1;
  const bounds = new Map<number, { lo: number; hi: number }>();
  let sel = 1;
  for (const c of conjunctsOf(e)) {
    const b = scan ? rangeBound(c) : null;
    if (b) {
      const r = bounds.get(b.col) ?? { lo: -Infinity, hi: Infinity };
      if (b.lower) r.lo = Math.max(r.lo, b.value);
      else r.hi = Math.min(r.hi, b.value);
      bounds.set(b.col, r);
      continue;
    }
    const constantEquality = c.kind === 'call' && c.fn === 'eq' && c.args.some((a) => a.kind === 'literal') && c.args.some((a) => a.kind === 'column');
    sel *= constantEquality ? 0.1 : 0.25;
  }
  for (const [col, r] of bounds) {
    const span = scan ? zoneRange(scan, col) : null;
    if (span === null) {
      sel *= 0.25;
      continue;
    }
    const width = span.hi - span.lo;
    const covered = Math.min(r.hi, span.hi) - Math.max(r.lo, span.lo);
    sel *= width <= 0 ? (covered >= 0 ? 1 : 0) : Math.min(1, Math.max(0, covered / width));
  }
  return Math.max(sel, 1e-6);
}

/** `col <op> literal` (or reversed) with <op> an ordering: which column, which side it bounds, and the bound. */
function rangeBound(c: BoundExpr): { col: number; lower: boolean; value: number } | null {
  if (c.kind !== 'call' || c.args.length !== 2 || !['ge', 'gt', 'le', 'lt'].includes(c.fn)) return null;
  const [a, b] = c.args;
  const flipped = a.kind === 'literal' && b.kind === 'column';
  const column = flipped ? b : a;
  const lit = flipped ? a : b;
  if (column.kind !== 'column' || lit.kind !== 'literal' || lit.value === null) return null;
  const value = typeof lit.value === 'bigint' || typeof lit.value === 'number' ? Number(lit.value) : null;
  if (value === null || !Number.isFinite(value)) return null;
  const lower = (c.fn === 'ge' || c.fn === 'gt') !== flipped;
  return { col: column.index, lower, value };
}

/** Smallest and largest value of a scan's output column over its partitions' zone maps (DATE, NUMBER in scaled units, FLOAT, TIMESTAMP_NTZ, TIME). */
function zoneRange(scan: ScanNode, col: number): { lo: number; hi: number } | null {
  const column = scan.table.columns[scan.columns[col]];
  const kind = column.type.kind;
  if (kind !== 'DATE' && kind !== 'NUMBER' && kind !== 'FLOAT' && kind !== 'TIMESTAMP_NTZ' && kind !== 'TIME') return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const part of scan.partitions) {
    const z = part.zoneMap.columns[column.name];
    if (!z || z.min === null || z.max === null) return null;
    lo = Math.min(lo, Number(z.min));
    hi = Math.max(hi, Number(z.max));
  }
  return hi >= lo ? { lo, hi } : null;
}

/** Share of groups a HAVING predicate keeps: RARE_GROUPS when a conjunct is beyond an average group's reach, else 1/10. */
function havingSelectivity(predicate: BoundExpr, agg: Extract<LogicalPlan, { kind: 'aggregate' }>): number {
  const groupSize = Math.max(1, estimateRows(agg.input) / estimateRows(agg));
  return conjunctsOf(predicate).some((c) => beyondAverageGroup(c, agg, groupSize)) ? RARE_GROUPS : 0.1;
}

/** Groups a HAVING predicate keeps when average groups cannot pass it. */
const RARE_GROUPS = 0.001;

/**
 * Whether `c` compares a SUM of the aggregate's input column with a constant that a group of
 * `groupSize` rows cannot pass: SUM > (>=) k over values in [lo, hi] with lo >= 0 and
 * k >= groupSize x hi; SUM < (<=) k with hi <= 0 and k <= groupSize x lo.
 */
function beyondAverageGroup(c: BoundExpr, agg: Extract<LogicalPlan, { kind: 'aggregate' }>, groupSize: number): boolean {
  if (c.kind !== 'call' || c.args.length !== 2 || !['gt', 'ge', 'lt', 'le'].includes(c.fn)) return false;
  const [a, b] = c.args.map(uncast);
  const flipped = a.kind === 'literal';
  const [column, lit] = flipped ? [b, a] : [a, b];
  if (column.kind !== 'column' || lit.kind !== 'literal') return false;
  const call = agg.aggregates[column.index - agg.groupBy.length];
  const arg = call?.arg ? uncast(call.arg) : null;
  if (call?.fn !== 'sum' || call.distinct || arg?.kind !== 'column') return false;
  const k = realValue(lit.value, lit.type);
  const span = columnSpan(agg.input, arg.index);
  if (k === null || span === null) return false;
  const above = (c.fn === 'gt' || c.fn === 'ge') !== flipped;
  return above ? span.lo >= 0 && k >= groupSize * span.hi : span.hi <= 0 && k <= groupSize * span.lo;
}

function uncast(e: BoundExpr): BoundExpr {
  return e.kind === 'cast' ? uncast(e.expr) : e;
}

/** A numeric scalar of `type` as a plain number (a NUMBER's scaled integer divided by 10^scale), or null. */
function realValue(v: unknown, type: DataType): number | null {
  if (typeof v !== 'bigint' && typeof v !== 'number' && typeof v !== 'string') return null;
  const x = Number(v);
  if (!Number.isFinite(x)) return null;
  return type.kind === 'NUMBER' ? x / 10 ** type.scale : type.kind === 'FLOAT' ? x : null;
}

/** Smallest and largest value of a NUMBER or FLOAT column over its table's zone maps, through plain column references; or null. */
function columnSpan(plan: LogicalPlan, col: number): { lo: number; hi: number } | null {
  const at = scanColumnOf(plan, col);
  if (at === null) return null;
  const { scan, column } = at;
  let lo = Infinity;
  let hi = -Infinity;
  for (const part of scan.partitions) {
    const z = part.zoneMap.columns[column.name];
    if (!z || z.min === null || z.max === null) return null;
    const min = realValue(z.min, column.type);
    const max = realValue(z.max, column.type);
    if (min === null || max === null) return null;
    lo = Math.min(lo, min);
    hi = Math.max(hi, max);
  }
  return hi >= lo ? { lo, hi } : null;
}

function joinRows(p: Extract<LogicalPlan, { kind: 'join' }>): number {
  const left = estimateRows(p.left);
  if (p.joinType === 'ANTI' || p.joinType === 'NULL_AWARE_ANTI' || p.joinType.endsWith('MARK')) return left;
  const right = estimateRows(p.right);
  const leftWidth = planColumns(p.left).length;
  // The most selective key equality decides; without one, the larger input (non-equi) or the product (CROSS).
  let divisor = 0;
  let semiShare = 1;
  for (const c of conjunctsOf(p.condition)) {
    if (c.kind !== 'call' || c.fn !== 'eq') continue;
    const [a, b] = c.args.map((x) => (x.kind === 'cast' ? x.expr : x));
    if (a?.kind !== 'column' || b?.kind !== 'column') continue;
    const [l, r] = a.index < b.index ? [a.index, b.index] : [b.index, a.index];
    if (l >= leftWidth || r < leftWidth) continue;
    const ndvLeft = columnNdv(p.left, l);
    const ndvRight = columnNdv(p.right, r - leftWidth);
    divisor = Math.max(divisor, ndvLeft, ndvRight);
    semiShare = Math.min(semiShare, ndvRight / ndvLeft);
  }
  // SEMI: the left rows whose key is among the right side's keys.
  if (p.joinType === 'SEMI') return left * semiShare;
  const inner = divisor > 0 ? (left * right) / divisor : p.condition === null ? left * right : Math.max(left, right);
  switch (p.joinType) {
    case 'LEFT':
      return Math.max(inner, left);
    case 'RIGHT':
      return Math.max(inner, right);
    case 'FULL':
      return Math.max(inner, left + right);
    default:
      return inner;
  }
}

function conjunctsOf(e: BoundExpr | null): BoundExpr[] {
  if (e === null) return [];
  return e.kind === 'and' ? e.args.flatMap(conjunctsOf) : [e];
}

/**
 * Distinct values of output column `col` of `plan`: at most the plan's estimated rows and,
 * for an integer or DATE column that reaches a scan through plain columns, at most its
 * max - min + 1 over the table's zone maps.
 */
export function columnNdv(plan: LogicalPlan, col: number): number {
  return Math.max(1, Math.min(estimateRows(plan), columnRange(plan, col) ?? Infinity));
}

/**
 * The share of its table's distinct values that output column `col` of `plan` keeps: the
 * column's distinct count in `plan` over its distinct count in the whole table, so 1 when
 * nothing below restricts the rows it comes from (a join's build side that is a whole
 * dimension table); null when the column does not copy a table column.
 */
export function keptValueShare(plan: LogicalPlan, col: number): number | null {
  const at = scanColumnOf(plan, col);
  if (at === null) return null;
  const tableRows = at.scan.partitions.reduce((n, x) => n + x.rowCount, 0);
  const whole = Math.max(1, Math.min(tableRows, zoneMapRange(at.scan, at.column) ?? Infinity));
  return columnNdv(plan, col) / whole;
}

/** max - min + 1 of an integer or DATE column over its table's zone maps, or null. */
function columnRange(plan: LogicalPlan, col: number): number | null {
  const at = scanColumnOf(plan, col);
  return at === null ? null : zoneMapRange(at.scan, at.column);
}

/** max - min + 1 of a table's integer or DATE column over the zone maps of all its partitions, or null. */
function zoneMapRange(scan: ScanNode, column: ColumnInfo): number | null {
  const b = zoneMapBounds(scan, column);
  return b === null ? null : b.hi - b.lo + 1;
}

/** The smallest and largest value of output column `col` of `plan` over its whole table's zone maps (an integer or DATE column), or null. */
export function tableKeyBounds(plan: LogicalPlan, col: number): { lo: number; hi: number } | null {
  const at = scanColumnOf(plan, col);
  return at === null ? null : zoneMapBounds(at.scan, at.column);
}

function zoneMapBounds(scan: ScanNode, column: ColumnInfo): { lo: number; hi: number } | null {
  if (!(column.type.kind === 'DATE' || (column.type.kind === 'NUMBER' && column.type.scale === 0))) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const part of scan.partitions) {
    const z = part.zoneMap.columns[column.name];
    if (!z || z.min === null || z.max === null) continue;
    lo = Math.min(lo, Number(z.min));
    hi = Math.max(hi, Number(z.max));
  }
  return hi >= lo ? { lo, hi } : null;
}

/**
 * The scan and table column that output column `col` of `plan` copies through filters,
 * sorts, limits, plain projections, group keys and joins (a join's right side only where it
 * is never NULL-extended or a mark: INNER, CROSS, LEFT), or null.
 */
export function scanColumnOf(plan: LogicalPlan, col: number): { scan: ScanNode; column: ColumnInfo } | null {
  switch (plan.kind) {
    case 'filter':
    case 'sort':
    case 'limit':
      return scanColumnOf(plan.input, col);
    case 'project': {
      const e = plan.exprs[col];
      return e.kind === 'column' ? scanColumnOf(plan.input, e.index) : null;
    }
    case 'aggregate': {
      const g = plan.groupBy[col];
      return g && g.kind === 'column' ? scanColumnOf(plan.input, g.index) : null;
    }
    case 'join': {
      const leftWidth = planColumns(plan.left).length;
      if (col < leftWidth) return scanColumnOf(plan.left, col);
      return plan.joinType === 'INNER' || plan.joinType === 'CROSS' || plan.joinType === 'LEFT' ? scanColumnOf(plan.right, col - leftWidth) : null;
    }
    case 'scan':
      return { scan: plan, column: plan.table.columns[plan.columns[col]] };
    default:
      return null;
  }
}

/** The rows assumed of a GENERATOR with a TIMELIMIT and no ROWCOUNT. */
const GENERATOR_UNBOUNDED_ROWS = 1_000_000;

/** The parts assumed per row of a SPLIT_TO_TABLE, and elements per row of a FLATTEN (twice that when recursive). */
const SPLIT_PARTS_PER_ROW = 4;
