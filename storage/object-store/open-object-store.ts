/**
 * openObjectStore: the one place a store URL (FIRN_STORAGE_URL, a COPY INTO source's store)
 * becomes an ObjectStore.
 *
 * - `file:///abs/dir` (or `file://localhost/abs/dir`) and plain paths, absolute or relative to
 *   the working directory -> LocalObjectStore.
 * - `s3://bucket` or `s3://bucket/prefix` -> S3ObjectStore configured from the environment
 *   (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), unless `s3`
 *   options say otherwise. The prefix is taken literally, without percent-decoding.
 * - Any other scheme -> NotSupportedError naming it; a malformed URL -> StorageError.
 * Opening a store does no I/O; the first operation does.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotSupportedError, StorageError } from '../errors/firn-error.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.js';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

export function openObjectStore(url: string, s3: S3ObjectStoreOptions = {}): ObjectStore {
  if (url.trim() === '') throw new StorageError('STORAGE_IO', 'invalid object store URL: the URL is empty');
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return new LocalObjectStore(resolve(url));
  if (scheme === 'file') {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch (err) {
      throw new StorageError('STORAGE_IO', `invalid object store URL '${url}': ${err instanceof Error ? err.message : String(err)}`);
    }
    return new LocalObjectStore(path);
  }
  if (scheme === 's3') {
    const rest = url.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (bucket === '') throw new StorageError('STORAGE_IO', `invalid object store URL '${url}': the bucket name is missing`);
    return new S3ObjectStore(bucket, slash < 0 ? '' : rest.slice(slash + 1), s3);
  }
  throw new NotSupportedError(`object store URL scheme '${scheme}://' (in '${url}')`);
}
