/**
 * StageStore (stage-store.ts) over the catalog's SQLite connection: the tables stages and
 * file_formats of catalog migration 10. Credentials and file formats are stored as JSON text.
 * CREATE OR REPLACE deletes the old row and inserts the new one in one transaction, so a
 * replaced stage gets a new id (and so, for an internal stage, a new, empty directory).
 */
import type { Database, Statement } from 'better-sqlite3';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { FileFormatRecord, NewFileFormat, NewStage, StageRecord, StageStore } from './stage-store.js';

type StageRow = {
  id: number;
  schema_id: number;
  name: string;
  url: string | null;
  credentials: string | null;
  file_format: string | null;
  comment: string | null;
  owner: string;
  created_at: number;
};

type FormatRow = { id: number; schema_id: number; name: string; format: string; comment: string | null; owner: string; created_at: number };

export class SqliteStageStore implements StageStore {
  private readonly s: Record<
    'insertStage' | 'getStage' | 'stageById' | 'listStages' | 'deleteStage' | 'insertFormat' | 'getFormat' | 'formatById' | 'listFormats' | 'deleteFormat',
    Statement
  >;

  constructor(private readonly db: Database) {
    this.s = {
      insertStage: db.prepare(
        'INSERT INTO stages (schema_id, name, url, credentials, file_format, comment, owner, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      getStage: db.prepare('SELECT * FROM stages WHERE schema_id = ? AND name = ?'),
      stageById: db.prepare('SELECT * FROM stages WHERE id = ?'),
      listStages: db.prepare('SELECT * FROM stages WHERE schema_id = ? ORDER BY name'),
      deleteStage: db.prepare('DELETE FROM stages WHERE id = ?'),
      insertFormat: db.prepare('INSERT INTO file_formats (schema_id, name, format, comment, owner, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      getFormat: db.prepare('SELECT * FROM file_formats WHERE schema_id = ? AND name = ?'),
      formatById: db.prepare('SELECT * FROM file_formats WHERE id = ?'),
      listFormats: db.prepare('SELECT * FROM file_formats WHERE schema_id = ? ORDER BY name'),
      deleteFormat: db.prepare('DELETE FROM file_formats WHERE id = ?'),
    };
  }

  createStage(stage: NewStage, opts: { orReplace: boolean }): { created: StageRecord; replaced: StageRecord | null } {
    return this.db.transaction(() => {
      const replaced = this.getStage(stage.schemaId, stage.name);
      if (replaced && !opts.orReplace) throw exists(stage.name);
      if (replaced) this.s.deleteStage.run(replaced.id);
      const createdAt = Date.now();
      const id = Number(
        this.s.insertStage.run(
          stage.schemaId,
          stage.name,
          stage.url,
          stage.credentials ? JSON.stringify(stage.credentials) : null,
          stage.fileFormat ? JSON.stringify(stage.fileFormat) : null,
          stage.comment,
          stage.owner,
          createdAt,
        ).lastInsertRowid,
      );
      return { created: { ...stage, id, createdAt: new Date(createdAt) }, replaced };
    }).immediate();
  }

  getStage(schemaId: number, name: string): StageRecord | null {
    const row = this.s.getStage.get(schemaId, name) as StageRow | undefined;
    return row ? stageOf(row) : null;
  }

  getStageById(id: number): StageRecord | null {
    const row = this.s.stageById.get(id) as StageRow | undefined;
    return row ? stageOf(row) : null;
  }

  listStages(schemaId: number): StageRecord[] {
    return (this.s.listStages.all(schemaId) as StageRow[]).map(stageOf);
  }

  dropStage(schemaId: number, name: string): StageRecord | null {
    const found = this.getStage(schemaId, name);
    if (found) this.s.deleteStage.run(found.id);
    return found;
  }

  createFileFormat(format: NewFileFormat, opts: { orReplace: boolean }): { created: FileFormatRecord; replaced: FileFormatRecord | null } {
    return this.db.transaction(() => {
      const replaced = this.getFileFormat(format.schemaId, format.name);
      if (replaced && !opts.orReplace) throw exists(format.name);
      if (replaced) this.s.deleteFormat.run(replaced.id);
      const createdAt = Date.now();
      const id = Number(this.s.insertFormat.run(format.schemaId, format.name, JSON.stringify(format.format), format.comment, format.owner, createdAt).lastInsertRowid);
      return { created: { ...format, id, createdAt: new Date(createdAt) }, replaced };
    }).immediate();
  }

  getFileFormat(schemaId: number, name: string): FileFormatRecord | null {
    const row = this.s.getFormat.get(schemaId, name) as FormatRow | undefined;
    return row ? formatOf(row) : null;
  }

  getFileFormatById(id: number): FileFormatRecord | null {
    const row = this.s.formatById.get(id) as FormatRow | undefined;
    return row ? formatOf(row) : null;
  }

  listFileFormats(schemaId: number): FileFormatRecord[] {
    return (this.s.listFormats.all(schemaId) as FormatRow[]).map(formatOf);
  }

  dropFileFormat(schemaId: number, name: string): FileFormatRecord | null {
    const found = this.getFileFormat(schemaId, name);
    if (found) this.s.deleteFormat.run(found.id);
    return found;
  }
}

function exists(name: string): CompilationError {
  return new CompilationError('OBJECT_EXISTS', `Object '${clipValue(name)}' already exists.`);
}

function stageOf(r: StageRow): StageRecord {
  return {
    id: r.id,
    schemaId: r.schema_id,
    name: r.name,
    url: r.url,
    credentials: r.credentials === null ? null : (JSON.parse(r.credentials) as StageRecord['credentials']),
    fileFormat: r.file_format === null ? null : (JSON.parse(r.file_format) as StageRecord['fileFormat']),
    comment: r.comment,
    owner: r.owner,
    createdAt: new Date(r.created_at),
  };
}

function formatOf(r: FormatRow): FileFormatRecord {
  return {
    id: r.id,
    schemaId: r.schema_id,
    name: r.name,
    format: JSON.parse(r.format) as FileFormatRecord['format'],
    comment: r.comment,
    owner: r.owner,
    createdAt: new Date(r.created_at),
  };
}
