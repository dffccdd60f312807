/**
 * semi_join_grouped_side: a join whose one side is an aggregate grouped by the join key only
 * needs the groups whose key the other side has; when a small, filtered relation bounds the
 * other side's keys, the aggregate's input is first SEMI-joined with that relation. This is
 * how decorrelated scalar subqueries become cheap: TPC-H Q17 joins lineitem x part
 * (part filtered to a few hundred rows) with `avg(l_quantity) GROUP BY l_partkey` over ALL of
 * lineitem; with the rule the aggregate sees only the lineitem rows of those parts (the SEMI
 * join's broadcast build then prunes the lineitem scan by a runtime filter). Q20 and Q2 have
 * the same shape. DuckDB reaches the same plan by pushing the outer filter into the subquery.
 *
 * Contract: for an INNER, LEFT or SEMI join with an equality `a = k` (plain columns of one
 * type: NUMBER, DATE or VARCHAR), `a` over the preserved (left) side and `k` reaching a GROUP
 * BY column of an aggregate on the other side through projections and filters only, every
 * joined row has k = a, so only groups whose key is among a's values can take part; and the
 * groups kept are whole (all their input rows have the same key), so their aggregates are
 * unchanged. The relation S that bounds a's values is found by tracing `a` down the left side
 * (through projections, filters, sort/limit, aggregate keys, both sides of inner joins and
 * the left side of SEMI/ANTI/MARK/LEFT joins, and across `x = y` equalities of INNER and SEMI
 * joins, whose matched values are on both sides). S must be cheap to compute again (a scan
 * with filters and projections, no join), selective (its filter keeps fewer rows than its
 * table holds), estimated at most a quarter of the aggregate's input, and its table at most
 * four times that input (scanning it again costs less than aggregating that input, which is
 * often a join itself, as in TPC-H Q2). The smallest such S is used: the aggregate's input becomes
 * `input SEMI JOIN S ON key = S.c`. Runs after push_down_filter (which puts the join
 * conditions and scan filters in place) and before push_down_semi_join, which may then sink
 * the new SEMI join onto one relation of the aggregate's input.
 */
import { Types, typesEqual, type DataType } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { estimateRows } from '../../plan/estimate-rows.js';
import { planColumns, type JoinNode, type LogicalPlan } from '../../plan/logical-plan.js';
import { transformUp } from '../../plan/transform-up.js';
import type { OptimizerRule } from '../optimizer-rule.js';

/** A column `col` of `plan` whose values include every value of the traced column. */
type KeySource = { plan: LogicalPlan; col: number };

const GROUPED_JOINS: ReadonlySet<string> = new Set(['INNER', 'LEFT', 'SEMI']);
const LEFT_KEEPING_JOINS: ReadonlySet<string> = new Set(['LEFT', 'SEMI', 'ANTI', 'NULL_AWARE_ANTI', 'MARK', 'NULL_AWARE_MARK']);

