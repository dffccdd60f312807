/**
 * The warehouse's cache of decoded column chunks, in two levels: memory (Firn vectors; string
 * chunks with large dictionaries packed, PACKED_DICT_MIN says why) and a local SSD directory
 * (one Arrow IPC file per column chunk, loaded without Parquet decoding).
 *
 * Why: partitions are immutable objects, so a decoded (object, column) never changes and
 * the cache is never invalidated, only evicted. Reading a warm column costs a Map lookup
 * (memory) or one readFile + zero-copy Arrow views (SSD) instead of a GET + Parquet decode.
 *
 * Contract:
 *  - getColumns(object, tableColumns, wanted, rowCount?) resolves to the batch of table
 *    columns `wanted` (in that order) of that partition, each served from memory, else SSD,
 *    else decoded from the object, which is fetched once per call and only when some column
 *    missed both levels (concurrent calls share one fetch of the same object). Only missing
 *    columns are decoded; both levels are then filled (SSD writes run in the background:
 *    flush() awaits them). stats tell per wanted column where it came from.
 *  - `deferStrings` (table column indices): a string column among them that the memory level
 *    keeps packed comes back with the shared empty DEFERRED_DICT as its dictionary, and its
 *    packed dictionary in `deferred` (per wanted position; `deferred` is null when nothing was
 *    deferred). The reader unpacks only what its rows use (lazy-strings.ts) and must not
 *    read that column's dictionary before. Codes and nulls are the cached ones, never to
 *    be written.
 *  - Object identity: `object` is the partition as the catalog recorded it (key, byte size,
 *    ETag or null). Entries are keyed by all three, so an entry decoded from another version
 *    of the same key (a partition replaced behind Firn's back, a catalog restored over an old
 *    cache) is never served: that is a miss. A fetch asks the store for that ETag (fetchObject's
 *    ifMatch) and checks the size, and fails with StorageError OBJECT_CHANGED (390104, XX001)
 *    when the object is no longer the recorded version; nothing of it is cached. Without a
 *    recorded ETag (partitions committed before ETags were kept) only the size is checked.
 *  - Hit accounting (stats.hits / misses, what stats.cacheHitRatio sums): one lookup per
 *    distinct wanted column per call. A hit is a column served from memory or SSD; a miss is
 *    one decoded from the fetched object. The footer-only read of an empty `wanted` is no lookup.
 *  - `absent[c]` given: table column c may be missing from the partition (added by ALTER TABLE
 *    after it was written) and then reads as that constant (partition-reader.ts); it is
 *    cached like a decoded column. Column names are physical names (the partition's fields).
 *  - Bounds may change (a function, read on every call): each getColumns first evicts both
 *    levels down to the current bounds.
 *  - Keys are (object key, size, ETag, column name, column type): a physical name is never reused within
 *    a table and a column's default never changes, so a key always means the same vector. Both levels are bounded in bytes and
 *    evict least recently used entries; an entry larger than a level's bound is not kept there.
 *  - SSD chunks another slot of the warehouse wrote (`adoptDirs`, e.g. before a resize moved
 *    the partition to this slot) are moved into this cache on a miss and count as disk hits.
 *  - A `borrowed` read (a unit another slot owns, taken over by this slot's task: claimed-units.ts)
 *    serves what this cache holds and reads a sibling's SSD chunk where it lies (never moving
 *    it); what it decodes or reads it keeps in memory only where that evicts nothing, and
 *    never on SSD. The owner's cache keeps the unit: the slots of one warehouse do not evict
 *    their own units for each other's, nor move chunk files back and forth.
 *  - SSD files are written atomically (temp file + rename). A new cache over an existing
 *    directory indexes its files (recency from their mtime, refreshed on every hit), deletes
 *    leftover temp files and evicts beyond the bound, so a restarted server keeps its cache.
 *    Unreadable cache files count as misses and are dropped. SSD failures never fail a query.
 *  - With an empty `wanted`, the batch has no columns and `rowCount` rows (read from the
 *    object's footer when rowCount is not given).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, Nulls, Vector } from '../../storage/types/vector.js';
import { decodeBatchIpc, encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { readPartitionColumns, type AbsentColumn } from '../../storage/partition/partition-reader.js';
import { vectorBytes } from '../../storage/types/vector-bytes.js';
import { StorageError } from '../../storage/errors/firn-error.js';
import { PackedStrings } from './packed-strings.js';

export type ColumnCacheOptions = {
  /**
   * Bound of the memory level, in (estimated) bytes of decoded vectors; a function is read on
   * every use, so the bound can follow a share of a shared budget (cache-budget.ts).
   */
  memoryBytes: number | (() => number);
  /** Directory of the SSD level; null for none. Give each cache its own directory. */
  diskDir: string | null;
  /**
   * SSD directories of the same warehouse's other slots, present and past (a resize changes
   * which slot reads a partition): a chunk this level lacks but one of them holds is moved
   * here and served as a disk hit, so a warehouse's SSD cache stays usable across resizes.
   */
  adoptDirs?: readonly string[];
  /** Bound of the SSD level, in file bytes; a function as for memoryBytes. */
  diskBytes: number | (() => number);
  /**
   * Fetches a whole partition object (e.g. ObjectStore.get); with `ifMatch` it must reject
   * with OBJECT_CHANGED unless the object's ETag is that.
   */
  fetchObject: (objectKey: string, ifMatch?: string) => Promise<Uint8Array>;
};

