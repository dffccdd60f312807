import { describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError, SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { parseSql } from '../parse-sql.js';

function one(sql: string): Statement {
  const statements = parseSql(sql);
  expect(statements).toHaveLength(1);
  return statements[0];
}

function code(sql: string): string {
  try {
    parseSql(sql);
  } catch (err) {
    return (err as CompilationError).code;
  }
  throw new Error(`parsed: ${sql}`);
}

describe('CREATE SEQUENCE', () => {
  it('defaults to START 1 INCREMENT 1, neither ORDER nor NOORDER, no comment', () => {
    expect(one('CREATE SEQUENCE s')).toEqual({ kind: 'create_sequence', name: { parts: ['S'] }, orReplace: false, ifNotExists: false, start: '1', increment: '1', ordered: null, comment: null });
  });

  it('reads every spelling of START and INCREMENT, signs, ORDER | NOORDER and COMMENT', () => {
    for (const sql of [
      "CREATE OR REPLACE SEQUENCE db.sc.s WITH START WITH = -10 INCREMENT BY = -2 ORDER COMMENT = 'c'",
      "CREATE OR REPLACE SEQUENCE db.sc.s START -10 INCREMENT -2 ORDER COMMENT = 'c'",
      "CREATE OR REPLACE SEQUENCE db.sc.s START = -10, INCREMENT = -2, ORDER, COMMENT = 'c'",
      "CREATE OR REPLACE SEQUENCE db.sc.s COMMENT = 'c' ORDER INCREMENT BY -2 START WITH -10",
    ]) {
      expect([sql, one(sql)]).toEqual([sql, { kind: 'create_sequence', name: { parts: ['DB', 'SC', 'S'] }, orReplace: true, ifNotExists: false, start: '-10', increment: '-2', ordered: true, comment: 'c' }]);
    }
    expect(one('CREATE SEQUENCE IF NOT EXISTS "q" START 9223372036854775807 NOORDER')).toMatchObject({ name: { parts: ['q'] }, ifNotExists: true, start: '9223372036854775807', ordered: false });
    expect(one('CREATE SEQUENCE s START -9223372036854775808')).toMatchObject({ start: '-9223372036854775808' });
  });

  it('refuses values outside 64 bits and an INCREMENT of 0 (390241), repeated or unknown options (syntax)', () => {
    expect(code('CREATE SEQUENCE s START 9223372036854775808')).toBe('390241');
    expect(code('CREATE SEQUENCE s START -9223372036854775809')).toBe('390241');
    expect(code('CREATE SEQUENCE s INCREMENT 0')).toBe('390241');
    expect(() => parseSql('CREATE SEQUENCE s START 1 START 2')).toThrow(SqlSyntaxError);
    expect(() => parseSql('CREATE SEQUENCE s ORDER NOORDER')).toThrow(SqlSyntaxError);
    expect(() => parseSql('CREATE SEQUENCE s CYCLE')).toThrow(SqlSyntaxError);
    expect(() => parseSql('CREATE SEQUENCE s START 1.5')).toThrow(SqlSyntaxError);
    expect(() => parseSql('CREATE OR REPLACE SEQUENCE IF NOT EXISTS s')).toThrow(CompilationError);
    expect(() => parseSql('CREATE TEMPORARY SEQUENCE s')).toThrow(NotSupportedError);
  });
});

describe('ALTER, DROP, SHOW and DESCRIBE SEQUENCE', () => {
  it('reads RENAME TO, [SET] INCREMENT, SET ORDER | NOORDER and COMMENT, UNSET COMMENT', () => {
    expect(one('ALTER SEQUENCE IF EXISTS s RENAME TO sc.t')).toEqual({ kind: 'alter_sequence', name: { parts: ['S'] }, ifExists: true, action: { kind: 'rename', to: { parts: ['SC', 'T'] } } });
    expect(one('ALTER SEQUENCE s INCREMENT BY 5')).toMatchObject({ ifExists: false, action: { kind: 'set', increment: '5' } });
    expect(one('ALTER SEQUENCE s SET INCREMENT = -5')).toMatchObject({ action: { kind: 'set', increment: '-5' } });
    expect(one("ALTER SEQUENCE s SET NOORDER COMMENT = 'x'")).toMatchObject({ action: { kind: 'set', ordered: false, comment: 'x' } });
    expect(one('ALTER SEQUENCE s UNSET COMMENT')).toMatchObject({ action: { kind: 'unset_comment' } });
    expect(() => parseSql('ALTER SEQUENCE s ORDER')).toThrow(SqlSyntaxError);
    expect(() => parseSql('ALTER SEQUENCE s SET')).toThrow(SqlSyntaxError);
    expect(code('ALTER SEQUENCE s SET INCREMENT 0')).toBe('390241');
  });

  it('reads DROP [IF EXISTS] with CASCADE | RESTRICT, DESCRIBE, and SHOW in a schema, database or the account', () => {
    expect(one('DROP SEQUENCE IF EXISTS d.s.q CASCADE')).toEqual({ kind: 'drop_sequence', name: { parts: ['D', 'S', 'Q'] }, ifExists: true });
    expect(one('DROP SEQUENCE q RESTRICT')).toEqual({ kind: 'drop_sequence', name: { parts: ['Q'] }, ifExists: false });
    expect(one('DESC SEQUENCE s.q')).toEqual({ kind: 'describe_sequence', name: { parts: ['S', 'Q'] } });
    expect(one("SHOW SEQUENCES LIKE 'a%' IN SCHEMA d.s")).toEqual({ kind: 'show', objectType: 'SEQUENCES', in: { parts: ['D', 'S'] }, like: 'a%', history: false });
    expect(one('SHOW SEQUENCES IN DATABASE d')).toEqual({ kind: 'show', objectType: 'SEQUENCES', in: { parts: ['D'] }, like: null, history: false, scope: 'DATABASE' });
    expect(one('SHOW SEQUENCES IN DATABASE')).toMatchObject({ in: null, scope: 'DATABASE' });
    expect(one('SHOW SEQUENCES IN ACCOUNT')).toMatchObject({ in: null, scope: 'ACCOUNT' });
    expect(one('SHOW SEQUENCES')).toEqual({ kind: 'show', objectType: 'SEQUENCES', in: null, like: null, history: false });
    expect(() => parseSql('SHOW TABLES IN ACCOUNT')).toThrow(NotSupportedError);
  });

  it('reads GRANT and REVOKE ON SEQUENCE; only USAGE (and OWNERSHIP) apply', () => {
    expect(one('GRANT USAGE ON SEQUENCE d.s.q TO ROLE r')).toMatchObject({ kind: 'grant_privileges', privileges: ['USAGE'], on: { kind: 'SEQUENCE', name: { parts: ['D', 'S', 'Q'] } }, role: 'R' });
    expect(one('REVOKE USAGE ON SEQUENCE q FROM ROLE r')).toMatchObject({ revoke: true, on: { kind: 'SEQUENCE', name: { parts: ['Q'] } } });
    expect(one('GRANT CREATE SEQUENCE ON SCHEMA s TO ROLE r')).toMatchObject({ privileges: ['CREATE SEQUENCE'], on: { kind: 'SCHEMA' } });
    expect(() => parseSql('GRANT SELECT ON SEQUENCE q TO ROLE r')).toThrow(/Invalid privilege SELECT on SEQUENCE/);
    expect(one('SHOW GRANTS ON SEQUENCE q')).toMatchObject({ kind: 'show_grants', of: { kind: 'ON', target: { kind: 'SEQUENCE' } } });
  });
});

describe('seq.NEXTVAL in expressions', () => {
  const items = (sql: string) => {
    const st = one(sql);
    if (st.kind !== 'query' || st.query.body.kind !== 'select') throw new Error('not a select');
    return st.query.body.items.map((i) => (i.kind === 'expr' ? i.expr : i));
  };

  it('reads one to three name parts, unquoted upper-cased and quoted verbatim, in any expression', () => {
    expect(items('SELECT s.nextval, sc.s.NextVal, d.sc."q".NEXTVAL, s.nextval + 1')).toEqual([
      { kind: 'nextval', sequence: { parts: ['S'] } },
      { kind: 'nextval', sequence: { parts: ['SC', 'S'] } },
      { kind: 'nextval', sequence: { parts: ['D', 'SC', 'q'] } },
      { kind: 'binary', op: '+', left: { kind: 'nextval', sequence: { parts: ['S'] } }, right: { kind: 'number', text: '1' } },
    ]);
  });

  it('reads it in VALUES, INSERT and UPDATE; a bare or quoted NEXTVAL is a name, NEXTVAL() a call', () => {
    const ins = one("INSERT INTO t VALUES (s.nextval, 'a')");
    expect(ins.kind === 'insert' && ins.source.body.kind === 'values' && ins.source.body.rows[0][0]).toEqual({ kind: 'nextval', sequence: { parts: ['S'] } });
    const upd = one('UPDATE t SET a = s.nextval');
    expect(upd.kind === 'update' && upd.set[0].expr).toEqual({ kind: 'nextval', sequence: { parts: ['S'] } });
    expect(items('SELECT nextval, t."NEXTVAL"')).toEqual([
      { kind: 'column', table: null, name: 'NEXTVAL' },
      { kind: 'column', table: 'T', name: 'NEXTVAL' },
    ]);
    expect(() => parseSql('SELECT a.b.c.d.nextval')).toThrow(NotSupportedError);
  });
});

describe('column DEFAULT and AUTOINCREMENT | IDENTITY', () => {
  const columns = (sql: string) => {
    const st = one(sql);
    if (st.kind !== 'create_table') throw new Error('not a create table');
    return st.columns;
  };

  it('reads DEFAULT expressions and every identity spelling, with their nullability in any order', () => {
    expect(
      columns(
        'CREATE TABLE t (a INT AUTOINCREMENT, b INT IDENTITY (10, -5) ORDER NOT NULL, c NUMBER NOT NULL AUTOINCREMENT START 3 INCREMENT 4 NOORDER, d INT DEFAULT s.nextval, e VARCHAR DEFAULT \'x\' NOT NULL, f INT IDENTITY START WITH = 2 INCREMENT BY = 2)',
      ),
    ).toEqual([
      { name: 'A', type: { name: 'INT', params: [] }, nullable: true, identity: { start: '1', increment: '1', ordered: null } },
      { name: 'B', type: { name: 'INT', params: [] }, nullable: false, identity: { start: '10', increment: '-5', ordered: true } },
      { name: 'C', type: { name: 'NUMBER', params: [] }, nullable: false, identity: { start: '3', increment: '4', ordered: false } },
      { name: 'D', type: { name: 'INT', params: [] }, nullable: true, default: { kind: 'nextval', sequence: { parts: ['S'] } } },
      { name: 'E', type: { name: 'VARCHAR', params: [] }, nullable: false, default: { kind: 'string', value: 'x' } },
      { name: 'F', type: { name: 'INT', params: [] }, nullable: true, identity: { start: '2', increment: '2', ordered: null } },
    ]);
  });

  it('reads them in ADD COLUMN too (the DEFAULT on the action)', () => {
    expect(one('ALTER TABLE t ADD COLUMN id INT IDENTITY (1, 1)')).toMatchObject({ action: { kind: 'add_column', column: { name: 'ID', identity: { start: '1', increment: '1', ordered: null } }, default: null } });
    expect(one('ALTER TABLE t ADD id INT DEFAULT s.nextval NOT NULL')).toMatchObject({ action: { kind: 'add_column', column: { name: 'ID', nullable: false }, default: { kind: 'nextval', sequence: { parts: ['S'] } } } });
  });

  it('refuses DEFAULT with AUTOINCREMENT, either twice, a step of 0 and other column options', () => {
    expect(() => parseSql('CREATE TABLE t (a INT DEFAULT 1 AUTOINCREMENT)')).toThrow(SqlSyntaxError);
    expect(() => parseSql('CREATE TABLE t (a INT AUTOINCREMENT IDENTITY)')).toThrow(SqlSyntaxError);
    expect(() => parseSql('CREATE TABLE t (a INT IDENTITY (1))')).toThrow(SqlSyntaxError);
    expect(() => parseSql('CREATE TABLE t (a INT AUTOINCREMENT START 1)')).toThrow(SqlSyntaxError);
    expect(code('CREATE TABLE t (a INT IDENTITY (1, 0))')).toBe('390241');
    expect(() => parseSql('CREATE TABLE t (a INT PRIMARY KEY)')).toThrow(NotSupportedError);
  });
});
