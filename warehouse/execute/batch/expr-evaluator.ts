/**
 * The expression-evaluation step of the operators in aggregate/ and sort/, isolated behind a
 * function type: they evaluate group keys, aggregate arguments and sort keys through an
 * ExprEvaluator (warehouse/execute/evaluate-expr.ts in production), so their kernels never
 * depend on how expressions are computed.
 *
 * Contract: `evaluate(expr, batch)` returns a vector of batch.length rows in the physical
 * layout of expr.type.
 */
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';

export type ExprEvaluator = (expr: BoundExpr, batch: Batch) => Vector;

/** Evaluates each expression once per batch, sharing results between equal expressions. */
export class SharedEvaluation {
  private readonly slot: number[];
  private readonly unique: BoundExpr[] = [];

  constructor(readonly exprs: readonly (BoundExpr | null)[]) {
    const seen = new Map<string, number>();
    this.slot = exprs.map((e) => {
      if (e === null) return -1;
      const key = JSON.stringify(e, (k, v) => (k === 'name' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
      let s = seen.get(key);
      if (s === undefined) {
        s = this.unique.length;
        this.unique.push(e);
        seen.set(key, s);
      }
      return s;
    });
  }

  /** One vector per expression (null where the expression is null, e.g. COUNT(*)). */
  evaluate(batch: Batch, evaluate: ExprEvaluator): (Vector | null)[] {
    const values = this.unique.map((e) => evaluate(e, batch));
    return this.slot.map((s) => (s < 0 ? null : values[s]));
  }
}
