/**
 * split_to_table_exec: SPLIT_TO_TABLE(string, delimiter) per input row, batch by batch, in the
 * stage of its input (a correlated table function: the lateral join of each row with its parts).
 *
 * Contract: for each input row with a non-NULL string and delimiter, one output row per part of
 * the string split at the delimiter (an empty delimiter or one not found: the whole string; an
 * empty string: one empty part), in order: the input row's columns, then SEQ, INDEX (1-based)
 * and VALUE. SEQ is the same for all parts of one input row and unique within the statement:
 * task t of T numbers its k-th input row (from 0) k * T + t + 1 (Snowflake: "unique, not
 * guaranteed gap-free or ordered"). Output batches hold at most STAGE_BATCH_ROWS rows, except
 * that one input row's parts are never split across batches.
 */
import type { Batch, StrVector } from '../../../../storage/types/vector.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { gatherBatch } from '../../batch/gather-batch.js';
import { evaluateExpr } from '../../evaluate-expr.js';
import { strVectorFromRows } from '../../functions/vector-kit.js';
import { STAGE_BATCH_ROWS, type Operator, type OperatorBody, type TaskContext } from '../operator.js';

export function splitToTableExec(node: Extract<ExecNode, { kind: 'split_to_table_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      const tasks = Math.max(1, ctx.task.stage.tasks);
      let seen = 0;
      for await (const b of input.batches()) {
        yield* splitBatch(b, node, (k) => (seen + k) * tasks + ctx.task.task + 1);
        seen += b.length;
      }
    },
  };
}

/** The output batches of one input batch; `seqOf(i)` is input row i's SEQ (exported for tests). */
export function* splitBatch(b: Batch, node: Pick<Extract<ExecNode, { kind: 'split_to_table_exec' }>, 'string' | 'delimiter'>, seqOf: (i: number) => number): Generator<Batch> {
  const s = evaluateExpr(node.string, b) as StrVector;
  const d = evaluateExpr(node.delimiter, b) as StrVector;
  let rows: number[] = [];
  let seq: number[] = [];
  let index: number[] = [];
  let values: string[] = [];
  const flush = (): Batch => {
    const picked = gatherBatch(b, Int32Array.from(rows));
    const out: Batch = {
      length: rows.length,
      columns: [
        ...picked.columns,
        { kind: 'f64', length: rows.length, values: Float64Array.from(seq), nulls: null },
        { kind: 'f64', length: rows.length, values: Float64Array.from(index), nulls: null },
        strVectorFromRows(values),
      ],
    };
    rows = [];
    seq = [];
    index = [];
    values = [];
    return out;
  };
  for (let i = 0; i < b.length; i++) {
    if ((s.nulls && s.nulls[i]) || (d.nulls && d.nulls[i])) continue;
    const text = s.dict[s.codes[i]];
    const delimiter = d.dict[d.codes[i]];
    const parts = delimiter === '' ? [text] : text.split(delimiter);
    if (rows.length > 0 && rows.length + parts.length > STAGE_BATCH_ROWS) yield flush();
    const q = seqOf(i);
    for (let k = 0; k < parts.length; k++) {
      rows.push(i);
      seq.push(q);
      index.push(k + 1);
      values.push(parts[k]);
    }
  }
  if (rows.length > 0) yield flush();
}
