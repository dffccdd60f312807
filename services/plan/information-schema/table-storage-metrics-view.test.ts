import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { NewPartition } from '../../catalog/catalog.js';
import { SqliteCatalog } from '../../catalog/sqlite-catalog.js';
import { bindSystemView } from './system-view.js';
import { tableStorageMetricsView } from './table-storage-metrics-view.js';

const DAY_MS = 86_400_000;
const part = (objectKey: string, byteSize: number): NewPartition => ({ objectKey, rowCount: 1, byteSize, zoneMap: { rowCount: 1, byteSize, columns: {} } });

describe('INFORMATION_SCHEMA.TABLE_STORAGE_METRICS', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-metrics-'));
    catalog = new SqliteCatalog(path.join(dir, 'catalog.db'));
    catalog.createDatabase('DB', { schema: 'S' });
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has Snowflake's columns, and one row per table with its active, time-travel and retained-for-clone bytes", () => {
    const t = catalog.createTable('DB', 'S', 'T', [{ name: 'A', type: Types.number(38, 0), nullable: true }], { queryId: 'q0' });
    catalog.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('a', 100), part('b', 200)], removedIds: [] });
    const a = catalog.livePartitions(t.id).find((p) => p.objectKey === 'a')!;
    catalog.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'DELETE', added: [], removedIds: [a.id] });
    const u = catalog.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'qc' });
    catalog.dropTable('DB', 'S', 'T');
    const bound = bindSystemView({ catalog, session: { database: 'DB', schema: 'S', warehouse: null }, travel: { startMs: Date.now(), defaultRetentionDays: 1 } }, { parts: ['INFORMATION_SCHEMA', 'TABLE_STORAGE_METRICS'] })!;
    expect(bound.view.columns.map((c) => [c.name, c.type.kind, c.nullable])).toEqual([
      ['TABLE_CATALOG', 'VARCHAR', false],
      ['TABLE_SCHEMA', 'VARCHAR', false],
      ['TABLE_NAME', 'VARCHAR', false],
      ['ID', 'NUMBER', false],
      ['CLONE_GROUP_ID', 'NUMBER', false],
      ['IS_TRANSIENT', 'VARCHAR', false],
      ['ACTIVE_BYTES', 'NUMBER', false],
      ['TIME_TRAVEL_BYTES', 'NUMBER', false],
      ['FAILSAFE_BYTES', 'NUMBER', false],
      ['RETAINED_FOR_CLONE_BYTES', 'NUMBER', false],
      ['TABLE_DROPPED', 'TIMESTAMP_NTZ', true],
      ['TABLE_CREATED', 'TIMESTAMP_NTZ', false],
    ]);
    expect(bound.plan.kind === 'values' && bound.plan.rows.length).toBe(2);
    const dropped = catalog.listTablesHistory('DB', 'S', { nowMs: Date.now(), defaultRetentionDays: 1 }).find((x) => x.name === 'T')!.droppedAt!;
    const rows = (nowMs: number) => tableStorageMetricsView.rows(catalog, 'DB', { nowMs, defaultRetentionDays: 1 }, { table: () => true, schema: () => true, database: () => true, view: () => true, ownsView: () => true, listed: (name: string) => ({ name, temporary: false }), sequence: () => true }, []);
    // Within T's retention its dropped bytes are time travel; U (a clone) owns none of them.
    expect(rows(Date.now())).toEqual([
      ['DB', 'S', 'T', BigInt(t.id), BigInt(t.id), 'NO', 0n, 300n, 0n, 0n, dropped, t.createdAt],
      ['DB', 'S', 'U', BigInt(u.id), BigInt(t.id), 'NO', 0n, 0n, 0n, 0n, null, u.createdAt],
    ]);
    // Past it, only the clone keeps B: retained for it.
    expect(rows(Date.now() + 2 * DAY_MS)[0].slice(6, 10)).toEqual([0n, 0n, 0n, 200n]);
  });
});
