/**
 * SHOW COLUMNS: a row for each column of each live table in the scope that the statement's
 * role sees, with Snowflake's output columns (table_name, schema_name, column_name, data_type
 * as Snowflake's JSON, null? as 'true' | 'false', default, kind COLUMN, expression, comment,
 * database_name, autoincrement), ordered by database, schema, table and column position.
 *
 * Contract: the scope (front/show-columns.ts) is a table (visible to the role, else 002003
 * exactly as a missing one), a schema or database the role may use (else it reads as missing),
 * the account (every database the role may use), or without IN the current database (the
 * account when the session has none). `like` filters by column name.
 */
import type { DatabaseInfo, SchemaInfo, TableInfo } from '../catalog/catalog.js';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Scalar } from '../../storage/types/scalar.js';
import { canSeeTable, canUseDatabase, canUseSchema, type AccessContext } from '../access/access-check.js';
import { containerNotFound } from '../access/access-errors.js';
import { columnDefaultText, identityText, sequenceDefaultText, showColumnsDataType } from '../plan/information-schema/column-facets.js';
import { lookupTable } from '../plan/bind-query.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Statement } from '../sql/ast.js';
import type { Answer } from './answer.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';

const OUTPUT = ['table_name', 'schema_name', 'column_name', 'data_type', 'null?', 'default', 'kind', 'expression', 'comment', 'database_name', 'autoincrement'];
const COLUMNS: Column[] = OUTPUT.map((name) => ({ name, type: Types.varchar, nullable: true }));

export function runShowColumns(env: EngineEnv, st: Extract<Statement, { kind: 'show_columns' }>, session: SessionContext, like: (name: string) => boolean): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  const rows: Scalar[][] = [];
  for (const t of tablesInScope(ctx, st.scope, session)) {
    for (const c of t.columns) {
      if (!like(c.name)) continue;
      // An identity column's generator is its autoincrement, its default empty (Snowflake).
      const dflt = c.sequence?.identity ? '' : (sequenceDefaultText(c, env.catalog.sequences) ?? columnDefaultText(c) ?? '');
      rows.push([t.name, t.schema, c.name, showColumnsDataType(c.type, c.nullable), c.nullable ? 'true' : 'false', dflt, 'COLUMN', '', '', t.database, identityText(c, env.catalog.sequences) ?? '']);
    }
  }
  return { columns: COLUMNS, batch: rowsToBatch(COLUMNS, rows) };
}

function tablesInScope(ctx: AccessContext, scope: Extract<Statement, { kind: 'show_columns' }>['scope'], session: SessionContext): TableInfo[] {
  const cat = ctx.catalog;
  switch (scope.kind) {
    case 'TABLE':
      return [lookupTable(ctx, scope.name, [])];
    case 'SCHEMA': {
      const parts = scope.name?.parts ?? [];
      const database = parts.length === 2 ? parts[0] : session.database;
      const schema = parts.length === 0 ? session.schema : parts[parts.length - 1];
      if (!database || !schema) throw new CompilationError('OBJECT_NOT_FOUND', 'This session does not have a current schema. Call \'USE SCHEMA\', or use a qualified name.');
      const s = cat.getSchema(database, schema);
      if (!s || !canUseSchema(ctx, s)) throw containerNotFound('SCHEMA', `${database}.${schema}`);
      return tablesOf(ctx, database, [s]);
    }
    case 'DATABASE':
    case 'CURRENT': {
      const database = scope.kind === 'DATABASE' ? (scope.name?.parts[0] ?? session.database) : session.database;
      if (database === null) {
        if (scope.kind === 'CURRENT') return databaseTables(ctx, cat.listDatabases());
        throw new CompilationError('OBJECT_NOT_FOUND', 'This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
      }
      const db = cat.getDatabase(database);
      if (!db || !canUseDatabase(ctx, db)) throw containerNotFound('DATABASE', database);
      return databaseTables(ctx, [db]);
    }
    case 'ACCOUNT':
      return databaseTables(ctx, cat.listDatabases());
  }
}

/** The tables of every database (that the role may use) and of its schemas that it may use. */
function databaseTables(ctx: AccessContext, databases: DatabaseInfo[]): TableInfo[] {
  return databases.filter((d) => canUseDatabase(ctx, d)).flatMap((d) => tablesOf(ctx, d.name, ctx.catalog.listSchemas(d.name).filter((s) => canUseSchema(ctx, s))));
}

function tablesOf(ctx: AccessContext, database: string, schemas: SchemaInfo[]): TableInfo[] {
  return schemas.flatMap((s) => ctx.catalog.listTables(database, s.name).filter((t) => canSeeTable(ctx, t)));
}
