/**
 * From a stage location (`@s/path`, `@~`, `@%t`) to where its files are: the store that holds
 * them, the stage's record and file format, and how a file is named to users.
 *
 * Contract:
 * - A named stage resolves in database.schema like a table (unqualified: the session's);
 *   a missing one is OBJECT_NOT_FOUND (002003).
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
import type { Catalog } from '../catalog/catalog.js';
import type { StageRecord, StoredFileFormat } from '../catalog/stage-store.js';
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

export function resolveStage(ctx: StageContext, location: StageLocation): ResolvedStage {
  switch (location.kind) {
    case 'named': {
      const record = lookupStage(ctx, location.name);
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
      const table = lookupTable({ catalog: ctx.catalog, session: ctx.session }, location.table);
      const localRoot = firnHomePath(ctx.home, 'stages', 'tables', String(table.id));
      return { record: null, storeUrl: localRoot, credentials: null, localRoot, localPolicy: false, path: location.path, display: '', fileFormat: null };
    }
  }
}

/** A named stage by its (possibly qualified) name; OBJECT_NOT_FOUND when missing. */
export function lookupStage(ctx: { catalog: Catalog; session: SessionContext }, name: ObjectName): StageRecord {
  const { schemaId, qualified } = schemaOfObject(ctx, name);
  const found = schemaId === null ? null : ctx.catalog.stages.getStage(schemaId, name.parts[name.parts.length - 1]);
  if (!found) throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Stage '${clipValue(qualified)}' does not exist or not authorized.`);
  return found;
}

/** The live schema an object name points into (null id when the schema is missing), and the name qualified. */
export function schemaOfObject(ctx: { catalog: Catalog; session: SessionContext }, name: ObjectName): { schemaId: number | null; database: string; schema: string; qualified: string } {
  const n = resolveTableName({ catalog: ctx.catalog, session: ctx.session }, name);
  const schema = ctx.catalog.getSchema(n.database, n.schema);
  return { schemaId: schema?.id ?? null, database: n.database, schema: n.schema, qualified: `${n.database}.${n.schema}.${n.table}` };
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
