/**
 * Statements that only touch metadata: CREATE/DROP DATABASE, SCHEMA and TABLE (warehouses:
 * run-warehouse.ts),
 * CREATE ... CLONE (zero-copy: catalog rows only, nothing written to the object store),
 * UNDROP, ALTER (run-alter.ts), USE, SHOW (TABLES HISTORY, and Firn's SHOW VERSIONS IN TABLE)
 * and DESCRIBE. Each answers like Snowflake: a one-row `status` for DDL, a table of objects for
 * SHOW/DESCRIBE.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types, typeToSql } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import type { ObjectName, Statement } from '../sql/ast.js';
import { lookupTable, resolveTableName } from '../plan/bind-query.js';
import type { BindContext } from '../plan/bind-context.js';
import { resolveTimeTravel, timeTravelMs } from '../plan/resolve-time-travel.js';
import { resolveTypeName } from '../plan/resolve-type-name.js';
import { INFORMATION_SCHEMA } from '../plan/information-schema/system-view.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { TableInfo } from '../catalog/catalog.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { runAlter } from './run-alter.js';
import { showWarehouses } from './run-warehouse.js';
import { status, type Answer } from './answer.js';
import { formatDate, formatDecimal, formatTimestampNanos } from '../../storage/types/value-text.js';
import type { ColumnInfo } from '../catalog/catalog.js';

const ts = Types.timestampNtz;

function table(columns: [string, 'v' | 'n' | 't' | 'b'][], rows: Scalar[][]): Answer {
  const cols: Column[] = columns.map(([name, k]) => ({
    name,
    type: k === 'v' ? Types.varchar : k === 'n' ? Types.number(38, 0) : k === 't' ? ts : Types.boolean,
    nullable: true,
  }));
  return { columns: cols, batch: rowsToBatch(cols, rows) };
}

const nanos = (d: Date) => BigInt(d.getTime()) * 1_000_000n;

function schemaOf(name: ObjectName, session: SessionContext): { database: string; schema: string } {
  const [a, b] = name.parts;
  const database = name.parts.length === 2 ? a : session.database;
  if (!database) throw new CompilationError('OBJECT_NOT_FOUND', 'This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
  return { database, schema: name.parts.length === 2 ? b : a };
}

export function runDdl(env: EngineEnv, st: Statement, session: SessionContext, queryId: string): Answer {
  const cat = env.catalog;
  switch (st.kind) {
    case 'create_database': {
      const existed = cat.getDatabase(st.name) !== null;
      // The database and its PUBLIC schema in one transaction: no one sees one without the other.
      cat.createDatabase(st.name, { ifNotExists: st.ifNotExists, orReplace: st.orReplace, schema: 'PUBLIC' });
      const context = { ...session, database: st.name, schema: 'PUBLIC' };
      if (existed && st.ifNotExists) return { ...status(`${st.name} already exists, statement succeeded.`), context };
      return { ...status(`Database ${st.name} successfully created.`), context };
    }
    case 'drop_database':
      cat.dropDatabase(st.name, { ifExists: st.ifExists });
      return {
        ...status(`${st.name} successfully dropped.`),
        context: session.database === st.name ? { ...session, database: null, schema: null } : session,
      };
    case 'create_schema': {
      const { database, schema } = schemaOf(st.name, session);
      // Every database has INFORMATION_SCHEMA already (its views); no schema may take the name.
      if (schema === INFORMATION_SCHEMA && cat.getDatabase(database)) {
        if (st.ifNotExists) return status(`${schema} already exists, statement succeeded.`);
        throw new CompilationError('OBJECT_EXISTS', `SQL compilation error: Object '${schema}' already exists.`);
      }
      cat.createSchema(database, schema, { ifNotExists: st.ifNotExists, orReplace: st.orReplace });
      return { ...status(`Schema ${schema} successfully created.`), context: { ...session, database, schema } };
    }
    case 'drop_schema': {
      const { database, schema } = schemaOf(st.name, session);
      cat.dropSchema(database, schema, { ifExists: st.ifExists });
      const gone = session.database === database && session.schema === schema;
      return { ...status(`${schema} successfully dropped.`), context: gone ? { ...session, schema: null } : session };
    }
    case 'create_table': {
      const n = resolveTableName({ catalog: cat, session }, st.name);
      const columns = st.columns.map((c) => ({ name: c.name, type: resolveTypeName(c.type), nullable: c.nullable }));
      const existed = cat.getTable(n.database, n.schema, n.table) !== null;
      cat.createTable(n.database, n.schema, n.table, columns, {
        clusterBy: st.clusterBy,
        ifNotExists: st.ifNotExists,
        orReplace: st.orReplace,
        queryId,
      });
      if (existed && st.ifNotExists) return status(`${n.table} already exists, statement succeeded.`);
      return status(`Table ${n.table} successfully created.`);
    }
    case 'drop_table': {
      const n = resolveTableName({ catalog: cat, session }, st.name);
      cat.dropTable(n.database, n.schema, n.table, { ifExists: st.ifExists });
      return status(`${n.table} successfully dropped.`);
    }
    case 'alter_table':
    case 'alter_container':
      return runAlter(env, st, session, queryId);
    case 'use':
      return { ...status('Statement executed successfully.'), context: use(env, st, session) };
    case 'show':
      return show(env, st, session);
    case 'show_versions':
      return showVersions(env, st, session);
    case 'create_clone':
      return createClone(env, st, session, queryId);
    case 'undrop':
      return undrop(env, st, session);
    case 'describe_table': {
      const n = resolveTableName({ catalog: cat, session }, st.name);
      const t = cat.getTable(n.database, n.schema, n.table);
      if (!t) throw new CompilationError('OBJECT_NOT_FOUND', `Table '${n.database}.${n.schema}.${n.table}' does not exist or not authorized.`);
      return table(
        [['name', 'v'], ['type', 'v'], ['kind', 'v'], ['null?', 'v'], ['default', 'v'], ['primary key', 'v'], ['unique key', 'v']],
        t.columns.map((c) => [c.name, typeToSql(c.type), 'COLUMN', c.nullable ? 'Y' : 'N', defaultText(c), 'N', 'N']),
      );
    }
    default:
      throw new CompilationError('SYNTAX', `statement ${st.kind} is not a DDL statement`);
  }
}

function use(env: EngineEnv, st: Extract<Statement, { kind: 'use' }>, session: SessionContext): SessionContext {
  const cat = env.catalog;
  const parts = st.name.parts;
  const type = st.objectType ?? (parts.length === 2 ? 'SCHEMA' : 'DATABASE');
  if (type === 'WAREHOUSE') {
    if (!cat.getWarehouse(parts[0])) throw new CompilationError('OBJECT_NOT_FOUND', `Object does not exist, or operation cannot be performed: warehouse '${clipValue(parts[0])}'.`);
    return { ...session, warehouse: parts[0] };
  }
  if (type === 'DATABASE') {
    if (!cat.getDatabase(parts[0])) throw new CompilationError('OBJECT_NOT_FOUND', `Object does not exist, or operation cannot be performed: database '${clipValue(parts[0])}'.`);
    const hasPublic = cat.getSchema(parts[0], 'PUBLIC') !== null;
    return { ...session, database: parts[0], schema: hasPublic ? 'PUBLIC' : null };
  }
  const { database, schema } = schemaOf(st.name, session);
  if (!cat.getSchema(database, schema)) throw new CompilationError('OBJECT_NOT_FOUND', `Object does not exist, or operation cannot be performed: schema '${database}.${schema}'.`);
  return { ...session, database, schema };
}

function likeFilter(pattern: string | null): (name: string) => boolean {
  if (pattern === null) return () => true;
  const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
  return (name) => re.test(name);
}

/** What AT | BEFORE of a CLONE source resolves against: this statement's clock. */
function bindContext(env: EngineEnv, session: SessionContext, queryId: string | null): BindContext {
  return { catalog: env.catalog, session, travel: env.history.clock(queryId, env.config.dataRetentionDays) };
}

