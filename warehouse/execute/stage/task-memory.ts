/**
 * The task's memory budget (StageTask.memoryBytes), shared by every operator that holds
 * state (sort, aggregate, join build, window, top-N, non-ALL set operation, mark joins,
 * write input, a DML's rewrite) and the exchange sink's buffers. The budget is split evenly up front: each
 * holder gets memoryBytes / holders, so the task as a whole never holds more than its
 * budget, and a spilling operator spills (a non-spilling one fails with 53200) past its share.
 */
import type { ExecNode } from '../../fragment/stage-plan.js';

const STATEFUL = new Set<ExecNode['kind']>(['hash_aggregate_exec', 'sort_exec', 'top_n_exec', 'hash_join_exec', 'mark_join_exec', 'mark_combine_exec', 'window_exec', 'set_op_exec', 'write_exec', 'rewrite_exec', 'unload_exec']);

export class TaskMemory {
  /** Bytes each state holder (operator or the exchange sink) may hold. */
  readonly share: number;

  constructor(
    readonly budget: number,
    root: ExecNode,
  ) {
    this.share = Math.max(1, Math.floor(budget / (countStateful(root) + 1)));
  }
}

function countStateful(node: ExecNode): number {
  return (STATEFUL.has(node.kind) ? 1 : 0) + execInputs(node).reduce((s, n) => s + countStateful(n), 0);
}

/** A node's inputs, in the order the node reads them. */
export function execInputs(node: ExecNode): ExecNode[] {
  switch (node.kind) {
    case 'scan_exec':
    case 'values_exec':
    case 'batches_exec':
    case 'generator_exec':
    case 'exchange_source_exec':
      return [];
    case 'hash_join_exec':
    case 'mark_join_exec':
    case 'set_op_exec':
      return [node.left, node.right];
    case 'mark_combine_exec':
      return [node.left, node.marks];
    default:
      return [node.input];
  }
}
