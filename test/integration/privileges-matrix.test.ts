/**
 * Every privilege Firn enforces, tried with and without its grant, on one in-process engine
 * (real catalog, real workers). Each case has its own objects, role and user; it runs its
 * statement three ways, in this order, as a user holding only the case's role:
 *  - `none`: the role has the base grants (USAGE on the containers it goes through) but nothing
 *    on the object: a table, warehouse or schema it cannot see reads as missing (002003), a
 *    container it uses or the account answers 003001;
 *  - `decoy` (when the case has one): the role also holds another privilege on the object, so it
 *    sees it: 003001;
 *  - granted: the case's grants added: the statement succeeds.
 * Errors are compared exactly (code and message). Where the statement changes data, the table
 * is read (as ADMIN) after the refusals — unchanged — and after the success — changed.
 * Until HTTP authentication lands the identities are passed in process (test/support/engine-as.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAs, outcome } from '../support/engine-as.js';

type Expected = { code: string; message: string };
type Case = {
  name: string;
  /** Run as ADMIN first; `{i}` is the case number. */
  setup: string[];
  /** Grants every run holds (USAGE on the way to the object); `{r}` is the case's role. */
  base: string[];
  /** The privileges under test. */
  grants: string[];
  /** Another privilege on the object, which makes it visible. */
  decoy?: string[];
  sql: string;
  /** The context (database, schema, warehouse) the statement runs in. */
  context?: { database?: string; schema?: string; warehouse?: string };
  none: Expected;
  decoyError?: Expected;
  /** Read as ADMIN: its rows (only column `column`, if given; `{i}` filled in) before (after the refusals) and after the success. */
  effect?: { sql: string; before: string[][]; after: string[][]; column?: number };
};

const notFound = (what: string): Expected => ({ code: '002003', message: `SQL compilation error: Object '${what}' does not exist or not authorized.` });
const denied = (kind: string, name: string): Expected => ({ code: '003001', message: `SQL access control error: Insufficient privileges to operate on ${kind} '${name}'` });
const usage = ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON SCHEMA MX.S TO ROLE {r}', 'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE {r}'];
const table = (i: string) => [`CREATE TABLE MX.S.T{i} (A INT, B VARCHAR)`, `INSERT INTO MX.S.T{i} VALUES (1, 'a'), (2, 'b')`].map((s) => s.replaceAll('{i}', i));
const contents = (i: string) => `SELECT A, B FROM MX.S.T${i} ORDER BY A`;
const stageNotFound = (what: string): Expected => ({ code: '002003', message: `SQL compilation error: Stage '${what}' does not exist or not authorized.` });
/** An internal stage holding one uncompressed CSV file f.csv with the row (3, 'c'). */
const stage = (i: string) =>
  [`CREATE STAGE MX.S.ST{i}`, `COPY INTO @MX.S.ST{i}/f.csv FROM (SELECT 3 AS A, 'c' AS B) FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE) SINGLE = TRUE`].map((s) => s.replaceAll('{i}', i));
const stageFiles = (i: string) => `LIST @MX.S.ST${i}`;
const sequenceNotFound = (what: string): Expected => ({ code: '002003', message: `SQL compilation error: Sequence '${what}' does not exist or not authorized.` });
/** The directory an external (file://) stage points at: the engine's only load root, holding x.csv. */
const LOAD_ROOT = mkdtempSync(path.join(os.tmpdir(), 'firn-matrix-root-'));
writeFileSync(path.join(LOAD_ROOT, 'x.csv'), "4,d\n");

