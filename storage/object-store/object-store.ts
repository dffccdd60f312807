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
 * - put resolves to the ETag of the object it wrote (null when an S3-compatible server gives
 *   none). For S3 that is the server's ETag; the local store uses the same form as S3 gives
 *   for a single PUT: the quoted hex MD5 of the content. A content hash is stable across a
 *   copy or restore of the directory and tells apart two versions of the same size written
 *   in the same instant, which mtime + size would not.
 * - get(key, ifMatch): with `ifMatch`, rejects with StorageError OBJECT_CHANGED unless the
 *   object's current ETag is `ifMatch` (S3: the If-Match precondition and the answer's ETag;
 *   local: the MD5 of the bytes read), so bytes that are not the recorded version are never
 *   returned.
 */
export type ObjectInfo = { key: string; size: number; lastModified: Date; etag?: string };

/** What a put wrote: the object's ETag (null when the store gives none). */
export type PutResult = { etag: string | null };

export interface ObjectStore {
  /** A URL naming this store, e.g. file:///abs/dir or s3://bucket/prefix. */
  readonly url: string;
  get(key: string, ifMatch?: string): Promise<Uint8Array>;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>;
  put(key: string, data: Uint8Array): Promise<PutResult>;
  head(key: string): Promise<ObjectInfo | null>;
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
}
