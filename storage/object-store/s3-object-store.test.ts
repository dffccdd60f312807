import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3rverHandle } from '../../test/support/s3rver-harness.js';
import { StorageError } from '../errors/firn-error.js';
import { describeObjectStoreConformance } from './object-store.conformance.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.js';

let s3: S3rverHandle;
const stores: S3ObjectStore[] = [];
let counter = 0;

function makeStore(prefix: string, options: S3ObjectStoreOptions = {}): S3ObjectStore {
  const store = new S3ObjectStore(s3.bucket, prefix, { env: s3.env, ...options });
  stores.push(store);
  return store;
}

beforeAll(async () => {
  s3 = await startS3rver();
});

afterAll(async () => {
  for (const store of stores) store.close();
  await s3?.stop();
});

describeObjectStoreConformance('S3ObjectStore on s3rver', () => makeStore(`conformance/run-${counter++}`));

/**
 * A tiny HTTP server on 127.0.0.1 in front of s3rver. Each request asks `decide` what to do:
 * answer with an S3 error, forward to s3rver, or forward and cut the body halfway.
 * Requests keep their Host header, so SigV4 signatures still verify at s3rver.
 */
type Action = { kind: 'error'; status: number; code: string; message: string } | { kind: 'forward' } | { kind: 'truncate' };
type FaultProxy = { endpoint: string; requests: string[]; close(): Promise<void> };

