/**
 * Every window function, frame form and default frame against a naive per-row reference:
 * random data with NULLs, ties and several partitions; the reference sorts each partition
 * by comparing values, finds each row's frame by counting the rows before its bounds, and
 * computes each function from its definition (exact bigint sums for NUMBER).
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import { formatDate, formatDecimal } from '../../../storage/types/value-text.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import type { FrameBound, WindowCall, WindowFn, WindowFrame } from '../../fragment/window-call.js';
import { col, lit, read, vec, type Readable } from '../expr-test-kit.js';
import { evaluateWindows } from './evaluate-windows.js';
import { windowResultType } from './window-result-type.js';

type Cell = bigint | number | string | null;
type Data = { types: DataType[]; cells: Cell[][]; batch: Batch };

const C = { g: 0, h: 1, o: 2, v: 3, f: 4, s: 5, d: 6 } as const;
const TYPES: DataType[] = [Types.varchar, Types.number(4, 0), Types.number(10, 2), Types.number(12, 2), Types.float, Types.varchar, Types.date];

function makeData(seed: number, n: number): Data {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const maybe = (p: number, f: () => Cell): Cell => (r() < p ? null : f());
  const gen: (() => Cell)[] = [
    () => pick(['x', 'y', 'z', null]),
    () => maybe(0.1, () => BigInt(Math.floor(r() * 3))),
    () => maybe(0.12, () => BigInt((Math.floor(r() * 11) - 5) * 50)),
    () => maybe(0.15, () => BigInt(Math.floor(r() * 20001) - 10000)),
    () => maybe(0.15, () => Math.round((r() * 200 - 100) * 100) / 100),
    () => maybe(0.15, () => pick(['pear', 'apple', 'fig', 'Apple', 'kiwi', '', 'banana'])),
    () => maybe(0.1, () => 19000 + Math.floor(r() * 15)),
  ];
  const cells = gen.map((g) => Array.from({ length: n }, g));
  const batch: Batch = { length: n, columns: cells.map((c, i) => vec(TYPES[i], c)) };
  return { types: TYPES, cells, batch };
}

type Key = { col: number; desc: boolean; nullsFirst: boolean };
type Spec = { part: number[]; order: Key[] };

const UP: FrameBound = { kind: 'unbounded_preceding' };
const UF: FrameBound = { kind: 'unbounded_following' };
const CR: FrameBound = { kind: 'current_row' };
const P = (offset: number): FrameBound => ({ kind: 'preceding', offset });
const F = (offset: number): FrameBound => ({ kind: 'following', offset });
const rows = (start: FrameBound, end: FrameBound): WindowFrame => ({ units: 'ROWS', start, end });
const range = (start: FrameBound, end: FrameBound): WindowFrame => ({ units: 'RANGE', start, end });

const ROWS_FRAMES = [
  rows(UP, CR),
  rows(UP, UF),
  rows(CR, UF),
  rows(P(2), F(1)),
  rows(P(3), P(1)),
  rows(F(1), F(3)),
  rows(P(0), F(0)),
  rows(UP, P(2)),
  rows(F(2), UF),
  rows(P(100), F(100)),
];
const RANGE_FRAMES = [range(UP, CR), range(CR, CR), range(CR, UF), range(UP, UF)];
/** RANGE offsets in the key's physical unit: hundredths for NUMBER(10,2), days for DATE. */
const RANGE_OFFSET_FRAMES: Record<number, WindowFrame[]> = {
  [C.o]: [range(P(100), F(50)), range(P(0), F(0)), range(UP, F(100)), range(P(150), UF), range(F(50), F(200)), range(P(300), P(100)), range(P(100), CR), range(CR, F(100))],
  [C.d]: [range(P(2), F(2)), range(P(3), P(1)), range(UP, F(1)), range(F(1), UF)],
};

const SPECS: Spec[] = [
  { part: [], order: [] },
  { part: [C.g], order: [] },
  { part: [C.g], order: [{ col: C.o, desc: false, nullsFirst: false }] },
  { part: [C.g, C.h], order: [{ col: C.o, desc: true, nullsFirst: true }] },
  { part: [C.h], order: [{ col: C.o, desc: false, nullsFirst: true }, { col: C.v, desc: true, nullsFirst: false }] },
  { part: [C.g], order: [{ col: C.d, desc: true, nullsFirst: false }] },
  { part: [], order: [{ col: C.s, desc: false, nullsFirst: false }] },
  { part: [C.s], order: [{ col: C.o, desc: true, nullsFirst: false }] },
];

