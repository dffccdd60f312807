/**
 * Queries: WITH [RECURSIVE], set operations (INTERSECT binds tighter than UNION / EXCEPT / MINUS),
 * SELECT cores and their clauses, VALUES (also in FROM), ORDER BY and LIMIT, and the FROM
 * clause with its joins, derived tables, time travel (time-travel.ts), PIVOT / UNPIVOT (pivot.ts) and aliases. Each expression range goes to the
 * vendor expression parser (ctx.vendor); queries nested in expressions come back here through
 * SubParsers.parseQuery.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Expr, ObjectName, OrderItem, Query, QueryBody, Select, TableFunctionArg, TableRef } from '../ast.js';
import { RESERVED_WORDS, TokenKind } from '../tokenizer.js';
import { groupBy } from './group-by.js';
import { limitClause } from './limit-clause.js';
import { orderItem } from './order-item.js';
import { pivotClauses } from './pivot.js';
import { atTimeTravel, timeTravel } from './time-travel.js';
import { QUERY_TAIL, SET_OPS, isQueryGroup, unexpectedAt, upperWord, type TokenCursor } from './token-cursor.js';

/** Words that may not be an implicit (AS-less) table alias because they continue the FROM clause. */
const NOT_AN_ALIAS = new Set([
  ...RESERVED_WORDS, 'LIMIT', 'OFFSET', 'FETCH', 'EXCEPT', 'WINDOW', 'ASOF', 'MATCH_CONDITION', 'AT', 'BEFORE',
  'CHANGES', 'PIVOT', 'UNPIVOT', 'MATCH_RECOGNIZE', 'OUTER',
]);

const SELECT_CLAUSES = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY'];

type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

/** A query that must fill the whole range. */
export function wholeQuery(c: TokenCursor): Query {
  const q = query(c);
  c.expectEnd();
  return q;
}

function query(c: TokenCursor): Query {
  const withs: Query['with'] = [];
  let recursive = false;
  if (c.acceptWord('WITH')) {
    // RECURSIVE is optional and changes nothing (a CTE that refers to itself is recursive
    // either way, as in Snowflake); a CTE named RECURSIVE is followed by AS or its column list.
    if (c.isWord('RECURSIVE') && !c.isWord('AS', 1) && !c.isOp('(', 1)) {
      c.pos++;
      recursive = true;
    }
    do {
      const name = c.identifier();
      const columns = c.isOp('(') ? c.identList() : null;
      c.expectWord('AS');
      withs.push({ name, columns, query: parenQuery(c) });
    } while (c.acceptOp(','));
  }
  const body = unionLevel(c);
  const orderBy = c.isWord('ORDER') ? orderByClause(c) : [];
  const { limit, offset } = limitClause(c);
  return recursive ? { with: withs, recursive, body, orderBy, limit, offset } : { with: withs, body, orderBy, limit, offset };
}

/** `( query )` at pos. */
function parenQuery(c: TokenCursor): Query {
  if (!c.isOp('(')) throw c.fail();
  if (!isQueryGroup(c.ctx, c.pos)) throw c.fail(1);
  const close = c.ctx.match[c.pos];
  const q = wholeQuery(c.child(c.pos + 1, close));
  c.pos = close + 1;
  return q;
}

/** UNION / EXCEPT / MINUS: left-associative, below INTERSECT. */
function unionLevel(c: TokenCursor): QueryBody {
  let left = intersectLevel(c);
  for (;;) {
    if (c.acceptWord('UNION')) {
      const all = c.acceptWord('ALL');
      if (!all) c.acceptWord('DISTINCT');
      if (c.isWord('BY')) throw new NotSupportedError('UNION BY NAME');
      left = { kind: 'set_operation', op: 'UNION', all, left, right: intersectLevel(c) };
    } else if (c.acceptWord('EXCEPT') || c.acceptWord('MINUS')) {
      if (c.isWord('ALL')) throw new NotSupportedError('EXCEPT ALL');
      left = { kind: 'set_operation', op: 'EXCEPT', all: false, left, right: intersectLevel(c) };
    } else {
      return left;
    }
  }
}

function intersectLevel(c: TokenCursor): QueryBody {
  let left = queryPrimary(c);
  while (c.acceptWord('INTERSECT')) {
    if (c.isWord('ALL')) throw new NotSupportedError('INTERSECT ALL');
    left = { kind: 'set_operation', op: 'INTERSECT', all: false, left, right: queryPrimary(c) };
  }
  return left;
}

