/**
 * PIVOT and UNPIVOT after a FROM item (Snowflake syntax); the binder rewrites both into
 * existing logical nodes (services/plan/bind-pivot.ts).
 *
 *   source PIVOT ( agg(expr) [[AS] a] FOR col IN ( v [[AS] alias], ... ) [DEFAULT ON NULL (d)] )
 *   source UNPIVOT [{INCLUDE | EXCLUDE} NULLS] ( value FOR name IN ( c1, ... ) )
 * each followed by an optional `[AS] alias [(c1, ...)]`. `IN (ANY [ORDER BY ...])` and
 * `IN (subquery)` (dynamic pivots, whose columns depend on the data) are 0A000.
 *
 * Contract: `pivotClauses` wraps `source` in every PIVOT / UNPIVOT at the cursor, in order, and
 * leaves the cursor after the last one; without one it returns `source` unchanged.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Expr, TableRef } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { isQueryGroup, upperWord, type TokenCursor } from './token-cursor.js';

type AliasFn = (c: TokenCursor) => string | null;

export function pivotClauses(c: TokenCursor, source: TableRef, tableAlias: AliasFn): TableRef {
  let ref = source;
  for (;;) {
    if (c.acceptWord('PIVOT')) ref = pivot(c, ref);
    else if (c.acceptWord('UNPIVOT')) ref = unpivot(c, ref);
    else return ref;
    const alias = tableAlias(c);
    const columns = alias !== null && c.isOp('(') ? c.identList() : null;
    ref = { ...ref, alias, columns } as TableRef;
  }
}

/** The parenthesized body at the cursor, as a cursor over its inside; the outer cursor moves past it. */
function body(c: TokenCursor): TokenCursor {
  if (!c.isOp('(')) throw c.fail();
  const close = c.ctx.match[c.pos];
  const inner = c.child(c.pos + 1, close);
  c.pos = close + 1;
  return inner;
}

function pivot(c: TokenCursor, source: TableRef): TableRef {
  const b = body(c);
  // agg ( ... ): the aggregate call ends at the ')' of its arguments.
  if (b.word() === null || !b.isOp('(', 1)) throw b.fail();
  const aggEnd = c.ctx.match[b.pos + 1] + 1;
  const aggregate = b.expr(b.pos, aggEnd);
  b.pos = aggEnd;
  let aggregateAlias: string | null = null;
  if (b.acceptWord('AS') || !b.isWord('FOR')) aggregateAlias = b.identifier();
  b.expectWord('FOR');
  const valueColumn = b.identifier();
  b.expectWord('IN');
  const list = body(b);
  if (list.isWord('ANY')) throw new NotSupportedError('PIVOT ... IN (ANY)');
  if (isQueryGroup(c.ctx, list.pos - 1)) throw new NotSupportedError('PIVOT ... IN (subquery)');
  if (list.atEnd()) throw list.fail();
  const values = list.splitCommas(list.pos, list.end).map(([s, e]) => pivotValue(list, s, e));
  let defaultOnNull: Expr | null = null;
  if (b.acceptWord('DEFAULT')) {
    b.expectWord('ON');
    b.expectWord('NULL');
    const d = body(b);
    defaultOnNull = d.expr(d.pos, d.end);
  }
  b.expectEnd();
  return { kind: 'pivot', source, aggregate, aggregateAlias, valueColumn, values, defaultOnNull, alias: null, columns: null };
}

/** One `value [[AS] alias]` of a PIVOT's IN list: an alias follows AS, or directly a literal. */
function pivotValue(c: TokenCursor, s: number, e: number): { expr: Expr; alias: string | null } {
  const t = c.tokens;
  const isName = (k: number) => t[k].kind === TokenKind.QUOTED || (t[k].kind === TokenKind.WORD && upperWord(t[k]) !== 'NULL');
  let exprEnd = e;
  if (e - s >= 3 && upperWord(t[e - 2]) === 'AS' && isName(e - 1)) exprEnd = e - 2;
  else if (e - s === 2 && (t[s].kind === TokenKind.STRING || t[s].kind === TokenKind.NUMBER) && isName(e - 1)) exprEnd = e - 1;
  const expr = c.expr(s, exprEnd);
  if (exprEnd === e) return { expr, alias: null };
  const a = c.child(e - 1, e);
  return { expr, alias: a.identifier() };
}

function unpivot(c: TokenCursor, source: TableRef): TableRef {
  let includeNulls = false;
  if (c.isWord('INCLUDE') || c.isWord('EXCLUDE')) {
    includeNulls = c.word() === 'INCLUDE';
    c.pos++;
    c.expectWord('NULLS');
  }
  const b = body(c);
  const valueColumn = b.identifier();
  b.expectWord('FOR');
  const nameColumn = b.identifier();
  b.expectWord('IN');
  const inColumns = b.identList();
  b.expectEnd();
  return { kind: 'unpivot', source, includeNulls, valueColumn, nameColumn, inColumns, alias: null, columns: null };
}
