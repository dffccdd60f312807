/**
 * Which statements the result cache (result-cache.ts) may answer, following Snowflake's
 * conditions for reusing a persisted result, and what it keys them on.
 *
 * Contract:
 * - `resultCacheText(st)` is the statement's normalized text (its parsed form serialized), or
 *   null when its result must not be reused: anything but a query (EXPLAIN, DML, DDL, SHOW...),
 *   a query calling a function whose value changes from one run to the next
 *   (NON_REUSABLE_FUNCTIONS: RANDOM, UUID_STRING, CURRENT_TIMESTAMP and the other clock and
 *   session-context functions), a sequence's next value (seq.NEXTVAL) or a system function (SYSTEM$...), or reading
 *   INFORMATION_SCHEMA or the SNOWFLAKE database, or calling a table function (views and
 *   functions computed from the catalog as it is now). The walk is over every node of the
 *   parsed statement, so a new expression or FROM form is covered without changes here.
 * - `resultCacheEntry` is the key and table versions of a bound query (null: not cacheable).
 *   The key holds the session's role (a role is served only its own entries) and the views the
 *   query expanded, each with its stamp (a replaced view is a new key). The versions include the
 *   tables read through views, so a change to one of them invalidates the entry.
 * - `tableVersions(planned)` lists every table the bound plan (and its init plans) scans,
 *   with the version it reads: the current one, or the one a time travel clause resolved to.
 */
import type { Statement } from '../sql/ast.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { transformUp } from '../plan/transform-up.js';
import { takesSequenceValues } from '../plan/bind-sequences.js';
import type { ResultCacheKey, TableVersions } from './result-cache.js';
import { DEFAULT_SESSION_PARAMETERS, exprSettingsOf, type SessionParameters } from './session-parameters.js';
import type { SessionContext } from './statement-result.js';

/**
 * Functions whose value differs between two runs of the same statement over the same data
 * (Snowflake names UUID_STRING, RANDOM and RANDSTR; the clock and context functions change
 * with the moment and the session). Names as resolved: upper case.
 */
export const NON_REUSABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'RANDOM', 'RANDSTR', 'UUID_STRING', 'UNIFORM', 'NORMAL', 'ZIPF', 'SEQ1', 'SEQ2', 'SEQ4', 'SEQ8',
  'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIMESTAMP', 'LOCALTIME', 'SYSDATE', 'GETDATE',
  'SYSTIMESTAMP', 'CURRENT_WAREHOUSE', 'CURRENT_ROLE', 'CURRENT_USER', 'CURRENT_SESSION', 'CURRENT_STATEMENT',
  'CURRENT_TRANSACTION', 'LAST_QUERY_ID', 'LAST_TRANSACTION', 'CURRENT_CLIENT', 'CURRENT_IP_ADDRESS',
  'CURRENT_ACCOUNT', 'CURRENT_REGION', 'CURRENT_VERSION', 'CURRENT_AVAILABLE_ROLES', 'CURRENT_SECONDARY_ROLES', 'IS_ROLE_IN_SESSION',
]);

/** Schemas and databases whose views are computed from the catalog when a query binds. */
const SYSTEM_NAMES: ReadonlySet<string> = new Set(['INFORMATION_SCHEMA', 'ACCOUNT_USAGE']);

export function resultCacheText(st: Statement): string | null {
  if (st.kind !== 'query') return null;
  return reusable(st) ? JSON.stringify(st) : null;
}

/** Whether no node of `node` calls a non-reusable or system function or names a system view. */
function reusable(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(reusable);
  if (node === null || typeof node !== 'object') return true;
  const o = node as Record<string, unknown>;
  // seq.NEXTVAL: new values every run.
  if (o.kind === 'nextval') return false;
  // A table function in FROM (TABLE(QUERY_HISTORY()) ...) is computed from the catalog as it is now.
  if (o.kind === 'function' && Array.isArray(o.args) && typeof o.name === 'object') return false;
  if (o.kind === 'function' && typeof o.name === 'string') {
    const name = o.name.toUpperCase();
    if (NON_REUSABLE_FUNCTIONS.has(name) || name.startsWith('SYSTEM$')) return false;
  }
  const parts = o.parts;
  if (Array.isArray(parts) && parts.some((p, i) => SYSTEM_NAMES.has(p as string) || (i === 0 && p === 'SNOWFLAKE' && parts.length > 1))) return false;
  for (const v of Object.values(o)) if (!reusable(v)) return false;
  return true;
}

/** Every table the plans scan, with the versions read. */
export function tableVersions(planned: { plan: LogicalPlan; initPlans: LogicalPlan[] }): TableVersions {
  const out = new Map<number, Set<number>>();
  for (const plan of [planned.plan, ...planned.initPlans]) {
    transformUp(plan, (p) => {
      if (p.kind === 'scan') {
        let versions = out.get(p.table.id);
        if (versions === undefined) out.set(p.table.id, (versions = new Set()));
        versions.add(p.version);
      }
      return p;
    });
  }
  return out;
}

/**
 * What the result cache knows a bound query by: null when the statement may not be cached.
 * The session's parameters decide only whether a cached result is used (`reuse`): results
 * are kept either way, as Snowflake persists every result.
 */
export function resultCacheEntry(
  st: Statement,
  session: SessionContext,
  params: SessionParameters,
  planned: { plan: LogicalPlan; initPlans: LogicalPlan[]; views?: ReadonlyMap<number, string> },
): { key: ResultCacheKey; versions: TableVersions; reuse: boolean } | null {
  const statementText = resultCacheText(st);
  if (statementText === null) return null;
  // NEXTVAL read through a view: the statement's text does not show it.
  if ([planned.plan, ...planned.initPlans].some(takesSequenceValues)) return null;
  // The views it expanded, each as created: replacing one is a different query.
  const views = planned.views && planned.views.size > 0 ? `\u0000views:${[...planned.views.values()].sort().join(',')}` : '';
  // TIMESTAMP_LTZ/TZ results and their conversions depend on the session's TIMEZONE; text of
  // dates and binaries, week numbers, what TIMESTAMP means and how many rows are answered on
  // the session's other parameters (only those not at their defaults are in the key).
  const settings = exprSettingsOf(params);
  const mapping = params.timestampTypeMapping !== DEFAULT_SESSION_PARAMETERS.timestampTypeMapping ? `\u0000ts:${params.timestampTypeMapping}` : '';
  const rows = params.rowsPerResultset > 0 ? `\u0000rows:${params.rowsPerResultset}` : '';
  const text = statementText + views + `\u0000tz:${params.timezone}` + (settings ? `\u0000s:${JSON.stringify(settings)}` : '') + mapping + rows;
  return {
    key: { text, role: session.role ?? null, database: session.database, schema: session.schema },
    versions: tableVersions(planned),
    reuse: params.useCachedResult,
  };
}