/** What UNDROP and SHOW TABLES HISTORY judge retention by. */
function retention(env: EngineEnv): { nowMs: number; defaultRetentionDays: number } {
  return { nowMs: Date.now(), defaultRetentionDays: env.config.dataRetentionDays };
}

/**
 * CREATE [OR REPLACE] {TABLE | SCHEMA | DATABASE} [IF NOT EXISTS] x CLONE y [AT | BEFORE (...)]
 * [EXPIRES_AFTER = s]: one catalog transaction; answers as CREATE does.
 */
function createClone(env: EngineEnv, st: Extract<Statement, { kind: 'create_clone' }>, session: SessionContext, queryId: string): Answer {
  const cat = env.catalog;
  const ctx = bindContext(env, session, queryId);
  const opts = { orReplace: st.orReplace, ifNotExists: st.ifNotExists, queryId };
  switch (st.objectType) {
    case 'TABLE': {
      const source = lookupTable(ctx, st.source);
      const version = st.at ? resolveTimeTravel(ctx, source, st.at) : source.currentVersion;
      const n = resolveTableName(ctx, st.name);
      if (st.ifNotExists && cat.getTable(n.database, n.schema, n.table)) return status(`${n.table} already exists, statement succeeded.`);
      const expiresAt = st.expiresAfterSeconds === null ? null : new Date(ctx.travel!.startMs + st.expiresAfterSeconds * 1000);
      cat.cloneTable({ tableId: source.id, version }, { database: n.database, schema: n.schema, name: n.table }, { ...opts, expiresAt });
      return status(`Table ${n.table} successfully created.`);
    }
    case 'SCHEMA': {
      const src = schemaOf(st.source, session);
      if (!cat.getSchema(src.database, src.schema)) throw new CompilationError('OBJECT_NOT_FOUND', `Schema '${src.database}.${src.schema}' does not exist or not authorized.`);
      const dst = schemaOf(st.name, session);
      if (st.ifNotExists && cat.getSchema(dst.database, dst.schema)) return status(`${dst.schema} already exists, statement succeeded.`);
      const atMs = st.at ? timeTravelMs(ctx, st.at) : undefined;
      cat.cloneSchema({ ...src, atMs }, { database: dst.database, name: dst.schema }, opts);
      return { ...status(`Schema ${dst.schema} successfully created.`), context: { ...session, database: dst.database, schema: dst.schema } };
    }
    case 'DATABASE': {
      const source = st.source.parts[st.source.parts.length - 1];
      const name = st.name.parts[st.name.parts.length - 1];
      if (!cat.getDatabase(source)) throw new CompilationError('OBJECT_NOT_FOUND', `Database '${source}' does not exist or not authorized.`);
      if (st.ifNotExists && cat.getDatabase(name)) return status(`${name} already exists, statement succeeded.`);
      const atMs = st.at ? timeTravelMs(ctx, st.at) : undefined;
      cat.cloneDatabase({ database: source, atMs }, name, opts);
      const schema = cat.getSchema(name, 'PUBLIC') ? 'PUBLIC' : null;
      return { ...status(`Database ${name} successfully created.`), context: { ...session, database: name, schema } };
    }
  }
}

