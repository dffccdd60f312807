/**
 * View statements: CREATE [OR REPLACE] [SECURE] VIEW, DROP VIEW, SHOW VIEWS and DESCRIBE VIEW
 * (DESCRIBE TABLE of a view answers the same, as in Snowflake). Each answers like Snowflake: a
 * one-row `status` for DDL, Snowflake's columns for SHOW and DESCRIBE.
 *
 * Contract:
 * - CREATE binds the query with the creating role's rights, unqualified names resolving in the
 *   view's schema (expand-view.ts binds it again, with the owner's, each time the view is read),
 *   and records the columns it produces; duplicate
 *   column names are INVALID_IDENTIFIER, a column list of the wrong length TYPE_MISMATCH. A view
 *   that would read itself is VIEW_DEFINITION_INVALID. The view and its owner are written in one
 *   catalog transaction. OR REPLACE drops the old view's grants unless COPY GRANTS keeps them (the
 *   new view then keeps the old one's id, so grants kept by id stay; its owner is the creating
 *   role). A view shares its schema's namespace with tables: OBJECT_EXISTS either way.
 * - Access (services/access/view-access.ts): CREATE needs CREATE VIEW on the schema; OR REPLACE
 *   and DROP need ownership; SHOW and DESCRIBE show only what the role sees. A secure view's text
 *   is shown to its owner only.
 * - DROP VIEW of a table, and DROP TABLE of a view (run-ddl.ts), are OBJECT_NOT_FOUND naming the
 *   type found, as Snowflake words it.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { Types, typeToSql } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import { canSeeTable, canUseSchema, type AccessContext } from '../access/access-check.js';
import { containerNotFound, tableNotFound } from '../access/access-errors.js';
import { OWNERSHIP } from '../access/privilege-names.js';
import { ownCreated } from '../access/record-ownership.js';
import { canSeeView, ownsView, requireCreateView, requireView } from '../access/view-access.js';
import type { ViewColumn, ViewRecord } from '../catalog/view-store.js';
import { bindQuery, resolveTableName } from '../plan/bind-query.js';
import { findView } from '../plan/expand-view.js';
import { planColumns } from '../plan/logical-plan.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { ObjectName, Statement } from '../sql/ast.js';
import { status, type Answer } from './answer.js';
import { likeFilter } from './like-filter.js';
import { displayName, listedName, temporaryTarget } from './temporary-objects.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';

export type ViewStatement = Extract<Statement, { kind: 'create_view' | 'drop_view' | 'describe_view' }> | (Extract<Statement, { kind: 'show' }> & { objectType: 'VIEWS' });

export function isViewStatement(st: Statement): st is ViewStatement {
  return st.kind === 'create_view' || st.kind === 'drop_view' || st.kind === 'describe_view' || (st.kind === 'show' && st.objectType === 'VIEWS');
}

export function runView(env: EngineEnv, st: ViewStatement, session: SessionContext, queryId: string): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  switch (st.kind) {
    case 'create_view':
      return createView(env, st, session, queryId);
    case 'drop_view': {
      const n = resolveTableName(ctx, st.name, true);
      const found = findView(ctx, n);
      if (!found || !canSeeView(ctx, found.view, found.schema)) {
        const t = env.catalog.getTable(n.database, n.schema, n.table);
        if (t && canSeeTable(ctx, t)) throw wrongType('TABLE', 'VIEW');
        if (st.ifExists) return status(`Drop statement executed successfully (${clipValue(n.table)} already dropped).`);
        throw tableNotFound(`${n.database}.${n.schema}.${n.table}`);
      }
      requireView(ctx, found.view, found, OWNERSHIP);
      const grants = env.catalog.grants;
      grants.atomically(() => {
        env.catalog.views.dropView(found.schema.id, found.view.name);
        grants.revokeAllOn({ kind: 'VIEW', objectId: found.view.id });
      });
      return status(`${displayName(found.view.name)} successfully dropped.`);
    }
    case 'describe_view':
      return describeView(ctx, st.name);
    case 'show':
      return showViews(env, st, session);
  }
}

/** DESCRIBE VIEW v (and DESCRIBE TABLE v): its columns, as DESCRIBE TABLE shows a table's; null when no view the role sees has the name. */
export function describeView(ctx: AccessContext, name: ObjectName): Answer {
  const n = resolveTableName(ctx, name);
  const found = findView(ctx, n);
  if (!found || !canSeeView(ctx, found.view, found.schema)) throw tableNotFound(`${n.database}.${n.schema}.${n.table}`);
  return answer(
    [['name', 'v'], ['type', 'v'], ['kind', 'v'], ['null?', 'v'], ['default', 'v'], ['primary key', 'v'], ['unique key', 'v']],
    found.view.columns.map((c) => [c.name, typeToSql(c.type), 'COLUMN', 'Y', null, 'N', 'N']),
  );
}

