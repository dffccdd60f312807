/**
 * The Firn engine: the StatementRunner behind the HTTP API. Owns the catalog, the table
 * object store and the running warehouses; runs each statement of a request in order
 * (parse -> the statement's handler) and answers with the last statement's result and
 * stats. A long statement is parsed on a parse worker thread (off-thread-parser.ts), so the
 * event loop keeps answering other requests meanwhile.
 *
 * Contract: open() creates the embedded defaults when missing (database FIRN, schema
 * PUBLIC, warehouse COMPUTE_WH, XSMALL) and deletes the objects of writes a previous process
 * left uncommitted (recover-pending-objects.ts) and the disk caches of warehouses that are
 * gone (warehouse-registry.ts), holding FIRN_HOME for this process alone (home-lock.ts: a
 * second process on the same home fails with HOME_IN_USE). A request's context falls back to
 * those defaults. Every statement gets its own query id (a UUID): a one-statement request's
 * is the request's id; in a multi-statement request each statement gets a fresh one, listed in
 * `statementHandles`. It is the statement's handle, the id in the table version log and the
 * owner of the statement's object keys. A failed statement throws a FirnError and has
 * changed nothing visible; so does one that passes the request's `timeout` or whose client
 * went away (`signal`): deadline.ts.
 *
 * While a statement runs (for a query: until its stream is read or abandoned), the table
 * versions it binds are registered in `running` (running-statements.ts: the engine's catalog
 * records every livePartitions call of the statement), so garbage collection keeps their objects. GC runs every
 * FIRN_GC_INTERVAL_SECONDS (gc-loop.ts) and on demand through SELECT SYSTEM$COLLECT_GARBAGE()
 * (system-functions.ts); close() stops it.
 * The background compactor (services/maintenance/compactor.ts) merges small partitions and
 * re-sorts overlapping CLUSTER BY runs every FIRN_COMPACT_INTERVAL_SECONDS and after INSERT/COPY
 * commits that added many small partitions (env.compactor); close() stops it. A FROM-less
 * `SELECT SYSTEM$CLUSTERING_INFORMATION(...)` is answered in services
 * (maintenance/clustering-information-statement.ts).
 *
 * The engine owns the statement store (`statements`: services/statements/statement-store.ts),
 * emptied of an earlier process's results when it opens, where the HTTP API runs each request
 * and whose `resultOf` serves a finished statement's rows again.
 *
 * A query is looked up in the result cache (result-cache.ts) once bound, before any warehouse
 * is asked for: a repeated query over unchanged tables is answered from it, under its own new
 * query id. The request's session parameters (session-parameters.ts) start from its
 * `parameters` (or are its login session's); ALTER SESSION changes them for the rest of the
 * request. Each statement reads them: its TIMEZONE and formats (stamped on its plan), what
 * TIMESTAMP means, its QUERY_TAG (query history), ROWS_PER_RESULTSET (a query's rows),
 * AUTOCOMMIT = FALSE (DML opens a transaction); the request's time limit is the smallest of its
 * `timeout`, STATEMENT_TIMEOUT_IN_SECONDS as the request starts, and the warehouse's. Session
 * functions (CURRENT_USER(), LAST_QUERY_ID()...: session-functions.ts) and `$name` session
 * variables (SET / UNSET: session-variables.ts, kept in the context as USE's names are) are
 * replaced by their values before a statement binds; each statement's id is appended to the
 * history of the context the engine answers with (a request's context starts with the caller's
 * history and variables). The
 * earlier results a statement's RESULT_SCAN calls read are fetched before it binds
 * (result-scans.ts): from an earlier statement of the same request, else from the statement
 * store, the caller's own statements only.
 *
 * Every statement ends in the catalog's query history (record-statement.ts): one that failed
 * (from parsing on) when it failed, a query once its stream is read, failed or abandoned
 * (000604), any other when it answers. The warehouse registry reports its pools to metering
 * (services/scheduler/warehouse-metering.ts), opened before any pool starts.
 *
 * A statement that runs on its warehouse is admitted onto one of its clusters once (it may
 * queue: services/scheduler/warehouse-registry.ts) and holds that cluster until it ends — a
 * query until its stream is read or abandoned — so a resize or SUSPEND never moves it; its
 * stats then carry its queue time, cluster and size. A request's timeout is the smaller of
 * its own and its warehouse's STATEMENT_TIMEOUT_IN_SECONDS.
 *
 * Access: each statement runs as the request's user and role (USE ROLE changes the role for the
 * rest of the request); at its start the role's privileges are computed once
 * (services/access/access-check.ts `withPrivileges`, 003013 when the user may not use the role)
 * and every check of the statement — the binder's, the runners' — reads them. The embedded
 * defaults belong to SYSADMIN; what a statement creates belongs to its role. A cached result is
 * served only to a role that may read every table it came from.
 *
 * Transactions and multi-statement requests: a request must hold exactly its
 * MULTI_STATEMENT_COUNT statements (0: any number; default 1), else 000008 before any runs.
 * Statements run in the session's explicit transaction when one is open (BEGIN ... COMMIT |
 * ROLLBACK: session-transaction.ts; the request's `transaction`, or one the engine makes for
 * the request and rolls back if the request ends with it open: such a request holding only
 * BEGIN, COMMIT or ROLLBACK is refused, NOT_SUPPORTED, as Snowflake's SQL API refuses them in a
 * single-statement request); DDL commits it first
 * (commits-transaction.ts). When statement k of a multi-statement request fails, the request
 * fails with a MultiStatementError carrying statement k's error and, for those before it, their
 * handles and whether their writes are committed, rolled back or pending; the rest did not run.
 *
 * A one-statement query answers with its rows as a stream (StatementResult.stream): the
 * request's deadline stays open, and its timeout running, until the stream has been read to
 * its end or abandoned. A multi-statement request collects each statement's rows before the
 * next statement runs, and hands each result to the request's `onStatementDone`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { CompilationError, MultiStatementError, NotSupportedError, ResourceError, SqlSyntaxError, asFirnError, type RanStatement } from '../../storage/errors/firn-error.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { CATALOG_FILE_NAME, SqliteCatalog } from '../catalog/sqlite-catalog.js';
import type { NotebookStore } from '../catalog/notebook-store.js';
import type { UserStore } from '../catalog/user-store.js';
import type { GrantStore } from '../access/grant-store.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import type { FirnConfig } from '../config.js';
import { WarehouseRegistry, type RegistryOptions } from '../scheduler/warehouse-registry.js';
import { WarehouseMetering } from '../scheduler/warehouse-metering.js';
import { runWarehouseStatement } from './run-warehouse.js';
import { OffThreadParser } from '../sql/off-thread-parser.js';
import type { Statement } from '../sql/ast.js';
import { statementTexts } from '../sql/statement-texts.js';
import type { DmlHooks, EngineEnv } from './engine-env.js';
import { runCopy } from './run-copy.js';
import { isStageStatement, runStage } from './run-stage.js';
import { isViewStatement, runView } from './run-view.js';
import { isSequenceStatement, runSequence } from './run-sequence.js';
import { noteTemporaries } from './note-temporaries.js';
import { dropStaleTemporaries } from './temporary-objects.js';
import { runUnload } from './run-unload.js';
import { StageFileAccess } from '../stage/stage-file-access.js';
import { StatementStore } from '../statements/statement-store.js';
import { TableWriters } from './table-writers.js';
import { StatementHistory } from './statement-history.js';
import { recordStatement, rowsProduced } from './record-statement.js';
import { recoverPendingObjects } from './recover-pending-objects.js';
import { recordingCatalog, RunningStatements, type StatementReads } from './running-statements.js';
import { runSystemCall, systemCall } from './system-functions.js';
import { appendQueryId, withSessionValues } from './session-functions.js';
import { runSetVariables, runShowVariables, runUnsetVariables, withVariableValues } from './session-variables.js';
import { readResultScans, type ResultLookup } from './result-scans.js';
import { collectGarbage } from '../gc/collect-garbage.js';
import { GcLoop } from '../gc/gc-loop.js';
import { Compactor, type CompactionResult, type CompactorHooks } from '../maintenance/compactor.js';
import { clusteringInformationStatement } from '../maintenance/clustering-information-statement.js';
import { runDml, runExplainDml, runTruncate } from './run-dml.js';
import { lockFirnHome, type HomeLock } from './home-lock.js';
import { Deadline } from './deadline.js';
import { yieldAfter } from './yield-after.js';
import { runDdl } from './run-ddl.js';
import { runUserStatement } from './run-user.js';
import { status, type Answer } from './answer.js';
import { SessionTransaction, type TransactionOutcome } from './session-transaction.js';
import { commitsTransaction } from './commits-transaction.js';
import { OpenTransactions } from './open-transactions.js';
import { SYSTEM_IDENTITY } from '../access/identity.js';
import { runShowTransactions } from './show-transactions.js';
import { planQuerySliced, runExplain, runPlanned, type QueryAnswer, type QueryRunStats } from './run-query.js';
import { ResultCache, type CachedResult } from './result-cache.js';
import { resultCacheEntry } from './result-cacheable.js';
import { exprSettingsOf, MAX_STATEMENT_TIMEOUT_SECONDS, requestParameters, runAlterSession, runShowParameters, type SessionParameters } from './session-parameters.js';
import { withTimestampMapping } from './timestamp-mapping.js';
import { limitRows } from './limit-rows.js';
import { runCreateTableAs, runInsert } from './run-write.js';
import type { Batch } from '../../storage/types/vector.js';
import { emptyBatch } from '../../warehouse/execute/batch/empty-batch.js';
import { concatBatches } from '../../warehouse/execute/batch/concat-batches.js';
import type { QueryStats, SessionContext, StatementResult } from './statement-result.js';
import type { StatementRequest, StatementRunner } from './statement-request.js';
import { requireReadable, withPrivileges } from '../access/access-check.js';
import { ownBootstrapObject } from '../access/record-ownership.js';
import { runRoleStatement } from './run-role.js';
import { runGrantPrivileges } from './run-grant.js';
import { runShowAccess } from './show-grants.js';

import { DEFAULT_CONTEXT } from './default-context.js';

export { DEFAULT_CONTEXT };

export class FirnEngine implements StatementRunner {
  /** Parses long statements on a thread of its own, so the event loop keeps answering meanwhile. */
  private readonly parser = new OffThreadParser();
  private readonly gc: GcLoop;

  private readonly compactor: Compactor;

  /** Persisted query results (result-cache.ts): a repeated query is answered from here, without a warehouse. */
  private readonly results: ResultCache;

  /** The stage files PUT and GET write and read (the HTTP layer's stage file endpoint). */
  readonly stageFiles: StageFileAccess;

  /**
   * Every statement run over the HTTP API (services/statements/statement-store.ts): its state,
   * progress and result; `statements.resultOf` is what RESULT_SCAN and result re-fetches read.
   */
  readonly statements: StatementStore;

  private constructor(
    private readonly env: EngineEnv,
    private readonly homeLock: HomeLock,
    compactorHooks?: CompactorHooks,
  ) {
    const { catalog, store, running, config } = env;
    this.gc = new GcLoop(
      () => collectGarbage({ catalog, store, running }, { nowMs: Date.now(), defaultRetentionDays: config.dataRetentionDays, graceSeconds: config.gcGraceSeconds }),
      config.gcIntervalSeconds,
    );
    this.gc.start();
    this.compactor = new Compactor(env, compactorHooks);
    if (env.config.compactIntervalSeconds > 0) env.compactor = this.compactor;
    this.compactor.start();
    this.results = new ResultCache({ maxBytes: config.resultCacheBytes, maxResultBytes: config.resultCacheMaxResultBytes });
    this.stageFiles = new StageFileAccess(catalog, config.home, DEFAULT_CONTEXT);
    this.statements = new StatementStore({
      home: config.home,
      memoryBytes: config.resultMemoryBytes,
      diskBytes: config.resultDiskBytes,
      partitionBytes: config.resultPartitionBytes,
      maxEntries: config.keptStatements,
    });
  }

  /**
   * `hooks`: test-only pauses between a DML's phases (engine-env.ts); `compactorHooks`: the
   * compactor's (compactor.ts); `warehouses`: the registry's events listener (metering) and clock.
   */
  static async open(config: FirnConfig, opts: { hooks?: DmlHooks; compactorHooks?: CompactorHooks; warehouses?: RegistryOptions } = {}): Promise<FirnEngine> {
    mkdirSync(config.home, { recursive: true });
    // Before anything else: recovery below deletes every pending object, which is only safe
    // when no other process is writing with this home (home-lock.ts).
    const homeLock = lockFirnHome(config.home);
    try {
      const catalog = new SqliteCatalog(firnHomePath(config.home, CATALOG_FILE_NAME));
      catalog.grants.atomically(() => {
        const db = catalog.createDatabase(DEFAULT_CONTEXT.database!, { ifNotExists: true, schema: DEFAULT_CONTEXT.schema! });
        const wh = catalog.createWarehouse(DEFAULT_CONTEXT.warehouse!, 'XSMALL', { ifNotExists: true });
        ownBootstrapObject(catalog.grants, 'DATABASE', db.id);
        ownBootstrapObject(catalog.grants, 'SCHEMA', catalog.getSchema(db.name, DEFAULT_CONTEXT.schema!)!.id);
        ownBootstrapObject(catalog.grants, 'WAREHOUSE', wh.id);
      });
      const store = openObjectStore(config.storageUrl);
      await recoverPendingObjects(catalog, store);
      // No session outlives the process: temporary tables and views a crash left behind go now.
      dropStaleTemporaries(catalog);
      // Spill files (sorted runs, spilled operator state) of statements a crash interrupted:
      // no statement runs yet and the home is locked, so every one is stale.
      await rm(firnHomePath(config.home, 'spill'), { recursive: true, force: true });
      // Metering closes what a crash left open before any cluster starts (warehouse-metering.ts).
      const clock = opts.warehouses?.clock ?? Date.now;
      const events = opts.warehouses?.events ?? WarehouseMetering.open(catalog.usage, clock);
      const warehouses = new WarehouseRegistry(catalog, config, { ...opts.warehouses, clock, events });
      await warehouses.sweepCaches();
      await warehouses.sweepSpill();
      await warehouses.start();
      const running = new RunningStatements();
      return new FirnEngine({ catalog: recordingCatalog(catalog, running), store, config, warehouses, running, history: new StatementHistory(), writers: new TableWriters(), transactions: new OpenTransactions(), hooks: opts.hooks }, homeLock, opts.compactorHooks);
    } catch (err) {
      homeLock.release();
      throw err;
    }
  }

  async execute(request: StatementRequest): Promise<StatementResult> {
    const started = performance.now();
    const { database, schema, warehouse } = request.context;
    // A database without a schema means its PUBLIC schema, as in Snowflake.
    const defaultSchema = database ? (this.env.catalog.getSchema(database, 'PUBLIC') ? 'PUBLIC' : null) : DEFAULT_CONTEXT.schema;
    let context: SessionContext = {
      database: database ?? DEFAULT_CONTEXT.database,
      schema: schema ?? defaultSchema,
      warehouse: warehouse ?? DEFAULT_CONTEXT.warehouse,
      user: request.identity.user,
      role: request.context.role ?? request.identity.role,
      history: request.context.history,
      variables: request.context.variables,
      ...(request.context.sessionId !== undefined ? { sessionId: request.context.sessionId } : {}),
    };
    // The request is the session (SQL API v2): ALTER SESSION lasts until its end; a driver
    // session passes its own parameters, which it keeps across requests.
    const { multiStatementCount, ...given } = request.parameters ?? {};
    const params = request.sessionParameters ?? requestParameters(given);
    // Without a session's transaction the request is the session: one ends with it (rolled back if open).
    const txn = request.transaction ?? new SessionTransaction(request.queryId);
    const parsing = performance.now();
    const statements = await this.parser.parse(request.sql).then((parsed) => {
      const expected = multiStatementCount ?? 1;
      if (expected !== 0 && parsed.length !== expected && parsed.length > 0) {
        throw new CompilationError('STATEMENT_COUNT_MISMATCH', `Actual statement count ${parsed.length} did not match the desired statement count ${expected}.`);
      }
      return parsed;
    }).catch((err: unknown) => {
      // A statement that fails to parse (or a request of the wrong count) is in the query history too (record-statement.ts).
      const at = Date.now();
      recordStatement(this.env.catalog, { queryId: request.queryId, sql: request.sql, session: context, startMs: at, endMs: at, stats: null, rows: 0, error: err, queryTag: params.queryTag });
      throw err;
    });
    await yieldAfter(parsing);
    // The smallest of the request's timeout, the session's and its warehouse's STATEMENT_TIMEOUT_IN_SECONDS.
    const deadline = Deadline.of(this.env.warehouses.statementTimeout(context.warehouse, sessionTimeout(request.timeout, params)), request.signal ?? null);
    let streaming = false;
    try {
      if (statements.length === 0) throw new SqlSyntaxError('empty SQL statement');
      if (statements.length === 1) {
        // As in Snowflake's SQL API: a request that is its own session cannot hold a transaction
        // open for later requests, so transaction control alone in one is refused, not ignored.
        const only = statements[0];
        if (!request.transaction && (only.kind === 'begin' || only.kind === 'commit' || only.kind === 'rollback')) {
          throw new NotSupportedError(`${only.kind.toUpperCase()} in a request of its own (a request on a bearer token is its own session: send the transaction's statements in one request, with MULTI_STATEMENT_COUNT, or send them on a login session's token)`);
        }
        deadline.check();
        const result = await this.executeOne(statements[0], request.sql, context, params, txn, request.queryId, started, deadline, []);
        streaming = result.stream !== undefined;
        return { ...result, context: { ...result.context, history: appendQueryId(result.context.history, result.queryId) } };
      }
      const results: StatementResult[] = [];
      // Per statement run, the transaction it ran in (null: autocommit), and how the request's transactions ended.
      const inTransaction: (string | null)[] = [];
      const ended = new Map<string, TransactionOutcome>();
      const noteEnded = () => {
        if (txn.lastEnded) ended.set(txn.lastEnded.id, txn.lastEnded.outcome);
      };
      const texts = statementTexts(request.sql);
      for (const [i, st] of statements.entries()) {
        const queryId = randomUUID();
        let result: StatementResult;
        try {
          deadline.check();
          result = await collect(await this.executeOne(st, texts[i] ?? request.sql, context, params, txn, queryId, started, deadline, results, null));
        } catch (err) {
          noteEnded();
          if (!request.transaction) await txn.close();
          noteEnded();
          const ran = results.map((r, k): RanStatement => {
            const id = inTransaction[k];
            const state = id === null ? 'committed' : ended.get(id) ?? 'pending';
            return { index: k + 1, handle: r.queryId, state };
          });
          const notRun = Array.from({ length: statements.length - i - 1 }, (_, k) => i + k + 2);
          throw new MultiStatementError(asFirnError(err), { index: i + 1, handle: queryId }, ran, notRun, statements.length);
        }
        // Each statement ends at most one transaction (COMMIT, ROLLBACK, or DDL committing first).
        noteEnded();
        results.push(result);
        inTransaction.push(txn.id);
        context = { ...result.context, history: appendQueryId(result.context.history, result.queryId) };
        await request.onStatementDone?.(result);
      }
      // The request answers with the last statement's rows under its own handle, and lists each
      // statement's handle (Snowflake's statementHandles).
      const last = results[results.length - 1];
      return { ...last, queryId: request.queryId, statements: results, context };
    } finally {
      if (!request.transaction) await txn.close();
      // Answered or failed: any task of the request still running (a failed statement's
      // siblings) stops at its next batch. A streamed answer closes it once read.
      if (!streaming) deadline.close();
    }
  }

  /**
   * Runs one statement. `deadline` is the request's; `closeWhenRead` (one-statement requests)
   * is closed by a query's stream once read (see the module comment). The table versions the
   * statement binds stay registered until it is done (a query: until its stream ends).
   */
  private async executeOne(st: Statement, sql: string, session: SessionContext, params: SessionParameters, txn: SessionTransaction, queryId: string, started: number, deadline: Deadline, earlier: readonly StatementResult[], closeWhenRead: Deadline | null = deadline): Promise<StatementResult> {
    // Every statement ends in the query history: failed, answered, or once its stream is read.
    const startMs = Date.now();
    // QUERY_TAG as it was when the statement started (an ALTER SESSION changes it for the next).
    const queryTag = params.queryTag;
    const done = (stats: QueryStats | null, rows: number, error: unknown): void =>
      recordStatement(this.env.catalog, { queryId, sql, session, startMs, endMs: Date.now(), stats, rows, error, queryTag });
    try {
      const ran = await this.executeStatement(st, sql, session, params, txn, queryId, started, deadline, closeWhenRead, earlier);
      // The results RESULT_SCAN read were for this statement alone: they leave with it.
      const result = ran.context.resultScans ? { ...ran, context: { ...ran.context, resultScans: undefined } } : ran;
      if (result.stream) return { ...result, stream: recordWhenRead(result.stream, result.stats, done) };
      done(result.stats, rowsProduced(result.columns, result.batch), null);
      return result;
    } catch (err) {
      done(null, 0, err);
      throw err;
    }
  }

  private async executeStatement(parsed: Statement, sql: string, sessionIn: SessionContext, params: SessionParameters, txn: SessionTransaction, queryId: string, started: number, deadline: Deadline, closeWhenRead: Deadline | null, earlier: readonly StatementResult[]): Promise<StatementResult> {
    // The statement's start: the base of its OFFSET => and what AT(STATEMENT => its id) reads.
    this.env.history.record(queryId, Date.now());
    // The role's privileges, once per statement: every check of this statement reads them; the
    // session's temporary tables and views, which its names may resolve to; and its TIMEZONE.
    // Its other parameters that values depend on (formats, week policy) travel the same way.
    const privileged = { ...withPrivileges(this.env.catalog, sessionIn), temporary: txn.temporary(), timezone: params.timezone, settings: exprSettingsOf(params) };
    // `$name` session variables, CURRENT_USER(), LAST_QUERY_ID() and the other session functions
    // become the session's values; then the earlier results its RESULT_SCAN calls read are
    // fetched, before it binds.
    // TIMESTAMP names the session's TIMESTAMP_TYPE_MAPPING.
    const st = withTimestampMapping(withSessionValues(withVariableValues(parsed, sessionIn.variables), privileged, sql), params.timestampTypeMapping);
    const scans = await readResultScans(st, (id) => this.earlierResult(id, earlier, privileged.user));
    const session = scans ? { ...privileged, resultScans: scans } : privileged;
    const call = systemCall(st);
    if (call) {
      const answer = await runSystemCall(call, { collectGarbage: () => this.gc.run() });
      return { queryId, columns: answer.columns, batch: answer.batch, stats: emptyStats(elapsed(started)), context: session };
    }
    // DDL commits the session's open transaction first, then runs on its own (as in Snowflake).
    if (commitsTransaction(st)) await txn.commit();
    const reads = this.env.running.begin();
    let streaming = false;
    try {
      const ran = await this.env.running.within(reads, () => this.runOne(st, session, params, txn, queryId, started, deadline, closeWhenRead));
      // ROWS_PER_RESULTSET: a query answers with at most that many rows.
      const result = st.kind === 'query' && params.rowsPerResultset > 0 ? limitRows(ran, params.rowsPerResultset) : ran;
      noteTemporaries(this.env.catalog, st, session, txn);
      if (result.stream) {
        streaming = true;
        return { ...result, stream: endWhenRead(result.stream, () => this.endStatement(queryId, reads, result.stats)) };
      }
      this.fillCluster(queryId, result.stats);
      return result;
    } finally {
      if (!streaming) this.endStatement(queryId, reads, null);
    }
  }

  /**
   * The result RESULT_SCAN('<id>') reads: an earlier statement of the same request (collected),
   * else `user`'s statement in the statement store while it keeps the result.
   */
  private earlierResult(id: string, earlier: readonly StatementResult[], user: string | undefined): ReturnType<ResultLookup> {
    const inRequest = earlier.find((r) => r.queryId === id);
    if (inRequest) {
      return {
        columns: inRequest.columns,
        async *batches() {
          yield inRequest.batch;
        },
      };
    }
    return user === undefined ? undefined : this.statements.resultOf(id, user);
  }

  /** The statement is over: its table versions and its warehouse cluster are released (stats: a stream's, completed first). */
  private endStatement(queryId: string, reads: StatementReads, stats: QueryStats | null): void {
    if (stats) this.fillCluster(queryId, stats);
    reads.end();
    this.env.warehouses.release(queryId);
  }

  /**
   * The statement's time in its warehouse's queue, its memory grant, and the cluster and size it
   * ran on when it used the warehouse (stats.warehouse set: an answer from the catalog alone
   * leaves them null).
   */
  private fillCluster(queryId: string, stats: QueryStats): void {
    const lease = this.env.warehouses.leased(queryId);
    if (!lease) return;
    stats.queuedMs = lease.queuedMs;
    stats.memoryBytes = this.env.warehouses.statementMemory.grantOf(queryId);
    if (stats.warehouse === null) return;
    stats.cluster = lease.cluster;
    stats.warehouseSize = lease.size;
  }

  private async runOne(st: Statement, session: SessionContext, params: SessionParameters, txn: SessionTransaction, queryId: string, started: number, deadline: Deadline, closeWhenRead: Deadline | null): Promise<StatementResult> {
    const stats = emptyStats(0);
    // AUTOCOMMIT = FALSE: a DML statement outside a transaction opens one, which COMMIT or
    // ROLLBACK ends (or the session's end rolls back), as in Snowflake.
    if (!params.autocommit && txn.id === null && IMPLICIT_TRANSACTION.has(st.kind)) txn.begin(this.env, { user: session.user ?? SYSTEM_IDENTITY.user, name: null });
    // In an open transaction its statements read and write through it (session-transaction.ts).
    const env = txn.env(this.env);
    let answer: Answer;
    switch (st.kind) {
      case 'begin':
        // The engine always sets the user (execute); only the system itself runs without one.
        txn.begin(this.env, { user: session.user ?? SYSTEM_IDENTITY.user, name: st.name });
        answer = status('Statement executed successfully.');
        break;
      case 'commit':
        await txn.commit();
        answer = status('Statement executed successfully.');
        break;
      case 'rollback':
        await txn.rollback();
        answer = status('Statement executed successfully.');
        break;
      case 'query': {
        const info = clusteringInformationStatement({ catalog: env.catalog, session }, st.query);
        if (info) {
          answer = info;
          break;
        }
        // The result cache answers after binding (which resolves the table versions) and before any warehouse is asked for.
        const planned = await planQuerySliced(env, st.query, session, queryId);
        // What a transaction wrote is its own: such reads neither use nor fill the result cache.
        const cache = txn.hasWrites ? null : resultCacheEntry(st, session, params, planned);
        // A cached answer goes only to a role that may read every table it came from (the
        // binder checked them just now; this keeps the cache's own contract explicit).
        // Tables read through a view were checked with its owner's rights; the view itself, by the binder, just now.
        if (cache?.reuse) requireReadable({ catalog: env.catalog, session }, planned.directTables);
        const hit = cache?.reuse ? this.results.lookup(cache.key, cache.versions) : null;
        if (hit) return cachedAnswer(queryId, hit, session, started, closeWhenRead);
        const ran = await runPlanned(env, planned, session, queryId, deadline);
        const r = cache ? { ...ran, batches: this.results.recording(cache.key, cache.versions, ran.columns, ran.batches, ran.done) } : ran;
        const stream = streamRows(r, async (run) => {
          fillStats(stats, run, run.rowsScanned > 0 || run.partitionsScanned > 0 ? session.warehouse : null);
          stats.elapsedMs = elapsed(started);
        }, closeWhenRead);
        return { queryId, columns: r.columns, batch: emptyBatch(r.columns.map((c) => c.type)), stream, stats, context: session };
      }
      case 'explain': {
        const inner = st.statement;
        if (inner.kind !== 'query' && inner.kind !== 'update' && inner.kind !== 'delete' && inner.kind !== 'merge') throw new NotSupportedError(`EXPLAIN of ${inner.kind} statements`);
        const r = inner.kind === 'query' ? runExplain(env, inner.query, session, st.logical === true) : runExplainDml(env, inner, session, st.logical === true);
        answer = r;
        stats.partitionsTotal = r.partitionsTotal;
        stats.partitionsScanned = r.partitionsScanned;
        break;
      }
      case 'insert':
      case 'update':
      case 'delete':
      case 'merge': {
        const r = st.kind === 'insert' ? await runInsert(env, st, session, queryId, deadline) : await runDml(env, st, session, queryId, deadline);
        answer = r;
        fillStats(stats, r.stats, session.warehouse);
        stats.partitionsAdded = r.partitionsAdded;
        stats.partitionsRemoved = r.partitionsRemoved;
        break;
      }
      case 'alter_session':
        answer = runAlterSession(st, params);
        break;
      case 'set_variables': {
        const r = await runSetVariables(env, st, session, queryId, deadline);
        answer = r;
        fillStats(stats, r.stats, r.stats.rowsScanned > 0 || r.stats.partitionsScanned > 0 ? session.warehouse : null);
        break;
      }
      case 'unset_variables':
        answer = runUnsetVariables(st, session);
        break;
      case 'show_variables':
        answer = runShowVariables(st, session);
        break;
      case 'show_parameters':
        answer = runShowParameters(st, params);
        break;
      case 'truncate': {
        const r = runTruncate(env, st, session, queryId);
        answer = r;
        stats.partitionsRemoved = r.partitionsRemoved;
        break;
      }
      case 'create_warehouse':
      case 'alter_warehouse':
      case 'drop_warehouse':
      case 'describe_warehouse':
        answer = await runWarehouseStatement(env, st, session);
        break;
      case 'create_user':
      case 'alter_user':
      case 'drop_user':
      case 'show_users':
      case 'show_user_tokens':
        answer = await runUserStatement(env, st, session);
        break;
      case 'copy_into':
        answer = await runCopy(env, st, session, queryId, deadline);
        stats.warehouse = session.warehouse;
        break;
      case 'create_role':
      case 'drop_role':
      case 'grant_role':
      case 'use_role':
        answer = runRoleStatement(env, st, session);
        break;
      case 'grant_privileges':
        answer = runGrantPrivileges(env, st, session);
        break;
      case 'show_transactions':
        answer = runShowTransactions(st, { catalog: env.catalog, session }, this.env.transactions);
        break;
      case 'show_roles':
      case 'show_grants':
      case 'show_future_grants':
        answer = runShowAccess(env, st, session);
        break;
      case 'create_table':
        if (st.asQuery) {
          const r = await runCreateTableAs(env, st, session, queryId, deadline);
          answer = r;
          fillStats(stats, r.stats, null);
        } else {
          answer = runDdl(env, st, session, queryId);
        }
        break;
      case 'unload': {
        const r = await runUnload(env, st, session, queryId, deadline);
        answer = r;
        fillStats(stats, r.stats, session.warehouse);
        break;
      }
      default:
        answer = isStageStatement(st)
          ? await runStage(env, st, session)
          : isViewStatement(st)
            ? runView(env, st, session, queryId)
            : isSequenceStatement(st)
              ? runSequence(env, st, session)
              : runDdl(env, st, session, queryId);
    }
    stats.elapsedMs = elapsed(started);
    env.history.finish(queryId, Date.now());
    return { queryId, columns: answer.columns, batch: answer.batch, stats, context: answer.context ?? session };
  }

  /** The catalog's users and tokens: what the HTTP layer authenticates against (services/access/firn-authenticator.ts). */
  get users(): UserStore {
    return this.env.catalog.users;
  }

  /** Roles and grants (services/access/grant-store.ts): which roles a user may use. */
  get grants(): GrantStore {
    return this.env.catalog.grants;
  }

  /** The notebook page's saved notebooks (services/catalog/notebook-store.ts), for the HTTP layer's notebook routes. */
  get notebooks(): NotebookStore {
    return this.env.catalog.notebooks;
  }

  /** Runs the compactor now over `tableIds` (default: every table), after any run in progress. */
  compact(tableIds?: number[]): Promise<CompactionResult[]> {
    return this.compactor.run(tableIds);
  }

  async close(): Promise<void> {
    await this.statements.close();
    await this.compactor.close();
    await this.gc.stop();
    await this.parser.close();
    await this.env.warehouses.close();
    this.env.catalog.close();
    this.homeLock.release();
  }
}

