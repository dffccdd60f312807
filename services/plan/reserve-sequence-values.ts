/**
 * Sequence values services can hand out itself, before a plan runs: where the rows are known in
 * services (VALUES), their NEXTVAL values are reserved from the catalog now and written into the
 * plan as literals, so `INSERT INTO t VALUES (s.nextval, ...)`, `SELECT s.nextval` and an INSERT
 * ... VALUES into a table with an identity column need no worker round trip (and keep group
 * commits). Everything else takes its values in the workers (nextval_exec).
 *
 * Contract: `reserveSequenceValues(plan, reserve)` answers the plan with (1) every `nextval`
 * expression of a VALUES row replaced by a literal NUMBER(38,0), and (2) every `sequence` node
 * over a VALUES node replaced by that VALUES node with one literal column per sequence entry;
 * all values of the plan are reserved in ONE call of `reserve` (one catalog transaction), one
 * request per sequence, and handed out in plan order (rows in order, a row's references left to
 * right), so a statement alone gets consecutive values. A plan without either is returned as is,
 * reserving nothing. Called as a plan is about to run (run-query.ts), never while binding or for
 * EXPLAIN, so only statements that run take values. A recursive CTE's step (a plan with a
 * `working_table` leaf) runs once per iteration: it is returned as is, and run-query.ts reserves
 * each iteration's values when that run is about to start.
 */
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { SequenceBlock, SequenceRequest } from '../catalog/sequence-store.js';
import { hasNextval } from './bind-sequences.js';
import { mapChildren } from '../../warehouse/fragment/bound-expr-walk.js';
import { NEXTVAL_TYPE, planColumns, type LogicalPlan } from './logical-plan.js';
import { transformUp } from './transform-up.js';

type Values = Extract<LogicalPlan, { kind: 'values' }>;

export function reserveSequenceValues(plan: LogicalPlan, reserve: (requests: SequenceRequest[]) => SequenceBlock[]): LogicalPlan {
  let step = false;
  transformUp(plan, (p) => {
    step ||= p.kind === 'working_table';
    return p;
  });
  if (step) return plan;
  // Pass 1: how many values of each sequence the plan's known rows take.
  const counts = new Map<number, number>();
  const count = (id: number, n: number) => counts.set(id, (counts.get(id) ?? 0) + n);
  const countIn = (e: BoundExpr): BoundExpr => {
    if (e.kind === 'nextval') count(e.sequence, 1);
    return mapChildren(e, countIn);
  };
  transformUp(plan, (p) => {
    if (p.kind === 'values') for (const row of p.rows) row.forEach(countIn);
    if (p.kind === 'sequence' && p.input.kind === 'values') for (const s of p.sequences) count(s.id, p.input.rows.length);
    return p;
  });
  if (counts.size === 0) return plan;
  // Pass 2: the same walk, handing out the reserved values in order.
  const requests = [...counts].map(([sequence, n]): SequenceRequest => ({ sequence, count: n }));
  const blocks = reserve(requests);
  const cursor = new Map(requests.map((r, i) => [r.sequence, { next: blocks[i].first, increment: blocks[i].increment }]));
  const take = (id: number): bigint => {
    const c = cursor.get(id)!;
    const v = c.next;
    c.next += c.increment;
    return v;
  };
  const place = (e: BoundExpr): BoundExpr => (e.kind === 'nextval' ? { kind: 'literal', value: take(e.sequence), type: e.type } : mapChildren(e, place));
  return transformUp(plan, (p) => {
    if (p.kind === 'values' && p.rows.some((r) => r.some(hasNextval))) return { ...p, rows: p.rows.map((r) => r.map(place)) };
    if (p.kind === 'sequence' && p.input.kind === 'values') return withValueColumns(p, p.input, take);
    return p;
  });
}

/** The VALUES node under a `sequence` node, with one literal column per sequence entry. */
function withValueColumns(p: Extract<LogicalPlan, { kind: 'sequence' }>, input: Values, take: (id: number) => bigint): Values {
  const columns = planColumns(p);
  const rows = input.rows.map((row) => [...row, ...p.sequences.map((s): BoundExpr => ({ kind: 'literal', value: take(s.id), type: NEXTVAL_TYPE }))]);
  return { kind: 'values', columns, rows };
}
