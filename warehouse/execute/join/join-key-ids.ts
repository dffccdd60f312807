/**
 * Join keys to ids: every build row gets the id of its key tuple, and probe rows are looked
 * up against the build's ids, so equal SQL values on both sides get equal ids whatever their
 * batch, dictionary or physical form ('f64' or 'dec').
 *
 * Three ways to number keys, chosen when the build ends (`seal`):
 *  - dense range: one integer key (NUMBER, DATE) whose non-NULL build values span at most
 *    DENSE_FACTOR ids per build row plus DENSE_SLACK (and at most the ids the caller's
 *    memory allows; at DENSE_FACTOR 8 the 4-byte chain heads take no more memory than a
 *    hash set's slots would) is numbered by offset, id = value - min, and looked up by
 *    subtraction, with no hashing at all (the primary and foreign keys of a star schema are
 *    such ranges, and so are the keys of a filtered dimension: 10,664 part keys over
 *    200,000 make a table of 800 KiB that six million probe rows read without hashing); ids
 *    in the range need not have build rows. A sparser range (57 order keys over six
 *    million) is hashed: the chain heads of a dense range cost a fresh page per few keys.
 *  - lead tuples: several integer keys one of which (the lead) spans such a dense range are
 *    chained per lead value (lead-key-tuples.ts): partsupp's (partkey, suppkey) over
 *    200,000 part keys.
 *  - hash: anything else gets dense ids in order of first appearance from the aggregate
 *    module's GroupKeyTable (one KeyInterner per column, a TupleHashSet over several); probe
 *    rows use its find-only lookup, so a probe's unseen keys never enter the table.
 * Integer keys are held as they came (not copied) until seal picks a numbering.
 *
 * Contract: `addBuild` once per build batch; `seal` returns every build row's id (NULL_KEY
 * when any of its keys is NULL), ids in [0, size); `lookup` writes each probe row's id when
 * it is in [0, size) (the build may have no row there: check the chain), NULL_KEY when any
 * probe key is NULL, MISSING_KEY otherwise. `emitKeys` gives the key values of ids.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_EXACT, type DecVector, type Vector } from '../../../storage/types/vector.js';
import { GroupKeyTable } from '../aggregate/group-key-table.js';
import { LeadKeyTuples } from './lead-key-tuples.js';
import { leaseF64, leaseI32, leaseU8, regrow } from '../batch/array-pool.js';

export const NULL_KEY = -1;
export const MISSING_KEY = -2;

/** Estimated bytes per distinct key per column held by the interners and tuple set. */
const BYTES_PER_ID_PER_COLUMN = 40;
const DENSE_FACTOR = 8;
const DENSE_SLACK = 1 << 18;

export class JoinKeyIds {
  /** Hash numbering (null while a possibly dense key is buffered, and for a dense key). */
  private table: GroupKeyTable | null = null;
  /** Id of each build row, [0, rows). */
  private rowIds: Int32Array = new Int32Array(0);
  /** The key vectors of each build batch of integer keys, held until seal chooses a numbering. */
  private pending: { keys: readonly Vector[]; n: number }[] | null = null;
  private rows = 0;
  /** Smallest and largest non-NULL buffered value per key column. */
  private mins: number[];
  private maxs: number[];
  /** Dense numbering: id = value - denseMin. */
  private dense = false;
  private denseMin = 0;
  /** Lead-tuple numbering of several integer keys. */
  private lead: LeadKeyTuples | null = null;
  /** Bytes of key arrays this numbering copied (several batches' keys joined into one). */
  private copiedBytes = 0;
  private sealedSize = -1;

  constructor(readonly types: readonly DataType[]) {
    this.mins = types.map(() => Infinity);
    this.maxs = types.map(() => -Infinity);
    if (this.holdsUntilSeal) {
      this.pending = [];
    } else {
      this.table = new GroupKeyTable(types);
    }
  }

  /** Whether the keys are integers, held as they come until seal: one addBuild of the whole build side copies nothing. */
  get holdsUntilSeal(): boolean {
    return this.types.length > 0 && this.types.every((t) => t.kind === 'NUMBER' || t.kind === 'DATE');
  }

  /** Ids in use: after seal, the id range [0, size); before, an upper bound of distinct keys. */
  get size(): number {
    if (this.sealedSize >= 0) return this.sealedSize;
    return this.table === null ? this.rows : this.table.size;
  }

  /** Estimated bytes held (row ids, buffered values, hash table). */
  get bytes(): number {
    const lead = this.lead === null ? 0 : this.lead.bytes;
    const table = this.table === null ? 0 : this.table.size * this.types.length * BYTES_PER_ID_PER_COLUMN;
    return this.rowIds.byteLength + this.copiedBytes + lead + table;
  }