/** A call as the test describes it; `build` turns it into the IR. */
type TestCall = {
  fn: WindowFn;
  arg?: number;
  offset?: number;
  defaultCol?: number;
  /** bigint for NUMBER arguments, days for DATE. */
  defaultLit?: bigint | number;
  buckets?: number;
  frame: WindowFrame | null;
  ignoreNulls?: boolean;
};

function build(t: TestCall, spec: Spec): WindowCall {
  const args: BoundExpr[] = [];
  if (t.arg !== undefined) args.push(col(t.arg, TYPES[t.arg]));
  if (t.buckets !== undefined) args.push(lit(t.buckets, Types.number(10, 0)));
  if (t.offset !== undefined) args.push(lit(t.offset, Types.number(10, 0)));
  if (t.defaultCol !== undefined) args.push(col(t.defaultCol, TYPES[t.defaultCol]));
  if (t.defaultLit !== undefined) args.push(lit(t.defaultLit, TYPES[t.arg!]));
  return {
    fn: t.fn,
    args,
    partitionBy: spec.part.map((c) => col(c, TYPES[c])),
    orderBy: spec.order.map((k) => ({ expr: col(k.col, TYPES[k.col]), desc: k.desc, nullsFirst: k.nullsFirst })),
    frame: t.frame,
    ignoreNulls: t.ignoreNulls,
    type: windowResultType(t.fn, args.map((a) => a.type)),
  };
}

function callsFor(spec: Spec): TestCall[] {
  const calls: TestCall[] = [
    { fn: 'row_number', frame: null },
    { fn: 'rank', frame: null },
    { fn: 'dense_rank', frame: null },
    ...[1, 3, 4, 7, 100].map((buckets): TestCall => ({ fn: 'ntile', buckets, frame: null })),
  ];
  for (const fn of ['lag', 'lead'] as const) {
    calls.push({ fn, arg: C.v, frame: null });
    calls.push({ fn, arg: C.s, offset: 2, frame: null });
    calls.push({ fn, arg: C.v, offset: 0, frame: null });
    calls.push({ fn, arg: C.v, offset: -1, frame: null });
    calls.push({ fn, arg: C.v, offset: 3, defaultCol: C.v, frame: null });
    calls.push({ fn, arg: C.d, offset: 1, defaultLit: 18000, frame: null });
    calls.push({ fn, arg: C.v, offset: 500, defaultLit: 777n, frame: null });
    calls.push({ fn, arg: C.s, offset: 1, ignoreNulls: true, frame: null });
    calls.push({ fn, arg: C.v, offset: 2, defaultLit: -5n, ignoreNulls: true, frame: null });
  }
  const frames: (WindowFrame | null)[] = [null];
  if (spec.order.length > 0) frames.push(...ROWS_FRAMES, ...RANGE_FRAMES);
  if (spec.order.length === 1) frames.push(...(RANGE_OFFSET_FRAMES[spec.order[0].col] ?? []));
  for (const frame of frames) {
    for (const fn of ['first_value', 'last_value'] as const) {
      for (const arg of [C.s, C.v]) for (const ignoreNulls of [false, true]) calls.push({ fn, arg, frame, ignoreNulls });
    }
    for (const fn of ['min', 'max'] as const) for (const arg of [C.v, C.s, C.d, C.f]) calls.push({ fn, arg, frame });
    for (const fn of ['sum', 'avg'] as const) for (const arg of [C.v, C.f]) calls.push({ fn, arg, frame });
    calls.push({ fn: 'count', arg: C.v, frame });
    calls.push({ fn: 'count', arg: C.s, frame });
    calls.push({ fn: 'count_star', frame });
  }
  return calls;
}

// ---- the naive reference ----

function cmpCells(a: Cell, b: Cell): number {
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

function cmpKey(a: Cell, b: Cell, k: Key): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === k.nullsFirst ? -1 : 1;
  }
  const c = cmpCells(a, b);
  return k.desc ? -c : c;
}

