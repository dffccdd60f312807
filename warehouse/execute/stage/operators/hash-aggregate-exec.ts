/**
 * hash_aggregate_exec: PARTIAL (raw rows to partial states), FINAL (partial states of
 * whole groups to results) or SINGLE (raw rows to results) hash aggregation through
 * SpillingAggregate within the operator's memory share (spilling past it). Input batches
 * stream in; a PARTIAL aggregate passes on the partial states it flushes as they come (its
 * table filled its share), and every phase answers the rest at the end, in bounded batches.
 */
import { recycleTransient } from '../../batch/array-pool.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { SpillingAggregate } from '../../spill/spilling-aggregate.js';
import { bounded } from '../bounded.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function hashAggregateExec(node: Extract<ExecNode, { kind: 'hash_aggregate_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  const agg = new SpillingAggregate(node.phase, node.groupBy, node.aggregates, input.node.types, { memoryBytes: ctx.memory.share, spill: ctx.spill, cancel: ctx.cancel });
  return {
    async *run() {
      for await (const b of input.batches()) {
        await agg.add(b);
        recycleTransient(b);
        for (const flushed of agg.takeFlushed()) yield* bounded(flushed);
      }
      yield* agg.finish();
    },
    bytesSpilled: () => agg.bytesSpilled,
  };
}
