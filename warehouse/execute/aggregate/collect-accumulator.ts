/**
 * The collecting aggregates: LISTAGG([DISTINCT] x [, delimiter]), ARRAY_AGG([DISTINCT] x),
 * each with an optional WITHIN GROUP (ORDER BY ...), and OBJECT_AGG([DISTINCT] k, v).
 *
 * Contract: see accumulator.ts. The binder has cast the argument to its text form (LISTAGG:
 * VARCHAR; ARRAY_AGG: VARIANT, canonical JSON; OBJECT_AGG: k VARCHAR, v VARIANT), so every
 * input is a 'str' vector. Every non-NULL input row (OBJECT_AGG: key and value non-NULL) is an
 * entry: its text in `vals`, its group in `owner`, and its `extras` (the WITHIN GROUP keys, or
 * OBJECT_AGG's value), kept as the gathered vectors of each batch and concatenated on demand.
 * It is a SpanningAccumulator: the partial state is the entries, one row each, in columns
 * [x's type, ...extra types] (partial-state-types.ts), and merge is update. At the end a
 * counting sort lays each group's entries out together and each slice is sorted by the
 * WITHIN GROUP keys (NULL placement and DESC as ORDER BY), ties by the text, then by arrival;
 * without WITHIN GROUP by the text alone (Snowflake leaves that order unspecified; this makes it
 * the same on every warehouse size). DISTINCT keeps a text's first entry in that order
 * (OBJECT_AGG: a (key, value) pair's). Results: LISTAGG joins with the delimiter ('' default),
 * '' for a group without values; ARRAY_AGG '[...]', [] for none; OBJECT_AGG an OBJECT with
 * keys sorted ({} for none), a key twice in a group is DataError INVALID_ARGUMENT_VALUE
 * "Duplicate field key", as in Snowflake.
 */
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { objectText } from '../../../storage/types/variant-json.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import type { AggregateCall } from '../../fragment/bound-expr.js';
import { concatVectors } from '../batch/concat-batches.js';
import { gatherVector } from '../batch/gather-vector.js';
import { nullVector } from '../batch/null-vector.js';
import { keyComparator, type RowComparator } from '../sort/row-comparator.js';
import { growI32, type SpanningAccumulator } from './accumulator.js';

export type CollectFn = 'listagg' | 'array_agg' | 'object_agg';

/** The expressions besides the argument a collecting call evaluates per row: OBJECT_AGG's value, or the WITHIN GROUP keys. */
export function collectExtras(call: AggregateCall): AggregateCall['arg'][] {
  if (call.fn === 'object_agg') return call.value === undefined ? [] : [call.value];
  return (call.orderBy ?? []).map((k) => k.expr);
}

export function isCollectCall(call: AggregateCall): boolean {
  return call.fn === 'listagg' || call.fn === 'array_agg' || call.fn === 'object_agg';
}

export class CollectAccumulator implements SpanningAccumulator {
  readonly stateTypes: readonly DataType[];
  private readonly fn: CollectFn;
  private readonly extraTypes: DataType[];
  private vals: string[] = [];
  private owner: Int32Array = new Int32Array(1024);
  private count = 0;
  /** Per extra column, the gathered vectors of its entries in entry order. */
  private chunks: Vector[][];
  /** The concatenated extras, valid while `joinedCount === count`. */
  private joined: Vector[] | null = null;
  private joinedCount = -1;

  constructor(private readonly call: AggregateCall) {
    if (!isCollectCall(call)) throw new InternalError(`${call.fn} is not a collecting aggregate`);
    this.fn = call.fn as CollectFn;
    this.extraTypes = collectExtras(call).map((e) => e!.type);
    this.stateTypes = [call.arg!.type, ...this.extraTypes];
    this.chunks = this.extraTypes.map(() => []);
  }

  resize(): void {
    // Entries, not groups, take the space; they grow in update.
  }

