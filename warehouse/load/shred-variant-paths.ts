/**
 * Picks and extracts the VARIANT paths a micro-partition shreds into typed sub-columns
 * (storage/partition/shredded-path.ts has the format and the reading rule).
 *
 * Contract: shredVariantPaths(columns, batch) looks at every VARIANT and OBJECT column. For
 * each object key at depth 1, and each key at depth 2 under a depth-1 key whose value is an
 * object, it classes every row's value: string, boolean, integer, decimal of scale s, double,
 * or not shreddable (JSON null, object, array). A path whose most common class covers more than half of the
 * column's non-NULL rows (and of at least MIN_ROWS rows) is shredded as that class's type
 * (VARCHAR, BOOLEAN, NUMBER(38,0), NUMBER(38,s), FLOAT), at most MAX_PATHS_PER_COLUMN paths
 * per column, most frequent first (ties: path text). A row's sub-column value is
 * CAST(value AS type), kept only when casting it back to VARIANT gives exactly the row's JSON
 * text (so TO_VARIANT(sub) is the path's value; anything else, e.g. `-0.0`, stays NULL
 * and is read from the JSON). `others` counts the rows with a value that is neither JSON null
 * nor shredded. Columns are named by `columns[i].name` (the physical names the writer gets).
 * Only the first MAX_CANDIDATES distinct paths of a column are considered, and a first pass
 * only counts classes (a second keeps the picked paths' values), so memory stays bounded by
 * MAX_PATHS_PER_COLUMN values per row whatever keys the JSON holds.
 */
import type { DataType } from '../../storage/types/data-type.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, StrVector } from '../../storage/types/vector.js';
import { objectEntries, variantKind } from '../../storage/types/variant-json.js';
import type { ShreddedColumn } from '../../storage/partition/partition-writer.js';
import { castVector } from '../execute/cast/cast-vector.js';

export const MAX_PATHS_PER_COLUMN = 32;
export const MAX_CANDIDATES = 256;
/** Fewer non-NULL rows than this: the column is not shredded (a sub-column would not pay). */
export const MIN_ROWS = 1;

/** The class of a JSON value, or null when it is not a shreddable scalar. */
function classOf(t: string): string | null {
  switch (variantKind(t)) {
    case 'VARCHAR':
      return 'VARCHAR';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'INTEGER':
      return 'INTEGER';
    case 'DECIMAL':
      return `DECIMAL:${t.length - t.indexOf('.') - 1}`;
    case 'DOUBLE':
      return 'DOUBLE';
    default:
      return null;
  }
}

function typeOfClass(cls: string): DataType {
  if (cls === 'VARCHAR') return Types.varchar;
  if (cls === 'BOOLEAN') return Types.boolean;
  if (cls === 'INTEGER') return Types.number(38, 0);
  if (cls === 'DOUBLE') return Types.float;
  return Types.number(38, Number(cls.slice('DECIMAL:'.length)));
}

type Candidate = { path: string[]; classes: Map<string, number>; present: number };

export function shredVariantPaths(columns: readonly Column[], batch: Batch): ShreddedColumn[] {
  const out: ShreddedColumn[] = [];
  for (let c = 0; c < columns.length; c++) {
    const type = columns[c].type;
    const vec = batch.columns[c];
    if ((type.kind !== 'VARIANT' && type.kind !== 'OBJECT') || vec.kind !== 'str') continue;
    out.push(...shredColumn(columns[c].name, vec, batch.length));
  }
  return out;
}

/** The object members of row i's value at depth 1 and, under members that are objects, depth 2. */
function forEachPath(vec: StrVector, i: number, f: (key: string, path: () => string[], value: string) => void): void {
  const text = vec.dict[vec.codes[i]];
  if (text[0] !== '{') return;
  for (const [k, v] of objectEntries(text)) {
    f(JSON.stringify([k]), () => [k], v);
    if (v[0] === '{') for (const [k2, v2] of objectEntries(v)) f(JSON.stringify([k, k2]), () => [k, k2], v2);
  }
}

function shredColumn(column: string, vec: StrVector, n: number): ShreddedColumn[] {
  // Pass 1: classes per path (nothing per row is kept). Pass 2: the values of the picked paths.
  const candidates = new Map<string, Candidate>();
  let nonNull = 0;
  for (let i = 0; i < n; i++) {
    if (vec.nulls !== null && vec.nulls[i] !== 0) continue;
    nonNull++;
    forEachPath(vec, i, (key, path, value) => {
      let cand = candidates.get(key);
      if (cand === undefined) {
        if (candidates.size >= MAX_CANDIDATES) return;
        cand = { path: path(), classes: new Map(), present: 0 };
        candidates.set(key, cand);
      }
      cand.present++;
      const cls = classOf(value);
      if (cls !== null) cand.classes.set(cls, (cand.classes.get(cls) ?? 0) + 1);
    });
  }
  if (nonNull < MIN_ROWS) return [];
  const picked: { cand: Candidate; cls: string; count: number; key: string }[] = [];
  for (const [key, cand] of candidates) {
    let best: string | null = null;
    let count = 0;
    for (const [cls, k] of cand.classes) {
      if (k > count || (k === count && best !== null && cls < best)) {
        best = cls;
        count = k;
      }
    }
    if (best !== null && count * 2 > nonNull) picked.push({ cand, cls: best, count, key });
  }
  if (picked.length === 0) return [];
  picked.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const chosen = picked.slice(0, MAX_PATHS_PER_COLUMN);
  const slot = new Map(chosen.map((p, j) => [p.key, j]));
  const values = chosen.map(() => new Array<string | undefined>(n));
  for (let i = 0; i < n; i++) {
    if (vec.nulls !== null && vec.nulls[i] !== 0) continue;
    forEachPath(vec, i, (key, _path, value) => {
      const j = slot.get(key);
      if (j !== undefined) values[j][i] = value;
    });
  }
  return chosen.map(({ cand, cls }, j) => extract(column, cand, values[j], cls, n));
}

/** The sub-column of one path: each row of class `cls` cast to its type, when it round-trips. */
function extract(column: string, cand: Candidate, rows: (string | undefined)[], cls: string, n: number): ShreddedColumn {
  const type = typeOfClass(cls);
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const nulls = new Uint8Array(n);
  let jsonNulls = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[i];
    if (v === undefined || classOf(v) !== cls) {
      nulls[i] = 1;
      if (v === 'null') jsonNulls++;
      continue;
    }
    codes[i] = dict.length;
    dict.push(v);
  }
  const texts: StrVector = { kind: 'str', length: n, codes, dict: dict.length > 0 ? dict : [''], nulls };
  const typed = castVector(texts, Types.variant, type, true);
  const back = castVector(typed, type, Types.variant, true) as StrVector;
  const keep = new Uint8Array(n);
  let shredded = 0;
  for (let i = 0; i < n; i++) {
    if (nulls[i] !== 0 || (typed.nulls !== null && typed.nulls[i] !== 0)) continue;
    if (back.nulls !== null && back.nulls[i] !== 0) continue;
    if (back.dict[back.codes[i]] !== dict[codes[i]]) continue;
    keep[i] = 1;
    shredded++;
  }
  const typedNulls = new Uint8Array(n);
  for (let i = 0; i < n; i++) typedNulls[i] = keep[i] ^ 1;
  const vector = { ...typed, nulls: typedNulls };
  return { column, path: cand.path, type, others: cand.present - jsonNulls - shredded, vector };
}
