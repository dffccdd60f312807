import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import { vectorBytes } from '../../storage/types/vector-bytes.js';
import { StorageError } from '../../storage/errors/firn-error.js';
import { cacheFileName, ColumnCache, DEFERRED_DICT, type CachedObject, type ColumnCacheOptions } from './column-cache.js';

const ROWS = 1000;
const columns: Column[] = [
  { name: 'A', type: { kind: 'FLOAT' }, nullable: true },
  { name: 'B', type: { kind: 'NUMBER', precision: 10, scale: 2 }, nullable: true },
  { name: 'C', type: { kind: 'VARCHAR' }, nullable: true },
  { name: 'D', type: { kind: 'FLOAT' }, nullable: true },
];

function partition(seed: number): Uint8Array {
  const batch: Batch = {
    length: ROWS,
    columns: [
      { kind: 'f64', length: ROWS, values: new Float64Array(ROWS).map((_, i) => seed * 1e6 + i), nulls: null },
      { kind: 'f64', length: ROWS, values: new Float64Array(ROWS).map((_, i) => -i * seed), nulls: new Uint8Array(ROWS).map((_, i) => (i % 9 === 0 ? 1 : 0)) },
      { kind: 'str', length: ROWS, codes: new Int32Array(ROWS).map((_, i) => i % 3), dict: [`p${seed}`, 'q', 'r'], nulls: null },
      { kind: 'f64', length: ROWS, values: new Float64Array(ROWS).map((_, i) => i / 2), nulls: null },
    ],
  };
  return writePartition(columns, batch).bytes;
}

const objects = new Map<string, Uint8Array>([0, 1, 2, 3].map((s) => [`t/p${s}.parquet`, partition(s + 1)]));
/** The partitions as the catalog records them (no ETag: size-only validation, as for old rows). */
const KEYS: CachedObject[] = [...objects].map(([objectKey, bytes]) => ({ objectKey, byteSize: bytes.byteLength, etag: null }));

function at(v: Vector, i: number): unknown {
  if (v.nulls !== null && v.nulls[i] !== 0) return null;
  return v.kind === 'str' ? v.dict[v.codes[i]] : v.kind === 'ts' ? [v.secs[i], v.nanos[i]] : v.values[i];
}

