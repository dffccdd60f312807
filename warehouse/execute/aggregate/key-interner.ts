/**
 * Key interners: map the values of one column (a group key, or the argument of a DISTINCT
 * aggregate) to dense Int32 ids, across batches, and turn ids back into a vector.
 *
 * Contract: equal SQL values get equal ids, whatever batch or physical form they come in:
 * strings are equal by value (each batch's dictionary is mapped to global ids once, lazily,
 * so the per-row cost is an Int32 lookup); NUMBER values are equal whether they arrive in
 * an 'f64' or a 'dec' vector; -0 equals 0 and NaN equals NaN (Snowflake groups NaNs
 * together). NULL is a value of its own (SQL GROUP BY) with its own id, allocated when
 * first seen. Ids are dense in order of first appearance. `emit(ids)` builds a vector of
 * the column's type whose row k holds the value of id ids[k], or NULL where ids[k] < 0.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_EXACT, type Nulls, type StrVector, type Vector } from '../../../storage/types/vector.js';
import { nullVector } from '../batch/null-vector.js';
import { FloatHashSet } from './float-hash-set.js';
import { TsKeyInterner } from './ts-key-interner.js';
import { leaseF64, leaseI32, recycleArray, regrow } from '../batch/array-pool.js';

export interface KeyInterner {
  readonly type: DataType;
  /** Number of ids handed out. */
  readonly size: number;
  /** out[i] = id of row i of v, for every row of v. */
  intern(v: Vector, out: Int32Array): void;
  /** out[i] = id of row i of v, or -1 when the value (or NULL) has no id; adds nothing. */
  lookup(v: Vector, out: Int32Array): void;
  /** Row k = value of id ids[k] (NULL when ids[k] < 0 or is the NULL id), k < count. */
  emit(ids: Int32Array, count: number): Vector;
}

/**
 * `hashOnly`: number keys go straight to the hash set (a caller that already knows the
 * values are sparse saves the direct table's pages).
 */
export function createKeyInterner(type: DataType, hashOnly = false): KeyInterner {
  switch (type.kind) {
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
    case 'VARCHAR':
      return new StringInterner(type);
    case 'BOOLEAN':
      return new BoolInterner(type);
    case 'NULL':
      return new NullInterner(type);
    case 'NUMBER':
    case 'FLOAT':
    case 'DATE':
    case 'TIME':
      return new NumberInterner(type, hashOnly);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return new TsKeyInterner(type);
  }
}

/** Direct numbering: a span of at most this many values is always allowed (256 KiB)… */
const DIRECT_MIN_SPAN = 1 << 16;
/** …a larger one while it is at most this many values per distinct value… */
const DIRECT_FACTOR = 32;
/** …and never more than this many (a 32 MiB Int32Array). */
const DIRECT_MAX_SPAN = 1 << 23;
/**
 * Runs of ascending keys that ascending mode keeps at most; past them it leaves ascending mode
 * (starting a run costs a walk over the runs: keys in descending order must not cost n²).
 */
const MAX_ASCENDING_RUNS = 1024;
/** Only integers this small are numbered directly (so x - base is exact). */
const DIRECT_MAX_MAGNITUDE = 2 ** 51;

/**
 * NUMBER, FLOAT and DATE keys: integers in a dense range are numbered through a direct
 * table (slot x - base holds id + 1, 0 = not seen yet), anything else through a float hash
 * set; NULL, NaN and wide NUMBERs have side ids. Keys of star-schema columns (order, part,
 * customer keys) are such ranges, and arrive clustered, so the direct table is read almost
 * sequentially where the hash set would miss the cache on every new key. The table covers
 * [base, base + direct.length); it grows (keeping slack) while the span stays within
 * DIRECT_MIN_SPAN or DIRECT_FACTOR values per distinct value (and DIRECT_MAX_SPAN); the
 * first key that is not an integer, or would make the span sparser, moves every value to the
 * hash set for good. Inside an operator's lease (array-pool.ts) the direct table and the
 * values are leased, and outgrown ones given back.
 *
 * Before either, keys that arrive in ascending order (a table clustered or sorted by the key,
 * read in range order: TPC-H's lineitem by l_orderkey) need no index at all: while every new
 * key is above the largest one so far, it is a new group, numbered next, and a repeat can
 * only be the latest key. The first key that breaks the order (or a NaN, a wide NUMBER, a
 * lookup) indexes the keys numbered so far into the direct table or the hash set, and from
 * then on the interner works as above. Grouping Q18's 6M lineitem rows by l_orderkey this
 * way skips a direct table grown to 24 MiB through a dozen copies.
 *
 * Ascending mode keeps runs of ascending keys, not one: a key below the latest one that lies
 * outside every run so far starts a new run there, whose keys are new while they stay below
 * the run above it. A task of a range-assigned scan that took over a sibling's units
 * (claimed-units.ts) reads its own stretch of the key range, then the rest of the sibling's
 * stretch in key order: a stretch below its own starts a new run, one above continues the
 * latest; all of it stays in ascending mode.
 */
