/**
 * APPROX_COUNT_DISTINCT(x) (Snowflake's HLL(x)): a HyperLogLog estimate of the number of
 * distinct non-NULL values per group, over any type.
 *
 * Contract: see accumulator.ts. hll-hash.ts hashes the values; hll-register-file.ts keeps
 * per-group registers in typed arrays (sparse, then 4096 dense registers) and estimates. The partial state
 * is one VARCHAR column, the group's sketch text (NULL for a group without values), and
 * merging sketches is the register-wise maximum, so partial/final over any split of the rows
 * returns exactly the one-pass result. The result is NUMBER(18,0), never NULL (0 for a group
 * without values); DISTINCT in the call changes nothing.
 * Accuracy: the standard error is 1.04 / sqrt(4096) = 1.6% once a group has more than 256
 * distinct values; up to 256 the sparse form (2^25 registers) counts exactly in practice.
 * Measured in approx-count-distinct-accumulator.test.ts: 1,000,000 distinct integers are
 * estimated as 981,666 (relative error 1.83%), 100,000 distinct strings as 97,424 (2.58%);
 * over 40 to 150 independent sets each of 300, 1,000, 5,000, 20,000 and 100,000 integers the
 * root-mean-square relative error was 1.1% to 1.5%, with no bias beyond 0.3%.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { hllHashVector } from './hll-hash.js';
import { HLL_RANK_BITS, HllRegisterFile, denseIndex, denseRank } from './hll-register-file.js';
import type { Accumulator } from './accumulator.js';

export class ApproxCountDistinctAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [Types.varchar];
  private readonly file = new HllRegisterFile();
  private hi: Uint32Array = new Uint32Array(0);
  private lo: Uint32Array = new Uint32Array(0);

  constructor(private readonly argType: DataType) {}

  resize(groups: number): void {
    this.file.resize(groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || this.argType.kind === 'NULL' || n === 0) return;
    if (this.hi.length < n) {
      this.hi = new Uint32Array(Math.max(n, 1024));
      this.lo = new Uint32Array(Math.max(n, 1024));
    }
    const hi = this.hi;
    const lo = this.lo;
    hllHashVector(input, n, hi, lo);
    const nulls = input.nulls;
    const file = this.file;
    if (gids !== null) {
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        file.offer(gids[i], hi[i], lo[i]);
      }
      return;
    }
    // One group: offered one by one while sparse, then a plain register-max loop.
    let i = 0;
    for (; i < n && !file.isDense(0); i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      file.offer(0, hi[i], lo[i]);
    }
    if (i === n) return;
    const off = file.dense(0);
    const regs = file.registers();
    // Hand-inlined form of: file.offer(0, hi[i], lo[i]) on a dense group.
    for (; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const j = off + denseIndex(hi[i]);
      const rank = denseRank(hi[i], lo[i]);
      if (rank > regs[j]) regs[j] = rank;
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    const v = states[0];
    if (v.kind !== 'str') throw new InternalError(`APPROX_COUNT_DISTINCT state arrived as a ${v.kind} vector`);
    const nulls = v.nulls;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      this.file.mergeSketch(gids === null ? 0 : gids[i], v.dict[v.codes[i]]);
    }
  }

  emitStates(groups: number): Vector[] {
    const codes = new Int32Array(groups);
    const dict: string[] = [];
    const nulls = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) {
      const s = this.file.sketch(g);
      if (s === null) {
        anyNull = nulls[g] = 1;
        continue;
      }
      codes[g] = dict.length;
      dict.push(s);
    }
    if (dict.length === 0) dict.push('');
    return [{ kind: 'str', length: groups, codes, dict, nulls: anyNull ? nulls : null }];
  }

  emitResult(groups: number): Vector {
    const values = new Float64Array(groups);
    const histogram = new Float64Array(HLL_RANK_BITS + 2);
    for (let g = 0; g < groups; g++) values[g] = Math.round(this.file.estimate(g, histogram));
    return { kind: 'f64', length: groups, values, nulls: null };
  }
}
