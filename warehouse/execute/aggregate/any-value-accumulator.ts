/**
 * ANY_VALUE(x): some non-NULL value of x per group, for any type; the first one this
 * accumulator meets (so the answer may differ with how rows are split across workers, as
 * Snowflake documents: the result is nondeterministic). NULLs are skipped, so a group is
 * NULL only when all its values are.
 *
 * Contract: see accumulator.ts; state = result = one column of x's type, NULL for a group
 * without non-NULL values; merge keeps the value already held. Values live in typed arrays
 * by group id: doubles for every numeric layout ('f64', 'i32', 'bool'; 'ts' seconds with an
 * Int32Array of nanoseconds beside them), a string per group
 * for VARCHAR, and a bigint side slot for values that arrive in a 'dec' (wide NUMBER) vector.
 */
import { isSemiStructured, isTimestamp, type DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { nullVector } from '../batch/null-vector.js';
import { growF64, growI32, growU8, type Accumulator } from './accumulator.js';

export class AnyValueAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[];
  private has: Uint8Array = new Uint8Array(16);
  private vals: Float64Array = new Float64Array(16);
  /** TIMESTAMP_NTZ: nanoseconds of the second per group (vals holds the seconds). */
  private nanos: Int32Array = new Int32Array(0);
  private strs: string[] = [];
  /** Per-group value when it came from a 'dec' vector; null until one does. */
  private wide: (bigint | undefined)[] | null = null;
  /** Groups that still have no value; lets a batch stop scanning once all are filled. */
  private missing = 0;
  private groups = 0;

  constructor(private readonly argType: DataType) {
    this.stateTypes = [argType];
  }

  resize(groups: number): void {
    this.has = growU8(this.has, groups);
    this.vals = growF64(this.vals, groups);
    if (isTimestamp(this.argType)) this.nanos = growI32(this.nanos, groups);
    if (this.argType.kind === 'VARCHAR' || isSemiStructured(this.argType)) while (this.strs.length < groups) this.strs.push('');
    if (groups > this.groups) {
      this.missing += groups - this.groups;
      this.groups = groups;
    }
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || this.argType.kind === 'NULL' || this.missing === 0) return;
    const has = this.has;
    const nulls = input.nulls;
    if (gids === null) {
      if (has[0]) return;
      let i = 0;
      while (i < n && nulls !== null && nulls[i] !== 0) i++;
      if (i < n) this.take(0, input, i);
      return;
    }
    for (let i = 0; i < n && this.missing > 0; i++) {
      if (has[gids[i]] || (nulls !== null && nulls[i] !== 0)) continue;
      this.take(gids[i], input, i);
    }
  }

  private take(g: number, v: Vector, i: number): void {
    switch (v.kind) {
      case 'str':
        this.strs[g] = v.dict[v.codes[i]];
        break;
      case 'dec':
        (this.wide ??= [])[g] = v.values[i];
        break;
      case 'ts':
        this.vals[g] = v.secs[i];
        this.nanos[g] = v.nanos[i];
        break;
      default:
        this.vals[g] = v.values[i];
    }
    this.has[g] = 1;
    this.missing--;
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n);
  }

  emitStates(groups: number): Vector[] {
    return [this.emitResult(groups)];
  }

  emitResult(groups: number): Vector {
    if (this.argType.kind === 'NULL') return nullVector(this.argType, groups);
    const has = this.has;
    let anyNull = 0;
    const mask = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) anyNull |= mask[g] = has[g] ^ 1;
    const nulls = anyNull ? mask : null;
    const vals = this.vals;
    switch (this.argType.kind) {
      case 'VARIANT':
      case 'OBJECT':
      case 'ARRAY':
      case 'BINARY':
      case 'VARCHAR': {
        const codes = new Int32Array(groups);
        for (let g = 0; g < groups; g++) codes[g] = g;
        return { kind: 'str', length: groups, codes, dict: groups > 0 ? this.strs.slice(0, groups) : [''], nulls };
      }
      case 'DATE':
        return { kind: 'i32', length: groups, values: Int32Array.from(vals.subarray(0, groups)), nulls };
      case 'BOOLEAN':
        return { kind: 'bool', length: groups, values: Uint8Array.from(vals.subarray(0, groups)), nulls };
      case 'NUMBER': {
        const wide = this.wide;
        if (wide !== null && wide.slice(0, groups).some((w) => w !== undefined)) {
          const values = new Array<bigint>(groups);
          for (let g = 0; g < groups; g++) values[g] = has[g] ? (wide[g] ?? BigInt(vals[g])) : 0n;
          return { kind: 'dec', length: groups, values, nulls };
        }
        return { kind: 'f64', length: groups, values: vals.slice(0, groups), nulls };
      }
      case 'FLOAT':
      case 'TIME':
        return { kind: 'f64', length: groups, values: vals.slice(0, groups), nulls };
      case 'TIMESTAMP_NTZ':
      case 'TIMESTAMP_LTZ':
      case 'TIMESTAMP_TZ':
        // A TZ's offset is not kept here: ANY_VALUE of a TZ shows its instant at offset 0.
        return { kind: 'ts', length: groups, secs: vals.slice(0, groups), nanos: this.nanos.slice(0, groups), nulls };
    }
  }
}
