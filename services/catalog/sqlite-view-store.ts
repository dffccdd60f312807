/**
 * ViewStore (view-store.ts) over the catalog's SQLite connection: the table `views` of catalog
 * migration 12. Columns are stored as JSON text. CREATE OR REPLACE deletes the old row and
 * inserts the new one in one transaction (with the old id when the caller keeps it).
 */
import type { Database, Statement } from 'better-sqlite3';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { NewView, ViewColumn, ViewRecord, ViewStore } from './view-store.js';

type ViewRow = {
  id: number;
  schema_id: number;
  name: string;
  text: string;
  query: string;
  columns: string;
  column_names: string | null;
  secure: number;
  comment: string | null;
  owner: string;
  created_at: number;
};

export class SqliteViewStore implements ViewStore {
  private readonly s: Record<'insert' | 'insertWithId' | 'get' | 'byId' | 'list' | 'delete' | 'tableNamed', Statement>;

  constructor(private readonly db: Database) {
    const columns = 'schema_id, name, text, query, columns, column_names, secure, comment, owner, created_at';
    this.s = {
      insert: db.prepare(`INSERT INTO views (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertWithId: db.prepare(`INSERT INTO views (id, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      get: db.prepare('SELECT * FROM views WHERE schema_id = ? AND name = ?'),
      byId: db.prepare('SELECT * FROM views WHERE id = ?'),
      list: db.prepare('SELECT * FROM views WHERE schema_id = ? ORDER BY name'),
      delete: db.prepare('DELETE FROM views WHERE id = ?'),
      tableNamed: db.prepare('SELECT 1 FROM tables WHERE schema_id = ? AND name = ? AND dropped_at IS NULL'),
    };
  }

  createView(view: NewView, opts: { orReplace: boolean; keepId: boolean }): { created: ViewRecord; replaced: ViewRecord | null } {
    return this.db.transaction(() => {
      if (this.s.tableNamed.get(view.schemaId, view.name)) throw exists(view.name);
      const replaced = this.getView(view.schemaId, view.name);
      if (replaced && !opts.orReplace) throw exists(view.name);
      if (replaced) this.s.delete.run(replaced.id);
      const createdAt = Date.now();
      const values = [
        view.schemaId,
        view.name,
        view.text,
        view.query,
        JSON.stringify(view.columns),
        view.columnNames === null ? null : JSON.stringify(view.columnNames),
        view.secure ? 1 : 0,
        view.comment,
        view.owner,
        createdAt,
      ];
      const id = replaced && opts.keepId ? (this.s.insertWithId.run(replaced.id, ...values), replaced.id) : Number(this.s.insert.run(...values).lastInsertRowid);
      return { created: { ...view, id, createdAt: new Date(createdAt) }, replaced };
    }).immediate();
  }

  getView(schemaId: number, name: string): ViewRecord | null {
    const row = this.s.get.get(schemaId, name) as ViewRow | undefined;
    return row ? viewOf(row) : null;
  }

  getViewById(id: number): ViewRecord | null {
    const row = this.s.byId.get(id) as ViewRow | undefined;
    return row ? viewOf(row) : null;
  }

  listViews(schemaId: number): ViewRecord[] {
    return (this.s.list.all(schemaId) as ViewRow[]).map(viewOf);
  }

  dropView(schemaId: number, name: string): ViewRecord | null {
    const found = this.getView(schemaId, name);
    if (found) this.s.delete.run(found.id);
    return found;
  }
}

function exists(name: string): CompilationError {
  return new CompilationError('OBJECT_EXISTS', `Object '${clipValue(name)}' already exists.`);
}

function viewOf(r: ViewRow): ViewRecord {
  return {
    id: r.id,
    schemaId: r.schema_id,
    name: r.name,
    text: r.text,
    query: r.query,
    columns: JSON.parse(r.columns) as ViewColumn[],
    columnNames: r.column_names === null ? null : (JSON.parse(r.column_names) as string[]),
    secure: r.secure === 1,
    comment: r.comment,
    owner: r.owner,
    createdAt: new Date(r.created_at),
  };
}
