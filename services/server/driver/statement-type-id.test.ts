import { describe, expect, it } from 'vitest';
import { SELECT_STATEMENT_TYPE_ID, statementTypeId } from './statement-type-id.js';

describe('statementTypeId', () => {
  it("maps a statement's first word to Snowflake's statement type id", () => {
    expect(statementTypeId('select 1')).toBe(SELECT_STATEMENT_TYPE_ID);
    expect(statementTypeId('WITH a AS (SELECT 1) SELECT * FROM a')).toBe(0x1000);
    expect(statementTypeId('  -- a comment\n/* and another */ insert into t values (1)')).toBe(0x3100);
    expect(statementTypeId('UPDATE t SET a = 1')).toBe(0x3200);
    expect(statementTypeId('delete from t')).toBe(0x3300);
    expect(statementTypeId('MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE')).toBe(0x3400);
    expect(statementTypeId('COPY INTO t FROM @s')).toBe(0x3600);
    expect(statementTypeId('alter session set use_cached_result = false')).toBe(0x4000);
    expect(statementTypeId('ALTER TABLE t ADD COLUMN b INTEGER')).toBe(0x6000);
    expect(statementTypeId('USE SCHEMA s')).toBe(0x4300);
    expect(statementTypeId('SHOW TABLES')).toBe(0x4400);
    expect(statementTypeId('CREATE TABLE t (a INTEGER)')).toBe(0x6000);
    expect(statementTypeId('(SELECT 1)')).toBe(0x1000);
  });
});
