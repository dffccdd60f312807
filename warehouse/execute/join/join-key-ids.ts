/**
 * Join keys to ids: every build row gets the id of its key tuple, and probe rows are looked
 * up against the build's ids, so equal SQL values on both sides get equal ids whatever their
 * batch, dictionary or physical form ('f64' or 'dec').
 *
 * Two ways to number keys, chosen when the build ends (`seal`):
 *  - dense range: one integer key (NUMBER, DATE) whose non-NULL build values span at most
 *    DENSE_FACTOR ids per build row plus DENSE_SLACK (and at most the ids the caller's
 *    memory allows) is numbered by offset, id = value - min, and looked up by subtraction,
 *    with no hashing at all (the primary and foreign keys of a star schema are such ranges,
 *    and so are the keys of a filtered dimension: 10,664 part keys over 200,000 make a
 *    table of 800 KiB that six million probe rows read without hashing). Until seal such a
 *    key's values are buffered in a Float64Array; ids in the range need not have build
 *    rows. A sparser range (57 order keys over six million) is hashed: the chain heads of a
 *    dense range cost a fresh page per few keys.
 *  - hash: anything else gets dense ids in order of first appearance from the aggregate
 *    module's GroupKeyTable (one KeyInterner per column, a TupleHashSet over several); probe
 *    rows use its find-only lookup, so a probe's unseen keys never enter the table.
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

export const NULL_KEY = -1;
export const MISSING_KEY = -2;

/** Estimated bytes per distinct key per column held by the interners and tuple set. */
const BYTES_PER_ID_PER_COLUMN = 40;
const DENSE_FACTOR = 4;
const DENSE_SLACK = 1 << 18;

export class JoinKeyIds {
  /** Hash numbering (null while a possibly dense key is buffered, and for a dense key). */
  private table: GroupKeyTable | null = null;
  /** Id of each build row, [0, rows). */
  private rowIds: Int32Array = new Int32Array(0);
  /** Buffered values and NULL flags of a possibly dense integer key, [0, rows). */
  private pending: { values: Float64Array; nulls: Uint8Array } | null = null;
  private rows = 0;
  private min = Infinity;
  private max = -Infinity;
  /** Dense numbering: id = value - denseMin. */
  private dense = false;
  private denseMin = 0;
  private sealedSize = -1;

  constructor(readonly types: readonly DataType[]) {
    const kind = types[0]?.kind;
    if (types.length === 1 && (kind === 'NUMBER' || kind === 'DATE')) {
      this.pending = { values: new Float64Array(0), nulls: new Uint8Array(0) };
    } else {
      this.table = new GroupKeyTable(types);
    }
  }

  /** Ids in use: after seal, the id range [0, size); before, an upper bound of distinct keys. */
  get size(): number {
    if (this.sealedSize >= 0) return this.sealedSize;
    return this.table === null ? this.rows : this.table.size;
  }

  /** Estimated bytes held (row ids, buffered values, hash table). */
  get bytes(): number {
    const pending = this.pending === null ? 0 : this.pending.values.byteLength + this.pending.nulls.byteLength;
    const table = this.table === null ? 0 : this.table.size * this.types.length * BYTES_PER_ID_PER_COLUMN;
    return this.rowIds.byteLength + pending + table;
  }

  /** Adds the key vectors (n rows each) of one build batch. */
  addBuild(keys: readonly Vector[], n: number): void {
    if (this.sealedSize >= 0) throw new InternalError('JoinKeyIds.addBuild after seal');
    if (n === 0) return;
    if (this.pending !== null && keys[0].kind === 'dec') this.hashPending();
    const at = this.rows;
    this.rows += n;
    if (this.pending !== null) {
      this.bufferValues(keys[0], at, n);
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
      const empty = this.min > this.max;
      const range = this.max - this.min;
      if (empty || (range < DENSE_FACTOR * this.rows + DENSE_SLACK && range < maxDenseIds)) this.numberDense(empty);
      else this.hashPending();
    }
    this.sealedSize = this.dense ? (this.min > this.max ? 0 : this.max - this.min + 1) : this.table!.size;
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

  /** Appends one batch of a possibly dense key to the buffer, tracking min and max. */
  private bufferValues(v: Vector, at: number, n: number): void {
    if (v.kind !== 'f64' && v.kind !== 'i32') throw new InternalError(`${this.types[0].kind} join key arrived as a ${v.kind} vector`);
    const p = this.pending!;
    if (p.values.length < at + n) {
      const cap = Math.max(1024, p.values.length * 2, at + n);
      const values = new Float64Array(cap);
      values.set(p.values.subarray(0, at));
      const nulls = new Uint8Array(cap);
      nulls.set(p.nulls.subarray(0, at));
      this.pending = { values, nulls };
    }
    const values = this.pending!.values;
    const pnulls = this.pending!.nulls;
    const src = v.values;
    const nulls = v.nulls;
    let min = this.min;
    let max = this.max;
    if (nulls === null) {
      for (let i = 0; i < n; i++) {
        const x = src[i];
        values[at + i] = x;
        if (x < min) min = x;
        if (x > max) max = x;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const x = src[i];
        values[at + i] = x;
        const isNull = nulls[i];
        pnulls[at + i] = isNull;
        if (isNull !== 0) continue;
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
    this.min = min;
    this.max = max;
  }

  /** Dense numbering of the buffered values: id = value - min. */
  private numberDense(empty: boolean): void {
    const { values, nulls } = this.pending!;
    const rows = this.rows;
    const ids = new Int32Array(rows);
    const min = empty ? 0 : this.min;
    for (let i = 0; i < rows; i++) ids[i] = nulls[i] !== 0 ? NULL_KEY : values[i] - min;
    this.rowIds = ids;
    this.dense = true;
    this.denseMin = min;
    this.pending = null;
  }

  /** Hash numbering of the buffered values (a 'dec' batch arrived, or the range is sparse). */
  private hashPending(): void {
    const { values, nulls } = this.pending!;
    const rows = this.rows;
    this.table = new GroupKeyTable(this.types, true);
    this.pending = null;
    this.rowIds = grow(this.rowIds, rows);
    if (rows === 0) return;
    const keys: Vector[] = [{ kind: 'f64', length: rows, values: values.subarray(0, rows), nulls: nulls.subarray(0, rows) }];
    const out = this.rowIds.subarray(0, rows);
    this.table.assign(keys, rows, out);
    markNullRows(keys, rows, out);
  }
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
  const grown = new Int32Array(Math.max(1024, a.length * 2, n));
  grown.set(a);
  return grown;
}

/** out[i] = NULL_KEY where any key vector is NULL at row i. */
function markNullRows(keys: readonly Vector[], n: number, out: Int32Array): void {
  for (const v of keys) {
    const nulls = v.nulls;
    if (nulls === null) continue;
    for (let i = 0; i < n; i++) if (nulls[i] !== 0) out[i] = NULL_KEY;
  }
}
