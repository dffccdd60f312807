/**
 * TABLE(GENERATOR(ROWCOUNT => n [, TIMELIMIT => s])) in FROM, the binder's half, and the row
 * ordinal that SEQ1/SEQ2/SEQ4/SEQ8() and RANDOM(seed) read.
 *
 * As in Snowflake, both arguments are non-negative integer constants, named or positional
 * (ROWCOUNT first); a NULL one is ignored, and without either the generator makes no rows.
 * The rows are made in the warehouse (generator_exec), never here. The generator's one column
 * is the row ordinal 0 .. n-1 (NUMBER(18,0)), reachable by no name a query can write and
 * skipped by `*`: Snowflake's generator has no columns of its own.
 *
 * Contract: `bindGenerator` answers the function's plan and scope columns, or TYPE_MISMATCH for
 * a bad argument (generator-row.ts: how functions find the ordinal).
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Expr, TableFunctionArg } from '../sql/ast.js';
import { castTo, ExprBinder } from './bind-expr.js';
import { foldConstants } from './fold-constants.js';
import type { LogicalPlan } from './logical-plan.js';
import { Scope, type ScopeColumn } from './scope.js';
import { GENERATOR_QUALIFIER, GENERATOR_ROW_COLUMN, ORDINAL_TYPE } from './generator-row.js';

export const GENERATOR = 'GENERATOR';
/** Most rows one generator makes: ordinals stay exact integers in f64 vectors. */
const MAX_ROWCOUNT = Number.MAX_SAFE_INTEGER;
const PARAMS = ['ROWCOUNT', 'TIMELIMIT'] as const;

export function bindGenerator(args: TableFunctionArg[]): { plan: LogicalPlan; scope: ScopeColumn[] } {
  const named = new Map<string, Expr>();
  args.forEach((a, i) => {
    const name = a.name ?? PARAMS[i];
    if (name === undefined || !(PARAMS as readonly string[]).includes(name)) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid argument ${a.name ?? i + 1} for function ${GENERATOR}; it takes ${PARAMS.join(', ')}`);
    }
    if (named.has(name)) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ${name} of function ${GENERATOR} is given twice`);
    named.set(name, a.expr);
  });
  const rows = count('ROWCOUNT', named.get('ROWCOUNT'));
  const seconds = count('TIMELIMIT', named.get('TIMELIMIT'));
  if (rows !== null && rows > MAX_ROWCOUNT) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ROWCOUNT of function ${GENERATOR} must be at most ${MAX_ROWCOUNT}`);
  const columns: Column[] = [{ name: GENERATOR_ROW_COLUMN, type: ORDINAL_TYPE, nullable: false }];
  // Neither argument (or both NULL): no rows, as in Snowflake.
  const plan: LogicalPlan = { kind: 'generator', rowCount: rows === null && seconds === null ? 0 : rows, timeLimitMs: seconds === null ? null : seconds * 1000, columns };
  return { plan, scope: [{ qualifier: GENERATOR_QUALIFIER, name: GENERATOR_ROW_COLUMN, type: ORDINAL_TYPE, merged: true }] };
}

/** A non-negative integer constant argument, or null when absent or NULL. */
function count(param: string, e: Expr | undefined): number | null {
  if (e === undefined) return null;
  const bound = foldConstants(castTo(new ExprBinder(new Scope([]), null, `${GENERATOR} (${param} => ...)`).bind(e), Types.number(38, 0)));
  if (bound.kind === 'literal' && bound.value === null) return null;
  if (bound.kind !== 'literal' || typeof bound.value !== 'bigint' || bound.value < 0n) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ${param} of function ${GENERATOR} must be a non-negative integer constant`);
  }
  return Number(bound.value);
}