/** A partition object as the catalog recorded it: what the cache serves and verifies against. */
export type CachedObject = { objectKey: string; byteSize: number; etag: string | null };

export const ColumnSource = { MEMORY: 'memory', DISK: 'disk', OBJECT: 'object' } as const;
export type ColumnSource = (typeof ColumnSource)[keyof typeof ColumnSource];

export type ColumnCacheStats = {
  /** Distinct wanted columns served from memory or SSD. */
  hits: number;
  /** Distinct wanted columns decoded from the object. */
  misses: number;
  memoryHits: number;
  diskHits: number;
  /** Bytes the scan touched: decoded size of memory hits, file size of SSD hits, object size of a fetch. */
  bytesScanned: number;
  /** Bytes fetched from the object store. */
  bytesFetched: number;
  /** Where each wanted column came from, in `wanted` order. */
  sources: ColumnSource[];
};

export type ColumnCacheInfo = { memoryEntries: number; memoryBytes: number; diskEntries: number; diskBytes: number; diskError: string | null };

/**
 * A string column chunk whose dictionary has at least PACKED_DICT_MIN entries is kept in the
 * memory level packed (packed-strings.ts): its entries concatenated into one string, with their
 * end offsets, and unpacked (one substring per entry, 25 ns each) on every hit, unless the
 * reader defers them (`deferStrings`) to unpack only the entries its rows use.
 *
 * Why: a worker's V8 heap holds the memory level, and every full collection marks each object
 * in it. Decoded, a chunk of TPC-H's l_comment is 200,000 strings; with lineitem's comments
 * cached a worker's heap was 406 MiB, each mark-compact (one every 4-5 queries, started by the
 * queries' typed-array churn) marked for 344 ms, and Q18 on that XSMALL warehouse took 363-415 ms
 * against 269-273 ms on one that had not read them. Packed, a chunk is two objects.
 */
const PACKED_DICT_MIN = 1024;

type PackedStrVector = { kind: 'packed-str'; length: number; codes: Int32Array; nulls: Nulls; strings: PackedStrings };

type MemEntry = { vector: Vector | PackedStrVector; bytes: number };

function packForMemory(v: Vector): Vector | PackedStrVector {
  if (v.kind !== 'str' || v.dict.length < PACKED_DICT_MIN) return v;
  return { kind: 'packed-str', length: v.length, codes: v.codes, nulls: v.nulls, strings: PackedStrings.pack(v.dict) };
}

/**
 * The dictionary of a string column whose strings come separately (getColumns' `deferStrings`):
 * an empty, frozen array that a reader must replace before it reads an entry.
 */
export const DEFERRED_DICT: string[] = Object.freeze([]) as unknown as string[];

const FILE_SUFFIX = '.arrow';
const TEMP_SUFFIX = '.tmp';

/** A copy of typed arrays that are views into a much larger buffer, so eviction frees memory. */
function owned<T extends Uint8Array | Int32Array | Float64Array>(a: T): T {
  return a.buffer.byteLength > a.byteLength * 1.25 + 64 ? (a.slice() as T) : a;
}

