/**
 * S3ObjectStore: objects under `s3://bucket/prefix`, through @aws-sdk/client-s3.
 *
 * Contract (see object-store.ts, checked by object-store.conformance.ts):
 * - Key 'a/b' is the S3 object '<prefix>/a/b'. Keys are checked like LocalObjectStore's, so the
 *   same key is valid (and lists in the same order) on every store.
 * - Configuration comes from the options, else from the environment: AWS_ENDPOINT_URL_S3 /
 *   AWS_ENDPOINT_URL (a custom endpoint implies path-style addressing), AWS_REGION (default
 *   us-east-1), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
 * - Credentials never come from instance metadata. With a custom endpoint, credentials must be
 *   set explicitly (the constructor fails clearly otherwise). Without one and without
 *   credentials, the SDK's default chain (profiles, SSO, web identity) is used with
 *   AWS_EC2_METADATA_DISABLED=true set for the process unless the operator set it already, so
 *   the chain never falls back to the EC2 metadata endpoint on its own.
 * - Retries are the SDK's own 'standard' retry strategy (or 'adaptive' if asked), with
 *   maxAttempts 5 by default: exponential backoff with full jitter on 500/502/503/504,
 *   throttling (SlowDown, 429), timeouts (TimeoutError, RequestTimeout) and connection
 *   failures (ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT). Bodies are Uint8Arrays, so puts are
 *   retryable. The one case the SDK does not cover is a connection dropped while a GET body is
 *   streaming; get/getRange retry that themselves, with the same backoff shape.
 * - Connections time out (connectionTimeoutMs, socketTimeoutMs idle) so a stuck server turns
 *   into a retried TimeoutError rather than a hang.
 * - list pages through ListObjectsV2 with StartAfter = the last key of the previous page rather
 *   than continuation tokens: without a delimiter the two are equivalent, and stock s3rver
 *   (handy as a local S3) builds its tokens with DES, which Node 17+ only has with
 *   --openssl-legacy-provider, so any listing past 1000 keys would fail against it.
 * - getRange trusts Content-Range, not the request: a server that answers a Range request with
 *   a larger range (s3rver does for 'bytes=0-0') or the whole object still yields exactly the
 *   bytes asked for.
 * - NoSuchKey / 404 on a read -> StorageError FILE_NOT_FOUND; every other failure ->
 *   StorageError STORAGE_IO carrying the cause's name, HTTP status and message.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { InternalError, StorageError } from '../errors/firn-error.js';
import { checkObjectKey, checkObjectPrefix, compareObjectKeys } from './local-object-store.js';
import type { ObjectInfo, ObjectStore, PutResult } from './object-store.js';

export type S3Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type S3ObjectStoreOptions = {
  /** Custom endpoint, e.g. http://127.0.0.1:9000; default AWS_ENDPOINT_URL_S3 ?? AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** Default AWS_REGION ?? 'us-east-1'. */
  region?: string;
  /** Default AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
  credentials?: S3Credentials;
  /** Default: true when an endpoint is set. */
  forcePathStyle?: boolean;
  /** Total attempts per request, first one included. Default 5. */
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
  /** Time allowed to open a connection. Default 5 s. */
  connectionTimeoutMs?: number;
  /** Time a connection may stay idle mid-request. Default 60 s. */
  socketTimeoutMs?: number;
  /** Where the AWS variables are read from. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
};

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 20_000;
/** Error codes of a connection that broke while a response body was streaming. */
const BODY_INTERRUPTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

type Sdk = typeof import('@aws-sdk/client-s3');

type SdkError = { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };

export class S3ObjectStore implements ObjectStore {
  readonly url: string;
  readonly bucket: string;
  /** The key prefix inside the bucket, '' or ending in '/'. */
  readonly prefix: string;
  private readonly config: S3ClientConfig;
  /**
   * The SDK and its client, loaded by the first request: importing @aws-sdk/client-s3 takes
   * ~70 ms, and every warehouse thread and the server load this module whatever the storage.
   */
  private connection: Promise<{ sdk: Sdk; client: S3Client }> | null = null;
  private readonly maxAttempts: number;

  constructor(bucket: string, prefix = '', options: S3ObjectStoreOptions = {}) {
    if (bucket === '' || bucket.includes('/')) {
      throw new StorageError('STORAGE_IO', `invalid S3 bucket name '${bucket}'`);
    }
    const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
    if (trimmed !== '') checkObjectKey(trimmed);
    this.bucket = bucket;
    this.prefix = trimmed === '' ? '' : trimmed + '/';
    this.url = trimmed === '' ? `s3://${bucket}` : `s3://${bucket}/${trimmed}`;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new InternalError(`S3 maxAttempts must be a positive integer, got ${options.maxAttempts}`);
    }

