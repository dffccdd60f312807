/**
 * From a stage location (`@s/path`, `@~`, `@%t`) to where its files are: the store that holds
 * them, the stage's record and file format, and how a file is named to users.
 *
 * Contract:
 * - A named stage resolves in database.schema like a table (unqualified: the session's);
 *   a missing one is OBJECT_NOT_FOUND (002003).
 * - resolveStage(ctx, location, use) checks that the statement's role may READ or WRITE the
 *   location's files (services/access/stage-access.ts): a named stage it cannot see reads as
 *   missing (002003), one it sees without READ / WRITE (internal) or USAGE (external) is 003001;
 *   a table's stage needs OWNERSHIP of the table (a table the role cannot see reads as missing);
 *   the user stage is the session user's own, so it needs nothing more.
 * - findStage / findFileFormat resolve a name without any check (CREATE, DROP and GRANT check for
 *   themselves); lookupStage finds one the role sees (and, given a use, may use).
 * - An internal stage's files are the directory FIRN_HOME/stages/<stage id>/ (named stages),
 *   FIRN_HOME/stages/users/<hex of the user name>/ (`@~`) or FIRN_HOME/stages/tables/<table
 *   id>/ (`@%t`): derived from ids, never from a name or path a user wrote (firnHomePath
 *   checks it). Keys in the store are the stage paths, checked by normalizeStagePath.
 * - An external stage's store is its URL (s3:// with the stage's credentials; file:// under
 *   the load policy: `localPolicy`).
 * - checkStageFiles(stage, keys, policy) checks, after following symlinks, that each listed
 *   file of a local stage stays inside it: an internal stage's root, or for a file:// stage
 *   the load roots (raw-location-policy.ts). S3 keys need no check.
 * - `display` is what LIST, COPY and GET show before a file's key: 'mystage/' (the stage's
 *   name in lower case, as Snowflake shows an internal stage), the URL for an external stage,
 *   '' for the user and table stages.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { S3Credentials } from '../../storage/object-store/s3-object-store.js';
import { canSeeStage, requireStage, type StageUse } from '../access/stage-access.js';
import { OWNERSHIP } from '../access/privilege-names.js';
import { stageObjectNotFound } from '../access/access-errors.js';
import type { Catalog, SchemaInfo } from '../catalog/catalog.js';
import type { FileFormatRecord, StageRecord, StoredFileFormat } from '../catalog/stage-store.js';
import { lookupTable, resolveTableName } from '../plan/bind-query.js';
import type { ObjectName, StageLocation } from '../sql/ast.js';
import type { SessionContext } from '../session/statement-result.js';
import { checkLocalPaths, type LocalPathPolicy } from './raw-location-policy.js';
import { containedRealPath } from './stage-path.js';

export type ResolvedStage = {
  /** The named stage's record; null for `@~` and `@%t`. */
  record: StageRecord | null;
  /** The stage's root as a store URL (keys are stage paths). */
  storeUrl: string;
  credentials: S3Credentials | null;
  /** Internal stages: the directory under FIRN_HOME. */
  localRoot: string | null;
  /** External file:// stages: every file must pass the load policy. */
  localPolicy: boolean;
  /** The location's checked path inside the stage ('' for all of it). */
  path: string;
  display: string;
  fileFormat: StoredFileFormat | null;
};

export type StageContext = { catalog: Catalog; session: SessionContext; home: string };

