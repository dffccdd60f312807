/**
 * mark_combine_exec: combines the marks of the mark_join_exec tasks over the same left rows
 * with three-valued OR (TRUE wins, then NULL), then keeps the left rows by their mark: SEMI
 * the TRUE rows, ANTI and NULL_AWARE_ANTI the FALSE rows; MARK and NULL_AWARE_MARK keep
 * every row and append the mark. `marks` streams each task's marks (left.length rows per
 * task, possibly cut into several batches by the exchange); row i of any run marks left row
 * i. The left rows are held whole (metered against the operator's memory share).
 */
import type { Batch, BoolVector } from '../../../../storage/types/vector.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { filterBatch } from '../../batch/filter-batch.js';
import { bounded, collect } from '../bounded.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

const NONE = 0;
const UNKNOWN = 1;
const MATCH = 2;

export function markCombineExec(node: Extract<ExecNode, { kind: 'mark_combine_exec' }>, left: Operator, marks: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      const rows = await collect(left, left.node.types, ctx.memory.share, 'Semi-join rows');
      const n = rows.length;
      const state = new Uint8Array(n);
      let at = 0;
      for await (const b of marks.batches()) {
        if (n === 0) continue;
        const m = b.columns[0] as BoolVector;
        // Simple version: state[i] = max(state[i], mark of row j), i = (at + j) mod n.
        for (let j = 0; j < b.length; j++) {
          const s = m.nulls !== null && m.nulls[j] ? UNKNOWN : m.values[j] ? MATCH : NONE;
          if (s > state[at]) state[at] = s;
          if (++at === n) at = 0;
        }
      }
      if (node.joinType === 'MARK' || node.joinType === 'NULL_AWARE_MARK') {
        const mark: BoolVector = {
          kind: 'bool',
          length: n,
          values: Uint8Array.from(state, (s) => (s === MATCH ? 1 : 0)),
          nulls: state.includes(UNKNOWN) ? Uint8Array.from(state, (s) => (s === UNKNOWN ? 1 : 0)) : null,
        };
        yield* bounded({ length: n, columns: [...rows.columns, mark] } satisfies Batch);
        return;
      }
      const want = node.joinType === 'SEMI' ? MATCH : NONE;
      yield* bounded(filterBatch(rows, { kind: 'bool', length: n, values: Uint8Array.from(state, (s) => (s === want ? 1 : 0)), nulls: null }));
    },
  };
}