function ownedVector(v: Vector): Vector {
  const nulls = v.nulls === null ? null : owned(v.nulls);
  switch (v.kind) {
    case 'bool':
      return { ...v, values: owned(v.values), nulls };
    case 'f64':
      return { ...v, values: owned(v.values), nulls };
    case 'i32':
      return { ...v, values: owned(v.values), nulls };
    case 'str':
      return { ...v, codes: owned(v.codes), nulls };
    case 'dec':
      return { ...v, nulls };
    case 'ts':
      return { ...v, secs: owned(v.secs), nanos: owned(v.nanos), nulls };
  }
}

function cacheKey(object: CachedObject, column: Column): string {
  return `${identityKey(object)}\n${column.name}\n${JSON.stringify(column.type)}`;
}

/** The object's identity as one string: key, size and ETag (empty when none was recorded). */
function identityKey(object: CachedObject): string {
  return `${object.objectKey}\n${object.byteSize}\n${object.etag ?? ''}`;
}

function fileName(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40) + FILE_SUFFIX;
}

/** Name of the SSD cache file of one column chunk (inside diskDir). */
export function cacheFileName(object: CachedObject, column: Column): string {
  return fileName(cacheKey(object, column));
}

export class ColumnCache {
  private readonly opts: ColumnCacheOptions;
  /** Memory level in LRU order (first = least recently used). */
  private readonly mem = new Map<string, MemEntry>();
  private memTotal = 0;
  /** SSD level: file name -> size, in LRU order. */
  private readonly disk = new Map<string, number>();
  private diskTotal = 0;
  private diskError: string | null = null;
  private readonly ready: Promise<void>;
  private readonly pending = new Set<Promise<void>>();
  private readonly fetching = new Map<string, Promise<Uint8Array>>();

  constructor(opts: ColumnCacheOptions) {
    this.opts = opts;
    this.ready = opts.diskDir === null ? Promise.resolve() : this.indexDisk(opts.diskDir);
  }

  async getColumns(
    object: CachedObject,
    tableColumns: Column[],
    wanted: number[],
    rowCount?: number,
    absent?: readonly (AbsentColumn | null | undefined)[],
    borrowed = false,
    deferStrings: ReadonlySet<number> | null = null,
  ): Promise<{ batch: Batch; stats: ColumnCacheStats; deferred: (PackedStrings | null)[] | null }> {
    await this.ready;
    this.evictMemory();
    this.evictDisk();
    const stats: ColumnCacheStats = { hits: 0, misses: 0, memoryHits: 0, diskHits: 0, bytesScanned: 0, bytesFetched: 0, sources: [] };
    const found = new Map<number, Vector>();
    const packed = new Map<number, PackedStrings>();
    const sourceOf = new Map<number, ColumnSource>();
    const unique = [...new Set(wanted)];

    const notInMemory: number[] = [];
    for (const c of unique) {
      const key = cacheKey(object, tableColumns[c]);
      const e = this.mem.get(key);
      if (e === undefined) {
        notInMemory.push(c);
        continue;
      }
      this.mem.delete(key);
      this.mem.set(key, e);
      const v = e.vector;
      if (v.kind !== 'packed-str') found.set(c, v);
      else if (deferStrings?.has(c)) {
        found.set(c, { kind: 'str', length: v.length, codes: v.codes, dict: DEFERRED_DICT, nulls: v.nulls });
        packed.set(c, v.strings);
      } else found.set(c, { kind: 'str', length: v.length, codes: v.codes, dict: v.strings.unpack(), nulls: v.nulls });
      sourceOf.set(c, ColumnSource.MEMORY);
      stats.bytesScanned += e.bytes;
    }

    const fromDisk = await Promise.all(notInMemory.map((c) => this.readDisk(cacheKey(object, tableColumns[c]), borrowed)));
    const missing: number[] = [];
    notInMemory.forEach((c, i) => {
      const hit = fromDisk[i];
      if (hit === null) {
        missing.push(c);
        return;
      }
      found.set(c, hit.vector);
      sourceOf.set(c, ColumnSource.DISK);
      stats.bytesScanned += hit.fileBytes;
      this.putMemory(cacheKey(object, tableColumns[c]), hit.vector, borrowed);
    });

    let length = rowCount;
    if (missing.length > 0 || (unique.length === 0 && length === undefined)) {
      const bytes = await this.fetch(object);
      stats.bytesFetched += bytes.byteLength;
      stats.bytesScanned += bytes.byteLength;
      const decoded = readPartitionColumns(bytes, tableColumns, missing, object.objectKey, absent);
      length = decoded.length;
      missing.forEach((c, i) => {
        const vector = ownedVector(decoded.columns[i]);
        found.set(c, vector);
        sourceOf.set(c, ColumnSource.OBJECT);
        const key = cacheKey(object, tableColumns[c]);
        this.putMemory(key, vector, borrowed);
        if (!borrowed) this.putDisk(key, tableColumns[c], vector);
      });
    }

    const columns = wanted.map((c) => found.get(c)!);
    for (const c of wanted) stats.sources.push(sourceOf.get(c)!);
    for (const c of unique) {
      const src = sourceOf.get(c)!;
      if (src === ColumnSource.OBJECT) stats.misses++;
      else stats.hits++;
      if (src === ColumnSource.MEMORY) stats.memoryHits++;
      if (src === ColumnSource.DISK) stats.diskHits++;
    }
    const deferred = packed.size === 0 ? null : wanted.map((c) => packed.get(c) ?? null);
    return { batch: { length: columns.length > 0 ? columns[0].length : (length ?? 0), columns }, stats, deferred };
  }

