import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { RolePrivileges } from '../../access/role-privileges.js';
import type { LoadedFile, NewPartition } from '../../catalog/catalog.js';
import { SqliteCatalog } from '../../catalog/sqlite-catalog.js';
import type { QueryRecord } from '../../catalog/usage-store.js';
import type { SessionContext } from '../../session/statement-result.js';
import type { TableRef } from '../../sql/ast.js';
import { parseSql } from '../../sql/parse-sql.js';
import type { BindContext } from '../bind-context.js';
import { bindTableFunction } from '../bind-table-function.js';
import { bindSystemView } from './system-view.js';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const DAY = 86_400_000;
const HOUR = 3_600_000;

function rec(id: string, end: number, extra: Partial<QueryRecord> = {}): QueryRecord {
  return {
    queryId: id, queryText: `SELECT '${id}'`, databaseName: 'FIRN', schemaName: 'PUBLIC', sessionId: 7, userName: 'ADMIN', roleName: 'ACCOUNTADMIN', warehouseId: 1, warehouseName: 'W', warehouseSize: 'XSMALL',
    clusterNumber: 1, queryTag: null, executionStatus: 'SUCCESS', errorCode: null, errorMessage: null, startTime: end - 10, endTime: end, totalElapsedTime: 10,
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
  catalog.usage.recordQuery(rec('hour', NOW - HOUR, { executionStatus: 'FAIL', errorCode: '002003', errorMessage: 'gone', rowsProduced: 0 }));
  catalog.usage.recordQuery(rec('now', NOW - 1));
});
afterEach(() => catalog.close());

/** The literal cells of the function's VALUES plan, by column name. */
function cells(sql: string, names: string[], at: BindContext = ctx): unknown[][] {
  const plan = bindTableFunction(at, fnRef(sql)).plan;
  if (plan.kind !== 'values') throw new Error('not values');
  const index = names.map((n) => plan.columns.findIndex((c) => c.name === n));
  return plan.rows.map((r) => index.map((i) => (r[i].kind === 'literal' ? r[i].value : r[i].kind)));
}
const ids = (sql: string, at: BindContext = ctx): unknown[] => cells(sql, ['QUERY_ID'], at).map((r) => r[0]);

/** What binding threw: its code and message, or null. */
function fail(sql: string, at: BindContext = ctx): [string, string] | null {
  try {
    bindTableFunction(at, fnRef(sql));
  } catch (err) {
    if (err instanceof CompilationError) return [err.code, err.message];
    throw err;
  }
  return null;
}

/** A context of user ALICE in role R (no ACCOUNTADMIN), in session 7 on warehouse W. */
function asAlice(extra: Partial<SessionContext> = {}): BindContext {
  catalog.grants.createRole({ name: 'R', comment: null, owner: 'ACCOUNTADMIN' });
  catalog.grants.grantRole('R', 'USER', 'ALICE', null);
  const privileges = RolePrivileges.forSession(catalog.grants, 'ALICE', 'R');
  return { ...ctx, session: { ...ctx.session, user: 'ALICE', role: 'R', privileges, sessionId: 7, warehouse: 'W', ...extra } };
}

