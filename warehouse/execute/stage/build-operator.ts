/** The operator tree of a stage: one Operator per ExecNode, its inputs built first. */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { ExecNode } from '../../fragment/stage-plan.js';
import { Operator, type OperatorBody, type TaskContext } from './operator.js';
import { execInputs } from './task-memory.js';
import { exchangeSourceExec } from './operators/exchange-source-exec.js';
import { filterExec } from './operators/filter-exec.js';
import { hashAggregateExec } from './operators/hash-aggregate-exec.js';
import { hashJoinExec } from './operators/hash-join-exec.js';
import { limitExec } from './operators/limit-exec.js';
import { markCombineExec } from './operators/mark-combine-exec.js';
import { markJoinExec } from './operators/mark-join-exec.js';
import { projectExec } from './operators/project-exec.js';
import { rewriteExec } from './operators/rewrite-exec.js';
import { scanExec } from './operators/scan-exec.js';
import { setOpExec } from './operators/set-op-exec.js';
import { sortExec } from './operators/sort-exec.js';
import { topNExec } from './operators/top-n-exec.js';
import { valuesExec } from './operators/values-exec.js';
import { batchesExec } from './operators/batches-exec.js';
import { generatorExec } from './operators/generator-exec.js';
import { splitToTableExec } from './operators/split-to-table-exec.js';
import { flattenExec } from './operators/flatten-exec.js';
import { nextvalExec } from './operators/nextval-exec.js';
import { windowExec } from './operators/window-exec.js';
import { unloadExec } from './operators/unload-exec.js';
import { writeExec } from './operators/write-exec.js';

export function buildOperator(node: ExecNode, ctx: TaskContext): Operator {
  const inputs = execInputs(node).map((n) => buildOperator(n, ctx));
  return new Operator(node, inputs, body(node, inputs, ctx), ctx.cancel);
}

function body(node: ExecNode, [a, b]: Operator[], ctx: TaskContext): OperatorBody {
  switch (node.kind) {
    case 'scan_exec':
      return scanExec(node, ctx);
    case 'values_exec':
      return valuesExec(node, ctx);
    case 'batches_exec':
      return batchesExec(node, ctx);
    case 'generator_exec':
      return generatorExec(node, ctx);
    case 'split_to_table_exec':
      return splitToTableExec(node, a, ctx);
    case 'flatten_exec':
      return flattenExec(node, a, ctx);
    case 'nextval_exec':
      return nextvalExec(node, a, ctx);
    case 'exchange_source_exec':
      return exchangeSourceExec(node, ctx);
    case 'filter_exec':
      return filterExec(node, a);
    case 'project_exec':
      return projectExec(node, a);
    case 'hash_join_exec':
      return hashJoinExec(node, a, b, ctx);
    case 'mark_join_exec':
      return markJoinExec(node, a, b, ctx);
    case 'mark_combine_exec':
      return markCombineExec(node, a, b, ctx);
    case 'hash_aggregate_exec':
      return hashAggregateExec(node, a, ctx);
    case 'sort_exec':
      return sortExec(node, a, ctx);
    case 'top_n_exec':
      return topNExec(node, a, ctx);
    case 'limit_exec':
      return limitExec(node, a);
    case 'window_exec':
      return windowExec(node, a, ctx);
    case 'set_op_exec':
      return setOpExec(node, a, b, ctx);
    case 'write_exec':
      return writeExec(node, a, ctx);
    case 'rewrite_exec':
      return rewriteExec(node, a, ctx);
    case 'unload_exec':
      return unloadExec(node, a, ctx);
    default:
      throw new InternalError(`unknown operator ${(node as { kind: string }).kind}`);
  }
}
