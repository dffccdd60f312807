/**
 * GROUP BY lists: plain items, and one ROLLUP / CUBE / GROUPING SETS among them (Snowflake:
 * `GROUP BY a, b, ROLLUP (c, d)` groups by a, b plus each set), or GROUP BY ALL alone (the binder
 * groups by every select-list item without an aggregate). Nested grouping constructs, ALL beside
 * other items and more than one construct are NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Expr, GroupingSets, Select } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { isQueryGroup, unexpectedAt, upperWord, type TokenCursor } from './token-cursor.js';

/**
 * GROUP BY items [s, e): plain items go to `groupBy`, one ROLLUP / CUBE / GROUPING SETS to
 * `groupingSets` (Snowflake: `GROUP BY a, b, ROLLUP (c, d)` groups by a, b plus each set).
 */
export function groupBy(c: TokenCursor, s: number, e: number, select: Select): void {
  if (e - s === 1 && upperWord(c.tokens[s]) === 'ALL') {
    select.groupByAll = true;
    return;
  }
  for (const [a, b] of c.splitCommas(s, e)) {
    const sets = groupingSets(c, a, b);
    if (sets === null) {
      select.groupBy.push(groupItem(c, a, b));
    } else {
      if (select.groupingSets !== null) throw new NotSupportedError('More than one ROLLUP, CUBE or GROUPING SETS in a GROUP BY');
      select.groupingSets = sets;
    }
  }
}

/** The `ROLLUP (...)`, `CUBE (...)` or `GROUPING SETS (...)` filling [s, e), else null. */
function groupingSets(c: TokenCursor, s: number, e: number): GroupingSets | null {
  const w = upperWord(c.tokens[s]);
  const isOpen = (i: number) => i < e && c.tokens[i].kind === TokenKind.OP && c.tokens[i].text === '(';
  let open: number;
  if ((w === 'ROLLUP' || w === 'CUBE') && isOpen(s + 1)) open = s + 1;
  else if (w === 'GROUPING' && s + 1 < e && upperWord(c.tokens[s + 1]) === 'SETS') open = s + 2;
  else return null;
  if (!isOpen(open)) throw unexpectedAt(c.tokens, open);
  const close = c.ctx.match[open];
  if (close + 1 < e) throw unexpectedAt(c.tokens, close + 1);
  const parts = c.splitCommas(open + 1, close);
  if (w === 'ROLLUP' || w === 'CUBE') return { kind: w === 'ROLLUP' ? 'rollup' : 'cube', exprs: parts.map(([a, b]) => groupItem(c, a, b)) };
  return { kind: 'grouping_sets', sets: parts.map(([a, b]) => groupingSet(c, a, b)) };
}

/** One grouping set [s, e): `()`, `(a, b)` or a single item `a` (= `(a)`). */
function groupingSet(c: TokenCursor, s: number, e: number): Expr[] {
  const t = c.tokens[s];
  if (t.kind === TokenKind.OP && t.text === '(' && c.ctx.match[s] === e - 1 && !isQueryGroup(c.ctx, s)) {
    if (s + 1 === e - 1) return [];
    return c.splitCommas(s + 1, e - 1).map(([a, b]) => groupItem(c, a, b));
  }
  return [groupItem(c, s, e)];
}

/** One grouping expression; nested ROLLUP / CUBE / GROUPING SETS have no form in the AST. */
function groupItem(c: TokenCursor, s: number, e: number): Expr {
  const w = upperWord(c.tokens[s]);
  if (w === 'ALL' && e - s === 1) throw new NotSupportedError('GROUP BY ALL beside other grouping items');
  const nested = s + 1 < e ? c.tokens[s + 1] : null;
  if (((w === 'ROLLUP' || w === 'CUBE') && nested?.text === '(') || (w === 'GROUPING' && nested !== null && upperWord(nested) === 'SETS')) {
    throw new NotSupportedError(`${w === 'GROUPING' ? 'GROUPING SETS' : w} nested in another grouping construct`);
  }
  return c.expr(s, e);
}
