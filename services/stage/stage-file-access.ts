/**
 * Where a client's PUT writes and its GET reads: one file of an internal stage, resolved for
 * the caller's session like any stage location in SQL.
 *
 * Why: PUT and GET move files between the client's disk and a stage over HTTP
 * (services/server/stage-file-routes.ts); the server must turn the location the client sent
 * into a path under FIRN_HOME that no spelling of that location can move elsewhere.
 *
 * Contract:
 * - A session without a database or schema gets the server's defaults, as statements do. The
 *   session's role gets its privileges attached here (access-check.ts `withPrivileges`: 003013
 *   when the user may not use the role), as the engine attaches them to a statement.
 * - PUT needs what writing the stage needs, GET what reading it needs (resolve-stage.ts:
 *   WRITE / READ on a named stage, OWNERSHIP of the table for `@%t`; `@~` is the caller's own);
 *   a stage the role cannot see reads as missing (002003).
 * - uploadTarget(session, location) takes a location naming one file (`@s/dir/a.csv.gz`,
 *   `@~/a.csv`, `@%t/a.csv`); a location without a file name, or of an external stage, is
 *   refused (Snowflake's PUT and GET work on internal stages only). It answers the stage's
 *   root directory (created if missing), the file's absolute path (checked by
 *   containedRealPath: after following symlinks it is inside the root), its key and the name
 *   users see.
 * - downloadSource(session, location) answers the same for an existing file; a missing one
 *   is FILE_NOT_FOUND (390101).
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CompilationError, NotSupportedError, StorageError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { withPrivileges } from '../access/access-check.js';
import type { Catalog } from '../catalog/catalog.js';
import type { SessionContext } from '../session/statement-result.js';
import { parseStageLocation } from './parse-stage-location.js';
import { resolveStage } from './resolve-stage.js';
import { containedRealPath } from './stage-path.js';

export type StageFileTarget = { root: string; path: string; key: string; display: string };

export class StageFileAccess {
  /** `defaults`: the session context a request without database (or schema) starts from, as statements do. */
  constructor(
    private readonly catalog: Catalog,
    private readonly home: string,
    private readonly defaults: { database: string | null; schema: string | null },
  ) {}

  async uploadTarget(session: SessionContext, location: string): Promise<StageFileTarget> {
    return this.target(session, location, 'PUT');
  }

  async downloadSource(session: SessionContext, location: string): Promise<StageFileTarget & { size: number }> {
    const t = await this.target(session, location, 'GET');
    const st = await stat(t.path).catch(() => null);
    if (!st || !st.isFile()) throw new StorageError('FILE_NOT_FOUND', `File '${clipValue(t.display)}' does not exist in the stage.`);
    return { ...t, size: st.size };
  }

  private async target(given: SessionContext, location: string, command: 'PUT' | 'GET'): Promise<StageFileTarget> {
    // A database without a schema means its PUBLIC schema, as for statements (firn-engine.ts).
    const database = given.database ?? this.defaults.database;
    const schema = given.schema ?? (given.database ? (this.catalog.getSchema(given.database, 'PUBLIC') ? 'PUBLIC' : null) : this.defaults.schema);
    const session = withPrivileges(this.catalog, { ...given, database, schema });
    const stage = resolveStage({ catalog: this.catalog, session, home: this.home }, parseStageLocation(location), command === 'PUT' ? 'WRITE' : 'READ');
    if (!stage.localRoot) throw new NotSupportedError(`${command} with an external stage (${command} works on internal stages)`);
    if (stage.path === '' || stage.path.endsWith('/')) throw new CompilationError('INVALID_STAGE_PATH', `Invalid stage path '${clipValue(location)}': ${command} needs the name of one file.`);
    await mkdir(stage.localRoot, { recursive: true });
    const path = await containedRealPath(stage.localRoot, stage.path);
    if (command === 'PUT') await mkdir(dirname(path), { recursive: true });
    return { root: stage.localRoot, path, key: stage.path, display: stage.display + stage.path };
  }
}
