/**
 * A whole hash join in one call: build from one input, probe with the other, finish. For
 * callers that hold both inputs already (services-side joins of small results, tests); a
 * pipeline that streams the probe side drives HashJoinExec itself.
 *
 * Contract: `left` and `right` are the batches of the two inputs (spec.left / spec.right
 * column types); the result is every output batch in order (probe output, then finish).
 * The output it keeps counts against spec.memoryBudget as it is produced (MemoryMeter), so
 * a join whose output passes the budget (a large CROSS join) fails with 53200 early.
 */
import type { Batch } from '../../../storage/types/vector.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { MemoryMeter } from '../batch/memory-meter.js';
import { HashJoinExec } from './hash-join-exec.js';
import type { HashJoinSpec } from './join-spec.js';

export function hashJoin(spec: HashJoinSpec, left: Iterable<Batch>, right: Iterable<Batch>, evaluate: ExprEvaluator = evaluateExpr): Batch[] {
  const exec = new HashJoinExec(spec, evaluate);
  const buildLeft = spec.buildSide === 'left';
  for (const b of buildLeft ? left : right) exec.build(b);
  exec.finishBuild();
  const meter = new MemoryMeter(spec.memoryBudget ?? Number.POSITIVE_INFINITY, `${spec.name ?? `${spec.type} join`} output`);
  const out: Batch[] = [];
  const keep = (o: Batch): void => {
    meter.add(o);
    out.push(o);
  };
  for (const p of buildLeft ? right : left) for (const o of exec.probe(p)) keep(o);
  for (const o of exec.finish()) keep(o);
  return out;
}
