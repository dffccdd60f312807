/**
 * The window operator: buffers its input batches, and at the end appends one column per
 * window call to the input rows (evaluate-windows.ts computes them over all rows at once,
 * since a partition may span batches).
 *
 * Contract: call `consume` once per batch (columns laid out as `inputTypes`), then `finish`
 * once. The output batch holds the input columns, in input row order, then the calls'
 * results; `outputTypes` describes it. Expressions in the calls refer to input columns.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { WindowCall } from '../../fragment/window-call.js';
import { concatBatches } from '../batch/concat-batches.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { evaluateWindows } from './evaluate-windows.js';

export class WindowExec {
  readonly outputTypes: DataType[];
  private batches: Batch[] = [];
  private finished = false;

  constructor(
    readonly inputTypes: readonly DataType[],
    readonly calls: readonly WindowCall[],
    private readonly evaluate: ExprEvaluator = evaluateExpr,
  ) {
    this.outputTypes = [...inputTypes, ...calls.map((c) => c.type)];
  }

  consume(batch: Batch): void {
    if (this.finished) throw new InternalError('WindowExec.consume after finish');
    if (batch.columns.length !== this.inputTypes.length) {
      throw new InternalError(`window input batch has ${batch.columns.length} columns, expected ${this.inputTypes.length}`);
    }
    if (batch.length > 0) this.batches.push(batch);
  }

  finish(): Batch {
    if (this.finished) throw new InternalError('WindowExec.finish called twice');
    this.finished = true;
    const input = concatBatches(this.inputTypes, this.batches);
    this.batches = [];
    const windows = evaluateWindows(input, this.calls, this.evaluate);
    return { length: input.length, columns: [...input.columns, ...windows] };
  }
}
