import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError } from '../errors/firn-error.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectInfo, ObjectStore } from './object-store.js';
import { openObjectStore } from './open-object-store.js';
import { compileGlob, listMatching, splitSourceUrl } from './source-url.js';

const base = await mkdtemp(join(tmpdir(), 'firn-source-url-'));
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('splitSourceUrl', () => {
  it('roots file URLs at the deepest directory before the first glob character', () => {
    expect(splitSourceUrl('file:///data/trips*.csv')).toEqual({ storeUrl: 'file:///data', pattern: 'trips*.csv' });
    expect(splitSourceUrl('file:///data/2024-*/trips.csv')).toEqual({ storeUrl: 'file:///data', pattern: '2024-*/trips.csv' });
    expect(splitSourceUrl('file:///data/sub/day?.csv')).toEqual({ storeUrl: 'file:///data/sub', pattern: 'day?.csv' });
    expect(splitSourceUrl('file:///data/f[0-9].csv')).toEqual({ storeUrl: 'file:///data', pattern: 'f[0-9].csv' });
    expect(splitSourceUrl('file:///*.csv')).toEqual({ storeUrl: 'file:///', pattern: '*.csv' });
  });

  it('splits a file URL without glob into its directory and file name', () => {
    expect(splitSourceUrl('file:///data/trips.csv')).toEqual({ storeUrl: 'file:///data', pattern: 'trips.csv' });
    expect(splitSourceUrl('file:///data/folder/')).toEqual({ storeUrl: 'file:///data', pattern: 'folder' });
  });

  it('decodes percent-escapes in file URLs and normalises dot segments', () => {
    expect(splitSourceUrl('file:///my%20data/x*.csv')).toEqual({ storeUrl: 'file:///my%20data', pattern: 'x*.csv' });
    expect(splitSourceUrl('file://localhost/data/./a/../b*.csv')).toEqual({ storeUrl: 'file:///data', pattern: 'b*.csv' });
  });

  it('accepts plain paths, relative to the working directory', () => {
    const cwd = resolve('.');
    const split = splitSourceUrl('loads/part-*.csv');
    expect(split.pattern).toBe('part-*.csv');
    expect((openObjectStore(split.storeUrl) as LocalObjectStore).root).toBe(join(cwd, 'loads'));
    expect(splitSourceUrl('/abs/x.csv')).toEqual({ storeUrl: 'file:///abs', pattern: 'x.csv' });
  });

  it('roots s3 URLs at the bucket and keeps the key literal', () => {
    expect(splitSourceUrl('s3://b/dir/x*.csv')).toEqual({ storeUrl: 's3://b', pattern: 'dir/x*.csv' });
    expect(splitSourceUrl('s3://b/my%20dir/x.csv')).toEqual({ storeUrl: 's3://b', pattern: 'my%20dir/x.csv' });
    expect(splitSourceUrl('s3://b')).toEqual({ storeUrl: 's3://b', pattern: '' });
  });

  it('rejects other schemes and malformed URLs', () => {
    expect(() => splitSourceUrl('https://example.com/x.csv')).toThrow(NotSupportedError);
    expect(() => splitSourceUrl('s3:///x.csv')).toThrow(/bucket name is missing/);
    expect(() => splitSourceUrl('file://host/x.csv')).toThrow(/only local file URLs/);
  });
});

