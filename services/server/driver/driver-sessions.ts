/**
 * What a snowflake-sdk session keeps between its requests: the role, database, schema and
 * warehouse its statements left it in (USE …), its session parameters (ALTER SESSION) and its
 * variables (SET), so `USE SCHEMA s` or `SET x = 1` in one execute() applies to the next, as in
 * Snowflake.
 *
 * Contract: `of(principal)` answers the state of the principal's login session (by
 * Principal.sessionId), created from the session's role and context at its first request; a
 * principal without a session (a bearer token used on the driver protocol) gets a fresh state
 * each time, so nothing carries over. `update` records a statement's resulting context, role
 * and variables and its statements' ids (LAST_QUERY_ID). A login session's state holds its transaction
 * (BEGIN … COMMIT across requests), rolled back when the state is dropped. `close` forgets a session (logout). At most `maxSessions` states are kept (the least
 * recently used dropped first) and a state unused for `idleMs` (the session's idle timeout, past
 * which its token no longer works anyway) is dropped at the next `of`.
 */
import type { Principal } from '../../access/authenticator.js';
import { MAX_SESSIONS } from '../../access/session-store.js';
import { DEFAULT_SESSION_PARAMETERS, type SessionParameters } from '../../session/session-parameters.js';
import type { SessionContext, SessionHistory, SessionVariables } from '../../session/statement-result.js';
import { SessionTransaction } from '../../session/session-transaction.js';

export type DriverSession = {
  /** The role statements run as (null: the credentials' role). */
  role: string | null;
  database: string | null;
  schema: string | null;
  warehouse: string | null;
  /** Changed in place by ALTER SESSION (StatementRequest.sessionParameters). */
  parameters: SessionParameters;
  /** The session's statements so far, for LAST_QUERY_ID (SessionContext.history). */
  history?: SessionHistory;
  /** The session's variables (SET / UNSET: SessionContext.variables). */
  variables?: SessionVariables;
  /**
   * The login session's transaction (BEGIN in one request, COMMIT in a later one); absent for
   * a principal without a session, whose every request is its own session.
   */
  transaction?: SessionTransaction;
  lastUsedAt: number;
};

export class DriverSessions {
  private readonly byId = new Map<number, DriverSession>();

  constructor(
    private readonly idleMs: number,
    private readonly maxSessions: number = MAX_SESSIONS,
    private readonly clock: () => number = Date.now,
  ) {}

  of(principal: Principal): DriverSession {
    const now = this.clock();
    const id = principal.sessionId;
    if (id === undefined) return fresh(principal, now);
    const known = this.byId.get(id);
    if (known) {
      this.byId.delete(id);
      this.byId.set(id, known);
      known.lastUsedAt = now;
      return known;
    }
    for (const [key, s] of this.byId) if (now - s.lastUsedAt >= this.idleMs) void this.drop(key);
    while (this.byId.size >= this.maxSessions) void this.drop(this.byId.keys().next().value as number);
    const state = { ...fresh(principal, now), transaction: new SessionTransaction(String(id)) };
    this.byId.set(id, state);
    return state;
  }

  update(state: DriverSession, context: SessionContext): void {
    state.database = context.database;
    state.schema = context.schema;
    state.warehouse = context.warehouse;
    if (context.role !== undefined) state.role = context.role;
    if (context.history !== undefined) state.history = context.history;
    if (context.variables !== undefined) state.variables = context.variables;
  }

  /** Logout: resolves once the session's transaction is rolled back and its temporary objects are dropped. */
  async close(sessionId: number | undefined): Promise<void> {
    if (sessionId !== undefined) await this.drop(sessionId);
  }

  /** Forgets a session, rolling back its open transaction (its objects deleted, nothing left for GC) and dropping its temporary objects. */
  private drop(sessionId: number): Promise<void> {
    const closing = (this.byId.get(sessionId)?.transaction?.close() ?? Promise.resolve()).catch((err: unknown) => {
      process.stderr.write(`firn: closing a session failed: ${err instanceof Error ? err.message : String(err)}\n`);
    });
    this.byId.delete(sessionId);
    return closing;
  }

  get size(): number {
    return this.byId.size;
  }
}

function fresh(principal: Principal, now: number): DriverSession {
  return { role: principal.role, ...principal.context, parameters: { ...DEFAULT_SESSION_PARAMETERS }, lastUsedAt: now };
}
