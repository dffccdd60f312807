import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { Scalar } from '../../storage/types/scalar.js';
import { parseSql } from '../sql/parse-sql.js';
import type { Statement } from '../sql/ast.js';
import { resultCacheText } from './result-cacheable.js';
import { runShowVariables, runUnsetVariables, withVariableValues } from './session-variables.js';
import type { SessionContext, SessionVariables } from './statement-result.js';

const one = (sql: string): Statement => parseSql(sql)[0]!;
const vars = (entries: [string, DataType, Scalar][]): SessionVariables => new Map(entries.map(([name, type, value]) => [name, { type, value, createdMs: 1_700_000_000_000, updatedMs: 1_700_000_001_500 }]));

describe('withVariableValues', () => {
  it('puts each $name’s type and exact value into the statement, and IDENTIFIER($name) the table it names', () => {
    const st = withVariableValues(one('SELECT $x, $s FROM IDENTIFIER($t) WHERE id = $x'), vars([
      ['X', Types.number(20, 2), 12345678901234567n],
      ['S', Types.varchar, "it's"],
      ['T', Types.varchar, 'db.sch."My T"'],
    ]));
    expect(st).toMatchObject({
      kind: 'query',
      query: {
        body: {
          items: [
            { expr: { kind: 'variable_value', name: 'X', type: Types.number(20, 2), value: '12345678901234567' } },
            { expr: { kind: 'variable_value', name: 'S', type: Types.varchar, value: "it's" } },
          ],
          from: { kind: 'table', name: { parts: ['DB', 'SCH', 'My T'] } },
          where: { right: { kind: 'variable_value', name: 'X', value: '12345678901234567' } },
        },
      },
    });
    expect(JSON.stringify(st)).not.toContain('"variable"');
  });

  it('leaves a statement without variables as it is', () => {
    const st = one('SELECT 1 FROM t');
    expect(withVariableValues(st, undefined)).toBe(st);
  });

  it('keys the result cache on the values: another value, NaN against NULL, another type', () => {
    const key = (type: DataType, value: Scalar) => resultCacheText(withVariableValues(one('SELECT $x'), vars([['X', type, value]])));
    const keys = [key(Types.number(1, 0), 1n), key(Types.number(1, 0), 2n), key(Types.float, NaN), key(Types.float, null), key(Types.float, -0), key(Types.float, 0), key(Types.varchar, '1')];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => k !== null)).toBe(true);
  });

  it('is 002211 (02000) for a name the session has not set, with its line and position', () => {
    const missing = (sql: string, variables?: SessionVariables) => {
      try {
        withVariableValues(one(sql), variables);
      } catch (err) {
        return err as CompilationError;
      }
      throw new Error(`no error for ${sql}`);
    };
    const err = missing('SELECT 1,\n  $nope', vars([['X', Types.boolean, true]]));
    expect([err.code, err.sqlState, err.message]).toEqual(['002211', '02000', "SQL compilation error: error line 2 at position 3\nSession variable '$NOPE' does not exist"]);
    expect(missing('SELECT * FROM IDENTIFIER($t)').code).toBe('002211');
    expect(missing('SELECT * FROM IDENTIFIER($t)', vars([['T', Types.number(2, 0), 12n]])).code).toBe('000904');
  });
});

describe('SHOW VARIABLES and UNSET', () => {
  const session = (variables: SessionVariables): SessionContext => ({ database: 'D', schema: 'S', warehouse: null, variables });

  it("lists the variables by name with Snowflake's columns, values as TO_VARCHAR gives them", () => {
    const answer = runShowVariables({ kind: 'show_variables', like: null }, session(vars([
      ['N', Types.number(3, 2), 150n],
      ['F', Types.float, Infinity],
      ['D', Types.date, 19724],
      ['TS', Types.timestampNtz, 1_704_164_645_500_000_000n],
      ['B', Types.boolean, false],
      ['Z', Types.null, null],
      ['s', Types.varchar, 'x y'],
    ])));
    expect(answer.columns.map((c) => c.name)).toEqual(['session_id', 'created_on', 'updated_on', 'name', 'value', 'type', 'comment']);
    const rows = Array.from({ length: answer.batch.length }, (_, r) => answer.columns.map((c, i) => scalarAt(answer.batch.columns[i]!, r, c.type)));
    expect(rows.map((r) => r.slice(3))).toEqual([
      ['B', 'false', 'boolean', null],
      ['D', '2024-01-02', 'date', null],
      ['F', 'inf', 'real', null],
      ['N', '1.50', 'fixed', null],
      ['TS', '2024-01-02 03:04:05.500', 'timestamp_ntz', null],
      ['Z', null, 'text', null],
      ['s', 'x y', 'text', null],
    ]);
    expect(rows[0]!.slice(0, 3)).toEqual([null, 1_700_000_000_000_000_000n, 1_700_000_001_500_000_000n]);
    const like = runShowVariables({ kind: 'show_variables', like: 's%' }, session(vars([['S1', Types.boolean, true], ['T', Types.boolean, true], ['s2', Types.boolean, true]])));
    expect(like.batch.length).toBe(2);
  });

  it('UNSET answers a context without the names, and leaves the session it was given alone', () => {
    const before = session(vars([['A', Types.boolean, true], ['B', Types.boolean, false]]));
    const answer = runUnsetVariables({ kind: 'unset_variables', names: ['A', 'NEVER_SET'] }, before);
    expect([...answer.context!.variables!.keys()]).toEqual(['B']);
    expect([...before.variables!.keys()]).toEqual(['A', 'B']);
  });
});
