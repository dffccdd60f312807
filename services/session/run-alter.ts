/**
 * ALTER TABLE and ALTER DATABASE | SCHEMA: schema changes (ADD / DROP / RENAME COLUMN), RENAME
 * TO, SWAP WITH, CLUSTER BY and DATA_RETENTION_TIME_IN_DAYS. All of them are metadata only:
 * the catalog versions the columns (a column keeps its id and physical name across a rename,
 * a re-added name gets a fresh physical name), so no data is rewritten; partitions written
 * before an ADD COLUMN read its default (services/physical/physical-columns.ts).
 *
 * Contract: runAlter answers Snowflake's one-row status "Statement executed successfully.".
 * Every ALTER needs ownership of what it alters (SWAP: of both tables; a RENAME into another
 * schema also CREATE TABLE there); what the role cannot see reads as missing.
 * An ADD COLUMN DEFAULT is a constant expression cast to the column's type, or (the table
 * empty) a sequence's NEXTVAL or AUTOINCREMENT (column-defaults.ts). A missing
 * table, schema or database is OBJECT_NOT_FOUND unless IF EXISTS, which then succeeds doing
 * nothing. The catalog raises the other errors (000904 for an unknown or duplicate column).
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import type { TableInfo } from '../catalog/catalog.js';
import { bindColumnDefault } from './column-defaults.js';
import type { ObjectName, Statement } from '../sql/ast.js';
import { resolveTableName } from '../plan/bind-query.js';
import { canSeeDatabase, canSeeSchema, canSeeTable, requireDatabase, requireSchema, requireTable, type AccessContext } from '../access/access-check.js';
import { OWNERSHIP } from '../access/privilege-names.js';
import { resolveTypeName } from '../plan/resolve-type-name.js';
import type { EngineEnv } from './engine-env.js';
import { status, type Answer } from './answer.js';
import type { SessionContext } from './statement-result.js';

const DONE = 'Statement executed successfully.';

export function runAlter(env: EngineEnv, st: Extract<Statement, { kind: 'alter_table' | 'alter_container' }>, session: SessionContext, queryId: string): Answer {
  if (st.kind === 'alter_container') return alterContainer(env, st, session);
  const cat = env.catalog;
  const t = findTable(env, st.name, session, st.ifExists);
  if (t === null) return status(DONE);
  const a = st.action;
  switch (a.kind) {
    case 'add_column': {
      const type = resolveTypeName(a.column.type);
      const dflt = bindColumnDefault({ catalog: cat, session }, { name: a.column.name, type, default: a.default, identity: a.column.identity });
      cat.alterTable(t.id, { kind: 'add_column', column: { name: a.column.name, type, nullable: a.column.nullable, ...dflt } }, queryId);
      break;
    }
    case 'drop_column':
      cat.alterTable(t.id, { kind: 'drop_column', name: a.name }, queryId);
      break;
    case 'rename_column':
      cat.alterTable(t.id, { kind: 'rename_column', from: a.from, to: a.to }, queryId);
      break;
    case 'cluster_by':
      cat.alterTable(t.id, { kind: 'cluster_by', keys: a.keys }, queryId);
      break;
    case 'rename': {
      // An unqualified new name stays in the table's schema; a qualified one moves it.
      const to = a.to.parts.length === 1 ? { database: t.database, schema: t.schema, table: a.to.parts[0] } : resolveTableName({ catalog: cat, session }, a.to);
      // Moving it into another schema creates a table there.
      if (to.database !== t.database || to.schema !== t.schema) requireSchema({ catalog: cat, session }, to.database, to.schema, 'CREATE TABLE');
      cat.renameTable(t.id, { database: to.database, schema: to.schema, name: to.table });
      break;
    }
    case 'swap': {
      const other = findTable(env, a.with, session, false)!;
      cat.swapTables(t.id, other.id);
      break;
    }
    case 'set_retention':
      cat.setRetention({ kind: 'table', tableId: t.id }, a.days);
      break;
  }
  return status(DONE);
}

/** ALTER DATABASE | SCHEMA x SET | UNSET DATA_RETENTION_TIME_IN_DAYS. */
function alterContainer(env: EngineEnv, st: Extract<Statement, { kind: 'alter_container' }>, session: SessionContext): Answer {
  const cat = env.catalog;
  const ctx: AccessContext = { catalog: cat, session };
  if (st.objectType === 'DATABASE') {
    const database = st.name.parts[0];
    const db = cat.getDatabase(database);
    if (st.ifExists && (db === null || !canSeeDatabase(ctx, db))) return status(DONE);
    if (db) requireDatabase(ctx, db, OWNERSHIP);
    cat.setRetention({ kind: 'database', database }, st.action.days);
    return status(DONE);
  }
  const [a, b] = st.name.parts;
  const database = st.name.parts.length === 2 ? a : session.database;
  if (!database) throw new CompilationError('OBJECT_NOT_FOUND', 'This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
  const schema = st.name.parts.length === 2 ? b : a;
  const s = cat.getSchema(database, schema);
  if (st.ifExists && (s === null || !canSeeSchema(ctx, s))) return status(DONE);
  requireSchema(ctx, database, schema, OWNERSHIP);
  cat.setRetention({ kind: 'schema', database, schema }, st.action.days);
  return status(DONE);
}

/**
 * The live table `name` names, which the role must own; null for a missing one (or one the role
 * cannot see) under IF EXISTS, else OBJECT_NOT_FOUND.
 */
function findTable(env: EngineEnv, name: ObjectName, session: SessionContext, ifExists: boolean): TableInfo | null {
  const ctx: AccessContext = { catalog: env.catalog, session };
  const n = resolveTableName(ctx, name);
  const t = env.catalog.getTable(n.database, n.schema, n.table);
  if (t !== null && canSeeTable(ctx, t)) {
    requireTable(ctx, t, [OWNERSHIP]);
    return t;
  }
  if (ifExists) return null;
  throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Table '${n.database}.${n.schema}.${n.table}' does not exist or not authorized.`);
}
