/**
 * Vectorized evaluation of bound expressions (warehouse/fragment/bound-expr.ts) over a batch.
 *
 * Contract: evaluateExpr returns a normal Vector of batch.length rows with the physical
 * layout of expr.type. Internally values may stay constants (a literal, or a sub-expression
 * of constants folded once on a one-row vector, except a volatile call such as UUID_STRING())
 * until a kernel needs rows, so `x + 1` loops
 * against a scalar instead of a broadcast column. Each call picks its kernel once per
 * vector. CASE, IFF, COALESCE, AND and OR evaluate their later arguments only on the rows
 * that need them (conditional.ts, logic.ts), so guarded errors such as a division by zero in
 * an untaken branch are never raised. Intermediate vectors come from the array pool
 * (batch/array-pool.ts) and go back to it when the call returns. A `like` node may carry
 * an optional `escape` expression (the ESCAPE clause); LIKE ... ESCAPE can equally be bound
 * as a call to `like`/`ilike`.
 */
import { allocU8, pooled } from './batch/array-pool.js';
import { InternalError } from '../../storage/errors/firn-error.js';
import type { DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import type { BoundExpr } from '../fragment/bound-expr.js';
import type { ExprSettings } from '../fragment/expr-settings.js';
import { castVector } from './cast/cast-vector.js';
import { inList } from './functions/comparison.js';
import { evalCase, evalCoalesce, evalIff } from './functions/conditional.js';
import { getFunction } from './functions/function-registry.js';
import { likeValues } from './functions/like.js';
import { evalAndOr, notValue } from './functions/logic.js';
import {
  NULL_CONST,
  allNullVector,
  constOf,
  isConst,
  materialize,
  scalarOf,
  type Const,
  type Kernel,
  type Val,
} from './functions/vector-kit.js';

type LikeExpr = Extract<BoundExpr, { kind: 'like' }> & { escape?: BoundExpr | null };

export function evaluateExpr(expr: BoundExpr, batch: Batch): Vector {
  if (batch.length === 0) return allNullVector(expr.type, 0);
  // Intermediates go back to the array pool; the result's arrays are the caller's.
  return pooled(
    () => materialize(evaluate(expr, batch), expr.type, batch.length),
    (v) => v,
  );
}

function evaluate(expr: BoundExpr, batch: Batch): Val {
  switch (expr.kind) {
    case 'column': {
      const v = batch.columns[expr.index];
      if (!v) throw new InternalError(`column ${expr.index} is not in the batch`);
      return expr.type.kind === 'NULL' ? NULL_CONST : v;
    }
    case 'literal':
      return literal(expr.value, expr.type);
    case 'cast':
      return evalCast(expr, batch);
    case 'call':
      return evalCall(expr, batch);
    case 'case':
      return evalCase(expr, batch, evaluate);
    case 'and':
    case 'or':
      return evalAndOr(expr.kind, expr.args, batch, evaluate);
    case 'not':
      return notValue(evaluate(expr.expr, batch));
    case 'is_null':
      return evalIsNull(expr, batch);
    case 'in_list':
      return evalInList(expr, batch);
    case 'like':
      return evalLike(expr, batch);
    case 'param':
      throw new InternalError(`subquery value $${expr.id} was not substituted before evaluation`);
    case 'nextval':
      throw new InternalError(`the next value of sequence #${expr.sequence} was not reserved before evaluation`);
  }
}

/** A literal as a constant in the scalar form of its type (NUMBER: the scaled bigint). */
function literal(value: Scalar, type: DataType): Const {
  if (value === null || type.kind === 'NULL') return NULL_CONST;
  if (type.kind === 'NUMBER' && typeof value !== 'bigint') {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new InternalError(`NUMBER literal ${String(value)} is not a scaled integer`);
    return constOf(BigInt(value));
  }
  return constOf(value);
}

/** Runs a kernel once on one-row vectors when every argument is a constant. */
function fold(kernel: Kernel, args: Val[], argTypes: readonly DataType[], type: DataType, zone?: string, settings?: ExprSettings): Const {
  const rows = args.map((a, j) => materialize(a, argTypes[j], 1));
  const v = kernel(rows, argTypes, type, 1, zone, settings);
  return isConst(v) ? v : constOf(scalarOf(v, type, 0));
}

function apply(
  kernel: Kernel,
  strict: boolean,
  args: Val[],
  argTypes: readonly DataType[],
  type: DataType,
  n: number,
  volatile = false,
  zone?: string,
  settings?: ExprSettings,
): Val {
  if (strict && args.some((a, j) => (isConst(a) && a.value === null) || argTypes[j].kind === 'NULL')) return NULL_CONST;
  if (args.every(isConst) && !volatile) return fold(kernel, args, argTypes, type, zone, settings);
  return kernel(args, argTypes, type, n, zone, settings);
}

function evalCall(expr: Extract<BoundExpr, { kind: 'call' }>, batch: Batch): Val {
  const def = getFunction(expr.fn);
  if (def.lazy) return def.lazy === 'coalesce' ? evalCoalesce(expr.args, expr.type, batch, evaluate) : evalIff(expr.args, expr.type, batch, evaluate);
  const args = expr.args.map((a) => evaluate(a, batch));
  return apply(def.kernel, def.strict, args, expr.args.map((a) => a.type), expr.type, batch.length, def.volatile, expr.zone, expr.settings);
}

/** Same type, including NUMBER precision/scale and VARCHAR length (typesEqual ignores the length). */
function sameType(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'NUMBER' && b.kind === 'NUMBER') return a.precision === b.precision && a.scale === b.scale;
  if (a.kind === 'VARCHAR' && b.kind === 'VARCHAR') return a.length === b.length;
  if (a.kind === 'BINARY' && b.kind === 'BINARY') return a.length === b.length;
  return true;
}

