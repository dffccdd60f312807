import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { Batch } from '../../../storage/types/vector.js';
import { prng } from '../../../test/support/prng.js';
import { CancelFlag, CancelReason } from '../../cancel/cancel-flag.js';
import { call, col } from '../expr-test-kit.js';
import { HashJoinExec } from '../join/hash-join-exec.js';
import { batchesOf, canonical, rowsOfBatches, type Row } from '../join/join-test-kit.js';
import type { BuildSide, HashJoinSpec, JoinKey, JoinType } from '../join/join-spec.js';
import { GraceHashJoin } from './grace-hash-join.js';
import { SpillSpace } from './spill-space.js';
import { collect, filesIn, tmpSpillDir } from './spill-test-kit.js';

const L: DataType[] = [Types.number(10, 0), Types.varchar, Types.float];
const R: DataType[] = [Types.number(10, 0), Types.varchar, Types.float, Types.number(12, 2)];
const WORDS = Array.from({ length: 60 }, (_, i) => `w${i}`);
const maybeNull = (rand: () => number, v: Scalar): Scalar => (rand() < 0.08 ? null : v);

function leftRows(rand: () => number, n: number, keys = 300): Row[] {
  return Array.from({ length: n }, () => [
    maybeNull(rand, BigInt(Math.floor(rand() * keys))),
    maybeNull(rand, WORDS[Math.floor(rand() * WORDS.length)]),
    maybeNull(rand, Math.floor(rand() * 100) / 4),
  ]);
}

function rightRows(rand: () => number, n: number, keys = 300): Row[] {
  return Array.from({ length: n }, () => [
    maybeNull(rand, BigInt(Math.floor(rand() * keys) + 20)),
    maybeNull(rand, WORDS[Math.floor(rand() * WORDS.length)]),
    maybeNull(rand, Math.floor(rand() * 100) / 4),
    maybeNull(rand, BigInt(Math.floor(rand() * 100000) - 50000)),
  ]);
}

const key = (l: number, r: number): JoinKey => ({ left: col(l, L[l]), right: col(r, R[r]) });
const vLessW = call('lt', col(2, Types.float), col(L.length + 2, Types.float));

type Case = { name: string; keys: JoinKey[]; residual?: typeof vLessW };
const CASES: Case[] = [
  { name: 'a NUMBER key', keys: [key(0, 0)] },
  { name: 'VARCHAR and NUMBER keys with a residual', keys: [key(1, 1), key(0, 0)], residual: vLessW },
];
const TYPES: JoinType[] = ['INNER', 'LEFT', 'RIGHT', 'FULL', 'SEMI', 'ANTI', 'MARK'];
const SIDES: BuildSide[] = ['left', 'right'];

function specOf(type: JoinType, c: Case, buildSide: BuildSide): HashJoinSpec {
  return { type, left: L, right: R, keys: c.keys, residual: c.residual ?? null, buildSide, batchSize: 50 };
}

function inputs(seed: number, keys = 600) {
  const rand = prng(seed);
  const left = batchesOf(L, leftRows(rand, 1500, keys), rand, 200);
  const right = batchesOf(R, rightRows(rand, 1500, keys), rand, 200);
  return { left, right };
}

function kernel(spec: HashJoinSpec, left: Batch[], right: Batch[]): Batch[] {
  const exec = new HashJoinExec(spec);
  const [build, probe] = spec.buildSide === 'left' ? [left, right] : [right, left];
  for (const b of build) exec.build(b);
  exec.finishBuild();
  const out: Batch[] = [];
  for (const b of probe) out.push(...exec.probe(b));
  out.push(...exec.finish());
  return out;
}

async function grace(join: GraceHashJoin, left: Batch[], right: Batch[]): Promise<Batch[]> {
  const [build, probe] = join.spec.buildSide === 'left' ? [left, right] : [right, left];
  for (const b of build) await join.build(b);
  await join.finishBuild();
  const out: Batch[] = [];
  for (const b of probe) out.push(...(await collect(join.probe(b))));
  out.push(...(await collect(join.finish())));
  return out;
}