describe('ColumnCache', () => {
  let dir = '';
  /** Every fetch, as the object it asked for (its key, the size it got, the ETag it asked for). */
  let fetches: CachedObject[] = [];
  const make = (opts: Partial<ColumnCacheOptions> = {}) =>
    new ColumnCache({
      memoryBytes: 1 << 30,
      diskDir: dir,
      diskBytes: 1 << 30,
      fetchObject: async (key, ifMatch) => {
        const bytes = objects.get(key);
        if (!bytes) throw new Error(`no object ${key}`);
        fetches.push({ objectKey: key, byteSize: bytes.byteLength, etag: ifMatch ?? null });
        return bytes;
      },
      ...opts,
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'firn-cache-'));
    fetches = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes misses from one fetch, then serves hits from memory without fetching', async () => {
    const cache = make();
    const first = await cache.getColumns(KEYS[0], columns, [2, 0]);
    expect(fetches).toEqual([KEYS[0]]);
    expect(first.stats).toMatchObject({ hits: 0, misses: 2, sources: ['object', 'object'], bytesFetched: KEYS[0].byteSize });
    expect(first.batch.length).toBe(ROWS);
    expect(at(first.batch.columns[0], 4)).toBe('q');
    expect(at(first.batch.columns[1], 7)).toBe(1e6 + 7);

    const second = await cache.getColumns(KEYS[0], columns, [0, 2, 0]);
    expect(fetches).toEqual([KEYS[0]]);
    // Column 0 wanted twice is one lookup: hits count distinct columns.
    expect(second.stats).toMatchObject({ hits: 2, misses: 0, memoryHits: 2, diskHits: 0, bytesFetched: 0, sources: ['memory', 'memory', 'memory'] });
    expect(second.batch.columns[0]).toBe(first.batch.columns[1]);
    await cache.flush();
  });

  it('keeps a string chunk with a large dictionary packed in memory (two objects, not one per string) and serves it exactly', async () => {
    const rows = 5000;
    const wide: Column[] = [{ name: 'S', type: { kind: 'VARCHAR' }, nullable: true }];
    const dict = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? `ünïcödé ${i} ✓ 😀` : i % 11 === 0 ? '' : `comment ${i} ${'x'.repeat(i % 40)}`));
    const vector: Vector = { kind: 'str', length: rows, codes: new Int32Array(rows).map((_, i) => (i * 7) % dict.length), dict, nulls: new Uint8Array(rows).map((_, i) => (i % 13 === 0 ? 1 : 0)) };
    const bytes = writePartition(wide, { length: rows, columns: [vector] }).bytes;
    objects.set('t/wide.parquet', bytes);
    const key: CachedObject = { objectKey: 't/wide.parquet', byteSize: bytes.byteLength, etag: null };
    const cache = make({ diskDir: null });
    const values = (v: Vector) => Array.from({ length: rows }, (_, i) => at(v, i));
    const first = await cache.getColumns(key, wide, [0]);
    const second = await cache.getColumns(key, wide, [0]);
    expect(second.stats.sources).toEqual(['memory']);
    expect(values(second.batch.columns[0])).toEqual(values(vector));
    const held = [...(cache as unknown as { mem: Map<string, { vector: { kind: string } }> }).mem.values()].map((e) => e.vector.kind);
    expect(held).toEqual(['packed-str']);
    expect(values(first.batch.columns[0])).toEqual(values(vector));
    objects.delete('t/wide.parquet');
  });

  it('defers a packed dictionary a reader asks to defer: the shared empty DEFERRED_DICT, the packed strings beside it, and nothing else deferred', async () => {
    const rows = 4000;
    const two: Column[] = [
      { name: 'S', type: { kind: 'VARCHAR' }, nullable: true },
      { name: 'T', type: { kind: 'VARCHAR' }, nullable: true },
    ];
    const dict = Array.from({ length: 2000 }, (_, i) => `name ${i} ✓`);
    const s = { kind: 'str', length: rows, codes: new Int32Array(rows).map((_, i) => (i * 3) % dict.length), dict, nulls: null } as const;
    const t: Vector = { kind: 'str', length: rows, codes: new Int32Array(rows).map((_, i) => i % 2), dict: ['a', 'b'], nulls: null };
    const bytes = writePartition(two, { length: rows, columns: [s, t] }).bytes;
    objects.set('t/defer.parquet', bytes);
    const key: CachedObject = { objectKey: 't/defer.parquet', byteSize: bytes.byteLength, etag: null };
    const cache = make({ diskDir: null });
    // Decoded from the object: nothing is packed yet, so nothing is deferred.
    const first = await cache.getColumns(key, two, [0, 1], rows, undefined, false, new Set([0, 1]));
    expect(first.deferred).toBeNull();
    expect(at(first.batch.columns[0], 5)).toBe('name 15 ✓');
    // From memory: S is packed and deferred, T (two entries) is not packed; without the set, nothing is deferred.
    const second = await cache.getColumns(key, two, [1, 0], rows, undefined, false, new Set([0, 1]));
    expect(second.stats.sources).toEqual(['memory', 'memory']);
    const deferred = second.deferred!;
    expect(deferred[0]).toBeNull();
    expect(deferred[1]!.size).toBe(dict.length);
    const lazy = second.batch.columns[1] as Extract<Vector, { kind: 'str' }>;
    expect(lazy.dict).toBe(DEFERRED_DICT);
    expect(Array.from(lazy.codes, (c) => deferred[1]!.entry(c))).toEqual(Array.from(s.codes, (c) => dict[c]));
    expect(at(second.batch.columns[0], 3)).toBe('b');
    const plain = await cache.getColumns(key, two, [0], rows);
    expect(plain.deferred).toBeNull();
    expect(at(plain.batch.columns[0], 5)).toBe('name 15 ✓');
    objects.delete('t/defer.parquet');
  });

  it('reads a column the partition lacks but may (ADD COLUMN) as its default, keyed by its physical name, in both levels', async () => {
    const withAdded: Column[] = [...columns, { name: 'E#5', type: { kind: 'NUMBER', precision: 10, scale: 0 }, nullable: true }];
    const absent = [null, null, null, null, { value: 42n }];
    const cache = make();
    const first = await cache.getColumns(KEYS[1], withAdded, [4, 0], undefined, absent);
    expect(fetches).toEqual([KEYS[1]]);
    expect(first.stats).toMatchObject({ misses: 2, sources: ['object', 'object'] });
    expect(first.batch.length).toBe(ROWS);
    expect(first.batch.columns[0]).toMatchObject({ kind: 'f64', length: ROWS, nulls: null });
    expect(Array.from({ length: ROWS }, (_, i) => at(first.batch.columns[0], i))).toEqual(new Array(ROWS).fill(42));
    expect(at(first.batch.columns[1], 3)).toBe(2e6 + 3);
    await cache.flush();
    // A new cache over the same directory serves it from SSD without fetching.
    const again = await make().getColumns(KEYS[1], withAdded, [4], ROWS, absent);
    expect(fetches).toEqual([KEYS[1]]);
    expect(again.stats).toMatchObject({ diskHits: 1, misses: 0 });
    expect(Array.from({ length: ROWS }, (_, i) => at(again.batch.columns[0], i))).toEqual(new Array(ROWS).fill(42));
    // Without the scan saying it may be absent, a missing column is corrupt.
    await expect(make({ diskDir: null }).getColumns(KEYS[2], withAdded, [4])).rejects.toMatchObject({ codeName: 'FILE_CORRUPT' });
  });

  it('fetches again only for columns it does not hold, and decodes only those', async () => {
    const cache = make({ diskDir: null });
    await cache.getColumns(KEYS[1], columns, [0]);
    const r = await cache.getColumns(KEYS[1], columns, [0, 1]);
    expect(fetches).toEqual([KEYS[1], KEYS[1]]);
    expect(r.stats.sources).toEqual(['memory', 'object']);
    expect(cache.info().memoryEntries).toBe(2);
    expect(at(r.batch.columns[1], 0)).toBeNull();
    expect(at(r.batch.columns[1], 5)).toBe(-10);
  });

  it('evicts the least recently used vectors when memory is over its bound', async () => {
    const oneColumn = vectorBytes({ kind: 'f64', length: ROWS, values: new Float64Array(ROWS), nulls: null });
    const cache = make({ diskDir: null, memoryBytes: oneColumn * 2 + 100 });
    await cache.getColumns(KEYS[0], columns, [0]); // A0
    await cache.getColumns(KEYS[1], columns, [0]); // A1
    await cache.getColumns(KEYS[0], columns, [0]); // touch A0: A1 is now least recent
    await cache.getColumns(KEYS[2], columns, [0]); // A2 evicts A1
    expect(cache.info().memoryEntries).toBe(2);
    expect(cache.info().memoryBytes).toBeLessThanOrEqual(oneColumn * 2 + 100);
    fetches = [];
    expect((await cache.getColumns(KEYS[0], columns, [0])).stats.sources).toEqual(['memory']);
    expect((await cache.getColumns(KEYS[2], columns, [0])).stats.sources).toEqual(['memory']);
    expect((await cache.getColumns(KEYS[1], columns, [0])).stats.sources).toEqual(['object']);
    expect(fetches).toEqual([KEYS[1]]);
  });

  it('does not keep a vector larger than the memory bound', async () => {
    const cache = make({ diskDir: null, memoryBytes: 100 });
    await cache.getColumns(KEYS[0], columns, [0]);
    expect(cache.info().memoryEntries).toBe(0);
    expect((await cache.getColumns(KEYS[0], columns, [0])).stats.sources).toEqual(['object']);
  });

  it('keeps decoded columns on SSD, reused by a new cache over the same directory', async () => {
    const cache = make();
    const first = await cache.getColumns(KEYS[3], columns, [1, 2, 3]);
    await cache.flush();
    expect(readdirSync(dir).filter((f) => f.endsWith('.arrow')).length).toBe(3);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);

    fetches = [];
    const restarted = make();
    const again = await restarted.getColumns(KEYS[3], columns, [3, 1, 2]);
    expect(fetches).toEqual([]);
    expect(again.stats).toMatchObject({ hits: 3, misses: 0, diskHits: 3, memoryHits: 0, bytesFetched: 0, sources: ['disk', 'disk', 'disk'] });
    expect(again.stats.bytesScanned).toBeGreaterThan(0);
    for (const [j, c] of [[0, 2], [1, 0], [2, 1]] as const) {
      for (const i of [0, 1, 9, 500, 999]) expect(at(again.batch.columns[j], i)).toEqual(at(first.batch.columns[c], i));
    }
    const third = await restarted.getColumns(KEYS[3], columns, [3]);
    expect(third.stats.sources).toEqual(['memory']);
    await restarted.flush();
  });

  it('evicts least recently used SSD files beyond the disk bound', async () => {
    const probe = make({ memoryBytes: 0 });
    await probe.getColumns(KEYS[0], columns, [0]);
    await probe.flush();
    const fileBytes = probe.info().diskBytes;
    rmSync(dir, { recursive: true, force: true });

    const cache = make({ memoryBytes: 0, diskBytes: fileBytes * 2 + 10 });
    await cache.getColumns(KEYS[0], columns, [0]);
    await cache.flush();
    await cache.getColumns(KEYS[1], columns, [0]);
    await cache.flush();
    expect((await cache.getColumns(KEYS[0], columns, [0])).stats.sources).toEqual(['disk']); // touch p0
    await cache.getColumns(KEYS[2], columns, [0]); // p1 is evicted
    await cache.flush();
    expect(cache.info().diskEntries).toBe(2);
    expect(readdirSync(dir).length).toBe(2);
    fetches = [];
    expect((await cache.getColumns(KEYS[0], columns, [0])).stats.sources).toEqual(['disk']);
    expect((await cache.getColumns(KEYS[2], columns, [0])).stats.sources).toEqual(['disk']);
    expect((await cache.getColumns(KEYS[1], columns, [0])).stats.sources).toEqual(['object']);
    expect(fetches).toEqual([KEYS[1]]);
    await cache.flush();
  });

  it('indexes existing files on startup, oldest first, evicting beyond a smaller bound and removing temp files', async () => {
    const cache = make();
    for (const k of KEYS.slice(0, 3)) await cache.getColumns(k, columns, [0]);
    await cache.flush();
    const files = readdirSync(dir);
    expect(files.length).toBe(3);
    // Give the files distinct ages: p0 newest, p1 oldest.
    const nameOf = (k: CachedObject) => cacheFileName(k, columns[0]);
    const now = Date.now() / 1000;
    utimesSync(join(dir, nameOf(KEYS[0])), now - 10, now - 10);
    utimesSync(join(dir, nameOf(KEYS[1])), now - 1000, now - 1000);
    utimesSync(join(dir, nameOf(KEYS[2])), now - 100, now - 100);
    writeFileSync(join(dir, 'abc.arrow.123.tmp'), 'partial');
    const size = statSync(join(dir, nameOf(KEYS[0]))).size;

    fetches = [];
    const restarted = make({ diskBytes: size * 2 + 10 });
    expect((await restarted.getColumns(KEYS[0], columns, [0])).stats.sources).toEqual(['disk']);
    expect((await restarted.getColumns(KEYS[2], columns, [0])).stats.sources).toEqual(['disk']);
    expect((await restarted.getColumns(KEYS[1], columns, [0])).stats.sources).toEqual(['object']);
    await restarted.flush();
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
    // p1 came back and was written again, evicting p0 (used before p2)
    expect(readdirSync(dir).sort()).toEqual([nameOf(KEYS[1]), nameOf(KEYS[2])].sort());
  });

  it('treats an unreadable cache file as a miss and replaces it', async () => {
    const cache = make();
    await cache.getColumns(KEYS[0], columns, [2]);
    await cache.flush();
    const [name] = readdirSync(dir);
    writeFileSync(join(dir, name), 'garbage');
    fetches = [];
    const restarted = make();
    const r = await restarted.getColumns(KEYS[0], columns, [2]);
    expect(r.stats.sources).toEqual(['object']);
    expect(fetches).toEqual([KEYS[0]]);
    expect(at(r.batch.columns[0], 0)).toBe('p1');
    await restarted.flush();
    const fresh = make();
    expect((await fresh.getColumns(KEYS[0], columns, [2])).stats.sources).toEqual(['disk']);
  });

  it('shares one fetch between concurrent reads of the same object', async () => {
    const cache = make({ diskDir: null });
    const [a, b] = await Promise.all([cache.getColumns(KEYS[0], columns, [0]), cache.getColumns(KEYS[0], columns, [1])]);
    expect(fetches).toEqual([KEYS[0]]);
    expect(a.stats.misses + b.stats.misses).toBe(2);
  });

  it('gives the row count for an empty column list', async () => {
    const cache = make({ diskDir: null });
    expect((await cache.getColumns(KEYS[0], columns, [], 1000)).batch).toEqual({ length: 1000, columns: [] });
    expect(fetches).toEqual([]);
    expect((await cache.getColumns(KEYS[0], columns, [])).batch).toEqual({ length: ROWS, columns: [] });
  });

  it('keys entries by column type as well as name', async () => {
    const cache = make({ diskDir: null });
    await cache.getColumns(KEYS[0], columns, [1]);
    const retyped: Column[] = columns.map((c, i) => (i === 1 ? { ...c, type: { kind: 'NUMBER', precision: 12, scale: 2 } } : c));
    expect((await cache.getColumns(KEYS[0], retyped, [1])).stats.sources).toEqual(['object']);
  });

  it('serves an entry only for the identity it was decoded from: another ETag or size of the same key is a miss', async () => {
    const v1: CachedObject = { ...KEYS[0], etag: '"v1"' };
    const cache = make();
    await cache.getColumns(v1, columns, [0]);
    expect((await cache.getColumns(v1, columns, [0])).stats.sources).toEqual(['memory']);
    await cache.flush();
    expect((await make().getColumns(v1, columns, [0])).stats.sources).toEqual(['disk']);
    fetches = [];
    // The catalog now records another version of the key: neither level serves the old one.
    const v2: CachedObject = { ...KEYS[0], etag: '"v2"' };
    const r = await cache.getColumns(v2, columns, [0]);
    expect(r.stats).toMatchObject({ hits: 0, misses: 1, sources: ['object'] });
    expect(fetches).toEqual([v2]);
    // A partition recorded without an ETag is told apart by size.
    const noEtag = make();
    await noEtag.getColumns(KEYS[1], columns, [0]);
    await noEtag.flush();
    await expect(make().getColumns({ ...KEYS[1], byteSize: KEYS[1].byteSize + 1 }, columns, [0])).rejects.toMatchObject({ codeName: 'OBJECT_CHANGED' });
  });

  it('fails with OBJECT_CHANGED when the fetched object is not the recorded size, and caches nothing of it', async () => {
    const cache = make();
    const wrong: CachedObject = { ...KEYS[2], byteSize: KEYS[2].byteSize - 1 };
    const err = await cache.getColumns(wrong, columns, [0, 1]).catch((e: unknown) => e);
    expect(err).toMatchObject({ codeName: 'OBJECT_CHANGED', code: '390104', sqlState: 'XX001' });
    expect((err as Error).message).toContain(KEYS[2].objectKey);
    await cache.flush();
    expect(cache.info()).toMatchObject({ memoryEntries: 0, diskEntries: 0 });
    await expect(cache.getColumns(wrong, columns, [0])).rejects.toMatchObject({ codeName: 'OBJECT_CHANGED' });
    expect(fetches).toHaveLength(2);
  });

  it('passes the recorded ETag to the fetch and its OBJECT_CHANGED through', async () => {
    const cache = make({
      fetchObject: async (key, ifMatch) => {
        fetches.push({ objectKey: key, byteSize: -1, etag: ifMatch ?? null });
        throw new StorageError('OBJECT_CHANGED', `object '${key}' was replaced`);
      },
    });
    await expect(cache.getColumns({ ...KEYS[3], etag: '"abc"' }, columns, [0])).rejects.toMatchObject({ codeName: 'OBJECT_CHANGED' });
    expect(fetches).toEqual([{ objectKey: KEYS[3].objectKey, byteSize: -1, etag: '"abc"' }]);
    expect(cache.info().memoryEntries).toBe(0);
  });

  it('follows bounds given as functions: a smaller bound evicts both levels on the next use', async () => {
    let memory = 1 << 30;
    let disk = 1 << 30;
    const cache = make({ memoryBytes: () => memory, diskBytes: () => disk });
    for (const k of KEYS) await cache.getColumns(k, columns, [0]);
    await cache.flush();
    expect(cache.info()).toMatchObject({ memoryEntries: 4, diskEntries: 4 });
    const oneFile = cache.info().diskBytes / 4;
    memory = vectorBytes((await cache.getColumns(KEYS[3], columns, [0])).batch.columns[0]) + 10;
    disk = oneFile * 2 + 10;
    const r = await cache.getColumns(KEYS[3], columns, [0]);
    expect(r.stats.sources).toEqual(['memory']);
    await cache.flush();
    expect(cache.info()).toMatchObject({ memoryEntries: 1, diskEntries: 2 });
    expect(readdirSync(dir).length).toBe(2);
  });

  it("serves a borrowed read from what it holds and from another slot's SSD chunk where it lies, moving nothing, keeping it in memory only where that evicts nothing", async () => {
    const other = mkdtempSync(join(tmpdir(), 'firn-cache-other-'));
    try {
      const owner = make({ diskDir: other });
      await owner.getColumns(KEYS[0], columns, [0, 2]);
      await owner.flush();
      const owned = readdirSync(other).sort();
      fetches = [];
      let bound = 1 << 30;
      const cache = make({ adoptDirs: [other], memoryBytes: () => bound });
      await cache.getColumns(KEYS[1], columns, [0]);
      await cache.flush();
      const before = cache.info();
      // Memory full: column 3 (in neither slot) is decoded from the object and kept nowhere.
      bound = before.memoryBytes;
      const borrow = () => cache.getColumns(KEYS[0], columns, [2, 0, 3], undefined, undefined, true);
      const r = await borrow();
      expect(r.stats).toMatchObject({ hits: 2, diskHits: 2, misses: 1, sources: ['disk', 'disk', 'object'] });
      expect(at(r.batch.columns[0], 1)).toBe('q');
      expect(at(r.batch.columns[1], 3)).toBe(1e6 + 3);
      expect(at(r.batch.columns[2], 4)).toBe(2);
      await cache.flush();
      expect(cache.info()).toEqual(before);
      expect(readdirSync(other).sort()).toEqual(owned);
      expect(readdirSync(dir).length).toBe(before.diskEntries);
      // With room, memory keeps them (never the SSD), and a borrowed read serves what it holds.
      bound = 1 << 30;
      await borrow();
      await cache.flush();
      expect(cache.info()).toMatchObject({ memoryEntries: before.memoryEntries + 3, diskEntries: before.diskEntries });
      expect((await borrow()).stats.sources).toEqual(['memory', 'memory', 'memory']);
      expect(readdirSync(other).sort()).toEqual(owned);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("adopts another slot's SSD chunks on a miss (after a resize), as disk hits, moving them", async () => {
    const other = mkdtempSync(join(tmpdir(), 'firn-cache-other-'));
    try {
      const before = make({ diskDir: other });
      await before.getColumns(KEYS[0], columns, [0, 2]);
      await before.flush();
      expect(readdirSync(other).length).toBe(2);
      fetches = [];
      const cache = make({ adoptDirs: [join(dir, 'missing'), other] });
      const r = await cache.getColumns(KEYS[0], columns, [2, 0, 1]);
      expect(r.stats).toMatchObject({ hits: 2, diskHits: 2, misses: 1, sources: ['disk', 'disk', 'object'] });
      expect(at(r.batch.columns[0], 1)).toBe('q');
      expect(at(r.batch.columns[1], 3)).toBe(1e6 + 3);
      await cache.flush();
      expect(readdirSync(other)).toEqual([]);
      expect(readdirSync(dir).length).toBe(3);
      expect(cache.info().diskEntries).toBe(3);
      expect((await make().getColumns(KEYS[0], columns, [0, 1, 2])).stats.sources).toEqual(['disk', 'disk', 'disk']);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
