/**
 * ARRAY_UNION_AGG(a): the union of a group's ARRAYs with multiset semantics, as Snowflake
 * documents it: a value appears in the result as many times as it appears in the one input
 * array holding it most often (ARRAY_UNION_AGG over [1,1,2] and [1,2,3] is [1,1,2,3]).
 *
 * How: each element's canonical JSON text gets an id from a string KeyInterner, (group,
 * element id) pairs get ids from a TupleHashSet, and each pair keeps the largest count seen in
 * one array, in a Float64Array. Contract: see accumulator.ts; the binder has made the argument
 * an ARRAY ('str' canonical text). NULL arrays and SQL NULL elements ('undefined') are ignored;
 * a JSON null element is a value like any other. It is a SpanningAccumulator: the partial state
 * is each group's (element, count) pairs, one row each, in columns [VARIANT, count NUMBER(18,0)]
 * (partial-state-types.ts); merge keeps the larger count. Result: an ARRAY of the elements in
 * their text order, each repeated its count times; [] for a group without elements (never
 * NULL, as in Snowflake).
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import { arrayElements } from '../../../storage/types/variant-json.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, type SpanningAccumulator } from './accumulator.js';
import { createKeyInterner } from './key-interner.js';
import { TupleHashSet } from './tuple-hash-set.js';

export class ArrayUnionAccumulator implements SpanningAccumulator {
  readonly stateTypes: readonly DataType[] = [Types.variant, COUNT_TYPE];
  private readonly elements = createKeyInterner(Types.variant);
  private readonly pairs = new TupleHashSet(2);
  /** Most occurrences in one array, by pair id. */
  private most: Float64Array = new Float64Array(1024);

  resize(): void {
    // Pairs, not groups, take the space; they grow in update.
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || n === 0) return;
    if (input.kind !== 'str') throw new InternalError(`ARRAY_UNION_AGG got a ${input.kind} vector`);
    const texts: string[] = [];
    const owners: number[] = [];
    const counts: number[] = [];
    const nulls = input.nulls;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const inThis = new Map<string, number>();
      for (const e of arrayElements(input.dict[input.codes[i]])) if (e !== 'undefined') inThis.set(e, (inThis.get(e) ?? 0) + 1);
      for (const [e, c] of inThis) {
        texts.push(e);
        owners.push(gids === null ? 0 : gids[i]);
        counts.push(c);
      }
    }
    this.add(texts, owners, counts);
  }

  /** Folds element texts[k] of group owners[k], seen counts[k] times in one array. */
  private add(texts: string[], owners: number[], counts: number[]): void {
    const m = texts.length;
    if (m === 0) return;
    const ids = new Int32Array(m);
    const codes = new Int32Array(m);
    for (let k = 0; k < m; k++) codes[k] = k;
    this.elements.intern({ kind: 'str', length: m, codes, dict: texts, nulls: null }, ids);
    this.most = growF64(this.most, this.pairs.size + m);
    for (let k = 0; k < m; k++) {
      const p = this.pairs.intern2(owners[k], ids[k]);
      if (counts[k] > this.most[p]) this.most[p] = counts[k];
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    const [element, count] = states;
    if (element.kind !== 'str') throw new InternalError(`ARRAY_UNION_AGG element state arrived as a ${element.kind} vector`);
    const texts: string[] = [];
    const owners: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < n; i++) {
      if (element.nulls !== null && element.nulls[i] !== 0) continue;
      texts.push(element.dict[element.codes[i]]);
      owners.push(gids === null ? 0 : gids[i]);
      counts.push(count.kind === 'dec' ? Number(count.values[i]) : (count as Extract<Vector, { kind: 'f64' }>).values[i]);
    }
    this.add(texts, owners, counts);
  }

  entryGroups(): Int32Array {
    const count = this.pairs.size;
    const t = this.pairs.tuples;
    const groups = new Int32Array(count);
    for (let k = 0; k < count; k++) groups[k] = t[2 * k];
    return groups;
  }

  emitEntries(sel: Int32Array, count: number): Vector[] {
    const t = this.pairs.tuples;
    const ids = new Int32Array(count);
    const counts = new Float64Array(count);
    for (let r = 0; r < count; r++) {
      const p = sel[r];
      ids[r] = p < 0 ? -1 : t[2 * p + 1];
      if (p >= 0) counts[r] = this.most[p];
    }
    return [this.elements.emit(ids, count), { kind: 'f64', length: count, values: counts, nulls: null }];
  }

  emitStates(): Vector[] {
    throw new InternalError('ARRAY_UNION_AGG emits its (element, count) pairs, not per-group states');
  }

  emitResult(groups: number): Vector {
    const size = this.pairs.size;
    const t = this.pairs.tuples;
    const ids = new Int32Array(size);
    for (let p = 0; p < size; p++) ids[p] = t[2 * p + 1];
    const texts = this.elements.emit(ids, size) as StrVector;
    const parts: { text: string; count: number }[][] = Array.from({ length: groups }, () => []);
    for (let p = 0; p < size; p++) parts[t[2 * p]].push({ text: texts.dict[texts.codes[p]], count: this.most[p] });
    const out = parts.map((list) => {
      list.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
      return `[${list.flatMap((e) => Array<string>(e.count).fill(e.text)).join(',')}]`;
    });
    return { kind: 'str', length: groups, codes: Int32Array.from({ length: groups }, (_, g) => g), dict: groups === 0 ? [''] : out, nulls: null };
  }
}