describe('GraceHashJoin', () => {
  const { left, right } = inputs(11);
  for (const c of CASES) {
    for (const type of TYPES) {
      for (const side of SIDES) {
        it(`${type} join on ${c.name}, build ${side}: spilled partitions give the kernel's rows; within budget its exact output`, async () => {
          const spec = specOf(type, c, side);
          const want = kernel(spec, left, right);
          const types = new HashJoinExec(spec).outputTypes;

          const big = new SpillSpace(tmpSpillDir(), 1 << 30);
          const inMemory = new GraceHashJoin(spec, { memoryBytes: 1 << 30, spill: big, cancel: null });
          expect(rowsOfBatches(types, await grace(inMemory, left, right))).toEqual(rowsOfBatches(types, want));
          expect(inMemory.bytesSpilled).toBe(0);
          expect(inMemory.partitioned).toBe(false);
          expect(filesIn(big.dir)).toEqual([]);

          const space = new SpillSpace(tmpSpillDir(), 1 << 30);
          const spilling = new GraceHashJoin(spec, { memoryBytes: 45000, spill: space, cancel: null });
          const got = await grace(spilling, left, right);
          expect(spilling.partitioned).toBe(true);
          // Hybrid: some partitions joined in memory, the others from disk.
          expect(spilling.spilledPartitions).toBeGreaterThan(0);
          expect(spilling.spilledPartitions).toBeLessThan(16);
          expect(spilling.bytesSpilled).toBeGreaterThan(0);
          expect(space.bytesSpilled).toBe(spilling.bytesSpilled);
          expect(got.every((b) => b.length <= 50)).toBe(true);
          expect(inMemory.outputTypes).toEqual(types);
          expect(canonical(rowsOfBatches(types, got))).toEqual(canonical(rowsOfBatches(types, want)));
          expect(space.bytesOnDisk).toBe(0);
          await space.close();
          expect(filesIn(space.dir)).toEqual([]);
        });
      }
    }
  }

  it('partitions again, one level down, a spilled partition that still does not fit', async () => {
    const spec = specOf('FULL', CASES[0], 'right');
    const { left: l, right: r } = inputs(5, 3000);
    const space = new SpillSpace(tmpSpillDir(), 1 << 30);
    const join = new GraceHashJoin(spec, { memoryBytes: 5000, spill: space, cancel: null });
    const got = await grace(join, l, r);
    const types = join.outputTypes;
    expect(canonical(rowsOfBatches(types, got))).toEqual(canonical(rowsOfBatches(types, kernel(spec, l, r))));
    expect(join.levels).toBeGreaterThanOrEqual(2);
    // Each partition's files are deleted once it is joined.
    expect(filesIn(space.dir)).toEqual([]);
    expect(space.bytesOnDisk).toBe(0);
    await space.close();
  });

  it('fails with 53200 when one join key has more build rows than the budget, however often it is split', async () => {
    const rand = prng(3);
    const rows = (n: number, w: number): Row[] => Array.from({ length: n }, () => [7n, ...Array.from({ length: w - 1 }, () => null)]);
    const spec = specOf('INNER', CASES[0], 'right');
    const space = new SpillSpace(tmpSpillDir(), 1 << 30);
    const join = new GraceHashJoin(spec, { memoryBytes: 3000, spill: space, cancel: null });
    const err = await grace(join, batchesOf(L, rows(50, 3), rand, 20), batchesOf(R, rows(500, 4), rand, 20)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ResourceError', sqlState: '53200', message: expect.stringMatching(/too many build rows share one join key/) });
    await space.close();
  });

  it('keeps NOT IN and joins without equality keys in memory, failing with 53200 past the budget and saying why', async () => {
    const space = new SpillSpace(tmpSpillDir(), 1 << 30);
    const notIn: HashJoinSpec = { type: 'NULL_AWARE_ANTI', left: L, right: R, keys: [], inKey: key(0, 0), buildSide: 'right' };
    await expect(grace(new GraceHashJoin(notIn, { memoryBytes: 3000, spill: space, cancel: null }), left, right)).rejects.toMatchObject({
      sqlState: '53200',
      message: expect.stringMatching(/cannot spill to disk: a NOT IN/),
    });
    const cross: HashJoinSpec = { type: 'CROSS', left: L, right: R, keys: [], buildSide: 'right' };
    await expect(grace(new GraceHashJoin(cross, { memoryBytes: 3000, spill: space, cancel: null }), left, right)).rejects.toMatchObject({
      sqlState: '53200',
      message: expect.stringMatching(/cannot spill to disk: a join without equality keys/),
    });
    const fits = new GraceHashJoin(notIn, { memoryBytes: 1 << 30, spill: space, cancel: null });
    const types = fits.outputTypes;
    expect(rowsOfBatches(types, await grace(fits, left, right))).toEqual(rowsOfBatches(types, kernel(notIn, left, right)));
    expect(space.bytesSpilled).toBe(0);
  });

  it('fails with 53200 past the spill disk budget', async () => {
    const space = new SpillSpace(tmpSpillDir(), 4000);
    const join = new GraceHashJoin(specOf('INNER', CASES[0], 'right'), { memoryBytes: 30000, spill: space, cancel: null });
    await expect(grace(join, left, right)).rejects.toMatchObject({ sqlState: '53200', message: expect.stringMatching(/FIRN_QUERY_SPILL_BYTES/) });
    await space.close();
    expect(filesIn(space.dir)).toEqual([]);
  });

  it('stops with the cancel error once the statement is canceled', async () => {
    const space = new SpillSpace(tmpSpillDir(), 1 << 30);
    const cancel = CancelFlag.create();
    const join = new GraceHashJoin(specOf('LEFT', CASES[0], 'right'), { memoryBytes: 30000, spill: space, cancel });
    for (const b of right) await join.build(b);
    await join.finishBuild();
    cancel.cancel(CancelReason.CLIENT);
    await expect(collect(join.probe(left[1]))).rejects.toMatchObject({ codeName: 'CANCELED', sqlState: '57014' });
    await space.close();
  });
});
