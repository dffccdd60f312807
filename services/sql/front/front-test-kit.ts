/**
 * Builders of expected Firn AST values and parse helpers shared by the front parser's tests
 * (front-parser.test.ts and the per-family tests beside this file). Test support only.
 */
import type { Expr, Query, QueryBody, Select, SelectItem, Statement, TableRef } from '../ast.js';
import { SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import { parseSql } from '../parse-sql.js';

export const col = (name: string, table: string | null = null): Expr => ({ kind: 'column', table, name });
export const num = (text: string): Expr => ({ kind: 'number', text });
export const str = (value: string): Expr => ({ kind: 'string', value });
export const eq = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '=', left, right });
export const table = (parts: string[], alias: string | null = null): TableRef => ({ kind: 'table', name: { parts }, alias });
export const join = (joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS', left: TableRef, right: TableRef, more: Partial<{ on: Expr; using: string[]; natural: boolean }> = {}): TableRef => ({
  kind: 'join',
  joinType,
  left,
  right,
  on: more.on ?? null,
  using: more.using ?? null,
  natural: more.natural ?? false,
});
export const sel = (items: string[], more: Partial<Select> = {}): Select => ({
  kind: 'select',
  distinct: false,
  items: items.map((n): SelectItem => (n === '*' ? { kind: 'star', table: null, exclude: [], rename: [] } : { kind: 'expr', expr: /^\d+$/.test(n) ? num(n) : col(n), alias: null })),
  from: null,
  where: null,
  groupBy: [],
  groupingSets: null,
  having: null,
  qualify: null,
  ...more,
});
export const q = (body: QueryBody, more: Partial<Query> = {}): Query => ({ with: [], body, orderBy: [], limit: null, offset: null, ...more });

/** The one statement `sql` holds (an Error when it holds another number). */
export function one(sql: string): Statement {
  const statements = parseSql(sql);
  if (statements.length !== 1) throw new Error(`${statements.length} statements in: ${sql}`);
  return statements[0];
}

/** The query `sql` is (an Error when it is another statement). */
export function query(sql: string): Query {
  const st = one(sql);
  if (st.kind !== 'query') throw new Error(`not a query: ${sql}`);
  return st.query;
}

/** The SqlSyntaxError `sql` raises, as `<token>@<line>:<column>` (an Error when it raises none or another error). */
export function syntaxErrorAt(sql: string): string {
  try {
    parseSql(sql);
  } catch (err) {
    if (!(err instanceof SqlSyntaxError)) throw err;
    const token = /unexpected '(.*)'\.$/s.exec(err.message)?.[1];
    if (token === undefined || !err.position) throw err;
    return `${token}@${err.position.line}:${err.position.column}`;
  }
  throw new Error(`no syntax error in: ${sql}`);
}