describe('INFORMATION_SCHEMA.QUERY_HISTORY()', () => {
  it('answers the last 7 days by default, newest first, with the columns of the ACCOUNT_USAGE view', () => {
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())')).toEqual(['now', 'hour', 'day']);
    const fn = bindTableFunction(ctx, fnRef('SELECT * FROM TABLE(FIRN.INFORMATION_SCHEMA.QUERY_HISTORY())'));
    const view = bindSystemView(ctx, { parts: ['SNOWFLAKE', 'ACCOUNT_USAGE', 'QUERY_HISTORY'] })!;
    expect(fn.columns).toEqual(view.view.columns);
    expect(view.plan.kind === 'values' && view.plan.rows.length).toBe(4);
  });

  it('has Snowflake\'s SESSION_ID after SCHEMA_NAME and TIMESTAMP_LTZ times holding the instant', () => {
    const fn = bindTableFunction(ctx, fnRef('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())'));
    expect(fn.columns.slice(2, 7).map((c) => [c.name, c.type])).toEqual([
      ['DATABASE_NAME', { kind: 'VARCHAR' }],
      ['SCHEMA_NAME', { kind: 'VARCHAR' }],
      ['SESSION_ID', { kind: 'NUMBER', precision: 38, scale: 0 }],
      ['USER_NAME', { kind: 'VARCHAR' }],
      ['ROLE_NAME', { kind: 'VARCHAR' }],
    ]);
    expect(fn.columns.filter((c) => c.name.endsWith('_TIME') && c.name !== 'TOTAL_ELAPSED_TIME' && c.name !== 'QUEUED_OVERLOAD_TIME').map((c) => [c.name, c.type])).toEqual([
      ['START_TIME', { kind: 'TIMESTAMP_LTZ' }],
      ['END_TIME', { kind: 'TIMESTAMP_LTZ' }],
    ]);
    expect(cells('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1))', ['SESSION_ID', 'START_TIME', 'END_TIME'])).toEqual([
      [7n, BigInt(NOW - 11) * 1_000_000n, BigInt(NOW - 1) * 1_000_000n],
    ]);
  });

  it('takes END_TIME_RANGE_START, END_TIME_RANGE_END and RESULT_LIMIT by name in any order, or by position', () => {
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1, END_TIME_RANGE_START => '2026-03-01'::TIMESTAMP))")).toEqual(['now']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY('2026-03-01'::TIMESTAMP, '2026-03-10 11:30:00'::TIMESTAMP))")).toEqual(['hour', 'day', 'old']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(END_TIME_RANGE_END => '2026-03-09 12:00:00'::TIMESTAMP))")).toEqual(['day']);
    // An instant with an offset is that instant: 11:30 UTC is 03:30 in Los Angeles (PST, -08:00).
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(END_TIME_RANGE_START => '2026-03-10 03:30:00 -08:00'::TIMESTAMP_TZ))")).toEqual(['now']);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(INCLUDE_CLIENT_GENERATED_STATEMENT => TRUE, RESULT_LIMIT => 2))')).toEqual(['now', 'hour']);
  });

  it('is found unqualified only in INFORMATION_SCHEMA, and refuses unknown functions and bad arguments', () => {
    expect(fail('SELECT * FROM TABLE(QUERY_HISTORY())')).toEqual(['002140', 'SQL compilation error: Unknown table function QUERY_HISTORY']);
    expect(fail('SELECT * FROM TABLE(QUERY_HISTORY())', { ...ctx, session: { ...ctx.session, schema: 'INFORMATION_SCHEMA' } })).toBeNull();
    expect(fail('SELECT * FROM TABLE(NO_SUCH_FUNCTION(ROWCOUNT => 1))')).toEqual(['002140', 'SQL compilation error: Unknown table function NO_SUCH_FUNCTION']);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 10001))')).toEqual([
      '001044', 'SQL compilation error: argument RESULT_LIMIT of function QUERY_HISTORY must be between 1 and 10000',
    ]);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(USER_NAME => 1))')?.[1]).toMatch(/invalid argument USER_NAME/);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1, RESULT_LIMIT => 2))')?.[1]).toMatch(/given twice/);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(1, 2, 3, TRUE, 5))')?.[1]).toMatch(/invalid argument 5/);
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => NULL))')?.[1]).toMatch(/non-NULL constant/);
  });

  it('shows a role without ACCOUNTADMIN only its user\'s statements', () => {
    catalog.usage.recordQuery(rec('alice', NOW - 2, { userName: 'ALICE', roleName: 'R' }));
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())', asAlice())).toEqual(['alice']);
  });
});

