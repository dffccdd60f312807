import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { SqliteCatalog } from '../../catalog/sqlite-catalog.js';
import type { QueryRecord } from '../../catalog/usage-store.js';
import type { TableRef } from '../../sql/ast.js';
import { parseSql } from '../../sql/parse-sql.js';
import type { BindContext } from '../bind-context.js';
import { bindTableFunction } from './query-history-function.js';
import { bindSystemView } from './system-view.js';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const DAY = 86_400_000;

function rec(id: string, end: number, extra: Partial<QueryRecord> = {}): QueryRecord {
  return {
    queryId: id, queryText: `SELECT '${id}'`, databaseName: 'FIRN', schemaName: 'PUBLIC', userName: 'ADMIN', roleName: 'ACCOUNTADMIN', warehouseId: 1, warehouseName: 'W', warehouseSize: 'XSMALL',
    clusterNumber: 1, executionStatus: 'SUCCESS', errorCode: null, errorMessage: null, startTime: end - 10, endTime: end, totalElapsedTime: 10,
    queuedOverloadTime: 3, bytesScanned: 100, partitionsScanned: 1, partitionsTotal: 4, percentageScannedFromCache: 0.25, bytesSpilled: 8, rowsProduced: 2, ...extra,
  };
}

function fnRef(sql: string): Extract<TableRef, { kind: 'function' }> {
  const st = parseSql(sql)[0];
  if (st.kind !== 'query' || st.query.body.kind !== 'select' || st.query.body.from?.kind !== 'function') throw new Error('not a table function');
  return st.query.body.from;
}

let catalog: SqliteCatalog;
let ctx: BindContext;
beforeEach(() => {
  catalog = new SqliteCatalog(':memory:');
  ctx = { catalog, session: { database: 'FIRN', schema: 'PUBLIC', warehouse: null }, travel: { startMs: NOW, statementStart: () => null, defaultRetentionDays: 1 } };
  catalog.usage.recordQuery(rec('old', NOW - 8 * DAY));
  catalog.usage.recordQuery(rec('day', NOW - DAY));
  catalog.usage.recordQuery(rec('hour', NOW - 3_600_000, { executionStatus: 'FAIL', errorCode: '002003', errorMessage: 'gone', rowsProduced: 0 }));
  catalog.usage.recordQuery(rec('now', NOW - 1));
});
afterEach(() => catalog.close());

const ids = (sql: string): unknown[] => {
  const plan = bindTableFunction(ctx, fnRef(sql)).plan;
  if (plan.kind !== 'values') throw new Error('not values');
  return plan.rows.map((r) => (r[0].kind === 'literal' ? r[0].value : null));
};

describe('INFORMATION_SCHEMA.QUERY_HISTORY()', () => {
  it('answers the last 7 days by default, newest first, with the columns of the ACCOUNT_USAGE view', () => {
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())')).toEqual(['now', 'hour', 'day']);
    const fn = bindTableFunction(ctx, fnRef('SELECT * FROM TABLE(FIRN.INFORMATION_SCHEMA.QUERY_HISTORY())'));
    const view = bindSystemView(ctx, { parts: ['SNOWFLAKE', 'ACCOUNT_USAGE', 'QUERY_HISTORY'] })!;
    expect(fn.columns).toEqual(view.view.columns);
    expect(view.plan.kind === 'values' && view.plan.rows.length).toBe(4);
  });

  it('takes END_TIME_RANGE_START, END_TIME_RANGE_END and RESULT_LIMIT by name in any order, or by position', () => {
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1, END_TIME_RANGE_START => '2026-03-01'::TIMESTAMP))")).toEqual(['now']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY('2026-03-01'::TIMESTAMP, '2026-03-10 11:30:00'::TIMESTAMP))")).toEqual(['hour', 'day', 'old']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(END_TIME_RANGE_END => '2026-03-09 12:00:00'::TIMESTAMP))")).toEqual(['day']);
  });

  it('is found unqualified only in INFORMATION_SCHEMA, and refuses unknown functions and bad arguments', () => {
    const fail = (sql: string, session = ctx.session) => {
      try {
        bindTableFunction({ ...ctx, session }, fnRef(sql));
      } catch (err) {
        if (err instanceof CompilationError) return [err.code, err.message];
      }
      return null;
    };
    expect(fail('SELECT * FROM TABLE(QUERY_HISTORY())')).toEqual(['002140', 'SQL compilation error: Unknown table function QUERY_HISTORY']);
    expect(fail('SELECT * FROM TABLE(QUERY_HISTORY())', { ...ctx.session, schema: 'INFORMATION_SCHEMA' })).toBeNull();
    expect(fail('SELECT * FROM TABLE(NO_SUCH_FUNCTION(ROWCOUNT => 1))')).toEqual(['002140', 'SQL compilation error: Unknown table function NO_SUCH_FUNCTION']);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 10001))')).toEqual([
      '001044', 'SQL compilation error: argument RESULT_LIMIT of function QUERY_HISTORY must be between 1 and 10000',
    ]);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(USER_NAME => 1))')?.[1]).toMatch(/invalid argument USER_NAME/);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1, RESULT_LIMIT => 2))')?.[1]).toMatch(/given twice/);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(1, 2, 3, 4))')?.[1]).toMatch(/invalid argument 4/);
    expect(fail("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => NULL))")?.[1]).toMatch(/non-NULL constant/);
  });
});

describe('SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY', () => {
  it('has Snowflake\'s columns and one row per warehouse per hour, credits as NUMBER(38, 9)', () => {
    const hour = NOW - 3_600_000;
    catalog.usage.startSegment({ warehouseId: 4, warehouseName: 'W', cluster: 1, size: 'MEDIUM', runStartedAt: hour + 60_000, startedAt: hour + 60_000 });
    catalog.usage.endSegment(4, 1, hour + 90_000);
    const bound = bindSystemView(ctx, { parts: ['SNOWFLAKE', 'ACCOUNT_USAGE', 'WAREHOUSE_METERING_HISTORY'] })!;
    expect(bound.view.columns.map((c) => [c.name, c.type])).toEqual([
      ['START_TIME', { kind: 'TIMESTAMP_NTZ' }],
      ['END_TIME', { kind: 'TIMESTAMP_NTZ' }],
      ['WAREHOUSE_ID', { kind: 'NUMBER', precision: 38, scale: 0 }],
      ['WAREHOUSE_NAME', { kind: 'VARCHAR' }],
      ['CREDITS_USED', { kind: 'NUMBER', precision: 38, scale: 9 }],
      ['CREDITS_USED_COMPUTE', { kind: 'NUMBER', precision: 38, scale: 9 }],
      ['CREDITS_USED_CLOUD_SERVICES', { kind: 'NUMBER', precision: 38, scale: 9 }],
    ]);
    // 30 s of MEDIUM billed as its 60 s minimum: 4 / 60 credits.
    const rows = bound.view.rows(catalog, '', { nowMs: NOW, defaultRetentionDays: 1 }, { table: () => true, schema: () => true, database: () => true, view: () => true, ownsView: () => true, listed: (name: string) => ({ name, temporary: false }) }, []);
    expect(rows).toEqual([[new Date(hour), new Date(hour + 3_600_000), 4n, 'W', 66_666_667n, 66_666_667n, 0n]]);
  });
});
