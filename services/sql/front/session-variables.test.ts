import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import type { Expr, Statement } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { TokenKind, tokenize } from '../tokenizer.js';
import { col, num, one, q, query, sel, str, syntaxErrorAt } from './front-test-kit.js';

const v = (name: string, line: number, column: number): Expr => ({ kind: 'variable', name, line, column });
const mul = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '*', left, right });

describe('$name tokens', () => {
  it('are variables named in upper case; $$ strings, words with $ and $1 stay what they were', () => {
    expect(tokenize('$x $My_Var2 t$1 $$a$$').map((t) => [t.kind, t.text, t.value])).toEqual([
      [TokenKind.VARIABLE, '$x', 'X'],
      [TokenKind.VARIABLE, '$My_Var2', 'MY_VAR2'],
      [TokenKind.WORD, 't$1', 't$1'],
      [TokenKind.STRING, '$$a$$', 'a'],
      [TokenKind.EOF, '', ''],
    ]);
    expect(() => tokenize('SELECT $1')).toThrow("syntax error line 1 at position 8: unexpected '$'.");
  });
});

describe('SET, UNSET and SHOW VARIABLES', () => {
  it.each<[string, Statement]>([
    ['SET x = 10', { kind: 'set_variables', names: ['X'], values: [num('10')], query: null }],
    ["set \"My Var\" = 'a' || 'b'", { kind: 'set_variables', names: ['My Var'], values: [{ kind: 'binary', op: '||', left: str('a'), right: str('b') }], query: null }],
    ['SET (min, max) = (50, 2 * $min)', { kind: 'set_variables', names: ['MIN', 'MAX'], values: [num('50'), mul(num('2'), v('MIN', 1, 27))], query: null }],
    ['SET x = (SELECT 1)', { kind: 'set_variables', names: ['X'], values: [{ kind: 'subquery', query: q(sel(['1'])) }], query: null }],
    ['SET (a, b) = (SELECT 1, 2)', { kind: 'set_variables', names: ['A', 'B'], values: null, query: q(sel(['1', '2'])) }],
    ['SET (a, b) = ((SELECT 1), 2)', { kind: 'set_variables', names: ['A', 'B'], values: [{ kind: 'subquery', query: q(sel(['1'])) }, num('2')], query: null }],
    ['UNSET x', { kind: 'unset_variables', names: ['X'] }],
    ['unset (a, "b")', { kind: 'unset_variables', names: ['A', 'b'] }],
    ['SHOW VARIABLES', { kind: 'show_variables', like: null }],
    ["show variables like 'a%'", { kind: 'show_variables', like: 'a%' }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['SET x', '<EOF>@1:6'],
    ['SET x =', '<EOF>@1:8'],
    ['SET (a, b) = 1, 2', '1@1:14'],
    ['SET (a, b) = (1, 2) x', 'x@1:21'],
    ['SET (a, b) = (1, )', ')@1:18'],
    ['UNSET', '<EOF>@1:6'],
    ['UNSET a, b', ',@1:8'],
    ['SHOW VARIABLES LIKE x', 'x@1:21'],
    ['SHOW VARIABLES IN ACCOUNT', 'IN@1:16'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it('counts the values against the names: 390205 (42601)', () => {
    for (const sql of ['SET (a, b) = (1)', 'SET (a) = (1, 2)']) {
      const err = (() => {
        try {
          parseSql(sql);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(CompilationError);
      expect([(err as CompilationError).code, (err as CompilationError).sqlState]).toEqual(['390205', '42601']);
    }
  });
});

describe('$name in expressions', () => {
  it('is a variable node wherever an expression is, named $NAME when unaliased', () => {
    expect(query('SELECT $x, $y + 1 AS z FROM t WHERE c = $x').body).toEqual(
      sel([], {
        items: [
          { kind: 'expr', expr: v('X', 1, 8), alias: null },
          { kind: 'expr', expr: { kind: 'binary', op: '+', left: v('Y', 1, 12), right: num('1') }, alias: 'Z' },
        ],
        from: { kind: 'table', name: { parts: ['T'] }, alias: null },
        where: { kind: 'binary', op: '=', left: col('C'), right: v('X', 1, 41) },
      }),
    );
    const insert = one('INSERT INTO t VALUES ($a, 2)');
    expect(insert).toMatchObject({ kind: 'insert', source: { body: { kind: 'values', rows: [[v('A', 1, 23), num('2')]] } } });
  });
});

describe('IDENTIFIER() table names', () => {
  it("reads IDENTIFIER('name') as the name the text holds, in FROM and elsewhere", () => {
    expect(query(`SELECT * FROM IDENTIFIER('db.sch."My T"') x`).body).toMatchObject({ from: { kind: 'table', name: { parts: ['DB', 'SCH', 'My T'] }, alias: 'X' } });
    expect(one("DROP TABLE IDENTIFIER('t')")).toEqual({ kind: 'drop_table', name: { parts: ['T'] }, ifExists: false });
  });

  it('keeps IDENTIFIER($name) in FROM for the engine to fill in', () => {
    expect(query('SELECT * FROM IDENTIFIER($tn)').body).toMatchObject({ from: { kind: 'table', name: { parts: [], variable: { name: 'TN', line: 1, column: 26 } }, alias: null } });
  });

  it('refuses text that is no object name with 000904', () => {
    for (const text of ['', 'a.b.c.d', 'select', 'a b', "a'"]) {
      expect(() => parseSql(`SELECT * FROM IDENTIFIER('${text.replace(/'/g, "''")}')`)).toThrow(expect.objectContaining({ code: '000904' }));
    }
  });

  it('leaves a table named IDENTIFIER with a column list alone', () => {
    expect(one('CREATE TABLE identifier (a INT)')).toMatchObject({ kind: 'create_table', name: { parts: ['IDENTIFIER'] } });
  });
});
