/**
 * Stage and file format statements: CREATE | DROP STAGE, DESCRIBE STAGE, SHOW STAGES, CREATE |
 * DROP FILE FORMAT, SHOW FILE FORMATS, LIST and REMOVE. Each answers like Snowflake: a one-row
 * `status` for DDL, Snowflake's columns for SHOW, DESCRIBE, LIST and REMOVE.
 *
 * Contract:
 * - An internal stage's files are its directory under FIRN_HOME (resolve-stage.ts); DROP and
 *   CREATE OR REPLACE delete it with the stage.
 * - An external stage whose URL reaches files with the server's own access (file://, or s3://
 *   without CREDENTIALS) is a raw location: the role must pass raw-location-policy.ts and a
 *   file:// directory must lie under FIRN_LOAD_ROOTS. Other URL schemes are NOT_SUPPORTED.
 * - REMOVE from a file:// stage deletes server files: only a role that may use raw locations.
 * - Credentials are stored and never shown: SHOW says has_credentials Y/N, DESCRIBE masks the
 *   key id.
 * - A FILE_FORMAT = (FORMAT_NAME = 'f') in CREATE STAGE must name an existing file format; it
 *   is stored fully qualified.
 * - Access (services/access/stage-access.ts): CREATE needs CREATE STAGE / CREATE FILE FORMAT on
 *   the schema and records the statement's role as owner in the same catalog transaction; OR
 *   REPLACE and DROP need ownership (a replaced or dropped one's grants go with it); LIST needs
 *   READ (internal) or USAGE (external), REMOVE WRITE or USAGE; a named file format used needs
 *   USAGE. SHOW and DESCRIBE show only what the role sees; what it cannot see reads as missing.
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { Types } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import { canUseSchema, type AccessContext } from '../access/access-check.js';
import { containerNotFound, stageObjectNotFound } from '../access/access-errors.js';
import { OWNERSHIP } from '../access/privilege-names.js';
import { ownCreated } from '../access/record-ownership.js';
import { canSeeFileFormat, canSeeStage, requireCreateFileFormat, requireCreateStage, requireFileFormat, requireStage } from '../access/stage-access.js';
import type { SchemaInfo } from '../catalog/catalog.js';
import type { FileFormatRecord, StageRecord, StoredFileFormat } from '../catalog/stage-store.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import { csvDefaults } from '../sql/front/file-format.js';
import type { CopyFileFormat, FileFormatSpec, ObjectName, Statement } from '../sql/ast.js';
import { checkLocalPaths, checkRawLocationRole, localPathPolicy } from '../stage/raw-location-policy.js';
import { findFileFormat, findStage, lookupStage, resolveStage, schemaOfObject } from '../stage/resolve-stage.js';
import { fileMd5, listStageFiles } from '../stage/stage-files.js';
import { status, type Answer } from './answer.js';
import { likeFilter } from './like-filter.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';

export type StageStatement = Extract<
  Statement,
  { kind: 'create_stage' | 'drop_stage' | 'describe_stage' | 'create_file_format' | 'drop_file_format' | 'list_stage' | 'remove_stage' }
>;

export function isStageStatement(st: Statement): st is StageStatement | Extract<Statement, { kind: 'show' }> {
  switch (st.kind) {
    case 'create_stage':
    case 'drop_stage':
    case 'describe_stage':
    case 'create_file_format':
    case 'drop_file_format':
    case 'list_stage':
    case 'remove_stage':
      return true;
    case 'show':
      return st.objectType === 'STAGES' || st.objectType === 'FILE FORMATS';
    default:
      return false;
  }
}

export async function runStage(env: EngineEnv, st: StageStatement | Extract<Statement, { kind: 'show' }>, session: SessionContext): Promise<Answer> {
  const ctx: AccessContext = { catalog: env.catalog, session };
  switch (st.kind) {
    case 'create_stage':
      return createStage(env, st, session);
    case 'drop_stage': {
      const { record, schema, qualified } = findStage(ctx, st.name);
      // One the role cannot see reads as missing: IF EXISTS then drops nothing.
      if (!record || !schema || !canSeeStage(ctx, record, schema)) {
        if (st.ifExists) return status(`Drop statement executed successfully (${clipValue(lastPart(st.name))} already dropped).`);
        throw stageObjectNotFound('STAGE', qualified);
      }
      requireStage(ctx, record, { schema, qualified }, OWNERSHIP);
      const grants = env.catalog.grants;
      grants.atomically(() => {
        env.catalog.stages.dropStage(schema.id, record.name);
        grants.revokeAllOn({ kind: 'STAGE', objectId: record.id });
      });
      await deleteInternalFiles(env, record);
      return status(`${record.name} successfully dropped.`);
    }
    case 'describe_stage':
      return describeStage(lookupStage(ctx, st.name, null));
    case 'create_file_format':
      return createFileFormat(env, st, session);
    case 'drop_file_format': {
      const { record, schema, qualified } = findFileFormat(ctx, st.name);
      if (!record || !schema || !canSeeFileFormat(ctx, record, schema)) {
        if (st.ifExists) return status(`Drop statement executed successfully (${clipValue(lastPart(st.name))} already dropped).`);
        throw stageObjectNotFound('FILE_FORMAT', qualified);
      }
      requireFileFormat(ctx, record, { schema, qualified }, OWNERSHIP);
      const grants = env.catalog.grants;
      grants.atomically(() => {
        env.catalog.stages.dropFileFormat(schema.id, record.name);
        grants.revokeAllOn({ kind: 'FILE_FORMAT', objectId: record.id });
      });
      return status(`${record.name} successfully dropped.`);
    }
    case 'show':
      return showStageObjects(env, st, session);
    case 'list_stage': {
      const stage = resolveStage({ catalog: env.catalog, session, home: env.config.home }, st.location, 'READ');
      const { files } = await listStageFiles(stage, { pattern: st.pattern }, localPathPolicy(env.config));
      const rows: Scalar[][] = [];
      for (const f of files) rows.push([stage.display + f.key, BigInt(f.size), await fileMd5(stage, f), f.lastModified.toUTCString()]);
      return answer([['name', 'v'], ['size', 'n'], ['md5', 'v'], ['last_modified', 'v']], rows);
    }
    case 'remove_stage': {
      const stage = resolveStage({ catalog: env.catalog, session, home: env.config.home }, st.location, 'WRITE');
      // Deleting files of a file:// stage deletes server files: a raw location's privilege.
      if (stage.localPolicy) checkRawLocationRole(session, stage.storeUrl);
      const { store, files } = await listStageFiles(stage, { pattern: st.pattern }, localPathPolicy(env.config));
      for (const f of files) await store.delete(f.key);
      return answer([['name', 'v'], ['result', 'v']], files.map((f) => [stage.display + f.key, 'removed']));
    }
  }
}

async function createStage(env: EngineEnv, st: Extract<Statement, { kind: 'create_stage' }>, session: SessionContext): Promise<Answer> {
  const ctx: AccessContext = { catalog: env.catalog, session };
  const { record: old, schema, database, schemaName, qualified } = findStage(ctx, st.name);
  if (schema === null) throw schemaMissing(qualified);
  requireCreateStage(ctx, { database, schema: schemaName }, old && st.orReplace ? { stage: old, at: { schema, qualified } } : null);
  const name = lastPart(st.name);
  if (st.ifNotExists && old) return status(`${name} already exists, statement succeeded.`);
  if (st.url !== null) await checkStageUrl(env, st.url, st.credentials !== null, session);
  const fileFormat = st.fileFormat ? storedFileFormat(env, st.fileFormat, session) : null;
  // The stage and its owner in one transaction: it never exists without one.
  const grants = env.catalog.grants;
  const { replaced } = grants.atomically(() => {
    const made = env.catalog.stages.createStage(
      { schemaId: schema.id, name, url: st.url, credentials: st.credentials, fileFormat, comment: st.comment, owner: session.role ?? 'ACCOUNTADMIN' },
      { orReplace: st.orReplace },
    );
    ownCreated(ctx, 'STAGE', made.created.id);
    if (made.replaced) grants.revokeAllOn({ kind: 'STAGE', objectId: made.replaced.id });
    return made;
  });
  if (replaced) await deleteInternalFiles(env, replaced);
  return status(`Stage area ${name} successfully created.`);
}

function createFileFormat(env: EngineEnv, st: Extract<Statement, { kind: 'create_file_format' }>, session: SessionContext): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  const { record: old, schema, database, schemaName, qualified } = findFileFormat(ctx, st.name);
  if (schema === null) throw schemaMissing(qualified);
  requireCreateFileFormat(ctx, { database, schema: schemaName }, old && st.orReplace ? { format: old, at: { schema, qualified } } : null);
  const name = lastPart(st.name);
  if (st.ifNotExists && old) return status(`${name} already exists, statement succeeded.`);
  const grants = env.catalog.grants;
  grants.atomically(() => {
    const made = env.catalog.stages.createFileFormat({ schemaId: schema.id, name, format: st.format, comment: st.comment, owner: session.role ?? 'ACCOUNTADMIN' }, { orReplace: st.orReplace });
    ownCreated(ctx, 'FILE_FORMAT', made.created.id);
    if (made.replaced) grants.revokeAllOn({ kind: 'FILE_FORMAT', objectId: made.replaced.id });
  });
  return status(`File format ${name} successfully created.`);
}

/** An external stage's URL: s3:// (raw unless it has its own credentials) or file:// under the load policy. */
async function checkStageUrl(env: EngineEnv, url: string, hasCredentials: boolean, session: SessionContext): Promise<void> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    if (!/^s3:\/\/[^/]+/i.test(url)) throw new CompilationError('SYNTAX', `SQL compilation error: invalid stage URL '${clipValue(url)}': the bucket name is missing`);
    if (!hasCredentials) checkRawLocationRole(session, url);
    return;
  }
  if (scheme === 'file') {
    checkRawLocationRole(session, url);
    let dir: string;
    try {
      dir = fileURLToPath(url);
    } catch {
      throw new CompilationError('SYNTAX', `SQL compilation error: invalid stage URL '${clipValue(url)}': only local file URLs (file:///path) are supported`);
    }
    await checkLocalPaths([dir], localPathPolicy(env.config));
    return;
  }
  throw new NotSupportedError(`Stage URL scheme '${clipValue(scheme ?? url)}' (only s3:// and file:// are)`);
}

