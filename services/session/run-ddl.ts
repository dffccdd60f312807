/**
 * Statements that only touch metadata: CREATE/DROP DATABASE, SCHEMA and TABLE (warehouses:
 * run-warehouse.ts),
 * CREATE ... CLONE (zero-copy: catalog rows only, nothing written to the object store),
 * UNDROP, ALTER (run-alter.ts), USE, SHOW (TABLES HISTORY, COLUMNS: show-columns.ts, and Firn's SHOW VERSIONS IN TABLE)
 * and DESCRIBE. Each answers like Snowflake: a one-row `status` for DDL, a table of objects for
 * SHOW/DESCRIBE.
 *
 * Privileges (services/access/access-check.ts): CREATE DATABASE is the account's privilege,
 * CREATE SCHEMA and CREATE TABLE the container's; OR REPLACE, DROP and UNDROP need ownership;
 * what a statement creates is owned by its role (in the transaction that creates it); USE needs
 * USAGE; SHOW and DESCRIBE see only what the role sees, and what it cannot see reads as missing
 * (IF EXISTS then does nothing).
 */
import { CompilationError, type FirnError } from '../../storage/errors/firn-error.js';
import {
  canReadTable,
  canSeeDatabase,
  canSeeSchema,
  canSeeTable,
  canSeeWarehouse,
  canUseDatabase,
  canUseSchema,
  canUseWarehouse,
  privilegesOf,
  requireAccount,
  requireCreateSchema,
  requireCreateTable,
  requireDatabase,
  requireSchema,
  requireTable,
  usableSchema,
  type AccessContext,
} from '../access/access-check.js';
import { containerNotFound, insufficientPrivileges } from '../access/access-errors.js';
import { OWNERSHIP, type OwnableKind } from '../access/privilege-names.js';
import { ownCreated, ownCreatedTable } from '../access/record-ownership.js';
import { Types, typeToSql } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import type { ObjectName, Statement } from '../sql/ast.js';
import { lookupTable, resolveTableName } from '../plan/bind-query.js';
import type { BindContext } from '../plan/bind-context.js';
import { resolveTimeTravel, timeTravelMs } from '../plan/resolve-time-travel.js';
import { resolveTypeName } from '../plan/resolve-type-name.js';
import { INFORMATION_SCHEMA } from '../plan/information-schema/system-view.js';
import { describedDefault } from '../plan/information-schema/column-facets.js';
import { bindColumnDefault } from './column-defaults.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { SchemaInfo, TableInfo } from '../catalog/catalog.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { runAlter } from './run-alter.js';
import { runShowColumns } from './show-columns.js';
import { showWarehouses } from './run-warehouse.js';
import { status, type Answer } from './answer.js';
import { likeFilter } from './like-filter.js';
import { displayName, dropTemporaryTable, isTemporaryName, listedName, temporaryTarget } from './temporary-objects.js';
import { describeView, wrongType } from './run-view.js';
import { findView } from '../plan/expand-view.js';
import { canSeeView } from '../access/view-access.js';

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
  const ctx: AccessContext = { catalog: cat, session };
  switch (st.kind) {
    case 'create_database': {
      const old = cat.getDatabase(st.name);
      const existed = old !== null;
      requireAccount(ctx, 'CREATE DATABASE');
      if (old && st.orReplace) requireDatabase(ctx, old, OWNERSHIP);
      // The database and its PUBLIC schema in one transaction, with their owner: no one sees one without the other.
      cat.grants.atomically(() => {
        const db = cat.createDatabase(st.name, { ifNotExists: st.ifNotExists, orReplace: st.orReplace, schema: 'PUBLIC' });
        if (db.id !== old?.id) ownCreated(ctx, 'DATABASE', db.id);
        const pub = cat.getSchema(db.name, 'PUBLIC')!;
        if (cat.grants.ownerOf('SCHEMA', pub.id) === null) ownCreated(ctx, 'SCHEMA', pub.id);
      });
      const context = { ...session, database: st.name, schema: 'PUBLIC' };
      if (existed && st.ifNotExists) return { ...status(`${st.name} already exists, statement succeeded.`), context };
      return { ...status(`Database ${st.name} successfully created.`), context };
    }
    case 'drop_database': {
      // One the role cannot see reads as missing: IF EXISTS then drops nothing.
      const db = cat.getDatabase(st.name);
      if (db && !canSeeDatabase(ctx, db) && st.ifExists) return status(`${st.name} successfully dropped.`);
      if (db) requireDatabase(ctx, db, OWNERSHIP);
      cat.dropDatabase(st.name, { ifExists: st.ifExists });
      return {
        ...status(`${st.name} successfully dropped.`),
        context: session.database === st.name ? { ...session, database: null, schema: null } : session,
      };
    }
    case 'create_schema': {
      const { database, schema } = schemaOf(st.name, session);
      // Every database has INFORMATION_SCHEMA already (its views); no schema may take the name.
      if (schema === INFORMATION_SCHEMA && cat.getDatabase(database)) {
        if (st.ifNotExists) return status(`${schema} already exists, statement succeeded.`);
        throw new CompilationError('OBJECT_EXISTS', `SQL compilation error: Object '${schema}' already exists.`);
      }
      const db = cat.getDatabase(database);
      const old = cat.getSchema(database, schema);
      if (db) requireCreateSchema(ctx, db);
      if (old && st.orReplace) requireSchema(ctx, database, schema, OWNERSHIP);
      cat.grants.atomically(() => {
        const created = cat.createSchema(database, schema, { ifNotExists: st.ifNotExists, orReplace: st.orReplace });
        if (created.id !== old?.id) ownCreated(ctx, 'SCHEMA', created.id);
      });
      return { ...status(`Schema ${schema} successfully created.`), context: { ...session, database, schema } };
    }
    case 'drop_schema': {
      const { database, schema } = schemaOf(st.name, session);
      const s = cat.getSchema(database, schema);
      if (s && !canSeeSchema(ctx, s) && st.ifExists) return status(`${schema} successfully dropped.`);
      requireSchema(ctx, database, schema, OWNERSHIP);
      cat.dropSchema(database, schema, { ifExists: st.ifExists });
      const gone = session.database === database && session.schema === schema;
      return { ...status(`${schema} successfully dropped.`), context: gone ? { ...session, schema: null } : session };
    }
    case 'create_table': {
      // A temporary table is stored under the session's name for it (temporary-objects.ts); a permanent one names its own.
      const plain = resolveTableName(ctx, st.name, true);
      const n = st.temporary ? temporaryTarget(session.temporary, plain) : plain;
      const columns = st.columns.map((c) => {
        const type = resolveTypeName(c.type);
        return { name: c.name, type, nullable: c.nullable, ...bindColumnDefault(ctx, { name: c.name, type, default: c.default ?? null, identity: c.identity }) };
      });
      const old = cat.getTable(n.database, n.schema, n.table);
      const existed = old !== null;
      requireCreateTable(ctx, n, st.orReplace);
      cat.grants.atomically(() => {
        const t = cat.createTable(n.database, n.schema, n.table, columns, {
          clusterBy: st.clusterBy,
          ifNotExists: st.ifNotExists,
          orReplace: st.orReplace,
          transient: st.transient === true || st.temporary === true,
          queryId,
        });
        if (t.id !== old?.id) ownCreatedTable(ctx, t);
      });
      if (existed && st.ifNotExists) return status(`${plain.table} already exists, statement succeeded.`);
      return status(`Table ${plain.table} successfully created.`);
    }
    case 'drop_table': {
      const n = resolveTableName(ctx, st.name);
      const t = cat.getTable(n.database, n.schema, n.table);
      if (!t) {
        const view = findView(ctx, n);
        if (view && canSeeView(ctx, view.view, view.schema)) throw wrongType('VIEW', 'TABLE');
      }
      if (t && !canSeeTable(ctx, t) && st.ifExists) return status(`${displayName(n.table)} successfully dropped.`);
      if (t) requireTable(ctx, t, [OWNERSHIP]);
      // A temporary table goes for good (retention 0), as it would when its session ends.
      if (t && isTemporaryName(n.table)) dropTemporaryTable(cat, n.database, n.schema, n.table);
      else cat.dropTable(n.database, n.schema, n.table, { ifExists: st.ifExists });
      return status(`${displayName(n.table)} successfully dropped.`);
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
    case 'show_columns':
      return runShowColumns(env, st, session, likeFilter(st.like));
    case 'create_clone':
      return createClone(env, st, session, queryId);
    case 'undrop':
      return undrop(env, st, session);
    case 'describe_table': {
      const n = resolveTableName(ctx, st.name);
      const t = cat.getTable(n.database, n.schema, n.table);
      // DESCRIBE TABLE of a view describes the view, as in Snowflake.
      if (!t && findView(ctx, n)) return describeView(ctx, st.name);
      if (!t || !canSeeTable(ctx, t)) throw new CompilationError('OBJECT_NOT_FOUND', `Table '${n.database}.${n.schema}.${n.table}' does not exist or not authorized.`);
      return table(
        [['name', 'v'], ['type', 'v'], ['kind', 'v'], ['null?', 'v'], ['default', 'v'], ['primary key', 'v'], ['unique key', 'v']],
        t.columns.map((c) => [c.name, typeToSql(c.type), 'COLUMN', c.nullable ? 'Y' : 'N', describedDefault(c, cat.sequences), 'N', 'N']),
      );
    }
    default:
      throw new CompilationError('SYNTAX', `statement ${st.kind} is not a DDL statement`);
  }
}

