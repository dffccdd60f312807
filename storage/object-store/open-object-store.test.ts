import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotSupportedError, StorageError } from '../errors/firn-error.js';
import { LocalObjectStore } from './local-object-store.js';
import { openObjectStore } from './open-object-store.js';
import { S3ObjectStore } from './s3-object-store.js';

const base = await mkdtemp(join(tmpdir(), 'firn-open-store-'));
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

// Credentials and a loopback endpoint, so no S3 store built here could reach anything else.
const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' };

describe('openObjectStore', () => {
  it('opens file:// URLs as local stores that work', async () => {
    const store = openObjectStore(`file://${base}/data`);
    expect(store).toBeInstanceOf(LocalObjectStore);
    expect((store as LocalObjectStore).root).toBe(`${base}/data`);
    expect(store.url).toBe(`file://${base}/data`);
    await store.put('x', new Uint8Array([1]));
    expect(await openObjectStore(store.url).get('x')).toEqual(new Uint8Array([1]));
  });

  it('decodes percent-escapes and accepts the localhost host in file URLs', () => {
    const store = openObjectStore(`file://localhost${base}/with%20space`) as LocalObjectStore;
    expect(store.root).toBe(`${base}/with space`);
  });

  it('opens plain paths, absolute or relative, as local stores', () => {
    expect((openObjectStore(`${base}/plain`) as LocalObjectStore).root).toBe(`${base}/plain`);
    expect((openObjectStore('relative/dir') as LocalObjectStore).root).toBe(resolve('relative/dir'));
  });

  it('opens s3:// URLs as S3 stores on bucket and prefix', () => {
    const withPrefix = openObjectStore('s3://bucket/some/prefix', { env }) as S3ObjectStore;
    expect(withPrefix).toBeInstanceOf(S3ObjectStore);
    expect(withPrefix.bucket).toBe('bucket');
    expect(withPrefix.prefix).toBe('some/prefix/');
    expect(withPrefix.url).toBe('s3://bucket/some/prefix');
    const bare = openObjectStore('s3://bucket', { env }) as S3ObjectStore;
    expect(bare.prefix).toBe('');
    expect(bare.url).toBe('s3://bucket');
    withPrefix.close();
    bare.close();
  });

  it('rejects unknown schemes, missing buckets, remote file hosts and empty URLs clearly', () => {
    expect(() => openObjectStore('gs://bucket/x')).toThrow(NotSupportedError);
    expect(() => openObjectStore('gs://bucket/x')).toThrow(/'gs:\/\/'/);
    expect(() => openObjectStore('s3:///prefix', { env })).toThrow(/bucket name is missing/);
    expect(() => openObjectStore('file://otherhost/data')).toThrow(StorageError);
    expect(() => openObjectStore('')).toThrow(StorageError);
  });
});