/** "Object found is of type 'VIEW', not specified type 'TABLE'." (002003), as Snowflake answers a DROP of the wrong kind. */
export function wrongType(found: 'TABLE' | 'VIEW', specified: 'TABLE' | 'VIEW'): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Object found is of type '${found}', not specified type '${specified}'.`);
}

function createView(env: EngineEnv, st: Extract<Statement, { kind: 'create_view' }>, session: SessionContext, queryId: string): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  // A temporary view is stored under the session's name for it (temporary-objects.ts).
  const plain = resolveTableName(ctx, st.name, true);
  const n = st.temporary ? temporaryTarget(session.temporary, plain) : plain;
  const schema = env.catalog.getSchema(n.database, n.schema);
  if (!schema || !canUseSchema(ctx, schema)) throw containerNotFound('SCHEMA', `${n.database}.${n.schema}`);
  const old = findView(ctx, n, true);
  requireCreateView(ctx, { database: n.database, schema: n.schema }, old && st.orReplace ? { view: old.view, at: old } : null);
  if (old && st.ifNotExists) return status(`${plain.table} already exists, statement succeeded.`);
  const columns = viewColumns(env, st, session, queryId, old?.view ?? null);
  const grants = env.catalog.grants;
  grants.atomically(() => {
    const made = env.catalog.views.createView(
      {
        schemaId: schema.id,
        name: n.table,
        text: st.text,
        query: st.queryText,
        columns,
        columnNames: st.columns,
        secure: st.secure,
        comment: st.comment,
        owner: session.role ?? 'ACCOUNTADMIN',
      },
      { orReplace: st.orReplace, keepId: st.copyGrants },
    );
    if (made.replaced && made.replaced.id !== made.created.id) grants.revokeAllOn({ kind: 'VIEW', objectId: made.replaced.id });
    ownCreated(ctx, 'VIEW', made.created.id);
  });
  return status(`View ${plain.table} successfully created.`);
}

/** The columns the view's query produces now, bound with the creating role's rights, named by the column list if any. */
function viewColumns(env: EngineEnv, st: Extract<Statement, { kind: 'create_view' }>, session: SessionContext, queryId: string, replacing: ViewRecord | null): ViewColumn[] {
  const travel = env.history.clock(queryId, env.config.dataRetentionDays);
  // Unqualified names in a view's query resolve in the view's own database and schema (expand-view.ts), now as when it is read.
  const n = resolveTableName({ catalog: env.catalog, session }, st.name);
  const inView = { ...session, database: n.database, schema: n.schema };
  const plan = bindQuery({ catalog: env.catalog, session: inView, initPlans: [], travel, expanding: replacing ? new Set([replacing.id]) : undefined }, st.query);
  const cols = planColumns(plan);
  if (st.columns && st.columns.length !== cols.length) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid number of columns in the column list of view '${clipValue(st.name.parts.join('.'))}': ${st.columns.length} named, the query produces ${cols.length}`);
  }
  const out = cols.map((c, i) => ({ name: st.columns?.[i] ?? c.name, type: c.type }));
  const seen = new Set<string>();
  for (const c of out) {
    if (seen.has(c.name)) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: duplicate column name '${clipValue(c.name)}'`);
    seen.add(c.name);
  }
  return out;
}

function showViews(env: EngineEnv, st: Extract<Statement, { kind: 'show' }>, session: SessionContext): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  const database = st.in ? (st.in.parts.length === 2 ? st.in.parts[0] : session.database) : session.database;
  const schemaName = st.in ? st.in.parts[st.in.parts.length - 1] : session.schema;
  if (!database || !schemaName) throw new CompilationError('OBJECT_NOT_FOUND', "This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.");
  const schema = env.catalog.getSchema(database, schemaName);
  if (!schema || !canUseSchema(ctx, schema)) throw containerNotFound('SCHEMA', `${database}.${schemaName}`);
  const like = likeFilter(st.like);
  const rows = env.catalog.views
    .listViews(schema.id)
    .flatMap((v) => {
      const listed = listedName(v.name, session.temporary);
      return listed && like(listed.name) && canSeeView(ctx, v, schema) ? [{ v, name: listed.name }] : [];
    })
    .map(({ v, name }): Scalar[] => [
      BigInt(v.createdAt.getTime()) * 1_000_000n,
      name,
      '',
      database,
      schemaName,
      env.catalog.grants.ownerOf('VIEW', v.id) ?? v.owner,
      v.comment ?? '',
      v.secure && !ownsView(ctx, v) ? '' : v.text,
      v.secure ? 'true' : 'false',
      'false',
      'ROLE',
      'OFF',
    ]);
  return answer(
    [
      ['created_on', 't'], ['name', 'v'], ['reserved', 'v'], ['database_name', 'v'], ['schema_name', 'v'], ['owner', 'v'], ['comment', 'v'],
      ['text', 'v'], ['is_secure', 'v'], ['is_materialized', 'v'], ['owner_role_type', 'v'], ['change_tracking', 'v'],
    ],
    rows,
  );
}

function answer(columns: [string, 'v' | 't'][], rows: Scalar[][]): Answer {
  const cols: Column[] = columns.map(([name, k]) => ({ name, type: k === 'v' ? Types.varchar : Types.timestampNtz, nullable: true }));
  return { columns: cols, batch: rowsToBatch(cols, rows) };
}