/** A FILE_FORMAT of CREATE STAGE as stored: inline, or the qualified name of an existing file format the role may use. */
function storedFileFormat(env: EngineEnv, spec: FileFormatSpec, session: SessionContext): StoredFileFormat {
  if (spec.kind === 'inline') return spec;
  const f = lookupFileFormat(env, spec.name, session, 'USAGE');
  return { kind: 'named', database: f.database, schema: f.schema, name: f.record.name };
}

/**
 * The file format a COPY uses: its own FILE_FORMAT (a named one needs USAGE on it), else the
 * stage's (chosen by whoever created the stage: the stage's privilege covers it), else CSV with
 * Snowflake's defaults; a named one is looked up now.
 */
export function effectiveFileFormat(env: EngineEnv, own: FileFormatSpec | null, stage: StoredFileFormat | null, session: SessionContext): CopyFileFormat {
  if (own?.kind === 'inline') return own.format;
  if (own?.kind === 'named') return lookupFileFormat(env, own.name, session, 'USAGE').record.format;
  if (stage?.kind === 'inline') return stage.format;
  if (stage?.kind === 'named') return lookupFileFormat(env, { parts: [stage.database, stage.schema, stage.name] }, session, null).record.format;
  return csvDefaults();
}

/** A named file format; OBJECT_NOT_FOUND when missing, and (with `need`) when the role cannot see it; 003001 without USAGE. */
function lookupFileFormat(env: EngineEnv, name: ObjectName, session: SessionContext, need: 'USAGE' | null): { record: FileFormatRecord; database: string; schema: string } {
  const { record, schema, database, schemaName, qualified } = findFileFormat({ catalog: env.catalog, session }, name);
  if (!record || !schema) throw stageObjectNotFound('FILE_FORMAT', qualified);
  if (need) requireFileFormat({ catalog: env.catalog, session }, record, { schema, qualified }, need);
  return { record, database, schema: schemaName };
}

