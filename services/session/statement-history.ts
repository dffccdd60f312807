/**
 * The engine's memory of the statements it ran: query id (the statementHandle) -> the epoch ms
 * the statement started (and, once it has, finished). AT | BEFORE (STATEMENT => id) consults it, through the catalog's
 * StatementStartLookup hook, for an id that committed no table version (a SELECT, a DDL, a
 * write to another table): such an id reads the table as of the statement's start.
 *
 * Contract: bounded (the oldest ids are forgotten first once `capacity` is reached) and in
 * memory only, so ids of statements that changed no table are forgotten at restart (the ids
 * of commits live in the catalog's version log). Recording an id again keeps its first start.
 * The end serves a schema or database CLONE AT(STATEMENT => id), which takes a time: AT a
 * statement that committed is after its commit, i.e. its end.
 */
import type { StatementStartLookup } from '../catalog/catalog.js';
import type { TimeTravelClock } from '../plan/bind-context.js';

/** How many statements the history keeps by default: a few MB at most. */
export const DEFAULT_STATEMENT_HISTORY = 100_000;

export class StatementHistory {
  /** Insertion order is start order: the first key is the oldest. */
  private readonly starts = new Map<string, number>();
  /** The end of each recorded statement that finished (its keys are a subset of `starts`'). */
  private readonly ends = new Map<string, number>();

  constructor(private readonly capacity = DEFAULT_STATEMENT_HISTORY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`statement history capacity must be a positive integer, got ${capacity}`);
  }

  /** Records that `queryId` started at `startMs`; returns the start recorded for it. */
  record(queryId: string, startMs: number): number {
    const known = this.starts.get(queryId);
    if (known !== undefined) return known;
    if (this.starts.size >= this.capacity) {
      const oldest = this.starts.keys().next().value!;
      this.starts.delete(oldest);
      this.ends.delete(oldest);
    }
    this.starts.set(queryId, startMs);
    return startMs;
  }

  /** The start of `queryId` in epoch ms, null if unknown (never run here, or forgotten). */
  startOf(queryId: string): number | null {
    return this.starts.get(queryId) ?? null;
  }

  /** Records that `queryId` (recorded before) finished at `endMs`. */
  finish(queryId: string, endMs: number): void {
    if (this.starts.has(queryId)) this.ends.set(queryId, endMs);
  }

  /** When `queryId` finished in epoch ms, null if it is unknown or has not finished. */
  endOf(queryId: string): number | null {
    return this.ends.get(queryId) ?? null;
  }

  /** startOf as the catalog's hook. */
  readonly lookup: StatementStartLookup = (queryId) => this.startOf(queryId);

  /**
   * The time-travel clock of statement `queryId` (BindContext.travel): its recorded start (now
   * for a statement never recorded, e.g. EXPLAIN), this history, and the default retention.
   */
  clock(queryId: string | null, defaultRetentionDays: number): TimeTravelClock {
    const startMs = (queryId === null ? null : this.startOf(queryId)) ?? Date.now();
    return { startMs, statementStart: this.lookup, statementEnd: (id) => this.endOf(id), defaultRetentionDays };
  }

  get size(): number {
    return this.starts.size;
  }
}
