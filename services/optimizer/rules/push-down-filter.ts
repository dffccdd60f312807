/**
 * push_down_filter: moves every filter conjunct as close to the data as it can go, so
 * workers apply it while scanning and services can prune partitions with it.
 *
 * Contract, top-down: a Filter's conjuncts (with conjuncts common to all branches of an
 * OR factored out first) travel down through Projects (by substituting
 * the projected expressions) and into Joins: a conjunct over one side of an INNER/CROSS join
 * goes to that side, one over both sides becomes part of the join condition (a comma join
 * with a join predicate becomes an INNER join). For outer joins only conjuncts over the
 * preserved side move below; ON-clause conjuncts over the non-preserved side move into it.
 * SEMI/ANTI/MARK joins pass conjuncts over their left side to it (a conjunct reading a MARK
 * join's mark stays above), and ON-clause conjuncts over the subquery side into it. An OR
 * over both sides of an inner join also sends each side the OR of its own parts of every
 * branch (TPC-H Q7). A secure view's top Project passes only conjuncts that can raise no
 * error. At a Scan the conjuncts become the scan's filter. Conjuncts that cannot move stay in a Filter where they were.
 */
import { Types, isSemiStructured } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { collectColumns, remapColumns, substituteColumns } from '../../../warehouse/fragment/bound-expr-walk.js';
import { isMarkJoin, planColumns, planInputs, type JoinNode, type LogicalPlan } from '../../plan/logical-plan.js';
import type { OptimizerRule } from '../optimizer-rule.js';
import { samePlan } from '../../plan/same-plan.js';

