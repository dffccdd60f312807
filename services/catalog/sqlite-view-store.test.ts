import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import { SqliteCatalog } from './sqlite-catalog.js';
import type { NewView } from './view-store.js';

describe('SqliteViewStore (catalog migration 12)', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  let schemaId: number;
  const view = (name: string, query = 'SELECT 1 AS X'): NewView => ({
    schemaId,
    name,
    text: `CREATE VIEW ${name} AS ${query}`,
    query,
    columns: [{ name: 'X', type: Types.number(1, 0) }],
    columnNames: null,
    secure: false,
    comment: null,
    owner: 'SYSADMIN',
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-view-store-'));
    catalog = new SqliteCatalog(dir);
    catalog.createDatabase('D', { schema: 'PUBLIC' });
    schemaId = catalog.getSchema('D', 'PUBLIC')!.id;
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a view with its text, query, columns and flags, and reads it back after a reopen', () => {
    const made = catalog.views.createView(
      { ...view('V'), columnNames: ['X'], secure: true, comment: 'c', columns: [{ name: 'X', type: Types.varchar }] },
      { orReplace: false, keepId: false },
    ).created;
    catalog.close();
    catalog = new SqliteCatalog(dir);
    const back = catalog.views.getView(schemaId, 'V')!;
    expect(back).toEqual(made);
    expect(catalog.views.getViewById(made.id)).toEqual(made);
    expect([back.columns, back.columnNames, back.secure, back.comment]).toEqual([[{ name: 'X', type: Types.varchar }], ['X'], true, 'c']);
  });

  it('schema and database clones copy the views (new ids, same definitions), but temporary ones', () => {
    const v = catalog.views.createView({ ...view('V', 'SELECT 2 AS X'), secure: true, comment: 'c' }, { orReplace: false, keepId: false }).created;
    catalog.views.createView(view('$TMP$1$W'), { orReplace: false, keepId: false });
    const s2 = catalog.cloneSchema({ database: 'D', schema: 'PUBLIC' }, { database: 'D', name: 'S2' }, { queryId: 'q' });
    const copied = catalog.views.listViews(s2.id);
    expect(copied.map((x) => x.name)).toEqual(['V']);
    const { id, schemaId: sid, createdAt, ...rest } = copied[0];
    const { id: _i, schemaId: _s, createdAt: _c, ...orig } = v;
    expect(rest).toEqual(orig);
    expect([id === v.id, sid]).toEqual([false, s2.id]);
    catalog.cloneDatabase({ database: 'D' }, 'D2', { queryId: 'q2' });
    expect(catalog.listSchemas('D2').map((x) => [x.name, catalog.views.listViews(x.id).map((w) => w.name)])).toEqual([
      ['PUBLIC', ['V']],
      ['S2', ['V']],
    ]);
  });

  it('replaces only with OR REPLACE: a new id, or the old one with keepId (COPY GRANTS)', () => {
    const first = catalog.views.createView(view('V'), { orReplace: false, keepId: false }).created;
    expect(() => catalog.views.createView(view('V'), { orReplace: false, keepId: false })).toThrow("Object 'V' already exists.");
    const second = catalog.views.createView(view('V', 'SELECT 2 AS X'), { orReplace: true, keepId: false });
    expect([second.replaced?.id, second.created.id > first.id]).toEqual([first.id, true]);
    const third = catalog.views.createView(view('V', 'SELECT 3 AS X'), { orReplace: true, keepId: true });
    expect([third.replaced?.id, third.created.id, catalog.views.getView(schemaId, 'V')?.query]).toEqual([second.created.id, second.created.id, 'SELECT 3 AS X']);
    expect(catalog.views.listViews(schemaId).map((v) => v.name)).toEqual(['V']);
    expect(catalog.views.dropView(schemaId, 'V')?.id).toBe(second.created.id);
    expect([catalog.views.getView(schemaId, 'V'), catalog.views.dropView(schemaId, 'V')]).toEqual([null, null]);
  });

  it('shares the namespace with tables: no view over a live table, no table, rename, clone or undrop over a view', () => {
    const t = catalog.createTable('D', 'PUBLIC', 'T', [{ name: 'A', type: Types.number(38, 0), nullable: true }], { queryId: 'q1' });
    expect(() => catalog.views.createView(view('T'), { orReplace: true, keepId: false })).toThrow("Object 'T' already exists.");
    catalog.views.createView(view('V'), { orReplace: false, keepId: false });
    expect(() => catalog.createTable('D', 'PUBLIC', 'V', [{ name: 'A', type: Types.number(38, 0), nullable: true }], { queryId: 'q2', orReplace: true })).toThrow("Object 'V' already exists.");
    expect(() => catalog.renameTable(t.id, { database: 'D', schema: 'PUBLIC', name: 'V' })).toThrow("Object 'V' already exists.");
    expect(() => catalog.cloneTable({ tableId: t.id, version: 0 }, { database: 'D', schema: 'PUBLIC', name: 'V' }, { queryId: 'q3' })).toThrow("Object 'V' already exists.");
    catalog.renameTable(t.id, { database: 'D', schema: 'PUBLIC', name: 'W' });
    catalog.dropTable('D', 'PUBLIC', 'W');
    catalog.views.createView(view('W'), { orReplace: false, keepId: false });
    expect(() => catalog.undropTable('D', 'PUBLIC', 'W', { nowMs: Date.now(), defaultRetentionDays: 1 })).toThrow("Object 'W' already exists.");
    // A dropped table's name is free for a view.
    expect(catalog.views.getView(schemaId, 'W')?.name).toBe('W');
  });
});