export function resolveStage(ctx: StageContext, location: StageLocation, use: StageUse): ResolvedStage {
  switch (location.kind) {
    case 'named': {
      const record = lookupStage(ctx, location.name, use);
      if (record.url === null) {
        const localRoot = firnHomePath(ctx.home, 'stages', String(record.id));
        return { record, storeUrl: localRoot, credentials: null, localRoot, localPolicy: false, path: location.path, display: `${record.name.toLowerCase()}/`, fileFormat: record.fileFormat };
      }
      const credentials = record.credentials ? { accessKeyId: record.credentials.awsKeyId, secretAccessKey: record.credentials.awsSecretKey, ...(record.credentials.awsToken ? { sessionToken: record.credentials.awsToken } : {}) } : null;
      const display = record.url.endsWith('/') ? record.url : `${record.url}/`;
      return { record, storeUrl: record.url, credentials, localRoot: null, localPolicy: record.url.toLowerCase().startsWith('file:'), path: location.path, display, fileFormat: record.fileFormat };
    }
    case 'user': {
      if (!ctx.session.user) throw new CompilationError('OBJECT_NOT_FOUND', 'The user stage (@~) needs a user: this session has none.');
      const localRoot = firnHomePath(ctx.home, 'stages', 'users', Buffer.from(ctx.session.user, 'utf8').toString('hex'));
      return { record: null, storeUrl: localRoot, credentials: null, localRoot, localPolicy: false, path: location.path, display: '', fileFormat: null };
    }
    case 'table': {
      // A table's stage is its owner's (it has no privileges of its own).
      const table = lookupTable({ catalog: ctx.catalog, session: ctx.session }, location.table, [OWNERSHIP]);
      const localRoot = firnHomePath(ctx.home, 'stages', 'tables', String(table.id));
      return { record: null, storeUrl: localRoot, credentials: null, localRoot, localPolicy: false, path: location.path, display: '', fileFormat: null };
    }
  }
}

/** A stage name resolved: the record and its schema (each null when missing), the names of its database and schema, and the qualified name. */
export type FoundStage = { record: StageRecord | null; schema: SchemaInfo | null; database: string; schemaName: string; qualified: string };

/** The stage a (possibly qualified) name names, without any check: for CREATE, DROP and GRANT, which check themselves. */
export function findStage(ctx: { catalog: Catalog; session: SessionContext }, name: ObjectName): FoundStage {
  const at = schemaOfObject(ctx, name);
  const record = at.schema === null ? null : ctx.catalog.stages.getStage(at.schema.id, name.parts[name.parts.length - 1]);
  return { record, ...at };
}

/** A named file format resolved as findStage resolves a stage, without any check. */
export function findFileFormat(ctx: { catalog: Catalog; session: SessionContext }, name: ObjectName): Omit<FoundStage, 'record'> & { record: FileFormatRecord | null } {
  const at = schemaOfObject(ctx, name);
  const record = at.schema === null ? null : ctx.catalog.stages.getFileFormat(at.schema.id, name.parts[name.parts.length - 1]);
  return { record, ...at };
}

/**
 * A named stage the role may see and (with `use`) read or write: OBJECT_NOT_FOUND (002003) when
 * missing or hidden from the role, 003001 without the privilege (stage-access.ts).
 */
export function lookupStage(ctx: { catalog: Catalog; session: SessionContext }, name: ObjectName, use: StageUse | null): StageRecord {
  const { record, schema, qualified } = findStage(ctx, name);
  if (!record || !schema) throw stageObjectNotFound('STAGE', qualified);
  if (use !== null) requireStage(ctx, record, { schema, qualified }, use);
  else if (!canSeeStage(ctx, record, schema)) throw stageObjectNotFound('STAGE', qualified);
  return record;
}

/** The live schema an object name points into (null when the schema is missing), and the name qualified. */
export function schemaOfObject(ctx: { catalog: Catalog; session: SessionContext }, name: ObjectName): { schema: SchemaInfo | null; database: string; schemaName: string; qualified: string } {
  const n = resolveTableName({ catalog: ctx.catalog, session: ctx.session }, name);
  return { schema: ctx.catalog.getSchema(n.database, n.schema), database: n.database, schemaName: n.schema, qualified: `${n.database}.${n.schema}.${n.table}` };
}

/** The stage's store, its root directory made first for an internal stage. */
export async function openStageStore(stage: ResolvedStage): Promise<ObjectStore> {
  if (stage.localRoot) await mkdir(stage.localRoot, { recursive: true });
  return openObjectStore(stage.storeUrl, stage.credentials ? { credentials: stage.credentials } : {});
}

/** See the module comment: every listed key of a local stage must stay inside it. */
export async function checkStageFiles(stage: ResolvedStage, keys: readonly string[], policy: LocalPathPolicy): Promise<void> {
  if (stage.localRoot) {
    for (const key of keys) await containedRealPath(stage.localRoot, key);
  } else if (stage.localPolicy) {
    const root = fileURLToPath(stage.storeUrl);
    await checkLocalPaths([root, ...keys.map((k) => path.join(root, ...k.split('/')))], policy);
  }
}
