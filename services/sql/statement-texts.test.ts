import { describe, expect, it } from 'vitest';
import { parseSql } from './parse-sql.js';
import { statementTexts } from './statement-texts.js';

describe('statementTexts', () => {
  it('gives each statement parseSql returns its own text, without semicolons, comments or empty statements', () => {
    const sql = "-- setup\nCREATE TABLE t (a INT);;\n  INSERT INTO t VALUES (1) /* one */ ;\nSELECT ';' AS \"x;y\" FROM t -- done\n";
    expect(statementTexts(sql)).toEqual(['CREATE TABLE t (a INT)', 'INSERT INTO t VALUES (1)', 'SELECT \';\' AS "x;y" FROM t']);
    expect(statementTexts(sql)).toHaveLength(parseSql(sql).length);
    expect(statementTexts('  ;  ')).toEqual([]);
  });
});
