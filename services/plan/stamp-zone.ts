/**
 * Stamps the session's TIMEZONE, and its other parameters that values depend on (expr-settings:
 * formats, week policy), on the bound expressions that need them: every cast and call that takes
 * or gives a TIMESTAMP_LTZ or TIMESTAMP_TZ gets the zone (NTZ <-> LTZ casts, LTZ -> VARCHAR,
 * DATE_TRUNC / DATE_PART over LTZ, TO_TIMESTAMP_LTZ of a string, ...), and so do CURRENT_DATE
 * (today in the session's zone) and CURRENT_TIME (the time of day there); every cast between
 * text and a DATE, TIME, timestamp or BINARY, and every call of a conversion or week function,
 * gets the settings.
 *
 * Why here: kernels run in warehouse workers and in services' constant folding, and neither
 * knows the session; the zone and settings travel inside the plan (BoundExpr `zone`,
 * `settings`), so a fragment means the same on any worker, and a view expanded in another
 * session reads that session's zone and settings.
 *
 * Contract: stampZone(plan, zone, settings) returns the plan with `zone` / `settings` set on
 * those nodes (others are unchanged; an already stamped node keeps its own). Settings absent
 * (a session at Snowflake's defaults) stamps none. Idempotent.
 */
import { isTimestamp, isZonedTimestamp, type DataType } from '../../storage/types/data-type.js';
import { DEFAULT_TIMEZONE } from '../../storage/types/time-zone.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { ExprSettings } from '../../warehouse/fragment/expr-settings.js';
import { mapChildren } from '../../warehouse/fragment/bound-expr-walk.js';
import type { LogicalPlan } from './logical-plan.js';
import { mapPlanExprs } from './map-plan-exprs.js';

/** Calls whose value depends on the settings (canonical function names). */
const SETTINGS_CALLS: ReadonlySet<string> = new Set([
  'to_varchar', 'try_to_varchar', 'to_binary', 'try_to_binary', 'to_date', 'try_to_date', 'to_time', 'try_to_time',
  'to_timestamp', 'try_to_timestamp', 'to_timestamp_ltz', 'try_to_timestamp_ltz', 'to_timestamp_tz', 'try_to_timestamp_tz',
  'dayofweek', 'week', 'yearofweek', 'date_part', 'date_trunc', 'last_day', 'datediff',
]);

/** Types whose text form (or reading from text) the settings decide. */
function formatted(t: DataType): boolean {
  return t.kind === 'DATE' || t.kind === 'TIME' || t.kind === 'BINARY' || isTimestamp(t);
}

function needsSettings(e: BoundExpr): boolean {
  if (e.kind === 'cast') {
    const from = e.expr.type;
    return (from.kind === 'VARCHAR' && formatted(e.type)) || (e.type.kind === 'VARCHAR' && formatted(from));
  }
  return e.kind === 'call' && SETTINGS_CALLS.has(e.fn);
}

export function stampExprZone(e: BoundExpr, zone: string, settings?: ExprSettings): BoundExpr {
  let out = mapChildren(e, (c) => stampExprZone(c, zone, settings));
  if (out.kind === 'cast' && out.zone === undefined && (isZonedTimestamp(out.type) || isZonedTimestamp(out.expr.type))) out = { ...out, zone };
  if (out.kind === 'call' && out.zone === undefined && (isZonedTimestamp(out.type) || out.args.some((a) => isZonedTimestamp(a.type)) || out.fn === 'current_date' || out.fn === 'current_time')) out = { ...out, zone };
  if (settings && (out.kind === 'cast' || out.kind === 'call') && out.settings === undefined && needsSettings(out)) out = { ...out, settings };
  return out;
}

/** Every expression of `plan` with `zone` and `settings` stamped where they are needed. */
export function stampZone(plan: LogicalPlan, zone: string | undefined, settings?: ExprSettings): LogicalPlan {
  if (zone === undefined && settings === undefined) return plan;
  return mapPlanExprs(plan, (e) => stampExprZone(e, zone ?? DEFAULT_TIMEZONE, settings));
}
