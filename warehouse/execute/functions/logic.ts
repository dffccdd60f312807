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
 * goes through the evaluator callback (evaluate-expr.ts) over a sub-batch. When no argument
 * can raise an error (comparisons, IS NULL, IN and LIKE over columns and constants: the
 * usual WHERE clause), every argument runs over the whole batch and the results are
 * combined in one branch-free pass each, which is much cheaper than narrowing row subsets.
 */
import { allocU8 } from '../batch/array-pool.js';
import type { Batch, BoolVector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { boolConst, constOf, expectKind, isConst, subsetBatch, type Val } from './vector-kit.js';

export type Evaluator = (e: BoundExpr, batch: Batch) => Val;

const NEVER_FAILING_CALLS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'is_distinct_from', 'is_not_distinct_from']);

/** True when evaluating `e` on any row can never raise an error. */
export function cannotFail(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'column':
    case 'literal':
      return true;
    case 'call':
      return NEVER_FAILING_CALLS.has(e.fn) && e.args.every(cannotFail);
    case 'is_null':
    case 'not':
      return cannotFail(e.expr);
    case 'in_list':
      return cannotFail(e.expr) && e.list.every(cannotFail);
    case 'like':
      return cannotFail(e.expr) && e.pattern.kind === 'literal';
    case 'and':
    case 'or':
      return e.args.every(cannotFail);
    default:
      return false;
  }
}

export function evalAndOr(kind: 'and' | 'or', args: readonly BoundExpr[], batch: Batch, evaluate: Evaluator): Val {
  if (args.every(cannotFail)) return evalAndOrEager(kind === 'and', args, batch, evaluate);
  const n = batch.length;
  const isAnd = kind === 'and';
  // The value that decides the result on its own: FALSE for AND, TRUE for OR.
  const decisive = isAnd ? 0 : 1;
  const values = allocU8(n).fill(isAnd ? 1 : 0);
  const nulls = allocU8(n);
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

/** AND/OR over arguments that cannot fail: each evaluated on every row, then combined. */
function evalAndOrEager(isAnd: boolean, args: readonly BoundExpr[], batch: Batch, evaluate: Evaluator): Val {
  const n = batch.length;
  const decisive = isAnd ? 0 : 1;
  let values: Uint8Array | null = null;
  let nulls: Uint8Array | null = null;
  let constNull = false;
  for (const arg of args) {
    const v = evaluate(arg, batch);
    if (isConst(v)) {
      const b = boolConst(v);
      if (b === null) constNull = true;
      else if ((b ? 1 : 0) === decisive) return constOf(!isAnd ? true : false);
      continue;
    }
    const bv = expectKind(v, 'bool', isAnd ? 'AND' : 'OR');
    if (values === null) {
      values = bv.values.slice();
      nulls = bv.nulls ? bv.nulls.slice() : null;
      continue;
    }
    const x = bv.values;
    const xn = bv.nulls;
    if (nulls === null && xn === null) {
      combineBits(isAnd, values, x, n);
      continue;
    }
    nulls ??= allocU8(n);
    for (let i = 0; i < n; i++) {
      const an = nulls[i];
      const bn = xn ? xn[i] : 0;
      if ((an === 0 && values[i] === decisive) || (bn === 0 && x[i] === decisive)) {
        values[i] = decisive;
        nulls[i] = 0;
      } else if (an !== 0 || bn !== 0) {
        nulls[i] = 1;
      } else {
        values[i] = 1 - decisive;
      }
    }
  }
  if (values === null) return constOf(constNull ? null : isAnd);
  if (constNull) {
    // A NULL constant makes every row NULL that no argument decided.
    nulls ??= allocU8(n);
    for (let i = 0; i < n; i++) if (!(nulls[i] === 0 && values[i] === decisive)) nulls[i] = 1;
  }
  let hasNull = false;
  if (nulls) for (let i = 0; i < n && !hasNull; i++) hasNull = nulls[i] === 1;
  return { kind: 'bool', length: n, values, nulls: hasNull ? nulls : null } satisfies BoolVector;
}

/**
 * values[i] = values[i] AND x[i] (or OR) for 0/1 bytes, four rows per 32-bit word where both
 * arrays are 4-byte aligned; the simple version is
 *   for (let i = 0; i < n; i++) values[i] = isAnd ? values[i] & x[i] : values[i] | x[i];
 * Shaped for V8's on-stack replacement (OSR): each word loop is a function of its own that
 * returns right after the loop, and the byte tail runs before it. With the tail after the loop
 * (and AND and OR chosen by a flag in one function), the OSR code compiled while the first
 * long loop ran had no type feedback for what follows the loop; on Node 20 that cached OSR code
 * deoptimized there on later calls and was entered again: about 1,500 deoptimizations in
 * 30 s of TPC-H Q6 alternating on XSMALL and SMALL, each one a recompile on V8's helper
 * threads, which a SMALL warehouse's workers share two cores with.
 */
function combineBits(isAnd: boolean, values: Uint8Array, x: Uint8Array, n: number): void {
  const words = values.byteOffset % 4 === 0 && x.byteOffset % 4 === 0 ? n >>> 2 : 0;
  if (isAnd) for (let i = words << 2; i < n; i++) values[i] &= x[i];
  else for (let i = words << 2; i < n; i++) values[i] |= x[i];
  if (words === 0) return;
  const v32 = new Uint32Array(values.buffer, values.byteOffset, words);
  const x32 = new Uint32Array(x.buffer, x.byteOffset, words);
  if (isAnd) andWords(v32, x32, words);
  else orWords(v32, x32, words);
}

function andWords(v32: Uint32Array, x32: Uint32Array, words: number): void {
  for (let w = 0; w < words; w++) v32[w] &= x32[w];
}

function orWords(v32: Uint32Array, x32: Uint32Array, words: number): void {
  for (let w = 0; w < words; w++) v32[w] |= x32[w];
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