/** UNDROP {TABLE | SCHEMA | DATABASE}: the most recently dropped one of that name within retention. */
function undrop(env: EngineEnv, st: Extract<Statement, { kind: 'undrop' }>, session: SessionContext): Answer {
  const cat = env.catalog;
  switch (st.objectType) {
    case 'TABLE': {
      const n = resolveTableName({ catalog: cat, session }, st.name);
      const t = cat.undropTable(n.database, n.schema, n.table, retention(env));
      return status(`Table ${t.name} successfully restored.`);
    }
    case 'SCHEMA': {
      const { database, schema } = schemaOf(st.name, session);
      const s = cat.undropSchema(database, schema, retention(env));
      return status(`Schema ${s.name} successfully restored.`);
    }
    case 'DATABASE': {
      const d = cat.undropDatabase(st.name.parts[st.name.parts.length - 1], retention(env));
      return status(`Database ${d.name} successfully restored.`);
    }
  }
}

/**
 * SHOW VERSIONS IN TABLE t (a Firn extension): the table's version log, oldest first, with
 * what each version added and removed.
 */
function showVersions(env: EngineEnv, st: Extract<Statement, { kind: 'show_versions' }>, session: SessionContext): Answer {
  const t = lookupTable({ catalog: env.catalog, session }, st.table);
  return table(
    [['version', 'n'], ['committed_on', 't'], ['query_id', 'v'], ['operation', 'v'], ['rows_added', 'n'], ['rows_removed', 'n'], ['partitions_added', 'n'], ['partitions_removed', 'n']],
    env.catalog
      .versionLog(t.id)
      .map((v) => [BigInt(v.version), nanos(v.committedAt), v.queryId, v.operation, BigInt(v.rowsAdded), BigInt(v.rowsRemoved), BigInt(v.partitionsAdded), BigInt(v.partitionsRemoved)]),
  );
}

