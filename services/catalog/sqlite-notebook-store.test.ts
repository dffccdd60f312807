import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompilationError } from '../../storage/errors/firn-error.js';
import type { NotebookCell } from './notebook-store.js';
import { SqliteCatalog } from './sqlite-catalog.js';

const CELLS: NotebookCell[] = [
  { kind: 'markdown', name: 'intro', text: '# Trips' },
  { kind: 'sql', name: 'trips', text: 'SELECT * FROM trips' },
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CompilationError);
    return (err as CompilationError).codeName;
  }
  return undefined;
}

describe('SqliteNotebookStore (catalog migration 11)', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-notebook-store-'));
    catalog = new SqliteCatalog(dir);
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, reads back, lists and survives reopening the catalog', () => {
    const created = catalog.notebooks.create('ALICE', 'Trips', CELLS);
    expect(created).toMatchObject({ owner: 'ALICE', name: 'Trips', cells: CELLS });
    expect(created.createdAt).toBe(created.updatedAt);
    catalog.close();
    catalog = new SqliteCatalog(dir);
    expect(catalog.notebooks.get('ALICE', created.id)).toEqual(created);
    expect(catalog.notebooks.list('ALICE')).toEqual([{ id: created.id, name: 'Trips', createdAt: created.createdAt, updatedAt: created.updatedAt }]);
  });

  it('keeps each user\'s notebooks to that user', () => {
    const mine = catalog.notebooks.create('ALICE', 'N', CELLS);
    catalog.notebooks.create('BOB', 'N', []);
    expect(catalog.notebooks.list('BOB').map((n) => n.name)).toEqual(['N']);
    expect(codeOf(() => catalog.notebooks.get('BOB', mine.id))).toBe('OBJECT_NOT_FOUND');
    expect(codeOf(() => catalog.notebooks.update('BOB', mine.id, 'X', []))).toBe('OBJECT_NOT_FOUND');
    expect(codeOf(() => catalog.notebooks.delete('BOB', mine.id))).toBe('OBJECT_NOT_FOUND');
    expect(catalog.notebooks.get('ALICE', mine.id).cells).toEqual(CELLS);
  });

  it('replaces name and cells on update, lists the latest change first, and refuses a taken name', () => {
    const a = catalog.notebooks.create('ALICE', 'A', []);
    const b = catalog.notebooks.create('ALICE', 'B', []);
    expect(codeOf(() => catalog.notebooks.create('ALICE', 'A', []))).toBe('OBJECT_EXISTS');
    expect(codeOf(() => catalog.notebooks.update('ALICE', b.id, 'A', []))).toBe('OBJECT_EXISTS');
    const renamed = catalog.notebooks.update('ALICE', a.id, 'A2', CELLS);
    expect(renamed).toMatchObject({ id: a.id, name: 'A2', cells: CELLS });
    expect(renamed.updatedAt).toBeGreaterThanOrEqual(a.updatedAt);
    const emptied = catalog.notebooks.update('ALICE', a.id, 'A2', []);
    expect(emptied.cells).toEqual([]);
    // Latest change first; a change in the same millisecond as B's ties, broken by the newer id.
    expect(catalog.notebooks.list('ALICE').map((n) => n.id)).toEqual(emptied.updatedAt > b.updatedAt ? [a.id, b.id] : [b.id, a.id]);
  });

  it('deletes', () => {
    const a = catalog.notebooks.create('ALICE', 'A', []);
    catalog.notebooks.delete('ALICE', a.id);
    expect(catalog.notebooks.list('ALICE')).toEqual([]);
    expect(codeOf(() => catalog.notebooks.get('ALICE', a.id))).toBe('OBJECT_NOT_FOUND');
  });
});
