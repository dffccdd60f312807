/**
 * Snowflake's time-travel clause, `{AT | BEFORE} ( TIMESTAMP => expr | OFFSET => expr |
 * STATEMENT => expr )`, read after a table name in FROM (query.ts tablePrimary) and after
 * a CLONE source (object-ddl.ts). The expression is handed to the expression parser as is;
 * what it must evaluate to is the binder's business. `STREAM =>` (change tracking) is
 * NotSupportedError; any other word before `=>` is a syntax error at that word.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { TimeTravel } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

/** Whether the cursor is at `AT (` or `BEFORE (`. */
export function atTimeTravel(c: TokenCursor): boolean {
  return (c.isWord('AT') || c.isWord('BEFORE')) && c.isOp('(', 1);
}

/** The `{AT | BEFORE} ( ... )` clause at the cursor (check atTimeTravel first). */
export function timeTravel(c: TokenCursor): TimeTravel {
  const mode = c.word();
  if (mode !== 'AT' && mode !== 'BEFORE') throw c.fail();
  c.pos++;
  if (!c.isOp('(')) throw c.fail();
  const close = c.ctx.match[c.pos];
  const inner = c.child(c.pos + 1, close);
  const point = inner.word();
  if (point === 'STREAM' && inner.isOp('=>', 1)) throw new NotSupportedError(`${mode} (STREAM => ...)`);
  if (point !== 'TIMESTAMP' && point !== 'OFFSET' && point !== 'STATEMENT') throw inner.fail();
  inner.pos++;
  inner.expectOp('=>');
  const expr = inner.expr(inner.pos, inner.end);
  c.pos = close + 1;
  return { mode, point, expr };
}
