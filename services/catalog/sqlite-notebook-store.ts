/**
 * NotebookStore (notebook-store.ts) over the catalog's SQLite connection: the table notebooks
 * of catalog migration 11, the cells stored as JSON text.
 */
import type { Database, Statement } from 'better-sqlite3';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { Notebook, NotebookCell, NotebookStore, NotebookSummary } from './notebook-store.js';

type NotebookRow = { id: number; owner: string; name: string; cells: string; created_at: number; updated_at: number };

export class SqliteNotebookStore implements NotebookStore {
  private readonly s: Record<'insert' | 'byId' | 'byName' | 'list' | 'update' | 'delete', Statement>;

  constructor(private readonly db: Database) {
    this.s = {
      insert: db.prepare('INSERT INTO notebooks (owner, name, cells, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
      byId: db.prepare('SELECT * FROM notebooks WHERE id = ? AND owner = ?'),
      byName: db.prepare('SELECT id FROM notebooks WHERE owner = ? AND name = ?'),
      list: db.prepare('SELECT id, name, created_at, updated_at FROM notebooks WHERE owner = ? ORDER BY updated_at DESC, id DESC'),
      update: db.prepare('UPDATE notebooks SET name = ?, cells = ?, updated_at = ? WHERE id = ? AND owner = ?'),
      delete: db.prepare('DELETE FROM notebooks WHERE id = ? AND owner = ?'),
    };
  }

  list(owner: string): NotebookSummary[] {
    return (this.s.list.all(owner) as Array<Pick<NotebookRow, 'id' | 'name' | 'created_at' | 'updated_at'>>).map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  get(owner: string, id: number): Notebook {
    const row = this.s.byId.get(id, owner) as NotebookRow | undefined;
    if (!row) throw notFound(id);
    return toNotebook(row);
  }

  create(owner: string, name: string, cells: NotebookCell[]): Notebook {
    return this.db.transaction(() => {
      if (this.s.byName.get(owner, name)) throw exists(name);
      const now = Date.now();
      const id = Number(this.s.insert.run(owner, name, JSON.stringify(cells), now, now).lastInsertRowid);
      return this.get(owner, id);
    })();
  }

  update(owner: string, id: number, name: string, cells: NotebookCell[]): Notebook {
    return this.db.transaction(() => {
      const taken = this.s.byName.get(owner, name) as { id: number } | undefined;
      if (taken && taken.id !== id) throw exists(name);
      const changed = this.s.update.run(name, JSON.stringify(cells), Date.now(), id, owner).changes;
      if (changed === 0) throw notFound(id);
      return this.get(owner, id);
    })();
  }

  delete(owner: string, id: number): void {
    if (this.s.delete.run(id, owner).changes === 0) throw notFound(id);
  }
}

function toNotebook(row: NotebookRow): Notebook {
  return { id: row.id, owner: row.owner, name: row.name, cells: JSON.parse(row.cells) as NotebookCell[], createdAt: row.created_at, updatedAt: row.updated_at };
}

function notFound(id: number): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `Notebook ${id} does not exist or not authorized.`);
}

function exists(name: string): CompilationError {
  return new CompilationError('OBJECT_EXISTS', `Notebook '${clipValue(name)}' already exists.`);
}