  /** Resolves when every background SSD write / delete has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  info(): ColumnCacheInfo {
    return { memoryEntries: this.mem.size, memoryBytes: this.memTotal, diskEntries: this.disk.size, diskBytes: this.diskTotal, diskError: this.diskError };
  }

  // ---------------------------------------------------------------------------------------

  /** The object's bytes, verified to be the recorded version (ETag when known, and size). */
  private fetch(object: CachedObject): Promise<Uint8Array> {
    const id = identityKey(object);
    let p = this.fetching.get(id);
    if (p === undefined) {
      p = this.opts
        .fetchObject(object.objectKey, object.etag ?? undefined)
        .then((bytes) => {
          if (bytes.byteLength !== object.byteSize) {
            throw new StorageError(
              'OBJECT_CHANGED',
              `partition object '${object.objectKey}' has ${bytes.byteLength} bytes, not the ${object.byteSize} the catalog recorded: it was replaced or truncated`,
            );
          }
          return bytes;
        })
        .finally(() => this.fetching.delete(id));
      this.fetching.set(id, p);
    }
    return p;
  }

  /** Keeps `vector` in memory, evicting the least recently used entries past the bound; a `spare` one only if it fits without evicting. */
  private putMemory(key: string, vector: Vector, spare = false): void {
    const bytes = vectorBytes(vector);
    if (bytes > (spare ? this.memoryBound() - this.memTotal : this.memoryBound())) return;
    const old = this.mem.get(key);
    if (old !== undefined) {
      this.memTotal -= old.bytes;
      this.mem.delete(key);
    }
    this.mem.set(key, { vector: packForMemory(vector), bytes });
    this.memTotal += bytes;
    this.evictMemory();
  }

  private evictMemory(): void {
    const bound = this.memoryBound();
    for (const [k, e] of this.mem) {
      if (this.memTotal <= bound) break;
      this.mem.delete(k);
      this.memTotal -= e.bytes;
    }
  }

  private memoryBound(): number {
    const b = this.opts.memoryBytes;
    return typeof b === 'number' ? b : b();
  }

  private diskBound(): number {
    const b = this.opts.diskBytes;
    return typeof b === 'number' ? b : b();
  }

