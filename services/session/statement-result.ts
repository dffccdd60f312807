/**
 * What executing one SQL statement produces, independent of how it is sent to a client
 * (JSON rowset over HTTP, CLI table, EXPLAIN text).
 *
 * Contract: a query's rows come as `stream`, batches in order as the warehouse computes them
 * (`batch` is then empty): read it to its end, and only then are `stats` complete (the engine
 * fills them in place) and the statement over (its deadline closed, its tasks done); stopping
 * early (`return()` on the iterator) cancels the statement's remaining work. Other answers
 * (DDL, status rows, EXPLAIN, a collected stream) hold every row in `batch`. Columns line up
 * with `columns`. `context` is the session's database/schema/warehouse after the statement
 * (USE changes it).
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { OperatorProfile } from '../../warehouse/fragment/stage-plan.js';
import type { RolePrivileges } from '../access/role-privileges.js';
import type { TemporaryObjects } from './temporary-objects.js';
import type { ExprSettings } from '../../warehouse/fragment/expr-settings.js';

export type QueryStats = {
  partitionsTotal: number;
  partitionsScanned: number;
  bytesScanned: number;
  /**
   * Hits / lookups over every partition column chunk the statement's tasks read (scans and
   * DML rewrites): one lookup per distinct column per partition read, a hit when the worker's
   * column cache served it from memory or its local disk, a miss when it was fetched from the
   * object store and decoded (column-cache.ts). 0 when nothing was read.
   */
  cacheHitRatio: number;
  elapsedMs: number;
  warehouse: string | null;
  /** Joins whose build side was too large to broadcast, run partitioned by key across the workers. */
  partitionedJoins: number;
  /** Bytes the statement's operators wrote to spill files. */
  bytesSpilled: number;
  /** Per operator of every task: rows in/out, time, bytes out, bytes spilled (the query profile). */
  profile: OperatorProfile[];
  /** Micro-partitions the statement's commit added to and removed from its table (0 for reads). */
  partitionsAdded: number;
  partitionsRemoved: number;
  /** Milliseconds the statement waited in its warehouse's queue before it ran (QUERY_HISTORY's queued_overload_time). */
  queuedMs: number;
  /** The warehouse cluster (1-based) and the size the statement ran on; null when it used no warehouse. */
  cluster: number | null;
  warehouseSize: string | null;
  /** The answer came from the result cache: nothing ran. */
  fromResultCache: boolean;
  /**
   * The memory budget the statement's operators and exchange buffers were granted, out of the
   * process's query memory shared by the statements running at once (statement-memory.ts); past
   * it they spill. 0 when it used no warehouse.
   */
  memoryBytes: number;
};

/**
 * A statement's session state. `user` and `role` are set by the engine from the request's
 * Identity (services/access/identity.ts); USE ROLE changes `role`. Absent only in contexts
 * built by clients and unit tests before they reach the engine. `privileges` are the role's,
 * computed by the engine once per statement (services/access/role-privileges.ts); never sent to
 * a client.
 */
export type SessionContext = {
  database: string | null;
  schema: string | null;
  warehouse: string | null;
  user?: string;
  role?: string;
  privileges?: RolePrivileges;
  /**
   * The statements the session ran before this one (LAST_QUERY_ID: session-functions.ts). The
   * engine appends each statement's id to the context it answers with, so a caller that keeps
   * the context between requests (a driver session) keeps the history; a SQL API v2 request
   * starts without one. Never sent to a client.
   */
  history?: SessionHistory;
  /**
   * The earlier results the statement's RESULT_SCAN calls read, fetched by the engine before it
   * binds the statement (services/session/result-scans.ts), by query id. Never sent to a client.
   */
  resultScans?: ResultScans;
  /**
   * The session's variables (SET / UNSET: session-variables.ts). Kept as `history` is: SET
   * answers with a context holding the new set, and a caller that keeps the context between
   * requests (a login session) keeps them; a SQL API v2 request starts without any. Never sent
   * to a client.
   */
  variables?: SessionVariables;
  /**
   * The session's temporary tables and views (temporary-objects.ts): set by the engine for each
   * statement from the session's SessionTransaction; name resolution maps their names to the
   * stored ones. Never sent to a client.
   */
  temporary?: TemporaryObjects;
  /**
   * The session's TIMEZONE parameter (session-parameters.ts), put in by the engine for each
   * statement: the binder stamps it on every conversion that needs a zone (stamp-zone.ts).
   * Absent: Snowflake's default, America/Los_Angeles.
   */
  timezone?: string;
  /**
   * The session the statement runs in (services/access/session-id.ts): CURRENT_SESSION() and
   * query history's SESSION_ID. Absent in contexts built outside a request (unit tests).
   */
  sessionId?: number;
  /**
   * The session's other parameters that values depend on (formats, week policy), put in by the
   * engine as `timezone` is and stamped the same way (expr-settings.ts); absent: Snowflake's
   * defaults.
   */
  settings?: ExprSettings;
};

/** A session variable: its value and type, fixed when SET evaluated it; when it was first and last set (epoch ms). */
export type SessionVariable = { type: DataType; value: Scalar; createdMs: number; updatedMs: number };
/** A session's variables by name (unquoted names upper-cased, as identifiers are). */
export type SessionVariables = ReadonlyMap<string, SessionVariable>;

/** A finished statement's result as RESULT_SCAN reads it: its columns and every row, in batches. */
export type ScannedResult = { columns: Column[]; batches: readonly Batch[] };
export type ResultScans = ReadonlyMap<string, ScannedResult>;

/** Query ids of a session's statements, oldest first: the newest ones, after `dropped` older ones. */
export type SessionHistory = { ids: readonly string[]; dropped: number };

export type StatementResult = {
  queryId: string;
  columns: Column[];
  batch: Batch;
  /** A query's rows as they are computed (see the module comment); absent for other answers. */
  stream?: AsyncIterable<Batch>;
  stats: QueryStats;
  context: SessionContext;
  /** A multi-statement request: each statement's own result (and handle, its queryId), in order. */
  statements?: StatementResult[];
};
