/**
 * The table's constraints on rows about to be written by INSERT or CREATE TABLE AS SELECT
 * (write_exec): NOT NULL columns hold no NULL, VARCHAR(n) values are at most n characters.
 * Checked before anything is written, so a violating statement writes nothing.
 *
 * Contract: throws DataError NULL_NOT_ALLOWED (100072) or STRING_TOO_LONG (100078 / 22001)
 * for the first violation, column by column; VARCHAR lengths are checked once per dictionary
 * entry in use, never per row.
 */
import { DataError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';

export function checkConstraints(columns: readonly Column[], batch: Batch): void {
  columns.forEach((c, i) => {
    const v = batch.columns[i];
    if (!c.nullable && v.nulls && v.nulls.includes(1)) {
      throw new DataError('NULL_NOT_ALLOWED', `NULL result in a non-nullable column '${c.name}'`);
    }
    if (c.type.kind === 'VARCHAR' && c.type.length !== undefined && v.kind === 'str') {
      const limit = c.type.length;
      const used = new Uint8Array(v.dict.length);
      for (let r = 0; r < v.length; r++) if (!(v.nulls && v.nulls[r])) used[v.codes[r]] = 1;
      v.dict.forEach((s, k) => {
        // s.length counts UTF-16 units, never fewer than characters: only then count characters.
        if (used[k] && s.length > limit && [...s].length > limit) {
          throw new DataError('STRING_TOO_LONG', `String '${clipValue(s)}' is too long and would be truncated`);
        }
      });
    }
  });
}
