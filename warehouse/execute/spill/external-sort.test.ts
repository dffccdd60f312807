import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import { CancelFlag, CancelReason } from '../../cancel/cancel-flag.js';
import { concatBatches } from '../batch/concat-batches.js';
import { sortBatch } from '../sort/sort-batch.js';
import { ExternalSort, MAX_FAN_IN } from './external-sort.js';
import { SpillSpace } from './spill-space.js';
import { collect, filesIn, makeBatches, rowsOf, tmpSpillDir } from './spill-test-kit.js';

const types: DataType[] = [Types.number(38, 0), Types.varchar, Types.float, Types.number(18, 0)];
const col = (index: number): SortKey['expr'] => ({ kind: 'column', index, type: types[index] });
const keys: SortKey[] = [
  { expr: col(0), desc: false, nullsFirst: false },
  { expr: col(1), desc: true, nullsFirst: true },
  { expr: col(2), desc: false, nullsFirst: true },
];
const gen = [
  (_r: number, rand: () => number) => (rand() < 0.1 ? null : BigInt(Math.floor(rand() * 20) - 10)),
  (_r: number, rand: () => number) => (rand() < 0.1 ? null : ['a', 'b', 'B', 'ä', ''][Math.floor(rand() * 5)]),
  (_r: number, rand: () => number) => (rand() < 0.1 ? null : rand() < 0.1 ? NaN : Math.floor(rand() * 4) / 2),
  (r: number) => BigInt(r), // input position: shows stability
];

function expected(batches: Batch[]): unknown[] {
  return rowsOf([sortBatch(concatBatches(types, batches), keys)], types);
}

async function sortAll(batches: Batch[], memoryBytes: number, batchRows = 100): Promise<{ sort: ExternalSort; out: Batch[]; space: SpillSpace }> {
  const space = new SpillSpace(tmpSpillDir(), 1 << 30);
  const sort = new ExternalSort(types, keys, { memoryBytes, spill: space, cancel: null });
  for (const b of batches) await sort.add(b);
  const out = await collect(sort.finish(batchRows));
  return { sort, out, space };
}

describe('ExternalSort', () => {
  it('without a spill it is sortBatch over the whole input, in batches of at most batchRows', async () => {
    const batches = makeBatches(types, gen, 6, 300);
    const { sort, out, space } = await sortAll(batches, 1 << 30);
    expect(sort.bytesSpilled).toBe(0);
    expect(space.bytesSpilled).toBe(0);
    expect(filesIn(space.dir)).toEqual([]);
    expect(out.every((b) => b.length <= 100)).toBe(true);
    expect(rowsOf(out, types)).toEqual(expected(batches));
  });

  it('spills sorted runs past its memory budget and merges them to the exact stable order', async () => {
    const batches = makeBatches(types, gen, 12, 250, 7);
    const { sort, out, space } = await sortAll(batches, 20_000, 77);
    expect(sort.runCount).toBeGreaterThan(3);
    expect(sort.bytesSpilled).toBeGreaterThan(0);
    expect(space.bytesSpilled).toBe(sort.bytesSpilled);
    expect(out.every((b) => b.length <= 77)).toBe(true);
    expect(rowsOf(out, types)).toEqual(expected(batches));
    expect(filesIn(space.dir).length).toBe(sort.runCount);
    await space.close();
    expect(filesIn(space.dir)).toEqual([]);
  });

  it(`merges more than ${MAX_FAN_IN} runs in passes, still stable`, async () => {
    const batches = makeBatches(types, gen, MAX_FAN_IN + 30, 40, 3);
    const { sort, out, space } = await sortAll(batches, 1, 64);
    expect(sort.runCount).toBeLessThanOrEqual(MAX_FAN_IN);
    expect(rowsOf(out, types)).toEqual(expected(batches));
    await space.close();
  });

  it('fails with 53200 past the spill disk budget, naming it', async () => {
    const space = new SpillSpace(tmpSpillDir(), 1000);
    const sort = new ExternalSort(types, keys, { memoryBytes: 1000, spill: space, cancel: null });
    const batches = makeBatches(types, gen, 4, 200);
    const err = await (async () => {
      for (const b of batches) await sort.add(b);
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ResourceError', sqlState: '53200' });
    expect((err as Error).message).toMatch(/spill disk budget of 1000 bytes \(FIRN_QUERY_SPILL_BYTES\)/);
    await space.close();
  });

  it('stops with the cancel error once the statement is canceled', async () => {
    const space = new SpillSpace(tmpSpillDir(), 1 << 30);
    const cancel = CancelFlag.create();
    const sort = new ExternalSort(types, keys, { memoryBytes: 5000, spill: space, cancel });
    const batches = makeBatches(types, gen, 6, 200);
    for (const b of batches) await sort.add(b);
    cancel.cancel(CancelReason.CLIENT);
    await expect(sort.add(batches[0])).rejects.toMatchObject({ codeName: 'CANCELED', sqlState: '57014' });
    await expect(collect(sort.finish(50))).rejects.toMatchObject({ codeName: 'CANCELED' });
    await space.close();
    expect(filesIn(space.dir)).toEqual([]);
  });
});