describe('INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION, _BY_USER, _BY_WAREHOUSE', () => {
  beforeEach(() => {
    catalog.usage.recordQuery(rec('s8', NOW - 2 * HOUR, { sessionId: 8 }));
    catalog.usage.recordQuery(rec('bob', NOW - 3 * HOUR, { sessionId: 9, userName: 'BOB', roleName: 'SYSADMIN', warehouseName: 'BOB_WH' }));
    catalog.usage.recordQuery(rec('mixed', NOW - 4 * HOUR, { sessionId: 9, userName: 'Mixed Case', warehouseName: 'Mixed Wh' }));
  });

  it('BY_SESSION answers one session\'s statements: the named one, else the current one, else none', () => {
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION(SESSION_ID => 9))')).toEqual(['bob', 'mixed']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION('8'))")).toEqual(['s8']);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION())', { ...ctx, session: { ...ctx.session, sessionId: 7 } })).toEqual(['now', 'hour', 'day']);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION())')).toEqual([]);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION(9, RESULT_LIMIT => 1))')).toEqual(['bob']);
  });

  it('BY_USER answers one user\'s statements, the name by identifier rules, the current user by default', () => {
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER(USER_NAME => 'bob'))")).toEqual(['bob']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER('\"Mixed Case\"'))")).toEqual(['mixed']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER('mixed'))")).toEqual([]);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER(END_TIME_RANGE_START => \'2026-03-10\'::TIMESTAMP))', { ...ctx, session: { ...ctx.session, user: 'ADMIN' } })).toEqual([
      'now', 'hour', 's8',
    ]);
    expect(fail("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER(USER_NAME => 'a b'))")).toEqual(['001044', 'SQL compilation error: argument USER_NAME of function QUERY_HISTORY_BY_USER must be a name']);
  });

  it('BY_WAREHOUSE answers the statements of one warehouse, the current one by default, none without one', () => {
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE(WAREHOUSE_NAME => 'bob_wh'))")).toEqual(['bob']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE('\"Mixed Wh\"'))")).toEqual(['mixed']);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE())', { ...ctx, session: { ...ctx.session, warehouse: 'BOB_WH' } })).toEqual(['bob']);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE())')).toEqual([]);
  });

  it('shows a role without ACCOUNTADMIN only its user\'s statements within each dimension', () => {
    catalog.usage.recordQuery(rec('alice', NOW - 5 * HOUR, { userName: 'ALICE', roleName: 'R', sessionId: 9, warehouseName: 'BOB_WH' }));
    const alice = asAlice();
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION(9))', alice)).toEqual(['alice']);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION())', alice)).toEqual([]);
    expect(ids('SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER())', alice)).toEqual(['alice']);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER('BOB'))", alice)).toEqual([]);
    expect(ids("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE('BOB_WH'))", alice)).toEqual(['alice']);
  });
});

