import { describe, expect, it } from 'vitest';
import { parseSql } from '../sql/parse-sql.js';
import type { Statement } from '../sql/ast.js';
import { firnVersion } from './firn-version.js';
import { appendQueryId, MAX_SESSION_QUERY_IDS, withSessionValues } from './session-functions.js';
import type { SessionContext } from './statement-result.js';

const session: SessionContext = {
  database: 'DB',
  schema: 'S',
  warehouse: null,
  user: 'ALICE',
  role: 'ANALYST',
  history: { ids: ['q1', 'q2', 'q3'], dropped: 0 },
};

const NULL_TEXT = { kind: 'cast', expr: { kind: 'null' }, type: { name: 'VARCHAR', params: [] }, try: false };

/** The select items of `SELECT ...` after substitution. */
function items(sql: string, s: SessionContext = session): unknown[] {
  const st = withSessionValues(parseSql(sql)[0], s);
  if (st.kind !== 'query' || st.query.body.kind !== 'select') throw new Error('expected a SELECT');
  return st.query.body.items;
}

describe('session functions', () => {
  it('replace each context function by the session value, named as Snowflake names the column', () => {
    expect(items('SELECT CURRENT_USER(), current_role(), CURRENT_DATABASE() AS d, CURRENT_SCHEMA(), CURRENT_WAREHOUSE()')).toEqual([
      { kind: 'expr', expr: { kind: 'string', value: 'ALICE' }, alias: 'CURRENT_USER()' },
      { kind: 'expr', expr: { kind: 'string', value: 'ANALYST' }, alias: 'CURRENT_ROLE()' },
      { kind: 'expr', expr: { kind: 'string', value: 'DB' }, alias: 'D' },
      { kind: 'expr', expr: { kind: 'string', value: 'S' }, alias: 'CURRENT_SCHEMA()' },
      { kind: 'expr', expr: NULL_TEXT, alias: 'CURRENT_WAREHOUSE()' },
    ]);
    expect(items('SELECT CURRENT_SESSION()', { ...session, sessionId: 1_700_000_000_000_123 })).toEqual([
      { kind: 'expr', expr: { kind: 'string', value: '1700000000000123' }, alias: 'CURRENT_SESSION()' },
    ]);
    expect(items('SELECT CURRENT_SESSION()')).toEqual([{ kind: 'expr', expr: NULL_TEXT, alias: 'CURRENT_SESSION()' }]);
  });

  it('LAST_QUERY_ID counts from the first statement with n > 0 and from the newest with n < 0', () => {
    const values = items('SELECT LAST_QUERY_ID(), LAST_QUERY_ID(-1), LAST_QUERY_ID(-3), LAST_QUERY_ID(1), LAST_QUERY_ID(2), LAST_QUERY_ID(4), LAST_QUERY_ID(-4), LAST_QUERY_ID(0)').map(
      (i) => (i as { expr: unknown }).expr,
    );
    expect(values).toEqual([
      { kind: 'string', value: 'q3' },
      { kind: 'string', value: 'q3' },
      { kind: 'string', value: 'q1' },
      { kind: 'string', value: 'q1' },
      { kind: 'string', value: 'q2' },
      NULL_TEXT,
      NULL_TEXT,
      NULL_TEXT,
    ]);
    expect((items('SELECT LAST_QUERY_ID()', { ...session, history: undefined })[0] as { expr: unknown }).expr).toEqual(NULL_TEXT);
  });

  it('reach every clause and statement, and leave a statement without them as it is', () => {
    const st = withSessionValues(parseSql("INSERT INTO t SELECT x FROM u WHERE owner = CURRENT_USER() AND id IN (SELECT id FROM v WHERE q = LAST_QUERY_ID(-2))")[0], session);
    expect(JSON.stringify(st)).not.toMatch(/CURRENT_USER|LAST_QUERY_ID/);
    expect(JSON.stringify(st)).toContain('{"kind":"string","value":"ALICE"}');
    expect(JSON.stringify(st)).toContain('{"kind":"string","value":"q2"}');
    const plain: Statement = parseSql('SELECT a FROM t')[0];
    expect(withSessionValues(plain, session)).toBe(plain);
  });

  it('replace the account, region, version, session and statement functions', () => {
    const sql = 'SELECT CURRENT_ACCOUNT(), CURRENT_REGION(), CURRENT_VERSION(), CURRENT_SESSION(), CURRENT_STATEMENT()';
    const st = withSessionValues(parseSql(sql)[0], { ...session, sessionId: 42 }, sql);
    if (st.kind !== 'query' || st.query.body.kind !== 'select') throw new Error('expected a SELECT');
    expect(st.query.body.items).toEqual([
      { kind: 'expr', expr: { kind: 'string', value: 'FIRN' }, alias: 'CURRENT_ACCOUNT()' },
      { kind: 'expr', expr: { kind: 'string', value: 'LOCAL' }, alias: 'CURRENT_REGION()' },
      { kind: 'expr', expr: { kind: 'string', value: firnVersion() }, alias: 'CURRENT_VERSION()' },
      { kind: 'expr', expr: { kind: 'string', value: '42' }, alias: 'CURRENT_SESSION()' },
      { kind: 'expr', expr: { kind: 'string', value: sql }, alias: 'CURRENT_STATEMENT()' },
    ]);
    expect(firnVersion()).toMatch(/^\d+\.\d+\.\d+/);
    // Without a session id or a statement text they are NULL.
    expect(items('SELECT CURRENT_SESSION(), CURRENT_STATEMENT()').map((i) => (i as { expr: unknown }).expr)).toEqual([NULL_TEXT, NULL_TEXT]);
  });

  it('IS_ROLE_IN_SESSION: a literal against the role and its inherited roles, an expression as an IN list', () => {
    const value = (sql: string, s: SessionContext = session) => (items(sql, s)[0] as { expr: unknown }).expr;
    expect(value("SELECT IS_ROLE_IN_SESSION('analyst')")).toEqual({ kind: 'boolean', value: true });
    expect(value("SELECT IS_ROLE_IN_SESSION('public')")).toEqual({ kind: 'boolean', value: true });
    expect(value("SELECT IS_ROLE_IN_SESSION('\"analyst\"')")).toEqual({ kind: 'boolean', value: false });
    expect(value("SELECT IS_ROLE_IN_SESSION('SYSADMIN')")).toEqual({ kind: 'boolean', value: false });
    expect(value('SELECT IS_ROLE_IN_SESSION(NULL)')).toEqual({ kind: 'cast', expr: { kind: 'null' }, type: { name: 'BOOLEAN', params: [] }, try: false });
    expect(value('SELECT IS_ROLE_IN_SESSION(r) FROM t')).toEqual({
      kind: 'in_list',
      expr: { kind: 'function', name: 'UPPER', args: [{ kind: 'column', table: null, name: 'R' }], distinct: false, star: false },
      list: [
        { kind: 'string', value: 'ANALYST' },
        { kind: 'string', value: 'PUBLIC' },
      ],
      negated: false,
    });
    expect(() => items('SELECT IS_ROLE_IN_SESSION()')).toThrow('it takes one argument, a role name');
  });

  it('refuse arguments they do not take', () => {
    expect(() => items('SELECT CURRENT_USER(1)')).toThrow("Invalid argument types for function 'CURRENT_USER'");
    expect(() => items('SELECT LAST_QUERY_ID(1, 2)')).toThrow('at most one argument');
    expect(() => items('SELECT LAST_QUERY_ID(a)')).toThrow('must be an integer constant');
  });

  it('keep the newest ids of a long session, still counting positions from its first statement', () => {
    let history = appendQueryId(undefined, 'first');
    for (let i = 2; i <= MAX_SESSION_QUERY_IDS + 5; i++) history = appendQueryId(history, `q${i}`);
    expect(history.ids.length).toBe(MAX_SESSION_QUERY_IDS);
    expect(history.dropped).toBe(5);
    const s = { ...session, history };
    const value = (sql: string) => (items(sql, s)[0] as { expr: unknown }).expr;
    expect(value('SELECT LAST_QUERY_ID(1)')).toEqual(NULL_TEXT);
    expect(value('SELECT LAST_QUERY_ID(6)')).toEqual({ kind: 'string', value: 'q6' });
    expect(value('SELECT LAST_QUERY_ID()')).toEqual({ kind: 'string', value: `q${MAX_SESSION_QUERY_IDS + 5}` });
  });
});
