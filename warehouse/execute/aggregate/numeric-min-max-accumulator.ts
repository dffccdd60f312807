/**
 * MIN and MAX over every non-string type except TIMESTAMP_NTZ (ts-min-max-accumulator.ts):
 * NUMBER (exact, 'f64' or 'dec'), FLOAT, DATE, BOOLEAN (FALSE < TRUE) and the NULL type (always NULL).
 *
 * Contract: see accumulator.ts; state = result = one column of the argument's type, NULL
 * for a group without non-NULL values. FLOAT orders NaN above every other value (as
 * Snowflake does): MAX is NaN when any NaN is present, MIN ignores NaN unless all values
 * are NaN. Per-group extremes are doubles; a NUMBER past 2^53 moves its group to a bigint
 * side slot, after which the (rare) exact mixed number/bigint kernel is used.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_EXACT, type Vector } from '../../../storage/types/vector.js';
import { nullVector } from '../batch/null-vector.js';
import { growF64, growU8, type Accumulator } from './accumulator.js';

type NumArray = Float64Array | Int32Array | Uint8Array;

export class NumericMinMaxAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[];
  private vals: Float64Array;
  private has: Uint8Array = new Uint8Array(16);
  /** Per-group extreme when it is a NUMBER past 2^53 (undefined otherwise); null until needed. */
  private wide: (bigint | undefined)[] | null = null;
  /** Value of an empty group: the identity of the comparison. */
  private readonly identity: number;
  private readonly nanAware: boolean;

  constructor(
    private readonly isMax: boolean,
    private readonly argType: DataType,
  ) {
    this.stateTypes = [argType];
    this.nanAware = argType.kind === 'FLOAT';
    // NaN is the greatest FLOAT, so it is MIN's identity there (see minFloat).
    this.identity = isMax ? -Infinity : this.nanAware ? NaN : Infinity;
    this.vals = new Float64Array(16).fill(this.identity);
  }

  resize(groups: number): void {
    this.vals = growF64(this.vals, groups, this.identity);
    this.has = growU8(this.has, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || this.argType.kind === 'NULL') return;
    if (input.kind === 'dec' || this.wide !== null) return this.foldExact(input, gids, n);
    if (input.kind === 'str' || input.kind === 'ts') throw new InternalError(`MIN/MAX over ${this.argType.kind} got a str vector`);
    const x = input.values;
    const nulls = input.nulls;
    if (gids === null) {
      this.foldGlobal(x, nulls, n);
    } else if (this.isMax) {
      if (this.nanAware) maxFloat(this.vals, this.has, x, nulls, gids, n);
      else maxPlain(this.vals, this.has, x, nulls, gids, n);
    } else if (this.nanAware) {
      minFloat(this.vals, this.has, x, nulls, gids, n);
    } else {
      minPlain(this.vals, this.has, x, nulls, gids, n);
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n);
  }

  private foldGlobal(x: NumArray, nulls: Uint8Array | null, n: number): void {
    let cur = this.vals[0];
    let seen = 0;
    // NaN-aware forms (see maxFloat/minFloat); for other types the NaN tests never fire.
    if (this.isMax) {
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const v = x[i];
        seen = 1;
        if (v > cur || v !== v) cur = v;
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const v = x[i];
        seen = 1;
        if (v < cur || cur !== cur) cur = v;
      }
    }
    this.vals[0] = cur;
    this.has[0] |= seen;
  }

  /** Exact kernel for NUMBER with values past 2^53: compares number and bigint exactly. */
  private foldExact(input: Vector, gids: Int32Array | null, n: number): void {
    if (input.kind !== 'dec' && input.kind !== 'f64') throw new InternalError(`MIN/MAX over NUMBER got a ${input.kind} vector`);
    const wide = (this.wide ??= []);
    const nulls = input.nulls;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const g = gids === null ? 0 : gids[i];
      const x = input.values[i];
      const cur = wide[g] ?? this.vals[g];
      if (this.has[g] && !(this.isMax ? x > cur : x < cur)) continue;
      this.has[g] = 1;
      if (typeof x === 'bigint' && (x > BigInt(MAX_EXACT) || x < -BigInt(MAX_EXACT))) {
        wide[g] = x;
      } else {
        wide[g] = undefined;
        this.vals[g] = Number(x);
      }
    }
  }

  emitStates(groups: number): Vector[] {
    return [this.emitResult(groups)];
  }

  emitResult(groups: number): Vector {
    if (this.argType.kind === 'NULL') return nullVector(this.argType, groups);
    const has = this.has;
    const vals = this.vals;
    let anyNull = 0;
    const nulls = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) anyNull |= nulls[g] = has[g] ^ 1;
    const mask = anyNull ? nulls : null;
    const wide = this.wide;
    if (wide !== null && wide.slice(0, groups).some((w) => w !== undefined)) {
      const values = new Array<bigint>(groups);
      for (let g = 0; g < groups; g++) values[g] = has[g] ? (wide[g] ?? BigInt(vals[g])) : 0n;
      return { kind: 'dec', length: groups, values, nulls: mask };
    }
    switch (this.argType.kind) {
      case 'DATE': {
        const values = new Int32Array(groups);
        for (let g = 0; g < groups; g++) values[g] = has[g] ? vals[g] : 0;
        return { kind: 'i32', length: groups, values, nulls: mask };
      }
      case 'BOOLEAN': {
        const values = new Uint8Array(groups);
        for (let g = 0; g < groups; g++) values[g] = has[g] ? vals[g] : 0;
        return { kind: 'bool', length: groups, values, nulls: mask };
      }
      default: {
        const values = new Float64Array(groups);
        for (let g = 0; g < groups; g++) values[g] = has[g] ? vals[g] : 0;
        return { kind: 'f64', length: groups, values, nulls: mask };
      }
    }
  }
}

// One kernel per (MIN/MAX, NaN-aware or not); each is the simple loop
//   for each non-NULL row: if (x better than vals[g]) vals[g] = x; has[g] = 1

function maxPlain(vals: Float64Array, has: Uint8Array, x: NumArray, nulls: Uint8Array | null, gids: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const g = gids[i];
    const v = x[i];
    if (v > vals[g]) vals[g] = v;
    has[g] = 1;
  }
}

function minPlain(vals: Float64Array, has: Uint8Array, x: NumArray, nulls: Uint8Array | null, gids: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const g = gids[i];
    const v = x[i];
    if (v < vals[g]) vals[g] = v;
    has[g] = 1;
  }
}

/** MAX with NaN greatest: a NaN input always wins, nothing beats a NaN. */
function maxFloat(vals: Float64Array, has: Uint8Array, x: NumArray, nulls: Uint8Array | null, gids: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const g = gids[i];
    const v = x[i];
    if (v > vals[g] || v !== v) vals[g] = v;
    has[g] = 1;
  }
}

/** MIN with NaN greatest: the state starts at NaN and anything replaces a NaN. */
function minFloat(vals: Float64Array, has: Uint8Array, x: NumArray, nulls: Uint8Array | null, gids: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const g = gids[i];
    const v = x[i];
    const cur = vals[g];
    if (v < cur || cur !== cur) vals[g] = v;
    has[g] = 1;
  }
}
