import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompilationError } from '../../storage/errors/firn-error.js';
import type { CopyFileFormat } from '../sql/ast.js';
import { SqliteCatalog } from './sqlite-catalog.js';

const CSV: CopyFileFormat = { type: 'CSV', skipHeader: 1, fieldDelimiter: '|', fieldOptionallyEnclosedBy: '"', nullIf: [''], emptyFieldAsNull: true, compression: 'AUTO' };

describe('SqliteStageStore (catalog migration 10)', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  let schemaId: number;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-stage-store-'));
    catalog = new SqliteCatalog(dir);
    catalog.createDatabase('D', { schema: 'PUBLIC' });
    schemaId = catalog.getSchema('D', 'PUBLIC')!.id;
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a stage with its URL, credentials and file format, and reads them back after a reopen', () => {
    const credentials = { awsKeyId: 'AKIA', awsSecretKey: 'secret', awsToken: null };
    catalog.stages.createStage({ schemaId, name: 'EXT', url: 's3://b/p/', credentials, fileFormat: { kind: 'inline', format: CSV }, comment: 'c', owner: 'SYSADMIN' }, { orReplace: false });
    catalog.stages.createStage({ schemaId, name: 'INT', url: null, credentials: null, fileFormat: null, comment: null, owner: 'ACCOUNTADMIN' }, { orReplace: false });
    catalog.close();
    catalog = new SqliteCatalog(dir);
    expect(catalog.stages.listStages(schemaId).map((s) => [s.name, s.url, s.credentials, s.fileFormat, s.comment, s.owner])).toEqual([
      ['EXT', 's3://b/p/', credentials, { kind: 'inline', format: CSV }, 'c', 'SYSADMIN'],
      ['INT', null, null, null, null, 'ACCOUNTADMIN'],
    ]);
  });

  it('refuses a second stage of the same name unless OR REPLACE, which answers the replaced one and gives a new id', () => {
    const first = catalog.stages.createStage({ schemaId, name: 'S', url: null, credentials: null, fileFormat: null, comment: null, owner: 'A' }, { orReplace: false }).created;
    expect(() => catalog.stages.createStage({ schemaId, name: 'S', url: null, credentials: null, fileFormat: null, comment: null, owner: 'A' }, { orReplace: false })).toThrow(CompilationError);
    const again = catalog.stages.createStage({ schemaId, name: 'S', url: null, credentials: null, fileFormat: null, comment: 'new', owner: 'A' }, { orReplace: true });
    expect(again.replaced?.id).toBe(first.id);
    expect(again.created.id).not.toBe(first.id);
    expect(catalog.stages.getStage(schemaId, 'S')?.comment).toBe('new');
    // By id (how grants name it): the replaced one is gone, the new one is found.
    expect(catalog.stages.getStageById(first.id)).toBeNull();
    expect(catalog.stages.getStageById(again.created.id)?.name).toBe('S');
    expect(catalog.stages.dropStage(schemaId, 'S')?.id).toBe(again.created.id);
    expect(catalog.stages.dropStage(schemaId, 'S')).toBeNull();
    expect(catalog.stages.getStageById(again.created.id)).toBeNull();
  });

  it('stores named file formats per schema', () => {
    const { created } = catalog.stages.createFileFormat({ schemaId, name: 'F', format: CSV, comment: null, owner: 'A' }, { orReplace: false });
    expect(catalog.stages.getFileFormat(schemaId, 'F')?.format).toEqual(CSV);
    expect(catalog.stages.getFileFormatById(created.id)?.name).toBe('F');
    expect(() => catalog.stages.createFileFormat({ schemaId, name: 'F', format: CSV, comment: null, owner: 'A' }, { orReplace: false })).toThrow(/already exists/);
    expect(catalog.stages.listFileFormats(schemaId).map((f) => f.name)).toEqual(['F']);
    expect(catalog.stages.dropFileFormat(schemaId, 'F')?.name).toBe('F');
    expect(catalog.stages.getFileFormat(schemaId, 'F')).toBeNull();
    expect(catalog.stages.getFileFormatById(created.id)).toBeNull();
  });
});