const CASES: Case[] = [
  {
    name: 'SELECT on a table: a query',
    setup: table('{i}'),
    base: usage,
    grants: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT INSERT ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'SELECT COUNT(*) FROM MX.S.T{i}',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
  },
  {
    name: 'SELECT on a table: time travel to an earlier statement',
    setup: [...table('{i}'), "INSERT INTO MX.S.T{i} VALUES (3, 'c')"],
    base: usage,
    grants: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT DELETE ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'SELECT COUNT(*) FROM MX.S.T{i} AT(STATEMENT => {first})',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
  },
  {
    name: 'INSERT on a table',
    setup: table('{i}'),
    base: usage,
    grants: ['GRANT INSERT ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: "INSERT INTO MX.S.T{i} VALUES (3, 'c')",
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [['1', 'a'], ['2', 'b'], ['3', 'c']] },
  },
  {
    name: 'INSERT on a table, SELECT on its source: INSERT ... SELECT',
    setup: [...table('{i}'), 'CREATE TABLE MX.S.SRC{i} (A INT, B VARCHAR)', "INSERT INTO MX.S.SRC{i} VALUES (9, 'z')", 'GRANT INSERT ON TABLE MX.S.T{i} TO ROLE R{i}'],
    base: usage,
    grants: ['GRANT SELECT ON TABLE MX.S.SRC{i} TO ROLE {r}'],
    decoy: ['GRANT UPDATE ON TABLE MX.S.SRC{i} TO ROLE {r}'],
    sql: 'INSERT INTO MX.S.T{i} SELECT * FROM MX.S.SRC{i}',
    none: notFound('MX.S.SRC{i}'),
    decoyError: denied('table', 'SRC{i}'),
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [['1', 'a'], ['2', 'b'], ['9', 'z']] },
  },
  {
    name: 'UPDATE on a table',
    setup: table('{i}'),
    base: usage,
    grants: ['GRANT UPDATE ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: "UPDATE MX.S.T{i} SET B = 'z' WHERE A = 1",
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [['1', 'z'], ['2', 'b']] },
  },
  {
    name: 'DELETE on a table',
    setup: table('{i}'),
    base: usage,
    grants: ['GRANT DELETE ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'DELETE FROM MX.S.T{i} WHERE A = 2',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [['1', 'a']] },
  },
  {
    name: 'TRUNCATE on a table',
    setup: table('{i}'),
    base: usage,
    grants: ['GRANT TRUNCATE ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT DELETE ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'TRUNCATE TABLE MX.S.T{i}',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [] },
  },
  {
    name: 'MERGE needs UPDATE and INSERT for its two clauses',
    setup: [...table('{i}'), 'CREATE TABLE MX.S.SRC{i} (A INT, B VARCHAR)', "INSERT INTO MX.S.SRC{i} VALUES (2, 'x'), (5, 'y')", 'GRANT SELECT ON TABLE MX.S.SRC{i} TO ROLE R{i}'],
    base: usage,
    grants: ['GRANT UPDATE, INSERT ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT UPDATE ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'MERGE INTO MX.S.T{i} t USING MX.S.SRC{i} s ON t.A = s.A WHEN MATCHED THEN UPDATE SET B = s.B WHEN NOT MATCHED THEN INSERT (A, B) VALUES (s.A, s.B)',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [['1', 'a'], ['2', 'x'], ['5', 'y']] },
  },
  {
    name: 'OWNERSHIP of a table: DROP TABLE',
    // The role goes under SYSADMIN (as custom roles should), so ADMIN still sees what it owns.
    setup: [...table('{i}'), 'GRANT ROLE R{i} TO ROLE SYSADMIN'],
    base: usage,
    grants: ['GRANT OWNERSHIP ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'DROP TABLE MX.S.T{i}',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
    effect: { sql: "SELECT COUNT(*) FROM MX.INFORMATION_SCHEMA.TABLE_STORAGE_METRICS WHERE TABLE_NAME = 'T{i}' AND TABLE_DROPPED IS NULL", before: [['1']], after: [['0']] },
  },
  {
    name: 'OWNERSHIP of a table: ALTER TABLE',
    setup: [...table('{i}'), 'GRANT ROLE R{i} TO ROLE SYSADMIN'],
    base: usage,
    grants: ['GRANT OWNERSHIP ON TABLE MX.S.T{i} TO ROLE {r} COPY CURRENT GRANTS'],
    decoy: ['GRANT UPDATE ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: "ALTER TABLE MX.S.T{i} RENAME COLUMN B TO BB",
    none: { code: '002003', message: "SQL compilation error: Table 'MX.S.T{i}' does not exist or not authorized." },
    decoyError: denied('table', 'T{i}'),
    effect: { sql: 'DESCRIBE TABLE MX.S.T{i}', column: 0, before: [['A'], ['B']], after: [['A'], ['BB']] },
  },
  {
    name: 'SELECT on the source and CREATE TABLE on the schema: CLONE',
    setup: [...table('{i}'), 'GRANT CREATE TABLE ON SCHEMA MX.S TO ROLE R{i}'],
    base: usage,
    grants: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT INSERT ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'CREATE TABLE MX.S.C{i} CLONE MX.S.T{i}',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
  },
  {
    name: 'CREATE TABLE on a schema',
    setup: ['CREATE SCHEMA MX.S{i}'],
    base: ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON SCHEMA MX.S{i} TO ROLE {r}'],
    grants: ['GRANT CREATE TABLE ON SCHEMA MX.S{i} TO ROLE {r}'],
    sql: 'CREATE TABLE MX.S{i}.NEW (A INT)',
    none: denied('schema', 'S{i}'),
  },
  {
    name: 'CREATE TABLE on a schema: CREATE TABLE AS SELECT',
    setup: ['CREATE SCHEMA MX.S{i}'],
    base: ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON SCHEMA MX.S{i} TO ROLE {r}', 'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE {r}'],
    grants: ['GRANT CREATE TABLE ON SCHEMA MX.S{i} TO ROLE {r}'],
    sql: 'CREATE TABLE MX.S{i}.NEW AS SELECT 1 AS A',
    none: denied('schema', 'S{i}'),
  },
  {
    name: 'USAGE on a schema: USE SCHEMA',
    setup: ['CREATE SCHEMA MX.S{i}'],
    base: ['GRANT USAGE ON DATABASE MX TO ROLE {r}'],
    grants: ['GRANT USAGE ON SCHEMA MX.S{i} TO ROLE {r}'],
    sql: 'USE SCHEMA MX.S{i}',
    none: denied('schema', 'S{i}'),
  },
  {
    name: 'USAGE on a schema: reading a table in it',
    setup: ['CREATE SCHEMA MX.S{i}', 'CREATE TABLE MX.S{i}.T (A INT)', 'GRANT SELECT ON TABLE MX.S{i}.T TO ROLE R{i}'],
    base: ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE {r}'],
    grants: ['GRANT USAGE ON SCHEMA MX.S{i} TO ROLE {r}'],
    sql: 'SELECT COUNT(*) FROM MX.S{i}.T',
    none: notFound('MX.S{i}.T'),
  },
  {
    name: 'USAGE on a database: USE DATABASE',
    setup: ['CREATE DATABASE D{i}'],
    base: [],
    grants: ['GRANT USAGE ON DATABASE D{i} TO ROLE {r}'],
    sql: 'USE DATABASE D{i}',
    none: denied('database', 'D{i}'),
  },
  {
    name: 'CREATE SCHEMA on a database',
    setup: ['CREATE DATABASE D{i}'],
    base: ['GRANT USAGE ON DATABASE D{i} TO ROLE {r}'],
    grants: ['GRANT CREATE SCHEMA ON DATABASE D{i} TO ROLE {r}'],
    sql: 'CREATE SCHEMA D{i}.NEW',
    none: denied('database', 'D{i}'),
  },
  {
    name: 'OWNERSHIP of a database: DROP DATABASE',
    setup: ['CREATE DATABASE D{i}'],
    base: [],
    grants: ['GRANT OWNERSHIP ON DATABASE D{i} TO ROLE {r}'],
    decoy: ['GRANT USAGE ON DATABASE D{i} TO ROLE {r}'],
    sql: 'DROP DATABASE D{i}',
    none: { code: '002003', message: "Database 'D{i}' does not exist or not authorized." },
    decoyError: denied('database', 'D{i}'),
  },
  {
    name: 'USAGE on a warehouse: running a query on it',
    setup: ['CREATE WAREHOUSE W{i} INITIALLY_SUSPENDED = TRUE', 'CREATE TABLE MX.S.T{i} (A INT)', 'INSERT INTO MX.S.T{i} VALUES (1)', 'GRANT SELECT ON TABLE MX.S.T{i} TO ROLE R{i}'],
    base: ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON SCHEMA MX.S TO ROLE {r}'],
    grants: ['GRANT USAGE ON WAREHOUSE W{i} TO ROLE {r}'],
    decoy: ['GRANT MODIFY ON WAREHOUSE W{i} TO ROLE {r}'],
    sql: 'SELECT COUNT(*) FROM MX.S.T{i} WHERE A > 0',
    context: { warehouse: 'W{i}' },
    none: { code: '002003', message: "Warehouse 'W{i}' does not exist or not authorized." },
    decoyError: denied('warehouse', 'W{i}'),
  },
  {
    name: 'USAGE on a warehouse: USE WAREHOUSE',
    setup: ['CREATE WAREHOUSE W{i} INITIALLY_SUSPENDED = TRUE'],
    base: [],
    grants: ['GRANT USAGE ON WAREHOUSE W{i} TO ROLE {r}'],
    sql: 'USE WAREHOUSE W{i}',
    none: denied('warehouse', 'W{i}'),
  },
  {
    name: 'OPERATE on a warehouse: ALTER WAREHOUSE ... ABORT ALL QUERIES',
    setup: ['CREATE WAREHOUSE W{i} INITIALLY_SUSPENDED = TRUE'],
    base: [],
    grants: ['GRANT OPERATE ON WAREHOUSE W{i} TO ROLE {r}'],
    decoy: ['GRANT MODIFY ON WAREHOUSE W{i} TO ROLE {r}'],
    sql: 'ALTER WAREHOUSE W{i} ABORT ALL QUERIES',
    none: { code: '002003', message: "Warehouse 'W{i}' does not exist or not authorized." },
    decoyError: denied('warehouse', 'W{i}'),
  },
  {
    name: 'MODIFY on a warehouse: ALTER WAREHOUSE ... SET',
    setup: ['CREATE WAREHOUSE W{i} INITIALLY_SUSPENDED = TRUE'],
    base: [],
    grants: ['GRANT MODIFY ON WAREHOUSE W{i} TO ROLE {r}'],
    decoy: ['GRANT OPERATE ON WAREHOUSE W{i} TO ROLE {r}'],
    sql: 'ALTER WAREHOUSE W{i} SET AUTO_SUSPEND = 120',
    none: { code: '002003', message: "Warehouse 'W{i}' does not exist or not authorized." },
    decoyError: denied('warehouse', 'W{i}'),
  },
  {
    name: 'OWNERSHIP of a warehouse: DROP WAREHOUSE',
    setup: ['CREATE WAREHOUSE W{i} INITIALLY_SUSPENDED = TRUE'],
    base: [],
    grants: ['GRANT OWNERSHIP ON WAREHOUSE W{i} TO ROLE {r}'],
    decoy: ['GRANT USAGE ON WAREHOUSE W{i} TO ROLE {r}'],
    sql: 'DROP WAREHOUSE W{i}',
    none: { code: '002003', message: "Warehouse 'W{i}' does not exist or not authorized." },
    decoyError: denied('warehouse', 'W{i}'),
  },
  {
    name: 'READ on an internal stage: LIST',
    setup: stage('{i}'),
    base: usage,
    grants: ['GRANT READ ON STAGE MX.S.ST{i} TO ROLE {r}'],
    sql: 'LIST @MX.S.ST{i}',
    none: stageNotFound('MX.S.ST{i}'),
  },
  {
    name: 'READ on an internal stage: COPY INTO a table FROM it',
    setup: [...table('{i}'), ...stage('{i}'), 'GRANT INSERT ON TABLE MX.S.T{i} TO ROLE R{i}'],
    base: usage,
    grants: ['GRANT READ ON STAGE MX.S.ST{i} TO ROLE {r}'],
    sql: 'COPY INTO MX.S.T{i} FROM @MX.S.ST{i}',
    none: stageNotFound('MX.S.ST{i}'),
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [['1', 'a'], ['2', 'b'], ['3', 'c']] },
  },
  {
    name: 'WRITE on an internal stage: REMOVE',
    setup: stage('{i}'),
    base: [...usage, 'GRANT READ ON STAGE MX.S.ST{i} TO ROLE {r}'],
    grants: ['GRANT WRITE ON STAGE MX.S.ST{i} TO ROLE {r}'],
    sql: 'REMOVE @MX.S.ST{i}/f.csv',
    none: denied('stage', 'ST{i}'),
    effect: { sql: stageFiles('{i}'), column: 0, before: [['st{i}/f.csv']], after: [] },
  },
  {
    name: 'WRITE on an internal stage: COPY INTO the stage (unload)',
    setup: [...table('{i}'), 'CREATE STAGE MX.S.ST{i}', 'GRANT SELECT ON TABLE MX.S.T{i} TO ROLE R{i}'],
    base: [...usage, 'GRANT READ ON STAGE MX.S.ST{i} TO ROLE {r}'],
    grants: ['GRANT WRITE ON STAGE MX.S.ST{i} TO ROLE {r}'],
    sql: 'COPY INTO @MX.S.ST{i}/out.csv FROM MX.S.T{i} FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE) SINGLE = TRUE',
    none: denied('stage', 'ST{i}'),
    effect: { sql: stageFiles('{i}'), column: 0, before: [], after: [['st{i}/out.csv']] },
  },
  {
    name: 'USAGE on an external stage: LIST',
    setup: [`CREATE STAGE MX.S.EXT{i} URL = '${pathToFileURL(LOAD_ROOT).href}/'`],
    base: usage,
    grants: ['GRANT USAGE ON STAGE MX.S.EXT{i} TO ROLE {r}'],
    sql: 'LIST @MX.S.EXT{i}',
    none: stageNotFound('MX.S.EXT{i}'),
  },
  {
    name: 'USAGE on an external stage: COPY INTO a table FROM it',
    setup: [...table('{i}'), `CREATE STAGE MX.S.EXT{i} URL = '${pathToFileURL(LOAD_ROOT).href}/'`, 'GRANT INSERT ON TABLE MX.S.T{i} TO ROLE R{i}'],
    base: usage,
    grants: ['GRANT USAGE ON STAGE MX.S.EXT{i} TO ROLE {r}'],
    sql: 'COPY INTO MX.S.T{i} FROM @MX.S.EXT{i}',
    none: stageNotFound('MX.S.EXT{i}'),
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [['1', 'a'], ['2', 'b'], ['4', 'd']] },
  },
  {
    name: 'USAGE on a file format: COPY INTO ... FILE_FORMAT = (FORMAT_NAME = ...)',
    setup: [
      ...table('{i}'),
      ...stage('{i}'),
      'CREATE FILE FORMAT MX.S.F{i} TYPE = CSV',
      'GRANT INSERT ON TABLE MX.S.T{i} TO ROLE R{i}',
      'GRANT READ ON STAGE MX.S.ST{i} TO ROLE R{i}',
    ],
    base: usage,
    grants: ['GRANT USAGE ON FILE FORMAT MX.S.F{i} TO ROLE {r}'],
    sql: "COPY INTO MX.S.T{i} FROM @MX.S.ST{i} FILE_FORMAT = (FORMAT_NAME = 'MX.S.F{i}')",
    none: { code: '002003', message: "SQL compilation error: File format 'MX.S.F{i}' does not exist or not authorized." },
    effect: { sql: contents('{i}'), before: [['1', 'a'], ['2', 'b']], after: [['1', 'a'], ['2', 'b'], ['3', 'c']] },
  },
  {
    name: "OWNERSHIP of a table: its table stage @%t (LIST)",
    setup: [...table('{i}'), 'GRANT ROLE R{i} TO ROLE SYSADMIN'],
    base: usage,
    grants: ['GRANT OWNERSHIP ON TABLE MX.S.T{i} TO ROLE {r}'],
    decoy: ['GRANT SELECT, INSERT ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'LIST @MX.S.%T{i}',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
  },
  {
    name: 'CREATE STAGE on a schema',
    setup: ['CREATE SCHEMA MX.S{i}'],
    base: ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON SCHEMA MX.S{i} TO ROLE {r}'],
    grants: ['GRANT CREATE STAGE ON SCHEMA MX.S{i} TO ROLE {r}'],
    sql: 'CREATE STAGE MX.S{i}.NEW',
    none: denied('schema', 'S{i}'),
  },
  {
    name: 'CREATE FILE FORMAT on a schema',
    setup: ['CREATE SCHEMA MX.S{i}'],
    base: ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON SCHEMA MX.S{i} TO ROLE {r}'],
    grants: ['GRANT CREATE FILE FORMAT ON SCHEMA MX.S{i} TO ROLE {r}'],
    sql: 'CREATE FILE FORMAT MX.S{i}.NEW TYPE = CSV',
    none: denied('schema', 'S{i}'),
  },
  {
    name: 'OWNERSHIP of a stage: DROP STAGE',
    setup: [...stage('{i}'), 'GRANT ROLE R{i} TO ROLE SYSADMIN'],
    base: usage,
    grants: ['GRANT OWNERSHIP ON STAGE MX.S.ST{i} TO ROLE {r}'],
    decoy: ['GRANT READ ON STAGE MX.S.ST{i} TO ROLE {r}'],
    sql: 'DROP STAGE MX.S.ST{i}',
    none: stageNotFound('MX.S.ST{i}'),
    decoyError: denied('stage', 'ST{i}'),
    effect: { sql: "SHOW STAGES LIKE 'ST{i}' IN SCHEMA MX.S", column: 1, before: [['ST{i}']], after: [] },
  },
  {
    name: 'OWNERSHIP of a file format: DROP FILE FORMAT',
    setup: ['CREATE FILE FORMAT MX.S.F{i} TYPE = CSV', 'GRANT ROLE R{i} TO ROLE SYSADMIN'],
    base: usage,
    grants: ['GRANT OWNERSHIP ON FILE FORMAT MX.S.F{i} TO ROLE {r}'],
    decoy: ['GRANT USAGE ON FILE FORMAT MX.S.F{i} TO ROLE {r}'],
    sql: 'DROP FILE FORMAT MX.S.F{i}',
    none: { code: '002003', message: "SQL compilation error: File format 'MX.S.F{i}' does not exist or not authorized." },
    decoyError: denied('file format', 'F{i}'),
    effect: { sql: "SHOW FILE FORMATS LIKE 'F{i}' IN SCHEMA MX.S", column: 1, before: [['F{i}']], after: [] },
  },
  {
    name: 'USAGE on a sequence: SELECT seq.NEXTVAL',
    setup: ['CREATE SEQUENCE MX.S.Q{i}'],
    base: usage,
    grants: ['GRANT USAGE ON SEQUENCE MX.S.Q{i} TO ROLE {r}'],
    sql: 'SELECT MX.S.Q{i}.NEXTVAL',
    none: sequenceNotFound('MX.S.Q{i}'),
  },
  {
    name: 'USAGE on a sequence: naming it in a column DEFAULT',
    setup: ['CREATE SEQUENCE MX.S.Q{i}', 'GRANT CREATE TABLE ON SCHEMA MX.S TO ROLE R{i}'],
    base: usage,
    grants: ['GRANT USAGE ON SEQUENCE MX.S.Q{i} TO ROLE {r}'],
    sql: 'CREATE TABLE MX.S.T{i} (ID INT DEFAULT MX.S.Q{i}.NEXTVAL)',
    none: sequenceNotFound('MX.S.Q{i}'),
  },
  {
    name: 'CREATE SEQUENCE on a schema',
    setup: ['CREATE SCHEMA MX.S{i}'],
    base: ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON SCHEMA MX.S{i} TO ROLE {r}'],
    grants: ['GRANT CREATE SEQUENCE ON SCHEMA MX.S{i} TO ROLE {r}'],
    sql: 'CREATE SEQUENCE MX.S{i}.NEW',
    none: denied('schema', 'S{i}'),
  },
  {
    name: 'OWNERSHIP of a sequence: DROP SEQUENCE',
    setup: ['CREATE SEQUENCE MX.S.Q{i}', 'GRANT ROLE R{i} TO ROLE SYSADMIN'],
    base: usage,
    grants: ['GRANT OWNERSHIP ON SEQUENCE MX.S.Q{i} TO ROLE {r}'],
    decoy: ['GRANT USAGE ON SEQUENCE MX.S.Q{i} TO ROLE {r}'],
    sql: 'DROP SEQUENCE MX.S.Q{i}',
    none: sequenceNotFound('MX.S.Q{i}'),
    decoyError: denied('sequence', 'Q{i}'),
    effect: { sql: "SHOW SEQUENCES LIKE 'Q{i}' IN SCHEMA MX.S", column: 1, before: [['Q{i}']], after: [] },
  },
  {
    name: 'OWNERSHIP of a sequence: ALTER SEQUENCE',
    setup: ['CREATE SEQUENCE MX.S.Q{i}', 'GRANT ROLE R{i} TO ROLE SYSADMIN'],
    base: usage,
    grants: ['GRANT OWNERSHIP ON SEQUENCE MX.S.Q{i} TO ROLE {r}'],
    decoy: ['GRANT USAGE ON SEQUENCE MX.S.Q{i} TO ROLE {r}'],
    sql: 'ALTER SEQUENCE MX.S.Q{i} SET INCREMENT = 7',
    none: sequenceNotFound('MX.S.Q{i}'),
    decoyError: denied('sequence', 'Q{i}'),
    effect: { sql: "SHOW SEQUENCES LIKE 'Q{i}' IN SCHEMA MX.S", column: 5, before: [['1']], after: [['7']] },
  },
  {
    name: 'CREATE DATABASE on the account',
    setup: [],
    base: [],
    grants: ['GRANT CREATE DATABASE ON ACCOUNT TO ROLE {r}'],
    sql: 'CREATE DATABASE NEWDB{i}',
    none: denied('account', 'FIRN'),
  },
  {
    name: 'CREATE WAREHOUSE on the account',
    setup: [],
    base: [],
    grants: ['GRANT CREATE WAREHOUSE ON ACCOUNT TO ROLE {r}'],
    sql: 'CREATE WAREHOUSE NEWWH{i} INITIALLY_SUSPENDED = TRUE',
    none: denied('account', 'FIRN'),
  },
  {
    name: 'CREATE ROLE on the account',
    setup: [],
    base: [],
    grants: ['GRANT CREATE ROLE ON ACCOUNT TO ROLE {r}'],
    sql: 'CREATE ROLE NEWROLE{i}',
    none: denied('account', 'FIRN'),
  },
  {
    name: 'MANAGE GRANTS on the account: granting on a table one does not own',
    setup: table('{i}'),
    base: usage,
    grants: ['GRANT MANAGE GRANTS ON ACCOUNT TO ROLE {r}'],
    decoy: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    sql: 'GRANT DELETE ON TABLE MX.S.T{i} TO ROLE PUBLIC',
    none: notFound('MX.S.T{i}'),
    decoyError: denied('table', 'T{i}'),
  },
  {
    name: 'a privilege WITH GRANT OPTION: granting it onward',
    setup: table('{i}'),
    base: [...usage, 'GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r}'],
    grants: ['GRANT SELECT ON TABLE MX.S.T{i} TO ROLE {r} WITH GRANT OPTION'],
    sql: 'GRANT SELECT ON TABLE MX.S.T{i} TO ROLE PUBLIC',
    none: denied('table', 'T{i}'),
  },
];

describe('privilege matrix: every privilege with and without its grant', () => {
  let e: EngineAs;
  beforeAll(async () => {
    e = await EngineAs.open({ FIRN_LOAD_ROOTS: LOAD_ROOT });
    await e.run('CREATE DATABASE MX');
    await e.run('CREATE SCHEMA MX.S');
  });
  afterAll(async () => {
    await e?.close();
    rmSync(LOAD_ROOT, { recursive: true, force: true });
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const n = String(i);
    const role = `R${n}`;
    const user = `U${n}`;
    const fill = (s: string) => s.replaceAll('{i}', n).replaceAll('{r}', role);
    const admin = (s: string, queryId?: string) => e.run(fill(s), undefined, { queryId });
    await admin('CREATE ROLE {r}');
    await admin(`CREATE USER ${user}`);
    await admin(`GRANT ROLE {r} TO USER ${user}`);
    // The first setup statement's handle is what a time travel case reads AT.
    const first = randomUUID();
    for (const [k, s] of c.setup.entries()) await admin(s, k === 0 ? first : undefined);
    for (const g of c.base) await admin(g);
    const context = c.context ? Object.fromEntries(Object.entries(c.context).map(([k, v]) => [k, fill(v)])) : undefined;
    const run = () => e.run(fill(c.sql).replaceAll('{first}', `'${first}'`), { user, role }, { context });
    const expected = (x: { code: string; message: string }) => ({ code: x.code, message: fill(x.message) });

    expect(await outcome(run())).toEqual(expected(c.none));
    if (c.decoy) {
      for (const g of c.decoy) await admin(g);
      expect(await outcome(run())).toEqual(expected(c.decoyError!));
    }
    const effect = async () => {
      const rows = (await admin(c.effect!.sql)).rows;
      return c.effect!.column === undefined ? rows : rows.map((r) => [r[c.effect!.column!]]);
    };
    const rowsOf = (rows: string[][]) => rows.map((r) => r.map(fill));
    if (c.effect) expect(await effect()).toEqual(rowsOf(c.effect.before));
    for (const g of c.grants) await admin(g);
    expect(await outcome(run())).toBe('ok');
    if (c.effect) expect(await effect()).toEqual(rowsOf(c.effect.after));
  });

  it('CREATE VIEW on a schema is granted, shown and revoked (views themselves are not supported yet)', async () => {
    await e.run('CREATE ROLE VIEWER');
    await e.run('GRANT CREATE VIEW ON SCHEMA MX.S TO ROLE VIEWER');
    const shown = (await e.run('SHOW GRANTS TO ROLE VIEWER')).rows.map((r) => r.slice(1, 7));
    expect(shown).toEqual([['CREATE VIEW', 'SCHEMA', 'MX.S', 'ROLE', 'VIEWER', 'false']]);
    await e.run('REVOKE CREATE VIEW ON SCHEMA MX.S FROM ROLE VIEWER');
    expect((await e.run('SHOW GRANTS TO ROLE VIEWER')).rows).toEqual([]);
  });

  it('a stage takes the privileges of its type, ALL being those; WRITE is granted only with READ and READ revoked only with WRITE', async () => {
    await e.run('CREATE STAGE MX.S.ORD');
    await e.run(`CREATE STAGE MX.S.ORDX URL = '${pathToFileURL(LOAD_ROOT).href}/'`);
    await e.run('CREATE ROLE ORDR');
    const order = (granting: boolean) => ({
      code: granting ? '003511' : '003512',
      message: `SQL compilation error: Privilege order violation for the grants on stage. ${granting ? 'READ should be granted before/simultaneously with WRITE' : 'WRITE should be revoked before/simultaneously with READ'}.`,
    });
    expect(await outcome(e.run('GRANT WRITE ON STAGE MX.S.ORD TO ROLE ORDR'))).toEqual(order(true));
    expect(await outcome(e.run('GRANT USAGE ON STAGE MX.S.ORD TO ROLE ORDR'))).toEqual({ code: '001003', message: "SQL compilation error: Invalid privilege USAGE on internal stage 'ORD'." });
    expect(await outcome(e.run('GRANT READ ON STAGE MX.S.ORDX TO ROLE ORDR'))).toEqual({ code: '001003', message: "SQL compilation error: Invalid privilege READ on external stage 'ORDX'." });
    const shown = async (name: string) => (await e.run(`SHOW GRANTS ON STAGE ${name}`)).rows.map((r) => [r[1], r[2], r[3], r[5]]);
    expect(await shown('MX.S.ORD')).toEqual([['OWNERSHIP', 'STAGE', 'MX.S.ORD', 'ACCOUNTADMIN']]);
    await e.run('GRANT READ, WRITE ON STAGE MX.S.ORD TO ROLE ORDR');
    expect(await outcome(e.run('REVOKE READ ON STAGE MX.S.ORD FROM ROLE ORDR'))).toEqual(order(false));
    await e.run('REVOKE WRITE ON STAGE MX.S.ORD FROM ROLE ORDR');
    await e.run('REVOKE READ ON STAGE MX.S.ORD FROM ROLE ORDR');
    expect(await shown('MX.S.ORD')).toEqual([['OWNERSHIP', 'STAGE', 'MX.S.ORD', 'ACCOUNTADMIN']]);
    await e.run('GRANT ALL ON STAGE MX.S.ORD TO ROLE ORDR');
    await e.run('GRANT ALL PRIVILEGES ON STAGE MX.S.ORDX TO ROLE ORDR');
    const toRole = (await e.run('SHOW GRANTS TO ROLE ORDR')).rows.map((r) => [r[1], r[2], r[3]]);
    expect(toRole).toEqual([
      ['READ', 'STAGE', 'MX.S.ORD'],
      ['WRITE', 'STAGE', 'MX.S.ORD'],
      ['USAGE', 'STAGE', 'MX.S.ORDX'],
    ]);
    await e.run('REVOKE ALL ON STAGE MX.S.ORD FROM ROLE ORDR');
    expect(await shown('MX.S.ORD')).toEqual([['OWNERSHIP', 'STAGE', 'MX.S.ORD', 'ACCOUNTADMIN']]);
  });

  it('SHOW STAGES, SHOW FILE FORMATS and DESCRIBE STAGE show a role only what it holds a privilege on, with the current owner', async () => {
    await e.run('CREATE SCHEMA MX.VIS');
    for (const n of ['A', 'B', 'C']) await e.run(`CREATE STAGE MX.VIS.${n}`);
    for (const n of ['FA', 'FB']) await e.run(`CREATE FILE FORMAT MX.VIS.${n} TYPE = CSV`);
    await e.run('CREATE ROLE VIS');
    await e.run('CREATE USER VISU');
    await e.run('GRANT ROLE VIS TO USER VISU');
    await e.run('GRANT USAGE ON DATABASE MX TO ROLE VIS');
    await e.run('GRANT USAGE ON SCHEMA MX.VIS TO ROLE VIS');
    await e.run('GRANT READ ON STAGE MX.VIS.A TO ROLE VIS');
    await e.run('GRANT OWNERSHIP ON STAGE MX.VIS.C TO ROLE VIS');
    await e.run('GRANT USAGE ON FILE FORMAT MX.VIS.FB TO ROLE VIS');
    const as = e.as({ user: 'VISU', role: 'VIS' });
    const names = async (sql: string) => (await as(sql)).rows.map((r) => [r[1], r[7]]);
    expect(await names('SHOW STAGES IN SCHEMA MX.VIS')).toEqual([['A', 'ACCOUNTADMIN'], ['C', 'VIS']]);
    expect((await as('SHOW FILE FORMATS IN SCHEMA MX.VIS')).rows.map((r) => [r[1], r[5]])).toEqual([['FB', 'ACCOUNTADMIN']]);
    expect((await as('DESCRIBE STAGE MX.VIS.A')).rows.length).toBeGreaterThan(0);
    expect(await outcome(as('DESCRIBE STAGE MX.VIS.B'))).toEqual(stageNotFound('MX.VIS.B'));
    expect(await outcome(as('DESCRIBE STAGE MX.VIS.NOPE'))).toEqual(stageNotFound('MX.VIS.NOPE'));
    // A schema the role may not use reads as missing, whatever it holds in it.
    await e.run('REVOKE USAGE ON SCHEMA MX.VIS FROM ROLE VIS');
    expect(await outcome(as('SHOW STAGES IN SCHEMA MX.VIS'))).toEqual({ code: '002003', message: "Schema 'MX.VIS' does not exist or not authorized." });
    expect(await outcome(as('LIST @MX.VIS.A'))).toEqual(stageNotFound('MX.VIS.A'));
  });

  it('CREATE OR REPLACE STAGE needs ownership of the stage it replaces, which keeps its files when refused', async () => {
    await e.run('CREATE SCHEMA MX.REP');
    for (const s of stage('R')) await e.run(s.replaceAll('MX.S.', 'MX.REP.'));
    await e.run('CREATE ROLE REPR');
    await e.run('CREATE USER REPU');
    await e.run('GRANT ROLE REPR TO USER REPU');
    // Under SYSADMIN (as custom roles should be), so ADMIN sees what REPR owns.
    await e.run('GRANT ROLE REPR TO ROLE SYSADMIN');
    for (const g of ['GRANT USAGE ON DATABASE MX', 'GRANT USAGE ON SCHEMA MX.REP', 'GRANT CREATE STAGE ON SCHEMA MX.REP', 'GRANT READ ON STAGE MX.REP.STR']) await e.run(`${g} TO ROLE REPR`);
    const as = e.as({ user: 'REPU', role: 'REPR' });
    expect(await outcome(as('CREATE OR REPLACE STAGE MX.REP.STR'))).toEqual(denied('stage', 'STR'));
    expect((await e.run('LIST @MX.REP.STR')).rows.map((r) => r[0])).toEqual(['str/f.csv']);
    // A stage of its own it replaces, and owns the new one.
    await as('CREATE STAGE MX.REP.MINE');
    await as('CREATE OR REPLACE STAGE MX.REP.MINE');
    expect((await e.run('SHOW GRANTS ON STAGE MX.REP.MINE')).rows.map((r) => [r[1], r[5]])).toEqual([['OWNERSHIP', 'REPR']]);
  });

  it('ALL [PRIVILEGES] on a table is each table privilege', async () => {
    await e.run('CREATE TABLE MX.S.ALLT (A INT)');
    await e.run('CREATE ROLE ALLR');
    await e.run('GRANT ALL PRIVILEGES ON TABLE MX.S.ALLT TO ROLE ALLR');
    const shown = (await e.run('SHOW GRANTS ON TABLE MX.S.ALLT')).rows.map((r) => [r[1], r[5]]);
    expect(shown).toEqual([
      ['DELETE', 'ALLR'],
      ['INSERT', 'ALLR'],
      ['OWNERSHIP', 'ACCOUNTADMIN'],
      ['SELECT', 'ALLR'],
      ['TRUNCATE', 'ALLR'],
      ['UPDATE', 'ALLR'],
    ]);
  });
});
