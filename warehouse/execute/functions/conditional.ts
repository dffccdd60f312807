/**
 * Conditional expressions: CASE, IFF, COALESCE / NVL / IFNULL, NULLIF, GREATEST, LEAST.
 *
 * Contract: CASE, IFF and COALESCE are lazy: each branch value is computed only over the
 * rows that take that branch (a sub-batch gathered from the input), so
 * `CASE WHEN x = 0 THEN NULL ELSE 1 / x END` never divides by zero, and COALESCE evaluates
 * an argument only where all earlier ones were NULL. The pieces are assembled with
 * VectorBuilder. GREATEST/LEAST are NULL when any argument is NULL (Snowflake semantics).
 */
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { gatherVector } from '../batch/gather-vector.js';
import { CmpOp, compareValues } from './comparison.js';
import type { Evaluator } from './logic.js';
import { checkArity, coerce, commonTypeOf, type FunctionDef, type Signature } from './type-rules.js';
import {
  VectorBuilder,
  boolConst,
  composeRows,
  expectKind,
  isConst,
  materialize,
  nullsOf,
  orNulls,
  selectRows,
  subsetBatch,
  type Val,
} from './vector-kit.js';

type When = { when: BoundExpr; then: BoundExpr };

/**
 * The searched CASE: the first WHEN that is TRUE picks its THEN; rows no WHEN picks take
 * ELSE (or NULL). `rest` tracks the rows still undecided, as rows of `batch`.
 */
function evalConditional(whens: readonly When[], otherwise: BoundExpr | null, type: DataType, batch: Batch, evaluate: Evaluator): Val {
  const n = batch.length;
  const builder = new VectorBuilder(type, n);
  let rest: Int32Array | null = null;
  for (const w of whens) {
    const m = rest ? rest.length : n;
    if (m === 0) break;
    const sub = rest ? subsetBatch(batch, rest, [w.when, w.then]) : batch;
    const cond = evaluate(w.when, sub);
    let picked: Int32Array;
    let others: Int32Array;
    if (isConst(cond)) {
      const all = selectRows(m, () => true);
      const taken = boolConst(cond) === true;
      picked = taken ? all : all.subarray(0, 0);
      others = taken ? all.subarray(0, 0) : all;
    } else {
      const c = expectKind(cond, 'bool', 'CASE condition');
      const cv = c.values;
      const cn = c.nulls;
      picked = selectRows(m, (j) => cv[j] !== 0 && !(cn && cn[j]));
      others = selectRows(m, (j) => cv[j] === 0 || (cn !== null && cn[j] === 1));
    }
    if (picked.length > 0) {
      const thenBatch = picked.length === m ? sub : subsetBatch(sub, picked, [w.then]);
      const value = evaluate(w.then, thenBatch);
      builder.put(value, picked.length === n ? null : composeRows(rest, picked));
    }
    if (others.length < m) rest = composeRows(rest, others);
  }
  const m = rest ? rest.length : n;
  if (otherwise && m > 0) {
    const value = evaluate(otherwise, rest ? subsetBatch(batch, rest, [otherwise]) : batch);
    builder.put(value, rest);
  }
  return builder.finish();
}

export function evalCase(node: Extract<BoundExpr, { kind: 'case' }>, batch: Batch, evaluate: Evaluator): Val {
  return evalConditional(node.whens, node.else, node.type, batch, evaluate);
}

/** IFF(cond, a, b) is CASE WHEN cond THEN a ELSE b END. */
export function evalIff(args: readonly BoundExpr[], type: DataType, batch: Batch, evaluate: Evaluator): Val {
  return evalConditional([{ when: args[0], then: args[1] }], args[2], type, batch, evaluate);
}

/** COALESCE(a, b, ...): each argument only on the rows where every earlier one was NULL. */
export function evalCoalesce(args: readonly BoundExpr[], type: DataType, batch: Batch, evaluate: Evaluator): Val {
  const n = batch.length;
  const builder = new VectorBuilder(type, n);
  let rest: Int32Array | null = null;
  for (const arg of args) {
    const m = rest ? rest.length : n;
    if (m === 0) break;
    const v = evaluate(arg, rest ? subsetBatch(batch, rest, [arg]) : batch);
    if (isConst(v)) {
      if (v.value === null) continue;
      builder.put(v, rest);
      break;
    }
    // NULL rows are written as NULL and overwritten by a later argument if it has a value.
    builder.put(v, rest);
    const vn = v.nulls;
    if (!vn) break;
    const stillNull = selectRows(m, (j) => vn[j] === 1);
    rest = composeRows(rest, stillNull);
  }
  return builder.finish();
}

/** Row i takes b where pick[i] is 1, else a. */
function choose(a: Vector, b: Vector, pick: Uint8Array, type: DataType, n: number): Vector {
  const takeB = selectRows(n, (i) => pick[i] === 1);
  if (takeB.length === 0) return a;
  if (takeB.length === n) return b;
  const takeA = selectRows(n, (i) => pick[i] === 0);
  const builder = new VectorBuilder(type, n);
  builder.put(gatherVector(a, takeA), takeA);
  builder.put(gatherVector(b, takeB), takeB);
  return builder.finish();
}

function nullifKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  const [a, b] = args;
  if (isConst(b) && b.value === null) return a;
  const eq = compareValues(CmpOp.EQ, a, b, argTypes[0], argTypes[1], n);
  const v = materialize(a, type, n);
  const mask = new Uint8Array(n);
  const en = eq.nulls;
  for (let i = 0; i < n; i++) mask[i] = eq.values[i] && !(en && en[i]) ? 1 : 0;
  const nulls = orNulls(nullsOf(v, n), mask, n);
  return { ...v, nulls } as Vector;
}

function extremeKernel(op: CmpOp) {
  return (args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val => {
    let best = materialize(args[0], type, n);
    for (let j = 1; j < args.length; j++) {
      const next = materialize(args[j], type, n);
      const better = compareValues(op, next, best, argTypes[j], type, n);
      best = choose(best, next, better.values, type, n);
    }
    return { ...best, nulls: args.reduce((acc, v) => orNulls(acc, nullsOf(v, n), n), null as Uint8Array | null) } as Vector;
  };
}

function resolveCommon(fn: string, min: number, max: number) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, min, max);
    const t = commonTypeOf(fn, types);
    return { argTypes: types.map(() => t), returnType: t };
  };
}

function resolveIff(types: readonly DataType[]): Signature {
  checkArity('iff', types, 3, 3);
  const cond = coerce('iff', types, types[0], Types.boolean);
  const t = commonTypeOf('iff', types.slice(1));
  return { argTypes: [cond, t, t], returnType: t };
}

export const conditionalFunctions: FunctionDef[] = [
  { name: 'coalesce', aliases: ['ifnull'], resolve: resolveCommon('coalesce', 1, Infinity), lazy: 'coalesce', strict: false },
  { name: 'nvl', resolve: resolveCommon('nvl', 2, 2), lazy: 'coalesce', strict: false },
  { name: 'iff', resolve: resolveIff, lazy: 'iff', strict: false },
  { name: 'nullif', resolve: resolveCommon('nullif', 2, 2), kernel: nullifKernel, strict: false },
  { name: 'greatest', resolve: resolveCommon('greatest', 1, Infinity), kernel: extremeKernel(CmpOp.GT), strict: true },
  { name: 'least', resolve: resolveCommon('least', 1, Infinity), kernel: extremeKernel(CmpOp.LT), strict: true },
];
