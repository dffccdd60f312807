/**
 * The GROUP BY key table: assigns every input row a dense group id from its key values,
 * across batches, and gives back the key values of each group at the end.
 *
 * Contract: one KeyInterner per key column turns values into per-column ids; with one key
 * column that id is the group id, with several the tuple of column ids goes through a
 * TupleHashSet whose ids are the group ids (when a batch's key columns have few distinct
 * combinations, a batch-local lookup table over the combined column ids answers most rows
 * before the hash set; when every key column is a small dictionary of strings, a table over the
 * combined dictionary codes answers the rows without interning the columns first). NULL is a key value like any other. Group ids
 * are dense, in order of first appearance. Zero key columns is not a table (global
 * aggregation has its own path in the operator).
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import { createKeyInterner, type KeyInterner } from './key-interner.js';
import { TupleHashSet } from './tuple-hash-set.js';

/** Most combinations of dictionary codes that assignByCodes lays out in a table. */
const CODE_COMBINATIONS = 4096;

export class GroupKeyTable {
  private readonly interners: KeyInterner[];
  private readonly tuples: TupleHashSet | null;
  private scratch: Int32Array[] = [];
  /** assignByCodes' table: the dictionaries it was built for, group id per code combination (-1 = not seen yet), column ids per code. */
  private codeDicts: readonly string[][] = [];
  private codeGroups = new Int32Array(0);
  private codeIds: Int32Array[] = [];
  /** One row of column ids, for interning a single tuple. */
  private readonly oneRow: Int32Array[];

  /** `hashOnly`: see createKeyInterner. */
  constructor(
    readonly types: readonly DataType[],
    hashOnly = false,
  ) {
    if (types.length === 0) throw new InternalError('GroupKeyTable needs at least one key column');
    this.interners = types.map((t) => createKeyInterner(t, hashOnly));
    this.tuples = types.length > 1 ? new TupleHashSet(types.length) : null;
    this.oneRow = types.map(() => new Int32Array(1));
  }

  /** Number of groups so far. */
  get size(): number {
    return this.tuples === null ? this.interners[0].size : this.tuples.size;
  }

  /** out[i] = group id of row i, from the key vectors (all of length n). */
  assign(keys: readonly Vector[], n: number, out: Int32Array): void {
    if (this.tuples === null) {
      this.interners[0].intern(keys[0], out);
      return;
    }
    if (this.assignByCodes(keys, n, out)) return;
    if (this.scratch.length === 0 || this.scratch[0].length < n) {
      this.scratch = this.interners.map(() => new Int32Array(Math.max(n, 1024)));
    }
    let product = 1;
    for (let c = 0; c < keys.length; c++) {
      this.interners[c].intern(keys[c], this.scratch[c]);
      product *= this.interners[c].size;
    }
    if (product <= n) this.assignDense(n, product, out);
    else this.tuples.internRows(this.scratch, n, out);
  }

  /** out[i] = group id of row i's keys, or -1 when that key tuple has no group; adds nothing. */
  lookup(keys: readonly Vector[], n: number, out: Int32Array): void {
    if (this.tuples === null) {
      this.interners[0].lookup(keys[0], out);
      return;
    }
    if (this.scratch.length === 0 || this.scratch[0].length < n) {
      this.scratch = this.interners.map(() => new Int32Array(Math.max(n, 1024)));
    }
    for (let c = 0; c < keys.length; c++) this.interners[c].lookup(keys[c], this.scratch[c]);
    const cols = this.scratch;
    for (let i = 0; i < n; i++) {
      let missing = false;
      for (let c = 0; c < cols.length; c++) if (cols[c][i] < 0) missing = true;
      out[i] = missing ? -1 : this.tuples.findRow(cols, i);
    }
  }