describe('INFORMATION_SCHEMA.COPY_HISTORY', () => {
  const file = (name: string, status: LoadedFile['status'], rows: number): LoadedFile => ({
    fileName: `file:///src/${name}`, fileSize: 10 * rows, fileEtag: null, fileModifiedAt: new Date(1_700_000_000_000), status, rowsParsed: rows,
    rowsLoaded: status === 'LOADED' ? rows : rows - 1, errorCount: status === 'LOADED' ? 0 : 1, errorLimit: status === 'LOADED' ? 1 : rows,
    firstErrorMessage: status === 'LOADED' ? null : 'bad number', firstErrorLineNumber: status === 'LOADED' ? null : 3,
    firstErrorCharacterPosition: status === 'LOADED' ? null : 5, firstErrorColumnName: status === 'LOADED' ? null : '"T"["A":1]',
  });
  const part = (objectKey: string): NewPartition => ({ objectKey, rowCount: 1, byteSize: 10, zoneMap: { rowCount: 1, byteSize: 10, columns: {} } });
  let loadedAt: number;
  let at: BindContext;

  beforeEach(() => {
    catalog.createDatabase('DB', { schema: 'S' });
    const t = catalog.createTable('DB', 'S', 'T', [{ name: 'A', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: true }], { queryId: 'q-create' });
    catalog.createTable('DB', 'S', 'U', [{ name: 'A', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: true }], { queryId: 'q-create-u' });
    const v = catalog.commitTable(t.id, { baseVersion: 0, queryId: 'q-copy', operation: 'COPY', added: [part('p/1')], removedIds: [], loads: { files: [file('a.csv', 'LOADED', 2), file('b.csv', 'PARTIALLY_LOADED', 4)], force: false } });
    loadedAt = v.committedAt.getTime();
    at = { ...ctx, session: { database: 'DB', schema: 'S', warehouse: null }, travel: { startMs: loadedAt + 1000, statementStart: () => null, defaultRetentionDays: 1 } };
  });

  it('has Snowflake\'s columns and answers the table\'s loads in the range, newest first', () => {
    const fn = bindTableFunction(at, fnRef("SELECT * FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 't', START_TIME => DATEADD(hour, -1, '2020-01-01'::TIMESTAMP_LTZ)))"));
    expect(fn.columns.map((c) => `${c.name} ${c.type.kind}`)).toEqual([
      'FILE_NAME VARCHAR', 'STAGE_LOCATION VARCHAR', 'LAST_LOAD_TIME TIMESTAMP_LTZ', 'ROW_COUNT NUMBER', 'ROW_PARSED NUMBER', 'FILE_SIZE NUMBER',
      'FIRST_ERROR_MESSAGE VARCHAR', 'FIRST_ERROR_LINE_NUMBER NUMBER', 'FIRST_ERROR_CHARACTER_POS NUMBER', 'FIRST_ERROR_COLUMN_NAME VARCHAR',
      'ERROR_COUNT NUMBER', 'ERROR_LIMIT NUMBER', 'STATUS VARCHAR', 'TABLE_CATALOG_NAME VARCHAR', 'TABLE_SCHEMA_NAME VARCHAR', 'TABLE_NAME VARCHAR',
      'PIPE_CATALOG_NAME VARCHAR', 'PIPE_SCHEMA_NAME VARCHAR', 'PIPE_NAME VARCHAR', 'PIPE_RECEIVED_TIME TIMESTAMP_LTZ', 'FIRST_COMMIT_TIME TIMESTAMP_LTZ',
    ]);
    if (fn.plan.kind !== 'values') throw new Error('not values');
    const ns = BigInt(loadedAt) * 1_000_000n;
    expect(fn.plan.rows.map((r) => r.map((e) => (e.kind === 'literal' ? e.value : e.kind)))).toEqual([
      ['file:///src/b.csv', null, ns, 3n, 4n, 40n, 'bad number', 3n, 5n, '"T"["A":1]', 1n, 4n, 'Partially loaded', 'DB', 'S', 'T', null, null, null, null, null],
      ['file:///src/a.csv', null, ns, 2n, 2n, 20n, null, null, null, null, 0n, 1n, 'Loaded', 'DB', 'S', 'T', null, null, null, null, null],
    ]);
  });

  it('cuts by START_TIME and END_TIME, by the 14-day window, and answers nothing for another table', () => {
    const q = (args: string, where = at) => cells(`SELECT * FROM TABLE(DB.INFORMATION_SCHEMA.COPY_HISTORY(${args}))`, ['FILE_NAME'], where).map((r) => r[0]);
    const iso = (ms: number) => `'${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'::TIMESTAMP`;
    expect(q(`'s.t', ${iso(loadedAt)}, ${iso(loadedAt)}`)).toEqual(['file:///src/b.csv', 'file:///src/a.csv']);
    expect(q(`TABLE_NAME => 'DB.S.T', START_TIME => ${iso(loadedAt + 1)}`)).toEqual([]);
    expect(q(`TABLE_NAME => 'T', START_TIME => ${iso(loadedAt - 60_000)}, END_TIME => ${iso(loadedAt - 1)}`)).toEqual([]);
    expect(q(`TABLE_NAME => 'U', START_TIME => ${iso(loadedAt - 60_000)}`)).toEqual([]);
    const later = { ...at, travel: { ...at.travel!, startMs: loadedAt + 15 * DAY } };
    expect(q(`TABLE_NAME => 'T', START_TIME => ${iso(loadedAt - 60_000)}`, later)).toEqual([]);
  });

  it('needs TABLE_NAME and START_TIME, and a table the role sees', () => {
    expect(fail("SELECT * FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'T'))", at)).toEqual(['001044', 'SQL compilation error: function COPY_HISTORY requires argument START_TIME']);
    expect(fail("SELECT * FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(START_TIME => CURRENT_TIMESTAMP()))", at)?.[1]).toBe('SQL compilation error: function COPY_HISTORY requires argument TABLE_NAME');
    expect(fail("SELECT * FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY('NOPE', '2020-01-01'::TIMESTAMP))", at)).toEqual([
      '002003', "SQL compilation error: Object 'DB.S.NOPE' does not exist or not authorized.",
    ]);
    const alice = { ...asAlice({ database: 'DB', schema: 'S' }), travel: at.travel };
    expect(fail("SELECT * FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY('T', '2020-01-01'::TIMESTAMP))", alice)?.[0]).toBe('002003');
    const db = catalog.getDatabase('DB')!;
    const schema = catalog.getSchema('DB', 'S')!;
    const grant = (kind: 'DATABASE' | 'SCHEMA' | 'TABLE', objectId: number, privilege: string) => catalog.grants.grantPrivilege({ kind, objectId, privilege, role: 'R', grantOption: false, grantedBy: null });
    grant('DATABASE', db.id, 'USAGE');
    grant('SCHEMA', schema.id, 'USAGE');
    grant('TABLE', catalog.getTable('DB', 'S', 'T')!.id, 'INSERT');
    const granted = { ...alice, session: { ...alice.session, privileges: RolePrivileges.forSession(catalog.grants, 'ALICE', 'R') } };
    expect(cells("SELECT * FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY('T', '2020-01-01'::TIMESTAMP))", ['STATUS'], granted)).toEqual([['Partially loaded'], ['Loaded']]);
  });
});

