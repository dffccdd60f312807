/**
 * The conformance suite of the ObjectStore contract (object-store.ts): every implementation's
 * test file calls describeObjectStoreConformance, so all stores are held to the same behaviour.
 * `makeStore` must return a fresh, empty store for each test (a new directory, a new prefix);
 * the caller owns cleaning those up.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FirnError, StorageError } from '../errors/firn-error.js';
import type { ObjectStore } from './object-store.js';

const enc = new TextEncoder();
const text = (s: string): Uint8Array => enc.encode(s);

/** Deterministic pseudo-random bytes (xorshift32), so a mismatch is reproducible. */
function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Byte-exact comparison that reports the first differing offset instead of a huge diff. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual.byteLength).toBe(expected.byteLength);
  let firstDiff = -1;
  for (let i = 0; i < expected.byteLength; i++) {
    if (actual[i] !== expected[i]) {
      firstDiff = i;
      break;
    }
  }
  expect(firstDiff).toBe(-1);
}

async function expectStorageError(p: Promise<unknown>, codeName: 'FILE_NOT_FOUND' | 'STORAGE_IO' | 'OBJECT_CHANGED'): Promise<StorageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  expect(err).toBeInstanceOf(FirnError);
  expect((err as StorageError).codeName).toBe(codeName);
  return err as StorageError;
}

