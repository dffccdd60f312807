import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../storage/object-store/local-object-store.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import { readPartitionColumns } from '../../storage/partition/partition-reader.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { CancelFlag, CancelReason } from '../cancel/cancel-flag.js';
import { InMemorySort } from './in-memory-sort.js';
import { SpillSpace } from '../execute/spill/spill-space.js';
import { writeMicroPartitions, type WriteMicroPartitionsOptions } from './write-micro-partitions.js';
import { utf8DictVector } from '../../storage/arrow/utf8-dict.js';
import { encodeUtf8Strings } from '../../storage/arrow/utf8-strings.js';

const COLUMNS: Column[] = [
  { name: 'K', type: Types.float, nullable: true },
  { name: 'S', type: Types.varchar, nullable: true },
];

/** Rows (k, 'v<k>') for the given keys, one batch. */
function batchOf(keys: (number | null)[]): Batch {
  const n = keys.length;
  const nulls = keys.some((k) => k === null) ? Uint8Array.from(keys, (k) => (k === null ? 1 : 0)) : null;
  return {
    length: n,
    columns: [
      { kind: 'f64', length: n, values: Float64Array.from(keys, (k) => k ?? 0), nulls },
      { kind: 'str', length: n, codes: Int32Array.from(keys, (_, i) => i), dict: keys.map((k) => `v${k}`), nulls: null },
    ],
  };
}

async function* stream(batches: Batch[]): AsyncGenerator<Batch> {
  for (const b of batches) yield b;
}

