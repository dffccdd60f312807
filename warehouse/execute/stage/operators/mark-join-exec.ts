/**
 * mark_join_exec: one task's part of a SEMI/ANTI/MARK join whose small left input was
 * broadcast. The left rows are built, this task's right rows probe them, and the answer is
 * ONE column (BOOLEAN) with the mark of every left row, in left order: TRUE when one of
 * this task's right rows matches, NULL when unknown (NOT IN with NULLs), FALSE otherwise.
 * mark_combine_exec ORs the tasks' marks. `spec` is a MARK join with buildSide 'left'.
 */
import type { Batch, Vector } from '../../../../storage/types/vector.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { concatVectors } from '../../batch/concat-batches.js';
import { GraceHashJoin } from '../../spill/grace-hash-join.js';
import { bounded } from '../bounded.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function markJoinExec(node: Extract<ExecNode, { kind: 'mark_join_exec' }>, left: Operator, right: Operator, ctx: TaskContext): OperatorBody {
  const join = new GraceHashJoin(node.spec, { memoryBytes: ctx.memory.share, spill: ctx.spill, cancel: ctx.cancel });
  return {
    async *run() {
      for await (const b of left.batches()) await join.build(b);
      await join.finishBuild();
      for await (const b of right.batches()) {
        // A MARK join built on the left answers nothing per probe batch, only in finish().
        for await (const _ of join.probe(b));
      }
      const marks: Vector[] = [];
      let rows = 0;
      for await (const b of join.finish()) {
        marks.push(b.columns[b.columns.length - 1]);
        rows += b.length;
      }
      const out: Batch = { length: rows, columns: [concatVectors(node.types[0], marks, rows)] };
      yield* bounded(out);
    },
    bytesSpilled: () => join.bytesSpilled,
  };
}
