/**
 * The plan's absent-column defaults (stage-plan.ts AbsentDefault: JSON scalars, as zone maps
 * hold them) as the partition reader takes them (Scalars of each column's type), converted
 * once per operator, not per partition.
 */
import type { AbsentColumn } from '../../../storage/partition/partition-reader.js';
import { scalarFromJson } from '../../../storage/types/scalar.js';
import type { Column } from '../../../storage/types/schema.js';
import type { AbsentDefault } from '../../fragment/stage-plan.js';

export function absentColumns(absent: readonly AbsentDefault[], columns: readonly Column[]): (AbsentColumn | null)[] {
  return absent.map((a, i) => (a === null ? null : { value: scalarFromJson(columns[i].type, a.value) }));
}
