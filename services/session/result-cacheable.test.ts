import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { bindQuery } from '../plan/bind-query.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { parseSql } from '../sql/parse-sql.js';
import { resultCacheEntry, resultCacheText, tableVersions } from './result-cacheable.js';
import { requestParameters } from './session-parameters.js';

const one = (sql: string) => {
  const [st] = parseSql(sql);
  return st;
};
const text = (sql: string) => resultCacheText(one(sql));

describe('resultCacheText', () => {
  it('is the same for texts that differ only in whitespace, comments and the case of keywords and unquoted names', () => {
    const base = text('SELECT a + 1, SUM(b) FROM t WHERE c = \'x\' GROUP BY 1');
    expect(base).not.toBeNull();
    expect(text('select  A+1,sum(B)\n  from T -- why\n where C = \'x\' /* c */ group by 1;')).toBe(base);
  });

  it('differs for anything else: an alias, a string literal\'s case, a quoted name, another number', () => {
    const base = text('SELECT a FROM t');
    for (const other of ['SELECT a FROM t x', "SELECT a FROM t WHERE b = 'X'", 'SELECT a FROM "t"', 'SELECT a AS a2 FROM t', 'SELECT a FROM t LIMIT 1']) {
      expect(text(other), other).not.toBe(base);
      expect(text(other), other).not.toBeNull();
    }
    expect(text('SELECT 1.0')).not.toBe(text('SELECT 1.00'));
  });

  it('refuses queries calling non-reusable functions (Snowflake: RANDOM, UUID_STRING, RANDSTR; the clock and session context), anywhere in the statement', () => {
    for (const sql of [
      'SELECT RANDOM()',
      'SELECT uuid_string() FROM t',
      'SELECT a FROM t WHERE d < CURRENT_TIMESTAMP',
      'SELECT CURRENT_TIMESTAMP',
      'SELECT current_date() FROM t',
      'SELECT SYSDATE()',
      'SELECT a FROM t ORDER BY RANDOM()',
      'SELECT a FROM (SELECT a, GETDATE() AS g FROM t)',
      'WITH x AS (SELECT CURRENT_WAREHOUSE() AS w) SELECT * FROM x',
      'SELECT a FROM t WHERE a IN (SELECT SEQ4() FROM u)',
      'SELECT SYSTEM$CLUSTERING_INFORMATION(\'t\')',
    ]) {
      expect(text(sql), sql).toBeNull();
    }
  });

  it('refuses queries over INFORMATION_SCHEMA and the SNOWFLAKE database', () => {
    expect(text('SELECT * FROM INFORMATION_SCHEMA.LOAD_HISTORY')).toBeNull();
    expect(text('SELECT * FROM db.information_schema.table_storage_metrics')).toBeNull();
    expect(text('SELECT COUNT(*) FROM t JOIN SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY q ON TRUE')).toBeNull();
    expect(text('SELECT * FROM snowflake.account_usage.warehouse_metering_history')).toBeNull();
    expect(text('SELECT * FROM SNOWFLAKE')).not.toBeNull();
    // Unqualified, as it is found while the session's schema is INFORMATION_SCHEMA.
    expect(text('SELECT * FROM TABLE(QUERY_HISTORY(RESULT_LIMIT => 5))')).toBeNull();
  });

  it('refuses everything but a query: EXPLAIN, DML, DDL, SHOW', () => {
    for (const sql of ['EXPLAIN SELECT a FROM t', 'INSERT INTO t SELECT a FROM u', 'DELETE FROM t', 'CREATE TABLE x AS SELECT 1 AS a', 'SHOW TABLES', 'ALTER SESSION SET USE_CACHED_RESULT = FALSE']) {
      expect(text(sql), sql).toBeNull();
    }
  });
});

describe('tableVersions and resultCacheEntry', () => {
  let home: string;
  let catalog: SqliteCatalog;
  const session = { database: 'D', schema: 'S', warehouse: 'W' };
  const part = (key: string) => ({ objectKey: key, rowCount: 1, byteSize: 10, zoneMap: { rowCount: 1, byteSize: 10, columns: {} } });

  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'firn-result-cacheable-'));
    catalog = new SqliteCatalog(home);
    catalog.createDatabase('D', { schema: 'S' });
    const cols = [{ name: 'A', type: Types.number(38, 0), nullable: true }];
    const t = catalog.createTable('D', 'S', 'T', cols, { queryId: 'q-create-t' });
    catalog.createTable('D', 'S', 'U', cols, { queryId: 'q-create-u' });
    catalog.commitTable(t.id, { baseVersion: 0, queryId: 'q-insert-1', operation: 'INSERT', added: [part('k1')], removedIds: [] });
    catalog.commitTable(t.id, { baseVersion: 1, queryId: 'q-insert-2', operation: 'INSERT', added: [part('k2')], removedIds: [] });
  });

  afterEach(() => {
    catalog.close();
    rmSync(home, { recursive: true, force: true });
  });

  function bind(sql: string): { plan: LogicalPlan; initPlans: LogicalPlan[] } {
    const st = one(sql);
    if (st.kind !== 'query') throw new Error('not a query');
    const initPlans: LogicalPlan[] = [];
    const history = new Map([['q-insert-1', Date.now()]]);
    const plan = bindQuery({ catalog, session, initPlans, travel: { startMs: Date.now(), statementStart: (id) => history.get(id) ?? null, defaultRetentionDays: 1 } }, st.query);
    return { plan, initPlans };
  }

  it('lists every table scanned with its version: joins, time travel at its resolved version, init plans', () => {
    const t = catalog.getTable('D', 'S', 'T')!;
    const u = catalog.getTable('D', 'S', 'U')!;
    expect(tableVersions(bind('SELECT 1'))).toEqual(new Map());
    expect(tableVersions(bind('SELECT a FROM t'))).toEqual(new Map([[t.id, new Set([2])]]));
    const planned = bind("SELECT x.a FROM t x JOIN t AT(STATEMENT => 'q-insert-1') y ON x.a = y.a WHERE x.a > (SELECT MAX(a) FROM u)");
    expect(planned.initPlans.length).toBe(1);
    expect(tableVersions(planned)).toEqual(
      new Map([
        [t.id, new Set([2, 1])],
        [u.id, new Set([0])],
      ]),
    );
  });

  it('keys on the text, the session role, database, schema and TIMEZONE (not its warehouse); reuse follows USE_CACHED_RESULT', () => {
    const sql = 'SELECT a FROM t';
    const entry = resultCacheEntry(one(sql), { ...session, role: 'ANALYST' }, requestParameters({}), bind(sql));
    expect(entry).toEqual({
      key: { text: `${text(sql)}\u0000tz:America/Los_Angeles`, role: 'ANALYST', database: 'D', schema: 'S' },
      versions: new Map([[catalog.getTable('D', 'S', 'T')!.id, new Set([2])]]),
      reuse: true,
    });
    expect(resultCacheEntry(one(sql), session, requestParameters({ useCachedResult: false }), bind(sql))!.reuse).toBe(false);
    // Another TIMEZONE is another key: LTZ/TZ conversions depend on it.
    expect(resultCacheEntry(one(sql), session, requestParameters({ timezone: 'UTC' }), bind(sql))!.key.text).toBe(`${text(sql)}\u0000tz:UTC`);
    expect(resultCacheEntry(one('SELECT RANDOM()'), session, requestParameters({}), bind('SELECT 1'))).toBeNull();
  });
});
