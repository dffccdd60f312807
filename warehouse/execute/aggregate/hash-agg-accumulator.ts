/**
 * HASH_AGG(e1, ...): an order-independent 64-bit fingerprint of a group's rows, the sum modulo
 * 2^64 of each row's HASH(e1, ...) (warehouse/execute/functions/hash.ts), kept per group in two
 * Int32Arrays (high and low 32-bit halves with the carry propagated).
 *
 * Why a sum: addition modulo 2^64 is commutative and associative, so rows may arrive in any
 * order and partial sums from any split of the rows across workers add up to the same value;
 * an empty group sums to 0, which is what Snowflake documents for no input. Like HASH, the
 * values are Firn's own and differ from Snowflake's. Contract: see accumulator.ts; the binder
 * passes the HASH call as the argument (NUMBER(19,0), never NULL: a row with NULLs still
 * counts, as in Snowflake); state [sum NUMBER(19,0)], never NULL; result the signed sum.
 * HASH_AGG(DISTINCT ...) sums over the distinct row hashes (distinct-accumulator.ts).
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { fromBigints } from '../functions/decimal.js';
import { growI32, type Accumulator } from './accumulator.js';

const TWO_32 = 4294967296;

export class HashAggAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [Types.number(19, 0)];
  private hi: Int32Array = new Int32Array(16);
  private lo: Int32Array = new Int32Array(16);

  resize(groups: number): void {
    this.hi = growI32(this.hi, groups);
    this.lo = growI32(this.lo, groups);
  }

  /** Adds the 64-bit value (h, l) (halves as int32) to group g, modulo 2^64. */
  private add(g: number, h: number, l: number): void {
    const low = (this.lo[g] >>> 0) + (l >>> 0);
    this.lo[g] = low | 0;
    this.hi[g] = (this.hi[g] + h + (low >= TWO_32 ? 1 : 0)) | 0;
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || n === 0) return;
    const nulls = input.nulls;
    if (input.kind === 'dec') {
      const x = input.values;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const b = x[i];
        this.add(gids === null ? 0 : gids[i], Number(BigInt.asIntN(32, b >> 32n)), Number(BigInt.asIntN(32, b)));
      }
    } else if (input.kind === 'f64') {
      const x = input.values;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const v = x[i];
        this.add(gids === null ? 0 : gids[i], Math.floor(v / TWO_32) | 0, (v % TWO_32) | 0);
      }
    } else {
      throw new InternalError(`HASH_AGG got a ${input.kind} vector`);
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n);
  }

  private sums(groups: number): Vector {
    const values = new Array<bigint>(groups);
    for (let g = 0; g < groups; g++) values[g] = (BigInt(this.hi[g]) << 32n) | BigInt(this.lo[g] >>> 0);
    return fromBigints(values, null, 19, 0);
  }

  emitStates(groups: number): Vector[] {
    return [this.sums(groups)];
  }

  emitResult(groups: number): Vector {
    return this.sums(groups);
  }
}
