/**
 * BITAND_AGG, BITOR_AGG and BITXOR_AGG: the bitwise AND / OR / XOR of a group's non-NULL values
 * as signed 64-bit integers, kept per group in two Int32Arrays (high and low 32-bit halves,
 * two's complement) plus a has-value flag.
 *
 * Why halves: JS bitwise operators work on 32 bits and BigInt per row is slow, while the
 * operations act bit by bit, so each half combines on its own. Contract: see accumulator.ts;
 * state [value NUMBER(19,0), NULL when the group has no value] (partial-state-types.ts), merged
 * with the same operation. The binder has rounded the argument to NUMBER(38,0) (Snowflake rounds
 * decimals and floats to the nearest integer, and reads text as FLOAT first); a value outside
 * the signed 64-bit range raises NUMERIC_OUT_OF_RANGE. Result: NUMBER(38,0), NULL for a group
 * without a non-NULL value.
 */
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { fromBigints } from '../functions/decimal.js';
import { growI32, growU8, type Accumulator } from './accumulator.js';

export type BitAggFn = 'bitand_agg' | 'bitor_agg' | 'bitxor_agg';

const TWO_32 = 4294967296;
const STATE_TYPE = Types.number(19, 0);

export class BitAggAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [STATE_TYPE];
  private hi: Int32Array = new Int32Array(16);
  private lo: Int32Array = new Int32Array(16);
  private seen: Uint8Array = new Uint8Array(16);
  /** The identity of the operation in each half: all ones for AND, zero for OR and XOR. */
  private readonly identity: number;

  constructor(
    private readonly fn: BitAggFn,
    private readonly resultType: DataType,
  ) {
    this.identity = fn === 'bitand_agg' ? -1 : 0;
    this.hi.fill(this.identity);
    this.lo.fill(this.identity);
  }

  resize(groups: number): void {
    this.hi = growI32(this.hi, groups, this.identity);
    this.lo = growI32(this.lo, groups, this.identity);
    this.seen = growU8(this.seen, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || n === 0) return;
    const nulls = input.nulls;
    const hi = this.hi;
    const lo = this.lo;
    const seen = this.seen;
    const and = this.fn === 'bitand_agg';
    const or = this.fn === 'bitor_agg';
    const fold = (g: number, h: number, l: number): void => {
      seen[g] = 1;
      if (and) {
        hi[g] &= h;
        lo[g] &= l;
      } else if (or) {
        hi[g] |= h;
        lo[g] |= l;
      } else {
        hi[g] ^= h;
        lo[g] ^= l;
      }
    };
    if (input.kind === 'f64') {
      const x = input.values;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const v = x[i];
        fold(gids === null ? 0 : gids[i], Math.floor(v / TWO_32) | 0, (v % TWO_32) | 0);
      }
    } else if (input.kind === 'dec') {
      const x = input.values;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const b = x[i];
        if (BigInt.asIntN(64, b) !== b) throw new DataError('NUMERIC_OUT_OF_RANGE', `Number out of representable range: ${this.fn.toUpperCase()} takes 64-bit integers, got ${b}`);
        fold(gids === null ? 0 : gids[i], Number(BigInt.asIntN(32, b >> 32n)), Number(BigInt.asIntN(32, b)));
      }
    } else {
      throw new InternalError(`${this.fn.toUpperCase()} got a ${input.kind} vector`);
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n);
  }

  /** Each group's value as a signed 64-bit bigint (0 where the group has none, masked NULL). */
  private values(groups: number): { values: bigint[]; nulls: Uint8Array | null } {
    const values = new Array<bigint>(groups);
    const mask = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) {
      if (this.seen[g] === 0) {
        anyNull = mask[g] = 1;
        values[g] = 0n;
        continue;
      }
      values[g] = (BigInt(this.hi[g]) << 32n) | BigInt(this.lo[g] >>> 0);
    }
    return { values, nulls: anyNull ? mask : null };
  }

  emitStates(groups: number): Vector[] {
    const { values, nulls } = this.values(groups);
    return [fromBigints(values, nulls, 19, 0)];
  }

  emitResult(groups: number): Vector {
    const { values, nulls } = this.values(groups);
    const t = this.resultType as Extract<DataType, { kind: 'NUMBER' }>;
    return fromBigints(values, nulls, t.precision, 0);
  }
}
