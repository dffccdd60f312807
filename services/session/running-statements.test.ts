import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { catalogVersionTime, recordingCatalog, RunningStatements } from './running-statements.js';

describe('RunningStatements', () => {
  it('keeps, per table, the oldest version any running statement reads, until each ends', () => {
    const running = new RunningStatements();
    const a = running.begin();
    const b = running.begin();
    a.read(1, 5);
    a.read(1, 3);
    a.read(2, 7);
    b.read(1, 4);
    b.read(3, 1);
    expect(running.oldestVersions()).toEqual(new Map([[1, 3], [2, 7], [3, 1]]));
    expect(running.readVersions()).toEqual(new Map([[1, new Set([5, 3, 4])], [2, new Set([7])], [3, new Set([1])]]));
    a.end();
    a.end();
    expect(running.size).toBe(1);
    expect(running.oldestVersions()).toEqual(new Map([[1, 4], [3, 1]]));
    b.end();
    expect(running.oldestVersions()).toEqual(new Map());
  });

  it("protects each table from 1 ms before its oldest read version's commit; a version nobody knows with 0", () => {
    const running = new RunningStatements();
    const s = running.begin();
    s.read(1, 2);
    s.read(9, 1);
    const times = new Map([['1/2', 5_000]]);
    expect(running.protect((t, v) => times.get(`${t}/${v}`) ?? null)).toEqual(new Map([[1, 4_999], [9, 0]]));
  });
});

describe('recordingCatalog and catalogVersionTime', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-running-'));
    catalog = new SqliteCatalog(path.join(dir, 'catalog.db'));
    catalog.createDatabase('DB', { schema: 'S' });
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each version listed into the registration of the statement whose async context lists it, and is the catalog otherwise', async () => {
    const t = catalog.createTable('DB', 'S', 'T', [{ name: 'A', type: Types.number(38, 0), nullable: true }], { queryId: 'q0' });
    const part = { objectKey: 'k1', rowCount: 1, byteSize: 10, zoneMap: { rowCount: 1, byteSize: 10, columns: {} } };
    const v1 = catalog.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part], removedIds: [] });
    catalog.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'INSERT', added: [{ ...part, objectKey: 'k2' }], removedIds: [] });
    const running = new RunningStatements();
    const seen = recordingCatalog(catalog, running);
    // Outside any statement: nothing recorded.
    expect(seen.livePartitions(t.id, 1).map((p) => p.objectKey)).toEqual(['k1']);
    expect(running.readVersions()).toEqual(new Map());
    const reads = running.begin();
    const other = running.begin();
    await Promise.all([
      running.within(reads, async () => {
        await Promise.resolve();
        expect(seen.getTable('DB', 'S', 'T')!.currentVersion).toBe(2);
        expect(seen.livePartitions(t.id, 1).map((p) => p.objectKey)).toEqual(['k1']);
      }),
      // Without a version: the current one is read and recorded.
      running.within(other, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        expect(seen.livePartitions(t.id).map((p) => p.objectKey)).toEqual(['k1', 'k2']);
      }),
    ]);
    expect(running.readVersions()).toEqual(new Map([[t.id, new Set([1, 2])]]));
    reads.end();
    expect(running.oldestVersions()).toEqual(new Map([[t.id, 2]]));
    other.end();
    expect(running.current()).toBeUndefined();
    const time = catalogVersionTime(catalog);
    expect(time(t.id, 1)).toBe(v1.committedAt.getTime());
    expect(time(t.id, 99)).toBeNull();
    expect(time(t.id + 1, 0)).toBeNull();
  });
});
