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
import { skipString, skipValue } from '../../storage/types/variant-json.js';
import type { ShreddedColumn } from '../../storage/partition/partition-writer.js';
import { castVector } from '../execute/cast/cast-vector.js';

export const MAX_PATHS_PER_COLUMN = 32;
export const MAX_CANDIDATES = 256;
/** Fewer non-NULL rows than this: the column is not shredded (a sub-column would not pay). */
export const MIN_ROWS = 1;

/** Class codes of a value: a shreddable scalar's, or NOT_SHREDDABLE; DECIMAL_CLASS + s is a decimal of scale s. */
const NOT_SHREDDABLE = -1;
const VARCHAR_CLASS = 0;
const BOOLEAN_CLASS = 1;
const INTEGER_CLASS = 2;
const DOUBLE_CLASS = 3;
const DECIMAL_CLASS = 4;
const CLASSES = DECIMAL_CLASS + 39;

/**
 * The class of the canonical value t[start, end) (variant-json.ts's variantKind, on a span so
 * no value is sliced): strings, booleans, integers, decimals by scale, doubles (an exponent,
 * NaN or Infinity); JSON null, objects and arrays are not shreddable.
 */
function classAt(t: string, start: number, end: number): number {
  const c = t.charCodeAt(start);
  if (c === 34) return VARCHAR_CLASS;
  if (c === 116 || c === 102) return BOOLEAN_CLASS;
  if (c === 110 || c === 123 || c === 91) return NOT_SHREDDABLE;
  let dot = -1;
  for (let p = start; p < end; p++) {
    const d = t.charCodeAt(p);
    if (d === 46) dot = p;
    else if (d === 101 || d === 78 || d === 73) return DOUBLE_CLASS; // e, NaN, Infinity
  }
  return dot < 0 ? INTEGER_CLASS : DECIMAL_CLASS + (end - dot - 1);
}

function typeOfClass(cls: number): DataType {
  if (cls === VARCHAR_CLASS) return Types.varchar;
  if (cls === BOOLEAN_CLASS) return Types.boolean;
  if (cls === INTEGER_CLASS) return Types.number(38, 0);
  if (cls === DOUBLE_CLASS) return Types.float;
  return Types.number(38, cls - DECIMAL_CLASS);
}

/** The name of a class in the tie-break between classes of equal count (as the type names sort). */
function className(cls: number): string {
  if (cls === VARCHAR_CLASS) return 'VARCHAR';
  if (cls === BOOLEAN_CLASS) return 'BOOLEAN';
  if (cls === INTEGER_CLASS) return 'INTEGER';
  if (cls === DOUBLE_CLASS) return 'DOUBLE';
  return `DECIMAL:${cls - DECIMAL_CLASS}`;
}

/**
 * One path seen in a column: `key` is JSON.stringify(path) (the tie-break order), `classes`
 * counts rows per class, `children` the depth-2 paths under a depth-1 key (by raw key text).
 */
type Candidate = { path: string[]; key: string; classes: Int32Array; present: number; children: Map<string, Candidate> | null; slot: number };

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

/** A decoded canonical key from its raw (quoted) text. */
const keyOf = (raw: string): string => (raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1));

/**
 * Walks the members of row texts at depth 1 and, under members that are objects, depth 2,
 * finding or making each path's Candidate (at most MAX_CANDIDATES per column) and calling
 * `visit(candidate, text, valueStart, valueEnd)`. Works on spans of the canonical text: per
 * member it slices only the raw key, to look the path up.
 */
class PathWalker {
  readonly top = new Map<string, Candidate>();
  count = 0;

  private find(map: Map<string, Candidate>, raw: string, parent: Candidate | null): Candidate | undefined {
    let cand = map.get(raw);
    if (cand === undefined) {
      if (this.count >= MAX_CANDIDATES) return undefined;
      const path = parent === null ? [keyOf(raw)] : [parent.path[0], keyOf(raw)];
      cand = { path, key: JSON.stringify(path), classes: new Int32Array(CLASSES), present: 0, children: null, slot: -1 };
      map.set(raw, cand);
      this.count++;
    }
    return cand;
  }

