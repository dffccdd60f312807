/**
 * FLATTEN(INPUT => expr [, PATH => '...'] [, OUTER => b] [, RECURSIVE => b] [, MODE => '...'])
 * in FROM, the binder's half: `TABLE(FLATTEN(...))` alone, or correlated with the FROM items
 * before it (`FROM t, LATERAL FLATTEN(input => t.v:items) f`, or `FROM t, TABLE(FLATTEN(...))`),
 * as Snowflake allows. The expansion runs in the warehouse (flatten_exec), per input row.
 *
 * Contract: `bindFlatten` answers a flatten plan over `input` (a constant call's input is one
 * row of no columns) and its scope: the input's columns, then SEQ, KEY, PATH, INDEX, VALUE and
 * THIS qualified by the alias (or FLATTEN). Arguments are named, or positional in Snowflake's
 * order (INPUT, PATH, OUTER, RECURSIVE, MODE). INPUT is an expression of type VARIANT, OBJECT or
 * ARRAY over the input's columns; the others are constants (PATH a valid path, MODE one of
 * OBJECT / ARRAY / BOTH, case-insensitive). Anything else is TYPE_MISMATCH, a bad path or mode
 * INVALID_ARGUMENT_VALUE.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { isSemiStructured, Types } from '../../storage/types/data-type.js';
import { parsePath } from '../../storage/types/variant-json.js';
import type { Expr, TableRef } from '../sql/ast.js';
import { castTo, ExprBinder } from './bind-expr.js';
import { foldConstants } from './fold-constants.js';
import { FLATTEN_COLUMNS, FLATTEN_MODES, type FlattenMode, type LogicalPlan } from './logical-plan.js';
import { Scope } from './scope.js';

export const FLATTEN = 'FLATTEN';
const PARAMS = ['INPUT', 'PATH', 'OUTER', 'RECURSIVE', 'MODE'] as const;

export function isFlatten(ref: TableRef): ref is Extract<TableRef, { kind: 'function' }> {
  return ref.kind === 'function' && ref.name.parts.length === 1 && ref.name.parts[0] === FLATTEN;
}

export function bindFlatten(ref: Extract<TableRef, { kind: 'function' }>, input: { plan: LogicalPlan; scope: Scope }, binder: ExprBinder = new ExprBinder(input.scope, null, FLATTEN)): { plan: LogicalPlan; scope: Scope } {
  const named = new Map<string, Expr>();
  ref.args.forEach((a, i) => {
    const name = a.name?.toUpperCase() ?? PARAMS[i];
    if (name === undefined || !(PARAMS as readonly string[]).includes(name)) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid argument ${a.name ?? i + 1} for function ${FLATTEN}; it takes ${PARAMS.join(', ')}`);
    }
    if (named.has(name)) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ${name} of function ${FLATTEN} is given twice`);
    named.set(name, a.expr);
  });
  const inputArg = named.get('INPUT');
  if (inputArg === undefined) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: function ${FLATTEN} requires the argument INPUT`);
  let expr = binder.bind(inputArg);
  if (expr.type.kind === 'NULL') expr = castTo(expr, Types.variant);
  if (!isSemiStructured(expr.type)) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument INPUT of function ${FLATTEN} must be VARIANT, OBJECT or ARRAY, not ${expr.type.kind}`);
  }
  const path = constant('PATH', named.get('PATH'), 'string') ?? '';
  if (path !== '' && parsePath(path) === null) throw new CompilationError('INVALID_ARGUMENT_VALUE', `SQL compilation error: invalid path '${path}' for function ${FLATTEN}`);
  const outer = constant('OUTER', named.get('OUTER'), 'boolean') ?? false;
  const recursive = constant('RECURSIVE', named.get('RECURSIVE'), 'boolean') ?? false;
  const modeText = (constant('MODE', named.get('MODE'), 'string') ?? 'BOTH').toUpperCase();
  if (!(FLATTEN_MODES as readonly string[]).includes(modeText)) {
    throw new CompilationError('INVALID_ARGUMENT_VALUE', `SQL compilation error: argument MODE of function ${FLATTEN} must be one of ${FLATTEN_MODES.join(', ')}, not '${modeText}'`);
  }
  const qualifier = ref.alias ?? FLATTEN;
  return {
    plan: { kind: 'flatten', input: input.plan, expr, path, outer, recursive, mode: modeText as FlattenMode },
    scope: new Scope([...input.scope.columns, ...FLATTEN_COLUMNS.map((c) => ({ qualifier, name: c.name, type: c.type }))]),
  };
}

/** A constant argument's value (null when absent or NULL). */
function constant(param: string, e: Expr | undefined, want: 'string'): string | null;
function constant(param: string, e: Expr | undefined, want: 'boolean'): boolean | null;
function constant(param: string, e: Expr | undefined, want: 'string' | 'boolean'): string | boolean | null {
  if (e === undefined) return null;
  const bound = foldConstants(castTo(new ExprBinder(new Scope([]), null, `${FLATTEN} (${param} => ...)`).bind(e), want === 'string' ? Types.varchar : Types.boolean));
  if (bound.kind === 'literal' && bound.value === null) return null;
  if (bound.kind !== 'literal' || typeof bound.value !== want) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ${param} of function ${FLATTEN} must be a ${want === 'string' ? 'string' : 'BOOLEAN'} constant`);
  }
  return bound.value as string | boolean;
}
