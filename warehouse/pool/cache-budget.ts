/**
 * The process-wide column-cache budget (FIRN_CACHE_MEMORY_BYTES, FIRN_CACHE_DISK_BYTES),
 * shared fairly by the worker slots of every running warehouse pool, instead of promised in
 * full to each warehouse.
 *
 * Why: with one budget per warehouse, n warehouses could hold n times the memory and disk the
 * operator allowed. Here the running slots split one budget, and the split follows the set of
 * running slots as warehouses start, resize, suspend and stop.
 *
 * Contract:
 *  - join(slots, caps) adds a participant of `slots` worker slots; each slot may use at most
 *    caps.memoryBytes / caps.diskBytes (a pool that wants less, such as the maintenance pool,
 *    caps itself). The budget is split by max-min fairness (water filling): every slot gets
 *    the same share, except that a capped slot gets its cap and what it leaves is split among
 *    the others. Shares are whole bytes and their sum never exceeds the budget.
 *  - Every change (join, resize, leave, rest) re-announces the shares at once: each participant's
 *    `buffer` (a SharedArrayBuffer its worker threads read, see readCacheShare) holds its
 *    current per-slot [memory, disk] bytes. A worker's column cache reads it on each use and
 *    evicts down to a smaller share then.
 *  - Disk caches outlive their pools (suspend, resize, restart), so a stopped pool that names
 *    its cache directory (`dir`) rests rather than leaves: it gives its memory back but keeps
 *    its slots' weight in the disk split, and its directory (every `w<i>` slot directory in it)
 *    is trimmed, least recently used chunk files first, to its share whenever that shrinks,
 *    since no worker is there to evict. A pool joining with the same `dir` takes its place; a
 *    resting pool whose directory is gone (the warehouse was dropped) is forgotten at the next
 *    change. So the disk caches of running and resting pools together stay within the budget.
 *    restDir(dir) counts a directory an earlier process left (one slot per `w<i>` in it) as a
 *    resting pool, unless a pool of that directory is known already.
 *  - Trims of one directory never overlap: a smaller share that arrives while one runs makes
 *    one more pass after it, and a share no smaller than the last one a pass reached makes
 *    none (nothing writes to a resting directory). Each pass lists and stats every chunk file
 *    on the server's event loop, and a server start (every pool joining, one by one) used to
 *    start a pass per directory per join: seconds of stat callbacks while the first
 *    statements ran.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A participant's per-slot bounds. */
export type CacheCaps = { memoryBytes: number; diskBytes: number };

const MEMORY = 0;
const DISK = 1;

/** One pool's place in the budget; `buffer` is what its workers read. */
export class CacheShare {
  readonly buffer = new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT);
  private readonly view = new BigInt64Array(this.buffer);
  /** Stopped, its disk cache kept (rest()). */
  resting = false;

  constructor(
    private readonly budget: CacheBudget,
    public slots: number,
    readonly caps: CacheCaps,
    readonly dir: string | null,
  ) {}

  /** This pool's current per-slot share. */
  get perSlot(): CacheCaps {
    return readCacheShare(this.buffer);
  }

  /** The pool now has `slots` worker slots; every share is re-announced. */
  resize(slots: number): void {
    this.slots = slots;
    this.budget.rebalance();
  }

  /** The pool stopped and its cache is gone: its whole share goes back to the others. Idempotent. */
  leave(): void {
    this.budget.remove(this);
  }

  /**
   * The pool stopped but its disk cache stays: memory goes back to the others, the disk
   * share stays counted (and trimmed as it shrinks). Without a `dir`, the same as leave().
   */
  rest(): void {
    this.budget.rest(this);
  }

  /** @internal */
  publish(memoryBytes: number, diskBytes: number): void {
    Atomics.store(this.view, MEMORY, BigInt(memoryBytes));
    Atomics.store(this.view, DISK, BigInt(diskBytes));
  }
}

export class CacheBudget {
  private readonly shares = new Set<CacheShare>();
  private readonly trims = new Set<Promise<void>>();
  /** The bound of each directory's running trim, and whether a smaller one came meanwhile. */
  private readonly trimming = new Map<string, { bytes: number; again: boolean; ranAgain: boolean }>();
  /** The bound each resting directory was last trimmed to. */
  private readonly trimmedTo = new Map<string, number>();
  /** Passes over resting directories so far (each lists and stats every chunk file). */
  trimPasses = 0;

  constructor(
    readonly memoryBytes: number,
    readonly diskBytes: number,
  ) {}

  /**
   * Adds a pool of `slots` slots, each capped by `caps`, whose disk cache is `dir` (null:
   * none that outlives it); it takes the place of a resting pool of the same `dir`. Its
   * share is announced before this returns.
   */
  join(slots: number, caps: CacheCaps = { memoryBytes: Infinity, diskBytes: Infinity }, dir: string | null = null): CacheShare {
    for (const s of this.shares) if (s.resting && dir !== null && s.dir === dir) this.shares.delete(s);
    // Running, the pool's workers fill the directory again: the bound a trim reaches says nothing then.
    if (dir !== null) {
      this.trimmedTo.delete(dir);
      const running = this.trimming.get(dir);
      if (running) running.ranAgain = true;
    }
    const share = new CacheShare(this, slots, caps, dir);
    this.shares.add(share);
    this.rebalance();
    return share;
  }