async function deleteInternalFiles(env: EngineEnv, stage: StageRecord): Promise<void> {
  if (stage.url === null) await rm(firnHomePath(env.config.home, 'stages', String(stage.id)), { recursive: true, force: true });
}

function describeStage(stage: StageRecord): Answer {
  const rows: Scalar[][] = [];
  const format = stage.fileFormat;
  if (format?.kind === 'named') {
    rows.push(['STAGE_FILE_FORMAT', 'FORMAT_NAME', 'String', `${format.database}.${format.schema}.${format.name}`, '']);
  } else {
    for (const [property, type, value, dflt] of formatProperties(format?.format ?? null)) rows.push(['STAGE_FILE_FORMAT', property, type, value, dflt]);
  }
  rows.push(['STAGE_LOCATION', 'URL', 'String', stage.url === null ? '' : JSON.stringify([stage.url]), '']);
  rows.push(['STAGE_CREDENTIALS', 'AWS_KEY_ID', 'String', stage.credentials ? '********' : '', '']);
  return answer([['parent_property', 'v'], ['property', 'v'], ['property_type', 'v'], ['property_value', 'v'], ['property_default', 'v']], rows);
}

/** The file format options DESCRIBE shows: [property, type, value, default]. */
function formatProperties(f: CopyFileFormat | null): [string, string, string, string][] {
  const d = csvDefaults();
  const v = f ?? d;
  if (v.type === 'JSON') {
    return [
      ['TYPE', 'String', v.type, d.type],
      ['STRIP_OUTER_ARRAY', 'Boolean', String(v.stripOuterArray === true), 'false'],
      ['ALLOW_DUPLICATE', 'Boolean', String(v.allowDuplicate === true), 'false'],
      ['COMPRESSION', 'String', v.compression, d.compression],
    ];
  }
  return [
    ['TYPE', 'String', v.type, d.type],
    ['FIELD_DELIMITER', 'String', v.fieldDelimiter, d.fieldDelimiter],
    ['SKIP_HEADER', 'Integer', String(v.skipHeader), String(d.skipHeader)],
    ['FIELD_OPTIONALLY_ENCLOSED_BY', 'String', v.fieldOptionallyEnclosedBy ?? 'NONE', 'NONE'],
    ['NULL_IF', 'List', JSON.stringify(v.nullIf), JSON.stringify(d.nullIf)],
    ['EMPTY_FIELD_AS_NULL', 'Boolean', String(v.emptyFieldAsNull), String(d.emptyFieldAsNull)],
    ['COMPRESSION', 'String', v.compression, d.compression],
  ];
}

