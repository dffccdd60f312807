/**
 * Column compaction for a join's residual predicate: the predicate is written over the
 * combined row (every left column, then every right column), but a candidate block only
 * needs the columns it reads. This finds those columns and rewrites the expression to read
 * them from a compact batch, so a block gathers two or three columns instead of all of them.
 *
 * Contract: `used` lists the referenced column indices, ascending; `expr` is the same
 * expression with `column.index` renumbered to the position in `used`. The walk is generic
 * over plain data, so every BoundExpr node kind (and any extra field such as LIKE's escape)
 * is carried over unchanged.
 */
import type { BoundExpr } from '../../fragment/bound-expr.js';

export type CompactedExpr = { expr: BoundExpr; used: number[] };

export function compactColumns(expr: BoundExpr): CompactedExpr {
  const seen = new Set<number>();
  visit(expr, (index) => {
    seen.add(index);
    return index;
  });
  const used = [...seen].sort((a, b) => a - b);
  const position = new Map(used.map((c, i) => [c, i]));
  return { expr: visit(expr, (index) => position.get(index)!) as BoundExpr, used };
}

/** A copy of `node` with every column node's index mapped through `map`. */
function visit(node: unknown, map: (index: number) => number): unknown {
  if (Array.isArray(node)) return node.map((n) => visit(n, map));
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  if (obj.kind === 'column' && typeof obj.index === 'number') return { ...obj, index: map(obj.index) };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) out[key] = key === 'type' ? obj[key] : visit(obj[key], map);
  return out;
}