  walk(t: string, visit: (cand: Candidate, t: string, start: number, end: number) => void): void {
    if (t.charCodeAt(0) !== 123) return;
    const n = t.length - 1;
    let p = 1;
    while (p < n) {
      const ke = skipString(t, p);
      const ve = skipValue(t, ke + 1);
      const cand = this.find(this.top, t.slice(p, ke), null);
      if (cand !== undefined) {
        visit(cand, t, ke + 1, ve);
        if (t.charCodeAt(ke + 1) === 123) {
          const children = (cand.children ??= new Map());
          let q = ke + 2;
          while (q < ve - 1) {
            const ke2 = skipString(t, q);
            const ve2 = skipValue(t, ke2 + 1);
            const child = this.find(children, t.slice(q, ke2), cand);
            if (child !== undefined) visit(child, t, ke2 + 1, ve2);
            q = ve2 + 1;
          }
        }
      }
      p = ve + 1;
    }
  }

  *all(): Generator<Candidate> {
    for (const c of this.top.values()) {
      yield c;
      if (c.children !== null) yield* c.children.values();
    }
  }
}

function shredColumn(column: string, vec: StrVector, n: number): ShreddedColumn[] {
  // Pass 1: classes per path (nothing per row is kept). Pass 2: the values of the picked paths.
  const walker = new PathWalker();
  let nonNull = 0;
  const count = (cand: Candidate, t: string, start: number, end: number) => {
    cand.present++;
    const cls = classAt(t, start, end);
    if (cls !== NOT_SHREDDABLE) cand.classes[cls]++;
  };
  for (let i = 0; i < n; i++) {
    if (vec.nulls !== null && vec.nulls[i] !== 0) continue;
    nonNull++;
    walker.walk(vec.dict[vec.codes[i]], count);
  }
  if (nonNull < MIN_ROWS) return [];
  const picked: { cand: Candidate; cls: number; count: number }[] = [];
  for (const cand of walker.all()) {
    let best = NOT_SHREDDABLE;
    let most = 0;
    for (let cls = 0; cls < CLASSES; cls++) {
      const k = cand.classes[cls];
      if (k > most || (k === most && k > 0 && className(cls) < className(best))) {
        best = cls;
        most = k;
      }
    }
    if (best !== NOT_SHREDDABLE && most * 2 > nonNull) picked.push({ cand, cls: best, count: most });
  }
  if (picked.length === 0) return [];
  picked.sort((a, b) => b.count - a.count || (a.cand.key < b.cand.key ? -1 : a.cand.key > b.cand.key ? 1 : 0));
  const chosen = picked.slice(0, MAX_PATHS_PER_COLUMN);
  const values = chosen.map(() => new Array<string | undefined>(n));
  const classes = chosen.map((c) => c.cls);
  const jsonNulls = new Int32Array(chosen.length);
  chosen.forEach((c, j) => (c.cand.slot = j));
  let row = 0;
  // A row's value of a chosen path is kept when it has the path's class; JSON nulls are counted.
  const keep = (cand: Candidate, t: string, start: number, end: number) => {
    const j = cand.slot;
    if (j < 0) return;
    const cls = classAt(t, start, end);
    if (cls === classes[j]) values[j][row] = t.slice(start, end);
    else if (cls === NOT_SHREDDABLE && t.charCodeAt(start) === 110) jsonNulls[j]++;
  };
  for (row = 0; row < n; row++) {
    if (vec.nulls !== null && vec.nulls[row] !== 0) continue;
    walker.walk(vec.dict[vec.codes[row]], keep);
  }
  return chosen.map(({ cand, cls }, j) => extract(column, cand, values[j], cls, jsonNulls[j], n));
}

/** The sub-column of one path: each row's value (of class `cls`) cast to its type, when it round-trips. */
function extract(column: string, cand: Candidate, rows: (string | undefined)[], cls: number, jsonNulls: number, n: number): ShreddedColumn {
  const type = typeOfClass(cls);
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const nulls = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = rows[i];
    if (v === undefined) {
      nulls[i] = 1;
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