function queryPrimary(c: TokenCursor): QueryBody {
  if (c.isWord('SELECT')) return selectCore(c);
  if (c.isWord('VALUES')) return values(c);
  if (c.isOp('(')) {
    const q = parenQuery(c);
    if (q.with.length === 0 && q.orderBy.length === 0 && q.limit === null && q.offset === null) return q.body;
    // A parenthesized query with its own WITH/ORDER BY/LIMIT becomes SELECT * FROM (query).
    return {
      kind: 'select',
      distinct: false,
      items: [{ kind: 'star', table: null, exclude: [], rename: [] }],
      from: { kind: 'derived', query: q, alias: null },
      where: null,
      groupBy: [],
      groupingSets: null,
      having: null,
      qualify: null,
    };
  }
  throw c.fail();
}

function selectCore(c: TokenCursor): Select {
  const coreEnd = c.scanTo((w) => SET_OPS.has(w) || QUERY_TAIL.has(w));
  c.expectWord('SELECT');
  const distinct = c.acceptWord('DISTINCT');
  if (!distinct) c.acceptWord('ALL');
  if (c.isWord('TOP')) throw new NotSupportedError('SELECT TOP');

  const clauses: { word: string; at: number }[] = [];
  const core = c.child(c.pos, coreEnd);
  core.scanTo((w, i) => {
    if (w === 'WINDOW') throw new NotSupportedError('The WINDOW clause');
    if (!SELECT_CLAUSES.includes(w)) return false;
    if (w === 'FROM' && endsDistinctFrom(c, i)) return false;
    if (w === 'FROM' && isWindowFrom(c, i)) return false;
    // `fn(...) WITHIN GROUP (ORDER BY ...)` is part of an expression (convert-vendor-ast.ts), not GROUP BY.
    if (w === 'GROUP' && i > 0 && upperWord(c.tokens[i - 1]) === 'WITHIN') return false;
    const last = clauses[clauses.length - 1];
    if (last && SELECT_CLAUSES.indexOf(last.word) >= SELECT_CLAUSES.indexOf(w)) throw unexpectedAt(c.tokens, i);
    clauses.push({ word: w, at: i });
    return false;
  });

  const listEnd = clauses.length > 0 ? clauses[0].at : coreEnd;
  if (listEnd === c.pos) throw c.fail();
  const select: Select = {
    kind: 'select',
    distinct,
    items: c.ctx.vendor.parseSelectList(c.pos, listEnd),
    from: null,
    where: null,
    groupBy: [],
    groupingSets: null,
    having: null,
    qualify: null,
  };
  clauses.forEach((clause, k) => {
    const e = k + 1 < clauses.length ? clauses[k + 1].at : coreEnd;
    let s = clause.at + 1;
    if (clause.word === 'GROUP') {
      if (upperWord(c.tokens[s]) !== 'BY' || s >= e) throw unexpectedAt(c.tokens, s);
      s++;
    }
    if (s >= e) throw unexpectedAt(c.tokens, e);
    switch (clause.word) {
      case 'FROM':
        select.from = fromClause(c.child(s, e));
        break;
      case 'WHERE':
        select.where = c.expr(s, e);
        break;
      case 'GROUP':
        groupBy(c, s, e, select);
        break;
      case 'HAVING':
        select.having = c.expr(s, e);
        break;
      case 'QUALIFY':
        select.qualify = c.expr(s, e);
        break;
    }
  });
  c.pos = coreEnd;
  return select;
}

/** Whether the FROM at `i` ends an `IS [NOT] DISTINCT FROM` operator (not a FROM clause). */
export function endsDistinctFrom(c: TokenCursor, i: number): boolean {
  const at = (k: number) => (k >= 0 ? upperWord(c.tokens[k]) : null);
  return at(i - 1) === 'DISTINCT' && (at(i - 2) === 'IS' || (at(i - 2) === 'NOT' && at(i - 3) === 'IS'));
}

/**
 * Is the FROM at `i` NTH_VALUE's `(...) FROM {FIRST | LAST} [IGNORE | RESPECT NULLS] OVER`
 * (convert-vendor-ast.ts), not the FROM clause? Only OVER after it makes it so.
 */
function isWindowFrom(c: TokenCursor, i: number): boolean {
  const at = (k: number) => (k < c.tokens.length ? upperWord(c.tokens[k]) : null);
  const before = c.tokens[i - 1];
  if (i === 0 || before.kind !== TokenKind.OP || before.text !== ')') return false;
  if (at(i + 1) !== 'FIRST' && at(i + 1) !== 'LAST') return false;
  const k = (at(i + 2) === 'IGNORE' || at(i + 2) === 'RESPECT') && at(i + 3) === 'NULLS' ? i + 4 : i + 2;
  return at(k) === 'OVER';
}

