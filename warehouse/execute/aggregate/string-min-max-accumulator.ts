/**
 * MIN and MAX over VARCHAR, in JS string order (UTF-16 code units, the order ORDER BY uses).
 *
 * Contract: see accumulator.ts; state = result = one VARCHAR column, NULL for a group
 * without non-NULL values. When a batch's dictionary is no larger than the batch, the
 * dictionary is ranked once and rows compare Int32 ranks: each group's best code of the
 * batch is found first, then one string compare per touched group folds it into the
 * running best. Otherwise (a huge shared dictionary, few rows) rows compare strings.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import { rankDictionary } from '../batch/rank-dictionary.js';
import { growU8, type Accumulator } from './accumulator.js';

export class StringMinMaxAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[];
  private best: string[] = [];
  private has: Uint8Array = new Uint8Array(16);
  /** Per-group best code of the current batch (-1 = none); reset after each batch. */
  private bestCode: Int32Array = new Int32Array(16).fill(-1);
  private lastDict: string[] | null = null;
  private lastRank: Int32Array | null = null;

  constructor(
    private readonly isMax: boolean,
    argType: DataType,
  ) {
    this.stateTypes = [argType];
  }

  resize(groups: number): void {
    this.has = growU8(this.has, groups);
    while (this.best.length < groups) this.best.push('');
    if (this.bestCode.length < groups) {
      const grown = new Int32Array(this.has.length).fill(-1);
      grown.set(this.bestCode);
      this.bestCode = grown;
    }
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null) return;
    if (input.kind !== 'str') throw new InternalError(`MIN/MAX over VARCHAR got a ${input.kind} vector`);
    if (input.dict.length > n) this.foldStrings(input, gids, n);
    else this.foldRanks(input, gids, n);
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n);
  }

  private offer(g: number, s: string): void {
    if (!this.has[g] || (this.isMax ? s > this.best[g] : s < this.best[g])) {
      this.best[g] = s;
      this.has[g] = 1;
    }
  }

  private foldStrings(v: StrVector, gids: Int32Array | null, n: number): void {
    const { codes, dict, nulls } = v;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      this.offer(gids === null ? 0 : gids[i], dict[codes[i]]);
    }
  }

  private foldRanks(v: StrVector, gids: Int32Array | null, n: number): void {
    const { codes, dict, nulls } = v;
    if (dict !== this.lastDict || this.lastRank === null) {
      this.lastDict = dict;
      this.lastRank = rankDictionary(dict);
    }
    const rank = this.lastRank;
    const bestCode = this.bestCode;
    const touched = new Int32Array(gids === null ? 1 : n);
    let t = 0;
    const sign = this.isMax ? -1 : 1;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const g = gids === null ? 0 : gids[i];
      const c = codes[i];
      const b = bestCode[g];
      if (b < 0) {
        bestCode[g] = c;
        touched[t++] = g;
      } else if (sign * (rank[c] - rank[b]) < 0) {
        bestCode[g] = c;
      }
    }
    for (let k = 0; k < t; k++) {
      const g = touched[k];
      this.offer(g, dict[bestCode[g]]);
      bestCode[g] = -1;
    }
  }

  emitStates(groups: number): Vector[] {
    return [this.emitResult(groups)];
  }

  emitResult(groups: number): Vector {
    const codes = new Int32Array(groups);
    const nulls = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) {
      codes[g] = g;
      anyNull |= nulls[g] = this.has[g] ^ 1;
    }
    const dict = groups > 0 ? this.best.slice(0, groups) : [];
    return { kind: 'str', length: groups, codes, dict, nulls: anyNull ? nulls : null };
  }
}
