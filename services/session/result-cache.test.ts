import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import { RESULT_TTL_MS, ResultCache, type ResultCacheKey, type TableVersions } from './result-cache.js';

const COLS: Column[] = [{ name: 'N', type: Types.number(38, 0), nullable: true }];

/** A batch of `rows` NUMBER values: 8 bytes each (an f64 vector without NULLs). */
function batch(rows: number, first = 0): Batch {
  return rowsToBatch(COLS, Array.from({ length: rows }, (_, i) => [BigInt(first + i)]));
}

const key = (text: string, more: Partial<ResultCacheKey> = {}): ResultCacheKey => ({ text, role: 'SYSADMIN', database: 'DB', schema: 'PUBLIC', ...more });
const versions = (...pairs: [number, number][]): TableVersions => {
  const m = new Map<number, Set<number>>();
  for (const [t, v] of pairs) m.set(t, (m.get(t) ?? new Set()).add(v));
  return m;
};

function clock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('ResultCache', () => {
  it('answers the stored columns and batches for the same key and table versions', () => {
    const cache = new ResultCache({ maxBytes: 1024, maxResultBytes: 1024 });
    const b = batch(3);
    expect(cache.store(key('q'), versions([1, 4]), COLS, [b])).toBe(true);
    const hit = cache.lookup(key('q'), versions([1, 4]));
    expect(hit).toEqual({ columns: COLS, batches: [b], rows: 3, bytes: 24 });
    expect(hit!.batches[0]).toBe(b);
  });

  it('keys on the text, the role, the database and the schema', () => {
    const cache = new ResultCache({ maxBytes: 1024, maxResultBytes: 1024 });
    cache.store(key('q'), versions([1, 4]), COLS, [batch(1)]);
    expect(cache.lookup(key('q2'), versions([1, 4]))).toBeNull();
    expect(cache.lookup(key('q', { role: 'ANALYST' }), versions([1, 4]))).toBeNull();
    expect(cache.lookup(key('q', { database: 'OTHER' }), versions([1, 4]))).toBeNull();
    expect(cache.lookup(key('q', { schema: 'S2' }), versions([1, 4]))).toBeNull();
    expect(cache.lookup(key('q', { schema: null }), versions([1, 4]))).toBeNull();
    expect(cache.lookup(key('q'), versions([1, 4]))).not.toBeNull();
  });

  it('drops an entry whose tables changed: a new version, another table id (replaced), a time travel read of another version', () => {
    const cache = new ResultCache({ maxBytes: 1024, maxResultBytes: 1024 });
    cache.store(key('q'), versions([1, 4], [2, 7]), COLS, [batch(2)]);
    expect(cache.lookup(key('q'), versions([2, 7], [1, 4]))).not.toBeNull();
    expect(cache.lookup(key('q'), versions([1, 5], [2, 7]))).toBeNull();
    // Removed on that lookup: even the old versions miss now.
    expect(cache.lookup(key('q'), versions([1, 4], [2, 7]))).toBeNull();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);

    cache.store(key('q'), versions([1, 4]), COLS, [batch(2)]);
    expect(cache.lookup(key('q'), versions([9, 4]))).toBeNull();
    cache.store(key('q'), versions([1, 4], [1, 2]), COLS, [batch(2)]);
    expect(cache.lookup(key('q'), versions([1, 4]))).toBeNull();
  });

  it('expires an entry 24 hours after it was stored', () => {
    const c = clock();
    const cache = new ResultCache({ maxBytes: 1024, maxResultBytes: 1024, now: c.now });
    cache.store(key('q'), versions([1, 1]), COLS, [batch(1)]);
    c.advance(RESULT_TTL_MS - 1);
    expect(cache.lookup(key('q'), versions([1, 1]))).not.toBeNull();
    c.advance(1);
    expect(cache.lookup(key('q'), versions([1, 1]))).toBeNull();
    expect(cache.size).toBe(0);
    expect(RESULT_TTL_MS).toBe(86_400_000);
  });

  it('drops expired entries when storing, also ones never asked for again', () => {
    const c = clock();
    const cache = new ResultCache({ maxBytes: 1024, maxResultBytes: 1024, now: c.now });
    cache.store(key('old'), versions(), COLS, [batch(2)]);
    c.advance(RESULT_TTL_MS / 2);
    cache.store(key('newer'), versions(), COLS, [batch(1)]);
    c.advance(RESULT_TTL_MS / 2);
    cache.store(key('newest'), versions(), COLS, [batch(1)]);
    expect([cache.size, cache.bytes]).toEqual([2, 16]);
    expect(cache.lookup(key('newer'), versions())).not.toBeNull();
  });

  it('keeps at most maxBytes, evicting the least recently used first', () => {
    const cache = new ResultCache({ maxBytes: 100, maxResultBytes: 100 });
    const v = versions([1, 1]);
    cache.store(key('a'), v, COLS, [batch(4)]); // 32 bytes
    cache.store(key('b'), v, COLS, [batch(4)]);
    cache.store(key('c'), v, COLS, [batch(4)]);
    expect([cache.size, cache.bytes]).toEqual([3, 96]);
    // 'a' used last: 'b' is the least recently used when 'd' needs room.
    expect(cache.lookup(key('a'), v)).not.toBeNull();
    cache.store(key('d'), v, COLS, [batch(1)]);
    expect([cache.size, cache.bytes]).toEqual([3, 72]);
    expect(cache.lookup(key('b'), v)).toBeNull();
    expect(cache.lookup(key('a'), v)).not.toBeNull();
    expect(cache.lookup(key('c'), v)).not.toBeNull();
    expect(cache.lookup(key('d'), v)).not.toBeNull();
  });

  it('does not cache a result larger than maxResultBytes, and nothing with 0 bytes of budget', () => {
    const cache = new ResultCache({ maxBytes: 1000, maxResultBytes: 40 });
    expect(cache.store(key('big'), versions(), COLS, [batch(3), batch(3)])).toBe(false);
    expect(cache.store(key('fits'), versions(), COLS, [batch(5)])).toBe(true);
    expect(cache.lookup(key('big'), versions())).toBeNull();
    const off = new ResultCache({ maxBytes: 0, maxResultBytes: 40 });
    expect(off.store(key('q'), versions(), COLS, [batch(1)])).toBe(false);
    expect(off.size).toBe(0);
  });

  it('re-storing a key replaces its entry and its bytes', () => {
    const cache = new ResultCache({ maxBytes: 1000, maxResultBytes: 1000 });
    cache.store(key('q'), versions([1, 1]), COLS, [batch(10)]);
    cache.store(key('q'), versions([1, 2]), COLS, [batch(2)]);
    expect([cache.size, cache.bytes]).toEqual([1, 16]);
    expect(cache.lookup(key('q'), versions([1, 2]))!.rows).toBe(2);
  });

  describe('recording', () => {
    async function* source(batches: Batch[], fail = false): AsyncGenerator<Batch> {
      for (const b of batches) yield b;
      if (fail) throw new Error('scan failed');
    }

    async function drain(it: AsyncIterable<Batch>): Promise<Batch[]> {
      const out: Batch[] = [];
      for await (const b of it) out.push(b);
      return out;
    }

    it('passes the batches through and stores them once read to the end and the query succeeded', async () => {
      const cache = new ResultCache({ maxBytes: 1000, maxResultBytes: 1000 });
      const bs = [batch(2), batch(3, 2)];
      const passed = await drain(cache.recording(key('q'), versions([1, 1]), COLS, source(bs), Promise.resolve({})));
      expect(passed).toEqual(bs);
      expect(cache.lookup(key('q'), versions([1, 1]))!.batches).toEqual(bs);
    });

    it('stores nothing when the query failed, was abandoned, or its result passed maxResultBytes', async () => {
      const cache = new ResultCache({ maxBytes: 1000, maxResultBytes: 30 });
      const failed = Promise.reject(new Error('task failed'));
      await drain(cache.recording(key('failed'), versions(), COLS, source([batch(1)]), failed));
      await expect(drain(cache.recording(key('thrown'), versions(), COLS, source([batch(1)], true), Promise.resolve({})))).rejects.toThrow('scan failed');
      const abandoned = cache.recording(key('abandoned'), versions(), COLS, source([batch(1), batch(1)]), Promise.resolve({}));
      await abandoned.next();
      await abandoned.return(undefined);
      const big = await drain(cache.recording(key('big'), versions(), COLS, source([batch(2), batch(2)]), Promise.resolve({})));
      expect(big.length).toBe(2);
      expect(cache.size).toBe(0);
    });
  });
});
