/**
 * Runs one task of one stage in a warehouse worker: builds the stage's operator tree
 * (build-operator.ts), pulls its root's batches and hands each to the stage's output:
 *  - 'result': straight to the coordinator through `task.resultPort` (result-stream.ts: at
 *    most RESULT_BATCHES_IN_FLIGHT batches in flight, then 'done'); the reply has no outputs;
 *  - 'written': nowhere (write_exec, rewrite_exec and unload_exec answer no rows; the reply's
 *    `written` lists the partitions, `removed` and `dml` what a rewrite_exec replaced and
 *    counted, `unloaded` the files an unload_exec wrote);
 *  - otherwise the exchange sink (exchange-sink.ts), whose chunks are the reply's `outputs`.
 * Runtime-filter key summaries are taken over the root's batches on the way.
 *
 * Contract: resolves with the reply and the ArrayBuffers to transfer with it (every
 * in-memory chunk owns its buffer, so each moves without a copy; broadcast chunks live in
 * one SharedArrayBuffer and need no transfer); rejects with the operators' FirnError (53200
 * past the memory or spill budget, the statement's cancel error once it is canceled). The
 * task's spill files of spilling operators are removed when it ends (SpillSpace.close);
 * exchange spill files stay for the consumer (services removes the statement's spill
 * directory when the statement ends). `env.cancel` is active (CancelFlag.checkpoint) for
 * the whole run, in the task's own async context (CancelFlag.runTask): tasks of other
 * statements running on the same thread check their own flags.
 */
import type { ObjectStore } from '../../../storage/object-store/object-store.js';
import type { ColumnCache } from '../../cache/column-cache.js';
import { CancelFlag } from '../../cancel/cancel-flag.js';
import type { ScanStats } from '../../fragment/fragment.js';
import type { ExchangeChunk, StageTask, StageTaskReply } from '../../fragment/stage-plan.js';
import { InternalError } from '../../../storage/errors/firn-error.js';
import { SpillSpace } from '../spill/spill-space.js';
import { buildOperator } from './build-operator.js';
import { ExchangeSink } from './exchange-sink.js';
import { KeySummaries } from './key-summary.js';
import type { TaskContext } from './operator.js';
import { ResultSender } from './result-sender.js';
import { TaskMemory } from './task-memory.js';

export type StageTaskEnv = { cache: ColumnCache; store: ObjectStore; cancel: CancelFlag | null };

export function runStageTask(task: StageTask, env: StageTaskEnv): Promise<{ reply: StageTaskReply; transfer: ArrayBuffer[] }> {
  return CancelFlag.runTask(env.cancel, () => runTask(task, env));
}

async function runTask(task: StageTask, env: StageTaskEnv): Promise<{ reply: StageTaskReply; transfer: ArrayBuffer[] }> {
  const stage = task.stage;
  const stats: ScanStats = { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0 };
  const memory = new TaskMemory(task.memoryBytes, stage.root);
  const spill = new SpillSpace(task.spillDir, task.spillBytes);
  const ctx: TaskContext = { task, cache: env.cache, store: env.store, cancel: env.cancel, stats, memory, spill, written: [], removed: [], dml: { inserted: 0, updated: 0, deleted: 0, multiJoined: 0 }, unloaded: [] };
  try {
    env.cancel?.check();
    const root = buildOperator(stage.root, ctx);
    const keys = new KeySummaries(stage.runtimeFilters.map((f) => f.key));
    const filtered = stage.runtimeFilters.length > 0;
    let outputs: ExchangeChunk[][] = [];
    let transfer: ArrayBuffer[] = [];
    if (stage.output.kind === 'result') {
      if (!task.resultPort) throw new InternalError('a result stage task needs its result port');
      const sender = new ResultSender(task.resultPort, stage.root.types, env.cancel);
      try {
        for await (const b of root.batches()) {
          if (filtered) keys.add(b);
          await sender.send(b);
        }
        sender.done();
      } finally {
        sender.close();
      }
    } else {
      const sink = new ExchangeSink({
        output: stage.output,
        types: stage.root.types,
        consumerTasks: task.consumerTasks,
        task: task.task,
        memoryBytes: memory.share,
        spill,
        spillPrefix: `${task.queryId}-s${stage.id}-t${task.task}`,
      });
      for await (const b of root.batches()) {
        if (filtered) keys.add(b);
        await sink.add(b);
      }
      ({ outputs, transfer } = await sink.finish());
    }
    const reply: StageTaskReply = {
      outputs,
      stats,
      profile: root.profile(stage.id, task.task),
      bytesSpilled: spill.bytesSpilled,
      keySummaries: keys.summaries(),
      written: ctx.written,
      removed: ctx.removed,
      dml: ctx.dml,
      unloaded: ctx.unloaded,
    };
    return { reply, transfer };
  } finally {
    await spill.close();
  }
}
