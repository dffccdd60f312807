import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import { parseSql } from '../parse-sql.js';

function one(sql: string) {
  const [st] = parseSql(sql);
  return st;
}

describe('CREATE TRANSIENT TABLE', () => {
  it('marks plain, AS SELECT and CLONE forms transient; other transient objects are not supported', () => {
    const plain = one('CREATE OR REPLACE TRANSIENT TABLE t (a INT)');
    expect(plain.kind === 'create_table' && [plain.transient, plain.orReplace]).toEqual([true, true]);
    const ctas = one('CREATE TRANSIENT TABLE t AS SELECT 1 AS a');
    expect(ctas.kind === 'create_table' && [ctas.transient, ctas.asQuery !== null]).toEqual([true, true]);
    const clone = one('CREATE TRANSIENT TABLE t CLONE s');
    expect(clone.kind === 'create_clone' && [clone.transient, clone.objectType]).toEqual([true, 'TABLE']);
    const permanent = one('CREATE TABLE t (a INT)');
    expect(permanent.kind === 'create_table' && permanent.transient).toBe(undefined);
    expect(() => parseSql('CREATE TRANSIENT SCHEMA s')).toThrow(NotSupportedError);
  });
});

describe('CREATE TEMPORARY TABLE | VIEW', () => {
  it('reads every spelling of TEMPORARY, for tables (also AS SELECT) and views; other temporary objects are not supported', () => {
    for (const sql of ['CREATE TEMPORARY TABLE t (a INT)', 'CREATE OR REPLACE TEMP TABLE t (a INT)', 'CREATE LOCAL TEMPORARY TABLE t (a INT)', 'CREATE GLOBAL TEMP TABLE t (a INT)', 'CREATE VOLATILE TABLE t (a INT)']) {
      const st = one(sql);
      expect([sql, st.kind === 'create_table' && st.temporary]).toEqual([sql, true]);
    }
    const ctas = one('CREATE TEMPORARY TABLE t AS SELECT 1 AS a');
    expect(ctas.kind === 'create_table' && [ctas.temporary, ctas.asQuery !== null]).toEqual([true, true]);
    const view = one('CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1 AS a');
    expect(view.kind === 'create_view' && [view.temporary, view.orReplace, view.queryText]).toEqual([true, true, 'SELECT 1 AS a']);
    const secure = one('CREATE TEMP SECURE VIEW v AS SELECT 1 AS a');
    expect(secure.kind === 'create_view' && [secure.temporary, secure.secure]).toEqual([true, true]);
    expect(one('CREATE VIEW v AS SELECT 1 AS a').kind === 'create_view' && (one('CREATE VIEW v AS SELECT 1 AS a') as { temporary?: true }).temporary).toBe(undefined);
    expect(() => parseSql('CREATE TEMPORARY TABLE t CLONE s')).toThrow(NotSupportedError);
    expect(() => parseSql('CREATE TEMPORARY SEQUENCE s')).toThrow(NotSupportedError);
    expect(() => parseSql('CREATE LOCAL VIEW v AS SELECT 1')).toThrow();
  });
});