export function describeObjectStoreConformance(name: string, makeStore: () => ObjectStore | Promise<ObjectStore>): void {
  describe(`${name} (ObjectStore conformance)`, () => {
    it('round-trips binary data, an empty object and a 5 MB object', async () => {
      const store = await makeStore();
      const allBytes = new Uint8Array(256).map((_, i) => i);
      const big = pseudoRandomBytes(5 * 1024 * 1024, 42);
      await store.put('bin/all-bytes', allBytes);
      await store.put('bin/empty', new Uint8Array(0));
      await store.put('bin/big', big);
      expectSameBytes(await store.get('bin/all-bytes'), allBytes);
      expectSameBytes(await store.get('bin/empty'), new Uint8Array(0));
      expectSameBytes(await store.get('bin/big'), big);
      expect((await store.head('bin/big'))?.size).toBe(big.byteLength);
      expect((await store.head('bin/empty'))?.size).toBe(0);
    });

    it('put overwrites an existing object', async () => {
      const store = await makeStore();
      await store.put('k', text('first version, longer'));
      await store.put('k', text('second'));
      expectSameBytes(await store.get('k'), text('second'));
      expect((await store.head('k'))?.size).toBe(6);
      expect((await store.list('')).map((o) => o.key)).toEqual(['k']);
    });

    it("put answers the object's ETag, the quoted MD5 of a single PUT's content, stable for the same bytes", async () => {
      const store = await makeStore();
      const data = text('partition bytes');
      const md5 = `"${createHash('md5').update(data).digest('hex')}"`;
      expect(await store.put('e/a', data)).toEqual({ etag: md5 });
      expect(await store.put('e/b', data)).toEqual({ etag: md5 });
      const other = await store.put('e/c', text('partition bytez'));
      expect(other.etag).not.toBe(md5);
    });

    it('get with ifMatch returns the recorded version and rejects a replaced one with OBJECT_CHANGED', async () => {
      const store = await makeStore();
      const first = text('version one!');
      const { etag } = await store.put('v/obj', first);
      expect(etag).not.toBeNull();
      expectSameBytes(await store.get('v/obj', etag!), first);
      // Different bytes of the same size, written behind the recorder's back.
      await store.put('v/obj', text('version two!'));
      const err = await expectStorageError(store.get('v/obj', etag!), 'OBJECT_CHANGED');
      expect(err.code).toBe('390104');
      expect(err.sqlState).toBe('XX001');
      expect(err.message).toContain('v/obj');
      expectSameBytes(await store.get('v/obj'), text('version two!'));
      await expectStorageError(store.get('v/missing', etag!), 'FILE_NOT_FOUND');
    });

    it('getRange returns the bytes of the range, clamped to the end of the object', async () => {
      const store = await makeStore();
      const data = pseudoRandomBytes(10_000, 7);
      await store.put('r/data', data);
      expectSameBytes(await store.getRange('r/data', 1234, 5000), data.subarray(1234, 6234));
      expectSameBytes(await store.getRange('r/data', 0, 1), data.subarray(0, 1));
      expectSameBytes(await store.getRange('r/data', 0, 10_000), data);
      expectSameBytes(await store.getRange('r/data', 9_990, 100), data.subarray(9_990));
      expectSameBytes(await store.getRange('r/data', 10_000, 10), new Uint8Array(0));
      expectSameBytes(await store.getRange('r/data', 50_000, 10), new Uint8Array(0));
      expectSameBytes(await store.getRange('r/data', 500, 0), new Uint8Array(0));
    });

    it('getRange of a missing key throws FILE_NOT_FOUND, also for zero length', async () => {
      const store = await makeStore();
      await expectStorageError(store.getRange('missing', 0, 10), 'FILE_NOT_FOUND');
      await expectStorageError(store.getRange('missing', 0, 0), 'FILE_NOT_FOUND');
    });

    it('head describes a present object and returns null for a missing one', async () => {
      const store = await makeStore();
      const before = Date.now();
      await store.put('h/obj', text('12345'));
      const info = await store.head('h/obj');
      expect(info).not.toBeNull();
      expect(info!.key).toBe('h/obj');
      expect(info!.size).toBe(5);
      expect(info!.lastModified).toBeInstanceOf(Date);
      // Object stores keep second precision; allow for that and small clock differences.
      expect(Math.abs(info!.lastModified.getTime() - before)).toBeLessThan(60_000);
      expect(await store.head('h/missing')).toBeNull();
      expect(await store.head('h')).toBeNull();
    });

    it('list filters by prefix, sorts, includes nested keys and reports sizes', async () => {
      const store = await makeStore();
      const objects: Record<string, string> = {
        'tables/t2/p1': 'x',
        'tables/t1/p2': 'xx',
        'tables/t1/p1': 'xxx',
        'tables/t1/sub/deep/p9': 'xxxx',
        'tables/t10/p1': 'xxxxx',
        'tablespace': 'xxxxxx',
        'other/a': 'xxxxxxx',
      };
      for (const [k, v] of Object.entries(objects)) await store.put(k, text(v));

      const all = await store.list('');
      expect(all.map((o) => o.key)).toEqual([
        'other/a',
        'tables/t1/p1',
        'tables/t1/p2',
        'tables/t1/sub/deep/p9',
        'tables/t10/p1',
        'tables/t2/p1',
        'tablespace',
      ]);
      for (const o of all) {
        expect(o.size).toBe(objects[o.key]!.length);
        expect(o.lastModified).toBeInstanceOf(Date);
      }
      expect((await store.list('tables/t1/')).map((o) => o.key)).toEqual([
        'tables/t1/p1',
        'tables/t1/p2',
        'tables/t1/sub/deep/p9',
      ]);
      expect((await store.list('tables/t1')).map((o) => o.key)).toEqual([
        'tables/t1/p1',
        'tables/t1/p2',
        'tables/t1/sub/deep/p9',
        'tables/t10/p1',
      ]);
      expect((await store.list('table')).map((o) => o.key)).toHaveLength(6);
      expect((await store.list('tables/t1/p')).map((o) => o.key)).toEqual(['tables/t1/p1', 'tables/t1/p2']);
      expect((await store.list('tables/t1/sub/deep/p9')).map((o) => o.key)).toEqual(['tables/t1/sub/deep/p9']);
      expect(await store.list('nothing/here/')).toEqual([]);
      expect(await store.list('tables/t3')).toEqual([]);
    });

    it('delete removes a present object and ignores a missing one', async () => {
      const store = await makeStore();
      await store.put('d/a', text('a'));
      await store.put('d/b', text('b'));
      await store.delete('d/a');
      expect(await store.head('d/a')).toBeNull();
      await expectStorageError(store.get('d/a'), 'FILE_NOT_FOUND');
      expect((await store.list('d/')).map((o) => o.key)).toEqual(['d/b']);
      await store.delete('d/a');
      await store.delete('never/existed');
      expectSameBytes(await store.get('d/b'), text('b'));
    });

    it('get of a missing key throws StorageError FILE_NOT_FOUND', async () => {
      const store = await makeStore();
      const err = await expectStorageError(store.get('no/such/key'), 'FILE_NOT_FOUND');
      expect(err.code).toBe('390101');
      expect(err.message).toContain('no/such/key');
    });

    it('concurrent puts of different keys all land', async () => {
      const store = await makeStore();
      const keys = Array.from({ length: 24 }, (_, i) => `c/${i % 3}/obj-${String(i).padStart(2, '0')}`);
      await Promise.all(keys.map((k, i) => store.put(k, pseudoRandomBytes(1000 + i, i + 1))));
      const listed = await store.list('c/');
      expect(listed.map((o) => o.key)).toEqual([...keys].sort());
      await Promise.all(
        keys.map(async (k, i) => expectSameBytes(await store.get(k), pseudoRandomBytes(1000 + i, i + 1))),
      );
    });

    it('keys with spaces and unicode round-trip and list in code-point order', async () => {
      const store = await makeStore();
      const keys = ['dir with space/file name.csv', 'données/été/日本語.bin', 'emoji/🚀 launch.txt', 'emoji/\uff21 fullwidth.txt'];
      for (const k of keys) await store.put(k, text(`content of ${k}`));
      for (const k of keys) expectSameBytes(await store.get(k), text(`content of ${k}`));
      expect((await store.head('données/été/日本語.bin'))?.size).toBe(text('content of données/été/日本語.bin').byteLength);
      expect((await store.list('')).map((o) => o.key)).toEqual([
        'dir with space/file name.csv',
        'donn\u00e9es/\u00e9t\u00e9/\u65e5\u672c\u8a9e.bin',
        // U+FF21 sorts before U+1F680 by code point (and UTF-8 bytes), though not by UTF-16 units.
        'emoji/\uff21 fullwidth.txt',
        'emoji/🚀 launch.txt',
      ]);
      expect((await store.list('données/')).map((o) => o.key)).toEqual(['données/été/日本語.bin']);
      expect((await store.list('dir with')).map((o) => o.key)).toEqual(['dir with space/file name.csv']);
    });

    it('rejects keys that are absolute, empty or escape with .. segments', async () => {
      const store = await makeStore();
      for (const bad of ['', '/abs/key', '../outside', 'a/../../outside', 'a//b', './a', 'a/']) {
        await expectStorageError(store.put(bad, text('x')), 'STORAGE_IO');
        await expectStorageError(store.get(bad), 'STORAGE_IO');
      }
      await expectStorageError(store.list('../'), 'STORAGE_IO');
      await expectStorageError(store.list('/abs'), 'STORAGE_IO');
      expect(await store.list('')).toEqual([]);
    });
  });
}