/** Every put and reservation, in order: proves each key is reserved before its put. */
class RecordingStore implements ObjectStore {
  readonly events: string[] = [];
  failPutAt = -1;
  private puts = 0;
  constructor(private readonly inner: ObjectStore) {}
  get url() {
    return this.inner.url;
  }
  get(key: string) {
    return this.inner.get(key);
  }
  getRange(key: string, offset: number, length: number) {
    return this.inner.getRange(key, offset, length);
  }
  async put(key: string, data: Uint8Array) {
    if (this.puts++ === this.failPutAt) throw new Error(`injected put failure at ${key}`);
    this.events.push(`put ${key}`);
    return this.inner.put(key, data);
  }
  head(key: string) {
    return this.inner.head(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
}

describe('writeMicroPartitions', () => {
  let dir: string;
  let store: RecordingStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'firn-wmp-'));
    store = new RecordingStore(new LocalObjectStore(dir));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function opts(over: Partial<WriteMicroPartitionsOptions> = {}): WriteMicroPartitionsOptions {
    return {
      store,
      columns: COLUMNS,
      clusterBy: [],
      partitionRows: 4,
      keyPrefix: 't1/q/w',
      reserve: (keys) => {
        store.events.push(`reserve ${keys.join(',')}`);
      },
      cancel: null,
      memoryBytes: 1 << 20,
      ...over,
    };
  }

  async function readBack(key: string): Promise<{ k: (number | null)[]; s: string[] }> {
    const b = readPartitionColumns(await store.get(key), COLUMNS, [0, 1]);
    const k = b.columns[0];
    const s = b.columns[1];
    if (k.kind !== 'f64' || s.kind !== 'str') throw new Error('unexpected vector kinds');
    return { k: Array.from(k.values, (v, i) => (k.nulls?.[i] ? null : v)), s: Array.from(s.codes, (c) => s.dict[c]) };
  }

  it('cuts unclustered rows at partitionRows across batch borders, in arrival order, reserving each key before its put', async () => {
    const written = await writeMicroPartitions(stream([batchOf([9, 8, 7]), batchOf([6, 5, 4, 3, 2]), batchOf([]), batchOf([1, 0])]), opts());
    expect(written.map((w) => [w.objectKey, w.rowCount])).toEqual([
      ['t1/q/w-00000.parquet', 4],
      ['t1/q/w-00001.parquet', 4],
      ['t1/q/w-00002.parquet', 2],
    ]);
    expect(store.events).toEqual([
      'reserve t1/q/w-00000.parquet',
      'put t1/q/w-00000.parquet',
      'reserve t1/q/w-00001.parquet',
      'put t1/q/w-00001.parquet',
      'reserve t1/q/w-00002.parquet',
      'put t1/q/w-00002.parquet',
    ]);
    expect(await readBack(written[0].objectKey)).toEqual({ k: [9, 8, 7, 6], s: ['v9', 'v8', 'v7', 'v6'] });
    expect(await readBack(written[1].objectKey)).toEqual({ k: [5, 4, 3, 2], s: ['v5', 'v4', 'v3', 'v2'] });
    expect(await readBack(written[2].objectKey)).toEqual({ k: [1, 0], s: ['v1', 'v0'] });
    expect(written[0].zoneMap.columns.K).toMatchObject({ min: 6, max: 9, nullCount: 0 });
    // Each partition carries the ETag its put answered (the local store's: the content's MD5) and its size.
    for (const w of written) {
      const bytes = await store.get(w.objectKey);
      expect(w.byteSize).toBe(bytes.byteLength);
      expect(w.etag).toBe(`"${createHash('md5').update(bytes).digest('hex')}"`);
    }
  });

  it('writes each unclustered partition as soon as it is full, before the input ends', async () => {
    const seenBeforeEnd: string[][] = [];
    async function* slow(): AsyncGenerator<Batch> {
      yield batchOf([1, 2, 3, 4, 5]);
      seenBeforeEnd.push([...store.events]);
      yield batchOf([6]);
    }
    await writeMicroPartitions(slow(), opts());
    expect(seenBeforeEnd).toEqual([['reserve t1/q/w-00000.parquet', 'put t1/q/w-00000.parquet']]);
  });

  it('writes nothing and reserves nothing for an empty input', async () => {
    expect(await writeMicroPartitions(stream([batchOf([])]), opts())).toEqual([]);
    expect(await writeMicroPartitions(stream([batchOf([])]), opts({ clusterBy: [0] }))).toEqual([]);
    expect(store.events).toEqual([]);
  });

  it('sorts clustered rows by the key (NULLS LAST) across batches before cutting', async () => {
    const written = await writeMicroPartitions(stream([batchOf([5, null, 1]), batchOf([4, 2]), batchOf([3, 0, 6])]), opts({ clusterBy: [0], partitionRows: 3 }));
    expect(written.map((w) => w.rowCount)).toEqual([3, 3, 2]);
    expect((await readBack(written[0].objectKey)).k).toEqual([0, 1, 2]);
    expect((await readBack(written[1].objectKey)).k).toEqual([3, 4, 5]);
    expect(await readBack(written[2].objectKey)).toEqual({ k: [6, null], s: ['v6', 'vnull'] });
    expect(written.map((w) => [w.zoneMap.columns.K.min, w.zoneMap.columns.K.max])).toEqual([
      [0, 2],
      [3, 5],
      [6, 6],
    ]);
  });

  it('takes the sort it is given (the spilling one), with the memory budget', async () => {
    const made: number[] = [];
    const written = await writeMicroPartitions(stream([batchOf([2, 1]), batchOf([0])]), {
      ...opts({ clusterBy: [0], memoryBytes: 12345 }),
      sorter: (types, keys, memoryBytes) => {
        made.push(memoryBytes);
        return new InMemorySort(types, keys);
      },
    });
    expect(made).toEqual([12345]);
    expect((await readBack(written[0].objectKey)).k).toEqual([0, 1, 2]);
  });

  it('sorts through the spilling external sort when the rows pass the memory budget', async () => {
    const spillDir = path.join(dir, 'spill');
    const space = new SpillSpace(spillDir, 1 << 24);
    const keys = Array.from({ length: 2_000 }, (_, i) => (i * 7919) % 2_000);
    const batches = Array.from({ length: 20 }, (_, b) => batchOf(keys.slice(b * 100, b * 100 + 100)));
    const written = await writeMicroPartitions(stream(batches), { ...opts({ clusterBy: [0], partitionRows: 700, memoryBytes: 4_096 }), spill: space });
    // 20 batches of 100 rows against a 4 KiB budget: several runs went to disk.
    expect(space.bytesSpilled).toBeGreaterThan(4 * 4_096);
    expect(written.map((w) => w.rowCount)).toEqual([700, 700, 600]);
    const read = [];
    for (const w of written) read.push(...(await readBack(w.objectKey)).k);
    expect(read).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    await space.close();
  });

  it('puts nothing whose reservation failed', async () => {
    const failing = opts({
      reserve: (keys) => {
        if (keys[0].endsWith('00001.parquet')) throw new Error('catalog refused');
        store.events.push(`reserve ${keys.join(',')}`);
      },
    });
    await expect(writeMicroPartitions(stream([batchOf([1, 2, 3, 4, 5, 6, 7, 8, 9])]), failing)).rejects.toThrow('catalog refused');
    expect(store.events).toEqual(['reserve t1/q/w-00000.parquet', 'put t1/q/w-00000.parquet']);
    expect((await store.list('')).map((o) => o.key)).toEqual(['t1/q/w-00000.parquet']);
  });

  it('stops at a failed put: later partitions are neither reserved nor written', async () => {
    store.failPutAt = 1;
    await expect(writeMicroPartitions(stream([batchOf([1, 2, 3, 4, 5, 6, 7, 8, 9])]), opts())).rejects.toThrow('injected put failure');
    expect(store.events).toEqual(['reserve t1/q/w-00000.parquet', 'put t1/q/w-00000.parquet', 'reserve t1/q/w-00001.parquet']);
  });

  it('refuses a NULL in a NOT NULL column before writing the partition that would hold it', async () => {
    const columns: Column[] = [{ ...COLUMNS[0], nullable: false }, COLUMNS[1]];
    const run = writeMicroPartitions(stream([batchOf([1, 2, 3, 4]), batchOf([5, null])]), opts({ columns }));
    await expect(run).rejects.toMatchObject({ codeName: 'NULL_NOT_ALLOWED', message: "NULL result in a non-nullable column 'K'" });
    expect(store.events).toEqual(['reserve t1/q/w-00000.parquet', 'put t1/q/w-00000.parquet']);
  });

  it('refuses a string longer than VARCHAR(n) characters, clustered or not, writing nothing', async () => {
    const columns: Column[] = [COLUMNS[0], { name: 'S', type: { kind: 'VARCHAR', length: 2 }, nullable: true }];
    for (const clusterBy of [[], [0]]) {
      const run = writeMicroPartitions(stream([batchOf([1, 10])]), opts({ columns, clusterBy }));
      await expect(run).rejects.toMatchObject({ codeName: 'STRING_TOO_LONG', message: "String 'v10' is too long and would be truncated" });
    }
    expect(store.events).toEqual([]);
  });

  /** Rows (k, strings[i]) whose S column holds its dict as UTF-8, as COPY's Parquet reader gives a mostly distinct column. */
  function utf8BatchOf(keys: number[], strings: (string | null)[]): Batch {
    const n = keys.length;
    const nulls = strings.some((v) => v === null) ? Uint8Array.from(strings, (v) => (v === null ? 1 : 0)) : null;
    const codes = Int32Array.from(strings, (_, i) => i);
    return {
      length: n,
      columns: [
        { kind: 'f64', length: n, values: Float64Array.from(keys), nulls: null },
        utf8DictVector(n, codes, nulls, encodeUtf8Strings(strings.map((v) => v ?? ''))),
      ],
    };
  }

  /** Column S of a written partition, NULL as null. */
  async function stringsOf(key: string): Promise<(string | null)[]> {
    const s = readPartitionColumns(await store.get(key), COLUMNS, [1]).columns[0];
    if (s.kind !== 'str') throw new Error('unexpected vector kind');
    return Array.from(s.codes, (c, i) => (s.nulls?.[i] ? null : s.dict[c]));
  }

  it('writes string columns held as UTF-8 exactly as the same strings: same objects, zone maps and values', async () => {
    const text = ['é😀', '', 'zz', null, '\uE000x', '😀a', 'a'.repeat(600), 'b', 'Ω', 'ab', null];
    const keys = text.map((_, i) => i);
    const cuts = [0, 3, 8, 11];
    const held = () => stream(cuts.slice(1).map((end, k) => utf8BatchOf(keys.slice(cuts[k], end), text.slice(cuts[k], end))));
    const asStrings = () =>
      stream(cuts.slice(1).map((end, k) => {
        const b = utf8BatchOf(keys.slice(cuts[k], end), text.slice(cuts[k], end));
        return { ...b, columns: [b.columns[0], { ...b.columns[1] }] };
      }));
    for (const clusterBy of [[], [1]]) {
      const a = await writeMicroPartitions(held(), opts({ clusterBy, keyPrefix: `t1/q/held${clusterBy.length}` }));
      const b = await writeMicroPartitions(asStrings(), opts({ clusterBy, keyPrefix: `t1/q/str${clusterBy.length}` }));
      expect(a.map((w) => w.zoneMap)).toEqual(b.map((w) => w.zoneMap));
      for (let i = 0; i < a.length; i++) expect(Buffer.from(await store.get(a[i].objectKey)).equals(Buffer.from(await store.get(b[i].objectKey)))).toBe(true);
      const back = await Promise.all(a.map(async (w) => ({ k: (await readBack(w.objectKey)).k, s: await stringsOf(w.objectKey) })));
      const got = back.flatMap((r) => r.k.map((k, i) => [k, r.s[i]]));
      const want = text.map((v, i) => [i, v]);
      if (clusterBy.length === 0) expect(got).toEqual(want);
      else expect([...got].sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual(want);
    }
    // The zone map of the first partition: exact bounds in JS string order ('' lowest).
    const first = (await writeMicroPartitions(held(), opts({ keyPrefix: 't1/q/zone' })))[0].zoneMap.columns.S;
    expect(first).toEqual({ min: '', max: 'é😀', nullCount: 1, exact: true });
  });

  it('counts VARCHAR(n) of a string column held as UTF-8 in characters, not bytes', async () => {
    const columns: Column[] = [COLUMNS[0], { name: 'S', type: { kind: 'VARCHAR', length: 5 }, nullable: true }];
    const fits = await writeMicroPartitions(stream([utf8BatchOf([1, 2, 3], ['é😀日ab', null, 'abcde'])]), opts({ columns }));
    expect(await stringsOf(fits[0].objectKey)).toEqual(['é😀日ab', null, 'abcde']);
    const run = writeMicroPartitions(stream([utf8BatchOf([1, 2, 3], ['é😀日ab', 'é😀日abc', 'abcdef'])]), opts({ columns, keyPrefix: 't1/q/long' }));
    await expect(run).rejects.toMatchObject({ codeName: 'STRING_TOO_LONG', message: "String 'é😀日abc' is too long and would be truncated" });
  });

  /** A store whose puts finish only when released, recording when each starts and ends. */
  function gatedStore(log: string[]): { store: ObjectStore; release: () => void } {
    const gates: (() => void)[] = [];
    let open = false;
    const gated: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      put: async (key: string, data: Uint8Array) => {
        log.push(`put start ${path.basename(key)}`);
        if (!open) await new Promise<void>((r) => gates.push(r));
        const put = await store.put(key, data);
        log.push(`put done ${path.basename(key)}`);
        return put;
      },
    });
    return {
      store: gated,
      release: () => {
        open = true;
        for (const g of gates.splice(0)) g();
      },
    };
  }

