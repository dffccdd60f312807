/**
 * Sorting and comparing VARIANT, OBJECT and ARRAY values: a semi-structured sort key or
 * operand is replaced by its order key (`$variant_order_key`, warehouse/execute/functions/
 * variant-order-key.ts), a VARCHAR whose order is Snowflake's order of the values, so sorts,
 * window layouts and comparison kernels need no VARIANT case. Any other expression is returned
 * as it is.
 */
import { isSemiStructured, Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { VARIANT_ORDER_KEY } from '../../warehouse/execute/functions/variant-order-key.js';

export function orderable(e: BoundExpr): BoundExpr {
  return isSemiStructured(e.type) ? { kind: 'call', fn: VARIANT_ORDER_KEY, args: [e], type: Types.varchar } : e;
}

/** The ordering comparisons, which between two semi-structured values compare their order keys. */
export const ORDERING_COMPARISONS: ReadonlySet<string> = new Set(['lt', 'le', 'gt', 'ge']);
