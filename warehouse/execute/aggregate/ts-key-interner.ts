/**
 * The key interner of TIMESTAMP_NTZ group, DISTINCT and join keys: each distinct (seconds,
 * nanoseconds) pair of a 'ts' vector gets a dense id (see key-interner.ts for the contract),
 * so timestamps that differ only in nanoseconds are different keys.
 *
 * An open-addressing table keyed by the pair: slot s is table[3s] = seconds, table[3s + 1] =
 * nanoseconds, table[3s + 2] = id + 1 (0 = empty); linear probing over a power-of-two table
 * kept at most half full. The values of ids live in two typed arrays for emit.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { hashFloat } from './float-hash-set.js';
import type { KeyInterner } from './key-interner.js';
import { leaseF64, leaseI32, regrow } from '../batch/array-pool.js';

function hashTs(secs: number, nanos: number): number {
  const h = Math.imul(hashFloat(secs) ^ nanos, 0x9e3779b1);
  return h ^ (h >>> 15);
}

export class TsKeyInterner implements KeyInterner {
  size = 0;
  private table: Float64Array = new Float64Array(16 * 3);
  private mask = 15;
  private used = 0;
  private secs: Float64Array = new Float64Array(16);
  private nanos: Int32Array = new Int32Array(16);
  private nullId = -1;

  constructor(readonly type: DataType) {}

  intern(v: Vector, out: Int32Array): void {
    if (v.kind !== 'ts') throw new InternalError(`group key of type ${this.type.kind} arrived as a ${v.kind} vector`);
    const { secs, nanos, nulls, length } = v;
    for (let i = 0; i < length; i++) {
      if (nulls !== null && nulls[i] !== 0) {
        out[i] = this.nullId >= 0 ? this.nullId : (this.nullId = this.next(0, 0));
        continue;
      }
      out[i] = this.internPair(secs[i] + 0, nanos[i]);
    }
  }

  lookup(v: Vector, out: Int32Array): void {
    if (v.kind !== 'ts') throw new InternalError(`key of type ${this.type.kind} arrived as a ${v.kind} vector`);
    const { secs, nanos, nulls, length } = v;
    const table = this.table;
    const mask = this.mask;
    for (let i = 0; i < length; i++) {
      if (nulls !== null && nulls[i] !== 0) {
        out[i] = this.nullId;
        continue;
      }
      const x = secs[i] + 0;
      const ns = nanos[i];
      let s = hashTs(x, ns) & mask;
      let id = -1;
      for (;;) {
        const e = table[3 * s + 2];
        if (e === 0) break;
        if (table[3 * s] === x && table[3 * s + 1] === ns) {
          id = e - 1;
          break;
        }
        s = (s + 1) & mask;
      }
      out[i] = id;
    }
  }

  emit(ids: Int32Array, count: number): Vector {
    const nulls = new Uint8Array(count);
    const secs = new Float64Array(count);
    const nanos = new Int32Array(count);
    let anyNull = 0;
    for (let k = 0; k < count; k++) {
      const id = ids[k];
      if (id < 0 || id === this.nullId) {
        nulls[k] = 1;
        anyNull = 1;
        continue;
      }
      secs[k] = this.secs[id];
      nanos[k] = this.nanos[id];
    }
    return { kind: 'ts', length: count, secs, nanos, nulls: anyNull ? nulls : null };
  }

  private internPair(x: number, ns: number): number {
    const table = this.table;
    const mask = this.mask;
    let s = hashTs(x, ns) & mask;
    for (;;) {
      const e = table[3 * s + 2];
      if (e === 0) break;
      if (table[3 * s] === x && table[3 * s + 1] === ns) return e - 1;
      s = (s + 1) & mask;
    }
    const id = this.next(x, ns);
    table[3 * s] = x;
    table[3 * s + 1] = ns;
    table[3 * s + 2] = id + 1;
    if (++this.used * 2 > mask) this.grow();
    return id;
  }

  private next(x: number, ns: number): number {
    if (this.size === this.secs.length) {
      const secs = leaseF64(this.size * 2);
      secs.set(this.secs);
      this.secs = regrow(this.secs, secs);
      const nanos = leaseI32(this.size * 2);
      nanos.set(this.nanos);
      this.nanos = regrow(this.nanos, nanos);
    }
    this.secs[this.size] = x;
    this.nanos[this.size] = ns;
    return this.size++;
  }

  private grow(): void {
    const old = this.table;
    const cap = ((this.mask + 1) * 2) | 0;
    const mask = cap - 1;
    const table = leaseF64(cap * 3);
    for (let o = 0; o < old.length; o += 3) {
      if (old[o + 2] === 0) continue;
      let s = hashTs(old[o], old[o + 1]) & mask;
      while (table[3 * s + 2] !== 0) s = (s + 1) & mask;
      table[3 * s] = old[o];
      table[3 * s + 1] = old[o + 1];
      table[3 * s + 2] = old[o + 2];
    }
    this.table = regrow(old, table);
    this.mask = mask;
  }
}
