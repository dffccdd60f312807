/**
 * Conditional expressions: CASE, IFF, COALESCE / NVL / IFNULL, NULLIF, GREATEST, LEAST, NVL2,
 * ZEROIFNULL, DECODE.
 *
 * Contract: CASE, IFF and COALESCE are lazy: each branch value is computed only over the
 * rows that take that branch (a sub-batch gathered from the input), so
 * `CASE WHEN x = 0 THEN NULL ELSE 1 / x END` never divides by zero, and COALESCE evaluates
 * an argument only where all earlier ones were NULL. The pieces are assembled with
 * VectorBuilder. GREATEST/LEAST are NULL when any argument is NULL (Snowflake semantics).
 * NVL2 and DECODE are ordinary (eager) kernels: every argument is evaluated on every row.
 * DECODE(expr, search1, result1, ..., [default]) compares NULL-safely, as Snowflake does: a
 * NULL expr matches a NULL search. ZEROIFNULL(x) is x with NULLs replaced by 0.
 */
import { allocF64, allocU8 } from '../batch/array-pool.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { gatherVector } from '../batch/gather-vector.js';
import { CmpOp, compareValues } from './comparison.js';
import type { Evaluator } from './logic.js';
import { INTEGER, checkArity, coerce, commonTypeOf, type FunctionDef, type Signature } from './type-rules.js';
import {
  VectorBuilder,
  boolConst,
  composeRows,
  constOf,
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
  const mask = allocU8(n);
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

/** NVL2(a, b, c): b where a is not NULL, else c. */
function nvl2Kernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  const [a, b, c] = args;
  if (isConst(a)) return a.value === null ? c : b;
  const aNulls = a.nulls;
  if (aNulls === null) return b;
  return choose(materialize(b, type, n), materialize(c, type, n), aNulls, type, n);
}

function zeroIfNullKernel(args: Val[], _argTypes: readonly DataType[], type: DataType, n: number): Val {
  const v = args[0];
  if (isConst(v)) return v.value === null ? constOf(type.kind === 'FLOAT' ? 0 : 0n) : v;
  const nulls = v.nulls;
  if (nulls === null) return v;
  if (v.kind === 'dec') return { kind: 'dec', length: n, values: v.values.map((x, i) => (nulls[i] ? 0n : x)), nulls: null };
  const x = expectKind(v, 'f64', 'ZEROIFNULL').values;
  const out = allocF64(n);
  for (let i = 0; i < n; i++) if (nulls[i] === 0) out[i] = x[i];
  return { kind: 'f64', length: n, values: out, nulls: null };
}

/** DECODE: pairs (search, result) after the expression, then an optional default. */
function decodeKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  const expr = args[0];
  const exprNulls = nullsOf(expr, n);
  const builder = new VectorBuilder(type, n);
  const decided = allocU8(n);
  const pairs = (args.length - 1) >> 1;
  for (let j = 0; j < pairs; j++) {
    const search = args[1 + 2 * j];
    const searchNulls = nullsOf(search, n);
    const eq = isConst(search) && search.value === null ? null : compareValues(CmpOp.EQ, expr, search, argTypes[0], argTypes[1 + 2 * j], n);
    const rows = selectRows(n, (i) => {
      if (decided[i]) return false;
      const bothNull = (exprNulls !== null && exprNulls[i] === 1) && searchNulls !== null && searchNulls[i] === 1;
      return bothNull || (eq !== null && eq.values[i] === 1 && !(eq.nulls && eq.nulls[i]));
    });
    if (rows.length === 0) continue;
    for (let k = 0; k < rows.length; k++) decided[rows[k]] = 1;
    const result = args[2 + 2 * j];
    builder.put(isConst(result) ? result : gatherVector(result, rows), rows);
  }
  if (args.length % 2 === 0) {
    const rest = selectRows(n, (i) => decided[i] === 0);
    const otherwise = args[args.length - 1];
    if (rest.length > 0) builder.put(isConst(otherwise) ? otherwise : gatherVector(otherwise, rest), rest);
  }
  return builder.finish();
}

function resolveNvl2(types: readonly DataType[]): Signature {
  checkArity('nvl2', types, 3, 3);
  const t = commonTypeOf('nvl2', types.slice(1));
  return { argTypes: [types[0], t, t], returnType: t };
}

function resolveZeroIfNull(types: readonly DataType[]): Signature {
  checkArity('zeroifnull', types, 1, 1);
  const t = types[0];
  const x = t.kind === 'NUMBER' || t.kind === 'FLOAT' ? t : t.kind === 'NULL' ? INTEGER : coerce('zeroifnull', types, t, Types.float);
  return { argTypes: [x], returnType: x };
}

function resolveDecode(types: readonly DataType[]): Signature {
  checkArity('decode', types, 3, Infinity);
  const searches = [types[0]];
  const results: DataType[] = [];
  for (let j = 1; j < types.length; j++) (j % 2 === 1 && j + 1 < types.length ? searches : results).push(types[j]);
  const e = commonTypeOf('decode', searches);
  const r = commonTypeOf('decode', results);
  return { argTypes: types.map((_, j) => (j === 0 || (j % 2 === 1 && j + 1 < types.length) ? e : r)), returnType: r };
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
  { name: 'nvl2', resolve: resolveNvl2, kernel: nvl2Kernel, strict: false },
  { name: 'zeroifnull', resolve: resolveZeroIfNull, kernel: zeroIfNullKernel, strict: false },
  { name: 'decode', resolve: resolveDecode, kernel: decodeKernel, strict: false },
];