/**
 * A query answered from the result cache: a new handle, the cached columns and rows, stats
 * that say so and report nothing scanned (no warehouse ran anything).
 */
function cachedAnswer(queryId: string, hit: CachedResult, session: SessionContext, started: number, close: Deadline | null): StatementResult {
  const stats = emptyStats(elapsed(started));
  stats.fromResultCache = true;
  async function* replay(): AsyncGenerator<Batch> {
    try {
      for (const batch of hit.batches) if (batch.length > 0) yield batch;
    } finally {
      close?.close();
    }
  }
  return { queryId, columns: hit.columns, batch: emptyBatch(hit.columns.map((c) => c.type)), stream: replay(), stats, context: session };
}

/** The stats of a statement that has measured nothing yet. */
function emptyStats(elapsedMs: number): QueryStats {
  return {
    partitionsTotal: 0,
    partitionsScanned: 0,
    bytesScanned: 0,
    cacheHitRatio: 0,
    elapsedMs,
    warehouse: null,
    partitionedJoins: 0,
    bytesSpilled: 0,
    profile: [],
    partitionsAdded: 0,
    partitionsRemoved: 0,
    queuedMs: 0,
    cluster: null,
    warehouseSize: null,
    fromResultCache: false,
    memoryBytes: 0,
  };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/** The statement's stats from what its runs measured. */
function fillStats(stats: QueryStats, run: QueryRunStats, warehouse: string | null): void {
  stats.partitionsTotal = run.partitionsTotal;
  stats.partitionsScanned = run.partitionsScanned;
  stats.bytesScanned = run.bytesScanned;
  stats.partitionedJoins = run.partitionedJoins;
  const lookups = run.cacheHits + run.cacheMisses;
  stats.cacheHitRatio = lookups === 0 ? 0 : run.cacheHits / lookups;
  stats.bytesSpilled = run.bytesSpilled;
  stats.profile = run.profile;
  if (warehouse !== null) stats.warehouse = warehouse;
}

/**
 * A query's rows for the client: its batches, then its stats once every task is done; the
 * statement's deadline (`close`, when the stream is the request's answer) closes when the
 * stream ends, is abandoned or fails.
 */
async function* streamRows(r: QueryAnswer, finish: (stats: QueryRunStats) => Promise<void>, close: Deadline | null): AsyncGenerator<Batch> {
  try {
    for await (const batch of r.batches) if (batch.length > 0) yield batch;
    await finish(await r.done);
  } finally {
    close?.close();
  }
}

/** `stream`, ending the statement (its registration, its cluster) once read to its end, abandoned or failed. */
async function* endWhenRead(stream: AsyncIterable<Batch>, end: () => void): AsyncGenerator<Batch> {
  try {
    yield* stream;
  } finally {
    end();
  }
}

/** `stream`, telling `done` how it ended: read to its end, failed, or abandoned (canceled). */
async function* recordWhenRead(stream: AsyncIterable<Batch>, stats: QueryStats, done: (stats: QueryStats | null, rows: number, error: unknown) => void): AsyncGenerator<Batch> {
  let rows = 0;
  let outcome: 'read' | 'failed' | null = null;
  try {
    for await (const batch of stream) {
      rows += batch.length;
      yield batch;
    }
    outcome = 'read';
    done(stats, rows, null);
  } catch (err) {
    outcome = 'failed';
    done(stats, rows, err);
    throw err;
  } finally {
    if (outcome === null) done(stats, rows, new ResourceError('CANCELED', 'SQL execution canceled'));
  }
}

/** A result with its stream read into `batch` (multi-statement requests). */
async function collect(result: StatementResult): Promise<StatementResult> {
  if (!result.stream) return result;
  const batches: Batch[] = [];
  for await (const b of result.stream) batches.push(b);
  return { ...result, stream: undefined, batch: concatBatches(result.columns.map((c) => c.type), batches) };
}


/** The statements AUTOCOMMIT = FALSE opens a transaction for (DML). */
const IMPLICIT_TRANSACTION: ReadonlySet<Statement['kind']> = new Set(['insert', 'update', 'delete', 'merge', 'truncate', 'copy_into']);

/**
 * The request's time limit before the warehouse's: the smaller of its own `timeout` and the
 * session's STATEMENT_TIMEOUT_IN_SECONDS (0 there means the largest, 604800 s, as in Snowflake).
 */
function sessionTimeout(requested: number | null | undefined, params: SessionParameters): number {
  const own = params.statementTimeoutInSeconds > 0 ? params.statementTimeoutInSeconds : MAX_STATEMENT_TIMEOUT_SECONDS;
  return requested && requested > 0 ? Math.min(requested, own) : own;
}
