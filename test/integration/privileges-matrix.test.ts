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
  /** Read as ADMIN: its rows (only column `column`, if given) before (after the refusals) and after the success. */
  effect?: { sql: string; before: string[][]; after: string[][]; column?: number };
};

const notFound = (what: string): Expected => ({ code: '002003', message: `SQL compilation error: Object '${what}' does not exist or not authorized.` });
const denied = (kind: string, name: string): Expected => ({ code: '003001', message: `SQL access control error: Insufficient privileges to operate on ${kind} '${name}'` });
const usage = ['GRANT USAGE ON DATABASE MX TO ROLE {r}', 'GRANT USAGE ON SCHEMA MX.S TO ROLE {r}', 'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE {r}'];
const table = (i: string) => [`CREATE TABLE MX.S.T{i} (A INT, B VARCHAR)`, `INSERT INTO MX.S.T{i} VALUES (1, 'a'), (2, 'b')`].map((s) => s.replaceAll('{i}', i));
const contents = (i: string) => `SELECT A, B FROM MX.S.T${i} ORDER BY A`;

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
    e = await EngineAs.open();
    await e.run('CREATE DATABASE MX');
    await e.run('CREATE SCHEMA MX.S');
  });
  afterAll(async () => {
    await e?.close();
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
    if (c.effect) expect(await effect()).toEqual(c.effect.before);
    for (const g of c.grants) await admin(g);
    expect(await outcome(run())).toBe('ok');
    if (c.effect) expect(await effect()).toEqual(c.effect.after);
  });

  it('CREATE VIEW on a schema is granted, shown and revoked (views themselves are not supported yet)', async () => {
    await e.run('CREATE ROLE VIEWER');
    await e.run('GRANT CREATE VIEW ON SCHEMA MX.S TO ROLE VIEWER');
    const shown = (await e.run('SHOW GRANTS TO ROLE VIEWER')).rows.map((r) => r.slice(1, 7));
    expect(shown).toEqual([['CREATE VIEW', 'SCHEMA', 'MX.S', 'ROLE', 'VIEWER', 'false']]);
    await e.run('REVOKE CREATE VIEW ON SCHEMA MX.S FROM ROLE VIEWER');
    expect((await e.run('SHOW GRANTS TO ROLE VIEWER')).rows).toEqual([]);
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