/**
 * USE WAREHOUSE | DATABASE | SCHEMA: the object must exist and the role hold USAGE on it (on a
 * schema's database too); without, 003001 on it, as Snowflake answers USE.
 */
function use(env: EngineEnv, st: Extract<Statement, { kind: 'use' }>, session: SessionContext): SessionContext {
  const cat = env.catalog;
  const ctx: AccessContext = { catalog: cat, session };
  const parts = st.name.parts;
  const type = st.objectType ?? (parts.length === 2 ? 'SCHEMA' : 'DATABASE');
  if (type === 'WAREHOUSE') {
    const w = cat.getWarehouse(parts[0]);
    if (!w) throw new CompilationError('OBJECT_NOT_FOUND', `Object does not exist, or operation cannot be performed: warehouse '${clipValue(parts[0])}'.`);
    if (!canUseWarehouse(ctx, w)) throw insufficientPrivileges('WAREHOUSE', w.name);
    return { ...session, warehouse: parts[0] };
  }
  if (type === 'DATABASE') {
    const db = cat.getDatabase(parts[0]);
    if (!db) throw new CompilationError('OBJECT_NOT_FOUND', `Object does not exist, or operation cannot be performed: database '${clipValue(parts[0])}'.`);
    if (!canUseDatabase(ctx, db)) throw insufficientPrivileges('DATABASE', db.name);
    const hasPublic = cat.getSchema(parts[0], 'PUBLIC') !== null;
    return { ...session, database: parts[0], schema: hasPublic ? 'PUBLIC' : null };
  }
  const { database, schema } = schemaOf(st.name, session);
  const s = cat.getSchema(database, schema);
  if (!s) throw new CompilationError('OBJECT_NOT_FOUND', `Object does not exist, or operation cannot be performed: schema '${database}.${schema}'.`);
  const db = cat.getDatabase(database)!;
  if (!canUseDatabase(ctx, db)) throw insufficientPrivileges('DATABASE', database);
  if (!canUseSchema(ctx, s)) throw insufficientPrivileges('SCHEMA', schema);
  return { ...session, database, schema };
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
 * [EXPIRES_AFTER = s]: one catalog transaction; answers as CREATE does. The clone and all it
 * holds belong to the statement's role (a new table also gets its schema's future grants).
 * Cloning reads the source, so the role needs what reading it needs: SELECT on a cloned table
 * (checked on the live table, whatever point AT names), USAGE on a cloned schema or database
 * and SELECT on every table the clone copies, else 003001 on the source and nothing is cloned;
 * plus what creating the clone needs (CREATE TABLE | CREATE SCHEMA on the target's container,
 * CREATE DATABASE, ownership of what OR REPLACE replaces).
 */
