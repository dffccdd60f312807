/**
 * Fixtures for the join tests: random tables with NULLs, duplicate keys and a different
 * string dictionary in every batch, the naive nested-loop reference every join type is
 * checked against, `hashJoin` (a whole HashJoinExec run in one call), and readers that turn
 * output batches into comparable rows. Test support only.
 *
 * Rows are arrays of Scalars (storage/types/scalar.ts: NUMBER as the scaled bigint, DATE
 * days, VARCHAR string, FLOAT number); NULL is null.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import { scalarAt } from '../../../storage/types/scalar-at.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { MAX_EXACT, type Batch, type Vector } from '../../../storage/types/vector.js';
import type { HashJoinSpec, JoinType } from './join-spec.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { MemoryMeter } from '../batch/memory-meter.js';
import { HashJoinExec } from './hash-join-exec.js';

export type Row = Scalar[];
export type Tri = boolean | null;

const MAX_BIG = BigInt(MAX_EXACT);

/** A vector of `type` from scalars (NUMBER past 2^53 always 'dec'); VARCHAR gets a shuffled dictionary with duplicate and unused entries. */
export function vectorOf(type: DataType, values: readonly Scalar[], rand: () => number, wide = false): Vector {
  const n = values.length;
  let nulls: Uint8Array | null = null;
  values.forEach((v, i) => {
    if (v === null) (nulls ??= new Uint8Array(n))[i] = 1;
  });
  switch (type.kind) {
    case 'NUMBER':
      if (wide || values.some((v) => v !== null && ((v as bigint) > MAX_BIG || (v as bigint) < -MAX_BIG))) return { kind: 'dec', length: n, values: values.map((v) => (v === null ? 0n : (v as bigint))), nulls };
      return { kind: 'f64', length: n, values: Float64Array.from(values, (v) => (v === null ? 0 : Number(v))), nulls };
    case 'FLOAT':
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return { kind: 'f64', length: n, values: Float64Array.from(values, (v) => (v === null ? 0 : (v as number))), nulls };
    case 'DATE':
      return { kind: 'i32', length: n, values: Int32Array.from(values, (v) => (v === null ? 0 : (v as number))), nulls };
    case 'BOOLEAN':
    case 'NULL':
      return { kind: 'bool', length: n, values: Uint8Array.from(values, (v) => (v === true ? 1 : 0)), nulls };
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
    case 'VARCHAR': {
      const distinct = [...new Set(values.filter((v): v is string => v !== null))];
      const dict = ['unused-' + Math.floor(rand() * 1000)];
      for (const s of distinct) {
        dict.push(s);
        if (rand() < 0.3) dict.push(s); // a duplicate entry: equality must be on strings, not codes
      }
      for (let i = dict.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [dict[i], dict[j]] = [dict[j], dict[i]];
      }
      const codes = Int32Array.from(values, (v) => {
        if (v === null) return 0;
        const hits = dict.flatMap((s, c) => (s === v ? [c] : []));
        return hits[Math.floor(rand() * hits.length)];
      });
      return { kind: 'str', length: n, codes, dict, nulls };
    }
  }
}

/** Rows cut into batches of random sizes (some empty); NUMBER columns randomly in the 'dec' layout. */
export function batchesOf(types: readonly DataType[], rows: readonly Row[], rand: () => number, maxBatch = 9): Batch[] {
  const out: Batch[] = [];
  let at = 0;
  while (at < rows.length || out.length === 0) {
    const size = Math.min(rows.length - at, Math.floor(rand() * (maxBatch + 1)));
    const part = rows.slice(at, at + size);
    at += size;
    out.push({ length: size, columns: types.map((t, c) => vectorOf(t, part.map((r) => r[c]), rand, rand() < 0.25)) });
    if (rows.length === 0) break;
  }
  return out;
}

