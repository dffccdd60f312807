/**
 * nextval_exec: seq.NEXTVAL per input row, batch by batch, in the stage of its input. For each
 * batch it asks services, through the task's `sequences` port (sequence-values.ts), for as many
 * values of each of its columns' sequences as the batch has rows, in one request, and fills the
 * columns from the blocks it gets: row i of a column takes first + i * increment.
 *
 * Why the workers ask, per batch: how many rows reach this operator is known only as they come
 * (filters, joins), so services cannot reserve a statement's values before it runs; and asking for
 * exactly a batch's worth, never more, leaves no values cached in a task to be lost when it ends,
 * so a statement running alone gets consecutive values (one catalog transaction per batch).
 *
 * Contract: outputs the input's columns unchanged, then one NUMBER(38,0) column per entry of
 * `sequences`, never NULL. Values are unique across every task and statement (services reserves
 * them in the catalog), not gap-free. A column whose block stays within 2^53 is an 'f64' vector
 * (the common case), else a 'dec' vector of BigInts. An empty batch asks for nothing.
 */
import { InternalError } from '../../../../storage/errors/firn-error.js';
import { MAX_EXACT, type Batch, type Vector } from '../../../../storage/types/vector.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { sequenceValuesThrough, type ValuesBlock } from '../../../fragment/sequence-values.js';
import { isTransient, markTransient } from '../../batch/array-pool.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function nextvalExec(node: Extract<ExecNode, { kind: 'nextval_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      const port = ctx.task.sequences;
      if (!port) throw new InternalError('a nextval_exec task needs its sequences port');
      const reserve = sequenceValuesThrough(port);
      for await (const b of input.batches()) {
        const blocks = b.length === 0 ? node.sequences.map(() => ({ first: 0n, increment: 1n })) : await reserve(node.sequences.map((sequence) => ({ sequence, count: b.length })));
        const out: Batch = { length: b.length, columns: [...b.columns, ...blocks.map((k) => sequenceVector(k, b.length))] };
        yield isTransient(b) ? markTransient(out) : out;
      }
    },
  };
}

/** `n` values of a block as a NUMBER(38,0) vector (exported for tests). */
export function sequenceVector(block: ValuesBlock, n: number): Vector {
  const last = block.first + BigInt(Math.max(0, n - 1)) * block.increment;
  const exact = (v: bigint) => v <= BigInt(MAX_EXACT) && v >= -BigInt(MAX_EXACT);
  if (exact(block.first) && exact(last) && exact(block.increment)) {
    // The simple version: values[i] = Number(first + i * increment), without a BigInt per row.
    // Each sum is an integer within 2^53 of exact operands, so it is exact.
    const values = new Float64Array(n);
    const step = Number(block.increment);
    let v = Number(block.first);
    for (let i = 0; i < n; i++, v += step) values[i] = v;
    return { kind: 'f64', length: n, values, nulls: null };
  }
  const values: bigint[] = new Array<bigint>(n);
  let v = block.first;
  for (let i = 0; i < n; i++, v += block.increment) values[i] = v;
  return { kind: 'dec', length: n, values, nulls: null };
}