  /**
   * Adds the key vectors (n rows each) of one build batch. Integer keys are held, not
   * copied, until seal: the caller leaves their arrays unchanged (one call with the whole
   * build side's keys is cheapest: nothing is copied at all).
   */
  addBuild(keys: readonly Vector[], n: number): void {
    if (this.sealedSize >= 0) throw new InternalError('JoinKeyIds.addBuild after seal');
    if (n === 0) return;
    if (this.pending !== null && keys.some((k) => k.kind === 'dec')) this.hashPending();
    const at = this.rows;
    this.rows += n;
    if (this.pending !== null) {
      for (let c = 0; c < keys.length; c++) this.track(keys[c], c, n);
      this.pending.push({ keys, n });
      return;
    }
    this.rowIds = grow(this.rowIds, this.rows);
    const out = this.rowIds.subarray(at, at + n);
    this.table!.assign(keys, n, out);
    markNullRows(keys, n, out);
  }

  /**
   * Ends the build; returns the id of every build row ([0, rows) of the array). A dense
   * numbering is used only when its ids number at most `maxDenseIds` (what the caller can
   * hold a chain head for).
   */
  seal(maxDenseIds = Infinity): Int32Array {
    if (this.sealedSize >= 0) return this.rowIds;
    if (this.pending !== null) {
      // The key column whose range is widest among those dense enough to index (the lead of several).
      let best = -1;
      for (let c = 0; c < this.types.length; c++) {
        const range = this.maxs[c] - this.mins[c];
        if (range >= DENSE_FACTOR * this.rows + DENSE_SLACK || range >= maxDenseIds) continue;
        if (best < 0 || range > this.maxs[best] - this.mins[best]) best = c;
      }
      // Some key column without a non-NULL value: every row has a NULL key.
      const empty = this.mins.some((min, c) => min > this.maxs[c]);
      if (this.types.length === 1 && (empty || best === 0)) this.numberDense(empty);
      else if (this.types.length === 1 || !((empty || best >= 0) && this.numberLead(best, empty))) this.hashPending();
    }
    this.sealedSize = this.dense ? (this.mins[0] > this.maxs[0] ? 0 : this.maxs[0] - this.mins[0] + 1) : this.lead !== null ? this.lead.size : this.table!.size;
    return this.rowIds;
  }

  /** out[i] = build id of probe row i's key tuple, NULL_KEY or MISSING_KEY. */
  lookup(keys: readonly Vector[], n: number, out: Int32Array): void {
    const size = this.sealedSize;
    if (size < 0) throw new InternalError('JoinKeyIds.lookup before seal');
    if (this.dense) {
      lookupDense(keys[0], this.denseMin, size, n, out);
      markNullRows(keys, n, out);
      return;
    }
    if (this.lead !== null) {
      this.lead.lookup(keys, n, out, MISSING_KEY);
      markNullRows(keys, n, out);
      return;
    }
    this.table!.lookup(keys, n, out);
    // Branch-free form of: if (out[i] < 0) out[i] = MISSING_KEY;
    for (let i = 0; i < n; i++) {
      const id = out[i];
      const miss = (id >> 31) & 1;
      out[i] = id + miss * (MISSING_KEY - id);
    }
    markNullRows(keys, n, out);
  }

  /** The key tuples of ids[0..count) (ids in [0, size)) as one vector per key column. */
  emitKeys(ids: Int32Array, count: number): Vector[] {
    if (this.lead !== null) return this.lead.emitKeys(ids, count, this.types);
    if (!this.dense) return this.table!.emitKeys(ids, count);
    const min = this.denseMin;
    if (this.types[0].kind === 'DATE') {
      const values = new Int32Array(count);
      for (let k = 0; k < count; k++) values[k] = min + ids[k];
      return [{ kind: 'i32', length: count, values, nulls: null }];
    }
    const values = new Float64Array(count);
    for (let k = 0; k < count; k++) values[k] = min + ids[k];
    return [{ kind: 'f64', length: count, values, nulls: null }];
  }

