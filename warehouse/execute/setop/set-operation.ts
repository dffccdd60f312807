/**
 * Set operations over batches: UNION ALL, UNION, INTERSECT and EXCEPT (MINUS), with SQL set
 * semantics: two rows are the same row when every column is equal or both NULL.
 *
 * Contract: both inputs have the column layout `types` (the binder casts both sides to the
 * common types first; a NUMBER column may still arrive as 'f64' on one side and 'dec' on
 * the other, and string dictionaries may differ). UNION ALL concatenates. UNION, INTERSECT
 * and EXCEPT return distinct rows: UNION every row of either input, INTERSECT the left rows
 * that also occur on the right, EXCEPT those that do not, each once, in order of first
 * appearance (left input first); the row kept is the first occurrence. Snowflake has no
 * INTERSECT ALL or EXCEPT ALL ("Set operators",
 * https://docs.snowflake.com/en/sql-reference/operators-query: `{ INTERSECT | { MINUS |
 * EXCEPT } | UNION [ ALL ] }`), so those are a NotSupportedError. Row identity comes from
 * the aggregate module's GroupKeyTable (per-column interning, then a tuple hash): equal
 * values are equal whatever their physical form, NUMBER -0 equals 0 and NaN equals NaN.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import { GroupKeyTable } from '../aggregate/group-key-table.js';
import { concatBatches } from '../batch/concat-batches.js';
import { gatherBatch } from '../batch/gather-batch.js';

export const SetOp = { UNION: 'union', INTERSECT: 'intersect', EXCEPT: 'except' } as const;
export type SetOp = (typeof SetOp)[keyof typeof SetOp];

export function setOperation(op: SetOp, all: boolean, leftBatches: readonly Batch[], rightBatches: readonly Batch[], types: readonly DataType[]): Batch {
  if (op === 'union' && all) return concatBatches(types, [...leftBatches, ...rightBatches]);
  if (all) throw new NotSupportedError(`${op.toUpperCase()} ALL`);
  const table = new GroupKeyTable(types);
  if (op === 'union') {
    const rows = concatBatches(types, [...leftBatches, ...rightBatches]);
    const gids = assign(table, rows);
    return gatherBatch(rows, firstOccurrences(gids, () => true));
  }
  const left = concatBatches(types, leftBatches);
  const leftGids = assign(table, left);
  const leftGroups = table.size;
  const right = concatBatches(types, rightBatches);
  const rightGids = assign(table, right);
  // onRight[g] = 1 when left group g also occurs in the right input.
  const onRight = new Uint8Array(leftGroups);
  for (let i = 0; i < right.length; i++) {
    const g = rightGids[i];
    if (g < leftGroups) onRight[g] = 1;
  }
  const want = op === 'intersect' ? 1 : 0;
  return gatherBatch(left, firstOccurrences(leftGids, (g) => onRight[g] === want));
}

function assign(table: GroupKeyTable, batch: Batch): Int32Array {
  const gids = new Int32Array(batch.length);
  if (batch.length > 0) table.assign(batch.columns, batch.length, gids);
  return gids;
}

/**
 * Rows that are the first occurrence of their group (group ids are dense in order of first
 * appearance, so row i is one exactly when its id is the next unseen one) and pass `keep`.
 */
function firstOccurrences(gids: Int32Array, keep: (g: number) => boolean): Int32Array {
  const sel = new Int32Array(gids.length);
  let seen = 0;
  let k = 0;
  for (let i = 0; i < gids.length; i++) {
    const g = gids[i];
    if (g !== seen) continue;
    seen++;
    if (keep(g)) sel[k++] = i;
  }
  return sel.subarray(0, k);
}
