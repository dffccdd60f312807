/**
 * Stamps the session's TIMEZONE on the bound expressions that need one: every cast and call
 * that takes or gives a TIMESTAMP_LTZ or TIMESTAMP_TZ (NTZ <-> LTZ casts, LTZ -> VARCHAR,
 * DATE_TRUNC / DATE_PART over LTZ, TO_TIMESTAMP_LTZ of a string, ...), CURRENT_DATE (today
 * in the session's zone) and CURRENT_TIME (the time of day there).
 *
 * Why here: kernels run in warehouse workers and in services' constant folding, and neither
 * knows the session; the zone travels inside the plan (BoundExpr `zone`), so a fragment means
 * the same on any worker, and a view expanded in another session reads that session's zone.
 *
 * Contract: stampZone(plan, zone) returns the plan with `zone` set on those nodes (others are
 * unchanged; an already stamped node keeps its zone). Idempotent.
 */
import { isZonedTimestamp } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { mapChildren } from './bound-expr-walk.js';
import type { LogicalPlan } from './logical-plan.js';
import { mapPlanExprs } from './map-plan-exprs.js';

export function stampExprZone(e: BoundExpr, zone: string): BoundExpr {
  const out = mapChildren(e, (c) => stampExprZone(c, zone));
  if (out.kind === 'cast' && out.zone === undefined && (isZonedTimestamp(out.type) || isZonedTimestamp(out.expr.type))) return { ...out, zone };
  if (out.kind === 'call' && out.zone === undefined && (isZonedTimestamp(out.type) || out.args.some((a) => isZonedTimestamp(a.type)) || (out.fn === 'current_date' || out.fn === 'current_time'))) return { ...out, zone };
  return out;
}

/** Every expression of `plan` with `zone` stamped where it is needed. */
export function stampZone(plan: LogicalPlan, zone: string | undefined): LogicalPlan {
  if (zone === undefined) return plan;
  return mapPlanExprs(plan, (e) => stampExprZone(e, zone));
}