/** `VALUES (...), (...)`; `inFrom`: a comma not followed by '(' ends the rows (it separates FROM items). */
function values(c: TokenCursor, inFrom = false): QueryBody {
  c.expectWord('VALUES');
  const rows: [number, number][][] = [];
  do {
    if (!c.isOp('(')) throw c.fail();
    const close = c.ctx.match[c.pos];
    const cells = c.splitCommas(c.pos + 1, close);
    for (const [s, e] of cells) {
      if (e - s === 1 && upperWord(c.tokens[s]) === 'DEFAULT') throw new NotSupportedError('DEFAULT in VALUES');
    }
    rows.push(cells);
    c.pos = close + 1;
  } while ((!inFrom || c.isOp('(', 1)) && c.acceptOp(','));
  // One expression-parser call for all cells: long VALUES lists parse in one vendor pass.
  const exprs = c.ctx.vendor.parseExpressions(rows.flat());
  let k = 0;
  return { kind: 'values', rows: rows.map((r) => r.map(() => exprs[k++])) };
}

function orderByClause(c: TokenCursor): OrderItem[] {
  c.expectWord('ORDER');
  c.expectWord('BY');
  const end = c.scanTo((w) => w === 'LIMIT' || w === 'OFFSET' || w === 'FETCH');
  const items = c.splitCommas(c.pos, end).map(([s, e]) => orderItem(c, s, e));
  c.pos = end;
  return items;
}

/** The whole range as a FROM list: comma-separated items are CROSS joins. */
export function fromClause(c: TokenCursor): TableRef {
  let left = joinedTable(c);
  while (c.acceptOp(',')) {
    left = { kind: 'join', joinType: 'CROSS', left, right: joinedTable(c), on: null, using: null, natural: false };
  }
  c.expectEnd();
  return left;
}

function joinedTable(c: TokenCursor): TableRef {
  let left = tablePrimary(c);
  for (;;) {
    const natural = c.acceptWord('NATURAL');
    let joinType: JoinType | null = null;
    if (c.acceptWord('INNER')) joinType = 'INNER';
    else if (c.isWord('LEFT') || c.isWord('RIGHT') || c.isWord('FULL')) {
      joinType = c.word() as JoinType;
      c.pos++;
      c.acceptWord('OUTER');
    } else if (c.isWord('CROSS')) {
      if (natural) throw c.fail();
      c.pos++;
      joinType = 'CROSS';
    } else if (c.isWord('ASOF')) {
      throw new NotSupportedError('ASOF JOIN');
    }
    if (joinType === null && !c.isWord('JOIN')) {
      if (natural) throw c.fail();
      return left;
    }
    c.expectWord('JOIN');
    const right = tablePrimary(c);
    let on: Expr | null = null;
    let using: string[] | null = null;
    if (joinType !== 'CROSS' && !natural) {
      if (c.acceptWord('ON')) {
        const stop = Math.min(c.scanTo((w, i) => endsJoinCondition(c, w, i)), nextDepth0Comma(c));
        on = c.expr(c.pos, stop);
        c.pos = stop;
      } else if (c.acceptWord('USING')) {
        using = c.identList();
      } else if (joinType !== null && joinType !== 'INNER') {
        throw c.fail();
      }
    }
    left = { kind: 'join', joinType: joinType ?? 'INNER', left, right, on, using, natural };
  }
}

function endsJoinCondition(c: TokenCursor, w: string, i: number): boolean {
  if (w === 'JOIN' || w === 'INNER' || w === 'CROSS' || w === 'NATURAL' || w === 'FULL' || w === 'ASOF') return true;
  if (w === 'LEFT' || w === 'RIGHT') {
    const n = i + 1 < c.end ? upperWord(c.tokens[i + 1]) : null;
    return n === 'JOIN' || n === 'OUTER';
  }
  return false;
}

function nextDepth0Comma(c: TokenCursor): number {
  for (let i = c.pos; i < c.end; i++) {
    const t = c.tokens[i];
    if (t.kind !== TokenKind.OP) continue;
    if (t.text === '(') i = c.ctx.match[i];
    else if (t.text === ',') return i;
  }
  return c.end;
}

/**
 * One FROM item without joins: a table (with its time travel and alias), a derived table, VALUES,
 * a table function or a parenthesized FROM list, each maybe followed by PIVOT / UNPIVOT (pivot.ts).
 */
export function tablePrimary(c: TokenCursor): TableRef {
  return pivotClauses(c, fromItem(c), tableAlias);
}