describe('INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY', () => {
  const hour = NOW - HOUR;
  beforeEach(() => {
    // W: 30 s of MEDIUM in the last hour, billed as its 60 s minimum (4 / 60 credits); V: 90 s of XSMALL two hours before.
    catalog.usage.startSegment({ warehouseId: 4, warehouseName: 'W', cluster: 1, size: 'MEDIUM', runStartedAt: hour + 60_000, startedAt: hour + 60_000 });
    catalog.usage.endSegment(4, 1, hour + 90_000);
    catalog.usage.startSegment({ warehouseId: 5, warehouseName: 'V', cluster: 1, size: 'XSMALL', runStartedAt: hour - 2 * HOUR, startedAt: hour - 2 * HOUR });
    catalog.usage.endSegment(5, 1, hour - 2 * HOUR + 90_000);
  });
  const q = (args: string, at: BindContext = ctx) => cells(`SELECT * FROM TABLE(INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY(${args}))`, ['START_TIME', 'END_TIME', 'WAREHOUSE_NAME', 'CREDITS_USED', 'CREDITS_USED_COMPUTE', 'CREDITS_USED_CLOUD_SERVICES'], at);
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;

  it('answers credits per warehouse per hour over the range, ordered by warehouse name, then hour', () => {
    const fn = bindTableFunction(ctx, fnRef("SELECT * FROM TABLE(INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY('2026-03-10'::DATE))"));
    expect(fn.columns.map((c) => [c.name, c.type])).toEqual([
      ['START_TIME', { kind: 'TIMESTAMP_LTZ' }],
      ['END_TIME', { kind: 'TIMESTAMP_LTZ' }],
      ['WAREHOUSE_NAME', { kind: 'VARCHAR' }],
      ['CREDITS_USED', { kind: 'NUMBER', precision: 38, scale: 9 }],
      ['CREDITS_USED_COMPUTE', { kind: 'NUMBER', precision: 38, scale: 9 }],
      ['CREDITS_USED_CLOUD_SERVICES', { kind: 'NUMBER', precision: 38, scale: 9 }],
    ]);
    const all = [
      [ns(hour - 2 * HOUR), ns(hour - HOUR), 'V', 25_000_000n, 25_000_000n, 0n],
      [ns(hour), ns(NOW), 'W', 66_666_667n, 66_666_667n, 0n],
    ];
    expect(q("DATE_RANGE_START => '2026-03-10'::DATE")).toEqual(all);
    expect(q("'2026-03-10', '2026-03-11'")).toEqual(all);
    expect(q("DATE_RANGE_START => '2026-03-10', WAREHOUSE_NAME => 'w'")).toEqual([all[1]]);
    expect(q("DATE_RANGE_START => '2026-03-09', DATE_RANGE_END => '2026-03-10'")).toEqual([]);
    // An hour that overlaps the range counts; one that ends at its start does not.
    expect(q("DATE_RANGE_START => DATEADD(minute, -30, '2026-03-10 10:00:00'::TIMESTAMP)")).toEqual(all);
    expect(q("DATE_RANGE_START => '2026-03-10 10:00:00'::TIMESTAMP")).toEqual([all[1]]);
  });

  it('needs DATE_RANGE_START, and answers nothing to a role without ACCOUNTADMIN', () => {
    expect(fail('SELECT * FROM TABLE(INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY())')).toEqual(['001044', 'SQL compilation error: function WAREHOUSE_METERING_HISTORY requires argument DATE_RANGE_START']);
    expect(q("'2026-03-10'", asAlice())).toEqual([]);
  });
});

