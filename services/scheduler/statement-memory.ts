/**
 * The query memory of the statements running at once in this process. Each statement's
 * operators and exchange buffers stay within its budget and spill past it (exchange-ledger.ts,
 * task-memory.ts); without a bound on the sum, eight statements on each of several clusters,
 * each given FIRN_QUERY_MEMORY_BYTES (a quarter of RAM by default), could together ask for
 * several times the machine's memory and get the server killed.
 *
 * So a statement is granted its budget when it is admitted, out of a process-wide total
 * (FIRN_TOTAL_QUERY_MEMORY_BYTES, by default half of RAM and at least twice the
 * per-statement budget): half of what is still free, at most FIRN_QUERY_MEMORY_BYTES and at
 * least MIN_STATEMENT_MEMORY_BYTES (or the per-statement budget when that is smaller). A
 * statement alone gets the whole per-statement budget; each one admitted while others run
 * gets less and spills sooner, as a Snowflake warehouse shares its memory among the queries
 * it runs at once. The grant is fixed for the statement's life and comes back at its end.
 *
 * Contract: `grant(id)` answers the same number for every call with that id until
 * `release(id)`; the grants outstanding never sum to more than the total plus
 * MIN_STATEMENT_MEMORY_BYTES per statement admitted past it.
 */

/** The least a statement is granted, whatever runs beside it. */
export const MIN_STATEMENT_MEMORY_BYTES = 64 * 2 ** 20;

export class StatementMemory {
  private readonly grants = new Map<string, number>();
  private granted = 0;

  constructor(
    /** FIRN_TOTAL_QUERY_MEMORY_BYTES. */
    readonly totalBytes: number,
    /** FIRN_QUERY_MEMORY_BYTES. */
    readonly perStatementBytes: number,
  ) {}

  /** Bytes granted to statements now. */
  get grantedBytes(): number {
    return this.granted;
  }

  /** Statement `id`'s budget: decided at its first call, the same until `release(id)`. */
  grant(id: string): number {
    const held = this.grants.get(id);
    if (held !== undefined) return held;
    const floor = Math.min(this.perStatementBytes, MIN_STATEMENT_MEMORY_BYTES);
    const half = Math.floor(Math.max(0, this.totalBytes - this.granted) / 2);
    const bytes = Math.max(floor, Math.min(this.perStatementBytes, half));
    this.grants.set(id, bytes);
    this.granted += bytes;
    return bytes;
  }

  /** What statement `id` holds now (0 when it was granted nothing). */
  grantOf(id: string): number {
    return this.grants.get(id) ?? 0;
  }

  /** Statement `id` ended: its budget goes back (no-op when it holds none). */
  release(id: string): void {
    const bytes = this.grants.get(id);
    if (bytes === undefined) return;
    this.grants.delete(id);
    this.granted -= bytes;
  }
}