  update(input: Vector | null, gids: Int32Array | null, n: number, _groupRows?: Float64Array | null, extras?: readonly Vector[]): void {
    if (input === null || n === 0 || this.call.arg!.type.kind === 'NULL') return;
    if (input.kind !== 'str') throw new InternalError(`${this.fn.toUpperCase()} got a ${input.kind} vector`);
    const ex = extras ?? [];
    if (ex.length !== this.extraTypes.length) throw new InternalError(`${this.fn.toUpperCase()} got ${ex.length} extra columns, expected ${this.extraTypes.length}`);
    const valueNulls = this.fn === 'object_agg' ? ex[0].nulls : null;
    const nulls = input.nulls;
    this.owner = growI32(this.owner, this.count + n);
    const sel = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if ((nulls !== null && nulls[i] !== 0) || (valueNulls !== null && valueNulls[i] !== 0)) continue;
      sel[m++] = i;
      this.vals.push(input.dict[input.codes[i]]);
      this.owner[this.count++] = gids === null ? 0 : gids[i];
    }
    if (m === 0) return;
    // Copies: the operator recycles the batch's evaluated vectors after update.
    ex.forEach((v, k) => this.chunks[k].push(gatherVector(v, sel, m)));
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n, null, states.slice(1));
  }

  /** The extras of every entry, one vector per extra column. */
  private extras(): Vector[] {
    if (this.joined === null || this.joinedCount !== this.count) {
      this.joined = this.extraTypes.map((t, k) => (this.chunks[k].length === 0 ? nullVector(t, 0) : concatVectors(t, this.chunks[k], this.count)));
      this.chunks = this.joined.map((v) => [v]);
      this.joinedCount = this.count;
    }
    return this.joined;
  }

  entryGroups(): Int32Array {
    return this.owner.subarray(0, this.count);
  }

  emitEntries(sel: Int32Array, count: number): Vector[] {
    const codes = new Int32Array(count);
    const mask = new Uint8Array(count);
    let anyNull = 0;
    for (let r = 0; r < count; r++) {
      if (sel[r] < 0) anyNull = mask[r] = 1;
      else codes[r] = sel[r];
    }
    const dict = this.count === 0 ? [''] : this.vals;
    const value: StrVector = { kind: 'str', length: count, codes, dict, nulls: anyNull ? mask : null };
    const extras = this.extras().map((v, k) => {
      const withNull = concatVectors(this.extraTypes[k], [v, nullVector(this.extraTypes[k], 1)], this.count + 1);
      const at = new Int32Array(count);
      for (let r = 0; r < count; r++) at[r] = sel[r] < 0 ? this.count : sel[r];
      return gatherVector(withNull, at, count);
    });
    return [value, ...extras];
  }

  emitStates(): Vector[] {
    throw new InternalError(`${this.fn.toUpperCase()} emits its entries, not per-group states`);
  }

  /** Entry order within a group: the WITHIN GROUP keys, then the text, then arrival. */
  private comparator(): RowComparator {
    const vals = this.vals;
    const byText: RowComparator = (a, b) => (vals[a] < vals[b] ? -1 : vals[a] > vals[b] ? 1 : a - b);
    const orderBy = this.fn === 'object_agg' ? [] : (this.call.orderBy ?? []);
    if (orderBy.length === 0) return byText;
    const extras = this.extras();
    const keys = orderBy.map((k, j) => keyComparator(extras[j], { desc: k.desc, nullsFirst: k.nullsFirst }));
    return (a, b) => {
      for (let j = 0; j < keys.length; j++) {
        const c = keys[j](a, b);
        if (c !== 0) return c;
      }
      return byText(a, b);
    };
  }

  emitResult(groups: number): Vector {
    const start = new Int32Array(groups + 1);
    const owner = this.owner;
    for (let k = 0; k < this.count; k++) start[owner[k] + 1]++;
    for (let g = 0; g < groups; g++) start[g + 1] += start[g];
    const cursor = start.slice(0, groups);
    const order = new Int32Array(this.count);
    for (let k = 0; k < this.count; k++) order[cursor[owner[k]]++] = k;
    const cmp = this.comparator();
    const objectValues = this.fn === 'object_agg' ? this.extras()[0] : null;
    const valueText = objectValues === null ? null : (k: number) => (objectValues as StrVector).dict[(objectValues as StrVector).codes[k]];
    const out = new Array<string>(groups);
    for (let g = 0; g < groups; g++) {
      const slice = Array.from(order.subarray(start[g], start[g + 1]));
      if (slice.length > 1) slice.sort(cmp);
      let picked = slice;
      if (this.call.distinct) {
        const seen = new Set<string>();
        picked = slice.filter((k) => {
          const key = valueText === null ? this.vals[k] : `${this.vals[k]}\u0000${valueText(k)}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      }
      out[g] = this.render(picked, valueText);
    }
    return { kind: 'str', length: groups, codes: Int32Array.from({ length: groups }, (_, g) => g), dict: groups === 0 ? [''] : out, nulls: null };
  }

  private render(entries: number[], valueText: ((k: number) => string) | null): string {
    const vals = this.vals;
    if (this.fn === 'listagg') return entries.map((k) => vals[k]).join(this.call.delimiter ?? '');
    if (this.fn === 'array_agg') return `[${entries.map((k) => vals[k]).join(',')}]`;
    const members: [string, string][] = [];
    const keys = new Set<string>();
    for (const k of entries) {
      if (keys.has(vals[k])) throw new DataError('INVALID_ARGUMENT_VALUE', `Duplicate field key '${vals[k]}'`);
      keys.add(vals[k]);
      members.push([vals[k], valueText!(k)]);
    }
    return objectText(members);
  }
}
