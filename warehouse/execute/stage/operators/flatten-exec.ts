/**
 * flatten_exec: FLATTEN(INPUT => expr, PATH, OUTER, RECURSIVE, MODE) per input row, batch by
 * batch, in the stage of its input (a correlated table function: the lateral join of each row
 * with the elements of its compound).
 *
 * Contract: for each input row, the value at `path` in `expr` (the value itself for '') is
 * expanded when it is an OBJECT (mode OBJECT or BOTH) or an ARRAY (mode ARRAY or BOTH): one
 * output row per member / element, in order (object members in key order, SQL NULL array
 * elements skipped, as Snowflake skips `undefined`), each the input row's columns, then
 * SEQ, KEY (the member's key; NULL for array elements), PATH (from the input value: `path`,
 * then `.key` or `['key']` per member and `[i]` per element), INDEX (the element's 0-based
 * index; NULL for members), VALUE (the element) and THIS (the compound expanded). With
 * `recursive`, each element is followed by the expansion of its own value, depth first
 * (pre-order), as far as `mode` allows. A row whose value expands to nothing (SQL NULL, path
 * not found, a scalar, a compound of another mode, an empty compound) has no output, or with
 * `outer` one row: KEY, INDEX and VALUE NULL, PATH `path`, THIS the value found (NULL when
 * none). SEQ is the same for all elements of one input row and unique within the statement:
 * task t of T numbers its k-th input row (from 0) k * T + t + 1. Output batches hold at most
 * STAGE_BATCH_ROWS rows (one row's elements may span batches).
 */
import type { Batch, StrVector } from '../../../../storage/types/vector.js';
import { arrayElements, getPath, objectEntries, parsePath } from '../../../../storage/types/variant-json.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { gatherBatch } from '../../batch/gather-batch.js';
import { evaluateExpr } from '../../evaluate-expr.js';
import { strVectorFromRows } from '../../functions/vector-kit.js';
import { STAGE_BATCH_ROWS, type Operator, type OperatorBody, type TaskContext } from '../operator.js';

type FlattenSpec = Pick<Extract<ExecNode, { kind: 'flatten_exec' }>, 'expr' | 'path' | 'outer' | 'recursive' | 'mode'>;

export function flattenExec(node: Extract<ExecNode, { kind: 'flatten_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      const tasks = Math.max(1, ctx.task.stage.tasks);
      let seen = 0;
      for await (const b of input.batches()) {
        yield* flattenBatch(b, node, (k) => (seen + k) * tasks + ctx.task.task + 1);
        seen += b.length;
      }
    },
  };
}

/** A key as a PATH step: `.key` when it is a plain name, else `['key']`. */
function keyStep(prefix: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(key)) return prefix === '' ? key : `${prefix}.${key}`;
  return `${prefix}['${key.replace(/'/g, "\\'")}']`;
}

/** The output batches of one input batch; `seqOf(i)` is input row i's SEQ (exported for tests). */
export function* flattenBatch(b: Batch, node: FlattenSpec, seqOf: (i: number) => number, maxRows: number = STAGE_BATCH_ROWS): Generator<Batch> {
  const v = evaluateExpr(node.expr, b) as StrVector;
  const steps = node.path === '' ? [] : parsePath(node.path)!;
  const expands = (t: string): boolean => (t[0] === '{' && node.mode !== 'ARRAY') || (t[0] === '[' && node.mode !== 'OBJECT');
  let rows: number[] = [];
  let seq: number[] = [];
  let index: (number | null)[] = [];
  let keys: (string | null)[] = [];
  let paths: (string | null)[] = [];
  let values: (string | null)[] = [];
  let thises: (string | null)[] = [];
  const flush = (): Batch => {
    const n = rows.length;
    const picked = gatherBatch(b, Int32Array.from(rows));
    const indexNulls = index.some((x) => x === null) ? Uint8Array.from(index, (x) => (x === null ? 1 : 0)) : null;
    const out: Batch = {
      length: n,
      columns: [
        ...picked.columns,
        { kind: 'f64', length: n, values: Float64Array.from(seq), nulls: null },
        strVectorFromRows(keys),
        strVectorFromRows(paths),
        { kind: 'f64', length: n, values: Float64Array.from(index, (x) => x ?? 0), nulls: indexNulls },
        strVectorFromRows(values),
        strVectorFromRows(thises),
      ],
    };
    rows = [];
    seq = [];
    index = [];
    keys = [];
    paths = [];
    values = [];
    thises = [];
    return out;
  };
  const pending: Batch[] = [];
  const push = (i: number, q: number, key: string | null, path: string, idx: number | null, value: string | null, self: string | null): void => {
    rows.push(i);
    seq.push(q);
    keys.push(key);
    paths.push(path);
    index.push(idx);
    values.push(value);
    thises.push(self);
    if (rows.length >= maxRows) pending.push(flush());
  };
  /** Emits the elements of compound `t` (at PATH `prefix`), depth first; answers how many. */
  const expand = (i: number, q: number, t: string, prefix: string): number => {
    let emitted = 0;
    const visit = (key: string | null, path: string, idx: number | null, value: string): void => {
      push(i, q, key, path, idx, value, t);
      emitted++;
      if (node.recursive && expands(value)) emitted += expand(i, q, value, path);
    };
    if (t[0] === '{') {
      for (const [key, value] of objectEntries(t)) visit(key, keyStep(prefix, key), null, value);
    } else {
      arrayElements(t).forEach((value, k) => {
        if (value !== 'undefined') visit(null, `${prefix}[${k}]`, k, value);
      });
    }
    return emitted;
  };
  for (let i = 0; i < b.length; i++) {
    const whole = v.nulls && v.nulls[i] ? null : v.dict[v.codes[i]];
    const found = whole === null ? null : getPath(whole, steps);
    const q = seqOf(i);
    const emitted = found !== null && expands(found) ? expand(i, q, found, node.path) : 0;
    if (emitted === 0 && node.outer) push(i, q, null, node.path, null, null, found);
    yield* pending.splice(0);
  }
  if (rows.length > 0) yield flush();
}
