import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { CancelFlag, CancelReason } from '../../cancel/cancel-flag.js';
import { HashAggregateExec } from '../aggregate/hash-aggregate-exec.js';
import { isSpanning } from '../aggregate/accumulator.js';
import { createAccumulator } from '../aggregate/create-accumulator.js';
import { agg } from '../aggregate/aggregate-test-kit.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { SpillingAggregate } from './spilling-aggregate.js';
import { SpillSpace } from './spill-space.js';
import { collect, filesIn, makeBatches, multiset, rowsOf, tmpSpillDir } from './spill-test-kit.js';

const types: DataType[] = [Types.number(18, 0), Types.varchar, Types.number(18, 2), Types.float];
const col = (index: number): BoundExpr => ({ kind: 'column', index, type: types[index] });
const groupBy = [col(0), col(1)];
const aggregates: AggregateCall[] = [
  agg('count_star', null),
  agg('count', col(2)),
  agg('sum', col(2)),
  agg('avg', col(2)),
  agg('min', col(1)),
  agg('max', col(3)),
  agg('sum', col(3)),
  agg('count', col(2), true),
  agg('sum', col(3), true),
  agg('median', col(2)),
  agg('var_samp', col(2)),
  agg('approx_count_distinct', col(3)),
];
const gen = [
  (_r: number, rand: () => number) => (rand() < 0.05 ? null : BigInt(Math.floor(rand() * 400))),
  (_r: number, rand: () => number) => (rand() < 0.05 ? null : ['x', 'y', 'z', 'ü', ''][Math.floor(rand() * 5)]),
  (_r: number, rand: () => number) => (rand() < 0.1 ? null : BigInt(Math.floor(rand() * 2000) - 1000)),
  // Whole numbers: FLOAT sums are exact in any order.
  (_r: number, rand: () => number) => (rand() < 0.1 ? null : Math.floor(rand() * 50)),
];

function complete(batches: Batch[], g: BoundExpr[] = groupBy, a: AggregateCall[] = aggregates): { rows: unknown[]; types: DataType[] } {
  const exec = new HashAggregateExec(g, a, 'complete', evaluateExpr);
  for (const b of batches) exec.consume(b);
  const out = exec.finish();
  return { rows: rowsOf([out.batch], out.types), types: out.types };
}

function space(budget = 1 << 30): SpillSpace {
  return new SpillSpace(tmpSpillDir(), budget);
}

async function run(agg: SpillingAggregate, batches: Batch[]): Promise<Batch[]> {
  for (const b of batches) await agg.add(b);
  return collect(agg.finish());
}

