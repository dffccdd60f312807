/**
 * One ORDER BY item, `expr [ASC|DESC] [NULLS FIRST|LAST]`, as ORDER BY and window OVER
 * clauses both write it.
 */
import type { OrderItem } from '../ast.js';
import { upperWord, unexpectedAt, type TokenCursor } from './token-cursor.js';

/** `expr [ASC|DESC] [NULLS FIRST|LAST]` filling [s, e). */
export function orderItem(c: TokenCursor, s: number, e: number): OrderItem {
  const wordAt = (i: number) => (i >= s ? upperWord(c.tokens[i]) : null);
  let j = e;
  let nullsFirst: boolean | null = null;
  if (wordAt(j - 2) === 'NULLS' && (wordAt(j - 1) === 'FIRST' || wordAt(j - 1) === 'LAST')) {
    nullsFirst = wordAt(j - 1) === 'FIRST';
    j -= 2;
  } else if (wordAt(j - 1) === 'NULLS' && (wordAt(j - 2) === 'ASC' || wordAt(j - 2) === 'DESC')) {
    // `a DESC NULLS`: FIRST or LAST is missing at the end.
    throw unexpectedAt(c.tokens, e);
  }
  let desc = false;
  if (wordAt(j - 1) === 'ASC' || wordAt(j - 1) === 'DESC') {
    desc = wordAt(j - 1) === 'DESC';
    j--;
  }
  return { expr: c.expr(s, j), desc, nullsFirst };
}
