import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import { queryRecord, rowsProduced } from './record-statement.js';
import type { QueryStats } from './statement-result.js';

const n = (name: string): Column => ({ name, type: Types.number(38, 0), nullable: false });
const session = { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH', user: 'ALICE', role: 'SYSADMIN' };

function stats(more: Partial<QueryStats>): QueryStats {
  return {
    partitionsTotal: 0, partitionsScanned: 0, bytesScanned: 0, cacheHitRatio: 0, elapsedMs: 0, warehouse: null, partitionedJoins: 0, bytesSpilled: 0,
    profile: [], partitionsAdded: 0, partitionsRemoved: 0, queuedMs: 0, cluster: null, warehouseSize: null, fromResultCache: false, memoryBytes: 0, ...more,
  };
}

describe('rowsProduced', () => {
  it('counts the rows of an answer, and the rows a DML changed from its status row', () => {
    const a = n('A');
    expect(rowsProduced([a], rowsToBatch([a], [[1n], [2n], [3n]]))).toBe(3);
    expect(rowsProduced([n('number of rows inserted')], rowsToBatch([n('number of rows inserted')], [[5n]]))).toBe(5);
    const merge = [n('number of rows inserted'), n('number of rows updated'), n('number of rows deleted')];
    expect(rowsProduced(merge, rowsToBatch(merge, [[1n, 2n, 4n]]))).toBe(7);
    const update = [n('number of rows updated'), n('number of multi-joined rows updated')];
    expect(rowsProduced(update, rowsToBatch(update, [[3n, 3n]]))).toBe(3);
    expect(rowsProduced([a], rowsToBatch([a], [[9n]]))).toBe(1);
  });
});

describe('queryRecord', () => {
  it('records a statement that ran: its warehouse id and size from the catalog when the stats give none, cluster 1', () => {
    const catalog = new SqliteCatalog(':memory:');
    const wh = catalog.createWarehouse('COMPUTE_WH', 'SMALL');
    const r = queryRecord(catalog, {
      queryId: 'q', sql: 'SELECT 1', session, startMs: 1000, endMs: 1250, rows: 4, error: null,
      stats: stats({ warehouse: 'COMPUTE_WH', partitionsTotal: 5, partitionsScanned: 2, bytesScanned: 70, cacheHitRatio: 0.5, bytesSpilled: 9, queuedMs: 12.6 }),
    });
    expect(r).toEqual({
      queryId: 'q', queryText: 'SELECT 1', sessionId: null, databaseName: 'FIRN', schemaName: 'PUBLIC', userName: 'ALICE', roleName: 'SYSADMIN', warehouseId: wh.id, warehouseName: 'COMPUTE_WH', warehouseSize: 'SMALL',
      clusterNumber: 1, queryTag: null, executionStatus: 'SUCCESS', errorCode: null, errorMessage: null, startTime: 1000, endTime: 1250, totalElapsedTime: 250,
      queuedOverloadTime: 13, bytesScanned: 70, partitionsScanned: 2, partitionsTotal: 5, percentageScannedFromCache: 0.5, bytesSpilled: 9, rowsProduced: 4,
    });
    const scheduled = queryRecord(catalog, { queryId: 'q2', sql: 'SELECT 2', session, startMs: 0, endMs: 1, rows: 1, error: null, stats: stats({ warehouse: 'COMPUTE_WH', cluster: 2, warehouseSize: 'LARGE' }) });
    expect([scheduled.clusterNumber, scheduled.warehouseSize]).toEqual([2, 'LARGE']);
    catalog.close();
  });

  it('records a failure with its code and message, and 000603 for an error that is not a FirnError', () => {
    const catalog = new SqliteCatalog(':memory:');
    const err = new CompilationError('OBJECT_NOT_FOUND', "Table 'X' does not exist");
    const r = queryRecord(catalog, { queryId: 'q', sql: 'SELECT * FROM x', session, startMs: 5, endMs: 7, rows: 3, error: err, stats: null });
    expect([r.executionStatus, r.errorCode, r.errorMessage, r.rowsProduced, r.warehouseName, r.clusterNumber]).toEqual(['FAIL', '002003', "Table 'X' does not exist", 0, null, null]);
    const odd = queryRecord(catalog, { queryId: 'q', sql: 'x', session, startMs: 5, endMs: 7, rows: 0, error: new TypeError('boom'), stats: null });
    expect([odd.errorCode, odd.errorMessage]).toEqual(['000603', 'boom']);
    catalog.close();
  });

  it('keeps the statement text without its secrets', () => {
    const catalog = new SqliteCatalog(':memory:');
    const r = queryRecord(catalog, { queryId: 'q', sql: "ALTER USER u SET PASSWORD = 'hunter2'", session, startMs: 5, endMs: 7, rows: 1, error: null, stats: null });
    expect(r.queryText).toBe("ALTER USER u SET PASSWORD = '****'");
    catalog.close();
  });
});
