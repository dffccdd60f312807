/**
 * Fixtures for the spill tests: a fresh temporary spill directory per test (removed after
 * it), random batches (NULLs, duplicate keys, a different string dictionary per batch, NUMBER
 * columns that are 'f64' in some batches and 'dec' in others), and readers that turn batches
 * into rows of Scalars for exact comparison. Test support only.
 */
import { mkdtempSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { onTestFinished } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataType } from '../../../storage/types/data-type.js';
import { scalarAt } from '../../../storage/types/scalar-at.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { Batch } from '../../../storage/types/vector.js';
import { vectorOf } from '../join/join-test-kit.js';

export type Row = Scalar[];

/** A fresh directory path (not yet created) for a SpillSpace; call it inside a test: its temporary parent is removed when the test ends. */
export function tmpSpillDir(): string {
  const parent = mkdtempSync(join(tmpdir(), 'firn-spill-test-'));
  onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
  return join(parent, 'spill');
}

/** Files in a directory (none when it does not exist). */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Batches of `rows` rows each, column c's values from gen[c](globalRow, rand); every other batch has wide ('dec') NUMBERs. */
export function makeBatches(types: DataType[], gen: ((row: number, rand: () => number) => Scalar)[], batches: number, rows: number, seed = 1): Batch[] {
  const rand = rng(seed);
  const out: Batch[] = [];
  let row = 0;
  for (let b = 0; b < batches; b++) {
    const cells: Scalar[][] = types.map(() => []);
    for (let i = 0; i < rows; i++, row++) types.forEach((_, c) => cells[c].push(gen[c](row, rand)));
    out.push({ length: rows, columns: types.map((t, c) => vectorOf(t, cells[c], rand, b % 2 === 1)) });
  }
  return out;
}

export function rowsOf(batches: Iterable<Batch>, types: readonly DataType[]): Row[] {
  const rows: Row[] = [];
  for (const b of batches) for (let i = 0; i < b.length; i++) rows.push(b.columns.map((v, c) => scalarAt(v, i, types[c])));
  return rows;
}

export async function collect(batches: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

/** Rows as sorted JSON strings: a multiset to compare when the order is not defined. */
export function multiset(rows: Row[]): string[] {
  return rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v))).sort();
}
