/**
 * What binding a query carries along (catalog, session, visible CTEs, init plans), and the
 * query binder's entry points as a value: the subquery rewriter (bind-subqueries.ts) recurses
 * into bind-query.ts through `SubqueryContext.binder` instead of importing it, so the two
 * modules do not import each other.
 */
import type { Catalog, StatementStartLookup } from '../catalog/catalog.js';
import type { Query, Select, TableRef } from '../sql/ast.js';
import type { SessionContext } from '../session/statement-result.js';
import type { ExprBinder } from './bind-expr.js';
import type { LogicalPlan } from './logical-plan.js';
import type { Scope } from './scope.js';
import type { Column } from '../../storage/types/schema.js';

export type BindContext = {
  catalog: Catalog;
  session: SessionContext;
  /** Common table expressions visible here, by name (WITH clauses nest lexically). */
  ctes?: ReadonlyMap<string, { name: string; columns: string[] | null; query: Query }>;
  /** CTEs being bound right now: a reference to one of them would recurse. */
  binding?: ReadonlySet<string>;
  /**
   * Inside the recursive clause of recursive CTE `cte` (bind-recursive-cte.ts): a reference to
   * it reads its working table, the rows of its previous run, which have `columns`.
   */
  workingTable?: { cte: object; columns: Column[] };
  /**
   * Uncorrelated scalar subqueries of the statement, planned separately; a `param` node with
   * id i stands for the value of initPlans[i] (run before the main plan).
   */
  initPlans?: LogicalPlan[];
  /** What AT | BEFORE resolves against (resolve-time-travel.ts); absent: now, no history, 1 day. */
  travel?: TimeTravelClock;
  /** Every view the statement expanded, by id, with its stamp (expand-view.ts): what the result cache keys on. */
  views?: Map<number, string>;
  /** The views being expanded around this point (a view reaching itself again is an error); present only inside a view. */
  expanding?: ReadonlySet<number>;
  /**
   * The tables the statement reads with its own role's rights (not through a view, whose query
   * reads with its owner's): what a cached result's reader must be able to read.
   */
  directTables?: Set<number>;
};

/**
 * The statement's clock for time travel: its start (epoch ms, fixed once per statement, the
 * base of OFFSET => and of the retention window), the engine's statement history (starts, and
 * ends of finished statements), and the account's default retention in days
 * (FIRN_DATA_RETENTION_DAYS).
 */
export type TimeTravelClock = {
  startMs: number;
  statementStart: StatementStartLookup;
  statementEnd?: StatementStartLookup;
  defaultRetentionDays: number;
};

/** bind-query.ts's entry points (see there). */
export type QueryBinder = {
  bindQuery(ctx: BindContext, query: Query): LogicalPlan;
  bindSelect(ctx: BindContext, select: Select, query: Query | null): LogicalPlan;
  bindFrom(ctx: BindContext, from: TableRef | null): { plan: LogicalPlan; scope: Scope };
  exprBinder(ctx: BindContext, scope: Scope, clause: string): ExprBinder;
};

/** The context of the subquery rewriter: a bind context plus the query binder to recurse into. */
export type SubqueryContext = BindContext & { readonly binder: QueryBinder };
