import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { NewPartition } from '../../catalog/catalog.js';
import { SqliteCatalog } from '../../catalog/sqlite-catalog.js';
import type { LogicalPlan } from '../logical-plan.js';
import { bindSystemView } from './system-view.js';

const part = (objectKey: string, rowCount: number, byteSize: number): NewPartition => ({ objectKey, rowCount, byteSize, zoneMap: { rowCount, byteSize, columns: {} } });

/**
 * The literal cells of a view's VALUES plan, by column name (TIMESTAMP_NTZ cells are epoch ns),
 * of the rows whose `schemaColumn` is `schema` when given.
 */
function rowsOf(plan: LogicalPlan, names: string[], where?: { schemaColumn: string; schema: string }): unknown[][] {
  if (plan.kind !== 'values') throw new Error(`expected a VALUES plan, got ${plan.kind}`);
  const index = (n: string) => plan.columns.findIndex((c) => c.name === n);
  const cell = (r: (typeof plan.rows)[number], i: number) => {
    const e = r[i];
    if (e.kind !== 'literal') throw new Error(`cell ${plan.columns[i].name} is a ${e.kind}`);
    return e.value;
  };
  const rows = where ? plan.rows.filter((r) => cell(r, index(where.schemaColumn)) === where.schema) : plan.rows;
  return rows.map((r) => names.map((n) => cell(r, index(n))));
}

const ns = (d: Date) => BigInt(d.getTime()) * 1_000_000n;

