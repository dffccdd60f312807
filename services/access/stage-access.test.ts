import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import type { FileFormatRecord, StageRecord } from '../catalog/stage-store.js';
import type { SchemaInfo } from '../catalog/catalog.js';
import type { CopyFileFormat } from '../sql/ast.js';
import type { AccessContext } from './access-check.js';
import { RolePrivileges } from './role-privileges.js';
import { canSeeStage, requireCreateStage, requireFileFormat, requireStage, stagePrivileges, type SchemaPlace } from './stage-access.js';

const CSV: CopyFileFormat = { type: 'CSV', skipHeader: 0, fieldDelimiter: ',', fieldOptionallyEnclosedBy: null, nullIf: ['\\N'], emptyFieldAsNull: true, compression: 'AUTO' };

/** What a check threw: its code and message, or 'ok'. */
function outcome(check: () => void): 'ok' | [string, string] {
  try {
    check();
    return 'ok';
  } catch (err) {
    const e = err as { code: string; message: string };
    return [e.code, e.message];
  }
}

describe('stage and file format privileges', () => {
  let catalog: SqliteCatalog;
  let schema: SchemaInfo;
  let internal: StageRecord;
  let external: StageRecord;
  let format: FileFormatRecord;
  const at = (name: string): SchemaPlace => ({ schema, qualified: `D.S.${name}` });
  /** The context of a statement of user U in role R, its privileges read now. */
  const asR = (): AccessContext => ({ catalog, session: { database: 'D', schema: 'S', warehouse: null, user: 'U', role: 'R', privileges: RolePrivileges.forSession(catalog.grants, 'U', 'R') } });
  const grant = (kind: 'DATABASE' | 'SCHEMA' | 'STAGE' | 'FILE_FORMAT', objectId: number, privilege: string) =>
    catalog.grants.grantPrivilege({ kind, objectId, privilege, role: 'R', grantOption: false, grantedBy: null });
  const hidden = (name: string): [string, string] => ['002003', `SQL compilation error: Stage 'D.S.${name}' does not exist or not authorized.`];
  const denied = (kind: string, name: string): [string, string] => ['003001', `SQL access control error: Insufficient privileges to operate on ${kind} '${name}'`];

  beforeEach(() => {
    catalog = new SqliteCatalog(':memory:');
    const db = catalog.createDatabase('D', { schema: 'S' });
    schema = catalog.getSchema('D', 'S')!;
    internal = catalog.stages.createStage({ schemaId: schema.id, name: 'IN', url: null, credentials: null, fileFormat: null, comment: null, owner: 'SYSADMIN' }, { orReplace: false }).created;
    external = catalog.stages.createStage({ schemaId: schema.id, name: 'EXT', url: 's3://b/p/', credentials: null, fileFormat: null, comment: null, owner: 'SYSADMIN' }, { orReplace: false }).created;
    format = catalog.stages.createFileFormat({ schemaId: schema.id, name: 'F', format: CSV, comment: null, owner: 'SYSADMIN' }, { orReplace: false }).created;
    catalog.grants.createRole({ name: 'R', comment: null, owner: 'ACCOUNTADMIN' });
    catalog.grants.grantRole('R', 'USER', 'U', null);
    grant('DATABASE', db.id, 'USAGE');
  });
  afterEach(() => catalog.close());

  it('takes READ and WRITE on an internal stage, USAGE on an external one', () => {
    expect(stagePrivileges(internal)).toEqual(['READ', 'WRITE']);
    expect(stagePrivileges(external)).toEqual(['USAGE']);
  });

  it('hides a stage the role holds nothing on, and one in a schema it may not use, as a missing one', () => {
    grant('STAGE', internal.id, 'READ');
    expect(outcome(() => requireStage(asR(), internal, at('IN'), 'READ'))).toEqual(hidden('IN'));
    grant('SCHEMA', schema.id, 'USAGE');
    expect(outcome(() => requireStage(asR(), external, at('EXT'), 'READ'))).toEqual(hidden('EXT'));
    expect(canSeeStage(asR(), external, schema)).toBe(false);
    expect(canSeeStage(asR(), internal, schema)).toBe(true);
  });

  it('reads an internal stage with READ, writes it only with WRITE', () => {
    grant('SCHEMA', schema.id, 'USAGE');
    grant('STAGE', internal.id, 'READ');
    expect(outcome(() => requireStage(asR(), internal, at('IN'), 'READ'))).toBe('ok');
    expect(outcome(() => requireStage(asR(), internal, at('IN'), 'WRITE'))).toEqual(denied('stage', 'IN'));
    grant('STAGE', internal.id, 'WRITE');
    expect(outcome(() => requireStage(asR(), internal, at('IN'), 'WRITE'))).toBe('ok');
    expect(outcome(() => requireStage(asR(), internal, at('IN'), 'OWNERSHIP'))).toEqual(denied('stage', 'IN'));
  });

  it('reads and writes an external stage with USAGE', () => {
    grant('SCHEMA', schema.id, 'USAGE');
    grant('STAGE', external.id, 'USAGE');
    expect(outcome(() => requireStage(asR(), external, at('EXT'), 'READ'))).toBe('ok');
    expect(outcome(() => requireStage(asR(), external, at('EXT'), 'WRITE'))).toBe('ok');
  });

  it('lets the owner do everything, and checks nothing for the system itself', () => {
    grant('SCHEMA', schema.id, 'USAGE');
    catalog.grants.setOwner('STAGE', internal.id, 'R', null);
    for (const need of ['READ', 'WRITE', 'OWNERSHIP'] as const) expect(outcome(() => requireStage(asR(), internal, at('IN'), need))).toBe('ok');
    const system: AccessContext = { catalog, session: { database: 'D', schema: 'S', warehouse: null } };
    expect(outcome(() => requireStage(system, external, at('EXT'), 'WRITE'))).toBe('ok');
  });

  it('uses a file format with USAGE', () => {
    grant('SCHEMA', schema.id, 'USAGE');
    expect(outcome(() => requireFileFormat(asR(), format, at('F'), 'USAGE'))).toEqual(['002003', "SQL compilation error: File format 'D.S.F' does not exist or not authorized."]);
    grant('FILE_FORMAT', format.id, 'USAGE');
    expect(outcome(() => requireFileFormat(asR(), format, at('F'), 'USAGE'))).toBe('ok');
    expect(outcome(() => requireFileFormat(asR(), format, at('F'), 'OWNERSHIP'))).toEqual(denied('file format', 'F'));
  });

  it('creates a stage with CREATE STAGE on the schema, and replaces one only as its owner', () => {
    const n = { database: 'D', schema: 'S' };
    expect(outcome(() => requireCreateStage(asR(), n, null))).toEqual(['002003', "Schema 'D.S' does not exist or not authorized."]);
    grant('SCHEMA', schema.id, 'USAGE');
    expect(outcome(() => requireCreateStage(asR(), n, null))).toEqual(denied('schema', 'S'));
    grant('SCHEMA', schema.id, 'CREATE STAGE');
    expect(outcome(() => requireCreateStage(asR(), n, null))).toBe('ok');
    expect(outcome(() => requireCreateStage(asR(), n, { stage: internal, at: at('IN') }))).toEqual(hidden('IN'));
    grant('STAGE', internal.id, 'READ');
    expect(outcome(() => requireCreateStage(asR(), n, { stage: internal, at: at('IN') }))).toEqual(denied('stage', 'IN'));
    catalog.grants.setOwner('STAGE', internal.id, 'R', null);
    expect(outcome(() => requireCreateStage(asR(), n, { stage: internal, at: at('IN') }))).toBe('ok');
  });
});