class NumberInterner implements KeyInterner {
  size = 0;
  private readonly set = new FloatHashSet();
  private values: Float64Array = new Float64Array(16);
  private nullId = -1;
  private nanId = -1;
  private wide: Map<bigint, number> | null = null;
  private wideById: Map<number, bigint> | null = null;
  /** Direct table (null once hashed, or before the first value): slot x - base = id + 1. */
  private direct: Int32Array | null = null;
  private base = 0;
  private hashed: boolean;
  /** While keys arrived in ascending order: nothing is indexed, ids follow the keys' order. */
  private ascending = true;
  /** In ascending mode: the latest key and its id, the first key of its run, and the first key of the run above it. */
  private lastKey = NaN;
  private lastId = -1;
  private runStart = NaN;
  private ceiling = Infinity;
  /** In ascending mode: the runs before the latest one, [starts[r], ends[r]] ordered by start. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(
    readonly type: DataType,
    hashOnly: boolean,
  ) {
    this.hashed = hashOnly;
  }

  intern(v: Vector, out: Int32Array): void {
    const n = v.length;
    if (v.kind === 'dec') {
      if (this.ascending) this.indexAscending();
      return this.internDec(v.values, v.nulls, out);
    }
    if (v.kind !== 'f64' && v.kind !== 'i32') throw new InternalError(`group key of type ${this.type.kind} arrived as a ${v.kind} vector`);
    const vals = v.values;
    const nulls = v.nulls;
    let from = 0;
    if (this.ascending) {
      from = this.internAscending(vals, nulls, n, out);
      if (from === n) return;
      this.indexAscending();
    }
    let direct = this.direct;
    let base = this.base;
    let span = direct === null ? 0 : direct.length;
    // Runs of equal keys (input clustered or sorted by the key, join output in probe order)
    // reuse the previous row's id instead of looking the key up again.
    let prevX = NaN;
    let prevId = -1;
    for (let i = from; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) {
        out[i] = this.nullId >= 0 ? this.nullId : (this.nullId = this.next());
        continue;
      }
      const x = vals[i] + 0; // + 0 turns -0 into 0
      if (x === prevX) {
        out[i] = prevId;
        continue;
      }
      const off = x - base;
      // Hand-inlined fast path of: out[i] = this.internNumber(x) for x in the direct table.
      if (off >= 0 && off < span && (off | 0) === off) {
        let id = direct![off] - 1;
        if (id < 0) {
          id = this.nextValue(x);
          direct![off] = id + 1;
        }
        out[i] = prevId = id;
        prevX = x;
        continue;
      }
      out[i] = prevId = this.internNumber(x);
      prevX = x;
      direct = this.direct;
      base = this.base;
      span = direct === null ? 0 : direct.length;
    }
  }

  lookup(v: Vector, out: Int32Array): void {
    const n = v.length;
    if (this.ascending) this.indexAscending();
    if (v.kind === 'dec') return this.lookupDec(v.values, v.nulls, out);
    if (v.kind !== 'f64' && v.kind !== 'i32') throw new InternalError(`key of type ${this.type.kind} arrived as a ${v.kind} vector`);
    const vals = v.values;
    const nulls = v.nulls;
    let prevX = NaN;
    let prevId = -1;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) {
        out[i] = this.nullId;
        continue;
      }
      const x = vals[i] + 0; // + 0 turns -0 into 0
      if (x === prevX) {
        out[i] = prevId;
        continue;
      }
      out[i] = prevId = this.findNumber(x);
      prevX = x;
    }
  }

  /**
   * Ascending mode over rows from 0: a key above the latest one and below the run above it
   * (`ceiling`) gets the next id, as does a key that starts a new run (startRun); a repeat of
   * the latest key gets its id, NULL the NULL id. Returns the first row that is none of these
   * (n when there is none); rows before it have their ids.
   */
  private internAscending(vals: Float64Array | Int32Array, nulls: Nulls, n: number, out: Int32Array): number {
    let last = this.lastKey;
    let lastId = this.lastId;
    let ceiling = this.ceiling;
    let i = 0;
    for (; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) {
        out[i] = this.nullId >= 0 ? this.nullId : (this.nullId = this.next());
        continue;
      }
      const x = vals[i] + 0; // + 0 turns -0 into 0
      if (x === last) {
        out[i] = lastId;
        continue;
      }
      if (!(x > last && x < ceiling)) {
        this.lastKey = last;
        if (!this.startRun(x)) break;
        ceiling = this.ceiling;
      }
      lastId = this.nextValue(x);
      last = x;
      out[i] = lastId;
    }
    this.lastKey = last;
    this.lastId = lastId;
    return i;
  }

  /**
   * Starts a new run at key x (the first key too: lastKey is NaN) when x lies outside every
   * run so far, the latest one (runStart..lastKey) included: its keys up to the next run's
   * start (`ceiling`) are then new. False when x is inside a run, or NaN, or there are
   * MAX_ASCENDING_RUNS runs already.
   */
  private startRun(x: number): boolean {
    const starts = this.starts;
    const ends = this.ends;
    if (x !== x || starts.length >= MAX_ASCENDING_RUNS) return false;
    if (this.lastKey === this.lastKey) {
      // The latest run joins the others, in order of start.
      let at = starts.length;
      while (at > 0 && starts[at - 1] > this.runStart) at--;
      starts.splice(at, 0, this.runStart);
      ends.splice(at, 0, this.lastKey);
    }
    // The first run starting above x; x must lie above the end of the one before it.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    if (lo > 0 && ends[lo - 1] >= x) return false;
    this.runStart = x;
    this.ceiling = lo < starts.length ? starts[lo] : Infinity;
    return true;
  }

  /** Leaves ascending mode: the keys numbered so far go into the direct table or the hash set. */
  private indexAscending(): void {
    this.ascending = false;
    for (let id = 0; id < this.size; id++) {
      if (id === this.nullId) continue;
      const x = this.values[id];
      if (!this.hashed && Number.isInteger(x) && Math.abs(x) <= DIRECT_MAX_MAGNITUDE && this.directCovers(x)) {
        this.direct![x - this.base] = id + 1;
        continue;
      }
      if (!this.hashed) this.toHash();
      this.set.intern(x, id);
    }
  }

  /** The id of a number (not NULL), added when new. */
  private internNumber(x: number): number {
    if (x !== x) return this.nanId >= 0 ? this.nanId : (this.nanId = this.nextValue(NaN));
    if (!this.hashed && Number.isInteger(x) && Math.abs(x) <= DIRECT_MAX_MAGNITUDE && this.directCovers(x)) {
      const off = x - this.base;
      const direct = this.direct!;
      const id = direct[off] - 1;
      if (id >= 0) return id;
      const added = this.nextValue(x);
      direct[off] = added + 1;
      return added;
    }
    if (!this.hashed) this.toHash();
    const id = this.set.intern(x, this.size);
    if (id === this.size) this.nextValue(x);
    return id;
  }

  /** The id of a number (not NULL), or -1. */
  private findNumber(x: number): number {
    if (x !== x) return this.nanId;
    if (this.hashed) return this.set.find(x);
    const direct = this.direct;
    const off = x - this.base;
    return direct !== null && off >= 0 && off < direct.length && (off | 0) === off ? direct[off] - 1 : -1;
  }

  /** Whether integer x is in the direct table, after growing it when that keeps it dense enough. */
  private directCovers(x: number): boolean {
    const direct = this.direct;
    if (direct !== null && x >= this.base && x < this.base + direct.length) return true;
    const lo = direct === null ? x : Math.min(this.base, x);
    const hi = direct === null ? x + 1 : Math.max(this.base + direct.length, x + 1);
    const need = hi - lo;
    const allowed = Math.min(DIRECT_MAX_SPAN, Math.max(DIRECT_MIN_SPAN, DIRECT_FACTOR * (this.size + 1)));
    if (need > allowed) return false;
    // Slack of half the span again on the side that grew, so a key range arriving in
    // ascending or descending order grows the table O(log) times.
    const room = Math.min(DIRECT_MAX_SPAN, Math.max(need + (need >> 1), 1024)) - need;
    const base = direct === null ? lo - (room >> 1) : x < this.base ? lo - room : lo;
    const table = leaseI32(need + room);
    if (direct !== null) table.set(direct, this.base - base);
    this.direct = direct === null ? table : regrow(direct, table);
    this.base = base;
    return true;
  }

  /** Moves every number to the hash set; from now on only the set numbers keys. */
  private toHash(): void {
    const direct = this.direct;
    if (direct !== null) {
      for (let off = 0; off < direct.length; off++) if (direct[off] !== 0) this.set.intern(this.base + off, direct[off] - 1);
      recycleArray(direct);
    }
    this.direct = null;
    this.hashed = true;
  }

  private lookupDec(vals: bigint[], nulls: Nulls, out: Int32Array): void {
    for (let i = 0; i < vals.length; i++) {
      if (nulls !== null && nulls[i] !== 0) {
        out[i] = this.nullId;
        continue;
      }
      const b = vals[i];
      out[i] = b <= BigInt(MAX_EXACT) && b >= -BigInt(MAX_EXACT) ? this.findNumber(Number(b)) : (this.wide?.get(b) ?? -1);
    }
  }

  private internDec(vals: bigint[], nulls: Nulls, out: Int32Array): void {
    for (let i = 0; i < vals.length; i++) {
      if (nulls !== null && nulls[i] !== 0) {
        out[i] = this.nullId >= 0 ? this.nullId : (this.nullId = this.next());
        continue;
      }
      const b = vals[i];
      if (b <= BigInt(MAX_EXACT) && b >= -BigInt(MAX_EXACT)) {
        out[i] = this.internNumber(Number(b));
        continue;
      }
      this.wide ??= new Map();
      this.wideById ??= new Map();
      let id = this.wide.get(b);
      if (id === undefined) {
        id = this.next();
        this.wide.set(b, id);
        this.wideById.set(id, b);
      }
      out[i] = id;
    }
  }

  private next(): number {
    if (this.size === this.values.length) {
      const grown = leaseF64(this.size * 2);
      grown.set(this.values);
      this.values = regrow(this.values, grown);
    }
    return this.size++;
  }

  private nextValue(x: number): number {
    const id = this.next();
    this.values[id] = x;
    return id;
  }

  emit(ids: Int32Array, count: number): Vector {
    const nulls = new Uint8Array(count);
    let anyNull = 0;
    for (let k = 0; k < count; k++) anyNull |= nulls[k] = ids[k] < 0 || ids[k] === this.nullId ? 1 : 0;
    const mask = anyNull ? nulls : null;
    const vals = this.values;
    const wideById = this.wideById;
    if (wideById !== null && this.type.kind === 'NUMBER') {
      let anyWide = false;
      for (let k = 0; k < count && !anyWide; k++) anyWide = wideById.has(ids[k]);
      if (anyWide) {
        const out = new Array<bigint>(count);
        for (let k = 0; k < count; k++) out[k] = nulls[k] ? 0n : (wideById.get(ids[k]) ?? BigInt(vals[ids[k]]));
        return { kind: 'dec', length: count, values: out, nulls: mask };
      }
    }
    if (this.type.kind === 'DATE') {
      const out = new Int32Array(count);
      for (let k = 0; k < count; k++) out[k] = nulls[k] ? 0 : vals[ids[k]];
      return { kind: 'i32', length: count, values: out, nulls: mask };
    }
    const out = new Float64Array(count);
    for (let k = 0; k < count; k++) out[k] = nulls[k] ? 0 : vals[ids[k]];
    return { kind: 'f64', length: count, values: out, nulls: mask };
  }
}

