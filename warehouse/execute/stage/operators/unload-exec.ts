/**
 * unload_exec: writes its input as files into a stage (COPY INTO @stage) and answers no rows;
 * the files written go to the task's reply (`unloaded`). A thin adapter over
 * warehouse/unload/unload-files.ts, which streams (one file's worth held at a time).
 */
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { unloadFiles } from '../../../unload/unload-files.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function unloadExec(node: Extract<ExecNode, { kind: 'unload_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      ctx.unloaded.push(...(await unloadFiles(input.batches(), node.columns, node.target, ctx.task.task)));
    },
  };
}
