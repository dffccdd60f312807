/**
 * SPLIT_TO_TABLE(string, delimiter) in FROM, the binder's half: `TABLE(SPLIT_TO_TABLE('a,b', ','))`
 * alone, or correlated with the FROM items before it (`FROM t, LATERAL SPLIT_TO_TABLE(t.s, ',')`,
 * or `FROM t, TABLE(SPLIT_TO_TABLE(t.s, ','))`), as Snowflake allows: each row of t repeated once
 * per part. The splitting runs in the warehouse (split_to_table_exec), per input row.
 *
 * Contract: `bindSplitToTable` answers a split_to_table plan over `input` (a constant call's
 * input is one row of no columns) and its scope: the input's columns, then SEQ, INDEX and VALUE
 * qualified by the alias (or SPLIT_TO_TABLE). Arguments: two positional expressions over the
 * input's columns, each cast to VARCHAR; anything else is TYPE_MISMATCH.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { TableRef } from '../sql/ast.js';
import { castTo, ExprBinder } from './bind-expr.js';
import { SPLIT_TO_TABLE_COLUMNS, type LogicalPlan } from './logical-plan.js';
import { Scope } from './scope.js';

export const SPLIT_TO_TABLE = 'SPLIT_TO_TABLE';

export function isSplitToTable(ref: TableRef): ref is Extract<TableRef, { kind: 'function' }> {
  return ref.kind === 'function' && ref.name.parts.length === 1 && ref.name.parts[0] === SPLIT_TO_TABLE;
}

/** A constant call's input: one row without columns. */
export const ONE_EMPTY_ROW: { plan: LogicalPlan; scope: Scope } = { plan: { kind: 'values', columns: [], rows: [[]] }, scope: new Scope([]) };

export function bindSplitToTable(ref: Extract<TableRef, { kind: 'function' }>, input: { plan: LogicalPlan; scope: Scope }, binder: ExprBinder = new ExprBinder(input.scope, null, SPLIT_TO_TABLE)): { plan: LogicalPlan; scope: Scope } {
  if (ref.args.length !== 2 || ref.args.some((a) => a.name !== null)) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: function ${SPLIT_TO_TABLE} takes two arguments, a string and a delimiter`);
  }
  const [string, delimiter] = ref.args.map((a) => castTo(binder.bind(a.expr), Types.varchar));
  const qualifier = ref.alias ?? SPLIT_TO_TABLE;
  return {
    plan: { kind: 'split_to_table', input: input.plan, string, delimiter },
    scope: new Scope([...input.scope.columns, ...SPLIT_TO_TABLE_COLUMNS.map((c) => ({ qualifier, name: c.name, type: c.type }))]),
  };
}
