/**
 * Zone maps: per-partition, per-column statistics computed exactly from the data at write
 * time and stored in the catalog. Pruning (services/pruning) reads them; nothing else may
 * rely on them for correctness except metadata-only answers to COUNT/MIN/MAX and range-assigned
 * aggregation (services/physical/range-assignment.ts, exact bounds only).
 *
 * Contract: `columns` is keyed by column name (resolved identifier). `min`/`max` are the
 * exact smallest and largest non-NULL values as JSON scalars (see storage/types/scalar.ts:
 * NUMBER as the scaled integer in a decimal string, DATE days, TIMESTAMP_NTZ nanoseconds since
 * the epoch in a decimal string (zone maps written before nanosecond timestamps: a number of
 * microseconds; scalarFromJson reads both),
 * VARCHAR the full string, ordered as JS compares strings: UTF-16 code units, the same order
 * ORDER BY uses), or null when
 * every value is NULL. `exact` is false only if a bound was truncated (then min <= true min
 * and max >= true max still hold).
 */
import type { DataType } from '../types/data-type.js';

/** A shredded path's typed sub-column in a partition (shredded-path.ts names it), with its zone. */
export type ShreddedPath = {
  /** Physical name of the VARIANT / OBJECT column. */
  column: string;
  /** Object keys from the column's value (depth 1 or 2). */
  path: string[];
  type: DataType;
  /** Rows whose path holds a non-null JSON value that is not shredded. */
  others: number;
  zone: ColumnZone;
};

export type ColumnZone = {
  min: null | boolean | number | string;
  max: null | boolean | number | string;
  nullCount: number;
  exact: boolean;
};
/**
 * `shredded` (absent in partitions written before shredding, or without any): the typed
 * sub-columns of VARIANT paths the partition holds, keyed by their Parquet field name
 * (shredded-path.ts). They are not columns of the table: `columns` never lists them.
 */
export type ZoneMap = { rowCount: number; byteSize: number; columns: Record<string, ColumnZone>; shredded?: Record<string, ShreddedPath> };