function conjuncts(e: BoundExpr | null): BoundExpr[] {
  if (e === null) return [];
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/** `c` as `x = y` over two plain columns of one type, or null. */
function columnEquality(c: BoundExpr): [number, number] | null {
  if (c.kind !== 'call' || c.fn !== 'eq' || c.args.length !== 2) return null;
  const [x, y] = c.args;
  if (x.kind !== 'column' || y.kind !== 'column' || !typesEqual(x.type, y.type)) return null;
  return [x.index, y.index];
}

/** Key types whose `=` is exactly GROUP BY's sameness. */
function keyType(t: DataType): boolean {
  return t.kind === 'NUMBER' || t.kind === 'DATE' || t.kind === 'VARCHAR' || t.kind === 'BINARY';
}

/** Adds to `out` every (subtree, column) whose values include those of `plan`'s column `col`. */
function keySources(plan: LogicalPlan, col: number, out: KeySource[]): void {
  out.push({ plan, col });
  switch (plan.kind) {
    case 'filter':
    case 'sort':
    case 'limit':
      keySources(plan.input, col, out);
      return;
    case 'window':
      if (col < planColumns(plan.input).length) keySources(plan.input, col, out);
      return;
    case 'project': {
      const e = plan.exprs[col];
      if (e.kind === 'column') keySources(plan.input, e.index, out);
      return;
    }
    case 'aggregate': {
      const g = plan.groupBy[col];
      if (g && g.kind === 'column') keySources(plan.input, g.index, out);
      return;
    }
    case 'join': {
      const lw = planColumns(plan.left).length;
      const inner = plan.joinType === 'INNER' || plan.joinType === 'CROSS';
      if (!inner && !(LEFT_KEEPING_JOINS.has(plan.joinType) && col < lw)) return;
      if (col < lw) keySources(plan.left, col, out);
      else keySources(plan.right, col - lw, out);
      // Matched rows of an inner or SEMI join have equal values on both sides of `x = y`.
      if (!inner && plan.joinType !== 'SEMI') return;
      for (const c of conjuncts(plan.condition)) {
        const pair = columnEquality(c);
        if (!pair) continue;
        const other = pair[0] === col ? pair[1] : pair[1] === col ? pair[0] : -1;
        if (other < 0 || (col < lw) === (other < lw)) continue;
        if (other < lw) keySources(plan.left, other, out);
        else keySources(plan.right, other - lw, out);
      }
      return;
    }
    default:
      return;
  }
}

/** The rows of the table under a join-free scan pipeline, or null when `plan` is not one. */
function pipelineTableRows(plan: LogicalPlan): number | null {
  switch (plan.kind) {
    case 'scan':
      return plan.partitions.reduce((n, p) => n + p.rowCount, 0);
    case 'values':
      return plan.rows.length;
    case 'batches':
      return plan.batches.reduce((n, b) => n + b.length, 0);
    case 'filter':
    case 'project':
      return pipelineTableRows(plan.input);
    default:
      return null;
  }
}

/**
 * `plan` (the grouped side, `col` one of its columns) with `source` SEMI-joined under the
 * aggregate whose group key `col` is, or null when `col` does not reach a group key through
 * projections and filters, or the bound would not pay.
 */
function filterGroups(plan: LogicalPlan, col: number, sources: readonly KeySource[], type: DataType): LogicalPlan | null {
  switch (plan.kind) {
    case 'filter': {
      const input = filterGroups(plan.input, col, sources, type);
      return input && { ...plan, input };
    }
    case 'project': {
      const e = plan.exprs[col];
      if (e.kind !== 'column') return null;
      const input = filterGroups(plan.input, e.index, sources, type);
      return input && { ...plan, input };
    }
    case 'aggregate': {
      const g = plan.groupBy[col];
      if (!g || g.kind !== 'column' || !typesEqual(g.type, type)) return null;
      const inputRows = estimateRows(plan.input);
      let best: KeySource | null = null;
      for (const s of sources) {
        const tableRows = pipelineTableRows(s.plan);
        const rows = estimateRows(s.plan);
        if (tableRows === null || rows >= tableRows || rows * 4 > inputRows || tableRows > 4 * inputRows) continue;
        if (!typesEqual(planColumns(s.plan)[s.col].type, type)) continue;
        if (best === null || rows < estimateRows(best.plan)) best = s;
      }
      if (best === null || alreadyFiltered(plan.input, best)) return null;
      const width = planColumns(plan.input).length;
      const semi: JoinNode = {
        kind: 'join',
        joinType: 'SEMI',
        left: plan.input,
        right: best.plan,
        condition: { kind: 'call', fn: 'eq', args: [{ kind: 'column', index: g.index, type }, { kind: 'column', index: width + best.col, type }], type: Types.boolean },
      };
      return { ...plan, input: semi };
    }
    default:
      return null;
  }
}

/** Whether `input` is already this SEMI join (the rule ran before). */
function alreadyFiltered(input: LogicalPlan, source: KeySource): boolean {
  return input.kind === 'join' && input.joinType === 'SEMI' && input.right === source.plan;
}

function rewrite(join: JoinNode): LogicalPlan {
  const lw = planColumns(join.left).length;
  for (const c of conjuncts(join.condition)) {
    const pair = columnEquality(c);
    if (!pair) continue;
    const [a, k] = pair[0] < lw ? pair : [pair[1], pair[0]];
    if (a >= lw || k < lw) continue;
    const type = planColumns(join.left)[a].type;
    if (!keyType(type)) continue;
    const sources: KeySource[] = [];
    keySources(join.left, a, sources);
    const right = filterGroups(join.right, k - lw, sources, type);
    if (right) return { ...join, right };
  }
  return join;
}

export const semiJoinGroupedSide: OptimizerRule = {
  name: 'semi_join_grouped_side',
  apply(plan) {
    return transformUp(plan, (p) => (p.kind === 'join' && GROUPED_JOINS.has(p.joinType) ? rewrite(p) : p));
  },
};
