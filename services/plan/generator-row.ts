/**
 * The row ordinal of TABLE(GENERATOR(...)) (bind-generator.ts) as expressions see it: what
 * SEQ1/SEQ2/SEQ4/SEQ8() and RANDOM(seed) are computed from, so that their values depend on the
 * row's place in the generator only, not on which worker made it.
 *
 * Contract: `rowOrdinal(scope)` is the generator's hidden ordinal column when the scope has one
 * (the first, local), a literal 0 when the scope has no columns at all (SELECT SEQ4() without
 * FROM: its one row), else null (the caller refuses the function there).
 */
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { Scope } from './scope.js';

/** The qualifier and name of the ordinal column: '$' names no identifier of a query reaches. */
export const GENERATOR_QUALIFIER = '$GENERATOR';
export const GENERATOR_ROW_COLUMN = '$ROW';
export const ORDINAL_TYPE = Types.number(18, 0);

export function rowOrdinal(scope: Scope): BoundExpr | null {
  const i = scope.columns.findIndex((c) => c.qualifier === GENERATOR_QUALIFIER && c.name === GENERATOR_ROW_COLUMN && !c.outer);
  if (i >= 0) return { kind: 'column', index: i, type: ORDINAL_TYPE };
  if (scope.columns.length === 0) return { kind: 'literal', value: 0n, type: ORDINAL_TYPE };
  return null;
}
