/**
 * Small logical plans for optimizer-rule tests: one-column NUMBER relations of a chosen
 * size (VALUES, so row estimates are exact), column references and equalities.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';

export const N = Types.number(38, 0);

/** A relation of `rows` rows and one NUMBER column named `name`. */
export const rel = (name: string, rows: number): LogicalPlan => ({
  kind: 'values',
  columns: [{ name, type: N, nullable: true }],
  rows: Array.from({ length: rows }, (_, i) => [{ kind: 'literal', value: BigInt(i), type: N }]),
});

export const col = (index: number): BoundExpr => ({ kind: 'column', index, type: N });

export const eq = (a: number, b: number): BoundExpr => ({ kind: 'call', fn: 'eq', args: [col(a), col(b)], type: Types.boolean });
