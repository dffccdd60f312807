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
    ['CREATE TABLE t2 CLONE t', 'CREATE TABLE ... CLONE'],
    ['CREATE SCHEMA s2 CLONE s', 'CREATE SCHEMA ... CLONE'],
    ['CREATE DATABASE d2 CLONE d', 'CREATE DATABASE ... CLONE'],
    ['UNDROP TABLE t', 'UNDROP TABLE'],
    ['UNDROP SCHEMA s', 'UNDROP SCHEMA'],
    ['UNDROP DATABASE d', 'UNDROP DATABASE'],
    ['SHOW TABLES HISTORY', 'SHOW TABLES HISTORY'],
    ['SHOW VERSIONS IN TABLE t', 'SHOW VERSIONS'],
  ])('refuses %s with 390201 / 0A000', (sql, construct) => {
    const err = refusal(sql);
    expect(err).toBeInstanceOf(NotSupportedError);
    expect(err).toMatchObject({ code: '390201', sqlState: '0A000', message: `${construct} is not supported` });
  });

  it.each(['SELECT 1', 'INSERT INTO t SELECT 1', 'SHOW TABLES', 'CREATE TABLE t (a INT)', 'DROP TABLE t', 'EXPLAIN SELECT 1', 'UPDATE t SET a = 1', 'DELETE FROM t', 'MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE', 'TRUNCATE t', 'INSERT OVERWRITE INTO t SELECT 1', 'ALTER TABLE t DROP COLUMN a', 'ALTER DATABASE d SET DATA_RETENTION_TIME_IN_DAYS = 1', 'ALTER SCHEMA s UNSET DATA_RETENTION_TIME_IN_DAYS'])('lets %s through', (sql) => {
    expect(refusal(sql)).toBeNull();
  });
});
