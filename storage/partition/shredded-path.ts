/**
 * Shredded VARIANT paths: the naming and metadata of the typed sub-columns a micro-partition
 * may hold next to a VARIANT or OBJECT column (written by warehouse/load/shred-variant-paths.ts
 * through partition-writer.ts, read by the read_shredded_paths optimizer rule and pruning).
 *
 * Contract:
 *  - A sub-column holds, for each row, CAST(GET_PATH(col, path) AS type) when that value is a
 *    JSON scalar of the path's shredded class (string, boolean, integer, decimal of one scale,
 *    double) whose TO_VARIANT gives back exactly the row's JSON text; otherwise NULL. The rule
 *    readers follow: a non-NULL sub-column value IS the path's value; a NULL one proves nothing
 *    and the reader falls back to the JSON (COALESCE(sub, <path expression>)), so a missing sub-column (an old
 *    partition, a path not shredded there) reads as all NULL and gives the same answers.
 *  - Its Parquet field is named shreddedName(column, path, type): the column's physical name,
 *    the path (JSON array of keys) and the type's SQL spelling, separated by U+001F, which
 *    the catalog refuses in column names, so it never clashes with a user column.
 *  - The zone map lists it under `shredded[name]` (ZoneMap.shredded): the column's physical name,
 *    the path, the type, the zone of the sub-column (min/max/NULL count, as zone-map.ts) and
 *    `others`: the rows whose path holds a value that is neither JSON null nor shredded. When
 *    `others` is 0, every row the sub-column leaves NULL casts to SQL NULL (path missing, JSON
 *    null, or the column NULL), which is what lets pruning read the zone as the zone of the cast.
 */
import type { DataType } from '../types/data-type.js';
import { typeToSql } from '../types/data-type.js';
import type { ShreddedPath } from './zone-map.js';

export type { ShreddedPath } from './zone-map.js';

export const SHRED_SEPARATOR = '\u001f';

export function shreddedName(column: string, path: readonly string[], type: DataType): string {
  return `${column}${SHRED_SEPARATOR}${JSON.stringify(path)}${SHRED_SEPARATOR}${typeToSql(type)}`;
}

/** True for a name only a shredded sub-column can have. */
export function isShreddedName(name: string): boolean {
  return name.includes(SHRED_SEPARATOR);
}

/** How EXPLAIN shows a sub-column: `V:a.b::NUMBER(38,0)` (keys JSON-quoted when not plain). */
export function shreddedLabel(columnName: string, path: readonly string[], type: DataType): string {
  const steps = path.map((k, i) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('');
  return `${columnName}:${steps}::${typeToSql(type)}`;
}