function show(env: EngineEnv, st: Extract<Statement, { kind: 'show' }>, session: SessionContext): Answer {
  const cat = env.catalog;
  const like = likeFilter(st.like);
  switch (st.objectType) {
    case 'DATABASES':
      return table(
        [['created_on', 't'], ['name', 'v'], ['is_current', 'v']],
        cat.listDatabases().filter((d) => like(d.name)).map((d) => [nanos(d.createdAt), d.name, d.name === session.database ? 'Y' : 'N']),
      );
    case 'SCHEMAS': {
      const database = st.in?.parts[0] ?? session.database;
      if (!database) throw new CompilationError('OBJECT_NOT_FOUND', 'This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
      return table(
        [['created_on', 't'], ['name', 'v'], ['is_current', 'v'], ['database_name', 'v']],
        cat.listSchemas(database).filter((s) => like(s.name)).map((s) => [nanos(s.createdAt), s.name, database === session.database && s.name === session.schema ? 'Y' : 'N', database]),
      );
    }
    case 'TABLES': {
      const { database, schema } = st.in ? schemaOf(st.in, session) : { database: session.database, schema: session.schema };
      if (!database || !schema) throw new CompilationError('OBJECT_NOT_FOUND', 'This session does not have a current schema. Call \'USE SCHEMA\', or use a qualified name.');
      const columns: [string, 'v' | 'n' | 't' | 'b'][] = [['created_on', 't'], ['name', 'v'], ['database_name', 'v'], ['schema_name', 'v'], ['kind', 'v'], ['cluster_by', 'v'], ['rows', 'n'], ['bytes', 'n']];
      const row = (t: TableInfo): Scalar[] => {
        const parts = cat.livePartitions(t.id, t.currentVersion);
        const rows = parts.reduce((n, p) => n + p.rowCount, 0);
        const bytes = parts.reduce((n, p) => n + p.byteSize, 0);
        return [nanos(t.createdAt), t.name, t.database, t.schema, 'TABLE', t.clusterBy.length ? `LINEAR(${t.clusterBy.join(', ')})` : '', BigInt(rows), BigInt(bytes)];
      };
      // HISTORY: dropped tables still within retention too, with when they were dropped.
      if (st.history) {
        return table(
          [...columns, ['retention_time', 'v'], ['dropped_on', 't']],
          cat
            .listTablesHistory(database, schema, retention(env))
            .filter((t) => like(t.name))
            .map((t) => [...row(t), String(t.retentionDays), t.droppedAt === null ? null : nanos(t.droppedAt)]),
        );
      }
      return table(columns, cat.listTables(database, schema).filter((t) => like(t.name)).map(row));
    }
    case 'WAREHOUSES':
      return showWarehouses(env, like, session);
    default:
      throw new CompilationError('SYNTAX', `SHOW ${st.objectType} is answered by the stage statements (run-stage.ts)`);
  }
}

/** DESCRIBE TABLE's `default`: the column's DEFAULT (ADD COLUMN) as a SQL literal, null without one. */
function defaultText(c: ColumnInfo): string | null {
  const d = c.default;
  if (d === null) return null;
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  switch (c.type.kind) {
    case 'NUMBER':
      return formatDecimal(BigInt(d as string | number), c.type.scale);
    case 'BOOLEAN':
      return d ? 'TRUE' : 'FALSE';
    case 'DATE':
      return quote(formatDate(d as number));
    case 'TIMESTAMP_NTZ':
      return quote(formatTimestampNanos(BigInt(d as string | number)));
    case 'VARCHAR':
      return quote(String(d));
    default:
      return String(d);
  }
}
