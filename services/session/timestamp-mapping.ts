/**
 * TIMESTAMP_TYPE_MAPPING: which timestamp type the name TIMESTAMP stands for in a session
 * (TIMESTAMP_NTZ by default, as in Snowflake). The engine rewrites the parsed statement before
 * it binds it, as it puts in session values (session-functions.ts): every type name TIMESTAMP
 * (casts, typed literals TIMESTAMP '...', column definitions) becomes the mapped type, and
 * TO_TIMESTAMP / TRY_TO_TIMESTAMP the mapped conversion, so neither the binder nor the DDL
 * needs to know about sessions. DATETIME stays TIMESTAMP_NTZ (its own alias in Snowflake).
 *
 * Contract: withTimestampMapping(st, kind) is `st` itself for TIMESTAMP_NTZ or when nothing
 * names TIMESTAMP; else a new tree (`st` is unchanged). An unaliased select item that changed
 * keeps the column name its text gives (`CAST(X AS TIMESTAMP)`), as Snowflake names it.
 */
import type { TimestampKind } from '../../storage/types/data-type.js';
import { exprText } from '../plan/expr-text.js';
import type { Expr, Statement } from '../sql/ast.js';

const FUNCTIONS: Record<string, string> = { TO_TIMESTAMP: 'TO_TIMESTAMP', TRY_TO_TIMESTAMP: 'TRY_TO_TIMESTAMP' };

/** A TypeName node ({ name, params }) naming TIMESTAMP. */
function isTimestampTypeName(o: Record<string, unknown>): boolean {
  return o.name === 'TIMESTAMP' && Array.isArray(o.params) && !('kind' in o);
}

function isMappedCall(o: Record<string, unknown>): boolean {
  return o.kind === 'function' && typeof o.name === 'string' && o.name in FUNCTIONS;
}

function mentions(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentions);
  if (node === null || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  return isTimestampTypeName(o) || isMappedCall(o) || Object.values(o).some(mentions);
}

function rewrite(node: unknown, kind: TimestampKind): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, kind));
  if (node === null || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (isTimestampTypeName(o)) return { ...o, name: kind };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = rewrite(v, kind);
  if (isMappedCall(o)) out.name = `${o.name as string}${kind.slice('TIMESTAMP'.length)}`;
  // A select item `expr` without an alias is named after its text: keep the text as written.
  if (o.kind === 'expr' && o.alias === null && 'expr' in o && mentions(o.expr)) out.alias = exprText(o.expr as Expr).toUpperCase();
  return out;
}

export function withTimestampMapping(st: Statement, kind: TimestampKind): Statement {
  if (kind === 'TIMESTAMP_NTZ' || !mentions(st)) return st;
  return rewrite(st, kind) as Statement;
}
