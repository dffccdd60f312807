/**
 * The sorted layout one window specification (PARTITION BY + ORDER BY) imposes on a batch:
 * computed once and shared by every call over the same specification.
 *
 * Contract: rows are numbered by "position" in the sorted order: `perm[p]` is the input row
 * at position p. Partition keys become dense partition ids (GroupKeyTable: NULL is a key
 * like any other, NUMBER -0 equals 0, NaN equals NaN), so the sort is one Int32 compare on
 * the partition id followed by the ORDER BY keys (sort-permutation.ts; stable, so rows tied
 * on every key keep their input order). Partition k holds positions
 * [partitionStarts[k], partitionStarts[k + 1]); the last entry is n. Peers are rows of one
 * partition equal on every ORDER BY key (NULLs equal each other); position p's peer group is
 * [peerStart[p], peerEnd[p]). Without ORDER BY a partition is one peer group.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { I32Vector, Vector } from '../../../storage/types/vector.js';
import { GroupKeyTable } from '../aggregate/group-key-table.js';
import { keyComparator, type SortOrder } from '../sort/row-comparator.js';
import { sortPermutation } from '../sort/sort-permutation.js';

export type WindowLayout = {
  n: number;
  perm: Int32Array;
  partitionStarts: Int32Array;
  peerStart: Int32Array;
  peerEnd: Int32Array;
};

const PARTITION_ORDER: SortOrder = { desc: false, nullsFirst: false };

export function windowLayout(
  partitionKeys: readonly Vector[],
  partitionTypes: readonly DataType[],
  orderKeys: readonly Vector[],
  orders: readonly SortOrder[],
  n: number,
): WindowLayout {
  let pids: Int32Array | null = null;
  const sortKeys: Vector[] = [];
  const sortOrders: SortOrder[] = [];
  if (partitionKeys.length > 0) {
    pids = new Int32Array(n);
    new GroupKeyTable(partitionTypes).assign(partitionKeys, n, pids);
    const pidVector: I32Vector = { kind: 'i32', length: n, values: pids, nulls: null };
    sortKeys.push(pidVector);
    sortOrders.push(PARTITION_ORDER);
  }
  sortKeys.push(...orderKeys);
  sortOrders.push(...orders);
  const perm = sortPermutation(sortKeys, sortOrders, n);

  // Partition and peer-group boundaries: boundary[p] = 1 when position p starts a new group.
  const newPartition = new Uint8Array(n);
  const newPeers = new Uint8Array(n);
  let partitions = n > 0 ? 1 : 0;
  if (n > 0) {
    newPartition[0] = 1;
    newPeers[0] = 1;
  }
  if (pids !== null) {
    for (let p = 1; p < n; p++) {
      if (pids[perm[p]] !== pids[perm[p - 1]]) {
        newPartition[p] = 1;
        newPeers[p] = 1;
        partitions++;
      }
    }
  }
  const equalKeys = orderKeys.map((v, k) => keyComparator(v, orders[k]));
  for (const cmp of equalKeys) {
    for (let p = 1; p < n; p++) if (newPeers[p] === 0 && cmp(perm[p - 1], perm[p]) !== 0) newPeers[p] = 1;
  }

  const partitionStarts = new Int32Array(partitions + 1);
  for (let p = 0, k = 0; p < n; p++) if (newPartition[p] !== 0) partitionStarts[k++] = p;
  partitionStarts[partitions] = n;

  const peerStart = new Int32Array(n);
  const peerEnd = new Int32Array(n);
  for (let p = 0, s = 0; p < n; p++) {
    if (newPeers[p] !== 0) s = p;
    peerStart[p] = s;
  }
  for (let p = n - 1, e = n; p >= 0; p--) {
    peerEnd[p] = e;
    if (newPeers[p] !== 0) e = p;
  }
  return { n, perm, partitionStarts, peerStart, peerEnd };
}
