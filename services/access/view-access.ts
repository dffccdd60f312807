/**
 * The privilege checks of views, as Snowflake has them; the binder (services/plan/expand-view.ts)
 * and the view statements (services/session/run-view.ts) ask these.
 *
 * Snowflake's rules, as Firn enforces them:
 * - A view is visible with USAGE on its database and schema and any privilege on it (ownership
 *   included); one the role cannot see reads exactly as a missing table (002003 "Object '…' does
 *   not exist or not authorized.").
 * - Reading a view needs SELECT on it (or ownership), not on what it reads: its query binds with
 *   its owner's privileges (owner's rights), so a role may be given a view over a table it may
 *   not read itself.
 * - Creating one needs CREATE VIEW on the schema, and its query binds with the creator's
 *   privileges (who becomes the owner); OR REPLACE of an existing one, and DROP, need its
 *   OWNERSHIP.
 *
 * Contract: every check takes the statement's context ({catalog, session}); a session without a
 * role is the system's own and is not checked (access-check.ts `privilegesOf`).
 */
import type { SchemaInfo } from '../catalog/catalog.js';
import type { ViewRecord } from '../catalog/view-store.js';
import { canUseSchema, privilegesOf, requireSchema, type AccessContext } from './access-check.js';
import { insufficientPrivileges, tableNotFound } from './access-errors.js';
import { OWNERSHIP } from './privilege-names.js';

/** Whether the role sees the view: USAGE on its database and schema and any privilege on it. */
export function canSeeView(ctx: AccessContext, view: Pick<ViewRecord, 'id'>, schema: SchemaInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || (canUseSchema(ctx, schema) && p.holdsAny('VIEW', view.id));
}

/** SELECT on the view (reading it) or OWNERSHIP (replacing, dropping): 002003 when the role cannot see it, else 003001. */
export function requireView(ctx: AccessContext, view: ViewRecord, at: { schema: SchemaInfo; qualified: string }, need: 'SELECT' | typeof OWNERSHIP): void {
  const p = privilegesOf(ctx);
  if (p === null) return;
  if (!canSeeView(ctx, view, at.schema)) throw tableNotFound(at.qualified);
  const held = need === OWNERSHIP ? p.owns('VIEW', view.id) : p.has('VIEW', view.id, need);
  if (!held) throw insufficientPrivileges('VIEW', view.name);
}

/** Whether the role owns the view (SHOW VIEWS shows a secure view's text only to its owner). */
export function ownsView(ctx: AccessContext, view: Pick<ViewRecord, 'id'>): boolean {
  const p = privilegesOf(ctx);
  return p === null || p.owns('VIEW', view.id);
}

/** CREATE VIEW in `database.schema`: CREATE VIEW on the schema; OR REPLACE of an existing view also needs its ownership. */
export function requireCreateView(ctx: AccessContext, n: { database: string; schema: string }, old: { view: ViewRecord; at: { schema: SchemaInfo; qualified: string } } | null): void {
  if (privilegesOf(ctx) === null) return;
  requireSchema(ctx, n.database, n.schema, 'CREATE VIEW');
  if (old) requireView(ctx, old.view, old.at, OWNERSHIP);
}
