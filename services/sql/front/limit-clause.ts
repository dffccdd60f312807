/**
 * The end of a query: `LIMIT n [OFFSET m]`, `OFFSET m [ROW|ROWS] [FETCH ...]` and
 * `FETCH {FIRST|NEXT} [n] {ROW|ROWS} [ONLY]` (n defaults to 1).
 */
import type { Expr } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

export function limitClause(c: TokenCursor): { limit: Expr | null; offset: Expr | null } {
  let limit: Expr | null = null;
  let offset: Expr | null = null;
  if (c.acceptWord('LIMIT')) {
    const e = c.scanTo((w) => w === 'OFFSET' || w === 'FETCH');
    limit = c.expr(c.pos, e);
    c.pos = e;
    if (c.acceptWord('OFFSET')) {
      offset = c.expr(c.pos, c.end);
      c.pos = c.end;
    }
  } else if (c.acceptWord('OFFSET')) {
    const e = c.scanTo((w) => w === 'ROW' || w === 'ROWS' || w === 'FETCH');
    offset = c.expr(c.pos, e);
    c.pos = e;
    if (!c.acceptWord('ROW')) c.acceptWord('ROWS');
    if (c.isWord('FETCH')) limit = fetch(c);
  } else if (c.isWord('FETCH')) {
    limit = fetch(c);
  }
  return { limit, offset };
}

/** FETCH {FIRST|NEXT} [n] {ROW|ROWS} [ONLY] */
function fetch(c: TokenCursor): Expr {
  c.expectWord('FETCH');
  if (!c.acceptWord('FIRST')) c.expectWord('NEXT');
  const e = c.scanTo((w) => w === 'ROW' || w === 'ROWS' || w === 'ONLY');
  const count: Expr = e > c.pos ? c.expr(c.pos, e) : { kind: 'number', text: '1' };
  c.pos = e;
  if (!c.acceptWord('ROW')) c.expectWord('ROWS');
  c.acceptWord('ONLY');
  return count;
}
