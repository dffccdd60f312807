import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { driverRowtype, encodeChunkPieces, encodeDriverRows } from './encode-driver-rowset.js';
import { rowsToBatch } from './rows-to-batch.js';

const columns: Column[] = [
  { name: 'N', type: Types.number(12, 2), nullable: true },
  { name: 'B', type: Types.boolean, nullable: true },
  { name: 'D', type: Types.date, nullable: true },
  { name: 'S', type: Types.varchar, nullable: true },
];

async function* batches(...bs: Batch[]): AsyncGenerator<Batch> {
  yield* bs;
}

describe('encodeDriverRows', () => {
  it('writes jsonv2 cells, with BOOLEAN as "1" / "0" as the v1 rowsets have it', () => {
    const batch = rowsToBatch(columns, [
      [1250n, true, 19358, 'a'],
      [-5n, false, -923, 'x"y'],
      [null, null, null, null],
    ]);
    expect(encodeDriverRows(columns, batch)).toEqual([
      ['12.50', '1', '19358', 'a'],
      ['-0.05', '0', '-923', 'x"y'],
      [null, null, null, null],
    ]);
  });

  it("answers Snowflake's lower-case rowtype entries", () => {
    expect(driverRowtype(columns).map((t) => [t.name, t.type, t.precision, t.scale])).toEqual([
      ['N', 'fixed', 12, 2],
      ['B', 'boolean', null, null],
      ['D', 'date', null, null],
      ['S', 'text', null, null],
    ]);
  });
});

describe('encodeChunkPieces', () => {
  it('joins the rows of every batch by commas, without the outer brackets the driver adds', async () => {
    const first = rowsToBatch(columns, [[100n, true, 1, 'p']]);
    const second = rowsToBatch(columns, [[200n, false, 2, 'q'], [null, null, null, null]]);
    let text = '';
    for await (const piece of encodeChunkPieces(columns, batches(first, rowsToBatch(columns, []), second))) text += piece;
    expect(text).toBe('["1.00","1","1","p"],["2.00","0","2","q"],[null,null,null,null]');
    expect(JSON.parse(`[${text}]`)).toHaveLength(3);
  });
});