/** VARCHAR keys: one global Map lookup per distinct dictionary entry of a batch, Int32 work per row. */
class StringInterner implements KeyInterner {
  size = 0;
  private readonly ids = new Map<string, number>();
  private strings: string[] = [];
  private nullId = -1;
  private lastDict: string[] | null = null;
  private lastLocal: Int32Array | null = null;

  constructor(readonly type: DataType) {}

  intern(v: Vector, out: Int32Array): void {
    if (v.kind !== 'str') throw new InternalError(`VARCHAR key arrived as a ${v.kind} vector`);
    const local = this.localIds(v);
    const codes = v.codes;
    const nulls = v.nulls;
    const dict = v.dict;
    const n = v.length;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) {
        out[i] = this.nullId >= 0 ? this.nullId : (this.nullId = this.add(''));
        continue;
      }
      const c = codes[i];
      let id = local[c];
      if (id < 0) id = local[c] = this.globalId(dict[c]);
      out[i] = id;
    }
  }

  lookup(v: Vector, out: Int32Array): void {
    if (v.kind !== 'str') throw new InternalError(`VARCHAR key arrived as a ${v.kind} vector`);
    const local = v.dict.map((s) => this.ids.get(s) ?? -1);
    const codes = v.codes;
    const nulls = v.nulls;
    for (let i = 0; i < v.length; i++) out[i] = nulls !== null && nulls[i] !== 0 ? this.nullId : local[codes[i]];
  }

  /** code -> global id for this dictionary (-1 = not looked up yet); reused while batches share a dictionary that has not grown. */
  private localIds(v: StrVector): Int32Array {
    if (v.dict !== this.lastDict || this.lastLocal === null || this.lastLocal.length !== v.dict.length) {
      this.lastDict = v.dict;
      this.lastLocal = new Int32Array(v.dict.length).fill(-1);
    }
    return this.lastLocal;
  }

  private globalId(s: string): number {
    const id = this.ids.get(s);
    if (id !== undefined) return id;
    const added = this.add(s);
    this.ids.set(s, added);
    return added;
  }

  private add(s: string): number {
    this.strings.push(s);
    return this.size++;
  }

  emit(ids: Int32Array, count: number): Vector {
    const codes = new Int32Array(count);
    const nulls = new Uint8Array(count);
    let anyNull = 0;
    for (let k = 0; k < count; k++) {
      const id = ids[k];
      const isNull = id < 0 || id === this.nullId ? 1 : 0;
      anyNull |= nulls[k] = isNull;
      codes[k] = isNull ? 0 : id;
    }
    const dict = this.strings.length > 0 ? this.strings.slice() : [''];
    return { kind: 'str', length: count, codes, dict, nulls: anyNull ? nulls : null };
  }
}

