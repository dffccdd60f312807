/**
 * Runtime-filter key summaries: for each of a stage's runtime-filter keys (a BoundExpr over
 * the stage's output rows), the task's output rows, the keys' min and max as zone-map JSON
 * scalars (compute-zone-map.ts's bounds, so the coordinator can test partitions' zone maps
 * against them exactly as join-pruning does), and the distinct non-NULL values while there
 * are at most RUNTIME_FILTER_KEY_SET_LIMIT of them (null past it); for an integral key, those
 * values as a bitmap too (key-bits.ts), so a larger set still filters rows.
 *
 * Contract: `add(batch)` per output batch, then `summaries()`. min/max are null when every
 * key was NULL (no row can match).
 */
import { recycleUnshared } from '../batch/array-pool.js';
import { computeColumnZone } from '../../../storage/partition/compute-zone-map.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { scalarAt } from '../../../storage/types/scalar-at.js';
import { scalarFromJson, scalarToJson, type Scalar } from '../../../storage/types/scalar.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import type { KeySummary } from '../../fragment/stage-plan.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { hasKeyBits, KeyBitsBuilder } from './key-bits.js';

/**
 * Most distinct keys a task reports as a set. A set becomes an IN list on the probe scan,
 * which drops rows (an integer set over a narrow range costs a bit test per row); a range
 * alone rarely drops any. 4096 covers TPC-H Q20's 2,127 part keys at SF1.
 */
export const RUNTIME_FILTER_KEY_SET_LIMIT = 4096;

type KeyState = { key: BoundExpr; min: Scalar; max: Scalar; values: Set<Scalar> | null; bits: KeyBitsBuilder | null };

export class KeySummaries {
  private rows = 0;
  private readonly keys: KeyState[];

  constructor(keys: readonly BoundExpr[]) {
    this.keys = keys.map((key) => ({ key, min: null, max: null, values: new Set(), bits: hasKeyBits(key.type) ? new KeyBitsBuilder() : null }));
  }

  add(batch: Batch): void {
    if (batch.length === 0) return;
    this.rows += batch.length;
    for (const k of this.keys) {
      const v = evaluateExpr(k.key, batch);
      const zone = computeColumnZone(v, k.key.type);
      if (zone.min === null || zone.max === null) continue;
      const lo = scalarFromJson(k.key.type, zone.min);
      const hi = scalarFromJson(k.key.type, zone.max);
      if (k.min === null || compareScalars(lo, k.min) < 0) k.min = lo;
      if (k.max === null || compareScalars(hi, k.max) > 0) k.max = hi;
      if (k.values) k.values = addDistinct(k.values, v, k.key.type);
      k.bits?.add(v);
      recycleUnshared(v, batch);
    }
  }

  summaries(): KeySummary[] {
    return this.keys.map((k) => ({
      rows: this.rows,
      min: scalarToJson(k.min),
      max: scalarToJson(k.max),
      values: k.values ? [...k.values].sort(compareScalars).map(scalarToJson) : null,
      bits: k.bits?.result() ?? null,
    }));
  }
}

/** `seen` plus v's non-NULL values, or null once past RUNTIME_FILTER_KEY_SET_LIMIT. A string vector is read through its dictionary (each used entry once). */
function addDistinct(seen: Set<Scalar>, v: Vector, type: DataType): Set<Scalar> | null {
  if (v.kind === 'str') {
    const used = new Uint8Array(v.dict.length);
    for (let i = 0; i < v.length; i++) if (v.nulls === null || !v.nulls[i]) used[v.codes[i]] = 1;
    for (let c = 0; c < used.length; c++) {
      if (!used[c]) continue;
      seen.add(v.dict[c]);
      if (seen.size > RUNTIME_FILTER_KEY_SET_LIMIT) return null;
    }
    return seen;
  }
  for (let i = 0; i < v.length; i++) {
    const s = scalarAt(v, i, type);
    if (s === null) continue;
    seen.add(s);
    if (seen.size > RUNTIME_FILTER_KEY_SET_LIMIT) return null;
  }
  return seen;
}

/** Scalars of one type in zone-map order (NaN above every FLOAT). */
function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== a) return b !== b ? 0 : 1;
    if (b !== b) return -1;
  }
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  return x! < y! ? -1 : x! > y! ? 1 : 0;
}
