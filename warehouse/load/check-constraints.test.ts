import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { checkConstraints } from './check-constraints.js';

const columns: Column[] = [
  { name: 'ID', type: Types.number(38, 0), nullable: false },
  { name: 'CODE', type: { kind: 'VARCHAR', length: 3 }, nullable: true },
];

function batch(ids: (number | null)[], codes: (string | null)[]): Batch {
  const dict = [...new Set(codes.map((c) => c ?? ''))];
  return {
    length: ids.length,
    columns: [
      { kind: 'f64', length: ids.length, values: Float64Array.from(ids, (x) => x ?? 0), nulls: ids.includes(null) ? Uint8Array.from(ids, (x) => (x === null ? 1 : 0)) : null },
      { kind: 'str', length: codes.length, codes: Int32Array.from(codes, (c) => dict.indexOf(c ?? '')), dict, nulls: codes.includes(null) ? Uint8Array.from(codes, (c) => (c === null ? 1 : 0)) : null },
    ],
  };
}

describe('checkConstraints before a write', () => {
  it('passes rows within the constraints, counting characters, not UTF-16 units', () => {
    expect(() => checkConstraints(columns, batch([1, 2], ['abc', '😀😀😀']))).not.toThrow();
  });

  it('refuses a NULL in a NOT NULL column (100072) and a VARCHAR(3) value of 4 characters (22001)', () => {
    expect(() => checkConstraints(columns, batch([1, null], ['a', 'b']))).toThrow(expect.objectContaining({ code: '100072' }));
    expect(() => checkConstraints(columns, batch([1, 2], ['a', 'abcd']))).toThrow(expect.objectContaining({ codeName: 'STRING_TOO_LONG', sqlState: '22001' }));
  });
});