/** BOOLEAN keys: ids for FALSE, TRUE and NULL in order of appearance. */
class BoolInterner implements KeyInterner {
  size = 0;
  /** id of FALSE, TRUE, NULL (-1 = not seen). */
  private readonly idOf = new Int32Array([-1, -1, -1]);
  private readonly valueOf: number[] = [];

  constructor(readonly type: DataType) {}

  intern(v: Vector, out: Int32Array): void {
    if (v.kind !== 'bool') throw new InternalError(`BOOLEAN key arrived as a ${v.kind} vector`);
    const vals = v.values;
    const nulls = v.nulls;
    const idOf = this.idOf;
    for (let i = 0; i < v.length; i++) {
      const slot = nulls !== null && nulls[i] !== 0 ? 2 : vals[i] !== 0 ? 1 : 0;
      let id = idOf[slot];
      if (id < 0) {
        id = idOf[slot] = this.size++;
        this.valueOf.push(slot);
      }
      out[i] = id;
    }
  }

  lookup(v: Vector, out: Int32Array): void {
    if (v.kind !== 'bool') throw new InternalError(`BOOLEAN key arrived as a ${v.kind} vector`);
    const vals = v.values;
    const nulls = v.nulls;
    for (let i = 0; i < v.length; i++) out[i] = this.idOf[nulls !== null && nulls[i] !== 0 ? 2 : vals[i] !== 0 ? 1 : 0];
  }

  emit(ids: Int32Array, count: number): Vector {
    const values = new Uint8Array(count);
    const nulls = new Uint8Array(count);
    let anyNull = 0;
    for (let k = 0; k < count; k++) {
      const slot = ids[k] < 0 ? 2 : this.valueOf[ids[k]];
      anyNull |= nulls[k] = slot === 2 ? 1 : 0;
      values[k] = slot === 1 ? 1 : 0;
    }
    return { kind: 'bool', length: count, values, nulls: anyNull ? nulls : null };
  }
}

/** Keys of the NULL type: every row is the NULL group. */
class NullInterner implements KeyInterner {
  size = 0;

  constructor(readonly type: DataType) {}

  intern(v: Vector, out: Int32Array): void {
    if (v.length > 0) this.size = 1;
    out.fill(0, 0, v.length);
  }

  lookup(v: Vector, out: Int32Array): void {
    out.fill(this.size > 0 ? 0 : -1, 0, v.length);
  }

  emit(_ids: Int32Array, count: number): Vector {
    return nullVector(this.type, count);
  }
}
