import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { parseSql } from '../sql/parse-sql.js';
import { MAX_RESULT_SCAN_ROWS, readResultScans, type ResultLookup } from './result-scans.js';

const columns: Column[] = [{ name: 'N', type: Types.float, nullable: true }];
const batch = (n: number): Batch => ({ length: n, columns: [{ kind: 'f64', length: n, values: new Float64Array(n), nulls: null }] });

/** A lookup over fixed results, recording which ids were asked for. */
function lookupOf(results: Record<string, Batch[]>): { lookup: ResultLookup; asked: string[] } {
  const asked: string[] = [];
  const lookup: ResultLookup = (id) => {
    asked.push(id);
    const batches = results[id];
    if (!batches) return undefined;
    return {
      columns,
      async *batches() {
        yield* batches;
      },
    };
  };
  return { lookup, asked };
}

const st = (sql: string) => parseSql(sql)[0];

describe('readResultScans', () => {
  it('is null for a statement without RESULT_SCAN, and asks for nothing', async () => {
    const { lookup, asked } = lookupOf({});
    expect(await readResultScans(st('SELECT * FROM t'), lookup)).toBeNull();
    expect(asked).toEqual([]);
  });

  it('reads each result a statement scans, wherever the call is, once per id', async () => {
    const a = [batch(2), batch(3)];
    const b = [batch(1)];
    const { lookup, asked } = lookupOf({ a, b });
    const scans = await readResultScans(
      st("INSERT INTO t SELECT n FROM TABLE(RESULT_SCAN('a')) x JOIN (SELECT * FROM TABLE(RESULT_SCAN('b'))) y ON TRUE WHERE n IN (SELECT n FROM TABLE(RESULT_SCAN('a')))"),
      lookup,
    );
    expect(asked).toEqual(['a', 'b']);
    expect(scans).toEqual(new Map([['a', { columns, batches: a }], ['b', { columns, batches: b }]]));
  });

  it('refuses an unknown result, a non-constant argument and too many rows', async () => {
    const { lookup } = lookupOf({ big: [batch(MAX_RESULT_SCAN_ROWS), batch(1)], exact: [batch(MAX_RESULT_SCAN_ROWS)] });
    await expect(readResultScans(st("SELECT * FROM TABLE(RESULT_SCAN('nope'))"), lookup)).rejects.toMatchObject({ codeName: 'RESULT_NOT_AVAILABLE' });
    await expect(readResultScans(st('SELECT * FROM TABLE(RESULT_SCAN(x))'), lookup)).rejects.toMatchObject({ codeName: 'TYPE_MISMATCH' });
    await expect(readResultScans(st("SELECT * FROM TABLE(RESULT_SCAN('big'))"), lookup)).rejects.toMatchObject({ codeName: 'NOT_SUPPORTED' });
    expect((await readResultScans(st("SELECT * FROM TABLE(RESULT_SCAN('exact'))"), lookup))?.get('exact')?.batches.length).toBe(1);
  });
});