function createClone(env: EngineEnv, st: Extract<Statement, { kind: 'create_clone' }>, session: SessionContext, queryId: string): Answer {
  const cat = env.catalog;
  const ctx = bindContext(env, session, queryId);
  const opts = { orReplace: st.orReplace, ifNotExists: st.ifNotExists, queryId };
  switch (st.objectType) {
    case 'TABLE': {
      const source = lookupTable(ctx, st.source, ['SELECT']);
      const version = st.at ? resolveTimeTravel(ctx, source, st.at) : source.currentVersion;
      const n = resolveTableName(ctx, st.name);
      requireCreateTable(ctx, n, st.orReplace);
      if (st.ifNotExists && cat.getTable(n.database, n.schema, n.table)) return status(`${n.table} already exists, statement succeeded.`);
      const expiresAt = st.expiresAfterSeconds === null ? null : new Date(ctx.travel!.startMs + st.expiresAfterSeconds * 1000);
      cat.grants.atomically(() => {
        const t = cat.cloneTable({ tableId: source.id, version }, { database: n.database, schema: n.schema, name: n.table }, { ...opts, expiresAt, transient: st.transient === true });
        ownCreatedTable(ctx, t);
      });
      return status(`Table ${n.table} successfully created.`);
    }
    case 'SCHEMA': {
      const src = schemaOf(st.source, session);
      const srcSchema = usableSchema(ctx, src.database, src.schema);
      if (!srcSchema) throw new CompilationError('OBJECT_NOT_FOUND', `Schema '${src.database}.${src.schema}' does not exist or not authorized.`);
      const dst = schemaOf(st.name, session);
      const dstDb = cat.getDatabase(dst.database);
      if (dstDb) requireCreateSchema(ctx, dstDb);
      const old = cat.getSchema(dst.database, dst.schema);
      if (st.ifNotExists && old) return status(`${dst.schema} already exists, statement succeeded.`);
      if (old && st.orReplace) requireSchema(ctx, dst.database, dst.schema, OWNERSHIP);
      const atMs = st.at ? timeTravelMs(ctx, st.at) : undefined;
      const denied = () => insufficientPrivileges('SCHEMA', src.schema);
      const read = readableTables(env, ctx, src.database, [srcSchema], atMs ?? ctx.travel!.startMs, denied);
      const views = clonableViews(ctx, [srcSchema], denied);
      cat.grants.atomically(() => {
        const s = cat.cloneSchema({ ...src, atMs }, { database: dst.database, name: dst.schema }, { ...opts, owner: session.role ?? null });
        ownCreated(ctx, 'SCHEMA', s.id);
        for (const q of cat.sequences.listSequences(s.id)) ownCreated(ctx, 'SEQUENCE', q.id);
        ownClonedTables(ctx, dst.database, [[s.name, src.schema]], read, denied);
        ownClonedViews(ctx, [[s, src.schema]], views, denied);
      });
      return { ...status(`Schema ${dst.schema} successfully created.`), context: { ...session, database: dst.database, schema: dst.schema } };
    }
    case 'DATABASE': {
      const source = st.source.parts[st.source.parts.length - 1];
      const name = st.name.parts[st.name.parts.length - 1];
      const srcDb = cat.getDatabase(source);
      if (!srcDb || !canUseDatabase(ctx, srcDb)) throw new CompilationError('OBJECT_NOT_FOUND', `Database '${source}' does not exist or not authorized.`);
      requireAccount(ctx, 'CREATE DATABASE');
      const old = cat.getDatabase(name);
      if (st.ifNotExists && old) return status(`${name} already exists, statement succeeded.`);
      if (old && st.orReplace) requireDatabase(ctx, old, OWNERSHIP);
      const atMs = st.at ? timeTravelMs(ctx, st.at) : undefined;
      const denied = () => insufficientPrivileges('DATABASE', source);
      const at = atMs ?? ctx.travel!.startMs;
      const schemas = cat.listSchemas(source).filter((s) => s.createdAt.getTime() <= at);
      if (schemas.some((s) => !canUseSchema(ctx, s))) throw denied();
      const read = readableTables(env, ctx, source, schemas, at, denied);
      const views = clonableViews(ctx, schemas, denied);
      cat.grants.atomically(() => {
        const d = cat.cloneDatabase({ database: source, atMs }, name, { ...opts, owner: session.role ?? null });
        ownCreated(ctx, 'DATABASE', d.id);
        const cloned = cat.listSchemas(name);
        for (const s of cloned) ownCreated(ctx, 'SCHEMA', s.id);
        for (const s of cloned) for (const q of cat.sequences.listSequences(s.id)) ownCreated(ctx, 'SEQUENCE', q.id);
        ownClonedTables(ctx, name, cloned.map((s) => [s.name, s.name]), read, denied);
        ownClonedViews(ctx, cloned.map((s) => [s, s.name]), views, denied);
      });
      const schema = cat.getSchema(name, 'PUBLIC') ? 'PUBLIC' : null;
      return { ...status(`Database ${name} successfully created.`), context: { ...session, database: name, schema } };
    }
  }
}

