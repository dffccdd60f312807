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
 *  - Every change (join, resize, leave) re-announces the shares at once: each participant's
 *    `buffer` (a SharedArrayBuffer its worker threads read, see readCacheShare) holds its
 *    current per-slot [memory, disk] bytes. A worker's column cache reads it on each use and
 *    evicts down to a smaller share then.
 */

/** A participant's per-slot bounds. */
export type CacheCaps = { memoryBytes: number; diskBytes: number };

const MEMORY = 0;
const DISK = 1;

/** One pool's place in the budget; `buffer` is what its workers read. */
export class CacheShare {
  readonly buffer = new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT);
  private readonly view = new BigInt64Array(this.buffer);

  constructor(
    private readonly budget: CacheBudget,
    public slots: number,
    readonly caps: CacheCaps,
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

  /** The pool stopped: its share goes back to the others. Idempotent. */
  leave(): void {
    this.budget.remove(this);
  }

  /** @internal */
  publish(memoryBytes: number, diskBytes: number): void {
    Atomics.store(this.view, MEMORY, BigInt(memoryBytes));
    Atomics.store(this.view, DISK, BigInt(diskBytes));
  }
}

export class CacheBudget {
  private readonly shares = new Set<CacheShare>();

  constructor(
    readonly memoryBytes: number,
    readonly diskBytes: number,
  ) {}

  /** Adds a pool of `slots` slots, each capped by `caps`; its share is announced before this returns. */
  join(slots: number, caps: CacheCaps = { memoryBytes: Infinity, diskBytes: Infinity }): CacheShare {
    const share = new CacheShare(this, slots, caps);
    this.shares.add(share);
    this.rebalance();
    return share;
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

  /** Recomputes and announces every participant's per-slot share. */
  rebalance(): void {
    const all = [...this.shares];
    const memory = waterFill(this.memoryBytes, all.map((s) => ({ slots: s.slots, cap: s.caps.memoryBytes })));
    const disk = waterFill(this.diskBytes, all.map((s) => ({ slots: s.slots, cap: s.caps.diskBytes })));
    all.forEach((s, i) => s.publish(memory[i], disk[i]));
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
