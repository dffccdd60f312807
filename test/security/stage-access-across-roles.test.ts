/**
 * Threat: reading or overwriting another role's staged files. Over real HTTP, as two users with
 * their own roles: MALLORY, whose role holds nothing on ALICE's stage, tries every way to its
 * files — GET and PUT on the stage file endpoint, LIST, REMOVE, COPY INTO a table FROM it and
 * COPY INTO (unload onto) it — and gets exactly what a stage that does not exist answers; the
 * files stay as they were. Granted READ she reads but still cannot write (003001); granted WRITE
 * too she writes. A table's stage is its table owner's, and the user stage @~ is its user's
 * alone: no other user, ADMIN included, can name another's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';
import { createTestUser, type TestUser } from '../support/test-users.js';

const SECRET = '1,alice-secret\n';
const CONTEXT = { warehouse: 'COMPUTE_WH' };

describe("reading or overwriting another role's staged files", () => {
  let dir: string;
  let server: FirnProcess;
  let alice: TestUser;
  let mallory: TestUser;

  const admin = (statement: string) => postStatement(server.url, statement, CONTEXT);
  const as = (user: TestUser, statement: string) => postStatement(server.url, statement, CONTEXT, user.credentials);
  /** The code and message a statement fails with, or the rows it answers. */
  const tryAs = (user: TestUser, statement: string) =>
    as(user, statement).then(
      (r) => ({ rows: r.data }),
      (e: unknown) => {
        if (!(e instanceof StatementFailure)) throw e;
        return { code: e.code, message: e.message };
      },
    );
  const endpoint = (location: string, overwrite = false) => `${server.url}/api/v2/stages/files?location=${encodeURIComponent(location)}${overwrite ? '&overwrite=true' : ''}`;
  /** A GET of one stage file: its status and its bytes, or its error body. */
  const download = async (location: string, headers: Record<string, string>) => {
    const res = await fetch(endpoint(location), { headers });
    return res.status === 200 ? { status: 200, body: await res.text() } : { status: res.status, body: (await res.json()) as unknown };
  };
  const upload = async (location: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(endpoint(location, true), { method: 'PUT', body, headers: { 'Content-Type': 'application/octet-stream', ...headers } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** What every request about a stage the role cannot see answers: a missing stage's error. */
  const missingStage = (name: string) => ({ code: '002003', message: `SQL compilation error: Stage '${name}' does not exist or not authorized.` });
  const missingOverHttp = (name: string) => ({ status: 422, body: { ...missingStage(name), sqlState: '02000' } });
  const deniedOverHttp = { status: 422, body: { code: '003001', sqlState: '42501', message: "SQL access control error: Insufficient privileges to operate on stage 'SECRETS'" } };
  const denied = { code: '003001', message: "SQL access control error: Insufficient privileges to operate on stage 'SECRETS'" };
  /** The stage's files, as its owner lists them: name and size. */
  const aliceFiles = async () => (await as(alice, 'LIST @VAULT.PUBLIC.SECRETS')).data.map((r) => [r[0], r[1]]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-stage-roles-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await admin('CREATE DATABASE VAULT');
    for (const role of ['LOADER', 'INTRUDER']) {
      await admin(`CREATE ROLE ${role}`);
      // Both may create stages and tables in the schema: MALLORY could make a stage of the same name.
      for (const g of ['USAGE ON DATABASE VAULT', 'USAGE ON SCHEMA VAULT.PUBLIC', 'CREATE TABLE, CREATE STAGE ON SCHEMA VAULT.PUBLIC', 'USAGE ON WAREHOUSE COMPUTE_WH']) {
        await admin(`GRANT ${g} TO ROLE ${role}`);
      }
    }
    alice = await createTestUser(server.url, 'alice', 'DEFAULT_ROLE = LOADER');
    mallory = await createTestUser(server.url, 'mallory', 'DEFAULT_ROLE = INTRUDER');
    await as(alice, 'CREATE STAGE VAULT.PUBLIC.SECRETS');
    await as(alice, 'CREATE TABLE VAULT.PUBLIC.ALICE_T (ID INT, NAME VARCHAR)');
    await as(mallory, 'CREATE TABLE VAULT.PUBLIC.LOOT (ID INT, NAME VARCHAR)');
    expect((await upload('@VAULT.PUBLIC.SECRETS/secret.csv', SECRET, alice.headers)).status).toBe(200);
    expect((await upload('@VAULT.PUBLIC.%ALICE_T/t.csv', SECRET, alice.headers)).status).toBe(200);
    expect((await upload('@~/mine.csv', SECRET, alice.headers)).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a role without privileges on the stage gets what a missing stage answers, from every path, and changes nothing', async () => {
    expect(await download('@VAULT.PUBLIC.SECRETS/secret.csv', mallory.headers)).toEqual(missingOverHttp('VAULT.PUBLIC.SECRETS'));
    expect(await download('@VAULT.PUBLIC.NOSUCH/secret.csv', mallory.headers)).toEqual(missingOverHttp('VAULT.PUBLIC.NOSUCH'));
    expect(await upload('@VAULT.PUBLIC.SECRETS/secret.csv', 'planted', mallory.headers)).toEqual(missingOverHttp('VAULT.PUBLIC.SECRETS'));
    expect(await upload('@VAULT.PUBLIC.SECRETS/new.csv', 'planted', mallory.headers)).toEqual(missingOverHttp('VAULT.PUBLIC.SECRETS'));
    for (const statement of [
      'LIST @VAULT.PUBLIC.SECRETS',
      'REMOVE @VAULT.PUBLIC.SECRETS/secret.csv',
      'COPY INTO VAULT.PUBLIC.LOOT FROM @VAULT.PUBLIC.SECRETS',
      "COPY INTO @VAULT.PUBLIC.SECRETS/secret.csv FROM (SELECT 'planted' AS X) FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE) SINGLE = TRUE OVERWRITE = TRUE",
      'DESCRIBE STAGE VAULT.PUBLIC.SECRETS',
      'DROP STAGE VAULT.PUBLIC.SECRETS',
      'CREATE OR REPLACE STAGE VAULT.PUBLIC.SECRETS',
      'GRANT READ ON STAGE VAULT.PUBLIC.SECRETS TO ROLE INTRUDER',
    ]) {
      expect([statement, await tryAs(mallory, statement)]).toEqual([statement, missingStage('VAULT.PUBLIC.SECRETS')]);
    }
    expect((await as(mallory, 'SHOW STAGES IN SCHEMA VAULT.PUBLIC')).data).toEqual([]);
    expect((await as(mallory, 'SELECT COUNT(*) FROM VAULT.PUBLIC.LOOT')).data).toEqual([['0']]);
    expect(await aliceFiles()).toEqual([['secrets/secret.csv', String(SECRET.length)]]);
    expect(await download('@VAULT.PUBLIC.SECRETS/secret.csv', alice.headers)).toEqual({ status: 200, body: SECRET });
  });

  it("a table's stage is its owner's: another role reads it as missing, or as forbidden when it sees the table", async () => {
    const table = { code: '002003', message: "SQL compilation error: Object 'VAULT.PUBLIC.ALICE_T' does not exist or not authorized." };
    expect(await download('@VAULT.PUBLIC.%ALICE_T/t.csv', mallory.headers)).toEqual({ status: 422, body: { ...table, sqlState: '02000' } });
    expect(await tryAs(mallory, 'LIST @VAULT.PUBLIC.%ALICE_T')).toEqual(table);
    await as(alice, 'GRANT SELECT, INSERT ON TABLE VAULT.PUBLIC.ALICE_T TO ROLE INTRUDER');
    const forbidden = { code: '003001', message: "SQL access control error: Insufficient privileges to operate on table 'ALICE_T'" };
    expect(await tryAs(mallory, 'LIST @VAULT.PUBLIC.%ALICE_T')).toEqual(forbidden);
    expect(await upload('@VAULT.PUBLIC.%ALICE_T/t.csv', 'planted', mallory.headers)).toEqual({ status: 422, body: { ...forbidden, sqlState: '42501' } });
    expect(await download('@VAULT.PUBLIC.%ALICE_T/t.csv', alice.headers)).toEqual({ status: 200, body: SECRET });
  });

  it("the user stage @~ is its user's alone: another user, ADMIN included, reaches only its own", async () => {
    const notThere = { status: 404, body: { code: '390101', sqlState: '58030', message: "File 'mine.csv' does not exist in the stage." } };
    expect(await download('@~/mine.csv', mallory.headers)).toEqual(notThere);
    expect(await download('@~/mine.csv', ADMIN_AUTH_HEADERS)).toEqual(notThere);
    expect((await as(mallory, 'LIST @~')).data).toEqual([]);
    expect(await tryAs(mallory, 'REMOVE @~/mine.csv')).toEqual({ rows: [] });
    expect(await download('@~/mine.csv', alice.headers)).toEqual({ status: 200, body: SECRET });
    expect((await as(alice, 'LIST @~')).data.map((r) => r[0])).toEqual(['mine.csv']);
  });

  it('with READ granted the role reads the stage but cannot write it; with WRITE too it writes', async () => {
    await as(alice, 'GRANT READ ON STAGE VAULT.PUBLIC.SECRETS TO ROLE INTRUDER');
    expect(await download('@VAULT.PUBLIC.SECRETS/secret.csv', mallory.headers)).toEqual({ status: 200, body: SECRET });
    expect((await as(mallory, 'LIST @VAULT.PUBLIC.SECRETS')).data.map((r) => r[0])).toEqual(['secrets/secret.csv']);
    expect((await as(mallory, 'SHOW STAGES IN SCHEMA VAULT.PUBLIC')).data.map((r) => [r[1], r[7]])).toEqual([['SECRETS', 'LOADER']]);
    await as(mallory, 'COPY INTO VAULT.PUBLIC.LOOT FROM @VAULT.PUBLIC.SECRETS');
    expect((await as(mallory, 'SELECT ID, NAME FROM VAULT.PUBLIC.LOOT')).data).toEqual([['1', 'alice-secret']]);
    expect(await upload('@VAULT.PUBLIC.SECRETS/secret.csv', 'planted', mallory.headers)).toEqual(deniedOverHttp);
    expect(await tryAs(mallory, 'REMOVE @VAULT.PUBLIC.SECRETS/secret.csv')).toEqual(denied);
    expect(await tryAs(mallory, "COPY INTO @VAULT.PUBLIC.SECRETS/x.csv FROM (SELECT 'planted' AS X) FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE) SINGLE = TRUE")).toEqual(denied);
    expect(await tryAs(mallory, 'DROP STAGE VAULT.PUBLIC.SECRETS')).toEqual(denied);
    expect(await aliceFiles()).toEqual([['secrets/secret.csv', String(SECRET.length)]]);

    await as(alice, 'GRANT WRITE ON STAGE VAULT.PUBLIC.SECRETS TO ROLE INTRUDER');
    expect((await upload('@VAULT.PUBLIC.SECRETS/secret.csv', 'replaced\n', mallory.headers)).body.status).toBe('UPLOADED');
    expect(await download('@VAULT.PUBLIC.SECRETS/secret.csv', alice.headers)).toEqual({ status: 200, body: 'replaced\n' });
    expect((await as(mallory, 'REMOVE @VAULT.PUBLIC.SECRETS/secret.csv')).data).toEqual([['secrets/secret.csv', 'removed']]);
    expect(await aliceFiles()).toEqual([]);
  });
});
