/**
 * The privilege checks of stages and file formats, as Snowflake has them; the stage statements
 * (services/session/run-stage.ts, run-copy.ts, run-unload.ts) and the stage file endpoint (through
 * services/stage/resolve-stage.ts) ask these and nothing else.
 *
 * Snowflake's rules, as Firn enforces them:
 * - A named stage or file format is visible with USAGE on its database and schema and any
 *   privilege on it (ownership included); one the role cannot see reads exactly as a missing one
 *   (002003 "Stage '…' does not exist or not authorized."), so a role learns nothing of it.
 * - Reading a stage's files (LIST, GET, COPY INTO <table> FROM @s) needs READ on an internal
 *   stage, USAGE on an external one; writing them (PUT, REMOVE, COPY INTO @s) needs WRITE on an
 *   internal stage, USAGE on an external one (stage-privileges in privilege-names.ts). Without
 *   it, on a stage the role sees: 003001 "Insufficient privileges to operate on stage 'S'".
 * - A named file format a statement uses needs USAGE on it.
 * - Creating one needs CREATE STAGE (CREATE FILE FORMAT) on the schema; OR REPLACE of an existing
 *   one, and DROP, need its OWNERSHIP, as for tables.
 * - A table's stage (@%t) has no privileges of its own: it is its table's owner's (OWNERSHIP on
 *   the table, checked where the table is looked up). The user stage (@~) is its user's alone:
 *   it is found by the session's user, so no other user can name it.
 *
 * Contract: every check takes the statement's context ({catalog, session}); a session without a
 * role is the system's own and is not checked (access-check.ts `privilegesOf`).
 */
import type { SchemaInfo } from '../catalog/catalog.js';
import type { FileFormatRecord, StageRecord } from '../catalog/stage-store.js';
import { canUseSchema, privilegesOf, requireSchema, type AccessContext } from './access-check.js';
import { insufficientPrivileges, stageObjectNotFound } from './access-errors.js';
import { OWNERSHIP, STAGE_PRIVILEGES } from './privilege-names.js';

/** What a statement does with a stage's files. */
export type StageUse = 'READ' | 'WRITE';

/** Where a stage or file format lives and how messages name it (DB.SCHEMA.NAME). */
export type SchemaPlace = { schema: SchemaInfo; qualified: string };

/** The privileges a stage takes: READ and WRITE when internal, USAGE when external. */
export function stagePrivileges(stage: Pick<StageRecord, 'url'>): readonly string[] {
  return stage.url === null ? STAGE_PRIVILEGES.internal : STAGE_PRIVILEGES.external;
}

/** Whether the role sees the stage: USAGE on its database and schema and any privilege on it. */
export function canSeeStage(ctx: AccessContext, stage: Pick<StageRecord, 'id'>, schema: SchemaInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || (canUseSchema(ctx, schema) && p.holdsAny('STAGE', stage.id));
}

/**
 * Using a stage's files (`use`), or (OWNERSHIP) replacing or dropping it: 002003 when the role
 * cannot see it, 003001 when it sees it without READ / WRITE (internal), USAGE (external) or
 * ownership.
 */
export function requireStage(ctx: AccessContext, stage: StageRecord, at: SchemaPlace, need: StageUse | typeof OWNERSHIP): void {
  const p = privilegesOf(ctx);
  if (p === null) return;
  if (!canSeeStage(ctx, stage, at.schema)) throw stageObjectNotFound('STAGE', at.qualified);
  const privilege = need === OWNERSHIP ? null : stage.url === null ? need : 'USAGE';
  const held = privilege === null ? p.owns('STAGE', stage.id) : p.has('STAGE', stage.id, privilege);
  if (!held) throw insufficientPrivileges('STAGE', stage.name);
}

/** Whether the role sees the file format: USAGE on its database and schema and any privilege on it. */
export function canSeeFileFormat(ctx: AccessContext, format: Pick<FileFormatRecord, 'id'>, schema: SchemaInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || (canUseSchema(ctx, schema) && p.holdsAny('FILE_FORMAT', format.id));
}

/** USAGE (a statement uses it) or OWNERSHIP (replacing, dropping) of a file format: 002003 when hidden, 003001 without it. */
export function requireFileFormat(ctx: AccessContext, format: FileFormatRecord, at: SchemaPlace, need: 'USAGE' | typeof OWNERSHIP): void {
  const p = privilegesOf(ctx);
  if (p === null) return;
  if (!canSeeFileFormat(ctx, format, at.schema)) throw stageObjectNotFound('FILE_FORMAT', at.qualified);
  const held = need === OWNERSHIP ? p.owns('FILE_FORMAT', format.id) : p.has('FILE_FORMAT', format.id, need);
  if (!held) throw insufficientPrivileges('FILE_FORMAT', format.name);
}

/**
 * CREATE [OR REPLACE] STAGE in `database.schema`: CREATE STAGE on the schema (requireSchema:
 * 002003 when the role cannot use it, 003001 without the privilege); replacing a live stage
 * needs its ownership too.
 */
export function requireCreateStage(ctx: AccessContext, n: { database: string; schema: string }, replaced: { stage: StageRecord; at: SchemaPlace } | null): void {
  if (privilegesOf(ctx) === null) return;
  requireSchema(ctx, n.database, n.schema, 'CREATE STAGE');
  if (replaced) requireStage(ctx, replaced.stage, replaced.at, OWNERSHIP);
}

/** CREATE [OR REPLACE] FILE FORMAT: CREATE FILE FORMAT on the schema, and ownership of a file format it replaces. */
export function requireCreateFileFormat(ctx: AccessContext, n: { database: string; schema: string }, replaced: { format: FileFormatRecord; at: SchemaPlace } | null): void {
  if (privilegesOf(ctx) === null) return;
  requireSchema(ctx, n.database, n.schema, 'CREATE FILE FORMAT');
  if (replaced) requireFileFormat(ctx, replaced.format, replaced.at, OWNERSHIP);
}
