/**
 * What the HTTP API, the driver protocol and the CLI's engine ask of the engine: one request of
 * SQL text (one or several statements) with its session state, and the runner that answers it
 * with a StatementResult (statement-result.ts). Kept apart from the result types so that the
 * binder, which reads SessionContext, does not depend on the engine's transactions.
 */
import type { Identity } from '../access/identity.js';
import type { SessionParameters } from './session-parameters.js';

/** A request's starting session parameters (any of them) and its MULTI_STATEMENT_COUNT. */
export type RequestParameters = Partial<SessionParameters> & { multiStatementCount?: number };
import type { SessionTransaction } from './session-transaction.js';
import type { SessionContext, StatementResult } from './statement-result.js';

/**
 * `timeout`: seconds (0, absent: none); `signal`: fires when the client no longer waits for
 * the answer (the request is then canceled, as a timeout is: services/session/deadline.ts);
 * `parameters`: the session parameters the request starts with (session-parameters.ts), and
 * `multiStatementCount`, Snowflake's MULTI_STATEMENT_COUNT: how many statements the request
 * must hold (0: any number; absent: 1, Snowflake's default), else 000008 and nothing runs;
 * `transaction`: the session's explicit transaction (session-transaction.ts), kept by a caller
 * whose session spans requests (the driver protocol); absent, the request is the session: the
 * engine makes one and rolls it back if the request ends with it open.
 */
export type StatementRequest = {
  sql: string;
  context: SessionContext;
  /** The authenticated caller (services/access/identity.ts). */
  identity: Identity;
  queryId: string;
  timeout?: number | null;
  signal?: AbortSignal | null;
  parameters?: RequestParameters;
  /**
   * A session's own parameters, which ALTER SESSION changes in place: a driver session passes
   * the same object with each of its requests, so a setting lasts for the session. Absent: the
   * request is the session (SQL API v2), its parameters start from `parameters`.
   */
  sessionParameters?: SessionParameters;
  /**
   * A multi-statement request: called with each statement's result (its rows collected) as
   * soon as it ran, before the next one starts, so its handle answers even when a later
   * statement fails (the statement store records it: services/statements/start-statement.ts).
   */
  onStatementDone?: (result: StatementResult) => void | Promise<void>;
  /** The session's transaction (session-transaction.ts); absent: the request is its own session. */
  transaction?: SessionTransaction;
};

/** The engine behind the HTTP API and the CLI. */
export interface StatementRunner {
  execute(request: StatementRequest): Promise<StatementResult>;
}
