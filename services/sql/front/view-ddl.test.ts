import { describe, expect, it } from 'vitest';
import { NotSupportedError, SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import { parseSql } from '../parse-sql.js';

function one(sql: string) {
  const [st] = parseSql(sql);
  return st;
}

describe('CREATE VIEW and DROP VIEW', () => {
  it('keeps the statement and its query as written, with the column list, COPY GRANTS and COMMENT', () => {
    const sql = "CREATE OR REPLACE SECURE VIEW db.s.v (a, \"b\" COMMENT 'the b') COPY GRANTS COMMENT = 'totals' AS\n  SELECT x, /* kept */ y FROM t -- and this\n";
    const st = one(sql);
    expect(st.kind).toBe('create_view');
    if (st.kind !== 'create_view') return;
    expect({ ...st, query: undefined }).toEqual({
      kind: 'create_view',
      name: { parts: ['DB', 'S', 'V'] },
      columns: ['A', 'b'],
      secure: true,
      ifNotExists: false,
      orReplace: true,
      copyGrants: true,
      comment: 'totals',
      query: undefined,
      text: "CREATE OR REPLACE SECURE VIEW db.s.v (a, \"b\" COMMENT 'the b') COPY GRANTS COMMENT = 'totals' AS\n  SELECT x, /* kept */ y FROM t",
      queryText: 'SELECT x, /* kept */ y FROM t',
    });
    expect(st.query.body.kind).toBe('select');
  });

  it('takes each statement of a script its own text', () => {
    const [a, b] = parseSql('CREATE VIEW v1 AS SELECT 1 AS one;CREATE VIEW IF NOT EXISTS v2 AS (SELECT 2 AS two)');
    expect(a.kind === 'create_view' && [a.text, a.queryText]).toEqual(['CREATE VIEW v1 AS SELECT 1 AS one', 'SELECT 1 AS one']);
    expect(b.kind === 'create_view' && [b.text, b.queryText, b.ifNotExists]).toEqual(['CREATE VIEW IF NOT EXISTS v2 AS (SELECT 2 AS two)', '(SELECT 2 AS two)', true]);
  });

  it('DROP VIEW [IF EXISTS]', () => {
    expect(one('DROP VIEW IF EXISTS s.v')).toEqual({ kind: 'drop_view', name: { parts: ['S', 'V'] }, ifExists: true });
    expect(one('drop view v')).toEqual({ kind: 'drop_view', name: { parts: ['V'] }, ifExists: false });
  });

  it('refuses materialized and recursive views, policies and tags as not supported, and a missing AS as a syntax error', () => {
    expect(() => parseSql('CREATE MATERIALIZED VIEW mv AS SELECT 1')).toThrow(NotSupportedError);
    expect(() => parseSql('CREATE OR REPLACE SECURE MATERIALIZED VIEW mv AS SELECT 1')).toThrow(NotSupportedError);
    expect(() => parseSql('CREATE RECURSIVE VIEW r (n) AS SELECT 1')).toThrow(NotSupportedError);
    expect(() => parseSql('CREATE VIEW v WITH ROW ACCESS POLICY p ON (a) AS SELECT 1 AS a')).toThrow(NotSupportedError);
    expect(() => parseSql('CREATE VIEW v SELECT 1')).toThrow(SqlSyntaxError);
    expect(() => parseSql('CREATE OR REPLACE VIEW IF NOT EXISTS v AS SELECT 1')).toThrow();
  });
});
