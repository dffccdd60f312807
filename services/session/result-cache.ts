/**
 * The result cache: Snowflake's persisted query results. A query repeated while nothing it
 * reads has changed is answered with the rows it answered before, without a warehouse (not
 * even a suspended one is resumed) and without running anything.
 *
 * Contract:
 * - The key (`ResultCacheKey`) is the statement's normalized text (its parsed form serialized:
 *   whitespace, comments and the case of keywords and unquoted names do not matter; a table
 *   alias or any other change of the statement does), the session's current database and
 *   schema (they resolve the names) and its current role. An entry also holds the versions of
 *   every table the statement read (`TableVersions`, time travel reads with the version they
 *   resolved to).
 * - A role is served only its own entries, and only after its SELECT on every table of
 *   `TableVersions` is checked again (services/access/access-check.ts `requireReadable`), so a
 *   role whose grant was revoked since gets no answer from the cache either.
 * - `lookup(key, versions)` answers the entry only when it is younger than RESULT_TTL_MS and
 *   was computed over exactly `versions` (the versions the new statement just bound: a table
 *   with a new version, dropped or replaced, gives other versions). A stale or expired entry
 *   is removed on lookup; `store` also drops expired entries (once a minute at most).
 * - `store` keeps a result of at most `maxResultBytes` (its batches' bytes: vector-bytes.ts);
 *   a larger one is not cached. All entries together stay within `maxBytes`, the least
 *   recently used evicted first (FIRN_RESULT_CACHE_BYTES and
 *   FIRN_RESULT_CACHE_MAX_RESULT_BYTES: config.ts; 0 bytes keeps nothing). `recording` wraps
 *   a running query's batches and stores them once read to the end and the query succeeded
 *   (a failed or abandoned one is not cached).
 * - Which statements may be cached at all is result-cacheable.ts.
 * Cached batches are immutable (vectors are, once built: storage/types/vector.ts), so one
 * entry answers any number of statements.
 */
import { createHash } from 'node:crypto';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';

/** Snowflake purges a persisted result 24 hours after it was computed. */
export const RESULT_TTL_MS = 24 * 60 * 60 * 1000;

/** How often `store` looks for expired entries among all of them. */
const SWEEP_EVERY_MS = 60_000;

export type ResultCacheKey = { text: string; role: string | null; database: string | null; schema: string | null };

/** Per table id, the versions of it the statement read. */
export type TableVersions = ReadonlyMap<number, ReadonlySet<number>>;

export type CachedResult = { columns: Column[]; batches: Batch[]; rows: number; bytes: number };

export type ResultCacheOptions = {
  maxBytes: number;
  maxResultBytes: number;
  /** The clock entries age by (ms); Date.now by default. */
  now?: () => number;
};

type Entry = { result: CachedResult; versions: string; storedAt: number };

export class ResultCache {
  /** In least recently used order: Map iteration follows insertion, and a hit re-inserts. */
  private readonly entries = new Map<string, Entry>();
  private held = 0;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(private readonly opts: ResultCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.lastSweep = this.now();
  }

  /** Bytes the cached results hold. */
  get bytes(): number {
    return this.held;
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  lookup(key: ResultCacheKey, versions: TableVersions): CachedResult | null {
    const id = keyId(key);
    const entry = this.entries.get(id);
    if (entry === undefined) return null;
    if (this.now() - entry.storedAt >= RESULT_TTL_MS || entry.versions !== versionsText(versions)) {
      this.remove(id, entry);
      return null;
    }
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.result;
  }

  /** Caches a query's whole result; false when it is larger than `maxResultBytes` (not cached). */
  store(key: ResultCacheKey, versions: TableVersions, columns: Column[], batches: Batch[]): boolean {
    const seen = new Set<readonly string[]>();
    let bytes = 0;
    let rows = 0;
    for (const b of batches) {
      bytes += batchBytes(b, seen);
      rows += b.length;
    }
    if (bytes > this.opts.maxResultBytes || bytes > this.opts.maxBytes) return false;
    this.sweep();
    const id = keyId(key);
    const old = this.entries.get(id);
    if (old !== undefined) this.remove(id, old);
    this.entries.set(id, { result: { columns, batches, rows, bytes }, versions: versionsText(versions), storedAt: this.now() });
    this.held += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.opts.maxBytes) break;
      this.remove(oldest, entry);
    }
    return true;
  }

  /**
   * `batches` as they come, kept on the side until they pass `maxResultBytes` (or
   * `maxBytes`); once read to the end and `done` resolved (the query succeeded), the result
   * is stored.
   */
  async *recording(key: ResultCacheKey, versions: TableVersions, columns: Column[], batches: AsyncIterable<Batch>, done: Promise<unknown>): AsyncGenerator<Batch> {
    const limit = Math.min(this.opts.maxResultBytes, this.opts.maxBytes);
    let kept: Batch[] | null = [];
    const seen = new Set<readonly string[]>();
    let bytes = 0;
    for await (const batch of batches) {
      if (kept !== null) {
        bytes += batchBytes(batch, seen);
        if (bytes > limit) kept = null;
        else kept.push(batch);
      }
      yield batch;
    }
    const ok = await done.then(
      () => true,
      () => false,
    );
    if (ok && kept !== null) this.store(key, versions, columns, kept);
  }

  /** Drops every expired entry, at most once per SWEEP_EVERY_MS (an entry never asked for again also goes). */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, entry] of this.entries) if (now - entry.storedAt >= RESULT_TTL_MS) this.remove(id, entry);
  }

  private remove(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.held -= entry.result.bytes;
  }
}

/** The key as one fixed-size string (the text may be long). */
function keyId(key: ResultCacheKey): string {
  return createHash('sha256').update(JSON.stringify([key.text, key.role, key.database, key.schema])).digest('base64');
}

/** Versions in a canonical order: "table@version,...". */
function versionsText(versions: TableVersions): string {
  const parts: string[] = [];
  for (const [table, vs] of versions) for (const v of vs) parts.push(`${table}@${v}`);
  return parts.sort().join(',');
}
