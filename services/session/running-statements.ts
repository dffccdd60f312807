/**
 * The tables running statements read, and at which version: what garbage collection must
 * not take away from under them. A statement opens a registration when it starts, records
 * each table version it binds (a scan of the current version, or of an older one through
 * time travel), and ends the registration once it is done (its rows read, or failed). The
 * engine's catalog (`recordingCatalog`) records every livePartitions call into the
 * registration of the statement it runs for, found through the async context the engine runs
 * the statement in (`within`), so the engine environment stays one object for all statements.
 *
 * Contract: `readVersions()` lists, per table, every version running statements read (GC keeps
 * their objects even when the table was dropped past its retention meanwhile: collect-garbage.ts).
 * `protect(versionTime)` gives, per table some running statement reads, the
 * commit time (ms) of the oldest version read minus 1 ms, the `protect` argument of
 * catalog.gcMark: a partition row stays reachable when the version that removed it committed
 * after that time, so every partition of the read version does, even one removed by a
 * version committed in the same millisecond. Versions are kept as numbers and their commit
 * times looked up only when GC asks (`versionTime`), so binding costs no catalog query; a
 * version the catalog no longer knows protects with 0, which never lowers a table's floor.
 * Everything is synchronous on the services event loop: GC's mark and a statement's binding
 * never interleave.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Catalog } from '../catalog/catalog.js';

/** One statement's registration. */
export type StatementReads = {
  /** Records that the statement reads `tableId` at `version`. */
  read(tableId: number, version: number): void;
  /** The statement is done: it protects nothing any more. Idempotent. */
  end(): void;
};

export class RunningStatements {
  /** Per running statement (by registration), the versions read of each table. */
  private readonly running = new Map<object, Map<number, Set<number>>>();
  /** The registration of the statement the current async context runs for. */
  private readonly context = new AsyncLocalStorage<StatementReads>();

  /** Runs `fn` (and everything it starts) as `reads`' statement. */
  within<T>(reads: StatementReads, fn: () => T): T {
    return this.context.run(reads, fn);
  }

  /** The registration of the statement running in this async context, if any. */
  current(): StatementReads | undefined {
    return this.context.getStore();
  }

  /** Opens a registration for one statement. */
  begin(): StatementReads {
    const key = {};
    const reads = new Map<number, Set<number>>();
    this.running.set(key, reads);
    return {
      read: (tableId, version) => {
        let versions = reads.get(tableId);
        if (versions === undefined) reads.set(tableId, (versions = new Set()));
        versions.add(version);
      },
      end: () => {
        this.running.delete(key);
      },
    };
  }

  /** How many statements are registered (for tests and diagnostics). */
  get size(): number {
    return this.running.size;
  }

  /** Per table, every version some running statement reads. */
  readVersions(): Map<number, Set<number>> {
    const out = new Map<number, Set<number>>();
    for (const reads of this.running.values()) {
      for (const [tableId, versions] of reads) {
        let all = out.get(tableId);
        if (all === undefined) out.set(tableId, (all = new Set()));
        for (const v of versions) all.add(v);
      }
    }
    return out;
  }

  /** Per table, the oldest version any running statement reads. */
  oldestVersions(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [tableId, versions] of this.readVersions()) out.set(tableId, Math.min(...versions));
    return out;
  }

  /** gcMark's `protect`: per table read, the commit time of its oldest version read, minus 1 ms. */
  protect(versionTime: (tableId: number, version: number) => number | null): Map<number, number> {
    const out = new Map<number, number>();
    for (const [tableId, version] of this.oldestVersions()) {
      const at = versionTime(tableId, version);
      out.set(tableId, at === null ? 0 : at - 1);
    }
    return out;
  }
}

/** `versionTime` over the catalog: the commit time of a table version, null if the catalog no longer has it. */
export function catalogVersionTime(catalog: Catalog): (tableId: number, version: number) => number | null {
  return (tableId, version) => {
    const table = catalog.getTableById(tableId);
    if (table === null) return null;
    const v = catalog.tableVersions(tableId).find((x) => x.version === version);
    return v === undefined ? null : v.committedAt.getTime();
  };
}

/**
 * The catalog statements use: the same catalog, whose livePartitions (what every scan binds:
 * bind-query.ts, bind-dml.ts) also records the version read in the registration of the
 * statement running (`running.current()`); outside any statement it records nothing. A call
 * without a version reads the current one, recorded as such.
 */
export function recordingCatalog(catalog: Catalog, running: RunningStatements): Catalog {
  const livePartitions: Catalog['livePartitions'] = (tableId, version) => {
    const reads = running.current();
    if (reads !== undefined) {
      const v = version ?? catalog.getTableById(tableId)?.currentVersion;
      if (v !== undefined) reads.read(tableId, v);
    }
    return catalog.livePartitions(tableId, version);
  };
  return new Proxy(catalog, {
    get(target, prop) {
      if (prop === 'livePartitions') return livePartitions;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
