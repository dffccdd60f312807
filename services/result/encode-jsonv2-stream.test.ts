import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { StatementResult } from '../session/statement-result.js';
import { encodeJsonV2 } from './encode-jsonv2.js';
import { encodeJsonV2Stream, PIECE_CHARS } from './encode-jsonv2-stream.js';
import { rowsToBatch } from './rows-to-batch.js';

const columns: Column[] = [
  { name: 'ID', type: Types.number(10, 2), nullable: true },
  { name: 'S', type: Types.varchar, nullable: true },
];
const stats = { partitionsTotal: 1, partitionsScanned: 1, bytesScanned: 9, cacheHitRatio: 0, elapsedMs: 1, warehouse: 'W', partitionedJoins: 0, bytesSpilled: 0, profile: [], partitionsAdded: 0, partitionsRemoved: 0, queuedMs: 0, cluster: null, warehouseSize: null, fromResultCache: false };
const context = { database: 'D', schema: 'S', warehouse: 'W' };
const opts = { requestId: 'r', createdOn: 7 };

function streamed(batches: Batch[]): StatementResult {
  return {
    queryId: 'q',
    columns,
    batch: rowsToBatch(columns, []),
    stream: (async function* () {
      yield* batches;
    })(),
    stats,
    context,
  };
}

async function pieces(result: StatementResult): Promise<string[]> {
  const out: string[] = [];
  for await (const p of encodeJsonV2Stream(result, opts)) out.push(p);
  return out;
}

describe('encodeJsonV2Stream', () => {
  it('answers exactly what encodeJsonV2 answers for the same rows, data first', async () => {
    const rows = [[125n, 'a'], [null, null], [-5n, 'x"y']];
    const parts = [rowsToBatch(columns, rows.slice(0, 2)), rowsToBatch(columns, []), rowsToBatch(columns, rows.slice(2))];
    const text = (await pieces(streamed(parts))).join('');
    expect(text.startsWith('{"data":[["1.25","a"]')).toBe(true);
    const whole = encodeJsonV2({ queryId: 'q', columns, batch: rowsToBatch(columns, rows), stats, context }, opts);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  it('answers no rows as an empty data array with the same metadata', async () => {
    const text = (await pieces(streamed([]))).join('');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(encodeJsonV2({ queryId: 'q', columns, batch: rowsToBatch(columns, []), stats, context }, opts))));
  });

  it('writes a large batch as several pieces of whole rows', async () => {
    const long = 'z'.repeat(PIECE_CHARS / 2);
    const out = await pieces(streamed([rowsToBatch(columns, [[1n, long], [2n, long], [3n, long], [4n, long]])]));
    expect(out.length).toBeGreaterThanOrEqual(3);
    const parsed = JSON.parse(out.join('')) as { data: string[][]; resultSetMetaData: { numRows: number } };
    expect(parsed.resultSetMetaData.numRows).toBe(4);
    expect(parsed.data.map((r) => r[0])).toEqual(['0.01', '0.02', '0.03', '0.04']);
  });
});