describe('SpillingAggregate', () => {
  const batches = makeBatches(types, gen, 10, 400, 5);

  it('the test covers row-state and spanning (MEDIAN, DISTINCT) aggregates', () => {
    expect(aggregates.some((a) => isSpanning(createAccumulator(a)))).toBe(true);
  });

  it("'single' within its budget is exactly HashAggregateExec (complete), without spilling", async () => {
    const s = space();
    const a = new SpillingAggregate('single', groupBy, aggregates, types, { memoryBytes: 1 << 30, spill: s, cancel: null });
    const out = await run(a, batches);
    const want = complete(batches);
    expect(a.outputTypes).toEqual(want.types);
    expect(rowsOf(out, a.outputTypes)).toEqual(want.rows);
    expect(a.bytesSpilled).toBe(0);
    expect(a.partitioned).toBe(false);
    expect(filesIn(s.dir)).toEqual([]);
  });

  it("'single' past its budget partitions to disk (re-partitioning runs still too big) and gives the same groups", async () => {
    const s = space();
    const a = new SpillingAggregate('single', groupBy, aggregates, types, { memoryBytes: 30000, spill: s, cancel: null });
    const out = await run(a, batches);
    expect(a.partitioned).toBe(true);
    expect(a.bytesSpilled).toBeGreaterThan(0);
    expect(s.bytesSpilled).toBe(a.bytesSpilled);
    // Some runs were still too big and were split again.
    expect(a.levels).toBeGreaterThanOrEqual(2);
    // Each run's file is deleted once merged.
    expect(filesIn(s.dir)).toEqual([]);
    expect(s.bytesOnDisk).toBe(0);
    const want = complete(batches);
    const got = rowsOf(out, a.outputTypes);
    expect(got.length).toBe(want.rows.length);
    expect(multiset(got)).toEqual(multiset(want.rows as never));
    await s.close();
    expect(filesIn(s.dir)).toEqual([]);
  });

  it("'partial' flushes its table past the budget (groups repeat across flushes), and 'final' past its budget merges them right", async () => {
    const s = space();
    const partial = new SpillingAggregate('partial', groupBy, aggregates, types, { memoryBytes: 30000, spill: s, cancel: null });
    const states: Batch[] = [];
    for (const b of batches) {
      await partial.add(b);
      states.push(...partial.takeFlushed());
    }
    expect(states.length).toBeGreaterThan(1);
    expect(partial.bytesSpilled).toBe(0);
    states.push(...(await collect(partial.finish())));
    const groupsInStates = rowsOf(states, partial.outputTypes).length;
    expect(groupsInStates).toBeGreaterThan(complete(batches).rows.length);

    const final = new SpillingAggregate('final', groupBy, aggregates, partial.outputTypes, { memoryBytes: 30000, spill: s, cancel: null });
    const out = await run(final, states);
    expect(final.partitioned).toBe(true);
    expect(final.bytesSpilled).toBeGreaterThan(0);
    expect(multiset(rowsOf(out, final.outputTypes))).toEqual(multiset(complete(batches).rows as never));

    const inMemory = new SpillingAggregate('final', groupBy, aggregates, partial.outputTypes, { memoryBytes: 1 << 30, spill: s, cancel: null });
    const exact = new HashAggregateExec(groupBy, aggregates, 'final');
    for (const st of states) exact.consume(st);
    expect(rowsOf(await run(inMemory, states), inMemory.outputTypes)).toEqual(rowsOf([exact.finish().batch], exact.outputTypes));
    expect(inMemory.bytesSpilled).toBe(0);
    await s.close();
  });

  it("'partial' flushes that nobody takes wait on disk and still all come out of finish", async () => {
    const s = space();
    const partial = new SpillingAggregate('partial', groupBy, aggregates, types, { memoryBytes: 30000, spill: s, cancel: null });
    const states = await run(partial, batches);
    expect(partial.bytesSpilled).toBeGreaterThan(0);
    const final = new SpillingAggregate('final', groupBy, aggregates, partial.outputTypes, { memoryBytes: 1 << 30, spill: s, cancel: null });
    expect(multiset(rowsOf(await run(final, states), final.outputTypes))).toEqual(multiset(complete(batches).rows as never));
    await s.close();
  });

  it('without GROUP BY it never spills and answers one row, also for empty input', async () => {
    const s = space();
    const a = new SpillingAggregate('single', [], aggregates, types, { memoryBytes: 1, spill: s, cancel: null });
    expect(rowsOf(await run(a, batches), a.outputTypes)).toEqual(complete(batches, []).rows);
    expect(a.bytesSpilled).toBe(0);
    const empty = new SpillingAggregate('single', [], aggregates, types, { memoryBytes: 1, spill: s, cancel: null });
    expect(rowsOf(await run(empty, []), empty.outputTypes)).toEqual(complete([], []).rows);
  });

  it('fails with 53200 past the spill disk budget', async () => {
    const s = space(5000);
    const a = new SpillingAggregate('single', groupBy, aggregates, types, { memoryBytes: 30000, spill: s, cancel: null });
    await expect(run(a, batches)).rejects.toMatchObject({ name: 'ResourceError', sqlState: '53200', message: expect.stringMatching(/FIRN_QUERY_SPILL_BYTES/) });
    await s.close();
    expect(filesIn(s.dir)).toEqual([]);
  });

  it('stops with the cancel error once the statement is canceled, also while merging spilled runs', async () => {
    const s = space();
    const cancel = CancelFlag.create();
    const a = new SpillingAggregate('single', groupBy, aggregates, types, { memoryBytes: 30000, spill: s, cancel });
    for (const b of batches) await a.add(b);
    expect(a.partitioned).toBe(true);
    const it = a.finish();
    await it.next();
    cancel.cancel(CancelReason.CLIENT);
    await expect(collect(it)).rejects.toMatchObject({ codeName: 'CANCELED', sqlState: '57014' });
    await s.close();
  });
});
