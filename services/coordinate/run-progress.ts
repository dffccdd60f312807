/**
 * Live progress of a statement's runs, for whoever polls a statement while it runs (the SQL
 * API's 202 `stats`: services/statements/statement-store.ts). The caller that starts a
 * statement runs it `withRunProgress(counters, …)`; every stage plan run started in that async
 * context (its Coordinator, at construction) adds to the counters as it goes: partitions as
 * each scan stage is dispatched (after pruning), bytes scanned as each stage's tasks finish;
 * a COPY INTO (run-copy.ts) counts its files to load, each file once all its load tasks
 * finished, and the rows they loaded.
 *
 * Contract: the counters only grow; they are the sums over every run of the statement (init
 * plans, DML rewrites) and reach the statement's final stats' values when it ends. Outside
 * `withRunProgress` nothing is counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type RunProgress = { partitionsTotal: number; partitionsScanned: number; bytesScanned: number; filesTotal: number; filesDone: number; rowsLoaded: number };

const current = new AsyncLocalStorage<RunProgress>();

export function newRunProgress(): RunProgress {
  return { partitionsTotal: 0, partitionsScanned: 0, bytesScanned: 0, filesTotal: 0, filesDone: 0, rowsLoaded: 0 };
}

/** Runs `fn` (and everything it starts) counting into `progress`. */
export function withRunProgress<T>(progress: RunProgress, fn: () => T): T {
  return current.run(progress, fn);
}

/** The counters of the statement this async context runs for, if any. */
export function currentRunProgress(): RunProgress | undefined {
  return current.getStore();
}
