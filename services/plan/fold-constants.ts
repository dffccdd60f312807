/**
 * Constant folding of one bound expression: every sub-expression without column references
 * (or parameters) becomes its value, computed once with the same kernels that run in the
 * warehouse (so folding can never change a result). An expression whose evaluation fails
 * (1/0) is left in place: the error is raised only if a row ever reaches it, as in Snowflake.
 * Used by the constant_folding optimizer rule over whole plans and by the binder (the value a
 * correlated aggregate subquery has over no rows), so it lives here, below both.
 *
 * Contract: folding runs on the services event loop, so it only evaluates what is bounded in
 * cost and size: a function that can build a string far longer than its arguments (LPAD and
 * RPAD to a length, REPLACE with a longer replacement) is folded only when its result is at
 * most MAX_FOLDED_CHARS characters by its arguments alone, and any string result longer than
 * both MAX_FOLDED_CHARS and its inputs together stays unfolded too. What is not folded stays
 * in the plan, and so does every expression around it: the workers evaluate it per batch.
 * A volatile call (UUID_STRING(), a new value per row) and a sequence's next value are never constants.
 */
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import { getFunction } from '../../warehouse/execute/functions/function-registry.js';
import { childrenOf, mapChildren } from '../../warehouse/fragment/bound-expr-walk.js';

const ONE_ROW = { length: 1, columns: [] };

/** Longest string a fold may build beyond the length of its literal inputs. */
export const MAX_FOLDED_CHARS = 4096;

export function foldConstants(e: BoundExpr): BoundExpr {
  if (e.kind === 'literal' || e.kind === 'column' || e.kind === 'param' || e.kind === 'nextval') return e;
  const folded = mapChildren(e, foldConstants);
  // An unbounded call left in place keeps everything around it unfolded: evaluating that would evaluate it.
  if (!isConstant(folded) || hasUnbounded(folded)) return folded;
  try {
    const value = scalarAt(evaluateExpr(folded, ONE_ROW), 0, folded.type);
    if (typeof value === 'string' && value.length > Math.max(MAX_FOLDED_CHARS, inputChars(childrenOf(folded)))) return folded;
    return { kind: 'literal', value, type: folded.type };
  } catch {
    return folded;
  }
}

function isConstant(e: BoundExpr): boolean {
  if (e.kind === 'column' || e.kind === 'param' || e.kind === 'nextval') return false;
  if (e.kind === 'literal') return true;
  if (e.kind === 'call' && getFunction(e.fn).volatile) return false;
  return childrenOf(e).every(isConstant);
}

function chars(a: BoundExpr | undefined): number {
  return a && a.kind === 'literal' && typeof a.value === 'string' ? a.value.length : 0;
}

function inputChars(args: BoundExpr[]): number {
  return args.reduce((n, a) => n + chars(a), 0);
}

/** Whether `e` has a call whose result is not bounded by MAX_FOLDED_CHARS (or its inputs) before it is computed. */
function hasUnbounded(e: BoundExpr): boolean {
  return (e.kind === 'call' && !boundedBeforehand(e.fn, e.args)) || childrenOf(e).some(hasUnbounded);
}

function boundedBeforehand(fn: string, args: BoundExpr[]): boolean {
  switch (fn) {
    case 'lpad':
    case 'rpad': {
      const length = args[1];
      return length?.kind === 'literal' && (length.value === null || Number(length.value) <= MAX_FOLDED_CHARS);
    }
    case 'replace':
      // Every character of the subject may be one occurrence of the target, each replaced.
      return chars(args[0]) * Math.max(1, chars(args[2])) <= Math.max(MAX_FOLDED_CHARS, inputChars(args));
    case 'regexp_replace':
      // An empty match before every character and at the end, each replaced by a replacement
      // whose every backreference may repeat the whole subject.
      return (chars(args[0]) + 1) * Math.max(1, chars(args[2])) * Math.max(1, chars(args[0])) <= Math.max(MAX_FOLDED_CHARS, inputChars(args));
    case 'repeat': {
      const count = args[1];
      return count?.kind === 'literal' && (count.value === null || chars(args[0]) * Math.max(0, Number(count.value)) <= MAX_FOLDED_CHARS);
    }
    default:
      return true;
  }
}