/** Partitions (row lists sorted by the ORDER BY keys, ties in input order). */
function partitions(data: Data, spec: Spec): number[][] {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < data.batch.length; i++) {
    const key = JSON.stringify(spec.part.map((c) => String(data.cells[c][i])));
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const cmpRows = orderCmp(data, spec);
  return [...groups.values()].map((g) => g.sort((a, b) => cmpRows(a, b) || a - b));
}

function orderCmp(data: Data, spec: Spec): (a: number, b: number) => number {
  return (a, b) => {
    for (const k of spec.order) {
      const c = cmpKey(data.cells[k.col][a], data.cells[k.col][b], k);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Snowflake's default frames, restated: FIRST/LAST_VALUE the whole partition, aggregates cumulative with ORDER BY. */
function effectiveFrame(t: TestCall, spec: Spec): WindowFrame {
  if (t.frame !== null) return t.frame;
  if (t.fn === 'first_value' || t.fn === 'last_value' || spec.order.length === 0) return rows(UP, UF);
  return range(UP, CR);
}

/** [start, end) positions of row P[i]'s frame, by counting the partition rows before each bound. */
function frameOf(data: Data, spec: Spec, part: number[], i: number, frame: WindowFrame): [number, number] {
  const m = part.length;
  const cmpRows = orderCmp(data, spec);
  const cur = part[i];
  const count = (pred: (row: number) => boolean): number => part.filter(pred).length;
  const bound = (b: FrameBound, isStart: boolean): number => {
    if (b.kind === 'unbounded_preceding') return 0;
    if (b.kind === 'unbounded_following') return m;
    if (frame.units === 'ROWS') {
      const at = b.kind === 'current_row' ? i : b.kind === 'preceding' ? i - b.offset : i + b.offset;
      return Math.min(Math.max(isStart ? at : at + 1, 0), m);
    }
    const peersEdge = () => (isStart ? count((j) => cmpRows(j, cur) < 0) : count((j) => cmpRows(j, cur) <= 0));
    if (b.kind === 'current_row') return peersEdge();
    const key = spec.order[0];
    const x = data.cells[key.col][cur];
    if (x === null) return peersEdge();
    const shift = b.kind === 'preceding' ? -b.offset : b.offset;
    const xv = Number(x);
    return count((j) => {
      const y = data.cells[key.col][j];
      if (y === null) return key.nullsFirst;
      const yv = Number(y);
      if (!key.desc) return isStart ? yv < xv + shift : yv <= xv + shift;
      return isStart ? yv > xv - shift : yv >= xv - shift;
    });
  };
  return [bound(frame.start, true), bound(frame.end, false)];
}

function readable(c: Cell, type: DataType): Readable {
  if (c === null) return null;
  if (type.kind === 'NUMBER') return formatDecimal(c as bigint, type.scale);
  if (type.kind === 'DATE') return formatDate(c as number);
  return c as Readable;
}

function roundHalfAway(num: bigint, den: bigint): bigint {
  const sign = num < 0n ? -1n : 1n;
  const a = num < 0n ? -num : num;
  return (sign * (2n * a + den)) / (2n * den);
}

function ntileOf(i: number, m: number, buckets: number): number {
  let start = 0;
  for (let b = 1; b <= buckets; b++) {
    const size = Math.floor(m / buckets) + (b <= m % buckets ? 1 : 0);
    if (i < start + size) return b;
    start += size;
  }
  throw new Error('row outside every bucket');
}

function reference(data: Data, spec: Spec, t: TestCall, type: DataType): Readable[] {
  const out: Readable[] = new Array(data.batch.length);
  const cmpRows = orderCmp(data, spec);
  const arg = t.arg !== undefined ? data.cells[t.arg] : null;
  for (const part of partitions(data, spec)) {
    const m = part.length;
    part.forEach((row, i) => {
      out[row] = readable(referenceValue(part, i, m), type);
    });
  }
  return out;

  function referenceValue(part: number[], i: number, m: number): Cell {
    switch (t.fn) {
      case 'row_number':
        return BigInt(i + 1);
      case 'rank':
        return BigInt(1 + part.filter((j) => cmpRows(j, part[i]) < 0).length);
      case 'dense_rank': {
        let rank = 1;
        for (let k = 1; k <= i; k++) if (cmpRows(part[k - 1], part[k]) !== 0) rank++;
        return BigInt(rank);
      }
      case 'ntile':
        return BigInt(ntileOf(i, m, t.buckets!));
      case 'lag':
      case 'lead': {
        const off = t.offset ?? 1;
        const shift = t.fn === 'lag' ? -off : off;
        const fallback = t.defaultCol !== undefined ? data.cells[t.defaultCol][part[i]] : (t.defaultLit ?? null);
        if (!t.ignoreNulls || shift === 0) {
          const j = i + shift;
          return j >= 0 && j < m ? arg![part[j]] : fallback;
        }
        let steps = Math.abs(shift);
        let j = i;
        while (steps > 0) {
          j += Math.sign(shift);
          if (j < 0 || j >= m) return fallback;
          if (arg![part[j]] !== null) steps--;
        }
        return arg![part[j]];
      }
      default: {
        const [s, e] = frameOf(data, spec, part, i, effectiveFrame(t, spec));
        const frame = e > s ? part.slice(s, e) : [];
        const values = frame.map((j) => (arg === null ? null : arg[j]));
        const present = values.filter((v) => v !== null);
        switch (t.fn) {
          case 'count_star':
            return BigInt(frame.length);
          case 'count':
            return BigInt(present.length);
          case 'first_value':
            return (t.ignoreNulls ? present[0] : values[0]) ?? null;
          case 'last_value':
            return (t.ignoreNulls ? present[present.length - 1] : values[values.length - 1]) ?? null;
          case 'min':
            return present.length === 0 ? null : present.reduce((a, b) => (cmpCells(b, a) < 0 ? b : a));
          case 'max':
            return present.length === 0 ? null : present.reduce((a, b) => (cmpCells(b, a) > 0 ? b : a));
          case 'sum':
          case 'avg': {
            if (present.length === 0) return null;
            if (typeof present[0] === 'number') {
              let sum = 0;
              for (const v of present) sum += v as number;
              return t.fn === 'sum' ? sum : sum / present.length;
            }
            const sum = present.reduce((a, b) => (a as bigint) + (b as bigint), 0n) as bigint;
            if (t.fn === 'sum') return sum;
            const scaleUp = (type as { scale: number }).scale - (TYPES[t.arg!] as { scale: number }).scale;
            return roundHalfAway(sum * 10n ** BigInt(scaleUp), BigInt(present.length));
          }
          default:
            throw new Error(`no reference for ${t.fn}`);
        }
      }
    }
  }
}

function describeCall(t: TestCall, spec: Spec): string {
  return JSON.stringify({ ...t, defaultLit: t.defaultLit?.toString(), spec });
}

function checkAgainstReference(seed: number, n: number): void {
  const data = makeData(seed, n);
  const floatTolerance = 1e-9 * (1 + data.cells[C.f].reduce<number>((s, v) => s + Math.abs((v as number | null) ?? 0), 0));
  for (const spec of SPECS) {
    const tests = callsFor(spec);
    const calls = tests.map((t) => build(t, spec));
    const results = evaluateWindows(data.batch, calls);
    tests.forEach((t, k) => {
      const actual = read(results[k], calls[k].type);
      const expected = reference(data, spec, t, calls[k].type);
      if (calls[k].type.kind === 'FLOAT') {
        const bad = actual.findIndex((a, i) => {
          const b = expected[i];
          if (a === null || b === null) return a !== b;
          return !(Math.abs((a as number) - (b as number)) <= floatTolerance);
        });
        expect(bad, `${describeCall(t, spec)} row ${bad}: ${actual[bad]} vs ${expected[bad]}`).toBe(-1);
      } else {
        expect(actual, describeCall(t, spec)).toEqual(expected);
      }
    });
  }
}

describe('evaluateWindows against a naive reference', () => {
  it('random data with NULLs, ties and several partitions (seed 1, 70 rows)', () => checkAgainstReference(1, 70));
  it('random data with NULLs, ties and several partitions (seed 2, 45 rows)', () => checkAgainstReference(2, 45));
  it('a single row and two rows', () => {
    checkAgainstReference(3, 1);
    checkAgainstReference(4, 2);
  });
});
