/**
 * Builds AND/OR chains as balanced trees.
 *
 * Why: AND and OR are associative (also under SQL's three-valued logic), so a chain of n
 * operands can be nested any way without changing its value. A left-deep tree of a
 * 10,000-term OR is 10,000 levels deep and every recursive stage after the parser (binder,
 * optimizer rules, constant folding, pruning, expr-text, kernels) would recurse that deep;
 * a balanced tree is log2(n) deep (14 for 10,000), so long chains cost no stack anywhere.
 *
 * Contract: `balancedChain(op, operands)` returns the operands joined by `op`, in source
 * order, as a tree of depth ceil(log2(n)); one operand comes back as is. Iterative.
 */
import type { Expr } from './ast.js';

export function balancedChain(op: 'AND' | 'OR', operands: Expr[]): Expr {
  if (operands.length === 0) throw new Error('balancedChain needs at least one operand');
  let level = operands;
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let k = 0; k + 1 < level.length; k += 2) next.push({ kind: 'binary', op, left: level[k], right: level[k + 1] });
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}