/**
 * The tables of `schemas` a clone at `atMs` copies (live then: created by then and not dropped
 * before), as `schema.table`; each must be readable by the role (SELECT), else `denied()`.
 */
function readableTables(env: EngineEnv, ctx: AccessContext, database: string, schemas: SchemaInfo[], atMs: number, denied: () => FirnError): Set<string> {
  const out = new Set<string>();
  for (const s of schemas) {
    for (const t of env.catalog.listTablesHistory(database, s.name, retention(env))) {
      const live = t.createdAt.getTime() <= atMs && (t.droppedAt === null || t.droppedAt.getTime() > atMs);
      if (!live) continue;
      if (!canReadTable(ctx, t)) throw denied();
      out.add(`${s.name}.${t.name}`);
    }
  }
  return out;
}

/**
 * Inside the clone's transaction: its tables belong to the statement's role; each must be the
 * clone of one `readableTables` checked (a table that appeared in between was not), else
 * `denied()` undoes the clone. `schemas`: each cloned schema with the name of its source.
 */
function ownClonedTables(ctx: AccessContext, database: string, schemas: [clone: string, source: string][], checked: ReadonlySet<string>, denied: () => FirnError): void {
  for (const [schema, source] of schemas) {
    for (const t of ctx.catalog.listTables(database, schema)) {
      if (!checked.has(`${source}.${t.name}`)) throw denied();
      ownCreatedTable(ctx, t);
    }
  }
}