    const env = options.env ?? process.env;
    const endpoint = options.endpoint ?? nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
    const credentials = options.credentials ?? credentialsFromEnv(env, endpoint);
    const config: S3ClientConfig = {
      region: options.region ?? nonEmpty(env.AWS_REGION) ?? DEFAULT_REGION,
      maxAttempts: this.maxAttempts,
      retryMode: options.retryMode ?? 'standard',
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        socketTimeout: options.socketTimeoutMs ?? 60_000,
      },
    };
    if (endpoint !== undefined) {
      config.endpoint = endpoint;
      config.forcePathStyle = options.forcePathStyle ?? true;
      // S3-compatible servers differ in their support of the newer flexible checksums.
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
      config.responseChecksumValidation = 'WHEN_REQUIRED';
    } else if (options.forcePathStyle !== undefined) {
      config.forcePathStyle = options.forcePathStyle;
    }
    if (credentials !== undefined) {
      config.credentials = credentials;
    } else if (process.env.AWS_EC2_METADATA_DISABLED === undefined) {
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
    }
    this.config = config;
  }

  async get(key: string, ifMatch?: string): Promise<Uint8Array> {
    const objectKey = this.objectKey(key);
    let got: { bytes: Uint8Array; etag?: string };
    try {
      got = await this.read(objectKey, undefined, ifMatch);
    } catch (err) {
      if (ifMatch !== undefined && isPreconditionFailed(err)) throw this.changed(key, ifMatch, undefined);
      throw this.failure('GET', key, err, true);
    }
    // Servers that ignore If-Match (s3rver) still answer the ETag of what they sent.
    if (ifMatch !== undefined && got.etag !== undefined && got.etag !== ifMatch) throw this.changed(key, ifMatch, got.etag);
    return got.bytes;
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new InternalError(`getRange of '${key}': offset ${offset} and length ${length} must be non-negative integers`);
    }
    const objectKey = this.objectKey(key);
    if (length === 0) {
      // A zero-length Range header cannot be written; still report a missing object.
      if ((await this.head(key)) === null) throw this.notFound(key);
      return new Uint8Array(0);
    }
    try {
      const { bytes, contentRange } = await this.read(objectKey, `bytes=${offset}-${offset + length - 1}`);
      // Without Content-Range the body is the whole object, which starts at byte 0.
      const start = contentRange === undefined ? 0 : (rangeStart(contentRange) ?? offset);
      const from = Math.min(Math.max(offset - start, 0), bytes.length);
      return bytes.subarray(from, from + length);
    } catch (err) {
      // 416: the object exists but the range starts at or past its end.
      if (sdkError(err).name === 'InvalidRange' || sdkError(err).$metadata?.httpStatusCode === 416) return new Uint8Array(0);
      throw this.failure('ranged GET', key, err, true);
    }
  }

  async put(key: string, data: Uint8Array): Promise<PutResult> {
    const objectKey = this.objectKey(key);
    try {
      const { sdk, client } = await this.connect();
      const res = await client.send(
        new sdk.PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: data, ContentLength: data.byteLength }),
      );
      return { etag: res.ETag ?? null };
    } catch (err) {
      throw this.failure('PUT', key, err, false);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const objectKey = this.objectKey(key);
    try {
      const { sdk, client } = await this.connect();
      const res = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return withEtag({ key, size: res.ContentLength ?? 0, lastModified: res.LastModified ?? new Date(0) }, res.ETag);
    } catch (err) {
      if (isMissingObject(err)) return null;
      throw this.failure('HEAD', key, err, false);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    checkObjectPrefix(prefix);
    const out: ObjectInfo[] = [];
    let startAfter: string | undefined;
    try {
      const { sdk, client } = await this.connect();
      do {
        const res = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, StartAfter: startAfter }),
        );
        let lastKey: string | undefined;
        for (const item of res.Contents ?? []) {
          const full = item.Key;
          if (full === undefined) continue;
          lastKey = full;
          // Keys ending in '/' are "folder" markers made by consoles, not objects Firn can name.
          if (!full.startsWith(this.prefix) || full.endsWith('/')) continue;
          out.push(withEtag({ key: full.slice(this.prefix.length), size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) }, item.ETag));
        }
        startAfter = res.IsTruncated ? lastKey : undefined;
      } while (startAfter !== undefined);
    } catch (err) {
      throw this.failure('LIST', prefix, err, false);
    }
    return out.sort((a, b) => compareObjectKeys(a.key, b.key));
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key);
    try {
      const { sdk, client } = await this.connect();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    } catch (err) {
      if (isMissingObject(err)) return;
      throw this.failure('DELETE', key, err, false);
    }
  }

  /** Closes the client's pooled connections; the store must not be used afterwards. */
  close(): void {
    void this.connection?.then(({ client }) => client.destroy());
  }

  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.connection ??= import('@aws-sdk/client-s3').then((sdk) => ({ sdk, client: new sdk.S3Client(this.config) }));
    return this.connection;
  }

  private objectKey(key: string): string {
    checkObjectKey(key);
    return this.prefix + key;
  }

  /**
   * One GET whose body is read to the end. The SDK retries the request until response headers
   * arrive; a connection that breaks while the body streams is retried here.
   */
  private async read(objectKey: string, range: string | undefined, ifMatch?: string): Promise<{ bytes: Uint8Array; contentRange?: string; etag?: string }> {
    const { sdk, client } = await this.connect();
    for (let attempt = 1; ; attempt++) {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: objectKey, Range: range, IfMatch: ifMatch }));
      try {
        if (res.Body === undefined) return { bytes: new Uint8Array(0), contentRange: res.ContentRange, etag: res.ETag };
        const bytes = await res.Body.transformToByteArray();
        if (res.ContentLength !== undefined && bytes.byteLength !== res.ContentLength) {
          throw Object.assign(new Error(`response body ended after ${bytes.byteLength} of ${res.ContentLength} bytes`), {
            code: 'ERR_STREAM_PREMATURE_CLOSE',
          });
        }
        return { bytes, contentRange: res.ContentRange, etag: res.ETag };
      } catch (err) {
        if (attempt >= this.maxAttempts || !isBodyInterruption(err)) throw err;
        // Full jitter, as the SDK's standard strategy: random in [0, min(max, base * 2^attempt)).
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt)));
      }
    }
  }

  private notFound(key: string): StorageError {
    return new StorageError('FILE_NOT_FOUND', `object '${key}' does not exist in ${this.url}`);
  }

  private changed(key: string, expected: string, actual: string | undefined): StorageError {
    const now = actual === undefined ? 'another ETag' : `ETag ${actual}`;
    return new StorageError('OBJECT_CHANGED', `object '${key}' in ${this.url} has ${now}, not the expected ${expected}: it was replaced`);
  }

  private failure(op: string, key: string, err: unknown, isRead: boolean): StorageError {
    if (err instanceof StorageError) return err;
    if (isRead && isMissingObject(err)) return this.notFound(key);
    const e = sdkError(err);
    const status = e.$metadata?.httpStatusCode;
    const what = [e.name && e.name !== 'Error' ? e.name : undefined, status ? `HTTP ${status}` : undefined]
      .filter((x) => x !== undefined)
      .join(', ');
    const message = e.message || String(err);
    return new StorageError('STORAGE_IO', `S3 ${op} of '${key}' in ${this.url} failed${what ? ` (${what})` : ''}: ${message}`);
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>, endpoint: string | undefined): S3Credentials | undefined {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
    return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
  }
  if (endpoint !== undefined) {
    throw new StorageError(
      'STORAGE_IO',
      `S3 endpoint ${endpoint} is configured but its credentials are not: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    );
  }
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    throw new StorageError('STORAGE_IO', 'set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither');
  }
  return undefined;
}

function sdkError(err: unknown): SdkError {
  return typeof err === 'object' && err !== null ? (err as SdkError) : {};
}

/** NoSuchKey / NotFound / a plain 404 — but a missing bucket is a configuration failure, not a missing object. */
function isMissingObject(err: unknown): boolean {
  const e = sdkError(err);
  if (e.name === 'NoSuchBucket') return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/** 412: the object's ETag did not match If-Match. */
function isPreconditionFailed(err: unknown): boolean {
  const e = sdkError(err);
  return e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412;
}

/** The first byte of a 'bytes <start>-<end>/<size>' Content-Range, or undefined if it has another form. */
function rangeStart(contentRange: string): number | undefined {
  const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(contentRange.trim());
  return m === null ? undefined : Number(m[1]);
}

function isBodyInterruption(err: unknown): boolean {
  const e = sdkError(err);
  return (
    e.name === 'TimeoutError' ||
    BODY_INTERRUPTION_CODES.has(e.code ?? '') ||
    e.message === 'aborted' ||
    e.message === 'Premature close'
  );
}

/** The object's ETag as S3 gives it (quotes included), when it gives one. */
function withEtag(info: ObjectInfo, etag: string | undefined): ObjectInfo {
  return etag ? { ...info, etag } : info;
}
