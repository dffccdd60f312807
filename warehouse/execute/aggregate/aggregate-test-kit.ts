/**
 * Fixtures for the accumulator tests: random batches with NULLs and varying dictionaries,
 * one-shot ('complete') and distributed (partial on simulated workers, optionally through
 * Arrow IPC, then final) runs of HashAggregateExec, and a row-at-a-time collector of the
 * non-NULL argument values per group, from which each test computes its reference answer.
 * Test support only.
 */
import { decodeBatchIpc, encodeBatchIpc } from '../../../storage/arrow/batch-ipc.js';
import { scalarAt } from '../../../storage/types/scalar-at.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { AggregateCall, AggregateFn, BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { HashAggregateExec, type AggregateOutput } from './hash-aggregate-exec.js';

export type Cell = null | boolean | number | bigint | string;

export const keyOf = (cells: Cell[]): string =>
  JSON.stringify(cells, (_k, v) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v));

export function col(index: number, type: DataType): BoundExpr {
  return { kind: 'column', index, type };
}

export function agg(fn: AggregateFn, arg: BoundExpr | null, distinct = false): AggregateCall {
  return { fn, arg, distinct, type: aggregateResultType(fn, arg?.type ?? Types.null) };
}

export function rowsOf(out: AggregateOutput): Cell[][] {
  const rows: Cell[][] = [];
  for (let i = 0; i < out.batch.length; i++) rows.push(out.batch.columns.map((v, c) => scalarAt(v, i, out.types[c])));
  return rows;
}

/** Result rows by the JSON key of their first `nKeys` cells. */
export function byKey(out: AggregateOutput, nKeys: number): Map<string, Cell[]> {
  return new Map(rowsOf(out).map((r) => [keyOf(r.slice(0, nKeys)), r.slice(nKeys)]));
}

export function runComplete(groupBy: BoundExpr[], aggs: AggregateCall[], batches: Batch[]): AggregateOutput {
  const exec = new HashAggregateExec(groupBy, aggs, 'complete', evaluateExpr);
  for (const b of batches) exec.consume(b);
  return exec.finish();
}

/** Partial aggregation on `workers` simulated workers (batches dealt round-robin), then final. */
export function runDistributed(groupBy: BoundExpr[], aggs: AggregateCall[], batches: Batch[], workers: number, viaIpc = false): AggregateOutput {
  const partials: Batch[] = [];
  for (let w = 0; w < workers; w++) {
    const exec = new HashAggregateExec(groupBy, aggs, 'partial', evaluateExpr);
    batches.forEach((b, i) => i % workers === w && exec.consume(b));
    const out = exec.finish();
    if (!viaIpc) {
      partials.push(out.batch);
      continue;
    }
    // As between a worker thread and services: the partial state crosses as Arrow IPC.
    const columns = out.types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
    partials.push(decodeBatchIpc(encodeBatchIpc(columns, out.batch)).batch);
  }
  const final = new HashAggregateExec(groupBy, aggs, 'final');
  for (const p of partials) final.consume(p);
  return final.finish();
}

/** Per group (by key of the group-by cells): the non-NULL values of each argument, in row order. */
export function collectValues(batches: Batch[], groupBy: BoundExpr[], args: BoundExpr[]): Map<string, { keys: Cell[]; values: Cell[][] }> {
  const groups = new Map<string, { keys: Cell[]; values: Cell[][] }>();
  for (const b of batches) {
    const keyVectors = groupBy.map((g) => evaluateExpr(g, b));
    const argVectors = args.map((a) => evaluateExpr(a, b));
    for (let i = 0; i < b.length; i++) {
      const keys = keyVectors.map((v, j) => scalarAt(v, i, groupBy[j].type));
      const k = keyOf(keys);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { keys, values: args.map(() => []) }));
      argVectors.forEach((v, j) => {
        const x = scalarAt(v, i, args[j].type);
        if (x !== null) g!.values[j].push(x);
      });
    }
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set('[]', { keys: [], values: args.map(() => []) });
  return groups;
}

export type Rng = () => number;

function maskOf(r: Rng, n: number, p: number): Uint8Array | null {
  const m = new Uint8Array(n);
  let any = 0;
  for (let i = 0; i < n; i++) any |= m[i] = r() < p ? 1 : 0;
  return any ? m : null;
}

/** A random 'str' vector over `words`, shuffled per batch, with a duplicated dictionary entry. */
export function randomStrings(r: Rng, n: number, words: string[], pNull: number): Vector {
  const dict = [...words].sort(() => r() - 0.5);
  dict.push(dict[0]);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = Math.floor(r() * dict.length);
  return { kind: 'str', length: n, codes, dict, nulls: maskOf(r, n, pNull) };
}

export function randomF64(r: Rng, n: number, gen: () => number, pNull: number): Vector {
  return { kind: 'f64', length: n, values: Float64Array.from({ length: n }, gen), nulls: maskOf(r, n, pNull) };
}

export function randomBools(r: Rng, n: number, pNull: number): Vector {
  return { kind: 'bool', length: n, values: Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0)), nulls: maskOf(r, n, pNull) };
}

export function randomDates(r: Rng, n: number, pNull: number): Vector {
  return { kind: 'i32', length: n, values: Int32Array.from({ length: n }, () => 19000 + Math.floor(r() * 40)), nulls: maskOf(r, n, pNull) };
}

/** Column types of `randomBatch`. */
export const RANDOM_TYPES = {
  k: Types.varchar,
  g: Types.number(10, 0),
  n: Types.number(12, 2),
  f: Types.float,
  b: Types.boolean,
  s: Types.varchar,
  d: Types.date,
} as const;

export const R = Object.fromEntries(Object.entries(RANDOM_TYPES).map(([name, type], i) => [name, col(i, type)])) as Record<keyof typeof RANDOM_TYPES, BoundExpr>;

const KEYS = ['apple', 'pear', 'fig', 'kiwi'];
const WORDS = ['apple', 'pear', 'fig', 'kiwi', 'lime', 'Zed', 'éclair', '', 'x', 'yy'];

/** Random rows over RANDOM_TYPES, with NULLs in every column. */
export function randomBatch(r: Rng, n: number): Batch {
  return {
    length: n,
    columns: [
      randomStrings(r, n, KEYS, 0.1),
      randomF64(r, n, () => Math.floor(r() * 5) - 2, 0.1),
      randomF64(r, n, () => Math.floor((r() - 0.4) * 200000), 0.15),
      randomF64(r, n, () => Math.round((r() - 0.5) * 1000) / 8, 0.15),
      randomBools(r, n, 0.2),
      randomStrings(r, n, WORDS, 0.2),
      randomDates(r, n, 0.1),
    ],
  };
}

/** Groupings the randomized tests run under. */
export const GROUPINGS: [string, BoundExpr[]][] = [
  ['global', []],
  ['one string key', [R.k]],
  ['string + number keys', [R.k, R.g]],
];