/**
 * The views of `schemas` a clone copies (all but sessions' temporary ones), as `schema.view`:
 * the role must hold SELECT on each, and own a secure one (the clone shows its text to the
 * clone's owner), else `denied()`.
 */
function clonableViews(ctx: AccessContext, schemas: SchemaInfo[], denied: () => FirnError): Set<string> {
  const out = new Set<string>();
  for (const s of schemas) {
    for (const v of ctx.catalog.views.listViews(s.id)) {
      if (isTemporaryName(v.name)) continue;
      const p = privilegesOf(ctx);
      if (p !== null && !(v.secure ? p.owns('VIEW', v.id) : p.owns('VIEW', v.id) || p.has('VIEW', v.id, 'SELECT'))) throw denied();
      out.add(`${s.name}.${v.name}`);
    }
  }
  return out;
}

/**
 * Inside the clone's transaction: its views belong to the statement's role (their queries then
 * bind with its privileges); each must be the copy of one `clonableViews` checked, else `denied()`.
 */
function ownClonedViews(ctx: AccessContext, schemas: [clone: SchemaInfo, source: string][], checked: ReadonlySet<string>, denied: () => FirnError): void {
  for (const [schema, source] of schemas) {
    for (const v of ctx.catalog.views.listViews(schema.id)) {
      if (!checked.has(`${source}.${v.name}`)) throw denied();
      ownCreated(ctx, 'VIEW', v.id);
    }
  }
}

