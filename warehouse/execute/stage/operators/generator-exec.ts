/**
 * generator_exec: the rows of TABLE(GENERATOR(ROWCOUNT => n [, TIMELIMIT => s])), made in the
 * warehouse. Its one column is the row ordinal (0, 1, 2, ...) as an exact NUMBER(18,0) in an
 * f64 vector; SEQn() and RANDOM(seed) are computed from it by the project above, so their
 * values depend on the ordinal only, never on which task made the row.
 *
 * Contract: ordinals are cut into blocks of `blockRows`; task t of the stage's `tasks` answers
 * blocks t, t + tasks, t + 2·tasks, ... in increasing order, one batch per block, so every
 * ordinal below the row count appears exactly once over all tasks, and memory stays one batch.
 * With a time limit, a task stops before starting a block once the limit has passed since it
 * began (as in Snowflake, how many rows that makes depends on the machine). Cancellation is
 * checked by the Operator wrapper after every batch.
 */
import type { ExecNode } from '../../../fragment/stage-plan.js';
import type { Batch } from '../../../../storage/types/vector.js';
import type { OperatorBody, TaskContext } from '../operator.js';

export function generatorExec(node: Extract<ExecNode, { kind: 'generator_exec' }>, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      yield* generateBlocks(node, ctx.task.task, Math.max(1, ctx.task.stage.tasks));
    },
  };
}

/** The batches of task `task` of `tasks` (exported for the operator's tests). */
export function* generateBlocks(node: Pick<Extract<ExecNode, { kind: 'generator_exec' }>, 'rowCount' | 'timeLimitMs' | 'blockRows'>, task: number, tasks: number): Generator<Batch> {
  const started = Date.now();
  const end = node.rowCount ?? Infinity;
  const size = node.blockRows;
  for (let block = task; block * size < end; block += tasks) {
    if (node.timeLimitMs !== null && Date.now() - started >= node.timeLimitMs) return;
    const lo = block * size;
    const n = Math.min(size, end - lo);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = lo + i;
    yield { length: n, columns: [{ kind: 'f64', length: n, values, nulls: null }] };
  }
}