describe('compileGlob', () => {
  const matches = (pattern: string, key: string): boolean => compileGlob(pattern).matches(key);

  it('* matches any run within one path segment', () => {
    expect(matches('trips*.csv', 'trips.csv')).toBe(true);
    expect(matches('trips*.csv', 'trips-2024-01.csv')).toBe(true);
    expect(matches('trips*.csv', 'trips/2024.csv')).toBe(false);
    expect(matches('trips*.csv', 'xtrips.csv')).toBe(false);
    expect(matches('trips*.csv', 'trips.csv.gz')).toBe(false);
    expect(matches('*/part.csv', 'a/part.csv')).toBe(true);
    expect(matches('*/part.csv', 'a/b/part.csv')).toBe(false);
  });

  it('? matches exactly one character, never /, and counts code points', () => {
    expect(matches('day?.csv', 'day1.csv')).toBe(true);
    expect(matches('day?.csv', 'day.csv')).toBe(false);
    expect(matches('day?.csv', 'day12.csv')).toBe(false);
    expect(matches('a?b', 'a/b')).toBe(false);
    expect(matches('a?b', 'a🚀b')).toBe(true);
  });

  it('[..] matches a class, a range or a negated class, never /', () => {
    expect(matches('f[0-9].csv', 'f7.csv')).toBe(true);
    expect(matches('f[0-9].csv', 'fa.csv')).toBe(false);
    expect(matches('f[abc].csv', 'fb.csv')).toBe(true);
    expect(matches('f[!abc].csv', 'fb.csv')).toBe(false);
    expect(matches('f[!abc].csv', 'fz.csv')).toBe(true);
    expect(matches('f[^abc].csv', 'fz.csv')).toBe(true);
    expect(matches('f[!abc].csv', 'f/.csv')).toBe(false);
    expect(matches('f[/]x', 'f/x')).toBe(false);
    expect(matches('f[]]x', 'f]x')).toBe(true);
    expect(matches('f[a-]x', 'f-x')).toBe(true);
  });

  it('treats regex metacharacters, escapes and an unclosed [ literally', () => {
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('a.b', 'a.b')).toBe(true);
    expect(matches('(x)+$', '(x)+$')).toBe(true);
    expect(matches('a[b', 'a[b')).toBe(true);
    expect(matches('star\\*.csv', 'star*.csv')).toBe(true);
    expect(matches('star\\*.csv', 'starry.csv')).toBe(false);
  });

  it('reports the literal prefix to list and whether there is a glob', () => {
    expect(compileGlob('dir/x*.csv')).toMatchObject({ literalPrefix: 'dir/x', hasGlob: true });
    expect(compileGlob('dir/a\\*b?')).toMatchObject({ literalPrefix: 'dir/a*b', hasGlob: true });
    expect(compileGlob('a[b')).toMatchObject({ literalPrefix: 'a[b', hasGlob: false });
    expect(compileGlob('[x]')).toMatchObject({ literalPrefix: '', hasGlob: true });
  });

  it('lets a literal pattern name one object or a whole folder', () => {
    expect(matches('dir/x.csv', 'dir/x.csv')).toBe(true);
    expect(matches('dir/x.csv', 'dir/x.csv.gz')).toBe(false);
    expect(matches('dir', 'dir/x.csv')).toBe(true);
    expect(matches('dir', 'dir/sub/y.csv')).toBe(true);
    expect(matches('dir', 'directory/x.csv')).toBe(false);
    expect(matches('dir/', 'dir/x.csv')).toBe(true);
    expect(matches('', 'anything')).toBe(true);
  });

  it('reports an invalid class range as a compilation error', () => {
    expect(() => compileGlob('f[z-a].csv')).toThrow(CompilationError);
    expect(() => compileGlob('f[z-a].csv')).toThrow(/f\[z-a\]\.csv/);
  });
});

describe('listMatching', () => {
  it('lists only the literal prefix and filters by the pattern', async () => {
    const listed: string[] = [];
    const objects = ['dir/x1.csv', 'dir/x2.csv', 'dir/x3.json', 'dir/sub/x4.csv', 'dir/y1.csv'];
    const store: ObjectStore = {
      url: 'memory://',
      async list(prefix: string): Promise<ObjectInfo[]> {
        listed.push(prefix);
        return objects.filter((k) => k.startsWith(prefix)).map((key) => ({ key, size: 1, lastModified: new Date(0) }));
      },
      get: () => Promise.reject(new Error('unused')),
      getRange: () => Promise.reject(new Error('unused')),
      put: () => Promise.reject(new Error('unused')),
      head: () => Promise.reject(new Error('unused')),
      delete: () => Promise.reject(new Error('unused')),
    };
    expect((await listMatching(store, 'dir/x*.csv')).map((o) => o.key)).toEqual(['dir/x1.csv', 'dir/x2.csv']);
    expect(listed).toEqual(['dir/x']);
  });

  it('finds files of a local COPY source end to end', async () => {
    const root = new LocalObjectStore(join(base, 'data'));
    for (const k of ['trips1.csv', 'trips2.csv', 'trips.json', 'other.csv', '2024-01/trips.csv', '2024-02/trips.csv', '2023/trips.csv']) {
      await root.put(k, new TextEncoder().encode(k));
    }
    const keysOf = async (url: string): Promise<string[]> => {
      const { storeUrl, pattern } = splitSourceUrl(url);
      return (await listMatching(openObjectStore(storeUrl), pattern)).map((o) => o.key);
    };
    expect(await keysOf(`file://${base}/data/trips*.csv`)).toEqual(['trips1.csv', 'trips2.csv']);
    expect(await keysOf(`file://${base}/data/2024-*/trips.csv`)).toEqual(['2024-01/trips.csv', '2024-02/trips.csv']);
    expect(await keysOf(`file://${base}/data/2024-01/`)).toEqual(['2024-01/trips.csv']);
    expect(await keysOf(`file://${base}/data/other.csv`)).toEqual(['other.csv']);
    expect(await keysOf(`file://${base}/data/none*.csv`)).toEqual([]);
  });
});