export function conjuncts(e: BoundExpr | null): BoundExpr[] {
  if (!e) return [];
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/**
 * The conjuncts of `e` with conjuncts common to every branch of an OR factored out:
 * (a AND b) OR (a AND c) is a AND (b OR c). TPC-H Q19 writes its join key inside each OR
 * branch; factored out, it becomes a hash-join key instead of a cross product.
 */
function factoredConjuncts(e: BoundExpr | null): BoundExpr[] {
  return conjuncts(e).flatMap((c) => {
    if (c.kind !== 'or') return [c];
    const branches = c.args.map(conjuncts);
    const keyOf = (x: BoundExpr) => JSON.stringify(x, big);
    const common = branches[0].filter((x) => branches.every((b) => b.some((y) => keyOf(y) === keyOf(x))));
    if (common.length === 0) return [c];
    const commonKeys = new Set(common.map(keyOf));
    const rests = branches.map((b) => b.filter((x) => !commonKeys.has(keyOf(x))));
    // A branch left empty is TRUE, which makes the whole OR TRUE.
    if (rests.some((r) => r.length === 0)) return common;
    return [...common, { kind: 'or', args: rests.map((r) => andOf(r)!), type: Types.boolean } as BoundExpr];
  });
}

const COMPARISONS: ReadonlySet<string> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/**
 * Whether a conjunct can raise no error on any row, so evaluating it below a secure view's
 * own filters reveals nothing: a comparison, IS [NOT] NULL or IN list of a column and
 * literals of the same type kind (no cast, no function that could fail).
 */
function cannotFail(p: BoundExpr): boolean {
  // Operands of one type kind compare without a cast; semi-structured values may not compare at all.
  const plain = (e: BoundExpr, type: BoundExpr['type']) => (e.kind === 'column' || e.kind === 'literal') && e.type.kind === type.kind && !isSemiStructured(type);
  switch (p.kind) {
    case 'is_null':
      return p.expr.kind === 'column';
    case 'in_list':
      return p.expr.kind === 'column' && p.list.every((e) => e.kind === 'literal' && plain(e, p.expr.type));
    case 'call':
      return COMPARISONS.has(p.fn) && p.args.length === 2 && p.args.some((a) => a.kind === 'column') && plain(p.args[0], p.args[1].type) && plain(p.args[1], p.args[0].type);
    default:
      return false;
  }
}

function andOf(preds: BoundExpr[]): BoundExpr | null {
  if (preds.length === 0) return null;
  return preds.length === 1 ? preds[0] : { kind: 'and', args: preds, type: Types.boolean };
}

function withFilter(plan: LogicalPlan, preds: BoundExpr[]): LogicalPlan {
  const predicate = andOf(preds);
  return predicate ? { kind: 'filter', input: plan, predicate } : plan;
}

function push(plan: LogicalPlan, preds: BoundExpr[]): LogicalPlan {
  switch (plan.kind) {
    case 'filter':
      return push(plan.input, [...preds, ...factoredConjuncts(plan.predicate)]);
    case 'scan': {
      // A predicate on a rowIds scan's address columns stays above it (the scan's filter reads its table columns only).
      const width = plan.columns.length;
      const onAddress = (p: BoundExpr) => [...collectColumns(p, new Set<number>())].some((i) => i >= width);
      const scan = { ...plan, filter: andOf([...conjuncts(plan.filter), ...preds.filter((p) => !onAddress(p))]) };
      const above = preds.filter(onAddress);
      return above.length === 0 ? scan : { kind: 'filter', input: scan, predicate: andOf(above)! };
    }
    case 'project': {
      // A secure view's top lets only conjuncts through that can raise no error (see cannotFail).
      const through = plan.secure ? preds.filter(cannotFail) : preds;
      const next = { ...plan, input: push(plan.input, through.map((p) => substituteColumns(p, plan.exprs))) };
      return through.length === preds.length ? next : withFilter(next, preds.filter((p) => !through.includes(p)));
    }
    case 'join':
      return pushIntoJoin(plan, preds);
    case 'split_to_table':
    case 'flatten':
    case 'sequence': {
      // A lateral table function (and NEXTVAL) keeps its input's columns first: conjuncts over them alone filter the input rows.
      const width = planColumns(plan.input).length;
      const onInput = (p: BoundExpr) => [...collectColumns(p, new Set<number>())].every((i) => i < width);
      return withFilter({ ...plan, input: push(plan.input, preds.filter(onInput)) }, preds.filter((p) => !onInput(p)));
    }
    default: {
      const inputs = planInputs(plan).map((i) => push(i, []));
      let next: LogicalPlan = plan;
      if ('input' in plan) next = { ...plan, input: inputs[0] } as LogicalPlan;
      else if (plan.kind === 'set_operation') next = { ...plan, left: inputs[0], right: inputs[1] };
      return withFilter(next, preds);
    }
  }
}

function pushIntoJoin(j: JoinNode, preds: BoundExpr[]): LogicalPlan {
  const width = planColumns(j.left).length;
  const toLeft: BoundExpr[] = [];
  const toRight: BoundExpr[] = [];
  const toJoin: BoundExpr[] = [];
  const above: BoundExpr[] = [];
  const side = (p: BoundExpr): 'left' | 'right' | 'both' | 'none' => {
    const cols = [...collectColumns(p, new Set())];
    if (cols.length === 0) return 'none';
    if (cols.every((c) => c < width)) return 'left';
    if (cols.every((c) => c >= width)) return 'right';
    return 'both';
  };
  const shiftLeft = new Int32Array(width + planColumns(j.right).length).map((_, i) => i - width);
  const inner = j.joinType === 'INNER' || j.joinType === 'CROSS';
  // Conjuncts of the WHERE above the join.
  for (const p of preds) {
    const s = side(p);
    if (s === 'both' && inner && p.kind === 'or') {
      // (l1 AND r1) OR (l2 AND r2) implies (l1 OR l2) on the left and (r1 OR r2) on the right.
      const l = impliedBySide(p, (c) => side(c) === 'left');
      const r = impliedBySide(p, (c) => side(c) === 'right');
      if (l) toLeft.push(l);
      if (r) toRight.push(remapColumns(r, shiftLeft));
    }
    if (s === 'left' && j.joinType !== 'RIGHT' && j.joinType !== 'FULL') toLeft.push(p);
    else if (s === 'right' && inner) toRight.push(remapColumns(p, shiftLeft));
    else if (s === 'both' && inner) toJoin.push(p);
    else above.push(p);
  }
  // Conjuncts of the ON condition.
  for (const p of conjuncts(j.condition)) {
    const s = side(p);
    if (s === 'left' && (inner || j.joinType === 'RIGHT' || j.joinType === 'SEMI' || j.joinType === 'ANTI')) {
      if (inner || j.joinType === 'RIGHT') toLeft.push(p);
      else toJoin.push(p);
    } else if (s === 'right' && (inner || j.joinType === 'LEFT' || j.joinType === 'SEMI' || j.joinType === 'ANTI' || j.joinType === 'NULL_AWARE_ANTI' || isMarkJoin(j.joinType))) {
      toRight.push(remapColumns(p, shiftLeft));
    } else {
      toJoin.push(p);
    }
  }
  const condition = andOf(toJoin);
  const joinType = j.joinType === 'CROSS' && condition ? 'INNER' : j.joinType;
  const next: LogicalPlan = { ...j, joinType, condition, left: push(j.left, toLeft), right: push(j.right, toRight) };
  return withFilter(next, above);
}

/**
 * A predicate over one side implied by an OR spanning both sides: the OR of each branch's
 * conjuncts over that side, when every branch has some (else null). The OR itself stays.
 */
function impliedBySide(or: Extract<BoundExpr, { kind: 'or' }>, onSide: (c: BoundExpr) => boolean): BoundExpr | null {
  const parts: BoundExpr[] = [];
  for (const branch of or.args) {
    const mine = conjuncts(branch).filter(onSide);
    if (mine.length === 0) return null;
    parts.push(andOf(mine)!);
  }
  return { kind: 'or', args: parts, type: Types.boolean };
}

export const pushDownFilter: OptimizerRule = {
  name: 'push_down_filter',
  apply(plan) {
    const out = push(plan, []);
    return samePlan(out, plan) ? plan : out;
  },
};

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
