/**
 * The build side of a hash join: its batches, each row's key id, and the chains that link
 * the rows of one key id, all on typed arrays, with the bytes they hold counted against the
 * join's memory budget.
 *
 * Contract: call `add` once per build batch, then `seal` once. Keys are numbered by
 * JoinKeyIds (NULL_KEY for rows with a NULL key) from the vectors `keysOf` / `inKeyOf`
 * compute: per batch as it comes, except integer keys (JoinKeyIds.holdsUntilSeal), which
 * are computed once over the whole build side at seal, so key columns are never copied
 * (until then they count 4 bytes a row, the ids seal makes). After seal, `batch` is the
 * whole build side as one batch (row r = build row r, in arrival order) and the rows of
 * key id k are head[k] - 1, next[head[k] - 1] - 1, ... (chains hold row + 1, ascending row
 * order, 0 ends a chain, so a zeroed array is all empty chains); rows with a NULL
 * key are on no chain. `bytes` estimates what the side holds (batch vectors,
 * with each string dictionary counted once, plus ids, chains and key tables); passing
 * `budget` throws ResourceError RESOURCE_EXHAUSTED naming the join. Its arrays are leased
 * (array-pool.ts) when the owner calls add and seal inside its lease; the joined rows too
 * when `poolRows` says no output passes them on ungathered.
 */
import { ResourceError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import { concatBatches } from '../batch/concat-batches.js';
import { emptyBatch } from '../batch/empty-batch.js';
import { NULL_KEY, type JoinKeyIds } from './join-key-ids.js';
import { batchBytes } from '../../../storage/types/vector-bytes.js';
import { LEASED, leaseI32 } from '../batch/array-pool.js';

export class JoinBuildSide {
  rows = 0;
  /** The build rows as one batch (after seal). */
  batch: Batch;
  /** Key id of each build row (hash keys), NULL_KEY for a NULL key; [0, rows) (after seal). */
  keyIds: Int32Array = new Int32Array(0);
  /** IN-key id of each build row when the join compares one per candidate; [0, rows) (after seal). */
  inIds: Int32Array | null = null;
  /** First row + 1 of each key id's chain, 0 for none (after seal). */
  head: Int32Array = new Int32Array(0);
  /** Next row + 1 on the same chain, 0 at its end (after seal). */
  next: Int32Array = new Int32Array(0);
  /** Whether some build row has a NULL hash key. */
  hasNullKey = false;
  /** Whether some build row has a NULL IN key (per-candidate IN comparison only). */
  hasNullIn = false;

  private batches: Batch[] = [];
  private batchBytes = 0;
  private seenDicts = new Set<string[]>();
  private extraBytes = 0;
  private sealed = false;

  constructor(
    readonly types: readonly DataType[],
    private readonly keys: JoinKeyIds | null,
    private readonly inKeys: JoinKeyIds | null,
    private readonly keysOf: (batch: Batch) => readonly Vector[],
    private readonly inKeyOf: (batch: Batch) => Vector,
    private readonly budget: number,
    private readonly name: string,
    /** Whether the joined build rows may come from the array pool (nothing passes them on ungathered). */
    private readonly poolRows: boolean,
  ) {
    this.batch = emptyBatch(types);
  }

  /** Bytes held now (an estimate; see the module comment). */
  get bytes(): number {
    const chains = this.sealed ? this.head.byteLength + this.next.byteLength : 0;
    return this.batchBytes + chains + (this.keys?.bytes ?? 0) + (this.inKeys?.bytes ?? 0) + this.extraBytes;
  }

  /** Adds a build batch. */
  add(batch: Batch): void {
    const n = batch.length;
    if (n === 0) return;
    if (this.keys !== null && !this.keys.holdsUntilSeal) this.keys.addBuild(this.keysOf(batch), n);
    if (this.inKeys !== null && !this.inKeys.holdsUntilSeal) this.inKeys.addBuild([this.inKeyOf(batch)], n);
    this.rows += n;
    this.batches.push(batch);
    this.batchBytes += this.countBatch(batch);
    this.check(this.chainBytes());
  }

  /** Bytes that per-row state of the join (matched flags) will add; counted against the budget. */
  reserve(bytes: number): void {
    this.extraBytes += bytes;
    this.check(0);
  }

  /** Ends the build: one batch, its keys numbered, and the chains of every key id. */
  seal(): void {
    if (this.sealed) return;
    this.check(this.chainBytes());
    this.batch = concatBatches(this.types, this.batches, this.poolRows ? LEASED : undefined);
    this.batches = [];
    this.seenDicts = new Set();
    this.batchBytes = this.countBatch(this.batch);
    if (this.keys !== null) {
      if (this.keys.holdsUntilSeal && this.rows > 0) this.keys.addBuild(this.keysOf(this.batch), this.rows);
      // A dense numbering's chain heads must fit what the budget leaves besides the per-row chains.
      this.keyIds = this.keys.seal(Math.floor((this.budget - this.bytes - 4 * this.rows) / 4));
      this.hasNullKey = this.keyIds.subarray(0, this.rows).includes(NULL_KEY);
    }
    if (this.inKeys !== null) {
      if (this.inKeys.holdsUntilSeal && this.rows > 0) this.inKeys.addBuild([this.inKeyOf(this.batch)], this.rows);
      this.inIds = this.inKeys.seal();
      this.hasNullIn = this.inIds.subarray(0, this.rows).includes(NULL_KEY);
    }
    this.sealed = true;
    if (this.keys === null) return;
    const ids = this.keyIds;
    const head = leaseI32(this.keys.size);
    const next = leaseI32(this.rows);
    // Walking the rows backwards leaves each chain in ascending row order.
    for (let r = this.rows - 1; r >= 0; r--) {
      const id = ids[r];
      if (id < 0) continue;
      next[r] = head[id];
      head[id] = r + 1;
    }
    this.head = head;
    this.next = next;
    this.check(0);
  }

  /** Bytes the chains (head per key id, next per row) and the ids of keys held until seal will take. */
  private chainBytes(): number {
    if (this.sealed) return 0;
    const held = (k: JoinKeyIds | null) => (k !== null && k.holdsUntilSeal ? 4 * this.rows : 0);
    const chains = this.keys === null ? 0 : 4 * this.rows + 4 * (this.keys.holdsUntilSeal ? this.rows : this.keys.size);
    return chains + held(this.keys) + held(this.inKeys);
  }

  private check(pending: number): void {
    const total = this.bytes + pending;
    if (total <= this.budget) return;
    throw new ResourceError(
      'RESOURCE_EXHAUSTED',
      `Hash join ${this.name} exceeded its memory budget: its build side needs about ${formatBytes(total)} ` +
        `(${this.rows} rows), more than the ${formatBytes(this.budget)} allowed. ` +
        'Use a larger warehouse or make the join inputs smaller.',
    );
  }

  /** Bytes of a batch's vectors; a string dictionary shared by several batches counts once. */
  private countBatch(batch: Batch): number {
    return batchBytes(batch, this.seenDicts);
  }
}

function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} bytes`;
}
