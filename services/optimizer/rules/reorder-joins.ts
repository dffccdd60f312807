/**
 * reorder_joins: a tree of INNER/CROSS joins (as comma joins write it, in FROM order) is
 * rebuilt in a greedy order that never takes a cross product while a connected relation is
 * left: start from the largest relation (the streamed probe side; estimate-rows.ts), then
 * repeatedly join the connected relation with the smallest estimated result. The tree is
 * left-deep except that smaller relations hanging off only the relation being added (a
 * dimension chain such as nation-region) are joined into it first, as its build side (itself
 * ordered the same way when it holds three or more relations). Each
 * predicate is attached to the first join where all its relations are present. A final
 * Project restores the original column order, so nothing above the joins changes.
 *
 * Contract: runs after push_down_filter (so WHERE predicates are join conditions); outer,
 * semi and anti joins are boundaries: their inputs are reordered separately.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { collectColumns, remapColumns } from '../../../warehouse/fragment/bound-expr-walk.js';
import { columnNdv, estimateRows } from '../../plan/estimate-rows.js';
import { planColumns, type LogicalPlan } from '../../plan/logical-plan.js';
import type { OptimizerRule } from '../optimizer-rule.js';
import { conjuncts } from './push-down-filter.js';

type Leaf = { plan: LogicalPlan; offset: number; width: number };

function isInner(p: LogicalPlan): boolean {
  return p.kind === 'join' && (p.joinType === 'INNER' || p.joinType === 'CROSS');
}

/** Leaves of an inner-join tree in column order, and its predicates over those columns. */
function flatten(p: LogicalPlan, offset: number, leaves: Leaf[], preds: BoundExpr[]): number {
  if (p.kind !== 'join' || !isInner(p)) {
    const width = planColumns(p).length;
    leaves.push({ plan: p, offset, width });
    return width;
  }
  const lw = flatten(p.left, offset, leaves, preds);
  const rw = flatten(p.right, offset + lw, leaves, preds);
  // The condition is over this join's columns; shift it to the whole tree's positions.
  const shift = Int32Array.from({ length: lw + rw }, (_, i) => offset + i);
  for (const c of conjuncts(p.condition)) preds.push(remapColumns(c, shift));
  return lw + rw;
}

/**
 * For `a = b` between columns of two leaves, the larger of the two columns' distinct-value
 * estimates (columnNdv: at most the leaf's rows and, for integer and DATE columns, the
 * zone-map range, so a join on a nation key is seen to multiply rows, and one on an order
 * key not). Null when `p` is not such an equality.
 */
function equalityNdv(p: BoundExpr, leaves: Leaf[], leafOf: Int32Array): number | null {
  if (p.kind !== 'call' || p.fn !== 'eq' || p.args.length !== 2) return null;
  let ndv = 0;
  for (const a of p.args) {
    const c = a.kind === 'cast' ? a.expr : a;
    if (c.kind !== 'column') return null;
    const leaf = leaves[leafOf[c.index]];
    ndv = Math.max(ndv, columnNdv(leaf.plan, c.index - leaf.offset));
  }
  return ndv;
}

/**
 * `leaf` plus the relations that hang off it alone: a group of not yet joined relations,
 * connected among themselves, whose predicates reach no relation but each other and `leaf`,
 * all smaller than `leaf` (dimensions: TPC-H's nation-region off supplier or customer).
 * Joined into `leaf` first (in an order where each one meets one already there), they
 * filter the build side instead of every row of the stream. Only equi-join predicates link
 * relations here: another predicate over several relations (Q7's `(n1 = 'FRANCE' AND n2 =
 * 'GERMANY') OR ...`) neither joins nor holds back a dimension; it is attached wherever all
 * its relations are present.
 */
function absorbDimensions(leaf: number, rest: number[], links: Set<number>[], size: number[]): number[] {
  const others = rest.filter((k) => k !== leaf);
  const unit = [leaf];
  const seen = new Set<number>();
  for (const start of others) {
    if (seen.has(start)) continue;
    // The group of `start`: relations linked to it through predicates among `others`.
    const group = [start];
    seen.add(start);
    let closed = true;
    for (let g = 0; g < group.length; g++) {
      for (const ls of links) {
        if (!ls.has(group[g])) continue;
        for (const l of ls) {
          if (l === leaf || seen.has(l)) continue;
          if (!others.includes(l)) closed = false;
          else {
            seen.add(l);
            group.push(l);
          }
        }
      }
    }
    const touchesLeaf = links.some((ls) => ls.has(leaf) && group.some((k) => ls.has(k)));
    if (!closed || !touchesLeaf || group.some((k) => size[k] > size[leaf])) continue;
    // Join order inside the unit: each next relation shares a predicate with the unit.
    const pending = [...group];
    while (pending.length > 0) {
      const next = pending.findIndex((k) => links.some((ls) => ls.has(k) && [...ls].every((l) => l === k || unit.includes(l))));
      if (next < 0) break;
      unit.push(pending.splice(next, 1)[0]);
    }
    if (pending.length > 0) unit.splice(unit.length - (group.length - pending.length));
  }
  return unit;
}

/** Join trees reorder() built: already in their order, so the rule's walk does not order them again. */
const ordered = new WeakSet<LogicalPlan>();

