import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StorageError } from '../errors/firn-error.js';
import { LocalObjectStore, TEMP_PREFIX, compareObjectKeys } from './local-object-store.js';
import { describeObjectStoreConformance } from './object-store.conformance.js';

const base = await mkdtemp(join(tmpdir(), 'firn-local-store-'));
let counter = 0;
const freshRoot = (): string => join(base, `store-${counter++}`);

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describeObjectStoreConformance('LocalObjectStore', () => new LocalObjectStore(freshRoot()));

describe('LocalObjectStore', () => {
  it('names itself with a file URL of its absolute root', () => {
    const root = freshRoot();
    const store = new LocalObjectStore(root);
    expect(store.root).toBe(root);
    expect(store.url).toBe(`file://${root}`);
    expect(new LocalObjectStore(join(base, 'with space')).url).toBe(`file://${base}/with%20space`);
  });

  it('stores a key as the file of the same relative path, and leaves no temp file behind', async () => {
    const root = freshRoot();
    const store = new LocalObjectStore(root);
    await store.put('a/b/c.bin', new Uint8Array([1, 2, 3]));
    await store.put('a/b/c.bin', new Uint8Array([4, 5]));
    expect((await stat(join(root, 'a/b/c.bin'))).size).toBe(2);
    expect(await readdir(join(root, 'a/b'))).toEqual(['c.bin']);
  });

  it('never lists temp files, even ones left behind by a crash', async () => {
    const root = freshRoot();
    const store = new LocalObjectStore(root);
    await store.put('t/real', new Uint8Array([1]));
    await writeFile(join(root, 't', `${TEMP_PREFIX}0123456789abcdef`), 'partial');
    await writeFile(join(root, `${TEMP_PREFIX}fedcba9876543210`), 'partial');
    expect((await store.list('')).map((o) => o.key)).toEqual(['t/real']);
    expect((await store.list('t/')).map((o) => o.key)).toEqual(['t/real']);
    expect((await store.list(`t/${TEMP_PREFIX}`)).map((o) => o.key)).toEqual([]);
  });

  it("deletes the temp files an interrupted put of a key left, and no other file", async () => {
    const root = freshRoot();
    const store = new LocalObjectStore(root);
    await store.put('t/kept.bin', new Uint8Array([1]));
    // What a process killed during put('t/c.bin') leaves: a temp file named after its target.
    await writeFile(join(root, 't', `${TEMP_PREFIX}c.bin.0123456789abcdef`), 'partial');
    await writeFile(join(root, 't', `${TEMP_PREFIX}c.binx.0123456789abcdef`), 'partial');
    await writeFile(join(root, 't', `${TEMP_PREFIX}kept.bin.0123456789abcdef`), 'partial');
    await store.delete('t/c.bin');
    expect((await readdir(join(root, 't'))).sort()).toEqual([`${TEMP_PREFIX}c.binx.0123456789abcdef`, `${TEMP_PREFIX}kept.bin.0123456789abcdef`, 'kept.bin']);
  });

  it('rejects keys naming temp files', async () => {
    const store = new LocalObjectStore(freshRoot());
    const err = await store.get(`x/${TEMP_PREFIX}abc`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).message).toContain('reserved');
  });

  it('refuses keys that would leave the root, with a message naming the key', async () => {
    const root = freshRoot();
    const store = new LocalObjectStore(join(root, 'inner'));
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'secret'), 'do not read');
    const err = await store.get('../secret').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).codeName).toBe('STORAGE_IO');
    expect((err as StorageError).message).toContain("'../secret'");
    await expect(store.put('x/../../secret', new Uint8Array([0]))).rejects.toBeInstanceOf(StorageError);
    expect((await stat(join(root, 'secret'))).size).toBe(11);
  });

  it('a reader racing overwrites sees one whole version or the other, never a mix', async () => {
    const store = new LocalObjectStore(freshRoot());
    const a = new Uint8Array(2 * 1024 * 1024).fill(0xaa);
    const b = new Uint8Array(1024 * 1024 + 17).fill(0xbb);
    await store.put('race', a);
    const writes = (async () => {
      for (let i = 0; i < 10; i++) await store.put('race', i % 2 === 0 ? b : a);
    })();
    const seen = new Set<string>();
    const reads = (async () => {
      for (let i = 0; i < 30; i++) {
        const got = await store.get('race');
        const whole = got.length === a.length ? got.every((x) => x === 0xaa) : got.length === b.length && got.every((x) => x === 0xbb);
        expect(whole).toBe(true);
        seen.add(String(got.length));
      }
    })();
    await Promise.all([writes, reads]);
    expect(seen.size).toBeGreaterThan(0);
  });

  it('treats a key naming a directory as missing', async () => {
    const store = new LocalObjectStore(freshRoot());
    await store.put('dir/file', new Uint8Array([1]));
    await expect(store.get('dir')).rejects.toMatchObject({ codeName: 'FILE_NOT_FOUND' });
    await expect(store.getRange('dir', 0, 1)).rejects.toMatchObject({ codeName: 'FILE_NOT_FOUND' });
    expect(await store.head('dir')).toBeNull();
    await store.delete('dir');
    expect(await store.head('dir/file')).not.toBeNull();
  });

  it('reports a file-versus-folder clash on put as STORAGE_IO', async () => {
    const store = new LocalObjectStore(freshRoot());
    await store.put('clash', new Uint8Array([1]));
    await expect(store.put('clash/inner', new Uint8Array([2]))).rejects.toMatchObject({ codeName: 'STORAGE_IO' });
    expect((await store.list('')).map((o) => o.key)).toEqual(['clash']);
  });

  it('lists an absent root as empty and creates it on first put', async () => {
    const root = join(freshRoot(), 'not', 'yet');
    const store = new LocalObjectStore(root);
    expect(await store.list('')).toEqual([]);
    await store.put('k', new Uint8Array([9]));
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('lists files reached through symlinks, but not dangling links', async () => {
    const root = freshRoot();
    const store = new LocalObjectStore(root);
    await store.put('real', new Uint8Array([1, 2]));
    await symlink(join(root, 'real'), join(root, 'link'));
    await symlink(join(root, 'gone'), join(root, 'dangling'));
    expect((await store.list('')).map((o) => [o.key, o.size])).toEqual([
      ['link', 2],
      ['real', 2],
    ]);
  });

  it('rejects negative or fractional ranges', async () => {
    const store = new LocalObjectStore(freshRoot());
    await store.put('k', new Uint8Array([1]));
    await expect(store.getRange('k', -1, 1)).rejects.toThrow(/non-negative integers/);
    await expect(store.getRange('k', 0, 1.5)).rejects.toThrow(/non-negative integers/);
  });
});

describe('compareObjectKeys', () => {
  it('orders by code point, i.e. by UTF-8 bytes', () => {
    const keys = ['b', 'a/b', 'a', '\u{1F680}', '\uFF21', 'a0', '\u00e9', 'A'];
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareObjectKeys)).toEqual(byBytes);
    expect(byBytes.indexOf('\uFF21')).toBeLessThan(byBytes.indexOf('\u{1F680}'));
  });
});