  /** Widens key column c's min and max by the non-NULL values of one batch's vector (n rows). */
  private track(v: Vector, c: number, n: number): void {
    if (v.kind !== 'f64' && v.kind !== 'i32') throw new InternalError(`${this.types[c].kind} join key arrived as a ${v.kind} vector`);
    const src = v.values;
    const nulls = v.nulls;
    let min = this.mins[c];
    let max = this.maxs[c];
    for (let i = 0; i < n; i++) {
      const x = src[i];
      if (nulls !== null && nulls[i] !== 0) continue;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    this.mins[c] = min;
    this.maxs[c] = max;
  }

  /** The held keys as one array per column over [0, rows), and 1 where any key is NULL (null: none is). */
  private flatten(): { columns: (Float64Array | Int32Array)[]; nulls: Uint8Array | null } {
    const batches = this.pending!;
    const rows = this.rows;
    const columns = this.types.map((_, c) => {
      if (batches.length === 1) return numericValues(batches[0].keys[c]);
      const joined = leaseF64(rows);
      let at = 0;
      for (const { keys, n } of batches) {
        joined.set(numericValues(keys[c]).subarray(0, n), at);
        at += n;
      }
      this.copiedBytes += joined.byteLength;
      return joined;
    });
    let nulls: Uint8Array | null = null;
    let at = 0;
    for (const { keys, n } of batches) {
      for (const v of keys) {
        if (v.nulls === null) continue;
        nulls ??= leaseU8(rows);
        for (let i = 0; i < n; i++) nulls[at + i] |= v.nulls[i];
      }
      at += n;
    }
    return { columns, nulls };
  }

  /** Dense numbering of the buffered values: id = value - min. */
  private numberDense(empty: boolean): void {
    const { columns, nulls } = this.flatten();
    const values = columns[0];
    const rows = this.rows;
    const ids = leaseI32(rows);
    const min = empty ? 0 : this.mins[0];
    for (let i = 0; i < rows; i++) ids[i] = values[i] - min;
    if (nulls !== null) for (let i = 0; i < rows; i++) if (nulls[i] !== 0) ids[i] = NULL_KEY;
    // The numbering keeps no key values: what flatten copied is garbage now.
    this.copiedBytes = 0;
    this.rowIds = ids;
    this.dense = true;
    this.denseMin = min;
    this.pending = null;
  }

  /**
   * Lead-tuple numbering of several held keys led by column `lead` (`empty`: every row has a
   * NULL key, no lead needed); false when a lead value has too many tuples.
   */
  private numberLead(lead: number, empty: boolean): boolean {
    const { columns, nulls } = this.flatten();
    const rows = this.rows;
    const ids = leaseI32(rows);
    const min = empty ? 0 : this.mins[lead];
    const range = empty ? 0 : this.maxs[lead] - min + 1;
    const tuples = LeadKeyTuples.number(columns, nulls, rows, Math.max(0, lead), min, range, ids, NULL_KEY);
    if (tuples === null) {
      this.copiedBytes = 0;
      return false;
    }
    this.lead = tuples;
    this.rowIds = ids;
    this.pending = null;
    return true;
  }

  /** Hash numbering of the buffered values (a 'dec' batch arrived, or no column is dense enough). */
  private hashPending(): void {
    const batches = this.pending!;
    this.table = new GroupKeyTable(this.types, true);
    this.pending = null;
    this.rowIds = grow(this.rowIds, this.rows);
    let at = 0;
    for (const { keys, n } of batches) {
      const out = this.rowIds.subarray(at, at + n);
      this.table.assign(keys, n, out);
      markNullRows(keys, n, out);
      at += n;
    }
  }
}

/** The values of an integer key vector ('f64' or 'i32'; track has checked the kind). */
function numericValues(v: Vector): Float64Array | Int32Array {
  if (v.kind !== 'f64' && v.kind !== 'i32') throw new InternalError(`integer join key held as a ${v.kind} vector`);
  return v.values;
}

/**
 * out[i] = v[i] - min when that is an id in [0, size), else MISSING_KEY. Simple version:
 * const off = value(v, i) - min; out[i] = Number.isInteger(off) && off >= 0 && off < size ? off : MISSING_KEY;
 */
function lookupDense(v: Vector, min: number, size: number, n: number, out: Int32Array): void {
  if (v.kind === 'dec') return lookupDenseDec(v, min, size, n, out);
  if (v.kind !== 'f64' && v.kind !== 'i32') throw new InternalError(`integer join key arrived as a ${v.kind} vector`);
  const vals = v.values;
  for (let i = 0; i < n; i++) {
    const off = vals[i] - min;
    out[i] = off >= 0 && off < size && (off | 0) === off ? off : MISSING_KEY;
  }
}

function lookupDenseDec(v: DecVector, min: number, size: number, n: number, out: Int32Array): void {
  const vals = v.values;
  const limit = BigInt(MAX_EXACT);
  for (let i = 0; i < n; i++) {
    const b = vals[i];
    const off = b <= limit && b >= -limit ? Number(b) - min : -1;
    out[i] = off >= 0 && off < size ? off : MISSING_KEY;
  }
}

function grow(a: Int32Array, n: number): Int32Array {
  if (a.length >= n) return a;
  const grown = leaseI32(Math.max(1024, a.length * 2, n));
  grown.set(a);
  return regrow(a, grown);
}

/** out[i] = NULL_KEY where any key vector is NULL at row i. */
function markNullRows(keys: readonly Vector[], n: number, out: Int32Array): void {
  for (const v of keys) {
    const nulls = v.nulls;
    if (nulls === null) continue;
    for (let i = 0; i < n; i++) if (nulls[i] !== 0) out[i] = NULL_KEY;
  }
}
