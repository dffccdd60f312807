/**
 * A session's explicit transaction, as Snowflake's: BEGIN [TRANSACTION] / START TRANSACTION opens
 * one, COMMIT makes its statements' writes visible at once, ROLLBACK discards them. The caller
 * owns this object and passes it with each StatementRequest (`transaction`): the SQL API v2 makes
 * one per request (the engine does when none is given: a request is the session), a driver
 * session keeps one across its requests and calls `close()` when the session ends. `session`
 * names the session in SHOW TRANSACTIONS (open-transactions.ts).
 *
 * Contract (Snowflake's rules):
 * - BEGIN while a transaction is open is ignored; COMMIT and ROLLBACK without one do nothing.
 *   BEGIN's NAME (else a generated UUID) is the transaction's name in SHOW TRANSACTIONS.
 * - While one is open, DML (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY INTO) is deferred and
 *   read back by the session's own statements (transaction-writes.ts); `env(engineEnv)` is the
 *   environment they run in.
 * - A DDL statement commits the open transaction first and then runs on its own; the session is
 *   back in autocommit afterwards (the engine calls `commit()`: firn-engine.ts).
 * - `close()` (the session or request ended) rolls an open transaction back and drops the
 *   session's temporary tables and views (temporary-objects.ts), which this object lists.
 * - Each transaction has an id (`id`, a decimal string like Snowflake's transaction ids);
 *   `lastEnded` says which one ended last and how: committed, or rolled back (a COMMIT refused
 *   for a conflict rolls back).
 */
import { randomUUID } from 'node:crypto';
import type { EngineEnv } from './engine-env.js';
import { TransactionWrites } from './transaction-writes.js';
import { temporaryScope, type TemporaryObjects } from './temporary-objects.js';

export type TransactionOutcome = 'committed' | 'rolled_back';

let lastId = 0n;

/** A new transaction id: epoch nanoseconds, strictly increasing within the process. */
function nextTransactionId(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  lastId = now > lastId ? now : lastId + 1n;
  return lastId.toString();
}

export class SessionTransaction {
  private open: { id: string; writes: TransactionWrites; env: EngineEnv; unlist: () => void } | null = null;
  private ended: { id: string; outcome: TransactionOutcome } | null = null;
  /** The session's temporary tables and views (temporary-objects.ts), by key, each with what drops it. */
  private readonly temporaries = { TABLE: new Map<string, { stored: string; drop: () => void }>(), VIEW: new Map<string, { stored: string; drop: () => void }>() };
  /** The scope of the session's temporary objects' stored names. */
  readonly scope: string;

  /** `session`: the session's id as SHOW TRANSACTIONS shows it. */
  constructor(private readonly session: string) {
    this.scope = temporaryScope(session);
  }

  /** The session's temporary objects, as each statement's SessionContext carries them. */
  temporary(): TemporaryObjects {
    const names = (m: Map<string, { stored: string }>) => new Map([...m].map(([k, v]) => [k, v.stored]));
    return { scope: this.scope, tables: names(this.temporaries.TABLE), views: names(this.temporaries.VIEW) };
  }

  /** A temporary object the session created (or replaced), and what drops it when the session ends. */
  addTemporary(kind: 'TABLE' | 'VIEW', key: string, stored: string, drop: () => void): void {
    this.temporaries[kind].set(key, { stored, drop });
  }

  /** A temporary object the session dropped itself. */
  forgetTemporary(kind: 'TABLE' | 'VIEW', key: string): void {
    this.temporaries[kind].delete(key);
  }

  /** The open transaction's id, or null in autocommit. */
  get id(): string | null {
    return this.open?.id ?? null;
  }

  /** Whether the open transaction has written anything (its reads then bypass the result cache). */
  get hasWrites(): boolean {
    return this.open?.writes.hasWrites ?? false;
  }

  /** The environment the session's statements run in: the open transaction's, else `env` itself. */
  env(env: EngineEnv): EngineEnv {
    return this.open?.env ?? env;
  }

  /** BEGIN: opens a transaction of `user` over `env` (the engine's); false when one is open already (ignored). */
  begin(env: EngineEnv, opts: { user: string; name: string | null }): boolean {
    if (this.open) return false;
    const id = nextTransactionId();
    const unlist = env.transactions.add({ id, user: opts.user, session: this.session, name: opts.name ?? randomUUID(), startedAt: new Date() });
    const writes = new TransactionWrites(env);
    // One environment for the whole transaction: its INSERTs group-commit only with each other
    // (run-write.ts keys group commits by environment), and COMMIT tells the compactor.
    this.open = { id, writes, env: { ...env, catalog: writes.catalog, compactor: undefined }, unlist };
    return true;
  }

  /** COMMIT (see transaction-writes.ts); the transaction is over whatever happens. */
  async commit(): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.open = null;
    open.unlist();
    try {
      await open.writes.commit(open.id);
      this.ended = { id: open.id, outcome: 'committed' };
    } catch (err) {
      this.ended = { id: open.id, outcome: 'rolled_back' };
      throw err;
    }
  }

  /** ROLLBACK: every write of the open transaction is discarded. */
  async rollback(): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.open = null;
    open.unlist();
    this.ended = { id: open.id, outcome: 'rolled_back' };
    await open.writes.discard();
  }

  /** The session (or request) ended: an open transaction is rolled back, its temporary objects dropped. */
  async close(): Promise<void> {
    try {
      await this.rollback();
    } finally {
      for (const kind of ['VIEW', 'TABLE'] as const) {
        for (const { drop } of this.temporaries[kind].values()) {
          try {
            drop();
          } catch (err) {
            // Left for the next start's cleanup (dropStaleTemporaries); the session ends regardless.
            process.stderr.write(`firn: could not drop a temporary ${kind.toLowerCase()}: ${(err as Error).message}\n`);
          }
        }
        this.temporaries[kind].clear();
      }
    }
  }

  /** The transaction that ended last, and how (null: none has). */
  get lastEnded(): { id: string; outcome: TransactionOutcome } | null {
    return this.ended;
  }
}