describe('INFORMATION_SCHEMA.DATABASES, SCHEMATA, TABLES and COLUMNS', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-infoschema-'));
    catalog = new SqliteCatalog(path.join(dir, 'catalog.db'));
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bind = (database: string | null, parts: string[]) => {
    const bound = bindSystemView({ catalog, session: { database, schema: null, warehouse: null }, travel: { startMs: Date.now(), defaultRetentionDays: 1 } }, { parts });
    if (!bound) throw new Error(`${parts.join('.')} is no system view`);
    return bound;
  };

  it('DATABASES lists every database with its retention, whichever database is named', () => {
    const a = catalog.createDatabase('A');
    const b = catalog.createDatabase('B');
    catalog.setRetention({ kind: 'database', database: 'B' }, 5);
    const { view, plan } = bind('A', ['B', 'INFORMATION_SCHEMA', 'DATABASES']);
    expect(view.columns.map((c) => c.name)).toEqual(['DATABASE_NAME', 'DATABASE_OWNER', 'IS_TRANSIENT', 'COMMENT', 'CREATED', 'LAST_ALTERED', 'RETENTION_TIME', 'TYPE']);
    expect(rowsOf(plan, ['DATABASE_NAME', 'IS_TRANSIENT', 'CREATED', 'RETENTION_TIME', 'TYPE'])).toEqual([
      ['A', 'NO', ns(a.createdAt), 1n, 'STANDARD'],
      ['B', 'NO', ns(b.createdAt), 5n, 'STANDARD'],
    ]);
  });

  it('SCHEMATA lists the schemas of the database and INFORMATION_SCHEMA itself', () => {
    catalog.createDatabase('DB', { schema: 'PUBLIC' });
    catalog.createSchema('DB', 'RAW');
    catalog.setRetention({ kind: 'schema', database: 'DB', schema: 'RAW' }, 3);
    const { plan } = bind('DB', ['INFORMATION_SCHEMA', 'SCHEMATA']);
    expect(rowsOf(plan, ['CATALOG_NAME', 'SCHEMA_NAME', 'IS_TRANSIENT', 'IS_MANAGED_ACCESS', 'RETENTION_TIME'])).toEqual([
      ['DB', 'INFORMATION_SCHEMA', 'NO', 'NO', 0n],
      ['DB', 'PUBLIC', 'NO', 'NO', 1n],
      ['DB', 'RAW', 'NO', 'NO', 3n],
    ]);
  });

  it('TABLES gives each live table its row count, bytes, clustering key and retention', () => {
    catalog.createDatabase('DB', { schema: 'S' });
    const t = catalog.createTable('DB', 'S', 'EVENTS', [{ name: 'DAY', type: Types.date, nullable: true }], { queryId: 'q0', clusterBy: ['DAY'] });
    catalog.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('a', 3, 100), part('b', 4, 250)], removedIds: [] });
    const u = catalog.createTable('DB', 'S', 'PLAIN', [{ name: 'X', type: Types.float, nullable: true }], { queryId: 'q2' });
    catalog.setRetention({ kind: 'table', tableId: u.id }, 0);
    catalog.createTable('DB', 'S', 'GONE', [{ name: 'X', type: Types.float, nullable: true }], { queryId: 'q3' });
    catalog.dropTable('DB', 'S', 'GONE');
    const committed = catalog.tableVersions(t.id).at(-1)!.committedAt;
    const { view, plan } = bind('DB', ['DB', 'INFORMATION_SCHEMA', 'TABLES']);
    expect(view.columns.slice(0, 10).map((c) => [c.name, c.type.kind])).toEqual([
      ['TABLE_CATALOG', 'VARCHAR'],
      ['TABLE_SCHEMA', 'VARCHAR'],
      ['TABLE_NAME', 'VARCHAR'],
      ['TABLE_OWNER', 'VARCHAR'],
      ['TABLE_TYPE', 'VARCHAR'],
      ['IS_TRANSIENT', 'VARCHAR'],
      ['CLUSTERING_KEY', 'VARCHAR'],
      ['ROW_COUNT', 'NUMBER'],
      ['BYTES', 'NUMBER'],
      ['RETENTION_TIME', 'NUMBER'],
    ]);
    expect(rowsOf(plan, ['TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'CLUSTERING_KEY', 'ROW_COUNT', 'BYTES', 'RETENTION_TIME', 'CREATED', 'LAST_ALTERED', 'AUTO_CLUSTERING_ON'], { schemaColumn: 'TABLE_SCHEMA', schema: 'S' })).toEqual([
      ['S', 'EVENTS', 'BASE TABLE', 'LINEAR(DAY)', 7n, 350n, 1n, ns(t.createdAt), ns(committed), 'YES'],
      ['S', 'PLAIN', 'BASE TABLE', null, 0n, 0n, 0n, ns(u.createdAt), ns(catalog.tableVersions(u.id).at(-1)!.committedAt), 'NO'],
    ]);
    const created = ns(catalog.getDatabase('DB')!.createdAt);
    expect(rowsOf(plan, ['TABLE_NAME', 'TABLE_OWNER', 'TABLE_TYPE', 'ROW_COUNT', 'BYTES', 'RETENTION_TIME', 'CREATED'], { schemaColumn: 'TABLE_SCHEMA', schema: 'INFORMATION_SCHEMA' })).toEqual(
      ['DATABASES', 'SCHEMATA', 'TABLES', 'VIEWS', 'COLUMNS', 'SEQUENCES', 'LOAD_HISTORY', 'TABLE_STORAGE_METRICS'].map((name) => [name, null, 'VIEW', null, null, null, created]),
    );
  });

  it('COLUMNS describes each column with its position, nullability and type facets', () => {
    catalog.createDatabase('DB', { schema: 'S' });
    catalog.createTable('DB', 'S', 'T', [
      { name: 'ID', type: Types.number(10, 2), nullable: false },
      { name: 'NAME', type: { kind: 'VARCHAR', length: 40 }, nullable: true },
      { name: 'R', type: Types.float, nullable: true },
      { name: 'AT', type: Types.timestamp(3), nullable: true },
      { name: 'D', type: Types.date, nullable: true },
      { name: 'B', type: Types.boolean, nullable: true },
    ], { queryId: 'q0' });
    const { view, plan } = bind('DB', ['INFORMATION_SCHEMA', 'COLUMNS']);
    expect(rowsOf(plan, ['TABLE_NAME', 'COLUMN_NAME', 'ORDINAL_POSITION', 'IS_NULLABLE', 'DATA_TYPE', 'CHARACTER_MAXIMUM_LENGTH', 'CHARACTER_OCTET_LENGTH', 'NUMERIC_PRECISION', 'NUMERIC_PRECISION_RADIX', 'NUMERIC_SCALE', 'DATETIME_PRECISION', 'COLUMN_DEFAULT', 'IS_IDENTITY'], { schemaColumn: 'TABLE_SCHEMA', schema: 'S' })).toEqual([
      ['T', 'ID', 1n, 'NO', 'NUMBER', null, null, 10n, 10n, 2n, null, null, 'NO'],
      ['T', 'NAME', 2n, 'YES', 'TEXT', 40n, 160n, null, null, null, null, null, 'NO'],
      ['T', 'R', 3n, 'YES', 'FLOAT', null, null, null, null, null, null, null, 'NO'],
      ['T', 'AT', 4n, 'YES', 'TIMESTAMP_NTZ', null, null, null, null, null, 3n, null, 'NO'],
      ['T', 'D', 5n, 'YES', 'DATE', null, null, null, null, null, null, null, 'NO'],
      ['T', 'B', 6n, 'YES', 'BOOLEAN', null, null, null, null, null, null, null, 'NO'],
    ]);
    // The views' own columns are listed too: COLUMNS describes itself.
    const own = rowsOf(plan, ['TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE'], { schemaColumn: 'TABLE_SCHEMA', schema: 'INFORMATION_SCHEMA' }).filter((r) => r[0] === 'COLUMNS');
    expect(own).toEqual(view.columns.map((c) => ['COLUMNS', c.name, c.type.kind === 'VARCHAR' ? 'TEXT' : c.type.kind]));
  });

  it('reads a missing database as missing', () => {
    expect(() => bind('NOPE', ['INFORMATION_SCHEMA', 'TABLES'])).toThrow("Database 'NOPE' does not exist or not authorized.");
  });
});
