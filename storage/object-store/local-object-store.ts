/**
 * LocalObjectStore: the embedded default object store, one directory on local disk.
 *
 * Contract (see object-store.ts, checked by object-store.conformance.ts):
 * - Key 'a/b/c.parquet' is the file <root>/a/b/c.parquet. Keys are validated before they touch
 *   the file system: no absolute keys, no empty, '.' or '..' segments, no NUL, so a key can
 *   never name a file outside the root.
 * - put is atomic and durable: the bytes go to a uniquely named temp file in the target's own
 *   directory, which is fsynced, renamed over the target, and then the directory chain up to
 *   the root is fsynced so the new entry survives a crash. A reader sees the old object or the
 *   new one, never a partial one. Temp file names start with TEMP_PREFIX followed by the
 *   target's file name; keys whose segments start with TEMP_PREFIX are rejected and list()
 *   never returns them. A crash during put can leave one behind: delete(key) removes the key's
 *   leftover temp files too, so deleting the pending keys of a dead statement (which recovery
 *   does) reclaims everything its puts left.
 * - getRange reads through a file handle at an offset; it never loads the whole file.
 * - The ETag is the quoted hex MD5 of the content (contentEtag), computed by put from the bytes
 *   it writes and by get(key, ifMatch) from the bytes it read; head and list leave it out (it
 *   would cost reading every file).
 * - list(prefix) walks only the deepest directory the prefix names, and returns keys sorted
 *   by code point (the UTF-8 byte order S3 uses), so both stores list in the same order.
 * - A key that names a directory is treated as missing. Unlike S3, a file system cannot hold
 *   both 'a' and 'a/b'; putting the second fails with STORAGE_IO.
 *
 * The key checks and the key order are exported for the other stores of this folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InternalError, StorageError } from '../errors/firn-error.js';
import type { ObjectInfo, ObjectStore, PutResult } from './object-store.js';

/** Every temp file written by put starts with this; a leftover one is never listed. */
export const TEMP_PREFIX = '.firn-tmp-';

/** What follows tempPrefixOf in a temp file name: the 8 random bytes put draws, in hex. */
const TEMP_SUFFIX = /^[0-9a-f]{16}$/;

/** The start of every temp file name a put of the file at `path` uses. */
function tempPrefixOf(path: string): string {
  return `${TEMP_PREFIX}${basename(path)}.`;
}

/** Platforms where a directory cannot be opened for fsync (Windows) skip the directory sync. */
const CAN_SYNC_DIRECTORIES = process.platform !== 'win32';

/**
 * Throws StorageError unless `key` is a valid object key: '/'-separated, relative, with no
 * empty, '.' or '..' segment, no NUL, and no segment that looks like one of our temp files.
 */
export function checkObjectKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new StorageError('STORAGE_IO', 'invalid object key: the key is empty');
  }
  if (key.startsWith('/')) {
    throw new StorageError('STORAGE_IO', `invalid object key '${key}': keys are relative and must not start with '/'`);
  }
  if (key.includes('\0')) {
    throw new StorageError('STORAGE_IO', `invalid object key '${key}': keys must not contain NUL characters`);
  }
  for (const segment of key.split('/')) checkSegment(key, segment);
}

/** Like checkObjectKey for a list prefix: its last segment is only a name filter, so it may be partial or empty. */
export function checkObjectPrefix(prefix: string): void {
  if (prefix.startsWith('/')) {
    throw new StorageError('STORAGE_IO', `invalid list prefix '${prefix}': prefixes are relative and must not start with '/'`);
  }
  if (prefix.includes('\0')) {
    throw new StorageError('STORAGE_IO', `invalid list prefix '${prefix}': prefixes must not contain NUL characters`);
  }
  const slash = prefix.lastIndexOf('/');
  if (slash >= 0) checkObjectKey(prefix.slice(0, slash));
}

function checkSegment(key: string, segment: string): void {
  if (segment === '') {
    throw new StorageError('STORAGE_IO', `invalid object key '${key}': empty path segment (a doubled or trailing '/')`);
  }
  if (segment === '.' || segment === '..') {
    throw new StorageError('STORAGE_IO', `invalid object key '${key}': '${segment}' segments are not allowed`);
  }
  if (segment.startsWith(TEMP_PREFIX)) {
    throw new StorageError('STORAGE_IO', `invalid object key '${key}': names starting with '${TEMP_PREFIX}' are reserved for temp files`);
  }
}

/**
 * Orders keys by Unicode code point, which is UTF-8 byte order (S3's list order). JavaScript's
 * default string order compares UTF-16 code units and differs only where one side is a
 * surrogate (a code point above U+FFFF) and the other a BMP character at or above U+E000.
 */
export function compareObjectKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

export class LocalObjectStore implements ObjectStore {
  readonly url: string;
  /** The absolute directory holding the objects. */
  readonly root: string;
  private rootReady: Promise<void> | undefined;

  constructor(root: string) {
    this.root = resolve(root);
    this.url = pathToFileURL(this.root).href;
  }

  async get(key: string, ifMatch?: string): Promise<Uint8Array> {
    const path = this.pathOf(key);
    let bytes: Uint8Array;
    try {
      const buf = await readFile(path);
      bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      throw this.readError(key, err);
    }
    if (ifMatch !== undefined) {
      const etag = contentEtag(bytes);
      if (etag !== ifMatch) throw new StorageError('OBJECT_CHANGED', `object '${key}' in ${this.url} has ETag ${etag}, not the expected ${ifMatch}: it was replaced`);
    }
    return bytes;
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new InternalError(`getRange of '${key}': offset ${offset} and length ${length} must be non-negative integers`);
    }
    const path = this.pathOf(key);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw this.readError(key, err);
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw this.notFound(key);
      const start = Math.min(offset, st.size);
      const want = Math.min(length, st.size - start);
      const out = new Uint8Array(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(out, got, want - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === want ? out : out.subarray(0, got);
    } catch (err) {
      throw this.readError(key, err);
    } finally {
      await handle.close();
    }
  }

