/**
 * AT | BEFORE (TIMESTAMP => t | OFFSET => s | STATEMENT => 'id') on a table reference, resolved
 * to the table version it reads (Snowflake time travel). The expression is bound with an empty
 * scope and folded: it must be a constant, else a compilation error. TIMESTAMP is cast to
 * TIMESTAMP_LTZ (an NTZ or a string without an offset read as UTC; an LTZ/TZ is its instant); OFFSET is seconds added to the statement's start (fixed once
 * per statement in BindContext.travel, so every reference of a statement reads the same
 * point); STATEMENT is a query id (a statementHandle), looked up in the catalog's version log
 * and then in the engine's statement history. The catalog's resolveVersion raises 000707 for
 * a point before the table's creation or beyond its retention (effective
 * DATA_RETENTION_TIME_IN_DAYS, inherited, default FIRN_DATA_RETENTION_DAYS) and 000709 for an
 * id nobody knows.
 */
import { stampExprZone } from './stamp-zone.js';
import { DEFAULT_TIMEZONE } from '../../storage/types/time-zone.js';
import type { TableInfo, TimeTravelPoint } from '../catalog/catalog.js';
import type { TimeTravel } from '../sql/ast.js';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types, typeToSql, type DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import { castTo, ExprBinder } from './bind-expr.js';
import type { BindContext, TimeTravelClock } from './bind-context.js';
import { foldConstants } from './fold-constants.js';
import { Scope } from './scope.js';

const MS_PER_DAY = 86_400_000;

/** The clock of a context without one (unit tests, EXPLAIN): now, no statement history, 1 day. */
export function clockOf(ctx: BindContext): TimeTravelClock {
  return ctx.travel ?? { startMs: Date.now(), statementStart: () => null, defaultRetentionDays: 1 };
}

/** The point `tt` names: a time (epoch ns, UTC) or a statement id. */
export function timeTravelPoint(ctx: BindContext, tt: TimeTravel): TimeTravelPoint {
  const at = tt.mode;
  switch (tt.point) {
    case 'TIMESTAMP': {
      // An instant: an LTZ/TZ value as it is, an NTZ or a string without an offset read as UTC.
      const v = constantValue(tt, Types.timestampLtz, ctx.session.timezone);
      return { at, kind: 'time', epochNs: v as bigint };
    }
    case 'OFFSET': {
      const seconds = constantValue(tt, Types.float) as number;
      if (!Number.isFinite(seconds)) throw invalid(tt, 'a finite number of seconds');
      return { at, kind: 'time', epochNs: BigInt(clockOf(ctx).startMs) * 1_000_000n + BigInt(Math.round(seconds * 1e9)) };
    }
    case 'STATEMENT':
      return { at, kind: 'statement', queryId: constantValue(tt, Types.varchar) as string };
  }
}

/** The version of `table` (live, current) that `tt` reads. */
export function resolveTimeTravel(ctx: BindContext, table: TableInfo, tt: TimeTravel): number {
  const clock = clockOf(ctx);
  const retentionMs = ctx.catalog.retentionDaysOf(table.id, clock.defaultRetentionDays) * MS_PER_DAY;
  return ctx.catalog.resolveVersion(table.id, timeTravelPoint(ctx, tt), clock.startMs, retentionMs, clock.statementStart);
}

/**
 * The epoch ms a point names for a schema or database clone (which takes a time, not a
 * version): AT includes the millisecond of the time, BEFORE ends just before it. A statement
 * (from the statement history; 000709 if unknown): AT is its end (its commit included), BEFORE
 * just before its start.
 */
export function timeTravelMs(ctx: BindContext, tt: TimeTravel): number {
  const point = timeTravelPoint(ctx, tt);
  if (point.kind === 'statement') {
    const clock = clockOf(ctx);
    const start = clock.statementStart(point.queryId);
    if (start === null) throw new CompilationError('STATEMENT_NOT_FOUND', `Statement ${point.queryId} not found`);
    return point.at === 'AT' ? (clock.statementEnd?.(point.queryId) ?? start) : start - 1;
  }
  const ns = point.epochNs;
  const floorMs = ns >= 0n ? ns / 1_000_000n : -((-ns + 999_999n) / 1_000_000n);
  if (point.at === 'AT') return Number(floorMs);
  return Number(floorMs * 1_000_000n === ns ? floorMs - 1n : floorMs);
}

function constantValue(tt: TimeTravel, type: DataType, sessionZone?: string): Scalar {
  const inner = new ExprBinder(new Scope([]), null, `${tt.mode} (${tt.point} => ...)`).bind(tt.expr);
  const bound = foldConstants(stampExprZone(castTo(stampExprZone(inner, sessionZone ?? DEFAULT_TIMEZONE), type), 'UTC'));
  if (bound.kind !== 'literal') throw invalid(tt, `a constant ${typeToSql(type)}`);
  if (bound.value === null) throw invalid(tt, `a non-NULL ${typeToSql(type)}`);
  return bound.value;
}

function invalid(tt: TimeTravel, what: string): CompilationError {
  return new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${tt.mode} (${tt.point} => ...) must be ${what}`);
}
