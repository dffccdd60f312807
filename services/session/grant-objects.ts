/**
 * The objects of GRANT, REVOKE and SHOW GRANTS, between the names statements use and the ids
 * grants are kept by: `resolveGrantObject` finds the object a GRANT names (a missing one is
 * 002003, worded as the catalog words it), `ObjectNames` names the objects of stored grants the
 * way SHOW GRANTS shows them (DB, DB.S, DB.S.T, DB.S.V, W, DB.S.STAGE, DB.S.FORMAT, DB.S.SEQ; null for a dropped
 * object, whose grants stay stored for UNDROP but are not shown). A stage's GrantObject carries
 * the privileges its type takes (`privileges`: READ and WRITE internal, USAGE external).
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import type { Catalog } from '../catalog/catalog.js';
import { canSeeDatabase, canSeeSchema, canSeeTable, canSeeWarehouse, type AccessContext, type GrantObject } from '../access/access-check.js';
import { containerNotFound, insufficientPrivileges, stageObjectNotFound, tableNotFound } from '../access/access-errors.js';
import { canSeeFileFormat, canSeeStage, stagePrivileges } from '../access/stage-access.js';
import { findFileFormat, findStage } from '../stage/resolve-stage.js';
import { ACCOUNT_ID, ACCOUNT_NAME, type SecurableKind } from '../access/privilege-names.js';
import { resolveTableName } from '../plan/bind-query.js';
import { findView } from '../plan/expand-view.js';
import { canSeeView } from '../access/view-access.js';
import { canSeeSequence, findSequence, sequenceNotFound } from '../access/sequence-access.js';
import type { GrantTarget, ObjectName } from '../sql/ast.js';
import type { SessionContext } from './statement-result.js';

type SingleTarget = Extract<GrantTarget, { kind: 'ACCOUNT' | 'DATABASE' | 'SCHEMA' | 'TABLE' | 'VIEW' | 'WAREHOUSE' | 'STAGE' | 'FILE_FORMAT' | 'SEQUENCE' }>;

/** `[db.]schema` against the session's database. */
export function schemaName(name: ObjectName, session: SessionContext): { database: string; schema: string } {
  const database = name.parts.length === 2 ? name.parts[0] : session.database;
  if (!database) throw new CompilationError('OBJECT_NOT_FOUND', "This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
  return { database, schema: name.parts[name.parts.length - 1] };
}

/** The object a GRANT, REVOKE or SHOW GRANTS ON names; OBJECT_NOT_FOUND when it does not exist. */
export function resolveGrantObject(ctx: AccessContext, target: SingleTarget): GrantObject {
  const cat = ctx.catalog;
  switch (target.kind) {
    case 'ACCOUNT':
      // Every role sees the account; a role without authority over it is refused with 003001.
      return { kind: 'ACCOUNT', id: ACCOUNT_ID, label: ACCOUNT_NAME, visible: true, hidden: () => insufficientPrivileges('ACCOUNT', ACCOUNT_NAME) };
    case 'DATABASE': {
      const name = target.name.parts[0];
      const db = cat.getDatabase(name);
      const hidden = () => containerNotFound('DATABASE', name);
      if (!db) throw hidden();
      return { kind: 'DATABASE', id: db.id, label: name, visible: canSeeDatabase(ctx, db), hidden };
    }
    case 'SCHEMA': {
      const n = schemaName(target.name, ctx.session);
      const s = cat.getSchema(n.database, n.schema);
      const hidden = () => containerNotFound('SCHEMA', `${n.database}.${n.schema}`);
      if (!s) throw hidden();
      return { kind: 'SCHEMA', id: s.id, label: n.schema, visible: canSeeSchema(ctx, s), hidden };
    }
    case 'TABLE': {
      const n = resolveTableName(ctx, target.name);
      const t = cat.getTable(n.database, n.schema, n.table);
      const hidden = () => tableNotFound(`${n.database}.${n.schema}.${n.table}`);
      if (!t) throw hidden();
      return { kind: 'TABLE', id: t.id, label: t.name, visible: canSeeTable(ctx, t), hidden };
    }
    case 'VIEW': {
      const n = resolveTableName(ctx, target.name);
      const found = findView(ctx, n);
      const hidden = () => tableNotFound(`${n.database}.${n.schema}.${n.table}`);
      if (!found) throw hidden();
      return { kind: 'VIEW', id: found.view.id, label: found.view.name, visible: canSeeView(ctx, found.view, found.schema), hidden };
    }
    case 'WAREHOUSE': {
      const name = target.name.parts[0];
      const w = cat.getWarehouse(name);
      const hidden = () => containerNotFound('WAREHOUSE', name);
      if (!w) throw hidden();
      return { kind: 'WAREHOUSE', id: w.id, label: name, visible: canSeeWarehouse(ctx, w), hidden };
    }
    case 'STAGE': {
      const { record, schema, qualified } = findStage(ctx, target.name);
      const hidden = () => stageObjectNotFound('STAGE', qualified);
      if (!record || !schema) throw hidden();
      return { kind: 'STAGE', id: record.id, label: record.name, visible: canSeeStage(ctx, record, schema), hidden, privileges: stagePrivileges(record) };
    }
    case 'FILE_FORMAT': {
      const { record, schema, qualified } = findFileFormat(ctx, target.name);
      const hidden = () => stageObjectNotFound('FILE_FORMAT', qualified);
      if (!record || !schema) throw hidden();
      return { kind: 'FILE_FORMAT', id: record.id, label: record.name, visible: canSeeFileFormat(ctx, record, schema), hidden };
    }
    case 'SEQUENCE': {
      const { record, schema, qualified } = findSequence(ctx, target.name);
      const hidden = () => sequenceNotFound(qualified);
      if (!record || !schema) throw hidden();
      return { kind: 'SEQUENCE', id: record.id, label: record.name ?? qualified, visible: canSeeSequence(ctx, record, schema), hidden };
    }
  }
}

/** Names of live objects by id, read from the catalog once per SHOW. */
export class ObjectNames {
  private readonly databases = new Map<number, string>();
  private readonly schemas = new Map<number, string>();
  private readonly warehouses = new Map<number, string>();

  constructor(private readonly catalog: Catalog) {
    for (const d of catalog.listDatabases()) {
      this.databases.set(d.id, d.name);
      for (const s of catalog.listSchemas(d.name)) this.schemas.set(s.id, `${d.name}.${s.name}`);
    }
    for (const w of catalog.listWarehouses()) this.warehouses.set(w.id, w.name);
  }

  /** The object's name as SHOW GRANTS shows it, or null when it is dropped or gone. */
  name(kind: SecurableKind, id: number): string | null {
    switch (kind) {
      case 'ACCOUNT':
        return ACCOUNT_NAME;
      case 'DATABASE':
        return this.databases.get(id) ?? null;
      case 'SCHEMA':
        return this.schemas.get(id) ?? null;
      case 'WAREHOUSE':
        return this.warehouses.get(id) ?? null;
      case 'TABLE': {
        const t = this.catalog.getTableById(id);
        if (!t || this.catalog.getTable(t.database, t.schema, t.name)?.id !== id) return null;
        return `${t.database}.${t.schema}.${t.name}`;
      }
      case 'VIEW': {
        const v = this.catalog.views.getViewById(id);
        const schema = v ? this.schemas.get(v.schemaId) : undefined;
        return v && schema ? `${schema}.${v.name}` : null;
      }
      case 'STAGE':
      case 'FILE_FORMAT': {
        const o = kind === 'STAGE' ? this.catalog.stages.getStageById(id) : this.catalog.stages.getFileFormatById(id);
        const schema = o ? this.schemas.get(o.schemaId) : undefined;
        return o && schema ? `${schema}.${o.name}` : null;
      }
      case 'SEQUENCE': {
        const q = this.catalog.sequences.getSequenceById(id);
        const schema = q ? this.schemas.get(q.schemaId) : undefined;
        return q && q.name !== null && schema ? `${schema}.${q.name}` : null;
      }
    }
  }

  /** The schema's `DB.S`, or null when it is dropped. */
  schema(id: number): string | null {
    return this.schemas.get(id) ?? null;
  }
}