function reorder(root: Extract<LogicalPlan, { kind: 'join' }>): LogicalPlan {
  const leaves: Leaf[] = [];
  const preds: BoundExpr[] = [];
  const width = flatten(root, 0, leaves, preds);
  if (leaves.length < 3) return root;
  const leafOf = new Int32Array(width);
  leaves.forEach((l, i) => leafOf.fill(i, l.offset, l.offset + l.width));
  const predLeaves = preds.map((p) => new Set([...collectColumns(p, new Set())].map((c) => leafOf[c])));
  const size = leaves.map((l) => estimateRows(l.plan));
  const links = predLeaves.filter((_, k) => equalityNdv(preds[k], leaves, leafOf) !== null);

  // Greedy: from the largest relation, add the connected relation whose join is estimated
  // to produce the fewest rows (|current| x |next| / the larger key NDV, see equalityNdv).
  // Each added relation comes as a unit with the smaller relations that hang off it alone
  // (absorbDimensions): those are joined into it first, as one build side.
  const first = leaves.map((_, i) => i).reduce((best, i) => (size[i] > size[best] ? i : best));
  const units: number[][] = [[first]];
  const joined = new Set<number>([first]);
  let current = size[first];
  while (joined.size < leaves.length) {
    const rest = leaves.map((_, i) => i).filter((i) => !joined.has(i));
    let best = -1;
    let bestRows = Infinity;
    for (const i of rest) {
      let ndv = 0;
      preds.forEach((p, k) => {
        const ls = predLeaves[k];
        if (!ls.has(i) || ![...ls].some((j) => j !== i && joined.has(j))) return;
        ndv = Math.max(ndv, equalityNdv(p, leaves, leafOf) ?? 1);
      });
      if (ndv === 0) continue;
      const rows = (current * size[i]) / ndv;
      if (rows < bestRows || (rows === bestRows && size[i] < size[best])) {
        best = i;
        bestRows = rows;
      }
    }
    if (best < 0) {
      best = rest.reduce((b, i) => (size[i] < size[b] ? i : b));
      bestRows = current * size[best];
    }
    const unit = absorbDimensions(best, rest, links, size);
    units.push(unit);
    for (const i of unit) joined.add(i);
    current = Math.max(1, bestRows);
  }
  const order = units.flat();
  if (order.every((leaf, i) => leaf === i) && units.every((u) => u.length === 1)) return root;

  // New column positions: leaves laid out in join order.
  const newPos = new Int32Array(width);
  let at = 0;
  for (const i of order) {
    for (let c = 0; c < leaves[i].width; c++) newPos[leaves[i].offset + c] = at + c;
    at += leaves[i].width;
  }
  const used = new Array<boolean>(preds.length).fill(false);
  /** Left-deep joins of `members` (in order) onto `start`, attaching each predicate once all its relations are present. */
  const joinOnto = (start: LogicalPlan, present: Set<number>, members: number[], base: number): LogicalPlan => {
    let plan = start;
    for (const i of members) {
      present.add(i);
      // Positions inside this subtree: the tree's layout shifted by where the subtree starts.
      const attach = preds.flatMap((p, k) => {
        if (used[k] || ![...predLeaves[k]].every((l) => present.has(l))) return [];
        used[k] = true;
        return [remapColumns(p, newPos.map((v) => v - base))];
      });
      const condition: BoundExpr | null = attach.length === 0 ? null : attach.length === 1 ? attach[0] : { kind: 'and', args: attach, type: Types.boolean };
      plan = { kind: 'join', joinType: condition ? 'INNER' : 'CROSS', left: plan, right: leaves[i].plan, condition };
    }
    return plan;
  };
  const present = new Set<number>([first]);
  let plan = leaves[first].plan;
  for (const unit of units.slice(1)) {
    const base = newPos[leaves[unit[0]].offset];
    const chain = joinOnto(leaves[unit[0]].plan, new Set([unit[0]]), unit.slice(1), base);
    // A unit of three or more is ordered by the same rule (O-C-N: C absorbs N before O meets C).
    const build = unit.length >= 3 && chain.kind === 'join' ? reorder(chain) : chain;
    for (const i of unit) present.add(i);
    const attach = preds.flatMap((p, k) => (!used[k] && [...predLeaves[k]].every((l) => present.has(l)) ? ((used[k] = true), [remapColumns(p, newPos)]) : []));
    const condition: BoundExpr | null = attach.length === 0 ? null : attach.length === 1 ? attach[0] : { kind: 'and', args: attach, type: Types.boolean };
    plan = { kind: 'join', joinType: condition ? 'INNER' : 'CROSS', left: plan, right: build, condition };
  }
  const cols = planColumns(root);
  ordered.add(plan);
  return {
    kind: 'project',
    input: plan,
    exprs: cols.map((c, i) => ({ kind: 'column', index: newPos[i], type: c.type })),
    names: cols.map((c) => c.name),
  };
}

export const reorderJoins: OptimizerRule = {
  name: 'reorder_joins',
  apply(plan) {
    let changed = false;
    // Top-down: reorder the outermost inner-join tree, then the inputs it keeps whole.
    const visit = (p: LogicalPlan): LogicalPlan => {
      if (p.kind === 'join' && isInner(p) && !ordered.has(p)) {
        const r = reorder(p);
        if (r !== p) changed = true;
        if (r.kind === 'project') return { ...r, input: rebuildChildren(r.input) };
        return rebuildChildren(r);
      }
      return rebuildChildren(p);
    };
    const rebuildChildren = (p: LogicalPlan): LogicalPlan => {
      if (p.kind === 'join') {
        return isInner(p) ? { ...p, left: leafVisit(p.left), right: leafVisit(p.right) } : { ...p, left: visit(p.left), right: visit(p.right) };
      }
      if (p.kind === 'set_operation') return { ...p, left: visit(p.left), right: visit(p.right) };
      if ('input' in p) return { ...p, input: visit(p.input) } as LogicalPlan;
      return p;
    };
    // Inside a reordered tree the leaves are the non-inner-join inputs.
    const leafVisit = (p: LogicalPlan): LogicalPlan => (isInner(p) ? rebuildChildren(p) : visit(p));
    const out = visit(plan);
    return changed ? out : plan;
  },
};