function fromItem(c: TokenCursor): TableRef {
  if (c.isOp('(')) {
    if (isQueryGroup(c.ctx, c.pos)) {
      const query = parenQuery(c);
      return derivedAlias(c, query);
    }
    const close = c.ctx.match[c.pos];
    const inner = fromClause(c.child(c.pos + 1, close));
    c.pos = close + 1;
    return inner;
  }
  if (c.isWord('VALUES')) {
    // FROM VALUES (...), (...) [AS] v(a, b): the rows end at a comma not followed by '('.
    const body = values(c, true);
    return derivedAlias(c, { with: [], body, orderBy: [], limit: null, offset: null });
  }
  if (c.isWord('LATERAL')) {
    // LATERAL name(args): a table function over the FROM items before it (the binder says which may).
    if (c.isWord('TABLE', 1) && c.isOp('(', 2)) {
      c.expectWord('LATERAL');
      return tableFunction(c);
    }
    if (c.isOp('(', 1) || !c.isOp('(', 2)) throw new NotSupportedError('LATERAL');
    c.expectWord('LATERAL');
    const name = c.objectName();
    const args = functionArgs(c);
    const alias = tableAlias(c);
    if (c.isOp('(')) throw new NotSupportedError('Column aliases in FROM');
    return { kind: 'function', name, args, alias };
  }
  if (c.isWord('TABLE') && c.isOp('(', 1)) return tableFunction(c);
  if (!c.atEnd() && c.tok().kind === TokenKind.STAGE) throw new NotSupportedError('Stages in FROM');
  // IDENTIFIER($t): the table the session variable names, filled in when the statement runs.
  const variable = c.identifierCall(TokenKind.VARIABLE);
  const name: ObjectName = variable ? { parts: [], variable: { name: variable.value, line: variable.line, column: variable.column } } : c.objectName();
  if (c.isOp('(')) throw new NotSupportedError('Table functions');
  const at = atTimeTravel(c) ? timeTravel(c) : null;
  if (c.isWord('CHANGES')) throw new NotSupportedError('CHANGES');
  if (c.isWord('SAMPLE') || c.isWord('TABLESAMPLE')) throw new NotSupportedError('SAMPLE');
  const alias = tableAlias(c);
  if (c.isOp('(')) throw new NotSupportedError('Column aliases in FROM');
  if (c.isWord('MATCH_RECOGNIZE')) throw new NotSupportedError('MATCH_RECOGNIZE');
  return at === null ? { kind: 'table', name, alias } : { kind: 'table', name, alias, at };
}

/** `TABLE ( name ( [NAME =>] expr, ... ) ) [AS] alias` (the binder knows which functions exist). */
function tableFunction(c: TokenCursor): TableRef {
  c.expectWord('TABLE');
  const close = c.ctx.match[c.pos];
  const inner = c.child(c.pos + 1, close);
  const name = inner.objectName();
  const args = functionArgs(inner);
  inner.expectEnd();
  c.pos = close + 1;
  const alias = tableAlias(c);
  if (c.isOp('(')) throw new NotSupportedError('Column aliases in FROM');
  return { kind: 'function', name, args, alias };
}

/** A table function's `( [NAME =>] expr, ... )`, the cursor at its '('; leaves the cursor after the ')'. */
function functionArgs(c: TokenCursor): TableFunctionArg[] {
  if (!c.isOp('(')) throw c.fail();
  const argsClose = c.ctx.match[c.pos];
  const args: TableFunctionArg[] = [];
  if (argsClose > c.pos + 1) {
    for (const [s, e] of c.splitCommas(c.pos + 1, argsClose)) {
      const arg = c.child(s, e);
      const named = arg.word() !== null && arg.isOp('=>', 1);
      const argName = named ? arg.identifier() : null;
      if (named) arg.expectOp('=>');
      if (arg.atEnd()) throw arg.fail();
      args.push({ name: argName, expr: arg.expr(arg.pos, e) });
    }
  }
  c.pos = argsClose + 1;
  return args;
}

/** The `[AS] alias [(c1, ...)]` after a derived table or VALUES in FROM. */
function derivedAlias(c: TokenCursor, query: Query): TableRef {
  const alias = tableAlias(c);
  if (!c.isOp('(')) return { kind: 'derived', query, alias };
  if (alias === null) throw c.fail();
  return { kind: 'derived', query, alias, columns: c.identList() };
}

/** An optional `[AS] alias` after a table (a word that continues the statement is no alias). */
export function tableAlias(c: TokenCursor): string | null {
  if (c.acceptWord('AS')) return c.identifier();
  if (c.atEnd()) return null;
  const t = c.tok();
  if (t.kind === TokenKind.QUOTED) {
    c.pos++;
    return t.value;
  }
  if (t.kind === TokenKind.WORD && !NOT_AN_ALIAS.has(t.text.toUpperCase())) {
    c.pos++;
    return t.text.toUpperCase();
  }
  return null;
}