async function startFaultProxy(decide: (req: IncomingMessage, index: number) => Action): Promise<FaultProxy> {
  const upstream = new URL(s3.endpoint);
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const action = decide(req, requests.length);
    requests.push(`${req.method} ${action.kind}`);
    if (action.kind === 'error') {
      req.resume();
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${action.code}</Code><Message>${action.message}</Message></Error>`;
      res.writeHead(action.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const up = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        if (action.kind === 'forward') {
          upRes.pipe(res);
          return;
        }
        // Send the headers (with the full Content-Length) and half the body, then drop the connection.
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          const whole = Buffer.concat(chunks);
          res.write(whole.subarray(0, whole.length >> 1), () => res.destroy());
        });
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('S3ObjectStore', () => {
  it('stores keys under its prefix and names itself s3://bucket/prefix', async () => {
    const store = makeStore('/nested/prefix/');
    expect(store.url).toBe(`s3://${s3.bucket}/nested/prefix`);
    expect(store.prefix).toBe('nested/prefix/');
    await store.put('a/b', new Uint8Array([1, 2, 3]));
    const root = makeStore('');
    expect(root.url).toBe(`s3://${s3.bucket}`);
    expect(await root.head('nested/prefix/a/b')).toMatchObject({ key: 'nested/prefix/a/b', size: 3 });
    expect((await root.list('nested/')).map((o) => o.key)).toEqual(['nested/prefix/a/b']);
  });

  it('lists across ListObjectsV2 pages', async () => {
    // s3rver pages at 1000 keys, like S3.
    const store = makeStore(`paging-${counter++}`);
    const keys = Array.from({ length: 1010 }, (_, i) => `k/${String(i).padStart(5, '0')}`);
    const empty = new Uint8Array(0);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, empty)));
    }
    const listed = await store.list('k/');
    expect(listed).toHaveLength(1010);
    expect(listed.map((o) => o.key)).toEqual(keys);
  });

  it('retries 503 SlowDown with backoff until the put and the get succeed', async () => {
    let failuresLeft = 0;
    const proxy = await startFaultProxy(() => {
      if (failuresLeft > 0) {
        failuresLeft--;
        return { kind: 'error', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
      }
      return { kind: 'forward' };
    });
    try {
      const store = makeStore(`retry-${counter++}`, { endpoint: proxy.endpoint });
      const data = new TextEncoder().encode('survives throttling');
      failuresLeft = 2;
      await store.put('obj', data);
      expect(proxy.requests).toEqual(['PUT error', 'PUT error', 'PUT forward']);
      failuresLeft = 2;
      expect(await store.get('obj')).toEqual(data);
      expect(proxy.requests.slice(3)).toEqual(['GET error', 'GET error', 'GET forward']);
    } finally {
      await proxy.close();
    }
  });

  it('sends If-Match with get(key, ifMatch) and answers a 412 PreconditionFailed as OBJECT_CHANGED', async () => {
    const seen: (string | undefined)[] = [];
    const proxy = await startFaultProxy((req) => {
      if (req.method !== 'GET') return { kind: 'forward' };
      seen.push(req.headers['if-match'] as string | undefined);
      return req.headers['if-match'] === '"stale"' ? { kind: 'error', status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' } : { kind: 'forward' };
    });
    try {
      const store = makeStore(`if-match-${counter++}`, { endpoint: proxy.endpoint });
      const { etag } = await store.put('obj', new TextEncoder().encode('abc'));
      expect(await store.get('obj', etag!)).toEqual(new TextEncoder().encode('abc'));
      await expect(store.get('obj', '"stale"')).rejects.toMatchObject({ codeName: 'OBJECT_CHANGED', code: '390104', sqlState: 'XX001' });
      expect(seen).toEqual([etag, '"stale"']);
    } finally {
      await proxy.close();
    }
  });

  it('retries a GET whose body is cut off midway', async () => {
    let truncations = 0;
    const proxy = await startFaultProxy((req) => {
      if (req.method === 'GET' && truncations < 1) {
        truncations++;
        return { kind: 'truncate' };
      }
      return { kind: 'forward' };
    });
    try {
      const store = makeStore(`truncate-${counter++}`, { endpoint: proxy.endpoint });
      const data = new Uint8Array(256 * 1024).map((_, i) => (i * 31) & 0xff);
      await store.put('obj', data);
      expect(await store.get('obj')).toEqual(data);
      expect(proxy.requests).toEqual(['PUT forward', 'GET truncate', 'GET forward']);
    } finally {
      await proxy.close();
    }
  });

  it('does not retry a 403 and surfaces it as STORAGE_IO with the cause', async () => {
    const proxy = await startFaultProxy(() => ({ kind: 'error', status: 403, code: 'AccessDenied', message: 'Access Denied' }));
    try {
      const store = makeStore(`denied-${counter++}`, { endpoint: proxy.endpoint });
      const err = await store.put('obj', new Uint8Array([1])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).codeName).toBe('STORAGE_IO');
      expect((err as StorageError).message).toContain('Access Denied');
      expect((err as StorageError).message).toContain('403');
      expect(proxy.requests).toEqual(['PUT error']);
      await expect(store.get('obj')).rejects.toMatchObject({ codeName: 'STORAGE_IO' });
    } finally {
      await proxy.close();
    }
  });

  it('gives up after maxAttempts on a server that keeps failing', async () => {
    const proxy = await startFaultProxy(() => ({ kind: 'error', status: 500, code: 'InternalError', message: 'We encountered an internal error.' }));
    try {
      const store = makeStore(`broken-${counter++}`, { endpoint: proxy.endpoint, maxAttempts: 3 });
      await expect(store.head('obj')).rejects.toMatchObject({ codeName: 'STORAGE_IO' });
      expect(proxy.requests).toEqual(['HEAD error', 'HEAD error', 'HEAD error']);
    } finally {
      await proxy.close();
    }
  });

  it('reports wrong credentials as STORAGE_IO', async () => {
    const store = makeStore(`badcreds-${counter++}`, { credentials: { accessKeyId: 'NOPE', secretAccessKey: 'NOPE' } });
    await expect(store.put('obj', new Uint8Array([1]))).rejects.toMatchObject({ codeName: 'STORAGE_IO' });
  });

  it('reports a missing bucket as STORAGE_IO, not as a missing object', async () => {
    const store = new S3ObjectStore('no-such-bucket', '', { env: s3.env });
    stores.push(store);
    await expect(store.get('obj')).rejects.toMatchObject({ codeName: 'STORAGE_IO' });
    await expect(store.list('')).rejects.toMatchObject({ codeName: 'STORAGE_IO' });
  });

  it('fails clearly when a custom endpoint has no credentials', () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    expect(() => new S3ObjectStore('b', '', { env })).toThrow(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(() => new S3ObjectStore('b', '', { env: { ...env, AWS_ACCESS_KEY_ID: 'x' } })).toThrow(StorageError);
  });

  it('turns off the instance-metadata fallback when no credentials are configured', () => {
    const saved = process.env.AWS_EC2_METADATA_DISABLED;
    delete process.env.AWS_EC2_METADATA_DISABLED;
    try {
      new S3ObjectStore('b', '', { env: {} }).close();
      expect(process.env.AWS_EC2_METADATA_DISABLED).toBe('true');
    } finally {
      if (saved === undefined) delete process.env.AWS_EC2_METADATA_DISABLED;
      else process.env.AWS_EC2_METADATA_DISABLED = saved;
    }
  });

  it('rejects an empty bucket name and a prefix that escapes', () => {
    expect(() => new S3ObjectStore('', '', { env: s3.env })).toThrow(StorageError);
    expect(() => new S3ObjectStore('b', 'a/../..', { env: s3.env })).toThrow(StorageError);
  });
});
