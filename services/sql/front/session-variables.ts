/**
 * Session variables: SET and UNSET, after their first word (Snowflake's syntax):
 *   SET name = expr
 *   SET ( name, ... ) = ( expr, ... )      one expression per name, at depth 0
 *   SET ( name, ... ) = ( query )          one row, one column per name
 *   UNSET name | UNSET ( name, ... )
 * Names follow identifier rules (unquoted upper-cased, "quoted" verbatim). A SET whose list
 * of expressions is not as long as its list of names is VARIABLE_COUNT_MISMATCH here; a query's
 * columns are counted when it runs (services/session/session-variables.ts, which also
 * evaluates the values: the parser only shapes the statement).
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { wholeQuery } from './query.js';
import { isQueryGroup, type TokenCursor } from './token-cursor.js';

export function parseSet(c: TokenCursor): Statement {
  c.expectWord('SET');
  if (!c.isOp('(')) {
    const name = c.identifier();
    c.expectOp('=');
    const values = [c.expr(c.pos, c.end)];
    c.pos = c.end;
    return { kind: 'set_variables', names: [name], values, query: null };
  }
  const names = c.identList();
  c.expectOp('=');
  if (!c.isOp('(')) throw c.fail();
  const open = c.pos;
  const close = c.ctx.match[open];
  if (close + 1 !== c.end) throw c.fail(close + 1 - c.pos);
  c.pos = c.end;
  if (isQueryGroup(c.ctx, open)) {
    return { kind: 'set_variables', names, values: null, query: wholeQuery(c.child(open + 1, close)) };
  }
  const values = c.splitCommas(open + 1, close).map(([s, e]) => c.expr(s, e));
  if (values.length !== names.length) {
    throw new CompilationError('VARIABLE_COUNT_MISMATCH', `SQL compilation error: SET assigns ${values.length} value${values.length === 1 ? '' : 's'} to ${names.length} variable${names.length === 1 ? '' : 's'}`);
  }
  return { kind: 'set_variables', names, values, query: null };
}

export function parseUnset(c: TokenCursor): Statement {
  c.expectWord('UNSET');
  const names = c.isOp('(') ? c.identList() : [c.identifier()];
  c.expectEnd();
  return { kind: 'unset_variables', names };
}
