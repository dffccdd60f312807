/**
 * The Firn engine: the StatementRunner behind the HTTP API. Owns the catalog, the table
 * object store and the running warehouses; runs each statement of a request in order
 * (parse -> the statement's handler) and answers with the last statement's result and
 * stats.
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
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { NotSupportedError, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { CATALOG_FILE_NAME, SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import type { FirnConfig } from '../config.js';
import { WarehouseRegistry } from '../scheduler/warehouse-registry.js';
import { parseSql } from '../sql/parse-sql.js';
import type { Statement } from '../sql/ast.js';
import type { EngineEnv } from './engine-env.js';
import { runCopy } from './run-copy.js';
import { recoverPendingObjects } from './recover-pending-objects.js';
import { lockFirnHome, type HomeLock } from './home-lock.js';
import { Deadline } from './deadline.js';
import { runDdl, type Answer } from './run-ddl.js';
import { runExplain, runQuery } from './run-query.js';
import { runCreateTableAs, runInsert } from './run-write.js';
import type { QueryStats, SessionContext, StatementRequest, StatementResult, StatementRunner } from './statement-result.js';

export const DEFAULT_CONTEXT: SessionContext = { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' };

export class FirnEngine implements StatementRunner {
  private constructor(
    private readonly env: EngineEnv,
    private readonly homeLock: HomeLock,
  ) {}

  static async open(config: FirnConfig): Promise<FirnEngine> {
    mkdirSync(config.home, { recursive: true });
    // Before anything else: recovery below deletes every pending object, which is only safe
    // when no other process is writing with this home (home-lock.ts).
    const homeLock = lockFirnHome(config.home);
    try {
      const catalog = new SqliteCatalog(firnHomePath(config.home, CATALOG_FILE_NAME));
      catalog.createDatabase(DEFAULT_CONTEXT.database!, { ifNotExists: true, schema: DEFAULT_CONTEXT.schema! });
      catalog.createWarehouse(DEFAULT_CONTEXT.warehouse!, 'XSMALL', { ifNotExists: true });
      const store = openObjectStore(config.storageUrl);
      await recoverPendingObjects(catalog, store);
      // Spill files (sorted runs, spilled operator state) of statements a crash interrupted:
      // no statement runs yet and the home is locked, so every one is stale.
      await rm(firnHomePath(config.home, 'spill'), { recursive: true, force: true });
      const warehouses = new WarehouseRegistry(catalog, config);
      await warehouses.sweepCaches();
      return new FirnEngine({ catalog, store, config, warehouses }, homeLock);
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
    };
    const statements = parseSql(request.sql);
    const deadline = Deadline.of(request.timeout, request.signal ?? null);
    try {
      if (statements.length === 0) throw new SqlSyntaxError('empty SQL statement');
      if (statements.length === 1) {
        deadline.check();
        return await this.executeOne(statements[0], context, request.queryId, started, deadline);
      }
      const results: StatementResult[] = [];
      for (const st of statements) {
        deadline.check();
        const result = await this.executeOne(st, context, randomUUID(), started, deadline);
        results.push(result);
        context = result.context;
      }
      // The request answers with the last statement's rows under its own handle, and lists each
      // statement's handle (Snowflake's statementHandles).
      const last = results[results.length - 1];
      return { ...last, queryId: request.queryId, statements: results };
    } finally {
      // Answered or failed: any task of the request still running (a failed statement's
      // siblings) stops at its next batch.
      deadline.close();
    }
  }

  private async executeOne(st: Statement, session: SessionContext, queryId: string, started: number, deadline: Deadline | null): Promise<StatementResult> {
    const stats: QueryStats = { partitionsTotal: 0, partitionsScanned: 0, bytesScanned: 0, cacheHitRatio: 0, elapsedMs: 0, warehouse: null, partitionedJoins: 0 };
    let answer: Answer;
    switch (st.kind) {
      case 'query': {
        const r = await runQuery(this.env, st.query, session, deadline);
        answer = r;
        stats.partitionsTotal = r.partitionsTotal;
        stats.partitionsScanned = r.partitionsScanned;
        stats.bytesScanned = r.stats.bytesScanned;
        stats.partitionedJoins = r.stats.partitionedJoins;
        const lookups = r.stats.cacheHits + r.stats.cacheMisses;
        stats.cacheHitRatio = lookups === 0 ? 0 : r.stats.cacheHits / lookups;
        stats.warehouse = r.stats.rowsScanned > 0 || r.partitionsScanned > 0 ? session.warehouse : null;
        break;
      }
      case 'explain': {
        if (st.statement.kind !== 'query') throw new NotSupportedError(`EXPLAIN of ${st.statement.kind} statements`);
        const r = runExplain(this.env, st.statement.query, session, st.logical === true);
        answer = r;
        stats.partitionsTotal = r.partitionsTotal;
        stats.partitionsScanned = r.partitionsScanned;
        break;
      }
      case 'insert':
        answer = await runInsert(this.env, st, session, queryId, deadline);
        stats.warehouse = session.warehouse;
        break;
      case 'copy_into':
        answer = await runCopy(this.env, st, session, queryId, deadline);
        stats.warehouse = session.warehouse;
        break;
      case 'create_table':
        answer = st.asQuery ? await runCreateTableAs(this.env, st, session, queryId, deadline) : runDdl(this.env, st, session, queryId);
        break;
      default:
        answer = runDdl(this.env, st, session, queryId);
    }
    stats.elapsedMs = Math.round((performance.now() - started) * 1000) / 1000;
    return { queryId, columns: answer.columns, batch: answer.batch, stats, context: answer.context ?? session };
  }

  async close(): Promise<void> {
    await this.env.warehouses.close();
    this.env.catalog.close();
    this.homeLock.release();
  }
}