  async put(key: string, data: Uint8Array): Promise<PutResult> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    const tmp = join(dir, `${tempPrefixOf(path)}${randomBytes(8).toString('hex')}`);
    let wroteTemp = false;
    try {
      await this.ensureRoot();
      await mkdir(dir, { recursive: true });
      const handle = await open(tmp, 'wx');
      wroteTemp = true;
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, path);
      wroteTemp = false;
      // Sync every directory from the target's up to the root: a concurrent put may have created
      // one of them, and its entry must be durable before this put resolves.
      let d = dir;
      for (let depth = key.split('/').length - 1; depth > 0; depth--) {
        await syncDirectory(d);
        d = dirname(d);
      }
      await syncDirectory(d);
    } catch (err) {
      if (wroteTemp) await unlink(tmp).catch(() => undefined);
      throw new StorageError('STORAGE_IO', `cannot write object '${key}' to ${this.url}: ${errMessage(err)}`);
    }
    return { etag: contentEtag(data) };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const path = this.pathOf(key);
    try {
      const st = await stat(path);
      return st.isFile() ? { key, size: st.size, lastModified: st.mtime } : null;
    } catch (err) {
      if (MISSING_CODES.has(errCode(err) ?? '')) return null;
      throw new StorageError('STORAGE_IO', `cannot stat object '${key}' in ${this.url}: ${errMessage(err)}`);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    checkObjectPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash + 1) : '';
    const namePrefix = prefix.slice(slash + 1);
    const out: ObjectInfo[] = [];
    try {
      await this.walk(join(this.root, dirKey), dirKey, namePrefix, out);
    } catch (err) {
      throw new StorageError('STORAGE_IO', `cannot list '${prefix}' in ${this.url}: ${errMessage(err)}`);
    }
    return out.sort((a, b) => compareObjectKeys(a.key, b.key));
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (err) {
      const code = errCode(err);
      // EISDIR / EPERM: the key names a directory, which holds no object of that name.
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EPERM') return this.deleteLeftoverTemps(key, path);
      throw new StorageError('STORAGE_IO', `cannot delete object '${key}' from ${this.url}: ${errMessage(err)}`);
    }
  }

  /** Removes temp files an interrupted put of `key` left (only a crash leaves any). */
  private async deleteLeftoverTemps(key: string, path: string): Promise<void> {
    const prefix = tempPrefixOf(path);
    let names: string[];
    try {
      names = await readdir(dirname(path));
    } catch {
      return;
    }
    for (const name of names) {
      // Exactly `${prefix}<16 hex digits>`: the temp file of `a` only, never one of `a.b`'s.
      if (!name.startsWith(prefix) || !TEMP_SUFFIX.test(name.slice(prefix.length))) continue;
      try {
        await unlink(join(dirname(path), name));
      } catch (err) {
        if (errCode(err) !== 'ENOENT') throw new StorageError('STORAGE_IO', `cannot delete a temp file of object '${key}' from ${this.url}: ${errMessage(err)}`);
      }
    }
  }

  /** The file of a key; validating the key is what keeps every path inside the root. */
  private pathOf(key: string): string {
    checkObjectKey(key);
    return join(this.root, key);
  }

  /** Creates the root on first write, syncing the parents of every directory created for it. */
  private ensureRoot(): Promise<void> {
    this.rootReady ??= (async () => {
      const created = await mkdir(this.root, { recursive: true });
      if (created === undefined) return;
      for (let d = this.root; d !== created; d = dirname(d)) await syncDirectory(dirname(d));
      await syncDirectory(dirname(created));
    })().catch((err: unknown) => {
      this.rootReady = undefined;
      throw err;
    });
    return this.rootReady;
  }

  /** Appends every object under `dir` (key prefix `dirKey`) whose name in `dir` starts with namePrefix. */
  private async walk(dir: string, dirKey: string, namePrefix: string, out: ObjectInfo[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') return;
      throw err;
    }
    const pending: Promise<void>[] = [];
    for (const entry of entries) {
      const name = entry.name;
      if (!name.startsWith(namePrefix) || name.startsWith(TEMP_PREFIX)) continue;
      const path = join(dir, name);
      const key = dirKey + name;
      if (entry.isDirectory()) {
        pending.push(this.walk(path, key + '/', '', out));
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        pending.push(
          stat(path).then(
            (st) => {
              if (st.isFile()) out.push({ key, size: st.size, lastModified: st.mtime });
            },
            (err: unknown) => {
              // A file deleted while we walk, or a dangling symlink, is simply not listed.
              if (errCode(err) !== 'ENOENT') throw err;
            },
          ),
        );
      }
    }
    await Promise.all(pending);
  }

  private notFound(key: string): StorageError {
    return new StorageError('FILE_NOT_FOUND', `object '${key}' does not exist in ${this.url}`);
  }

  private readError(key: string, err: unknown): StorageError {
    if (err instanceof StorageError) return err;
    if (MISSING_CODES.has(errCode(err) ?? '')) return this.notFound(key);
    return new StorageError('STORAGE_IO', `cannot read object '${key}' from ${this.url}: ${errMessage(err)}`);
  }
}

/** The local store's ETag of an object: its quoted hex MD5, the form S3 gives for a single PUT. */
export function contentEtag(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

async function syncDirectory(dir: string): Promise<void> {
  if (!CAN_SYNC_DIRECTORIES) return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