/**
 * UNDROP {TABLE | SCHEMA | DATABASE}: the most recently dropped one of that name within
 * retention. Only its owner may restore it (grants are kept by id, so they come back with it):
 * the restore and the check are one transaction, and a refused UNDROP leaves the object dropped,
 * with 003001 when the role holds some privilege on it and "does not exist or not authorized"
 * when it holds none.
 */
function undrop(env: EngineEnv, st: Extract<Statement, { kind: 'undrop' }>, session: SessionContext): Answer {
  const cat = env.catalog;
  const ctx: AccessContext = { catalog: cat, session };
  const p = privilegesOf(ctx);
  const refuse = (kind: OwnableKind, id: number, label: string, missing: () => FirnError): void => {
    if (p === null || p.owns(kind, id)) return;
    throw p.holdsAny(kind, id) ? insufficientPrivileges(kind, label) : missing();
  };
  switch (st.objectType) {
    case 'TABLE': {
      const n = resolveTableName(ctx, st.name);
      const missing = () => new CompilationError('OBJECT_NOT_FOUND', `Table '${n.database}.${n.schema}.${n.table}' does not exist or not authorized.`);
      const t = cat.grants.atomically(() => {
        const restored = cat.undropTable(n.database, n.schema, n.table, retention(env));
        if (!usableSchema(ctx, n.database, n.schema)) throw missing();
        refuse('TABLE', restored.id, restored.name, missing);
        return restored;
      });
      return status(`Table ${t.name} successfully restored.`);
    }
    case 'SCHEMA': {
      const { database, schema } = schemaOf(st.name, session);
      const missing = () => new CompilationError('OBJECT_NOT_FOUND', `Schema '${database}.${schema}' does not exist or not authorized.`);
      const s = cat.grants.atomically(() => {
        const restored = cat.undropSchema(database, schema, retention(env));
        if (!canUseDatabase(ctx, cat.getDatabase(database)!)) throw missing();
        refuse('SCHEMA', restored.id, restored.name, missing);
        return restored;
      });
      return status(`Schema ${s.name} successfully restored.`);
    }
    case 'DATABASE': {
      const name = st.name.parts[st.name.parts.length - 1];
      const d = cat.grants.atomically(() => {
        const restored = cat.undropDatabase(name, retention(env));
        refuse('DATABASE', restored.id, restored.name, () => new CompilationError('OBJECT_NOT_FOUND', `Database '${name}' does not exist or not authorized.`));
        return restored;
      });
      return status(`Database ${d.name} successfully restored.`);
    }
  }
}

/**
 * SHOW VERSIONS IN TABLE t (a Firn extension): the table's version log, oldest first, with
 * what each version added and removed.
 */
function showVersions(env: EngineEnv, st: Extract<Statement, { kind: 'show_versions' }>, session: SessionContext): Answer {
  const t = lookupTable({ catalog: env.catalog, session }, st.table, ['SELECT']);
  return table(
    [['version', 'n'], ['committed_on', 't'], ['query_id', 'v'], ['operation', 'v'], ['rows_added', 'n'], ['rows_removed', 'n'], ['partitions_added', 'n'], ['partitions_removed', 'n']],
    env.catalog
      .versionLog(t.id)
      .map((v) => [BigInt(v.version), nanos(v.committedAt), v.queryId, v.operation, BigInt(v.rowsAdded), BigInt(v.rowsRemoved), BigInt(v.partitionsAdded), BigInt(v.partitionsRemoved)]),
  );
}

