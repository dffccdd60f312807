/**
 * The DML statements that change existing rows: UPDATE, DELETE, MERGE and TRUNCATE
 * (INSERT is insert.ts). Statement structure is read here; every expression range (SET
 * values, WHERE, ON, a WHEN clause's AND predicate, INSERT VALUES cells) goes to the
 * expression parser, and FROM / USING lists to query.ts, so they take every join, derived
 * table and time-travel form a query's FROM does.
 *
 * MERGE's clauses start at each WHEN that is neither inside parentheses nor inside a CASE
 * expression; the ON condition ends at the first of them. A MERGE without a WHEN clause is a
 * syntax error at the end of the statement. DEFAULT as a value and Snowflake's `UPDATE ALL BY
 * NAME` / `INSERT ALL BY NAME` are NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Assignment, Expr, MergeClause, Statement, TableRef } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { endsDistinctFrom, fromClause, tableAlias, tablePrimary } from './query.js';
import { unexpectedAt, upperWord, type TokenCursor } from './token-cursor.js';

/** UPDATE, DELETE, MERGE or TRUNCATE, by the statement's first word. */
export function parseDml(c: TokenCursor): Statement {
  switch (c.word()) {
    case 'UPDATE':
      return update(c);
    case 'DELETE':
      return deleteFrom(c);
    case 'MERGE':
      return merge(c);
    case 'TRUNCATE':
      return truncate(c);
    default:
      throw c.fail();
  }
}

function update(c: TokenCursor): Statement {
  c.expectWord('UPDATE');
  const table = c.objectName();
  const alias = tableAlias(c);
  c.expectWord('SET');
  const setEnd = c.scanTo((w, i) => w === 'WHERE' || (w === 'FROM' && !endsDistinctFrom(c, i)));
  const set = assignments(c, c.pos, setEnd);
  c.pos = setEnd;
  const from = c.acceptWord('FROM') ? tableList(c) : null;
  const where = whereClause(c);
  return { kind: 'update', table, alias, set, from, where };
}

function deleteFrom(c: TokenCursor): Statement {
  c.expectWord('DELETE');
  c.expectWord('FROM');
  const table = c.objectName();
  const alias = tableAlias(c);
  const using = c.acceptWord('USING') ? tableList(c) : null;
  const where = whereClause(c);
  return { kind: 'delete', table, alias, using, where };
}

function merge(c: TokenCursor): Statement {
  c.expectWord('MERGE');
  c.expectWord('INTO');
  const table = c.objectName();
  const alias = tableAlias(c);
  c.expectWord('USING');
  const source = tablePrimary(c);
  c.expectWord('ON');
  const starts: number[] = [];
  for (let i = scanOutsideCase(c, c.pos, (w) => w === 'WHEN'); i < c.end; i = scanOutsideCase(c, i + 1, (w) => w === 'WHEN')) starts.push(i);
  if (starts.length === 0) throw unexpectedAt(c.tokens, c.end);
  const on = c.expr(c.pos, starts[0]);
  const clauses = starts.map((s, k) => mergeClause(c.child(s, k + 1 < starts.length ? starts[k + 1] : c.end)));
  c.pos = c.end;
  return { kind: 'merge', table, alias, source, on, clauses };
}

/** `WHEN [NOT] MATCHED [AND predicate] THEN <action>`, filling the cursor's range. */
function mergeClause(c: TokenCursor): MergeClause {
  c.expectWord('WHEN');
  const notMatched = c.acceptWord('NOT');
  c.expectWord('MATCHED');
  let and: Expr | null = null;
  if (c.acceptWord('AND')) {
    const then = scanOutsideCase(c, c.pos, (w) => w === 'THEN');
    and = c.expr(c.pos, then);
    c.pos = then;
  }
  c.expectWord('THEN');
  if (!notMatched) {
    if (c.acceptWord('DELETE')) {
      c.expectEnd();
      return { kind: 'matched_delete', and };
    }
    c.expectWord('UPDATE');
    if (c.isWord('ALL')) throw new NotSupportedError('UPDATE ALL BY NAME');
    c.expectWord('SET');
    return { kind: 'matched_update', and, set: assignments(c, c.pos, c.end) };
  }
  c.expectWord('INSERT');
  if (c.isWord('ALL')) throw new NotSupportedError('INSERT ALL BY NAME');
  const columns = c.isOp('(') ? c.identList() : null;
  c.expectWord('VALUES');
  if (!c.isOp('(')) throw c.fail();
  const close = c.ctx.match[c.pos];
  const cells = c.splitCommas(c.pos + 1, close);
  for (const [s, e] of cells) if (e - s === 1 && upperWord(c.tokens[s]) === 'DEFAULT') throw new NotSupportedError('DEFAULT in VALUES');
  const values = c.ctx.vendor.parseExpressions(cells);
  c.pos = close + 1;
  c.expectEnd();
  return { kind: 'not_matched_insert', and, columns, values };
}

function truncate(c: TokenCursor): Statement {
  c.expectWord('TRUNCATE');
  c.acceptWord('TABLE');
  const ifExists = c.ifExists();
  const table = c.objectName();
  c.expectEnd();
  return { kind: 'truncate', table, ifExists };
}

/** `[q.]col = expr, ...` filling tokens [s, e). */
function assignments(c: TokenCursor, s: number, e: number): Assignment[] {
  return c.splitCommas(s, e).map(([from, to]) => {
    const a = c.child(from, to);
    let qualifier: string | null = null;
    let column = a.identifier();
    if (a.acceptOp('.')) {
      qualifier = column;
      column = a.identifier();
    }
    a.expectOp('=');
    if (a.isWord('DEFAULT') && a.pos + 1 === a.end) throw new NotSupportedError('DEFAULT in SET');
    return { column, qualifier, expr: a.expr(a.pos, a.end) };
  });
}

/** The FROM / USING list after its keyword, up to WHERE (or the end). */
function tableList(c: TokenCursor): TableRef {
  const end = c.scanTo((w) => w === 'WHERE');
  if (end === c.pos) throw c.fail();
  const refs = fromClause(c.child(c.pos, end));
  c.pos = end;
  return refs;
}

/** An optional `WHERE expr` ending the statement. */
function whereClause(c: TokenCursor): Expr | null {
  if (!c.acceptWord('WHERE')) {
    c.expectEnd();
    return null;
  }
  const where = c.expr(c.pos, c.end);
  c.pos = c.end;
  return where;
}

/**
 * Index of the first word in [from, end) for which `stop` holds that is neither inside
 * parentheses nor inside CASE ... END, else end.
 */
function scanOutsideCase(c: TokenCursor, from: number, stop: (word: string) => boolean): number {
  let cases = 0;
  for (let i = from; i < c.end; i++) {
    const t = c.tokens[i];
    if (t.kind === TokenKind.OP && t.text === '(') {
      i = c.ctx.match[i];
      continue;
    }
    if (t.kind !== TokenKind.WORD) continue;
    const w = t.text.toUpperCase();
    const qualified = i > 0 && c.tokens[i - 1].kind === TokenKind.OP && c.tokens[i - 1].text === '.';
    if (w === 'CASE' && !qualified) cases++;
    else if (w === 'END' && cases > 0 && !qualified) cases--;
    else if (cases === 0 && stop(w)) return i;
  }
  return c.end;
}
