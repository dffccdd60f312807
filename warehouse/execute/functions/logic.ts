/**
 * Three-valued logic: AND, OR, NOT.
 *
 *   AND | T  F  N        OR | T  F  N        NOT T = F, NOT F = T, NOT N = N
 *   T   | T  F  N        T  | T  T  T
 *   F   | F  F  F        F  | T  F  N
 *   N   | N  F  N        N  | T  N  N
 *
 * Contract: AND/OR evaluate their arguments left to right and each later argument only on
 * the rows the earlier ones left undecided (not yet FALSE for AND, not yet TRUE for OR), so
 * `x <> 0 AND 1 / x > 1` never divides by zero. Evaluation of an argument on a row subset
 * goes through the evaluator callback (evaluate-expr.ts) over a sub-batch.
 */
import type { Batch, BoolVector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { boolConst, constOf, expectKind, isConst, subsetBatch, type Val } from './vector-kit.js';

export type Evaluator = (e: BoundExpr, batch: Batch) => Val;

export function evalAndOr(kind: 'and' | 'or', args: readonly BoundExpr[], batch: Batch, evaluate: Evaluator): Val {
  const n = batch.length;
  const isAnd = kind === 'and';
  // The value that decides the result on its own: FALSE for AND, TRUE for OR.
  const decisive = isAnd ? 0 : 1;
  const values = new Uint8Array(n).fill(isAnd ? 1 : 0);
  const nulls = new Uint8Array(n);
  let open: Int32Array | null = null;
  let anyNull = false;
  for (const arg of args) {
    const m: number = open ? open.length : n;
    if (m === 0) break;
    const v = evaluate(arg, open ? subsetBatch(batch, open, [arg]) : batch);
    let decided = 0;
    if (isConst(v)) {
      const b = boolConst(v);
      if (b === null) {
        anyNull = true;
        for (let j = 0; j < m; j++) nulls[open ? open[j] : j] = 1;
      } else if ((b ? 1 : 0) === decisive) {
        for (let j = 0; j < m; j++) {
          const i = open ? open[j] : j;
          values[i] = decisive;
          nulls[i] = 0;
        }
        decided = m;
      }
    } else {
      const b = expectKind(v, 'bool', kind.toUpperCase());
      const bv = b.values;
      const bn = b.nulls;
      for (let j = 0; j < m; j++) {
        const i = open ? open[j] : j;
        if (bn && bn[j]) {
          nulls[i] = 1;
          anyNull = true;
        } else if ((bv[j] !== 0 ? 1 : 0) === decisive) {
          values[i] = decisive;
          nulls[i] = 0;
          decided++;
        }
      }
    }
    if (decided > 0) {
      // The rows still open: those of the previous open set not decided by this argument.
      const next: Int32Array = new Int32Array(m - decided);
      let k = 0;
      if (open) {
        for (let j = 0; j < m; j++) if (values[open[j]] !== decisive) next[k++] = open[j];
      } else {
        for (let i = 0; i < m; i++) if (values[i] !== decisive) next[k++] = i;
      }
      open = next;
    }
  }
  let hasNull = false;
  if (anyNull) for (let i = 0; i < n && !hasNull; i++) hasNull = nulls[i] === 1;
  return { kind: 'bool', length: n, values, nulls: hasNull ? nulls : null };
}

export function notValue(v: Val): Val {
  if (isConst(v)) {
    const b = boolConst(v);
    return constOf(b === null ? null : !b);
  }
  const b = expectKind(v, 'bool', 'NOT');
  const out = new Uint8Array(b.length);
  const src = b.values;
  for (let i = 0; i < b.length; i++) out[i] = src[i] === 0 ? 1 : 0;
  return { kind: 'bool', length: b.length, values: out, nulls: b.nulls } satisfies BoolVector;
}
