import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../storage/errors/firn-error.js';
import { parseSql } from '../sql/parse-sql.js';
import { refuseUnwired } from './refuse-unwired.js';

const refusal = (sql: string): unknown => {
  const [st] = parseSql(sql);
  try {
    refuseUnwired(st);
    return null;
  } catch (err) {
    return err;
  }
};

describe('refuseUnwired', () => {
  it.each([
    ['ALTER TABLE t DROP COLUMN a', 'ALTER TABLE'],
    ['ALTER DATABASE d SET DATA_RETENTION_TIME_IN_DAYS = 1', 'ALTER DATABASE'],
    ['ALTER SCHEMA s SET DATA_RETENTION_TIME_IN_DAYS = 1', 'ALTER SCHEMA'],
  ])('refuses %s with 390201 / 0A000', (sql, construct) => {
    const err = refusal(sql);
    expect(err).toBeInstanceOf(NotSupportedError);
    expect(err).toMatchObject({ code: '390201', sqlState: '0A000', message: `${construct} is not supported` });
  });

  it.each(['SELECT 1', 'INSERT INTO t SELECT 1', 'SHOW TABLES', 'CREATE TABLE t (a INT)', 'DROP TABLE t', 'EXPLAIN SELECT 1', 'UPDATE t SET a = 1', 'DELETE FROM t', 'MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE', 'TRUNCATE t', 'INSERT OVERWRITE INTO t SELECT 1', 'CREATE TABLE t2 CLONE t', 'CREATE SCHEMA s2 CLONE s', 'CREATE DATABASE d2 CLONE d', 'UNDROP TABLE t', 'UNDROP SCHEMA s', 'UNDROP DATABASE d', 'SHOW TABLES HISTORY', 'SHOW VERSIONS IN TABLE t'])('lets %s through', (sql) => {
    expect(refusal(sql)).toBeNull();
  });
});
