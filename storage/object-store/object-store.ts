/**
 * The object-store interface: the only way Firn touches data files.
 *
 * Contract (shared by every implementation and checked by one conformance suite):
 * - Keys are '/'-separated relative paths without a leading '/'.
 * - put is atomic and durable: after it resolves, get returns the whole object, and a reader
 *   never sees a partial object. Objects Firn writes are never modified afterwards.
 * - get / getRange of a missing key throw StorageError with code FILE_NOT_FOUND;
 *   head of a missing key returns null; delete of a missing key succeeds.
 * - getRange(key, offset, length) returns exactly the bytes [offset, offset+length) clamped
 *   to the object's end.
 * - list(prefix) returns every key starting with prefix, sorted, with sizes.
 * - head and list give the object's ETag when the store has one (S3); a store without
 *   (local files) leaves it out, and lastModified then tells versions of a key apart.
 */
export type ObjectInfo = { key: string; size: number; lastModified: Date; etag?: string };

export interface ObjectStore {
  /** A URL naming this store, e.g. file:///abs/dir or s3://bucket/prefix. */
  readonly url: string;
  get(key: string): Promise<Uint8Array>;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>;
  put(key: string, data: Uint8Array): Promise<void>;
  head(key: string): Promise<ObjectInfo | null>;
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
}
