/**
 * Numbering of a composite join key whose columns are all integers (NUMBER, DATE) and one of
 * them, the lead, spans a dense range (partsupp's (partkey, suppkey): 800,000 rows, 200,000
 * part keys, 4 suppliers each). The distinct tuples of one lead value are chained from an
 * array indexed by lead - min, so numbering and lookup index an array and compare a few
 * numbers, with no hashing and no table of a slot per tuple: per-column interners plus a
 * tuple hash set cost 5x as much time on that build.
 *
 * Lookups read a second, contiguous layout built once the numbering ends: each lead value's
 * tuples side by side (`start` offsets per lead value, then the tuples' other key values and
 * ids in that order), so a probe row costs one offset pair and a short scan of adjacent
 * values. Walking the chains instead (head, next, then the first build row of each tuple and
 * its key values) took about five dependent cache misses per probe row: TPC-H Q9's 319,000
 * lineitem rows against the 43,000 partsupp tuples of its green parts spent about 37 ms a
 * query there (timed around lookup on an XSMALL warehouse), 118 ns a row, against 14 ns for
 * the same lookups with nothing else in the cache.
 *
 * Contract: `number(...)` numbers the buffered build rows (the caller's Float64Array per
 * key column, the integer values as JoinKeyIds buffers them; `nulls` marks rows with any
 * NULL key, which get NULL_KEY) and answers null when some lead value has more than
 * MAX_WALK distinct tuples (then hashing is the better numbering). Ids are dense in order
 * of first appearance. It keeps the caller's arrays: a tuple is remembered by its first
 * row. `lookup` answers a probe row's tuple id or MISSING_KEY (NULLs are the caller's);
 * `emitKeys` gives back the key values of ids.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_EXACT, type Vector } from '../../../storage/types/vector.js';
import { leaseF64, leaseI32 } from '../batch/array-pool.js';

/** Distinct tuples one lead value may have before the numbering gives up. */
const MAX_WALK = 32;

export class LeadKeyTuples {
  private constructor(
    private readonly columns: readonly (Float64Array | Int32Array)[],
    private readonly lead: number,
    private readonly min: number,
    /** Bytes of the chains that numbered the tuples (leased until the join releases its lease; lookups never read them). */
    private readonly chainBytes: number,
    /** First build row of each tuple. */
    private readonly firstRow: Int32Array,
    readonly size: number,
    /** Lead offset o's tuples are slots [start[o], start[o + 1]) of csrIds and csrOthers. */
    private readonly start: Int32Array,
    /** Tuple id of each slot. */
    private readonly csrIds: Int32Array,
    /** Per non-lead key column, the tuple's value in each slot. */
    private readonly csrOthers: readonly Float64Array[],
  ) {}

  /**
   * Numbers rows [0, rows): `ids[r]` gets row r's tuple id (NULL_KEY where nulls[r]).
   * `min` and `range` bound the lead column's non-NULL values (range = max - min + 1).
   */
  static number(columns: readonly (Float64Array | Int32Array)[], nulls: Uint8Array | null, rows: number, lead: number, min: number, range: number, ids: Int32Array, nullKey: number): LeadKeyTuples | null {
    const head = leaseI32(range);
    const next = leaseI32(rows);
    const firstRow = leaseI32(rows);
    const leadValues = columns[lead];
    const others = columns.filter((_, c) => c !== lead);
    let size = 0;
    for (let r = 0; r < rows; r++) {
      if (nulls !== null && nulls[r] !== 0) {
        ids[r] = nullKey;
        continue;
      }
      const off = leadValues[r] - min;
      let t = head[off] - 1;
      let walked = 0;
      while (t >= 0 && !sameTuple(others, firstRow[t], others, r)) {
        t = next[t] - 1;
        if (++walked > MAX_WALK) return null;
      }
      if (t < 0) {
        t = size++;
        firstRow[t] = r;
        next[t] = head[off];
        head[off] = t + 1;
      }
      ids[r] = t;
    }
    // Slots by lead offset: count, prefix sums, then each offset's chain written out in place.
    const start = leaseI32(range + 1);
    const csrIds = leaseI32(size);
    const csrOthers = others.map(() => leaseF64(size));
    for (let t = 0; t < size; t++) start[leadValues[firstRow[t]] - min + 1]++;
    for (let o = 0; o < range; o++) start[o + 1] += start[o];
    for (let o = 0; o < range; o++) {
      let slot = start[o];
      for (let t = head[o] - 1; t >= 0; t = next[t] - 1, slot++) {
        csrIds[slot] = t;
        for (let c = 0; c < others.length; c++) csrOthers[c][slot] = others[c][firstRow[t]];
      }
    }
    return new LeadKeyTuples(columns, lead, min, head.byteLength + next.byteLength, firstRow, size, start, csrIds, csrOthers);
  }

