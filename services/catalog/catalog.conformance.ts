/**
 * The conformance suite every Catalog backend must pass (SQLite now, PostgreSQL later): the
 * semantics documented in catalog.ts, written once against the interface, so backends can
 * only differ in how they store things, never in what callers see.
 *
 * Contract: a backend's test file calls `describeCatalogConformance(name, makeCatalog)`.
 * `makeCatalog` creates one fresh, empty store per test and returns a `CatalogStore` over
 * it: `open()` opens a new connection to that store each call (the suite opens several at
 * once and reopens after close to test visibility and persistence), `pendingObjects()` reads
 * the registered in-flight objects back from the store, `failPartitionInsert(key)` makes the
 * store itself (a trigger, not the catalog code) reject inserting a partition row with that
 * object key, so commitTable fails half-way through its work, `partitionKeyCounts()` counts
 * partition rows and distinct object keys in the store, `setHistoryFloor` raises a
 * table's time-travel floor directly, and `destroy()` removes the store. The suite closes every catalog it opened, once, before calling `destroy()`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataType } from '../../storage/types/data-type.js';
import type { ZoneMap } from '../../storage/partition/zone-map.js';
import {
  CompilationError,
  ConcurrencyError,
  ErrorCodes,
  FirnError,
  type ErrorCodeName,
} from '../../storage/errors/firn-error.js';
import type {
  Catalog,
  ColumnInfo,
  LoadedFile,
  NewColumn,
  NewPartition,
  PartitionInfo,
  SourceFileVersion,
  TableInfo,
  TimeTravelPoint,
} from './catalog.js';

export type CatalogStore = {
  /** Opens a new connection to this store. */
  open(): Catalog;
  /** Every registered pending object of the store, in any order. */
  pendingObjects(): { queryId: string; objectKey: string }[];
  /** From now on, the store rejects inserting a partition row whose object key is `objectKey`. */
  failPartitionInsert(objectKey: string): void;
  /** Partition rows in the whole store, and how many distinct object keys they reference. */
  partitionKeyCounts(): { rows: number; distinctKeys: number };
  /** Sets the table's history floor (epoch ms) in the store, as GC's mark phase does. */
  setHistoryFloor(tableId: number, floorMs: number): void;
  /** Removes the store; every catalog opened on it is closed already. */
  destroy(): void | Promise<void>;
};

const COLUMNS: NewColumn[] = [
  { name: 'ID', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: false },
  { name: 'PRICE', type: { kind: 'NUMBER', precision: 12, scale: 2 }, nullable: true },
  { name: 'NAME', type: { kind: 'VARCHAR', length: 40 }, nullable: true },
  { name: 'NOTE', type: { kind: 'VARCHAR' }, nullable: true },
  { name: 'RATIO', type: { kind: 'FLOAT' }, nullable: true },
  { name: 'FLAG', type: { kind: 'BOOLEAN' }, nullable: true },
  { name: 'DAY', type: { kind: 'DATE' }, nullable: true },
  { name: 'AT', type: { kind: 'TIMESTAMP_NTZ' }, nullable: true },
];

/** The ColumnInfo a new table with `columns` reports: ids are ordinals, physical names the names. */
function infos(columns: NewColumn[]): ColumnInfo[] {
  return columns.map((c, i) => ({ id: i + 1, name: c.name, physicalName: c.name, type: c.type, nullable: c.nullable, default: c.default ?? null }));
}

function zoneMap(rowCount: number, lo: number, hi: number): ZoneMap {
  return {
    rowCount,
    byteSize: rowCount * 10,
    columns: {
      ID: { min: String(lo), max: String(hi), nullCount: 0, exact: true },
      NAME: { min: `n${lo}`, max: `n${hi}`, nullCount: 1, exact: false },
      FLAG: { min: false, max: true, nullCount: 0, exact: true },
      RATIO: { min: lo / 2, max: hi / 2, nullCount: 0, exact: true },
      NOTE: { min: null, max: null, nullCount: rowCount, exact: true },
    },
  };
}

function part(objectKey: string, rowCount = 100, lo = 0): NewPartition {
  return { objectKey, rowCount, byteSize: rowCount * 10, zoneMap: zoneMap(rowCount, lo, lo + rowCount - 1) };
}

function sourceFile(fileName: string, fileSize = 100, fileEtag: string | null = null, modifiedMs = 1_700_000_000_123): SourceFileVersion {
  return { fileName, fileSize, fileEtag, fileModifiedAt: new Date(modifiedMs) };
}

function loaded(file: SourceFileVersion, status: LoadedFile['status'] = 'LOADED', rows = 3): LoadedFile {
  const failed = status !== 'LOADED';
  return {
    ...file,
    status,
    rowsParsed: rows,
    rowsLoaded: status === 'LOAD_FAILED' ? 0 : failed ? rows - 1 : rows,
    errorCount: status === 'LOAD_FAILED' ? rows : failed ? 1 : 0,
    errorLimit: failed ? rows : 1,
    firstErrorMessage: failed ? "Numeric value 'abc' is not recognized" : null,
    firstErrorLineNumber: failed ? 2 : null,
    firstErrorCharacterPosition: failed ? 3 : null,
    firstErrorColumnName: failed ? '"T"["PRICE":2]' : null,
  };
}

function keys(parts: readonly PartitionInfo[]): string[] {
  return parts.map((p) => p.objectKey);
}

/** Waits until the clock has passed `ms`, so the next commit gets a later commit time. */
function tickPast(ms: number): void {
  while (Date.now() <= ms) {
    // Busy wait: commit times are whole milliseconds.
  }
}

function ns(ms: number, plusNs = 0): bigint {
  return BigInt(ms) * 1_000_000n + BigInt(plusNs);
}

const DAY_MS = 86_400_000;
const NOT_AVAILABLE =
  'Time travel data is not available for table T. The requested time is either beyond the allowed time travel period or ' +
  'before the object creation time.';