  /**
   * Every key column a dictionary string vector without NULLs, the dictionaries' sizes
   * multiplying to at most CODE_COMBINATIONS (TPC-H Q1's two flags): each row's group id is
   * looked up by the mixed-radix combination of its codes in a table kept while batches share
   * their dictionaries, one pass over the rows instead of interning every column first. A
   * combination's first row interns its tuple. Returns false, doing nothing, for other keys.
   */
  private assignByCodes(keys: readonly Vector[], n: number, out: Int32Array): boolean {
    let product = 1;
    for (const k of keys) {
      if (k.kind !== 'str' || k.nulls !== null) return false;
      product *= k.dict.length;
      if (product > CODE_COMBINATIONS) return false;
    }
    const strs = keys as readonly StrVector[];
    if (strs.length !== this.codeDicts.length || strs.some((k, c) => k.dict !== this.codeDicts[c] || k.dict.length !== this.codeIds[c].length)) {
      this.codeDicts = strs.map((k) => k.dict);
      this.codeGroups = new Int32Array(product).fill(-1);
      this.codeIds = strs.map((k, c) => {
        const ids = new Int32Array(k.dict.length);
        this.interners[c].intern({ kind: 'str', length: k.dict.length, codes: Int32Array.from(k.dict.keys()), dict: k.dict, nulls: null }, ids);
        return ids;
      });
    }
    const table = this.codeGroups;
    // Math.imul: an int32 multiply; `a[i] * radix` is a double multiply and a conversion back to an index per row (2.7x slower here).
    if (strs.length === 2) {
      const a = strs[0].codes;
      const b = strs[1].codes;
      const radix = strs[1].dict.length;
      for (let i = 0; i < n; i++) {
        const k = Math.imul(a[i], radix) + b[i];
        let g = table[k];
        if (g < 0) g = table[k] = this.internCodes(strs, i);
        out[i] = g;
      }
      return true;
    }
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (let c = 0; c < strs.length; c++) k = k * strs[c].dict.length + strs[c].codes[i];
      let g = table[k];
      if (g < 0) g = table[k] = this.internCodes(strs, i);
      out[i] = g;
    }
    return true;
  }

  /** The group id of row i's tuple of dictionary codes (assignByCodes' column ids), added when new. */
  private internCodes(keys: readonly StrVector[], i: number): number {
    for (let c = 0; c < keys.length; c++) this.oneRow[c][0] = this.codeIds[c][keys[c].codes[i]];
    return this.tuples!.internRow(this.oneRow, 0);
  }

  /**
   * Few distinct key combinations (product of the columns' id counts <= rows): a batch-local
   * lookup table from the mixed-radix combination of column ids to the group id, so most
   * rows cost a multiply-add and one Int32 load instead of a tuple hash probe.
   */
  private assignDense(n: number, product: number, out: Int32Array): void {
    const tuples = this.tuples!;
    const cols = this.scratch;
    const lut = new Int32Array(product).fill(-1);
    if (cols.length === 2) {
      const a = cols[0];
      const b = cols[1];
      const radix = this.interners[1].size;
      for (let i = 0; i < n; i++) {
        const k = Math.imul(a[i], radix) + b[i];
        let g = lut[k];
        if (g < 0) g = lut[k] = tuples.internRow(cols, i);
        out[i] = g;
      }
      return;
    }
    const combo = new Int32Array(n);
    for (let c = 0; c < cols.length; c++) {
      const ids = cols[c];
      const radix = this.interners[c].size;
      for (let i = 0; i < n; i++) combo[i] = Math.imul(combo[i], radix) + ids[i];
    }
    for (let i = 0; i < n; i++) {
      const k = combo[i];
      let g = lut[k];
      if (g < 0) g = lut[k] = tuples.internRow(cols, i);
      out[i] = g;
    }
  }

  /** Key columns for output rows: row k holds the keys of group groups[k]. */
  emitKeys(groups: Int32Array, count: number): Vector[] {
    if (this.tuples === null) return [this.interners[0].emit(groups, count)];
    const w = this.interners.length;
    const tuples = this.tuples.tuples;
    return this.interners.map((interner, c) => {
      const ids = new Int32Array(count);
      for (let k = 0; k < count; k++) ids[k] = tuples[groups[k] * w + c];
      return interner.emit(ids, count);
    });
  }
}
