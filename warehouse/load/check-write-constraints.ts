/**
 * The column constraints a write enforces before any of its rows is stored: NOT NULL, and
 * the length of VARCHAR(n) (in characters, as Snowflake counts them). writeMicroPartitions
 * checks every batch it receives, so the check runs where the rows are (a worker), batch by
 * batch, and a violating statement stores nothing it would commit.
 *
 * Contract: throws DataError NULL_NOT_ALLOWED or STRING_TOO_LONG (Snowflake's texts) for the
 * first violating column; `batch.columns[i]` holds `columns[i]`. Per dictionary entry in use,
 * not per row; a dict held as UTF-8 (storage/arrow/utf8-dict.ts) is measured in its bytes
 * (a value has at most as many characters as bytes), decoding only a value that is too long.
 */
import { DataError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, StrVector } from '../../storage/types/vector.js';
import { utf8DictOf } from '../../storage/arrow/utf8-dict.js';
import { decodeUtf8Strings, utf8CodePoints, type Utf8Strings } from '../../storage/arrow/utf8-strings.js';

export function checkWriteConstraints(columns: Column[], batch: Batch): void {
  columns.forEach((c, i) => {
    const v = batch.columns[i];
    if (!c.nullable && v.nulls && v.nulls.includes(1)) {
      throw new DataError('NULL_NOT_ALLOWED', `NULL result in a non-nullable column '${c.name}'`);
    }
    if (c.type.kind === 'BINARY' && c.type.length !== undefined && v.kind === 'str') {
      const limit = c.type.length;
      for (let r = 0; r < v.length; r++) {
        if (!(v.nulls && v.nulls[r]) && v.dict[v.codes[r]].length > limit) {
          throw new DataError('STRING_TOO_LONG', `Binary value of ${v.dict[v.codes[r]].length} bytes is too long and would be truncated (BINARY(${limit}))`);
        }
      }
      return;
    }
    if (c.type.kind === 'VARCHAR' && c.type.length !== undefined && v.kind === 'str') {
      const limit = c.type.length;
      const enc = utf8DictOf(v);
      if (enc !== undefined) return checkUtf8Lengths(v, enc, limit);
      // Rows are looked at only when some entry is too long (usually none is).
      if (!v.dict.some((s) => s.length > limit && [...s].length > limit)) return;
      const used = new Uint8Array(v.dict.length);
      for (let r = 0; r < v.length; r++) if (!(v.nulls && v.nulls[r])) used[v.codes[r]] = 1;
      v.dict.forEach((s, k) => {
        if (used[k] && s.length > limit && [...s].length > limit) {
          throw new DataError('STRING_TOO_LONG', `String '${clipValue(s)}' is too long and would be truncated`);
        }
      });
    }
  });
}

/** The VARCHAR(limit) check over a dict held as UTF-8: the first used entry (in dict order) past `limit` characters fails. */
function checkUtf8Lengths(v: StrVector, enc: Utf8Strings, limit: number): void {
  const { offsets, bytes } = enc;
  if (!anyLonger(offsets, limit)) return;
  let long = -1;
  for (let r = 0; r < v.length; r++) {
    if (v.nulls && v.nulls[r]) continue;
    const k = v.codes[r];
    if ((long < 0 || k < long) && offsets[k + 1] - offsets[k] > limit && utf8CodePoints(bytes, offsets[k], offsets[k + 1]) > limit) long = k;
  }
  if (long < 0) return;
  const s = decodeUtf8Strings(bytes, offsets, long, 1, 'a checked value')[0];
  throw new DataError('STRING_TOO_LONG', `String '${clipValue(s)}' is too long and would be truncated`);
}

/** Whether some entry has more than `limit` bytes (else none has more than `limit` characters). */
function anyLonger(offsets: Int32Array, limit: number): boolean {
  for (let k = 1; k < offsets.length; k++) if (offsets[k] - offsets[k - 1] > limit) return true;
  return false;
}
