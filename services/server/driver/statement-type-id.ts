/**
 * The `statementTypeId` of a driver answer (Snowflake's SFStatementType numbers, as JDBC and
 * the Node driver read them): the driver sums the cells of a DML answer's row into
 * getNumUpdatedRows() only for INSERT, UPDATE, DELETE, MERGE and multi-table INSERT ids.
 *
 * Contract: decided by the statement's first word (after blanks and comments), case-insensitive:
 * SELECT, WITH, VALUES, EXPLAIN, a parenthesis and anything unknown are SELECT (0x1000); the
 * DML, COPY, USE, SHOW, DESCRIBE, transaction and DDL words map to their ids.
 */
const IDS: Readonly<Record<string, number>> = {
  INSERT: 0x3100,
  UPDATE: 0x3200,
  DELETE: 0x3300,
  MERGE: 0x3400,
  COPY: 0x3600,
  ALTER_SESSION: 0x4000,
  USE: 0x4300,
  SHOW: 0x4400,
  DESCRIBE: 0x4500,
  DESC: 0x4500,
  BEGIN: 0x5000,
  START: 0x5000,
  COMMIT: 0x5000,
  ROLLBACK: 0x5000,
  CREATE: 0x6000,
  DROP: 0x6000,
  ALTER: 0x6000,
  UNDROP: 0x6000,
  TRUNCATE: 0x6000,
  GRANT: 0x6000,
  REVOKE: 0x6000,
};

export const SELECT_STATEMENT_TYPE_ID = 0x1000;

export function statementTypeId(sql: string): number {
  const text = sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\/[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  const words = /^([A-Za-z_]+)(\s+([A-Za-z_]+))?/.exec(text);
  if (!words) return SELECT_STATEMENT_TYPE_ID;
  const first = words[1]!.toUpperCase();
  if (first === 'ALTER' && words[3]?.toUpperCase() === 'SESSION') return IDS.ALTER_SESSION!;
  return IDS[first] ?? SELECT_STATEMENT_TYPE_ID;
}