/** Runs `fn`, which must throw a FirnError with `codeName` (and `message`, when given). */
function expectError(fn: () => unknown, codeName: ErrorCodeName, message?: string | RegExp): FirnError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected a ${codeName} error`).toBeInstanceOf(FirnError);
  const e = thrown as FirnError;
  expect(e.codeName).toBe(codeName);
  expect(e.code).toBe(ErrorCodes[codeName].code);
  expect(e.sqlState).toBe(ErrorCodes[codeName].sqlState);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else if (message) expect(e.message).toMatch(message);
  return e;
}

export function describeCatalogConformance(
  name: string,
  makeCatalog: () => CatalogStore | Promise<CatalogStore>,
): void {
  describe(`Catalog conformance: ${name}`, () => {
    let store: CatalogStore;
    let opened: Catalog[];
    let c: Catalog;

    const open = (): Catalog => {
      const catalog = store.open();
      opened.push(catalog);
      return catalog;
    };
    const close = (catalog: Catalog): void => {
      opened = opened.filter((k) => k !== catalog);
      catalog.close();
    };
    /** DB.S.T with COLUMNS, at version 0. */
    const makeTable = (catalog: Catalog = c, tableName = 'T'): TableInfo => {
      catalog.createDatabase('DB', { ifNotExists: true });
      catalog.createSchema('DB', 'S', { ifNotExists: true });
      return catalog.createTable('DB', 'S', tableName, COLUMNS, { queryId: `q-create-${tableName}` });
    };

    beforeEach(async () => {
      store = await makeCatalog();
      opened = [];
      c = open();
    });

    afterEach(async () => {
      for (const catalog of opened) catalog.close();
      await store.destroy();
    });

    describe('databases', () => {
      it('creates, gets and lists databases in name order', () => {
        const before = Date.now();
        const b = c.createDatabase('BETA');
        const a = c.createDatabase('ALPHA');
        expect(b.name).toBe('BETA');
        expect(b.createdAt).toBeInstanceOf(Date);
        expect(b.createdAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(b.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
        expect(a.id).not.toBe(b.id);
        expect(c.getDatabase('BETA')).toEqual(b);
        expect(c.listDatabases()).toEqual([a, b]);
      });

      it('compares names exactly', () => {
        c.createDatabase('DB');
        c.createDatabase('db');
        expect(c.getDatabase('Db')).toBeNull();
        expect(c.listDatabases().map((d) => d.name)).toEqual(['DB', 'db']);
      });

      it('refuses to create an existing database unless IF NOT EXISTS or OR REPLACE', () => {
        const first = c.createDatabase('DB');
        const e = expectError(() => c.createDatabase('DB'), 'OBJECT_EXISTS', "Object 'DB' already exists.");
        expect(e).toBeInstanceOf(CompilationError);
        expect(c.createDatabase('DB', { ifNotExists: true })).toEqual(first);
        expectError(() => c.createDatabase('DB', { ifNotExists: true, orReplace: true }), 'SYNTAX');
        expect(c.listDatabases()).toEqual([first]);
      });

      it('OR REPLACE drops the old database with its schemas and tables', () => {
        const old = makeTable();
        const oldDb = c.getDatabase('DB')!;
        const fresh = c.createDatabase('DB', { orReplace: true });
        expect(fresh.id).not.toBe(oldDb.id);
        expect(c.listDatabases()).toEqual([fresh]);
        expect(c.getSchema('DB', 'S')).toBeNull();
        expect(c.getTable('DB', 'S', 'T')).toBeNull();
        expect(c.tableVersions(old.id)).toHaveLength(1);
      });

      it('drops a database with its schemas and tables, keeping their history', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('a')], removedIds: [] });
        c.dropDatabase('DB');
        expect(c.getDatabase('DB')).toBeNull();
        expect(c.listDatabases()).toEqual([]);
        expect(c.getSchema('DB', 'S')).toBeNull();
        expect(c.getTable('DB', 'S', 'T')).toBeNull();
        expect(keys(c.livePartitions(t.id))).toEqual(['a']);
        expectError(() => c.listSchemas('DB'), 'OBJECT_NOT_FOUND', "Database 'DB' does not exist or not authorized.");

        const again = c.createDatabase('DB');
        expect(c.listSchemas('DB')).toEqual([]);
        const s = c.createSchema('DB', 'S');
        expect(s.databaseId).toBe(again.id);
        expect(c.listTables('DB', 'S')).toEqual([]);
      });

      it('reports a missing database on drop unless IF EXISTS', () => {
        const e = expectError(
          () => c.dropDatabase('NOPE'),
          'OBJECT_NOT_FOUND',
          "Database 'NOPE' does not exist or not authorized.",
        );
        expect(e).toBeInstanceOf(CompilationError);
        expect(() => c.dropDatabase('NOPE', { ifExists: true })).not.toThrow();
        c.createDatabase('DB');
        c.dropDatabase('DB');
        expectError(() => c.dropDatabase('DB'), 'OBJECT_NOT_FOUND');
        expect(c.getDatabase('NOPE')).toBeNull();
      });
    });

    describe('databases with their first schema', () => {
      it('creates a database and its schema together', () => {
        const db = c.createDatabase('DB', { schema: 'PUBLIC' });
        expect(c.listSchemas('DB').map((s) => [s.name, s.databaseId])).toEqual([['PUBLIC', db.id]]);
        const replaced = c.createDatabase('DB', { orReplace: true, schema: 'PUBLIC' });
        expect(replaced.id).not.toBe(db.id);
        expect(c.listSchemas('DB').map((s) => [s.name, s.databaseId])).toEqual([['PUBLIC', replaced.id]]);
      });

      it('creates the missing schema of an existing database under IF NOT EXISTS, and only that', () => {
        const db = c.createDatabase('DB');
        expect(c.createDatabase('DB', { ifNotExists: true, schema: 'PUBLIC' })).toEqual(db);
        expect(c.listSchemas('DB').map((s) => s.name)).toEqual(['PUBLIC']);
        expect(c.createDatabase('DB', { ifNotExists: true, schema: 'PUBLIC' })).toEqual(db);
        expect(c.listSchemas('DB').map((s) => s.name)).toEqual(['PUBLIC']);
        expectError(() => c.createDatabase('DB', { schema: 'PUBLIC' }), 'OBJECT_EXISTS');
      });
    });

    describe('schemas', () => {
      it('creates, gets and lists schemas of one database in name order', () => {
        const db = c.createDatabase('DB');
        const other = c.createDatabase('OTHER');
        const z = c.createSchema('DB', 'Z');
        const a = c.createSchema('DB', 'A');
        const elsewhere = c.createSchema('OTHER', 'A');
        expect(z).toMatchObject({ databaseId: db.id, name: 'Z' });
        expect(z.createdAt).toBeInstanceOf(Date);
        expect(elsewhere.databaseId).toBe(other.id);
        expect(elsewhere.id).not.toBe(a.id);
        expect(c.getSchema('DB', 'A')).toEqual(a);
        expect(c.listSchemas('DB')).toEqual([a, z]);
        expect(c.listSchemas('OTHER')).toEqual([elsewhere]);
      });

      it('needs an existing database', () => {
        expectError(
          () => c.createSchema('NOPE', 'S'),
          'OBJECT_NOT_FOUND',
          "Database 'NOPE' does not exist or not authorized.",
        );
        expectError(() => c.listSchemas('NOPE'), 'OBJECT_NOT_FOUND');
        expectError(() => c.dropSchema('NOPE', 'S', { ifExists: true }), 'OBJECT_NOT_FOUND');
        expect(c.getSchema('NOPE', 'S')).toBeNull();
      });

      it('refuses to create an existing schema unless IF NOT EXISTS or OR REPLACE', () => {
        const t = makeTable();
        const s = c.getSchema('DB', 'S')!;
        expectError(() => c.createSchema('DB', 'S'), 'OBJECT_EXISTS', "Object 'S' already exists.");
        expect(c.createSchema('DB', 'S', { ifNotExists: true })).toEqual(s);
        expect(c.getTable('DB', 'S', 'T')).toEqual(t);

        const replaced = c.createSchema('DB', 'S', { orReplace: true });
        expect(replaced.id).not.toBe(s.id);
        expect(c.listSchemas('DB')).toEqual([replaced]);
        expect(c.getTable('DB', 'S', 'T')).toBeNull();
        expect(c.listTables('DB', 'S')).toEqual([]);
      });

      it('drops a schema with its tables', () => {
        const t = makeTable();
        c.dropSchema('DB', 'S');
        expect(c.getSchema('DB', 'S')).toBeNull();
        expect(c.getTable('DB', 'S', 'T')).toBeNull();
        expect(c.tableVersions(t.id)).toHaveLength(1);
        expectError(() => c.listTables('DB', 'S'), 'OBJECT_NOT_FOUND', "Schema 'DB.S' does not exist or not authorized.");
        expectError(() => c.dropSchema('DB', 'S'), 'OBJECT_NOT_FOUND', "Schema 'DB.S' does not exist or not authorized.");
        expect(() => c.dropSchema('DB', 'S', { ifExists: true })).not.toThrow();
        expect(c.getDatabase('DB')).not.toBeNull();
      });
    });

    describe('tables', () => {
      it('creates a table with its columns, clustering key and version 0', () => {
        c.createDatabase('DB');
        const s = c.createSchema('DB', 'S');
        const before = Date.now();
        const t = c.createTable('DB', 'S', 'T', COLUMNS, { clusterBy: ['DAY', 'ID'], queryId: 'q-create' });
        expect(t).toMatchObject({
          schemaId: s.id,
          database: 'DB',
          schema: 'S',
          name: 'T',
          columns: infos(COLUMNS),
          clusterBy: ['DAY', 'ID'],
          currentVersion: 0,
        });
        expect(t.createdAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(c.getTable('DB', 'S', 'T')).toEqual(t);
        const log = c.tableVersions(t.id);
        expect(log).toHaveLength(1);
        expect(log[0]).toMatchObject({ version: 0, queryId: 'q-create', operation: 'CREATE TABLE' });
        expect(log[0].committedAt).toBeInstanceOf(Date);
        expect(c.livePartitions(t.id)).toEqual([]);
        expect(c.livePartitions(t.id, 0)).toEqual([]);
      });

      it('round-trips every data type exactly', () => {
        const t = makeTable();
        const types: DataType[] = c.getTable('DB', 'S', 'T')!.columns.map((col) => col.type);
        expect(types).toEqual(COLUMNS.map((col) => col.type));
        expect(types[3]).toStrictEqual({ kind: 'VARCHAR' });
        expect(t.columns.map((col) => col.nullable)).toEqual(COLUMNS.map((col) => col.nullable));
        expect(c.getTable('DB', 'S', 'T')!.clusterBy).toEqual([]);
      });

      it('does not share mutable state with callers', () => {
        const t = makeTable();
        t.columns[0].name = 'MUTATED';
        t.clusterBy.push('ID');
        const again = c.getTable('DB', 'S', 'T')!;
        again.columns.pop();
        expect(c.getTable('DB', 'S', 'T')!.columns).toEqual(infos(COLUMNS));
        expect(c.getTable('DB', 'S', 'T')!.clusterBy).toEqual([]);
      });

      it('lists the live tables of a schema in name order, with their columns', () => {
        const b = makeTable(c, 'B');
        const a = c.createTable('DB', 'S', 'A', [COLUMNS[0]], { queryId: 'q-a' });
        const gone = c.createTable('DB', 'S', 'GONE', [COLUMNS[1]], { queryId: 'q-gone' });
        c.createSchema('DB', 'OTHER');
        c.createTable('DB', 'OTHER', 'ELSEWHERE', COLUMNS, { queryId: 'q-e' });
        c.dropTable('DB', 'S', 'GONE');
        c.commitTable(b.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('x')], removedIds: [] });
        const listed = c.listTables('DB', 'S');
        expect(listed.map((t) => t.name)).toEqual(['A', 'B']);
        expect(listed[0]).toEqual(a);
        expect(listed[1]).toEqual({ ...b, currentVersion: 1 });
        expect(c.getTable('DB', 'S', 'GONE')).toBeNull();
        expect(gone.id).not.toBe(a.id);
      });

      it('replaces a table with its data in one transaction (CREATE OR REPLACE ... AS SELECT)', () => {
        const old = makeTable();
        c.commitTable(old.id, { baseVersion: 0, queryId: 'q-fill', operation: 'INSERT', added: [part('old/1')], removedIds: [] });
        c.registerPendingObjects('q-ctas', ['new/1', 'new/2']);
        c.registerPendingObjects('q-other', ['o/1']);
        const reader = open();
        expect(keys(reader.livePartitions(reader.getTable('DB', 'S', 'T')!.id))).toEqual(['old/1']);
        const t = c.createTable('DB', 'S', 'T', [COLUMNS[0]], {
          orReplace: true,
          queryId: 'q-ctas',
          data: { operation: 'CREATE TABLE AS SELECT', added: [part('new/1'), part('new/2', 50, 100)] },
        });
        expect(t).toMatchObject({ name: 'T', columns: infos([COLUMNS[0]]), currentVersion: 1 });
        expect(t.id).not.toBe(old.id);
        const seen = reader.getTable('DB', 'S', 'T')!;
        expect(seen).toEqual(t);
        expect(keys(reader.livePartitions(seen.id))).toEqual(['new/1', 'new/2']);
        expect(reader.livePartitions(seen.id, 0)).toEqual([]);
        expect(reader.tableVersions(seen.id).map((v) => [v.version, v.queryId, v.operation])).toEqual([
          [0, 'q-ctas', 'CREATE TABLE'],
          [1, 'q-ctas', 'CREATE TABLE AS SELECT'],
        ]);
        // The old table is dropped, not destroyed: its data stays for time travel / UNDROP.
        expect(keys(reader.livePartitions(old.id))).toEqual(['old/1']);
        expect(store.pendingObjects()).toEqual([{ queryId: 'q-other', objectKey: 'o/1' }]);
      });

      it('leaves the old table as it was when a replacement with data fails half-way', () => {
        const old = makeTable();
        c.commitTable(old.id, { baseVersion: 0, queryId: 'q-fill', operation: 'INSERT', added: [part('old/1')], removedIds: [] });
        c.registerPendingObjects('q-ctas', ['new/1', 'boom']);
        store.failPartitionInsert('boom');
        let thrown: unknown;
        try {
          c.createTable('DB', 'S', 'T', COLUMNS, {
            orReplace: true,
            queryId: 'q-ctas',
            data: { operation: 'CREATE TABLE AS SELECT', added: [part('new/1'), part('boom')] },
          });
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(FirnError);
        const fresh = open();
        const t = fresh.getTable('DB', 'S', 'T')!;
        expect(t).toEqual({ ...old, currentVersion: 1 });
        expect(keys(fresh.livePartitions(t.id))).toEqual(['old/1']);
        expect(fresh.listTables('DB', 'S').map((x) => x.id)).toEqual([old.id]);
        // The failed statement still owns its objects until it deletes them.
        expect(store.pendingObjects()).toHaveLength(2);
      });

      it('creates a table with data but without a replacement, and refuses an existing one', () => {
        makeTable();
        c.registerPendingObjects('q-new', ['n/1']);
        expectError(
          () => c.createTable('DB', 'S', 'T', COLUMNS, { queryId: 'q-new', data: { operation: 'CREATE TABLE AS SELECT', added: [part('n/1')] } }),
          'OBJECT_EXISTS',
        );
        expect(store.pendingObjects()).toEqual([{ queryId: 'q-new', objectKey: 'n/1' }]);
        const t = c.createTable('DB', 'S', 'U', COLUMNS, { queryId: 'q-new', data: { operation: 'CREATE TABLE AS SELECT', added: [part('n/1')] } });
        expect(keys(c.livePartitions(t.id))).toEqual(['n/1']);
        expect(store.pendingObjects()).toEqual([]);
        const empty = c.createTable('DB', 'S', 'E', COLUMNS, { queryId: 'q-empty', data: { operation: 'CREATE TABLE AS SELECT', added: [] } });
        expect(empty.currentVersion).toBe(0);
        expect(c.tableVersions(empty.id)).toHaveLength(1);
      });

      it('needs an existing schema', () => {
        c.createDatabase('DB');
        expectError(
          () => c.createTable('DB', 'NOPE', 'T', COLUMNS, { queryId: 'q' }),
          'OBJECT_NOT_FOUND',
          "Schema 'DB.NOPE' does not exist or not authorized.",
        );
        expectError(() => c.createTable('NODB', 'S', 'T', COLUMNS, { queryId: 'q' }), 'OBJECT_NOT_FOUND');
        expectError(() => c.listTables('DB', 'NOPE'), 'OBJECT_NOT_FOUND');
        expect(c.getTable('DB', 'NOPE', 'T')).toBeNull();
        expect(c.getTable('NODB', 'S', 'T')).toBeNull();
      });

      it('rejects duplicate columns and unknown clustering keys', () => {
        c.createDatabase('DB');
        c.createSchema('DB', 'S');
        expectError(
          () => c.createTable('DB', 'S', 'T', [COLUMNS[0], COLUMNS[0]], { queryId: 'q' }),
          'INVALID_IDENTIFIER',
          /duplicate column name 'ID'/,
        );
        expectError(
          () => c.createTable('DB', 'S', 'T', COLUMNS, { clusterBy: ['NOPE'], queryId: 'q' }),
          'INVALID_IDENTIFIER',
          /'NOPE'/,
        );
        expect(c.listTables('DB', 'S')).toEqual([]);
      });

      it('refuses to create an existing table unless IF NOT EXISTS or OR REPLACE', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('a')], removedIds: [] });
        expectError(
          () => c.createTable('DB', 'S', 'T', COLUMNS, { queryId: 'q2' }),
          'OBJECT_EXISTS',
          "Object 'T' already exists.",
        );
        const same = c.createTable('DB', 'S', 'T', [COLUMNS[0]], { ifNotExists: true, queryId: 'q3' });
        expect(same).toEqual({ ...t, currentVersion: 1 });
        expect(c.tableVersions(t.id)).toHaveLength(2);

        const replaced = c.createTable('DB', 'S', 'T', [COLUMNS[2]], { orReplace: true, queryId: 'q4' });
        expect(replaced.id).not.toBe(t.id);
        expect(replaced.columns).toEqual(infos([COLUMNS[2]]));
        expect(replaced.currentVersion).toBe(0);
        expect(c.getTable('DB', 'S', 'T')).toEqual(replaced);
        expect(c.livePartitions(replaced.id)).toEqual([]);
        expect(c.tableVersions(replaced.id).map((v) => v.queryId)).toEqual(['q4']);
        // The replaced table is dropped, not erased: its history stays readable.
        expect(keys(c.livePartitions(t.id))).toEqual(['a']);
        expect(c.listTables('DB', 'S')).toEqual([replaced]);
      });

      it('drops a table, keeps its history, and lets a new one take the name', () => {
        const old = makeTable();
        c.commitTable(old.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('old')], removedIds: [] });
        c.dropTable('DB', 'S', 'T');
        expect(c.getTable('DB', 'S', 'T')).toBeNull();
        expect(c.listTables('DB', 'S')).toEqual([]);
        expectError(
          () => c.dropTable('DB', 'S', 'T'),
          'OBJECT_NOT_FOUND',
          "Table 'DB.S.T' does not exist or not authorized.",
        );
        expect(() => c.dropTable('DB', 'S', 'T', { ifExists: true })).not.toThrow();

        const fresh = c.createTable('DB', 'S', 'T', COLUMNS, { queryId: 'q2' });
        expect(fresh.id).not.toBe(old.id);
        expect(c.getTable('DB', 'S', 'T')).toEqual(fresh);
        expect(keys(c.livePartitions(old.id))).toEqual(['old']);
        expect(c.tableVersions(old.id).map((v) => v.operation)).toEqual(['CREATE TABLE', 'INSERT']);
        expect(c.livePartitions(fresh.id)).toEqual([]);
        expectError(
          () => c.commitTable(old.id, { baseVersion: 1, queryId: 'q3', operation: 'INSERT', added: [part('x')], removedIds: [] }),
          'OBJECT_NOT_FOUND',
        );
        expect(c.tableVersions(old.id)).toHaveLength(2);
      });
    });

    describe('versions and partitions', () => {
      it('commits a version that adds partitions with all their metadata', () => {
        const t = makeTable();
        const before = Date.now();
        const v = c.commitTable(t.id, {
          baseVersion: 0,
          queryId: 'q-insert',
          operation: 'INSERT',
          added: [part('p/1', 10, 0), part('p/2', 20, 10)],
          removedIds: [],
        });
        expect(v).toMatchObject({ version: 1, queryId: 'q-insert', operation: 'INSERT' });
        expect(v.committedAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(c.getTable('DB', 'S', 'T')!.currentVersion).toBe(1);
        const live = c.livePartitions(t.id);
        expect(live).toEqual([
          {
            id: live[0].id,
            tableId: t.id,
            objectKey: 'p/1',
            rowCount: 10,
            byteSize: 100,
            etag: null,
            zoneMap: zoneMap(10, 0, 9),
            addedVersion: 1,
            removedVersion: null,
          },
          {
            id: live[1].id,
            tableId: t.id,
            objectKey: 'p/2',
            rowCount: 20,
            byteSize: 200,
            etag: null,
            zoneMap: zoneMap(20, 10, 29),
            addedVersion: 1,
            removedVersion: null,
          },
        ]);
        expect(live[0].id).not.toBe(live[1].id);
        expect(c.tableVersions(t.id)[1]).toEqual(v);
      });

      it('answers livePartitions at every old version after adds and removes (time travel)', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('A'), part('B')], removedIds: [] });
        const [a, b] = c.livePartitions(t.id);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'UPDATE', added: [part('C')], removedIds: [a.id] });
        const c2 = c.livePartitions(t.id).find((p) => p.objectKey === 'C')!;
        c.commitTable(t.id, { baseVersion: 2, queryId: 'q3', operation: 'DELETE', added: [part('D')], removedIds: [b.id, c2.id] });
        c.commitTable(t.id, { baseVersion: 3, queryId: 'q4', operation: 'DELETE', added: [], removedIds: [] });

        expect(keys(c.livePartitions(t.id, 0))).toEqual([]);
        expect(keys(c.livePartitions(t.id, 1))).toEqual(['A', 'B']);
        expect(keys(c.livePartitions(t.id, 2))).toEqual(['B', 'C']);
        expect(keys(c.livePartitions(t.id, 3))).toEqual(['D']);
        expect(keys(c.livePartitions(t.id, 4))).toEqual(['D']);
        expect(keys(c.livePartitions(t.id))).toEqual(['D']);
        // Old versions show each partition's whole lifetime.
        expect(c.livePartitions(t.id, 1).map((p) => [p.addedVersion, p.removedVersion])).toEqual([
          [1, 2],
          [1, 3],
        ]);
        expect(c.livePartitions(t.id, 2).map((p) => p.id)).toEqual([b.id, c2.id]);
        expect(c.getTable('DB', 'S', 'T')!.currentVersion).toBe(4);
      });

      it('keeps a version log of every commit', () => {
        const t = makeTable();
        const ops = ['INSERT', 'COPY INTO', 'DELETE', 'UPDATE'];
        ops.forEach((operation, i) =>
          c.commitTable(t.id, { baseVersion: i, queryId: `q${i + 1}`, operation, added: [part(`k${i}`)], removedIds: [] }),
        );
        const log = c.tableVersions(t.id);
        expect(log.map((v) => [v.version, v.queryId, v.operation])).toEqual([
          [0, 'q-create-T', 'CREATE TABLE'],
          [1, 'q1', 'INSERT'],
          [2, 'q2', 'COPY INTO'],
          [3, 'q3', 'DELETE'],
          [4, 'q4', 'UPDATE'],
        ]);
        for (let i = 1; i < log.length; i++) {
          expect(log[i].committedAt.getTime()).toBeGreaterThanOrEqual(log[i - 1].committedAt.getTime());
        }
      });

      it('refuses a removal whose partition a commit after the snapshot removed, naming that version and changing nothing', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('A'), part('B')], removedIds: [] });
        const [a] = c.livePartitions(t.id);
        // Another statement, reading version 1 too, removes A first (version 2); an append follows (version 3).
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q-first', operation: 'DELETE', added: [], removedIds: [a.id] });
        c.commitTable(t.id, { baseVersion: 2, queryId: 'q-append', operation: 'INSERT', added: [part('C')], removedIds: [] });
        const versionsBefore = c.tableVersions(t.id);
        const liveBefore = c.livePartitions(t.id);
        c.registerPendingObjects('q-late', ['late/1']);
        const e = expectError(
          () =>
            c.commitTable(t.id, {
              baseVersion: 1,
              queryId: 'q-late',
              operation: 'UPDATE',
              added: [part('late/1')],
              removedIds: [a.id],
            }),
          'CONCURRENT_MODIFICATION',
          "Table 'DB.S.T' was changed by another statement (version 2 removed a partition this statement read at version 1); " +
            'nothing was committed.',
        );
        expect(e).toBeInstanceOf(ConcurrencyError);
        expect(e.code).toBe('390501');
        expect(e.sqlState).toBe('40001');
        expect(c.tableVersions(t.id)).toEqual(versionsBefore);
        expect(c.getTable('DB', 'S', 'T')!.currentVersion).toBe(3);
        expect(c.livePartitions(t.id)).toEqual(liveBefore);
        // The failed statement still owns its objects: they stay protected until it cleans up.
        expect(store.pendingObjects()).toEqual([{ queryId: 'q-late', objectKey: 'late/1' }]);
      });

      it('commits at current + 1 from an old snapshot whose removed partitions are all still live', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('A'), part('B')], removedIds: [] });
        const [a, b] = c.livePartitions(t.id);
        // Two statements read version 1 and rewrite different partitions: both commit, both stay visible.
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q-a', operation: 'UPDATE', added: [part('A2')], removedIds: [a.id] });
        const v = c.commitTable(t.id, { baseVersion: 1, queryId: 'q-b', operation: 'UPDATE', added: [part('B2')], removedIds: [b.id] });
        expect(v).toMatchObject({ version: 3, queryId: 'q-b', operation: 'UPDATE' });
        expect(keys(c.livePartitions(t.id))).toEqual(['A2', 'B2']);
        expect(keys(c.livePartitions(t.id, 2))).toEqual(['B', 'A2']);
        expect(c.livePartitions(t.id, 1).map((p) => [p.objectKey, p.removedVersion])).toEqual([
          ['A', 2],
          ['B', 3],
        ]);
      });

      it('never makes an append conflict, however old its snapshot', () => {
        const t = makeTable();
        const a = sourceFile('file:///src/a.csv');
        const versions = [
          c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('p1')], removedIds: [] }),
          c.commitTable(t.id, { baseVersion: 0, queryId: 'q2', operation: 'INSERT', added: [part('p2')], removedIds: [] }),
          open().commitTable(t.id, { baseVersion: 0, queryId: 'q3', operation: 'COPY', added: [part('p3')], removedIds: [], loads: { files: [loaded(a)], force: false } }),
          c.commitTable(t.id, { baseVersion: 1, queryId: 'q4', operation: 'INSERT', added: [], removedIds: [] }),
        ];
        expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4]);
        expect(keys(c.livePartitions(t.id))).toEqual(['p1', 'p2', 'p3']);
        expect(c.loadHistory('DB').map((r) => [r.fileName, r.tableVersion])).toEqual([['file:///src/a.csv', 3]]);
      });

      it('lets exactly one of two connections remove the same partition', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q0', operation: 'INSERT', added: [part('x')], removedIds: [] });
        const [x] = c.livePartitions(t.id);
        const other = open();
        other.commitTable(t.id, { baseVersion: 1, queryId: 'q-other', operation: 'DELETE', added: [part('o')], removedIds: [x.id] });
        expectError(
          () => c.commitTable(t.id, { baseVersion: 1, queryId: 'q-mine', operation: 'DELETE', added: [part('m')], removedIds: [x.id] }),
          'CONCURRENT_MODIFICATION',
          /version 2 removed a partition/,
        );
        expect(keys(c.livePartitions(t.id))).toEqual(['o']);
        expect(c.getTable('DB', 'S', 'T')!.currentVersion).toBe(2);
      });

      it('commitTables commits several tables in one transaction, each at its current + 1, clearing every listed statement', () => {
        const t = makeTable();
        const u = makeTable(c, 'U');
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q0', operation: 'INSERT', added: [part('t0')], removedIds: [] });
        const [t0] = c.livePartitions(t.id);
        c.registerPendingObjects('q-ins', ['t1', 'u1']);
        c.registerPendingObjects('q-del', ['t2']);
        const versions = c.commitTables([
          { tableId: t.id, commit: { baseVersion: 1, queryId: 'q-ins', queryIds: ['q-del'], operation: 'INSERT, DELETE', added: [part('t1'), part('t2')], removedIds: [t0.id] } },
          { tableId: u.id, commit: { baseVersion: 0, queryId: 'q-ins', operation: 'INSERT', added: [part('u1')], removedIds: [] } },
        ]);
        expect(versions.map((v) => [v.version, v.queryId, v.operation])).toEqual([
          [2, 'q-ins', 'INSERT, DELETE'],
          [1, 'q-ins', 'INSERT'],
        ]);
        expect(keys(c.livePartitions(t.id))).toEqual(['t1', 't2']);
        expect(keys(c.livePartitions(u.id))).toEqual(['u1']);
        expect(c.versionLog(t.id).at(-1)!.queryIds).toEqual(['q-del', 'q-ins']);
        expect(store.pendingObjects()).toEqual([]);
      });

      it('commitTables commits nothing when one of its commits conflicts', () => {
        const t = makeTable();
        const u = makeTable(c, 'U');
        c.commitTable(u.id, { baseVersion: 0, queryId: 'q0', operation: 'INSERT', added: [part('u0')], removedIds: [] });
        const [u0] = c.livePartitions(u.id);
        // Another statement removed U's partition after the transaction read it.
        open().commitTable(u.id, { baseVersion: 1, queryId: 'q-other', operation: 'DELETE', added: [], removedIds: [u0.id] });
        c.registerPendingObjects('q-txn', ['t1', 'u1']);
        expectError(
          () =>
            c.commitTables([
              { tableId: t.id, commit: { baseVersion: 0, queryId: 'q-txn', operation: 'INSERT', added: [part('t1')], removedIds: [] } },
              { tableId: u.id, commit: { baseVersion: 1, queryId: 'q-txn', operation: 'UPDATE', added: [part('u1')], removedIds: [u0.id] } },
            ]),
          'CONCURRENT_MODIFICATION',
          /version 2 removed a partition/,
        );
        expect(c.getTable('DB', 'S', 'T')!.currentVersion).toBe(0);
        expect(c.livePartitions(t.id)).toEqual([]);
        expect(c.tableVersions(t.id).map((v) => v.version)).toEqual([0]);
        expect(c.getTable('DB', 'S', 'U')!.currentVersion).toBe(2);
        expect(store.pendingObjects().map((p) => p.objectKey).sort()).toEqual(['t1', 'u1']);
      });

      it('refuses a snapshot newer than the table, or a removal of a partition the snapshot did not hold, as internal errors', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('p')], removedIds: [] });
        const [p] = c.livePartitions(t.id);
        expectError(
          () => c.commitTable(t.id, { baseVersion: 2, queryId: 'q-ahead', operation: 'INSERT', added: [], removedIds: [] }),
          'INTERNAL',
        );
        // p was added by version 1, so a statement that read version 0 cannot have chosen to remove it.
        expectError(
          () => c.commitTable(t.id, { baseVersion: 0, queryId: 'q-blind', operation: 'DELETE', added: [], removedIds: [p.id] }),
          'INTERNAL',
        );
        expect(c.tableVersions(t.id).map((v) => v.version)).toEqual([0, 1]);
        expect(keys(c.livePartitions(t.id))).toEqual(['p']);
      });

      it('records the extra statement ids of a group commit and clears all their pending objects', () => {
        const t = makeTable();
        c.registerPendingObjects('q-a', ['g/1']);
        c.registerPendingObjects('q-b', ['g/1']);
        c.registerPendingObjects('q-c', ['g/1']);
        c.registerPendingObjects('q-other', ['o/1']);
        const v = c.commitTable(t.id, {
          baseVersion: 0,
          queryId: 'q-a',
          queryIds: ['q-b', 'q-a', 'q-c'],
          operation: 'INSERT',
          added: [part('g/1')],
          removedIds: [],
        });
        expect(v).toMatchObject({ version: 1, queryId: 'q-a' });
        expect(c.tableVersions(t.id).map((x) => [x.version, x.queryId])).toEqual([[0, 'q-create-T'], [1, 'q-a']]);
        expect(store.pendingObjects()).toEqual([{ queryId: 'q-other', objectKey: 'o/1' }]);
      });

      it('rolls back everything when the store fails in the middle of a commit', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('keep')], removedIds: [] });
        const [keep] = c.livePartitions(t.id);
        const versionsBefore = c.tableVersions(t.id);
        c.registerPendingObjects('q2', ['ok/1', 'boom', 'ok/2']);
        store.failPartitionInsert('boom');
        let thrown: unknown;
        try {
          c.commitTable(t.id, {
            baseVersion: 1,
            queryId: 'q2',
            operation: 'UPDATE',
            added: [part('ok/1'), part('boom'), part('ok/2')],
            removedIds: [keep.id],
          });
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(FirnError);
        expect(c.tableVersions(t.id)).toEqual(versionsBefore);
        expect(c.getTable('DB', 'S', 'T')!.currentVersion).toBe(1);
        expect(c.livePartitions(t.id)).toEqual([keep]);
        expect(keys(c.livePartitions(t.id, 1))).toEqual(['keep']);
        expect(store.pendingObjects()).toHaveLength(3);
        const fresh = open();
        expect(fresh.tableVersions(t.id)).toEqual(versionsBefore);
        expect(fresh.livePartitions(t.id)).toEqual([keep]);

        // The same base version is still free: the failed commit left no half-written version.
        const v = c.commitTable(t.id, {
          baseVersion: 1,
          queryId: 'q2',
          operation: 'UPDATE',
          added: [part('ok/1'), part('ok/2')],
          removedIds: [keep.id],
        });
        expect(v.version).toBe(2);
        expect(keys(c.livePartitions(t.id))).toEqual(['ok/1', 'ok/2']);
        expect(store.pendingObjects()).toEqual([]);
      });

      it('rejects removing a partition that is not live in the table, changing nothing', () => {
        const t = makeTable(c, 'T');
        const u = makeTable(c, 'U');
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('t1')], removedIds: [] });
        c.commitTable(u.id, { baseVersion: 0, queryId: 'q2', operation: 'INSERT', added: [part('u1')], removedIds: [] });
        const [t1] = c.livePartitions(t.id);
        const [u1] = c.livePartitions(u.id);
        expect(() =>
          c.commitTable(t.id, { baseVersion: 1, queryId: 'q3', operation: 'DELETE', added: [part('t2')], removedIds: [u1.id] }),
        ).toThrow(FirnError);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q4', operation: 'DELETE', added: [], removedIds: [t1.id] });
        expect(() =>
          c.commitTable(t.id, { baseVersion: 2, queryId: 'q5', operation: 'DELETE', added: [], removedIds: [t1.id] }),
        ).toThrow(FirnError);
        expect(c.tableVersions(t.id).map((v) => v.queryId)).toEqual(['q-create-T', 'q1', 'q4']);
        expect(c.livePartitions(t.id)).toEqual([]);
        expect(c.livePartitions(u.id)).toEqual([u1]);
      });

      it('lets several tables reference the same object key', () => {
        const t = makeTable(c, 'T');
        const u = makeTable(c, 'U');
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('shared', 5)], removedIds: [] });
        c.commitTable(u.id, { baseVersion: 0, queryId: 'q2', operation: 'CLONE', added: [part('shared', 5)], removedIds: [] });
        const [inT] = c.livePartitions(t.id);
        const [inU] = c.livePartitions(u.id);
        expect(inT.objectKey).toBe('shared');
        expect(inU.objectKey).toBe('shared');
        expect(inT.id).not.toBe(inU.id);
        expect(inU.tableId).toBe(u.id);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q3', operation: 'DELETE', added: [], removedIds: [inT.id] });
        expect(c.livePartitions(t.id)).toEqual([]);
        expect(c.livePartitions(u.id)).toEqual([inU]);
        expect(keys(c.livePartitions(t.id, 1))).toEqual(['shared']);
      });

      it('loads thousands of partitions of a table in commit order with their zone maps', () => {
        const t = makeTable();
        const n = 3000;
        const added: NewPartition[] = [];
        for (let i = 0; i < n; i++) added.push(part(`bulk/${String(i).padStart(5, '0')}`, 1000, i * 1000));
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q-bulk', operation: 'COPY INTO', added, removedIds: [] });
        const live = c.livePartitions(t.id);
        expect(live).toHaveLength(n);
        expect(live.map((p) => p.objectKey)).toEqual(added.map((p) => p.objectKey));
        expect(live[1234].zoneMap).toEqual(added[1234].zoneMap);
        expect(live[n - 1].zoneMap.columns.ID.max).toBe(String(n * 1000 - 1));
      });

      it('reports unknown tables and versions that do not exist', () => {
        const t = makeTable();
        expectError(() => c.livePartitions(t.id + 1000), 'OBJECT_NOT_FOUND', /does not exist or not authorized/);
        expectError(() => c.tableVersions(t.id + 1000), 'OBJECT_NOT_FOUND');
        expectError(
          () => c.commitTable(t.id + 1000, { baseVersion: 0, queryId: 'q', operation: 'INSERT', added: [], removedIds: [] }),
          'OBJECT_NOT_FOUND',
        );
        expectError(() => c.livePartitions(t.id, 1), 'OBJECT_NOT_FOUND', /Version 1 of table 'DB.S.T' does not exist/);
        expectError(() => c.livePartitions(t.id, -1), 'OBJECT_NOT_FOUND');
      });
    });

    describe('time travel', () => {
      /** DB.S.T at versions 0 (q-create-T), 1 (q1), 2 (q2), each committed in a later millisecond. */
      const history = () => {
        const t = makeTable();
        tickPast(c.tableVersions(t.id)[0].committedAt.getTime());
        const v1 = c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('a')], removedIds: [] });
        tickPast(v1.committedAt.getTime());
        const v2 = c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'INSERT', added: [part('b')], removedIds: [] });
        return { t, at: c.tableVersions(t.id).map((v) => v.committedAt.getTime()), v2 };
      };
      const time = (at: 'AT' | 'BEFORE', epochNs: bigint): TimeTravelPoint => ({ at, kind: 'time', epochNs });
      const stmt = (at: 'AT' | 'BEFORE', queryId: string): TimeTravelPoint => ({ at, kind: 'statement', queryId });

      it('resolves AT inclusive and BEFORE strict at the exact commit times', () => {
        const { t, at } = history();
        const now = at[2] + 1000;
        const resolve = (p: TimeTravelPoint) => c.resolveVersion(t.id, p, now, DAY_MS);
        expect(resolve(time('AT', ns(at[0])))).toBe(0);
        expect(resolve(time('AT', ns(at[1]) - 1n))).toBe(0);
        expect(resolve(time('AT', ns(at[1])))).toBe(1);
        expect(resolve(time('BEFORE', ns(at[1])))).toBe(0);
        expect(resolve(time('BEFORE', ns(at[1], 1)))).toBe(1);
        expect(resolve(time('AT', ns(at[2], 999_999)))).toBe(2);
        expect(resolve(time('BEFORE', ns(at[2])))).toBe(1);
        expect(resolve(time('AT', ns(now)))).toBe(2);
        expect(resolve(time('BEFORE', ns(now + DAY_MS)))).toBe(2);
      });

      it('raises 000707 for a time before the table was created', () => {
        const { t, at } = history();
        const now = at[2] + 1000;
        for (const p of [time('BEFORE', ns(at[0])), time('AT', ns(at[0]) - 1n), time('AT', 0n)]) {
          const e = expectError(() => c.resolveVersion(t.id, p, now, DAY_MS), 'TIME_TRAVEL_NOT_AVAILABLE', NOT_AVAILABLE);
          expect(e).toBeInstanceOf(CompilationError);
          expect([e.code, e.sqlState]).toEqual(['000707', '02000']);
        }
      });

      it('raises 000707 below the retention floor, keeping the version current at it', () => {
        const { t, at } = history();
        // Retention reaches back exactly to version 1's commit.
        const now = at[2] + 10;
        const retention = now - at[1];
        const resolve = (p: TimeTravelPoint) => c.resolveVersion(t.id, p, now, retention);
        expect(resolve(time('AT', ns(at[1])))).toBe(1);
        expect(resolve(stmt('AT', 'q1'))).toBe(1);
        expect(resolve(stmt('BEFORE', 'q2'))).toBe(1);
        expectError(() => resolve(time('AT', ns(at[1]) - 1n)), 'TIME_TRAVEL_NOT_AVAILABLE', NOT_AVAILABLE);
        expectError(() => resolve(time('BEFORE', ns(at[1]))), 'TIME_TRAVEL_NOT_AVAILABLE');
        expectError(() => resolve(stmt('AT', 'q-create-T')), 'TIME_TRAVEL_NOT_AVAILABLE');
        expectError(() => resolve(stmt('BEFORE', 'q1')), 'TIME_TRAVEL_NOT_AVAILABLE');
        // Retention 0: only the present.
        expect(c.resolveVersion(t.id, time('AT', ns(now)), now, 0)).toBe(2);
        expect(c.resolveVersion(t.id, stmt('AT', 'q2'), now, 0)).toBe(2);
        expectError(() => c.resolveVersion(t.id, stmt('AT', 'q1'), now, 0), 'TIME_TRAVEL_NOT_AVAILABLE');
        expectError(() => c.resolveVersion(t.id, time('AT', ns(now) - 1n), now, 0), 'TIME_TRAVEL_NOT_AVAILABLE');
      });

      it('raises 000707 below the history floor GC raised, whatever the retention', () => {
        const { t, at } = history();
        store.setHistoryFloor(t.id, at[2]);
        const now = at[2] + 1000;
        expect(c.resolveVersion(t.id, time('AT', ns(at[2])), now, DAY_MS)).toBe(2);
        expect(c.resolveVersion(t.id, stmt('AT', 'q2'), now, DAY_MS)).toBe(2);
        expectError(() => c.resolveVersion(t.id, time('AT', ns(at[2]) - 1n), now, DAY_MS), 'TIME_TRAVEL_NOT_AVAILABLE', NOT_AVAILABLE);
        expectError(() => c.resolveVersion(t.id, stmt('AT', 'q1'), now, DAY_MS), 'TIME_TRAVEL_NOT_AVAILABLE');
      });

      it('resolves a statement id to the version it committed (AT) and the one before (BEFORE)', () => {
        const { t, at } = history();
        const now = at[2] + 1000;
        const resolve = (p: TimeTravelPoint) => c.resolveVersion(t.id, p, now, DAY_MS);
        expect(resolve(stmt('AT', 'q1'))).toBe(1);
        expect(resolve(stmt('BEFORE', 'q1'))).toBe(0);
        expect(resolve(stmt('AT', 'q2'))).toBe(2);
        expect(resolve(stmt('BEFORE', 'q2'))).toBe(1);
        expect(resolve(stmt('AT', 'q-create-T'))).toBe(0);
        expectError(() => resolve(stmt('BEFORE', 'q-create-T')), 'TIME_TRAVEL_NOT_AVAILABLE', NOT_AVAILABLE);
        // Every statement of a group commit resolves to the shared version.
        c.commitTable(t.id, { baseVersion: 0, queryId: 'g1', queryIds: ['g2', 'g3'], operation: 'INSERT', added: [part('g')], removedIds: [] });
        expect(['g1', 'g2', 'g3'].map((q) => resolve(stmt('AT', q)))).toEqual([3, 3, 3]);
        expect(resolve(stmt('BEFORE', 'g3'))).toBe(2);
        // A CTAS commits versions 0 and 1 under one id: AT is its data, and there is nothing before it.
        c.registerPendingObjects('q-ctas', ['n/1']);
        const u = c.createTable('DB', 'S', 'U', COLUMNS, { queryId: 'q-ctas', data: { operation: 'CREATE TABLE AS SELECT', added: [part('n/1')] } });
        expect(c.resolveVersion(u.id, stmt('AT', 'q-ctas'), now + 5000, DAY_MS)).toBe(1);
        expectError(() => c.resolveVersion(u.id, stmt('BEFORE', 'q-ctas'), now + 5000, DAY_MS), 'TIME_TRAVEL_NOT_AVAILABLE', /table U\./);
      });

      it('asks the statement history about ids that committed nothing to the table, else raises 000709', () => {
        const { t, at } = history();
        const u = makeTable(c, 'U');
        c.commitTable(u.id, { baseVersion: 0, queryId: 'q-u', operation: 'INSERT', added: [part('u')], removedIds: [] });
        const now = Date.now() + 1000;
        const starts = new Map([['q-select', at[1]], ['q-early', at[0] - 5], ['q-u', at[2]]]);
        const lookup = (q: string) => starts.get(q) ?? null;
        expect(c.resolveVersion(t.id, stmt('AT', 'q-select'), now, DAY_MS, lookup)).toBe(1);
        expect(c.resolveVersion(t.id, stmt('BEFORE', 'q-select'), now, DAY_MS, lookup)).toBe(1);
        // An id that committed to another table only is a statement like any other here.
        expect(c.resolveVersion(t.id, stmt('AT', 'q-u'), now, DAY_MS, lookup)).toBe(2);
        expect(c.resolveVersion(u.id, stmt('AT', 'q-u'), now, DAY_MS, lookup)).toBe(1);
        expectError(() => c.resolveVersion(t.id, stmt('AT', 'q-early'), now, DAY_MS, lookup), 'TIME_TRAVEL_NOT_AVAILABLE', NOT_AVAILABLE);
        const e = expectError(
          () => c.resolveVersion(t.id, stmt('AT', '01b82abe-0000-4f00-8000-000000000000'), now, DAY_MS, lookup),
          'STATEMENT_NOT_FOUND',
          'Statement 01b82abe-0000-4f00-8000-000000000000 not found',
        );
        expect(e).toBeInstanceOf(CompilationError);
        expect([e.code, e.sqlState]).toEqual(['000709', '02000']);
        expectError(() => c.resolveVersion(t.id, stmt('BEFORE', 'q-select'), now, DAY_MS), 'STATEMENT_NOT_FOUND', 'Statement q-select not found');
      });

      it('time-travels on a dropped table by id', () => {
        const { t, at } = history();
        c.dropTable('DB', 'S', 'T');
        expect(c.resolveVersion(t.id, stmt('AT', 'q1'), at[2] + 1000, DAY_MS)).toBe(1);
        expect(c.tableAt(t.id, 1)).toEqual({ ...t, currentVersion: 1 });
      });

      it('describes a table as of a version, dropped or not', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('a')], removedIds: [] });
        expect(c.tableAt(t.id, 0)).toEqual({ ...t, currentVersion: 0 });
        expect(c.tableAt(t.id, 1)).toEqual({ ...t, currentVersion: 1 });
        expect(c.tableAt(t.id, 1).columns).toEqual(infos(COLUMNS));
        expectError(() => c.tableAt(t.id, 2), 'OBJECT_NOT_FOUND', /Version 2 of table 'DB.S.T' does not exist/);
        expectError(() => c.tableAt(t.id + 1000, 0), 'OBJECT_NOT_FOUND');
        c.dropTable('DB', 'S', 'T');
        expect(c.tableAt(t.id, 1)).toEqual({ ...t, currentVersion: 1 });
      });

      it('gets a table by id, live or dropped', () => {
        const t = makeTable();
        expect(c.getTableById(t.id)).toEqual(t);
        c.dropTable('DB', 'S', 'T');
        expect(c.getTableById(t.id)).toEqual(t);
        expect(c.getTableById(t.id + 1000)).toBeNull();
      });
    });

    it("records each partition's object ETag, null where none was given, through CTAS, commits and clones", () => {
      c.createDatabase('DB', { ifNotExists: true });
      c.createSchema('DB', 'S', { ifNotExists: true });
      const t = c.createTable('DB', 'S', 'T', COLUMNS, { queryId: 'q0', clusterBy: [], data: { operation: 'CREATE TABLE AS SELECT', added: [{ ...part('A', 10), etag: '"a1"' }] } });
      c.commitTable(t.id, { baseVersion: 1, queryId: 'q1', operation: 'INSERT', added: [{ ...part('B', 20), etag: '"b1"' }, part('C', 30), { ...part('D', 40), etag: null }], removedIds: [] });
      const live = c.livePartitions(t.id);
      expect(live.map((p) => [p.objectKey, p.byteSize, p.etag])).toEqual([['A', 100, '"a1"'], ['B', 200, '"b1"'], ['C', 300, null], ['D', 400, null]]);
      const u = c.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-clone' });
      expect(c.livePartitions(u.id).map((p) => [p.objectKey, p.etag])).toEqual([['A', '"a1"'], ['B', '"b1"'], ['C', null], ['D', null]]);
    });

    describe('clones', () => {
      /** DB.S.T: version 1 adds A, B; version 2 removes A and adds C. */
      const source = () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('A', 10), part('B', 20)], removedIds: [] });
        const [a] = c.livePartitions(t.id);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'UPDATE', added: [part('C', 30)], removedIds: [a.id] });
        return t;
      };

      it('clones a table as of a version: its own partition rows for the same objects, versions 0 and 1', () => {
        const t = source();
        const before = c.livePartitions(t.id, 1);
        const u = c.cloneTable({ tableId: t.id, version: 1 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-clone' });
        expect(u).toMatchObject({ schemaId: t.schemaId, database: 'DB', schema: 'S', name: 'U', columns: infos(COLUMNS), clusterBy: [], currentVersion: 1 });
        expect(u.id).not.toBe(t.id);
        expect(c.getTable('DB', 'S', 'U')).toEqual(u);
        const cloned = c.livePartitions(u.id);
        expect(cloned.map((p) => [p.objectKey, p.rowCount, p.byteSize, p.zoneMap, p.tableId, p.addedVersion, p.removedVersion])).toEqual(
          before.map((p) => [p.objectKey, p.rowCount, p.byteSize, p.zoneMap, u.id, 1, null]),
        );
        for (const p of cloned) expect(before.map((b) => b.id)).not.toContain(p.id);
        expect(c.livePartitions(u.id, 0)).toEqual([]);
        expect(c.tableVersions(u.id).map((v) => [v.version, v.queryId, v.operation])).toEqual([
          [0, 'q-clone', 'CREATE TABLE'],
          [1, 'q-clone', 'CLONE'],
        ]);
        expect(c.resolveVersion(u.id, { at: 'AT', kind: 'statement', queryId: 'q-clone' }, Date.now(), DAY_MS)).toBe(1);
        expectError(() => c.resolveVersion(u.id, { at: 'BEFORE', kind: 'statement', queryId: 'q-clone' }, Date.now(), DAY_MS), 'TIME_TRAVEL_NOT_AVAILABLE', /table U\./);
        // The source is untouched.
        expect(keys(c.livePartitions(t.id))).toEqual(['B', 'C']);
        expect(c.getTable('DB', 'S', 'T')!.currentVersion).toBe(2);
      });

      it('lets a clone and its source diverge independently in both directions', () => {
        const t = source();
        const u = c.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-clone' });
        const [tb] = c.livePartitions(t.id);
        c.commitTable(t.id, { baseVersion: 2, queryId: 'q3', operation: 'DELETE', added: [part('T-only')], removedIds: [tb.id] });
        const [, uc] = c.livePartitions(u.id);
        c.commitTable(u.id, { baseVersion: 1, queryId: 'q4', operation: 'DELETE', added: [part('U-only')], removedIds: [uc.id] });
        expect(keys(c.livePartitions(t.id))).toEqual(['C', 'T-only']);
        expect(keys(c.livePartitions(u.id))).toEqual(['B', 'U-only']);
        expect(keys(c.livePartitions(u.id, 1))).toEqual(['B', 'C']);
        expect(keys(c.livePartitions(t.id, 2))).toEqual(['B', 'C']);
      });

      it('clones 10,000 partitions by copying rows, not objects', () => {
        const t = makeTable();
        const added: NewPartition[] = [];
        for (let i = 0; i < 10_000; i++) added.push(part(`t/q/w-${String(i).padStart(5, '0')}.parquet`, 100, i * 100));
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q-bulk', operation: 'COPY INTO', added, removedIds: [] });
        expect(store.partitionKeyCounts()).toEqual({ rows: 10_000, distinctKeys: 10_000 });
        const u = c.cloneTable({ tableId: t.id, version: 1 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-clone' });
        expect(store.partitionKeyCounts()).toEqual({ rows: 20_000, distinctKeys: 10_000 });
        const live = c.livePartitions(u.id);
        expect(live).toHaveLength(10_000);
        expect(live.map((p) => p.objectKey)).toEqual(added.map((p) => p.objectKey));
        expect(live[9_999].zoneMap).toEqual(added[9_999].zoneMap);
      });

      it('clones in one transaction: a failure half-way leaves nothing', () => {
        const t = source();
        store.failPartitionInsert('C');
        expect(() => c.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-clone' })).toThrow(FirnError);
        expect(c.getTable('DB', 'S', 'U')).toBeNull();
        expect(c.listTables('DB', 'S').map((x) => x.name)).toEqual(['T']);
        expect(store.partitionKeyCounts()).toEqual({ rows: 3, distinctKeys: 3 });
      });

      it('clones an empty table as version 0 only, and handles an existing name like CREATE', () => {
        const t = makeTable();
        const u = c.cloneTable({ tableId: t.id, version: 0 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-c1' });
        expect(u.currentVersion).toBe(0);
        expect(c.tableVersions(u.id).map((v) => v.operation)).toEqual(['CREATE TABLE']);
        expectError(
          () => c.cloneTable({ tableId: t.id, version: 0 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-c2' }),
          'OBJECT_EXISTS',
          "Object 'U' already exists.",
        );
        expect(c.cloneTable({ tableId: t.id, version: 0 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-c3', ifNotExists: true })).toEqual(u);
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('x')], removedIds: [] });
        const replaced = c.cloneTable({ tableId: t.id, version: 1 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-c4', orReplace: true });
        expect(replaced.id).not.toBe(u.id);
        expect(keys(c.livePartitions(replaced.id))).toEqual(['x']);
        // CREATE OR REPLACE TABLE T CLONE T: the source is read before it is replaced.
        const self = c.cloneTable({ tableId: t.id, version: 1 }, { database: 'DB', schema: 'S', name: 'T' }, { queryId: 'q-c5', orReplace: true });
        expect(keys(c.livePartitions(self.id))).toEqual(['x']);
        expect(c.getTable('DB', 'S', 'T')!.id).toBe(self.id);
        expectError(() => c.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'V' }, { queryId: 'q-c6' }), 'OBJECT_NOT_FOUND');
        expectError(() => c.cloneTable({ tableId: t.id, version: 1 }, { database: 'DB', schema: 'NOPE', name: 'V' }, { queryId: 'q-c7' }), 'OBJECT_NOT_FOUND');
      });

      it('clones a schema with the tables it had at a time, each as of that time', () => {
        const t = source();
        const at = c.tableVersions(t.id)[2].committedAt.getTime();
        tickPast(at);
        const late = c.createTable('DB', 'S', 'LATE', COLUMNS, { queryId: 'q-late' });
        c.commitTable(t.id, { baseVersion: 2, queryId: 'q3', operation: 'INSERT', added: [part('D')], removedIds: [] });
        c.createTable('DB', 'S', 'GONE', COLUMNS, { queryId: 'q-gone' });
        c.dropTable('DB', 'S', 'GONE');
        const now = c.cloneSchema({ database: 'DB', schema: 'S' }, { database: 'DB', name: 'S2' }, { queryId: 'q-cs' });
        expect(now.name).toBe('S2');
        expect(c.listTables('DB', 'S2').map((x) => [x.name, x.currentVersion])).toEqual([['LATE', 0], ['T', 1]]);
        expect(keys(c.livePartitions(c.getTable('DB', 'S2', 'T')!.id))).toEqual(['B', 'C', 'D']);
        const then = c.cloneSchema({ database: 'DB', schema: 'S', atMs: at }, { database: 'DB', name: 'S3' }, { queryId: 'q-cs2' });
        expect(c.listTables('DB', 'S3').map((x) => x.name)).toEqual(['T']);
        expect(keys(c.livePartitions(c.getTable('DB', 'S3', 'T')!.id))).toEqual(['B', 'C']);
        expect(then.id).not.toBe(now.id);
        expect(late.id).toBeGreaterThan(t.id);
        expectError(() => c.cloneSchema({ database: 'DB', schema: 'S' }, { database: 'DB', name: 'S2' }, { queryId: 'q' }), 'OBJECT_EXISTS');
      });

      it('clones a database with its schemas and tables', () => {
        const t = source();
        c.createSchema('DB', 'EMPTY');
        c.createSchema('DB', 'DROPPED');
        c.dropSchema('DB', 'DROPPED');
        const d = c.cloneDatabase({ database: 'DB' }, 'DB2', { queryId: 'q-cd' });
        expect(d.name).toBe('DB2');
        expect(c.listSchemas('DB2').map((x) => x.name)).toEqual(['EMPTY', 'S']);
        const u = c.getTable('DB2', 'S', 'T')!;
        expect(u.columns).toEqual(infos(COLUMNS));
        expect(keys(c.livePartitions(u.id))).toEqual(['B', 'C']);
        expect(keys(c.livePartitions(t.id))).toEqual(['B', 'C']);
        expect(store.partitionKeyCounts()).toEqual({ rows: 5, distinctKeys: 3 });
      });
    });

    describe('UNDROP, history and retention', () => {
      const ctx = (nowMs = Date.now() + 1000, defaultRetentionDays = 1) => ({ nowMs, defaultRetentionDays });

      it('undrops the most recently dropped table of a name, and refuses a taken name', () => {
        const first = makeTable();
        c.commitTable(first.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('first')], removedIds: [] });
        c.dropTable('DB', 'S', 'T');
        tickPast(Date.now());
        const second = c.createTable('DB', 'S', 'T', [COLUMNS[0]], { queryId: 'q2' });
        c.dropTable('DB', 'S', 'T');
        const back = c.undropTable('DB', 'S', 'T', ctx());
        expect(back).toEqual(second);
        expect(c.getTable('DB', 'S', 'T')).toEqual(second);
        const e = expectError(() => c.undropTable('DB', 'S', 'T', ctx()), 'OBJECT_EXISTS', "Object 'T' already exists.");
        expect([e.code, e.sqlState]).toEqual(['002002', '42710']);
        expect(c.getTable('DB', 'S', 'T')!.id).toBe(second.id);
        expectError(() => c.undropTable('DB', 'S', 'NOPE', ctx()), 'OBJECT_NOT_FOUND', "Table 'DB.S.NOPE' does not exist or not authorized.");
      });

      it('undrops only within the retention of the dropped table', () => {
        const t = makeTable();
        c.dropTable('DB', 'S', 'T');
        const later = Date.now() + 2 * DAY_MS;
        expectError(() => c.undropTable('DB', 'S', 'T', ctx(later)), 'OBJECT_NOT_FOUND');
        expectError(() => c.undropTable('DB', 'S', 'T', ctx(Date.now() + 1000, 0)), 'OBJECT_NOT_FOUND');
        c.setRetention({ kind: 'schema', database: 'DB', schema: 'S' }, 3);
        expect(c.undropTable('DB', 'S', 'T', ctx(later)).id).toBe(t.id);
      });

      it('undrops a schema with the tables its drop cascaded to, and only those', () => {
        const kept = makeTable(c, 'KEPT');
        const before = makeTable(c, 'BEFORE');
        c.dropTable('DB', 'S', 'BEFORE');
        tickPast(Date.now());
        c.dropSchema('DB', 'S');
        expect(c.getSchema('DB', 'S')).toBeNull();
        const s = c.undropSchema('DB', 'S', ctx());
        expect(s.id).toBe(kept.schemaId);
        expect(c.getSchema('DB', 'S')).toEqual(s);
        expect(c.listTables('DB', 'S').map((x) => x.id)).toEqual([kept.id]);
        expect(c.getTable('DB', 'S', 'BEFORE')).toBeNull();
        expect(c.undropTable('DB', 'S', 'BEFORE', ctx()).id).toBe(before.id);
        expectError(() => c.undropSchema('DB', 'S', ctx()), 'OBJECT_EXISTS', "Object 'S' already exists.");
        expectError(() => c.undropSchema('DB', 'NOPE', ctx()), 'OBJECT_NOT_FOUND', "Schema 'DB.NOPE' does not exist or not authorized.");
      });

      it('undrops the most recently dropped database of a name within retention, and refuses a taken name', () => {
        const first = c.createDatabase('DB');
        c.dropDatabase('DB');
        tickPast(Date.now());
        const replacement = c.createDatabase('DB');
        expectError(() => c.undropDatabase('DB', ctx()), 'OBJECT_EXISTS', "Object 'DB' already exists.");
        c.dropDatabase('DB');
        expect(c.undropDatabase('DB', ctx()).id).toBe(replacement.id);
        c.dropDatabase('DB');
        expectError(() => c.undropDatabase('DB', ctx(Date.now() + 1000, 0)), 'OBJECT_NOT_FOUND', "Database 'DB' does not exist or not authorized.");
        // Dropped last, the replacement comes back first again.
        expect(c.undropDatabase('DB', ctx()).id).toBe(replacement.id);
        expect(first.id).not.toBe(replacement.id);
        expectError(() => c.undropDatabase('NOPE', ctx()), 'OBJECT_NOT_FOUND');
      });

      it('undrops a database with the schemas and tables dropped with it', () => {
        const t = makeTable();
        c.createSchema('DB', 'OTHER');
        c.createSchema('DB', 'EARLIER');
        c.dropSchema('DB', 'EARLIER');
        tickPast(Date.now());
        c.dropDatabase('DB');
        const d = c.undropDatabase('DB', ctx());
        expect(c.getDatabase('DB')).toEqual(d);
        expect(c.listSchemas('DB').map((s) => s.name)).toEqual(['OTHER', 'S']);
        expect(c.getTable('DB', 'S', 'T')).toEqual(t);
      });

      it('lists live tables and dropped ones within retention for SHOW TABLES HISTORY', () => {
        const old = makeTable();
        c.dropTable('DB', 'S', 'T');
        tickPast(Date.now());
        const live = c.createTable('DB', 'S', 'T', [COLUMNS[0]], { queryId: 'q-new' });
        const other = makeTable(c, 'A');
        c.setRetention({ kind: 'table', tableId: other.id }, 5);
        const h = c.listTablesHistory('DB', 'S', ctx());
        expect(h.map((e) => [e.id, e.name, e.droppedAt === null, e.retentionDays])).toEqual([
          [other.id, 'A', true, 5],
          [live.id, 'T', true, 1],
          [old.id, 'T', false, 1],
        ]);
        expect(h[2]).toEqual({ ...old, droppedAt: h[2].droppedAt, retentionDays: 1 });
        expect(h[2].droppedAt!.getTime()).toBeLessThanOrEqual(live.createdAt.getTime());
        expect(c.listTablesHistory('DB', 'S', ctx(Date.now() + 2 * DAY_MS)).map((e) => e.id)).toEqual([other.id, live.id]);
      });

      it('inherits retention from schema and database, and falls back to the default', () => {
        const t = makeTable();
        expect(c.retentionDaysOf(t.id, 1)).toBe(1);
        expect(c.retentionDaysOf(t.id, 7)).toBe(7);
        c.setRetention({ kind: 'database', database: 'DB' }, 10);
        expect(c.retentionDaysOf(t.id, 1)).toBe(10);
        c.setRetention({ kind: 'schema', database: 'DB', schema: 'S' }, 0);
        expect(c.retentionDaysOf(t.id, 1)).toBe(0);
        c.setRetention({ kind: 'table', tableId: t.id }, 3);
        expect(c.retentionDaysOf(t.id, 1)).toBe(3);
        c.setRetention({ kind: 'table', tableId: t.id }, null);
        c.setRetention({ kind: 'schema', database: 'DB', schema: 'S' }, null);
        expect(c.retentionDaysOf(t.id, 1)).toBe(10);
        expect(open().retentionDaysOf(t.id, 1)).toBe(10);
        expectError(() => c.setRetention({ kind: 'table', tableId: t.id }, -1), 'NUMERIC_OUT_OF_RANGE');
        expectError(() => c.setRetention({ kind: 'table', tableId: t.id }, 1.5), 'NUMERIC_OUT_OF_RANGE');
        expectError(() => c.setRetention({ kind: 'schema', database: 'DB', schema: 'NOPE' }, 1), 'OBJECT_NOT_FOUND');
        expectError(() => c.retentionDaysOf(t.id + 1000, 1), 'OBJECT_NOT_FOUND');
        c.dropTable('DB', 'S', 'T');
        expectError(() => c.setRetention({ kind: 'table', tableId: t.id }, 1), 'OBJECT_NOT_FOUND');
        expect(c.retentionDaysOf(t.id, 1)).toBe(10);
      });

      it('caps a transient table at 1 day of retention, and so its clones, its GC and its UNDROP', () => {
        c.createDatabase('DB', { ifNotExists: true });
        c.createSchema('DB', 'S', { ifNotExists: true });
        const t = c.createTable('DB', 'S', 'T', COLUMNS, { queryId: 'q-t', transient: true });
        const p = makeTable(c, 'P');
        expect([t.transient, p.transient]).toEqual([true, undefined]);
        expect([c.retentionDaysOf(t.id, 7), c.retentionDaysOf(p.id, 7), c.retentionDaysOf(t.id, 0)]).toEqual([1, 7, 0]);
        c.setRetention({ kind: 'database', database: 'DB' }, 10);
        expect([c.retentionDaysOf(t.id, 1), c.retentionDaysOf(p.id, 1)]).toEqual([1, 10]);
        expectError(() => c.setRetention({ kind: 'table', tableId: t.id }, 2), 'NUMERIC_OUT_OF_RANGE');
        c.setRetention({ kind: 'table', tableId: t.id }, 0);
        expect(c.retentionDaysOf(t.id, 1)).toBe(0);
        c.setRetention({ kind: 'table', tableId: t.id }, null);
        const clone = c.cloneTable({ tableId: t.id, version: 0 }, { database: 'DB', schema: 'S', name: 'C' }, { queryId: 'q-c' });
        const madeTransient = c.cloneTable({ tableId: p.id, version: 0 }, { database: 'DB', schema: 'S', name: 'D' }, { queryId: 'q-d', transient: true });
        expect([clone.transient, madeTransient.transient, open().getTable('DB', 'S', 'C')?.transient]).toEqual([true, true, true]);
        // Dropped two days ago by the clock GC and UNDROP read: past a transient table's retention, within a permanent one's.
        c.dropTable('DB', 'S', 'T');
        c.dropTable('DB', 'S', 'P');
        const later = { nowMs: Date.now() + 2 * DAY_MS, defaultRetentionDays: 1 };
        expect(c.listTablesHistory('DB', 'S', later).map((e) => [e.name, e.retentionDays])).toEqual([['C', 1], ['D', 1], ['P', 10]]);
        expectError(() => c.undropTable('DB', 'S', 'T', later), 'OBJECT_NOT_FOUND');
        expect(c.undropTable('DB', 'S', 'P', later).id).toBe(p.id);
      });

      it('gives schemas and databases their effective retention', () => {
        makeTable();
        expect(c.containerRetentionDays({ kind: 'database', database: 'DB' }, 4)).toBe(4);
        expect(c.containerRetentionDays({ kind: 'schema', database: 'DB', schema: 'S' }, 4)).toBe(4);
        c.setRetention({ kind: 'database', database: 'DB' }, 10);
        expect(c.containerRetentionDays({ kind: 'database', database: 'DB' }, 4)).toBe(10);
        expect(c.containerRetentionDays({ kind: 'schema', database: 'DB', schema: 'S' }, 4)).toBe(10);
        c.setRetention({ kind: 'schema', database: 'DB', schema: 'S' }, 0);
        expect(c.containerRetentionDays({ kind: 'schema', database: 'DB', schema: 'S' }, 4)).toBe(0);
        expect(c.containerRetentionDays({ kind: 'database', database: 'DB' }, 4)).toBe(10);
        expectError(() => c.containerRetentionDays({ kind: 'schema', database: 'DB', schema: 'NOPE' }, 1), 'OBJECT_NOT_FOUND');
        expectError(() => c.containerRetentionDays({ kind: 'database', database: 'NOPE' }, 1), 'OBJECT_NOT_FOUND');
      });

      it('sums the live partitions of each live table of a schema at its current version', () => {
        const t = makeTable();
        const empty = makeTable(c, 'A');
        const gone = makeTable(c, 'Z');
        c.dropTable('DB', 'S', 'Z');
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('K1', 10), part('K2', 20)], removedIds: [] });
        const [first] = c.livePartitions(t.id);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'DELETE', added: [part('K3', 5)], removedIds: [first.id] });
        const live = c.livePartitions(t.id);
        const lastCommit = c.tableVersions(t.id).at(-1)!.committedAt;
        expect(c.tableSizes('DB', 'S')).toEqual([
          { tableId: empty.id, rowCount: 0, bytes: 0, lastAltered: c.tableVersions(empty.id).at(-1)!.committedAt },
          { tableId: t.id, rowCount: 25, bytes: live.reduce((n, p) => n + p.byteSize, 0), lastAltered: lastCommit },
        ]);
        expect(gone.id).not.toBe(t.id);
        expectError(() => c.tableSizes('DB', 'NOPE'), 'OBJECT_NOT_FOUND');
      });

      it('logs every version with the rows and partitions it added and removed', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('A', 10), part('B', 20)], removedIds: [] });
        const [a] = c.livePartitions(t.id);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', queryIds: ['q2b'], operation: 'UPDATE', added: [part('C', 7)], removedIds: [a.id] });
        const log = c.versionLog(t.id);
        expect(log.map(({ committedAt, ...rest }) => rest)).toEqual([
          { version: 0, queryId: 'q-create-T', operation: 'CREATE TABLE', queryIds: ['q-create-T'], rowsAdded: 0, rowsRemoved: 0, partitionsAdded: 0, partitionsRemoved: 0 },
          { version: 1, queryId: 'q1', operation: 'INSERT', queryIds: ['q1'], rowsAdded: 30, rowsRemoved: 0, partitionsAdded: 2, partitionsRemoved: 0 },
          { version: 2, queryId: 'q2', operation: 'UPDATE', queryIds: ['q2', 'q2b'], rowsAdded: 7, rowsRemoved: 10, partitionsAdded: 1, partitionsRemoved: 1 },
        ]);
        expect(log.map((v) => v.committedAt)).toEqual(c.tableVersions(t.id).map((v) => v.committedAt));
        expectError(() => c.versionLog(t.id + 1000), 'OBJECT_NOT_FOUND');
      });
    });

    describe('ALTER TABLE', () => {
      const num = { kind: 'NUMBER', precision: 38, scale: 0 } as const;
      const alter = (t: TableInfo, change: Parameters<Catalog['alterTable']>[1], q = 'q-alter') => c.alterTable(t.id, change, q);

      it('versions the schema: tableAt shows each version its own columns across add, rename and drop', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('p1')], removedIds: [] });
        const base = infos(COLUMNS);
        const added = alter(t, { kind: 'add_column', column: { name: 'EXTRA', type: num, nullable: true, default: '5' } }, 'q-add');
        const extra = { id: 9, name: 'EXTRA', physicalName: 'EXTRA', type: num, nullable: true, default: '5', addedByAlter: true };
        expect(added.columns).toEqual([...base, extra]);
        expect(added.currentVersion).toBe(2);
        const renamed = alter(t, { kind: 'rename_column', from: 'NAME', to: 'TITLE' }, 'q-rename');
        const title = { ...base[2], name: 'TITLE' };
        expect(renamed.columns).toEqual([base[0], base[1], title, ...base.slice(3), extra]);
        const dropped = alter(t, { kind: 'drop_column', name: 'NOTE' }, 'q-drop');
        const now = [base[0], base[1], title, ...base.slice(4), extra];
        expect(dropped.columns).toEqual(now);
        expect(c.getTable('DB', 'S', 'T')).toEqual({ ...t, columns: now, currentVersion: 4 });
        expect(c.listTables('DB', 'S')).toEqual([{ ...t, columns: now, currentVersion: 4 }]);
        expect(c.tableAt(t.id, 0).columns).toEqual(base);
        expect(c.tableAt(t.id, 1).columns).toEqual(base);
        expect(c.tableAt(t.id, 2).columns).toEqual([...base, extra]);
        expect(c.tableAt(t.id, 3).columns).toEqual([base[0], base[1], title, ...base.slice(3), extra]);
        expect(c.tableAt(t.id, 4).columns).toEqual(now);
        expect(c.versionLog(t.id).map((v) => [v.version, v.queryId, v.operation, v.partitionsAdded])).toEqual([
          [0, 'q-create-T', 'CREATE TABLE', 0],
          [1, 'q1', 'INSERT', 1],
          [2, 'q-add', 'ALTER TABLE ADD COLUMN', 0],
          [3, 'q-rename', 'ALTER TABLE RENAME COLUMN', 0],
          [4, 'q-drop', 'ALTER TABLE DROP COLUMN', 0],
        ]);
        // The partitions are untouched by schema changes.
        expect(keys(c.livePartitions(t.id))).toEqual(['p1']);
        expect(c.resolveVersion(t.id, { at: 'BEFORE', kind: 'statement', queryId: 'q-rename' }, Date.now(), DAY_MS)).toBe(2);
      });

      it('never reuses a physical name: a re-added column gets name#id', () => {
        const t = makeTable();
        alter(t, { kind: 'drop_column', name: 'NOTE' });
        const readded = alter(t, { kind: 'add_column', column: { name: 'NOTE', type: { kind: 'VARCHAR' }, nullable: true } });
        expect(readded.columns.at(-1)).toEqual({ id: 9, name: 'NOTE', physicalName: 'NOTE#9', type: { kind: 'VARCHAR' }, nullable: true, default: null, addedByAlter: true });
        // A rename frees the SQL name but not the physical one.
        alter(t, { kind: 'rename_column', from: 'RATIO', to: 'R2' });
        const ratio = alter(t, { kind: 'add_column', column: { name: 'RATIO', type: { kind: 'FLOAT' }, nullable: true } });
        expect(ratio.columns.find((col) => col.name === 'R2')).toMatchObject({ id: 5, physicalName: 'RATIO' });
        expect(ratio.columns.at(-1)).toMatchObject({ id: 10, name: 'RATIO', physicalName: 'RATIO#10' });
        // A clone keeps the history of physical names its shared partitions may hold.
        const u = c.cloneTable({ tableId: t.id, version: ratio.currentVersion }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-clone' });
        expect(u.columns).toEqual(ratio.columns);
        // A clone of the clone still knows which columns ALTER added (shared partitions may lack them).
        const u3 = c.cloneTable({ tableId: u.id, version: u.currentVersion }, { database: 'DB', schema: 'S', name: 'U3' }, { queryId: 'q-clone3' });
        expect(u3.columns.filter((col) => col.addedByAlter).map((col) => col.physicalName)).toEqual(['NOTE#9', 'RATIO#10']);
        c.alterTable(u.id, { kind: 'drop_column', name: 'R2' }, 'q-u1');
        const again = c.alterTable(u.id, { kind: 'add_column', column: { name: 'RATIO2', type: { kind: 'FLOAT' }, nullable: true } }, 'q-u2');
        expect(again.columns.at(-1)).toMatchObject({ id: 11, physicalName: 'RATIO2' });
        const clash = c.alterTable(u.id, { kind: 'add_column', column: { name: 'NOTE#9', type: { kind: 'FLOAT' }, nullable: true } }, 'q-u3');
        expect(clash.columns.at(-1)).toMatchObject({ id: 12, name: 'NOTE#9', physicalName: 'NOTE#9#12' });
        // Cloned as of version 1 (NOTE dropped, not re-added yet): NOTE is still a used physical name there.
        const u2 = c.cloneTable({ tableId: t.id, version: 1 }, { database: 'DB', schema: 'S', name: 'U2' }, { queryId: 'q-clone2' });
        expect(u2.columns).toEqual(infos(COLUMNS).filter((col) => col.name !== 'NOTE'));
        const back = c.alterTable(u2.id, { kind: 'add_column', column: { name: 'NOTE', type: { kind: 'FLOAT' }, nullable: true } }, 'q-u4');
        expect(back.columns.at(-1)).toMatchObject({ id: 9, name: 'NOTE', physicalName: 'NOTE#9' });
      });

      it('re-keys zone maps from physical to SQL names as of each version, with exact zones for added columns', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('old', 10, 0)], removedIds: [] });
        const written = zoneMap(10, 0, 9);
        alter(t, { kind: 'rename_column', from: 'NAME', to: 'TITLE' });
        alter(t, { kind: 'drop_column', name: 'NOTE' });
        alter(t, { kind: 'add_column', column: { name: 'NOTE', type: num, nullable: true, default: '7' } });
        alter(t, { kind: 'add_column', column: { name: 'EMPTY', type: num, nullable: true } });
        // A partition written with the new schema holds the new columns under their physical names.
        const fresh = zoneMap(5, 100, 104);
        fresh.columns['NOTE#9'] = { min: '1', max: '2', nullCount: 0, exact: true };
        fresh.columns.EMPTY = { min: '3', max: '3', nullCount: 1, exact: true };
        c.commitTable(t.id, { baseVersion: 5, queryId: 'q2', operation: 'INSERT', added: [{ objectKey: 'new', rowCount: 5, byteSize: 50, zoneMap: fresh }], removedIds: [] });
        const [oldP, newP] = c.livePartitions(t.id);
        expect(oldP.zoneMap).toEqual({
          rowCount: 10,
          byteSize: 100,
          columns: {
            ID: written.columns.ID,
            TITLE: written.columns.NAME,
            RATIO: written.columns.RATIO,
            FLAG: written.columns.FLAG,
            NOTE: { min: '7', max: '7', nullCount: 0, exact: true },
            EMPTY: { min: null, max: null, nullCount: 10, exact: true },
          },
        });
        expect(newP.zoneMap.columns).toEqual({
          ID: fresh.columns.ID,
          TITLE: fresh.columns.NAME,
          RATIO: fresh.columns.RATIO,
          FLAG: fresh.columns.FLAG,
          NOTE: fresh.columns['NOTE#9'],
          EMPTY: fresh.columns.EMPTY,
        });
        // As of version 1 the partition reads exactly as written; as of 2 only NAME is renamed.
        expect(c.livePartitions(t.id, 1)[0].zoneMap).toEqual(written);
        const v2 = c.livePartitions(t.id, 2)[0].zoneMap.columns;
        expect(Object.keys(v2).sort()).toEqual(['FLAG', 'ID', 'NOTE', 'RATIO', 'TITLE']);
        expect(v2.NOTE).toEqual(written.columns.NOTE);
      });

      it('refuses impossible column changes, changing nothing', () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('p')], removedIds: [] });
        alter(t, { kind: 'cluster_by', keys: ['DAY'] });
        expectError(() => alter(t, { kind: 'add_column', column: { name: 'ID', type: num, nullable: true } }), 'INVALID_IDENTIFIER', "duplicate column name 'ID'");
        expectError(
          () => alter(t, { kind: 'add_column', column: { name: 'REQ', type: num, nullable: false } }),
          'NULL_NOT_ALLOWED',
          "Non-nullable column 'REQ' cannot be added to non-empty table 'T' unless it has a non-null default value.",
        );
        expectError(() => alter(t, { kind: 'drop_column', name: 'NOPE' }), 'INVALID_IDENTIFIER', "invalid identifier 'NOPE'");
        expectError(() => alter(t, { kind: 'drop_column', name: 'DAY' }), 'NOT_SUPPORTED', /clustering key/);
        expectError(() => alter(t, { kind: 'rename_column', from: 'NOPE', to: 'X' }), 'INVALID_IDENTIFIER');
        expectError(() => alter(t, { kind: 'rename_column', from: 'ID', to: 'PRICE' }), 'INVALID_IDENTIFIER', "duplicate column name 'PRICE'");
        expectError(() => alter(t, { kind: 'cluster_by', keys: ['NOPE'] }), 'INVALID_IDENTIFIER');
        expect(c.getTable('DB', 'S', 'T')).toEqual({ ...t, clusterBy: ['DAY'], currentVersion: 1 });
        const single = c.createTable('DB', 'S', 'ONE', [COLUMNS[0]], { queryId: 'q-one' });
        expectError(() => c.alterTable(single.id, { kind: 'drop_column', name: 'ID' }, 'q'), 'NOT_SUPPORTED', /only column/);
        // NOT NULL without a default is fine while the table holds no rows.
        expect(c.alterTable(single.id, { kind: 'add_column', column: { name: 'REQ', type: num, nullable: false } }, 'q').columns).toHaveLength(2);
        c.dropTable('DB', 'S', 'ONE');
        expectError(() => c.alterTable(single.id, { kind: 'drop_column', name: 'REQ' }, 'q'), 'OBJECT_NOT_FOUND');
      });

      it('changes CLUSTER BY without a version, and renames a clustering key along with its column', () => {
        const t = makeTable();
        expect(alter(t, { kind: 'cluster_by', keys: ['DAY', 'ID'] })).toEqual({ ...t, clusterBy: ['DAY', 'ID'] });
        const r = alter(t, { kind: 'rename_column', from: 'DAY', to: 'D' });
        expect(r.clusterBy).toEqual(['D', 'ID']);
        expect(c.tableVersions(t.id)).toHaveLength(2);
      });

      it('renames a table, into another schema too, and refuses a taken name', () => {
        const t = makeTable();
        const u = makeTable(c, 'U');
        expectError(() => c.renameTable(t.id, { database: 'DB', schema: 'S', name: 'U' }), 'OBJECT_EXISTS', "Object 'U' already exists.");
        const r = c.renameTable(t.id, { database: 'DB', schema: 'S', name: 'T2' });
        expect(r).toEqual({ ...t, name: 'T2' });
        expect(c.getTable('DB', 'S', 'T')).toBeNull();
        const other = c.createSchema('DB', 'OTHER');
        const moved = c.renameTable(t.id, { database: 'DB', schema: 'OTHER', name: 'T' });
        expect(moved).toEqual({ ...t, schemaId: other.id, schema: 'OTHER' });
        expect(c.listTables('DB', 'S').map((x) => x.id)).toEqual([u.id]);
        expect(c.tableVersions(t.id)).toHaveLength(1);
      });

      it('swaps two tables in one transaction', () => {
        const t = makeTable();
        const u = c.createTable('DB', 'S', 'U', [COLUMNS[0]], { queryId: 'q-u' });
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('t')], removedIds: [] });
        c.swapTables(t.id, u.id);
        expect(c.getTable('DB', 'S', 'T')!.id).toBe(u.id);
        expect(c.getTable('DB', 'S', 'U')!.id).toBe(t.id);
        expect(keys(c.livePartitions(c.getTable('DB', 'S', 'U')!.id))).toEqual(['t']);
        expect(c.listTables('DB', 'S').map((x) => [x.name, x.id])).toEqual([['T', u.id], ['U', t.id]]);
        c.dropTable('DB', 'S', 'T');
        expectError(() => c.swapTables(t.id, u.id), 'OBJECT_NOT_FOUND');
      });
    });

    describe('garbage collection', () => {
      const none = new Map<number, number>();
      /** DB.S.T: version 1 adds A, B; version 2 removes A and adds C. */
      const history = () => {
        const t = makeTable();
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('A', 10), part('B', 20)], removedIds: [] });
        const [a] = c.livePartitions(t.id);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'UPDATE', added: [part('C', 30)], removedIds: [a.id] });
        return { t, at: c.tableVersions(t.id).map((v) => v.committedAt.getTime()) };
      };
      const deletable = (nowMs: number, protect = none, days = 1) => c.gcMark(nowMs, protect, days).deletable.map((d) => d.objectKey);

      it('keeps a removed partition within retention and offers its object after, raising the history floor', () => {
        const { t, at } = history();
        expect(deletable(at[2] + 1000)).toEqual([]);
        expect(deletable(at[2] + DAY_MS - 1)).toEqual([]);
        const later = at[2] + DAY_MS + 1;
        expect(c.gcMark(later, none, 1).deletable).toEqual([{ objectKey: 'A', byteSize: 100 }]);
        // The floor is stored: time travel below it fails even with a longer retention asked later.
        expectError(() => c.resolveVersion(t.id, { at: 'AT', kind: 'statement', queryId: 'q1' }, later, 30 * DAY_MS), 'TIME_TRAVEL_NOT_AVAILABLE');
        expect(c.resolveVersion(t.id, { at: 'AT', kind: 'statement', queryId: 'q2' }, later, 30 * DAY_MS)).toBe(2);
        // Retention 0 on the table: right away.
        const u = makeTable(c, 'U');
        c.commitTable(u.id, { baseVersion: 0, queryId: 'qu1', operation: 'INSERT', added: [part('U1')], removedIds: [] });
        const [u1] = c.livePartitions(u.id);
        c.commitTable(u.id, { baseVersion: 1, queryId: 'qu2', operation: 'DELETE', added: [], removedIds: [u1.id] });
        c.setRetention({ kind: 'table', tableId: u.id }, 0);
        // T's floor stays where the last mark raised it, so A is still offered too. A table's
        // commit times strictly increase (one ms past the last at least), so U's removal may be
        // stamped a ms or two after Date.now(): the mark looks one second on, not one ms.
        expect(deletable(Date.now() + 1000)).toEqual(['A', 'U1']);
      });

      it('purges the unreachable rows and the versions nothing refers to, keeping every readable state', () => {
        const { t, at } = history();
        const later = at[2] + DAY_MS + 1;
        expect(deletable(later)).toEqual(['A']);
        const live = c.livePartitions(t.id);
        const purged = c.gcPurge(['A'], later, 1);
        // Partition A, version 0 (CREATE) and its statement id; version 1 stays (B was added by it).
        expect(purged).toBe(3);
        expect(c.livePartitions(t.id)).toEqual(live);
        expect(c.tableVersions(t.id).map((v) => v.version)).toEqual([1, 2]);
        expect(store.partitionKeyCounts()).toEqual({ rows: 2, distinctKeys: 2 });
        expect(deletable(later)).toEqual([]);
        expect(c.gcPurge([], later, 1)).toBe(0);
      });

      it('never offers a key a clone still references, until every table holding it is past retention', () => {
        const { t, at } = history();
        const u = c.cloneTable({ tableId: t.id, version: 1 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-clone' });
        c.dropTable('DB', 'S', 'T');
        const dropped = Date.now();
        expect(deletable(dropped + DAY_MS / 2)).toEqual([]);
        // T is past retention, but its clone U still holds A and B at its current version.
        expect(deletable(dropped + 2 * DAY_MS)).toEqual(['C']);
        c.dropTable('DB', 'S', 'U');
        expect(deletable(Date.now() + 2 * DAY_MS)).toEqual(['A', 'B', 'C']);
        expect(at).toHaveLength(3);
        expect(u.currentVersion).toBe(1);
      });

      it('never offers a pending key', () => {
        const { at } = history();
        c.registerPendingObjects('q-running', ['A']);
        expect(deletable(at[2] + 2 * DAY_MS)).toEqual([]);
        expectError(() => c.gcPurge(['A'], at[2] + 2 * DAY_MS, 1), 'INTERNAL');
        c.clearPendingObjects('q-running');
        expect(deletable(at[2] + 2 * DAY_MS)).toEqual(['A']);
      });

      it('keeps what running statements read: the floor drops to their oldest snapshot', () => {
        const { t, at } = history();
        const later = at[2] + 2 * DAY_MS;
        expect(deletable(later, new Map([[t.id, at[1]]]))).toEqual([]);
        expect(c.resolveVersion(t.id, { at: 'AT', kind: 'statement', queryId: 'q1' }, at[1] + 1, DAY_MS)).toBe(1);
        expect(deletable(later, new Map([[t.id + 1000, at[1]]]))).toEqual(['A']);
      });

      it('refuses to purge a key that is still reachable, purging nothing', () => {
        const { t, at } = history();
        const before = c.tableVersions(t.id);
        expectError(() => c.gcPurge(['B'], at[2] + 2 * DAY_MS, 1), 'INTERNAL', /B/);
        expect(c.tableVersions(t.id)).toEqual(before);
        expect(store.partitionKeyCounts()).toEqual({ rows: 3, distinctKeys: 3 });
      });

      it('purges every row of a table dropped past retention, and only then', () => {
        const { t } = history();
        const a = sourceFile('file:///src/a.csv');
        c.commitTable(t.id, { baseVersion: 2, queryId: 'q3', operation: 'COPY', added: [part('D')], removedIds: [], loads: { files: [loaded(a)], force: false } });
        const keep = makeTable(c, 'KEEP');
        c.commitTable(keep.id, { baseVersion: 0, queryId: 'qk', operation: 'INSERT', added: [part('K')], removedIds: [] });
        c.dropTable('DB', 'S', 'T');
        const soon = Date.now() + 1000;
        expect(deletable(soon)).toEqual([]);
        expect(c.gcPurge([], soon, 1)).toBe(0);
        expect(c.getTableById(t.id)).not.toBeNull();
        const later = Date.now() + 2 * DAY_MS;
        expect(deletable(later)).toEqual(['A', 'B', 'C', 'D']);
        // T: 4 partitions, 1 load, 4 statement ids, 4 versions, 8 columns, the table; KEEP: its
        // version 0 and its statement id, below KEEP's floor and referenced by nothing.
        expect(c.gcPurge(['A', 'B', 'C', 'D'], later, 1)).toBe(4 + 1 + 4 + 4 + 8 + 1 + 2);
        expect(c.tableVersions(keep.id).map((v) => v.version)).toEqual([1]);
        expect(c.getTableById(t.id)).toBeNull();
        expectError(() => c.livePartitions(t.id), 'OBJECT_NOT_FOUND');
        expectError(() => c.undropTable('DB', 'S', 'T', { nowMs: later, defaultRetentionDays: 30 }), 'OBJECT_NOT_FOUND');
        expect(keys(c.livePartitions(keep.id))).toEqual(['K']);
        expect(store.partitionKeyCounts()).toEqual({ rows: 1, distinctKeys: 1 });
        // A new table never gets the purged id.
        expect(makeTable(c, 'NEW').id).toBeGreaterThan(keep.id);
      });

      it('reports active, time-travel and retained-for-clone bytes per owning table', () => {
        const { t } = history();
        const u = c.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'qc' });
        c.commitTable(u.id, { baseVersion: 1, queryId: 'qu', operation: 'INSERT', added: [part('D', 40)], removedIds: [] });
        const v = c.cloneTable({ tableId: u.id, version: 1 }, { database: 'DB', schema: 'S', name: 'V' }, { queryId: 'qv' });
        const metrics = (nowMs: number) =>
          c.storageMetrics('DB', { nowMs, defaultRetentionDays: 1 }).map((m) => [m.name, m.cloneGroupId, m.activeBytes, m.timeTravelBytes, m.retainedForCloneBytes, m.droppedAt !== null]);
        const now = Date.now() + 1000;
        // A (100 bytes) was removed from T; B (200) and C (300) are live in T and shared by U; U owns D (400).
        expect(metrics(now)).toEqual([
          ['T', t.id, 500, 100, 0, false],
          ['U', t.id, 400, 0, 0, false],
          ['V', t.id, 0, 0, 0, false],
        ]);
        expect(metrics(now + 2 * DAY_MS)).toEqual([
          ['T', t.id, 500, 0, 0, false],
          ['U', t.id, 400, 0, 0, false],
          ['V', t.id, 0, 0, 0, false],
        ]);
        c.dropTable('DB', 'S', 'T');
        expect(metrics(now)[0]).toEqual(['T', t.id, 0, 600, 0, true]);
        // Past T's retention only the clones keep B and C.
        expect(metrics(now + 2 * DAY_MS)[0]).toEqual(['T', t.id, 0, 0, 500, true]);
        const [first] = c.storageMetrics('DB', { nowMs: now, defaultRetentionDays: 1 });
        expect(first).toMatchObject({ tableId: t.id, database: 'DB', schema: 'S', createdAt: t.createdAt });
        expect(v.id).toBeGreaterThan(u.id);
        expectError(() => c.storageMetrics('NOPE', { nowMs: now, defaultRetentionDays: 1 }), 'OBJECT_NOT_FOUND');
      });

      it('knows the keys of partition rows and pending statements', () => {
        history();
        c.registerPendingObjects('q', ['P']);
        expect(['A', 'C', 'P', 'X'].map((k) => c.isKnownObject(k))).toEqual([true, true, true, false]);
      });

      it('drops expired clones with retention 0, so only their own objects become deletable', () => {
        const { t } = history();
        const now = Date.now();
        const u = c.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'qc', expiresAt: new Date(now + 60_000) });
        const w = c.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'W' }, { queryId: 'qw' });
        c.commitTable(u.id, { baseVersion: 1, queryId: 'qu', operation: 'INSERT', added: [part('U-own')], removedIds: [] });
        expect(c.dropExpiredClones(now + 59_000)).toEqual([]);
        expect(c.dropExpiredClones(now + 60_000)).toEqual([u.id]);
        expect(c.getTable('DB', 'S', 'U')).toBeNull();
        expect(c.getTable('DB', 'S', 'W')!.id).toBe(w.id);
        expect(c.retentionDaysOf(u.id, 1)).toBe(0);
        expect(deletable(now + 60_001)).toEqual(['U-own']);
        expect(c.dropExpiredClones(now + 120_000)).toEqual([]);
      });
    });

    describe('pending objects', () => {
      it('registers, keeps apart per query, and clears pending objects', () => {
        c.registerPendingObjects('q1', ['a/1', 'a/2']);
        c.registerPendingObjects('q2', ['b/1']);
        c.registerPendingObjects('q1', ['a/2']);
        c.registerPendingObjects('q3', []);
        const sorted = () =>
          store.pendingObjects().sort((x, y) => (x.queryId + x.objectKey).localeCompare(y.queryId + y.objectKey));
        expect(sorted()).toEqual([
          { queryId: 'q1', objectKey: 'a/1' },
          { queryId: 'q1', objectKey: 'a/2' },
          { queryId: 'q2', objectKey: 'b/1' },
        ]);
        c.clearPendingObjects('q1');
        expect(sorted()).toEqual([{ queryId: 'q2', objectKey: 'b/1' }]);
        c.clearPendingObjects('never-registered');
        expect(sorted()).toEqual([{ queryId: 'q2', objectKey: 'b/1' }]);
      });

      it('clears exactly the committing query’s pending objects on commit', () => {
        const t = makeTable();
        c.registerPendingObjects('q-insert', ['p/1', 'p/2']);
        c.registerPendingObjects('q-other', ['o/1']);
        c.commitTable(t.id, {
          baseVersion: 0,
          queryId: 'q-insert',
          operation: 'INSERT',
          added: [part('p/1'), part('p/2')],
          removedIds: [],
        });
        expect(store.pendingObjects()).toEqual([{ queryId: 'q-other', objectKey: 'o/1' }]);
      });

      it('lists pending objects through the interface, per query', () => {
        c.registerPendingObjects('q1', ['a/1', 'a/2']);
        c.registerPendingObjects('q2', ['b/1']);
        const listed = open().listPendingObjects();
        expect(listed.map((p) => [p.queryId, p.objectKey]).sort()).toEqual([
          ['q1', 'a/1'],
          ['q1', 'a/2'],
          ['q2', 'b/1'],
        ]);
        for (const p of listed) expect(p.createdAt).toBeInstanceOf(Date);
      });

      it('lets two queries protect the same object key', () => {
        c.registerPendingObjects('q1', ['same']);
        c.registerPendingObjects('q2', ['same']);
        c.clearPendingObjects('q1');
        expect(store.pendingObjects()).toEqual([{ queryId: 'q2', objectKey: 'same' }]);
      });
    });

    describe('load history', () => {
      it('records the loaded files of a commit in the same transaction, with every field', () => {
        const t = makeTable();
        const a = sourceFile('file:///src/a.csv', 10);
        const b = sourceFile('s3://bucket/b.csv', 20, '"etag-b"');
        expect(c.loadedFiles(t.id, [a, b])).toEqual([]);
        const before = Date.now();
        const v = c.commitTable(t.id, {
          baseVersion: 0,
          queryId: 'q-copy',
          operation: 'COPY',
          added: [part('p/1')],
          removedIds: [],
          loads: { files: [loaded(a), loaded(b, 'PARTIALLY_LOADED')], force: false },
        });
        expect(c.loadedFiles(t.id, [a, b])).toEqual([a, b]);
        const history = c.loadHistory('DB');
        expect(history.map((r) => r.loadedAt.getTime())).toEqual([v.committedAt.getTime(), v.committedAt.getTime()]);
        expect(v.committedAt.getTime()).toBeGreaterThanOrEqual(before);
        // Newest first; one commit's files in reverse order of recording.
        expect(history).toEqual([
          { ...loaded(b, 'PARTIALLY_LOADED'), tableId: t.id, database: 'DB', schema: 'S', table: 'T', tableVersion: 1, queryId: 'q-copy', loadedAt: v.committedAt },
          { ...loaded(a), tableId: t.id, database: 'DB', schema: 'S', table: 'T', tableVersion: 1, queryId: 'q-copy', loadedAt: v.committedAt },
        ]);
        expect(c.loadHistory('DB', { limit: 1 }).map((r) => r.fileName)).toEqual(['s3://bucket/b.csv']);
        expect(open().loadHistory('DB')).toEqual(history);
      });

      it('records nothing when the commit fails', () => {
        const t = makeTable();
        const a = sourceFile('file:///src/a.csv');
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('x')], removedIds: [] });
        const [x] = c.livePartitions(t.id);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'DELETE', added: [], removedIds: [x.id] });
        expectError(
          () => c.commitTable(t.id, { baseVersion: 1, queryId: 'q-stale', operation: 'COPY', added: [part('y')], removedIds: [x.id], loads: { files: [loaded(a)], force: false } }),
          'CONCURRENT_MODIFICATION',
        );
        store.failPartitionInsert('boom');
        expect(() =>
          c.commitTable(t.id, { baseVersion: 2, queryId: 'q-boom', operation: 'COPY', added: [part('boom')], removedIds: [], loads: { files: [loaded(a)], force: false } }),
        ).toThrow(FirnError);
        expect(c.loadedFiles(t.id, [a])).toEqual([]);
        expect(c.loadHistory('DB')).toEqual([]);
      });

      it('identifies a file version by name, size and ETag, or last-modified time without one', () => {
        const t = makeTable();
        const local = sourceFile('file:///src/a.csv', 10, null, 1_000);
        const remote = sourceFile('s3://b/k.csv', 10, '"e1"', 1_000);
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q', operation: 'COPY', added: [], removedIds: [], loads: { files: [loaded(local), loaded(remote)], force: false } });
        const variants = [
          sourceFile('file:///src/a.csv', 11, null, 1_000),
          sourceFile('file:///src/a.csv', 10, null, 1_001),
          sourceFile('file:///src/a.csv', 10, '"e1"', 1_000),
          sourceFile('file:///src/b.csv', 10, null, 1_000),
          sourceFile('s3://b/k.csv', 10, '"e2"', 1_000),
          sourceFile('s3://b/k.csv', 11, '"e1"', 1_000),
        ];
        expect(c.loadedFiles(t.id, variants)).toEqual([]);
        // Same ETag, re-uploaded later: the same content, still loaded.
        const reuploaded = sourceFile('s3://b/k.csv', 10, '"e1"', 9_000);
        expect(c.loadedFiles(t.id, [local, reuploaded])).toEqual([local, reuploaded]);
        const other = makeTable(c, 'U');
        expect(c.loadedFiles(other.id, [local, remote])).toEqual([]);
      });

      it('counts only LOADED and PARTIALLY_LOADED files as loaded', () => {
        const t = makeTable();
        const failed = sourceFile('file:///src/bad.csv');
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q', operation: 'COPY', added: [], removedIds: [], loads: { files: [loaded(failed, 'LOAD_FAILED')], force: false } });
        expect(c.loadedFiles(t.id, [failed])).toEqual([]);
        expect(c.loadHistory('DB').map((r) => [r.status, r.rowsLoaded, r.errorCount])).toEqual([['LOAD_FAILED', 0, 3]]);
      });

      it('refuses to record a file version loaded since, unless forced', () => {
        const t = makeTable();
        const a = sourceFile('file:///src/a.csv');
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'COPY', added: [part('p1')], removedIds: [], loads: { files: [loaded(a)], force: false } });
        expectError(
          () => c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'COPY', added: [part('p2')], removedIds: [], loads: { files: [loaded(a)], force: false } }),
          'CONCURRENT_MODIFICATION',
          /file:\/\/\/src\/a\.csv/,
        );
        expect(keys(c.livePartitions(t.id))).toEqual(['p1']);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q3', operation: 'COPY', added: [part('p3')], removedIds: [], loads: { files: [loaded(a)], force: true } });
        expect(c.loadHistory('DB').map((r) => [r.queryId, r.tableVersion])).toEqual([['q3', 2], ['q1', 1]]);
      });

      it('shows only live tables of the asked database, and the history of a replaced table is gone', () => {
        const t = makeTable();
        const u = makeTable(c, 'U');
        c.createDatabase('OTHER');
        c.createSchema('OTHER', 'S');
        const o = c.createTable('OTHER', 'S', 'T', COLUMNS, { queryId: 'q-o' });
        const commit = (id: number, name: string) =>
          c.commitTable(id, { baseVersion: 0, queryId: `q-${name}`, operation: 'COPY', added: [], removedIds: [], loads: { files: [loaded(sourceFile(name))], force: false } });
        commit(t.id, 'a');
        commit(u.id, 'b');
        commit(o.id, 'c');
        expect(c.loadHistory('DB').map((r) => `${r.schema}.${r.table}:${r.fileName}`)).toEqual(['S.U:b', 'S.T:a']);
        expect(c.loadHistory('OTHER').map((r) => r.fileName)).toEqual(['c']);
        c.dropTable('DB', 'S', 'U');
        const t2 = c.createTable('DB', 'S', 'T', COLUMNS, { orReplace: true, queryId: 'q-replace' });
        expect(c.loadHistory('DB')).toEqual([]);
        expect(c.loadedFiles(t2.id, [sourceFile('a')])).toEqual([]);
        expectError(() => c.loadHistory('NOPE'), 'OBJECT_NOT_FOUND');
      });
    });

    describe('warehouses', () => {
      it('creates started warehouses, gets and lists them in name order', () => {
        const before = Date.now();
        const x = c.createWarehouse('XWH', 'XSMALL');
        const a = c.createWarehouse('AWH', 'LARGE');
        expect(x).toMatchObject({ name: 'XWH', size: 'XSMALL', state: 'STARTED' });
        expect(x.createdAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(c.getWarehouse('XWH')).toEqual(x);
        expect(c.getWarehouse('NOPE')).toBeNull();
        expect(c.listWarehouses()).toEqual([a, x]);
      });

      it('refuses to create an existing warehouse unless IF NOT EXISTS or OR REPLACE', () => {
        const w = c.createWarehouse('WH', 'XSMALL');
        c.updateWarehouse('WH', { state: 'SUSPENDED' });
        expectError(() => c.createWarehouse('WH', 'SMALL'), 'OBJECT_EXISTS', "Object 'WH' already exists.");
        expect(c.createWarehouse('WH', 'SMALL', { ifNotExists: true })).toEqual({ ...w, state: 'SUSPENDED', updatedAt: c.getWarehouse('WH')!.updatedAt });
        const replaced = c.createWarehouse('WH', 'MEDIUM', { orReplace: true });
        expect(replaced).toMatchObject({ name: 'WH', size: 'MEDIUM', state: 'STARTED' });
        expect(replaced.id).toBeGreaterThan(w.id);
        expect(c.listWarehouses()).toEqual([replaced]);
        expectError(() => c.createWarehouse('WH', 'SMALL', { orReplace: true, ifNotExists: true }), 'SYNTAX');
      });

      it('resizes, suspends and resumes a warehouse', () => {
        const w = c.createWarehouse('WH', 'XSMALL');
        const { updatedAt: _u, ...stable } = w;
        expect(w.updatedAt).toEqual(w.createdAt);
        expect(c.updateWarehouse('WH', { size: 'LARGE' })).toMatchObject({ ...stable, size: 'LARGE' });
        expect(c.updateWarehouse('WH', { state: 'SUSPENDED' })).toMatchObject({ ...stable, size: 'LARGE', state: 'SUSPENDED' });
        expect(c.getWarehouse('WH')).toMatchObject({ ...stable, size: 'LARGE', state: 'SUSPENDED' });
        expect(c.updateWarehouse('WH', { state: 'STARTED', size: 'SMALL' })).toMatchObject({ ...stable, size: 'SMALL' });
        const last = c.updateWarehouse('WH', {});
        expect(last).toMatchObject({ ...stable, size: 'SMALL' });
        expect(last.updatedAt.getTime()).toBeGreaterThanOrEqual(w.createdAt.getTime());
        expect(c.getWarehouse('WH')).toEqual(last);
        expectError(
          () => c.updateWarehouse('NOPE', { size: 'SMALL' }),
          'OBJECT_NOT_FOUND',
          "Warehouse 'NOPE' does not exist or not authorized.",
        );
      });

      it('stores properties, the initial state and renames, keeping the id', () => {
        const w = c.createWarehouse('WH', 'SMALL', { state: 'SUSPENDED', properties: '{"autoSuspend":60}' });
        expect(w).toMatchObject({ name: 'WH', size: 'SMALL', state: 'SUSPENDED', properties: '{"autoSuspend":60}' });
        c.createWarehouse('OTHER', 'XSMALL');
        expectError(() => c.updateWarehouse('WH', { name: 'OTHER' }), 'OBJECT_EXISTS', "Object 'OTHER' already exists.");
        const renamed = c.updateWarehouse('WH', { name: 'NEW_WH', properties: '{"autoSuspend":null}' });
        expect(renamed).toMatchObject({ id: w.id, name: 'NEW_WH', size: 'SMALL', state: 'SUSPENDED', properties: '{"autoSuspend":null}' });
        expect(c.getWarehouse('WH')).toBeNull();
        expect(c.getWarehouse('NEW_WH')).toEqual(renamed);
      });

      it('gives every warehouse its own id, never reused after a drop', () => {
        const a = c.createWarehouse('A', 'XSMALL');
        const b = c.createWarehouse('B', 'XSMALL');
        expect(Number.isInteger(a.id) && a.id > 0).toBe(true);
        expect(b.id).toBeGreaterThan(a.id);
        c.dropWarehouse('B');
        c.dropWarehouse('A');
        const again = c.createWarehouse('A', 'XSMALL');
        expect(again.id).toBeGreaterThan(b.id);
        expect(c.getWarehouse('A')).toEqual(again);
      });

      it('drops a warehouse', () => {
        c.createWarehouse('WH', 'XSMALL');
        c.dropWarehouse('WH');
        expect(c.getWarehouse('WH')).toBeNull();
        expect(c.listWarehouses()).toEqual([]);
        expectError(() => c.dropWarehouse('WH'), 'OBJECT_NOT_FOUND', "Warehouse 'WH' does not exist or not authorized.");
        expect(() => c.dropWarehouse('WH', { ifExists: true })).not.toThrow();
        expect(c.createWarehouse('WH', 'SMALL').size).toBe('SMALL');
      });
    });

    describe('persistence', () => {
      it('gives the same answers after closing and reopening the store', () => {
        const t = makeTable();
        c.createSchema('DB', 'EMPTY');
        c.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('a'), part('b')], removedIds: [] });
        const [a] = c.livePartitions(t.id);
        c.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'DELETE', added: [part('c')], removedIds: [a.id] });
        c.createTable('DB', 'S', 'DROPPED', COLUMNS, { queryId: 'q3' });
        c.dropTable('DB', 'S', 'DROPPED');
        c.createWarehouse('WH', 'MEDIUM');
        c.updateWarehouse('WH', { state: 'SUSPENDED' });
        c.registerPendingObjects('q-inflight', ['x/1']);

        const snapshot = (k: Catalog) => ({
          databases: k.listDatabases(),
          schemas: k.listSchemas('DB'),
          tables: k.listTables('DB', 'S'),
          table: k.getTable('DB', 'S', 'T'),
          versions: k.tableVersions(t.id),
          at1: k.livePartitions(t.id, 1),
          now: k.livePartitions(t.id),
          warehouses: k.listWarehouses(),
          pending: store.pendingObjects(),
        });
        const before = snapshot(c);
        close(c);
        const reopened = open();
        expect(snapshot(reopened)).toEqual(before);
        close(reopened);
        const third = open();
        expect(snapshot(third)).toEqual(before);
        third.commitTable(t.id, { baseVersion: 2, queryId: 'q4', operation: 'INSERT', added: [part('d')], removedIds: [] });
        expect(keys(third.livePartitions(t.id))).toEqual(['b', 'c', 'd']);
      });
    });
  });
}