function evalCast(expr: Extract<BoundExpr, { kind: 'cast' }>, batch: Batch): Val {
  const from = expr.expr.type;
  const v = evaluate(expr.expr, batch);
  if (sameType(from, expr.type)) return v;
  const kernel: Kernel = (args) => castVector(args[0] as Vector, from, expr.type, expr.try, expr.zone, expr.settings);
  return apply(kernel, true, [v], [from], expr.type, batch.length);
}

function evalIsNull(expr: Extract<BoundExpr, { kind: 'is_null' }>, batch: Batch): Val {
  const v = evaluate(expr.expr, batch);
  if (isConst(v)) return constOf((v.value === null) !== expr.negated);
  const n = batch.length;
  const out = allocU8(n);
  const nulls = v.nulls;
  if (nulls) for (let i = 0; i < n; i++) out[i] = nulls[i] ^ (expr.negated ? 1 : 0);
  else if (expr.negated) out.fill(1);
  return { kind: 'bool', length: n, values: out, nulls: null };
}

/**
 * A list of literals' values and types, kept for the life of its IN expression: they are the
 * same in every batch, and comparison.ts prepares a list's keys once per list (a runtime
 * filter's IN list holds thousands of keys, matched batch after batch).
 */
const LITERAL_LISTS = new WeakMap<BoundExpr, { list: Val[]; listTypes: DataType[] }>();

function evalInList(expr: Extract<BoundExpr, { kind: 'in_list' }>, batch: Batch): Val {
  const x = evaluate(expr.expr, batch);
  const literal = LITERAL_LISTS.get(expr);
  const list = literal?.list ?? expr.list.map((item) => evaluate(item, batch));
  const listTypes = literal?.listTypes ?? expr.list.map((item) => item.type);
  if (literal === undefined && expr.list.every((item) => item.kind === 'literal')) LITERAL_LISTS.set(expr, { list, listTypes });
  const kernel: Kernel = (args, _types, _type, n) => inList(args[0], expr.expr.type, list, listTypes, expr.negated, n);
  return apply(kernel, false, [x, ...list], [expr.expr.type, ...listTypes], expr.type, batch.length);
}

function evalLike(node: LikeExpr, batch: Batch): Val {
  const args = [evaluate(node.expr, batch), evaluate(node.pattern, batch)];
  const types = [node.expr.type, node.pattern.type];
  if (node.escape) {
    args.push(evaluate(node.escape, batch));
    types.push(node.escape.type);
  }
  const kernel: Kernel = (a, _types, _type, n) => likeValues(a[0], a[1], a.length > 2 ? a[2] : null, node.caseInsensitive, n);
  const matched = apply(kernel, true, args, types, node.type, batch.length);
  return node.negated ? notValue(matched) : matched;
}