  it('encodes the next partition while the last one is still being put, and answers once every put is done', async () => {
    const log: string[] = [];
    const { store: gated, release } = gatedStore(log);
    async function* input(): AsyncGenerator<Batch> {
      yield batchOf([1, 2, 3, 4]);
      log.push('batch 2 taken');
      yield batchOf([5, 6, 7, 8]);
    }
    setTimeout(release, 50);
    const written = await writeMicroPartitions(input(), opts({ store: gated }));
    log.push('answered');
    // The second batch was taken (and its partition encoded) while the first put still ran.
    expect(log.indexOf('batch 2 taken')).toBeLessThan(log.indexOf('put done w-00000.parquet'));
    expect(log.slice(-3)).toEqual(['put start w-00001.parquet', 'put done w-00001.parquet', 'answered']);
    expect(await readBack(written[1].objectKey)).toEqual({ k: [5, 6, 7, 8], s: ['v5', 'v6', 'v7', 'v8'] });
  });

  it('fails only after the put in flight is done, so the caller never deletes under it', async () => {
    const log: string[] = [];
    const { store: gated, release } = gatedStore(log);
    async function* input(): AsyncGenerator<Batch> {
      yield batchOf([1, 2, 3, 4]);
      throw new Error('source broke');
    }
    setTimeout(release, 50);
    await expect(writeMicroPartitions(input(), opts({ store: gated }))).rejects.toThrow('source broke');
    expect(log).toEqual(['put start w-00000.parquet', 'put done w-00000.parquet']);
  });

  it('stops when the statement is canceled', async () => {
    const flag = CancelFlag.create();
    async function* cancelling(): AsyncGenerator<Batch> {
      yield batchOf([1, 2, 3, 4]);
      flag.cancel(CancelReason.CLIENT);
      yield batchOf([5, 6, 7, 8]);
    }
    await expect(writeMicroPartitions(cancelling(), opts({ cancel: flag }))).rejects.toMatchObject({ codeName: 'CANCELED' });
    expect(store.events).toEqual(['reserve t1/q/w-00000.parquet', 'put t1/q/w-00000.parquet']);
  });
});