  /** Bytes held besides the caller's column arrays. */
  get bytes(): number {
    const csr = this.start.byteLength + this.csrIds.byteLength + this.csrOthers.reduce((sum, a) => sum + a.byteLength, 0);
    return this.chainBytes + this.firstRow.byteLength + csr;
  }

  /** out[i] = tuple id of probe row i, MISSING_KEY when the build has no such tuple (NULL rows: any value). */
  lookup(keys: readonly Vector[], n: number, out: Int32Array, missingKey: number): void {
    const probe = keys.map((v) => asNumbers(v, n));
    const leadValues = probe[this.lead];
    const others = probe.filter((_, c) => c !== this.lead);
    const { start, csrIds, csrOthers, min } = this;
    const range = start.length - 1;
    if (others.length === 1) {
      // The loop below for a single other key column, without the per-column loop.
      const probed = others[0];
      const held = csrOthers[0];
      for (let i = 0; i < n; i++) {
        const off = leadValues[i] - min;
        let id = missingKey;
        if (off >= 0 && off < range && (off | 0) === off) {
          const v = probed[i];
          for (let slot = start[off], end = start[off + 1]; slot < end; slot++) {
            if (held[slot] === v) {
              id = csrIds[slot];
              break;
            }
          }
        }
        out[i] = id;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const off = leadValues[i] - min;
      let id = missingKey;
      if (off >= 0 && off < range && (off | 0) === off) {
        for (let slot = start[off], end = start[off + 1]; slot < end; slot++) {
          if (sameSlot(csrOthers, slot, others, i)) {
            id = csrIds[slot];
            break;
          }
        }
      }
      out[i] = id;
    }
  }

  /** The key tuples of ids[0..count) as one vector per key column (i32 for DATE, f64 otherwise). */
  emitKeys(ids: Int32Array, count: number, types: readonly DataType[]): Vector[] {
    const firstRow = this.firstRow;
    return this.columns.map((col, c): Vector => {
      if (types[c].kind === 'DATE') {
        const values = new Int32Array(count);
        for (let k = 0; k < count; k++) values[k] = col[firstRow[ids[k]]];
        return { kind: 'i32', length: count, values, nulls: null };
      }
      const values = new Float64Array(count);
      for (let k = 0; k < count; k++) values[k] = col[firstRow[ids[k]]];
      return { kind: 'f64', length: count, values, nulls: null };
    });
  }
}

/** Whether slot a of the held columns equals probe row b, column by column. */
function sameSlot(held: readonly Float64Array[], a: number, probe: readonly (Float64Array | Int32Array)[], b: number): boolean {
  for (let c = 0; c < held.length; c++) if (held[c][a] !== probe[c][b]) return false;
  return true;
}

/** Whether row a of columns `as` equals row b of columns `bs`, column by column. */
function sameTuple(as: readonly (Float64Array | Int32Array)[], a: number, bs: readonly (Float64Array | Int32Array)[], b: number): boolean {
  for (let c = 0; c < as.length; c++) if (as[c][a] !== bs[c][b]) return false;
  return true;
}

/** A key vector's values as numbers: NUMBERs beyond exact doubles become NaN, which equals nothing. */
function asNumbers(v: Vector, n: number): Float64Array | Int32Array {
  if (v.kind === 'f64' || v.kind === 'i32') return v.values;
  if (v.kind !== 'dec') throw new InternalError(`integer join key arrived as a ${v.kind} vector`);
  const out = new Float64Array(n);
  const limit = BigInt(MAX_EXACT);
  const vals = v.values;
  for (let i = 0; i < n; i++) {
    const b = vals[i];
    out[i] = b <= limit && b >= -limit ? Number(b) : NaN;
  }
  return out;
}
