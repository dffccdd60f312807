/**
 * How a table's columns map onto its partitions: the physical names its Parquet fields carry
 * (a rename changes only the SQL name; a column re-added after DROP gets a fresh physical name)
 * and which columns older partitions may lack (added by ALTER TABLE ... ADD COLUMN, read as
 * their default). Scans, writers and DML rewrites all go through this, so every partition of a
 * table names its fields the same way.
 *
 * Contract: physicalColumns(columns) gives `columns` (the same columns named by physical
 * name: what writers write and rewrite_exec reads), `physicalNames` (null when every physical
 * name is the SQL name, so plans of tables never altered are unchanged) and `absent` (per
 * column, its default when it may be absent, else null; null when no column may be).
 */
import type { ColumnInfo } from '../catalog/catalog.js';
import type { Column } from '../../storage/types/schema.js';
import type { AbsentDefault } from '../../warehouse/fragment/stage-plan.js';

export type PhysicalColumns = { columns: Column[]; physicalNames: string[] | null; absent: AbsentDefault[] | null };

export function physicalColumns(columns: readonly ColumnInfo[]): PhysicalColumns {
  const renamed = columns.some((c) => c.physicalName !== c.name);
  const added = columns.some((c) => c.addedByAlter === true);
  return {
    columns: columns.map((c) => ({ name: c.physicalName, type: c.type, nullable: c.nullable })),
    physicalNames: renamed ? columns.map((c) => c.physicalName) : null,
    absent: added ? columns.map((c) => (c.addedByAlter ? { value: c.default } : null)) : null,
  };
}
