/**
 * Growable output columns for loaders: typed buffers that decoding kernels write into by row
 * index, then hand over as one immutable Vector (storage/types/vector.ts).
 *
 * Contract: ensure(n) before writing rows < n; kernels read the typed array fields after
 * ensure() (growing replaces them). NUMBER columns start as 'f64' (exact scaled integers) and
 * switch once, for good, to 'dec' when a value does not fit in 2^53 (toDec). The NULL mask
 * is allocated on the first NULL. compact() drops rejected rows of the last chunk so loaded
 * rows stay contiguous. finish(length) returns the vector (views, no copy); a 'str' vector
 * that lost rows gets a dictionary of only the strings still used.
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { Vector } from '../../storage/types/vector.js';
import { InternalError } from '../../storage/errors/firn-error.js';
import { StringDictionary } from './string-dictionary.js';

export type BuilderKind = 'bool' | 'f64' | 'i32' | 'dec' | 'str' | 'ts';

export function builderKindOf(type: DataType): BuilderKind {
  switch (type.kind) {
    case 'BOOLEAN':
      return 'bool';
    case 'NUMBER':
    case 'FLOAT':
    case 'TIME':
      return 'f64';
    case 'TIMESTAMP_NTZ':
      return 'ts';
    case 'DATE':
      return 'i32';
    case 'VARCHAR':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
      return 'str';
    default:
      throw new InternalError(`a table column cannot have type ${type.kind}`);
  }
}

export class VectorBuilder {
  kind: BuilderKind;
  capacity: number;
  /** 'bool' values. */
  u8: Uint8Array;
  /** 'f64' values; 'ts' whole seconds. */
  f64: Float64Array;
  /** 'ts' nanoseconds of the second. */
  nanos: Int32Array;
  /** 'i32' values. */
  i32: Int32Array;
  /** 'str' dictionary codes. */
  codes: Int32Array;
  /** 'dec' values. */
  dec: bigint[] = [];
  /** 'str' dictionary (null for other kinds). */
  readonly strings: StringDictionary | null;
  nulls: Uint8Array | null = null;
  /** Whether compact() dropped rows (their dictionary entries may be unused now). */
  private dropped = false;

  constructor(kind: BuilderKind, capacity: number, source: Uint8Array) {
    this.kind = kind;
    this.capacity = capacity;
    this.u8 = new Uint8Array(kind === 'bool' ? capacity : 0);
    this.f64 = new Float64Array(kind === 'f64' || kind === 'ts' ? capacity : 0);
    this.nanos = new Int32Array(kind === 'ts' ? capacity : 0);
    this.i32 = new Int32Array(kind === 'i32' ? capacity : 0);
    this.codes = new Int32Array(kind === 'str' ? capacity : 0);
    this.strings = kind === 'str' ? new StringDictionary(source) : null;
  }

  ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, Math.ceil(this.capacity * 1.5));
    if (this.kind === 'bool') this.u8 = grown(this.u8, new Uint8Array(cap));
    if (this.kind === 'f64' || this.kind === 'ts') this.f64 = grown(this.f64, new Float64Array(cap));
    if (this.kind === 'ts') this.nanos = grown(this.nanos, new Int32Array(cap));
    if (this.kind === 'i32') this.i32 = grown(this.i32, new Int32Array(cap));
    if (this.kind === 'str') this.codes = grown(this.codes, new Int32Array(cap));
    if (this.nulls) this.nulls = grown(this.nulls, new Uint8Array(cap));
    this.capacity = cap;
  }

  setNull(row: number): void {
    if (!this.nulls) this.nulls = new Uint8Array(this.capacity);
    this.nulls[row] = 1;
  }

  /** Switches an 'f64' NUMBER column to exact bigints; the first `rows` values are kept. */
  toDec(rows: number): void {
    if (this.kind !== 'f64') throw new InternalError(`cannot widen a '${this.kind}' column to 'dec'`);
    const dec = new Array<bigint>(rows);
    const f64 = this.f64;
    for (let i = 0; i < rows; i++) dec[i] = BigInt(f64[i]);
    this.dec = dec;
    this.f64 = new Float64Array(0);
    this.kind = 'dec';
  }

  /** Removes rows base + r where bad[r] = 1, for r < count, shifting later rows of the chunk down. */
  compact(base: number, count: number, bad: Uint8Array): void {
    let w = base;
    for (let r = 0; r < count; r++) {
      if (bad[r] === 1) continue;
      const from = base + r;
      if (from !== w) this.move(from, w);
      w++;
    }
    if (this.nulls) this.nulls.fill(0, w, base + count);
    if (this.kind === 'dec') this.dec.length = w;
    if (w < base + count) this.dropped = true;
  }

  private move(from: number, to: number): void {
    switch (this.kind) {
      case 'bool':
        this.u8[to] = this.u8[from];
        break;
      case 'f64':
        this.f64[to] = this.f64[from];
        break;
      case 'ts':
        this.f64[to] = this.f64[from];
        this.nanos[to] = this.nanos[from];
        break;
      case 'i32':
        this.i32[to] = this.i32[from];
        break;
      case 'str':
        this.codes[to] = this.codes[from];
        break;
      case 'dec':
        this.dec[to] = this.dec[from];
        break;
    }
    if (this.nulls) this.nulls[to] = this.nulls[from];
  }

  finish(length: number): Vector {
    let nulls: Uint8Array | null = null;
    if (this.nulls) {
      nulls = this.nulls.subarray(0, length);
      if (nulls.indexOf(1) < 0) nulls = null;
    }
    switch (this.kind) {
      case 'bool':
        return { kind: 'bool', length, values: this.u8.subarray(0, length), nulls };
      case 'f64':
        return { kind: 'f64', length, values: this.f64.subarray(0, length), nulls };
      case 'ts':
        return { kind: 'ts', length, secs: this.f64.subarray(0, length), nanos: this.nanos.subarray(0, length), nulls };
      case 'i32':
        return { kind: 'i32', length, values: this.i32.subarray(0, length), nulls };
      case 'dec':
        return { kind: 'dec', length, values: this.dec.slice(0, length), nulls };
      case 'str': {
        const codes = this.codes.subarray(0, length);
        let dict = this.strings?.dict ?? [];
        if (this.dropped) dict = keepUsed(codes, nulls, dict);
        // Codes under NULL rows are 0, so they must index something.
        if (length > 0 && dict.length === 0) dict.push('');
        return { kind: 'str', length, codes, dict, nulls };
      }
    }
  }
}

/** Rewrites codes to index a dictionary of only the entries they use (rows under NULL get 0). */
function keepUsed(codes: Int32Array, nulls: Uint8Array | null, dict: string[]): string[] {
  const remap = new Int32Array(dict.length).fill(-1);
  const kept: string[] = [];
  for (let i = 0; i < codes.length; i++) {
    if (nulls && nulls[i] === 1) {
      codes[i] = 0;
      continue;
    }
    const c = codes[i];
    let m = remap[c];
    if (m < 0) {
      m = kept.length;
      kept.push(dict[c]);
      remap[c] = m;
    }
    codes[i] = m;
  }
  return kept;
}

function grown<T extends Uint8Array | Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
