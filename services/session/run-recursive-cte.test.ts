import { describe, expect, it } from 'vitest';
import { FirnError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';
import type { LogicalPlan, RecursiveUnionNode } from '../plan/logical-plan.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import { MAX_RECURSIONS, runRecursiveCte, type RowsRun } from './run-recursive-cte.js';

const columns: Column[] = [{ name: 'N', type: Types.number(38, 0), nullable: true }];
const batch = (...ns: number[]): Batch => rowsToBatch(columns, ns.map((n) => [BigInt(n)]));
const values = (batches: Batch[]): number[] => batches.flatMap((b) => Array.from({ length: b.length }, (_, i) => Number(scalarAt(b.columns[0], i, columns[0].type))));

/** A recursive CTE whose anchor is `start` and whose step the fake run computes. */
function cte(...start: number[]): RecursiveUnionNode {
  return {
    kind: 'recursive_union',
    name: 'R',
    anchor: { kind: 'batches', columns, batches: [batch(...start)] },
    recursive: { kind: 'filter', input: { kind: 'working_table', name: 'R', columns }, predicate: { kind: 'literal', value: true, type: Types.boolean } },
    columns,
  };
}

/**
 * A warehouse stand-in: the anchor answers its batches; a step answers n + 1 for each row of its
 * working table with n < stop. It records the working table rows each step read.
 */
function fakeRun(stop: number, budget = 1 << 30): { run: RowsRun; seen: number[][] } {
  const seen: number[][] = [];
  const run: RowsRun = async (plan: LogicalPlan) => {
    if (plan.kind === 'batches') return { batches: [...plan.batches], budget };
    if (plan.kind !== 'filter' || plan.input.kind !== 'batches' || plan.input.source?.kind !== 'working_table') throw new Error(`unexpected plan ${plan.kind}`);
    const previous = values([...plan.input.batches]);
    seen.push(previous);
    const next = previous.filter((n) => n < stop).map((n) => n + 1);
    return { batches: next.length > 0 ? [batch(...next)] : [], budget };
  };
  return { run, seen };
}

describe('runRecursiveCte', () => {
  it("answers the anchor's rows, then each run's, each run reading only the rows of the run before", async () => {
    const { run, seen } = fakeRun(4);
    const prepared: string[] = [];
    const rows = await runRecursiveCte(cte(1, 3), (p) => (prepared.push(p.kind), p), run, () => {});
    expect(values(rows)).toEqual([1, 3, 2, 4, 3, 4]);
    expect(seen).toEqual([[1, 3], [2, 4], [3], [4]]);
    // Each plan is made ready once, however often the step runs.
    expect(prepared).toEqual(['batches', 'filter']);
  });

  it(`lets the recursive clause run ${MAX_RECURSIONS} times, the last one returning nothing`, async () => {
    const { run, seen } = fakeRun(MAX_RECURSIONS);
    const rows = await runRecursiveCte(cte(1), (p) => p, run, () => {});
    expect(values(rows)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(seen).toHaveLength(MAX_RECURSIONS);
  });

  it('fails with RECURSION_LIMIT_EXCEEDED (390208 / 54000) when its last allowed run still returned rows', async () => {
    const { run, seen } = fakeRun(MAX_RECURSIONS + 1);
    const err = await runRecursiveCte(cte(1), (p) => p, run, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FirnError);
    const e = err as FirnError;
    expect([e.codeName, e.code, e.sqlState, e.message]).toEqual([
      'RECURSION_LIMIT_EXCEEDED',
      '390208',
      '54000',
      "Recursion exceeded max iteration count (100) in the recursive common table expression 'R'",
    ]);
    expect(seen).toHaveLength(MAX_RECURSIONS);
  });

  it("holds each run's bytes out of the memory budget, and fails with RESOURCE_EXHAUSTED past what is left", async () => {
    const held: number[] = [];
    const ok = fakeRun(3);
    await runRecursiveCte(cte(1), (p) => p, ok.run, (bytes) => held.push(bytes));
    expect(held).toEqual([batchBytes(batch(1)), batchBytes(batch(2)), batchBytes(batch(3)), 0]);

    const tight = fakeRun(1000, batchBytes(batch(1)) - 1);
    const err = (await runRecursiveCte(cte(1), (p) => p, tight.run, () => {}).catch((e: unknown) => e)) as FirnError;
    expect([err.codeName, err.sqlState]).toEqual(['RESOURCE_EXHAUSTED', '53200']);
    expect(err.message).toContain("recursive common table expression 'R'");
  });
});