describe('SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY', () => {
  it('has Snowflake\'s columns and one row per warehouse per hour, credits as NUMBER(38, 9)', () => {
    const hour = NOW - HOUR;
    catalog.usage.startSegment({ warehouseId: 4, warehouseName: 'W', cluster: 1, size: 'MEDIUM', runStartedAt: hour + 60_000, startedAt: hour + 60_000 });
    catalog.usage.endSegment(4, 1, hour + 90_000);
    const bound = bindSystemView(ctx, { parts: ['SNOWFLAKE', 'ACCOUNT_USAGE', 'WAREHOUSE_METERING_HISTORY'] })!;
    expect(bound.view.columns.map((c) => [c.name, c.type])).toEqual([
      ['START_TIME', { kind: 'TIMESTAMP_LTZ' }],
      ['END_TIME', { kind: 'TIMESTAMP_LTZ' }],
      ['WAREHOUSE_ID', { kind: 'NUMBER', precision: 38, scale: 0 }],
      ['WAREHOUSE_NAME', { kind: 'VARCHAR' }],
      ['CREDITS_USED', { kind: 'NUMBER', precision: 38, scale: 9 }],
      ['CREDITS_USED_COMPUTE', { kind: 'NUMBER', precision: 38, scale: 9 }],
      ['CREDITS_USED_CLOUD_SERVICES', { kind: 'NUMBER', precision: 38, scale: 9 }],
    ]);
    // 30 s of MEDIUM billed as its 60 s minimum: 4 / 60 credits.
    const rows = bound.view.rows(catalog, '', { nowMs: NOW, defaultRetentionDays: 1 }, { table: () => true, schema: () => true, database: () => true, view: () => true, ownsView: () => true, listed: (name: string) => ({ name, temporary: false }), sequence: () => true }, []);
    expect(rows).toEqual([[new Date(hour), new Date(hour + HOUR), 4n, 'W', 66_666_667n, 66_666_667n, 0n]]);
  });
});