  /** Counts cache directory `dir`, left by an earlier process, as a resting pool of its `w<i>` slots (nothing if it is known or has none). */
  async restDir(dir: string): Promise<void> {
    const slots = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^w\d+$/.test(n)).length;
    if (slots === 0 || [...this.shares].some((s) => s.dir === dir)) return;
    this.join(slots, undefined, dir).rest();
  }

  /** Resolves once every trim of a resting directory started so far has finished. */
  async settled(): Promise<void> {
    while (this.trims.size > 0) await Promise.all([...this.trims]);
  }

  /** @internal */
  rest(share: CacheShare): void {
    if (!this.shares.has(share) || share.resting) return;
    const running = [...this.shares].some((s) => s !== share && !s.resting && s.dir !== null && s.dir === share.dir);
    if (share.dir === null || running) {
      this.remove(share);
      return;
    }
    share.resting = true;
    this.rebalance();
  }

  /** Worker slots of every participant. */
  get slots(): number {
    let n = 0;
    for (const s of this.shares) n += s.slots;
    return n;
  }

  /** @internal */
  remove(share: CacheShare): void {
    if (this.shares.delete(share)) this.rebalance();
  }

  /** Recomputes and announces every participant's per-slot share; trims resting directories to theirs. */
  rebalance(): void {
    for (const s of this.shares) if (s.resting && !existsSync(s.dir!)) this.shares.delete(s);
    const all = [...this.shares];
    const memory = waterFill(this.memoryBytes, all.map((s) => ({ slots: s.resting ? 0 : s.slots, cap: s.caps.memoryBytes })));
    const disk = waterFill(this.diskBytes, all.map((s) => ({ slots: s.slots, cap: s.caps.diskBytes })));
    all.forEach((s, i) => {
      s.publish(s.resting ? 0 : memory[i], disk[i]);
      if (s.resting) this.trim(s.dir!, disk[i] * s.slots);
    });
  }

  private trim(dir: string, bytes: number): void {
    const running = this.trimming.get(dir);
    if (running) {
      if (bytes < running.bytes) Object.assign(running, { bytes, again: true });
      return;
    }
    if (bytes >= (this.trimmedTo.get(dir) ?? Infinity)) return;
    const state = { bytes, again: false, ranAgain: false };
    this.trimming.set(dir, state);
    const p = (async () => {
      do {
        state.again = false;
        this.trimPasses++;
        await trimCacheDir(dir, state.bytes);
      } while (state.again);
      if (!state.ranAgain) this.trimmedTo.set(dir, state.bytes);
    })().finally(() => {
      this.trimming.delete(dir);
      this.trims.delete(p);
    });
    this.trims.add(p);
  }
}

/** Chunk files a trim stats between two turns of the event loop. */
const TRIM_STATS_PER_TURN = 128;

/**
 * Deletes the least recently used chunk files (oldest mtime first: the column cache refreshes
 * it on every hit) of every slot directory `w<i>` in `dir` until they hold at most `bytes`.
 * Best effort: never rejects. Files are listed and stat'ed synchronously, TRIM_STATS_PER_TURN
 * at a time between turns of the event loop: a synchronous stat costs the server's thread
 * 6-12 us here, a promise stat 35-60 us of its CPU.
 */
async function trimCacheDir(dir: string, bytes: number): Promise<void> {
  try {
    const files: { path: string; size: number; mtime: number }[] = [];
    const slots = readdirSync(dir).filter((n) => /^w\d+$/.test(n));
    let since = 0;
    for (const slot of slots) {
      let names: string[];
      try {
        names = readdirSync(join(dir, slot));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!name.endsWith('.arrow')) continue;
        if (++since % TRIM_STATS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
        const s = statSync(join(dir, slot, name), { throwIfNoEntry: false });
        if (s?.isFile()) files.push({ path: join(dir, slot, name), size: s.size, mtime: s.mtimeMs });
      }
    }
    let total = files.reduce((n, f) => n + f.size, 0);
    files.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : 1));
    for (const f of files) {
      if (total <= bytes) break;
      await unlink(f.path).catch(() => undefined);
      total -= f.size;
    }
  } catch {
    // A directory that cannot be listed now is trimmed at the next change.
  }
}

/** A participant's per-slot [memory, disk] bytes, as a worker thread reads them from its pool's buffer. */
export function readCacheShare(buffer: SharedArrayBuffer): CacheCaps {
  const view = new BigInt64Array(buffer);
  return { memoryBytes: Number(Atomics.load(view, MEMORY)), diskBytes: Number(Atomics.load(view, DISK)) };
}

/**
 * Max-min fair per-slot amounts of `total` for groups of `slots` slots capped at `cap` each:
 * groups whose cap is below the level get their cap, the rest share what remains equally.
 */
function waterFill(total: number, groups: { slots: number; cap: number }[]): number[] {
  const out = groups.map(() => 0);
  let left = Math.max(0, total);
  let open = groups.map((g, i) => ({ ...g, i })).filter((g) => g.slots > 0);
  while (open.length > 0) {
    const slots = open.reduce((n, g) => n + g.slots, 0);
    const level = Math.floor(left / slots);
    const capped = open.filter((g) => g.cap <= level);
    if (capped.length === 0) {
      for (const g of open) out[g.i] = level;
      break;
    }
    for (const g of capped) {
      out[g.i] = Math.floor(g.cap);
      left -= out[g.i] * g.slots;
    }
    open = open.filter((g) => g.cap > level);
  }
  return out;
}