/** Every row of every batch, read with the output types. */
export function rowsOfBatches(types: readonly DataType[], batches: readonly Batch[]): Row[] {
  const rows: Row[] = [];
  for (const b of batches) {
    if (b.columns.length !== types.length) throw new Error(`batch has ${b.columns.length} columns, expected ${types.length}`);
    for (let i = 0; i < b.length; i++) rows.push(b.columns.map((v, c) => scalarAt(v, i, types[c])));
  }
  return rows;
}

const keyOf = (row: Row) => JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

/** Rows as sorted strings, for comparing multisets of rows. */
export function canonical(rows: readonly Row[]): string[] {
  return rows.map(keyOf).sort();
}

/** SQL equality of two key values: NULL never equal; NaN equals NaN (as Snowflake compares). */
export function sqlEq(a: Scalar, b: Scalar): Tri {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number' && a !== a && b !== b) return true;
  return a === b;
}

export type ReferenceJoin = {
  type: JoinType;
  /** Equality keys as [left column, right column]. */
  keys: [number, number][];
  inKey?: [number, number] | null;
  residual?: ((l: Row, r: Row) => Tri) | null;
  leftWidth: number;
  rightWidth: number;
};

/** The join computed row by row from SQL's definitions. */
export function referenceJoin(spec: ReferenceJoin, left: readonly Row[], right: readonly Row[]): Row[] {
  const cond = (l: Row, r: Row) => spec.keys.every(([a, b]) => sqlEq(l[a], r[b]) === true) && (spec.residual ? spec.residual(l, r) === true : true);
  const nullsOf = (w: number) => new Array<Scalar>(w).fill(null);
  const out: Row[] = [];
  const mark = (l: Row): Tri => {
    const subquery = right.filter((r) => cond(l, r));
    if (!spec.inKey) return subquery.length > 0;
    const [a, b] = spec.inKey;
    let result: Tri = false;
    for (const r of subquery) {
      const eq = sqlEq(l[a], r[b]);
      if (eq === true) return true;
      if (eq === null) result = null;
    }
    return result;
  };
  switch (spec.type) {
    case 'SEMI':
      return left.filter((l) => right.some((r) => cond(l, r)));
    case 'ANTI':
      return left.filter((l) => !right.some((r) => cond(l, r)));
    case 'NULL_AWARE_ANTI':
      return left.filter((l) => mark(l) === false);
    case 'MARK':
      return left.map((l) => [...l, mark(l)]);
    default:
      break;
  }
  const rightMatched = new Uint8Array(right.length);
  for (const l of left) {
    let any = false;
    right.forEach((r, j) => {
      if (!cond(l, r)) return;
      any = true;
      rightMatched[j] = 1;
      out.push([...l, ...r]);
    });
    if (!any && (spec.type === 'LEFT' || spec.type === 'FULL')) out.push([...l, ...nullsOf(spec.rightWidth)]);
  }
  if (spec.type === 'RIGHT' || spec.type === 'FULL') {
    right.forEach((r, j) => {
      if (!rightMatched[j]) out.push([...nullsOf(spec.leftWidth), ...r]);
    });
  }
  return out;
}

/**
 * A whole hash join in one call: build from one input, probe with the other, finish; every
 * output batch in order. The output it keeps counts against spec.memoryBudget (MemoryMeter),
 * so a join whose output passes the budget fails with 53200 early.
 */
export function hashJoin(spec: HashJoinSpec, left: Iterable<Batch>, right: Iterable<Batch>, evaluate: ExprEvaluator = evaluateExpr): Batch[] {
  const exec = new HashJoinExec(spec, evaluate);
  const buildLeft = spec.buildSide === 'left';
  for (const b of buildLeft ? left : right) exec.build(b);
  exec.finishBuild();
  const meter = new MemoryMeter(spec.memoryBudget ?? Number.POSITIVE_INFINITY, `${spec.name ?? `${spec.type} join`} output`);
  const out: Batch[] = [];
  const keep = (o: Batch): void => {
    meter.add(o);
    out.push(o);
  };
  for (const p of buildLeft ? right : left) for (const o of exec.probe(p)) keep(o);
  for (const o of exec.finish()) keep(o);
  return out;
}
