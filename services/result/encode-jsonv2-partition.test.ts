import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { encodeJsonV2, resultSetMetaData } from './encode-jsonv2.js';
import { encodeJsonV2Partition, PIECE_CHARS, type PartitionTail } from './encode-jsonv2-partition.js';
import { rowsToBatch } from './rows-to-batch.js';

const columns: Column[] = [
  { name: 'ID', type: Types.number(10, 2), nullable: true },
  { name: 'S', type: Types.varchar, nullable: true },
];
const stats = { partitionsTotal: 1, partitionsScanned: 1, bytesScanned: 9, cacheHitRatio: 0, elapsedMs: 1, warehouse: 'W', partitionedJoins: 0, bytesSpilled: 0, profile: [], partitionsAdded: 0, partitionsRemoved: 0, queuedMs: 0, cluster: null, warehouseSize: null, fromResultCache: false, memoryBytes: 0 };
const context = { database: 'D', schema: 'S', warehouse: 'W' };

async function* of(batches: Batch[]): AsyncGenerator<Batch> {
  yield* batches;
}

async function pieces(batches: Batch[], tail: PartitionTail | null, nullText = false): Promise<string[]> {
  const out: string[] = [];
  for await (const p of encodeJsonV2Partition(columns, of(batches), tail, { nullText })) out.push(p);
  return out;
}

describe('encodeJsonV2Partition', () => {
  it('with a tail, answers exactly what encodeJsonV2 answers for the same rows, data first, and measures the data text', async () => {
    const rows = [[125n, 'a'], [null, null], [-5n, 'x"y']];
    const parts = [rowsToBatch(columns, rows.slice(0, 2)), rowsToBatch(columns, []), rowsToBatch(columns, rows.slice(2))];
    const whole = encodeJsonV2({ queryId: 'q', columns, batch: rowsToBatch(columns, rows), stats, context }, { requestId: 'r', createdOn: 7 });
    const { data, ...rest } = whole;
    let measured: [number, number] | null = null;
    const text = (
      await pieces(parts, (n, size) => {
        measured = [n, size];
        return { ...rest, ...resultSetMetaData(columns, n, size) };
      })
    ).join('');
    expect(text.startsWith('{"data":[["1.25","a"]')).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(whole)));
    // The size counts each character once: the backslash escaping the quote is not counted.
    expect(measured).toEqual([3, JSON.stringify(data).length - 1]);
  });

  it('without a tail, answers the rows alone (a later partition)', async () => {
    expect(JSON.parse((await pieces([rowsToBatch(columns, [[1n, 'a']])], null)).join(''))).toEqual({ data: [['0.01', 'a']] });
    expect(JSON.parse((await pieces([], null)).join(''))).toEqual({ data: [] });
  });

  it('writes NULL as "null" with nullText, measured as such', async () => {
    expect(JSON.parse((await pieces([rowsToBatch(columns, [[null, 'a']])], null, true)).join(''))).toEqual({ data: [['null', 'a']] });
    let size = 0;
    await pieces([rowsToBatch(columns, [[null, 'a'], [1n, null]])], (_, s) => ((size = s), {}), true);
    expect(size).toBe(JSON.stringify([['null', 'a'], ['0.01', 'null']]).length);
  });

  it('writes a large batch as several pieces of whole rows', async () => {
    const long = 'z'.repeat(PIECE_CHARS / 2);
    const out = await pieces([rowsToBatch(columns, [[1n, long], [2n, long], [3n, long], [4n, long]])], null);
    expect(out.length).toBeGreaterThanOrEqual(3);
    const parsed = JSON.parse(out.join('')) as { data: string[][] };
    expect(parsed.data.map((r) => r[0])).toEqual(['0.01', '0.02', '0.03', '0.04']);
  });
});
