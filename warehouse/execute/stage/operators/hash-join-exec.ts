/**
 * hash_join_exec: builds `spec.buildSide`'s input in full (GraceHashJoin, within the
 * operator's memory share: spilling past it), then probes with the other input batch by
 * batch, passing each probe's output on as it comes, then the rows only the end of the probe
 * side decides (unmatched build rows of outer joins, left-built SEMI/ANTI/MARK rows).
 */
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { GraceHashJoin } from '../../spill/grace-hash-join.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function hashJoinExec(node: Extract<ExecNode, { kind: 'hash_join_exec' }>, left: Operator, right: Operator, ctx: TaskContext): OperatorBody {
  const join = new GraceHashJoin(node.spec, { memoryBytes: ctx.memory.share, spill: ctx.spill, cancel: ctx.cancel });
  const [build, probe] = node.spec.buildSide === 'left' ? [left, right] : [right, left];
  return {
    async *run() {
      for await (const b of build.batches()) await join.build(b);
      await join.finishBuild();
      for await (const b of probe.batches()) yield* join.probe(b);
      yield* join.finish();
    },
    bytesSpilled: () => join.bytesSpilled,
  };
}