/**
 * SHOW DATABASES | SCHEMAS | TABLES [HISTORY] | WAREHOUSES: only what the role sees (any
 * privilege on it; schemas and tables only in a database and schema it may use, else the
 * container reads as missing).
 */
function show(env: EngineEnv, st: Extract<Statement, { kind: 'show' }>, session: SessionContext): Answer {
  const cat = env.catalog;
  const ctx: AccessContext = { catalog: cat, session };
  const like = likeFilter(st.like);
  switch (st.objectType) {
    case 'DATABASES':
      return table(
        [['created_on', 't'], ['name', 'v'], ['is_current', 'v']],
        cat.listDatabases().filter((d) => like(d.name) && canSeeDatabase(ctx, d)).map((d) => [nanos(d.createdAt), d.name, d.name === session.database ? 'Y' : 'N']),
      );
    case 'SCHEMAS': {
      const database = st.in?.parts[0] ?? session.database;
      if (!database) throw new CompilationError('OBJECT_NOT_FOUND', 'This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
      const db = cat.getDatabase(database);
      if (db && !canUseDatabase(ctx, db)) throw containerNotFound('DATABASE', database);
      return table(
        [['created_on', 't'], ['name', 'v'], ['is_current', 'v'], ['database_name', 'v']],
        cat.listSchemas(database).filter((s) => like(s.name) && canSeeSchema(ctx, s)).map((s) => [nanos(s.createdAt), s.name, database === session.database && s.name === session.schema ? 'Y' : 'N', database]),
      );
    }
    case 'TABLES': {
      const { database, schema } = st.in ? schemaOf(st.in, session) : { database: session.database, schema: session.schema };
      if (!database || !schema) throw new CompilationError('OBJECT_NOT_FOUND', 'This session does not have a current schema. Call \'USE SCHEMA\', or use a qualified name.');
      const s = cat.getSchema(database, schema);
      if (s && !canUseSchema(ctx, s)) throw containerNotFound('SCHEMA', `${database}.${schema}`);
      const columns: [string, 'v' | 'n' | 't' | 'b'][] = [['created_on', 't'], ['name', 'v'], ['database_name', 'v'], ['schema_name', 'v'], ['kind', 'v'], ['cluster_by', 'v'], ['rows', 'n'], ['bytes', 'n']];
      // Another session's temporary tables are not listed; the session's own are, under their names.
      const listed = (t: TableInfo) => listedName(t.name, session.temporary);
      const row = (t: TableInfo): Scalar[] => {
        const parts = cat.livePartitions(t.id, t.currentVersion);
        const rows = parts.reduce((n, p) => n + p.rowCount, 0);
        const bytes = parts.reduce((n, p) => n + p.byteSize, 0);
        const l = listed(t)!;
        return [nanos(t.createdAt), l.name, t.database, t.schema, l.temporary ? 'TEMPORARY' : t.transient ? 'TRANSIENT' : 'TABLE', t.clusterBy.length ? `LINEAR(${t.clusterBy.join(', ')})` : '', BigInt(rows), BigInt(bytes)];
      };
      // HISTORY: dropped tables still within retention too, with when they were dropped.
      if (st.history) {
        return table(
          [...columns, ['retention_time', 'v'], ['dropped_on', 't']],
          cat
            .listTablesHistory(database, schema, retention(env))
            .filter((t) => listed(t) !== null && like(listed(t)!.name) && canSeeTable(ctx, t))
            .map((t) => [...row(t), String(t.retentionDays), t.droppedAt === null ? null : nanos(t.droppedAt)]),
        );
      }
      return table(columns, cat.listTables(database, schema).filter((t) => listed(t) !== null && like(listed(t)!.name) && canSeeTable(ctx, t)).map(row));
    }
    case 'WAREHOUSES':
      return showWarehouses(env, (w) => like(w.name) && canSeeWarehouse(ctx, w), session);
    default:
      throw new CompilationError('SYNTAX', `SHOW ${st.objectType} is answered by the stage statements (run-stage.ts)`);
  }
}