  private track(work: Promise<void>): void {
    const p = work.catch((err: unknown) => {
      this.diskError = err instanceof Error ? err.message : String(err);
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async indexDisk(dir: string): Promise<void> {
    try {
      await mkdir(dir, { recursive: true });
      const names = await readdir(dir);
      const files: { name: string; size: number; mtime: number }[] = [];
      for (const name of names) {
        const path = join(dir, name);
        if (name.endsWith(TEMP_SUFFIX)) {
          await unlink(path).catch(() => undefined);
          continue;
        }
        if (!name.endsWith(FILE_SUFFIX)) continue;
        const s = await stat(path).catch(() => null);
        if (s !== null && s.isFile()) files.push({ name, size: s.size, mtime: s.mtimeMs });
      }
      files.sort((a, b) => a.mtime - b.mtime || (a.name < b.name ? -1 : 1));
      for (const f of files) {
        this.disk.set(f.name, f.size);
        this.diskTotal += f.size;
      }
      this.evictDisk();
    } catch (err) {
      this.diskError = err instanceof Error ? err.message : String(err);
    }
  }

  private async readDisk(key: string, borrowed: boolean): Promise<{ vector: Vector; fileBytes: number } | null> {
    const dir = this.opts.diskDir;
    if (dir === null) return null;
    const name = fileName(key);
    if (borrowed && !this.disk.has(name)) return this.readSibling(name);
    const size = this.disk.get(name) ?? (await this.adopt(dir, name));
    if (size === null) return null;
    this.disk.delete(name);
    this.disk.set(name, size);
    const path = join(dir, name);
    try {
      const bytes = await readFile(path);
      const { batch } = decodeBatchIpc(bytes);
      if (batch.columns.length !== 1) throw new Error(`cache file ${name} holds ${batch.columns.length} columns`);
      const now = new Date();
      this.track(utimes(path, now, now).catch(() => undefined));
      return { vector: batch.columns[0], fileBytes: bytes.byteLength };
    } catch {
      if (this.disk.get(name) !== undefined) {
        this.diskTotal -= this.disk.get(name)!;
        this.disk.delete(name);
      }
      this.track(unlink(path).catch(() => undefined));
      return null;
    }
  }

  /** Chunk file `name` read where the first of `adoptDirs` holding it keeps it (nothing moved or indexed), or null. */
  private async readSibling(name: string): Promise<{ vector: Vector; fileBytes: number } | null> {
    for (const other of this.opts.adoptDirs ?? []) {
      const bytes = await readFile(join(other, name)).catch(() => null);
      if (bytes === null) continue;
      try {
        const { batch } = decodeBatchIpc(bytes);
        if (batch.columns.length === 1) return { vector: batch.columns[0], fileBytes: bytes.byteLength };
      } catch {
        // Its owner replaces an unreadable file; here it is a miss.
      }
      return null;
    }
    return null;
  }

  /**
   * Moves chunk file `name` from the first of `adoptDirs` holding it into `dir` and indexes
   * it; its size, or null when no such directory holds it. A failed rename costs one syscall.
   */
  private async adopt(dir: string, name: string): Promise<number | null> {
    for (const other of this.opts.adoptDirs ?? []) {
      const path = join(dir, name);
      try {
        await rename(join(other, name), path);
      } catch {
        continue;
      }
      const s = await stat(path).catch(() => null);
      if (s === null) return null;
      this.disk.set(name, s.size);
      this.diskTotal += s.size;
      this.evictDisk();
      return this.disk.get(name) ?? null;
    }
    return null;
  }

  private putDisk(key: string, column: Column, vector: Vector): void {
    const dir = this.opts.diskDir;
    if (dir === null) return;
    const name = fileName(key);
    if (this.disk.has(name)) return;
    this.track(
      (async () => {
        await new Promise((resolve) => setImmediate(resolve)); // encode after the query has its batch
        const bytes = encodeBatchIpc([column], { length: vector.length, columns: [vector] });
        if (bytes.byteLength > this.diskBound()) return;
        const temp = join(dir, `${name}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
        try {
          await writeFile(temp, bytes);
          await rename(temp, join(dir, name));
        } catch (err) {
          await unlink(temp).catch(() => undefined);
          throw err;
        }
        const old = this.disk.get(name);
        if (old !== undefined) this.diskTotal -= old;
        this.disk.delete(name);
        this.disk.set(name, bytes.byteLength);
        this.diskTotal += bytes.byteLength;
        this.evictDisk();
      })(),
    );
  }

  private evictDisk(): void {
    const dir = this.opts.diskDir;
    if (dir === null) return;
    const bound = this.diskBound();
    for (const [name, size] of this.disk) {
      if (this.diskTotal <= bound) break;
      this.disk.delete(name);
      this.diskTotal -= size;
      this.track(unlink(join(dir, name)).catch(() => undefined));
    }
  }
}