function showStageObjects(env: EngineEnv, st: Extract<Statement, { kind: 'show' }>, session: SessionContext): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  const scope = st.in ? { parts: [...st.in.parts, '_'] } : { parts: ['_'] };
  const { schema: s, database, schemaName: schema } = schemaOfObject(ctx, scope);
  // A schema the role may not use reads as missing; in one it may, only what it sees is listed.
  if (s === null || !canUseSchema(ctx, s)) throw schemaMissing(`${database}.${schema}`);
  const like = likeFilter(st.like);
  const owner = (kind: 'STAGE' | 'FILE_FORMAT', id: number, created: string) => env.catalog.grants.ownerOf(kind, id) ?? created;
  if (st.objectType === 'STAGES') {
    return answer(
      [
        ['created_on', 't'], ['name', 'v'], ['database_name', 'v'], ['schema_name', 'v'], ['url', 'v'], ['has_credentials', 'v'],
        ['has_encryption_key', 'v'], ['owner', 'v'], ['comment', 'v'], ['region', 'v'], ['type', 'v'], ['cloud', 'v'],
        ['notification_channel', 'v'], ['storage_integration', 'v'], ['endpoint', 'v'], ['owner_role_type', 'v'], ['directory_enabled', 'v'],
      ],
      env.catalog.stages
        .listStages(s.id)
        .filter((x) => like(x.name) && canSeeStage(ctx, x, s))
        .map((x) => [
          nanos(x.createdAt), x.name, database, schema, x.url ?? '', x.credentials ? 'Y' : 'N', 'N', owner('STAGE', x.id, x.owner), x.comment ?? '', null,
          x.url === null ? 'INTERNAL' : 'EXTERNAL', x.url?.toLowerCase().startsWith('s3:') ? 'AWS' : null, null, null, null, 'ROLE', 'N',
        ]),
    );
  }
  return answer(
    [['created_on', 't'], ['name', 'v'], ['database_name', 'v'], ['schema_name', 'v'], ['type', 'v'], ['owner', 'v'], ['comment', 'v'], ['format_options', 'v'], ['owner_role_type', 'v']],
    env.catalog.stages
      .listFileFormats(s.id)
      .filter((f) => like(f.name) && canSeeFileFormat(ctx, f, s))
      .map((f) => [nanos(f.createdAt), f.name, database, schema, f.format.type, owner('FILE_FORMAT', f.id, f.owner), f.comment ?? '', JSON.stringify(formatOptions(f.format)), 'ROLE']),
  );
}

/** A file format's options as SHOW FILE FORMATS prints them (Snowflake's option names). */
function formatOptions(f: CopyFileFormat): Record<string, unknown> {
  if (f.type === 'JSON') return { TYPE: f.type, COMPRESSION: f.compression, STRIP_OUTER_ARRAY: f.stripOuterArray === true, ALLOW_DUPLICATE: f.allowDuplicate === true };
  return {
    TYPE: f.type,
    FIELD_DELIMITER: f.fieldDelimiter,
    SKIP_HEADER: f.skipHeader,
    FIELD_OPTIONALLY_ENCLOSED_BY: f.fieldOptionallyEnclosedBy ?? 'NONE',
    NULL_IF: f.nullIf,
    EMPTY_FIELD_AS_NULL: f.emptyFieldAsNull,
    COMPRESSION: f.compression,
  };
}

function lastPart(name: ObjectName): string {
  return name.parts[name.parts.length - 1];
}

/** A missing schema, worded as the catalog words it and as access-check.ts words one the role may not use. */
function schemaMissing(qualified: string): CompilationError {
  return containerNotFound('SCHEMA', qualified.split('.').slice(0, 2).join('.'));
}

const nanos = (d: Date) => BigInt(d.getTime()) * 1_000_000n;

function answer(columns: [string, 'v' | 'n' | 't'][], rows: Scalar[][]): Answer {
  const cols: Column[] = columns.map(([name, k]) => ({ name, type: k === 'v' ? Types.varchar : k === 'n' ? Types.number(38, 0) : Types.timestampNtz, nullable: true }));
  return { columns: cols, batch: rowsToBatch(cols, rows) };
}
