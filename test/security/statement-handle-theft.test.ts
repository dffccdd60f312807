/**
 * Handle theft across users: a statement handle (GET /api/v2/statements/{handle}, its
 * partitions, POST …/cancel) answers only the user who ran the statement. Anyone else, ADMIN
 * included, gets exactly the answer of a handle that does not exist, so a handle seen in a log
 * or a URL reads nothing, stops nothing and tells nothing; and a requestId retried by another
 * user never answers the first user's statement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { createTestUser, type TestUser } from '../support/test-users.js';

describe('statement handle theft across users', () => {
  let dir: string;
  let server: FirnProcess;
  let alice: TestUser;
  let mallory: TestUser;

  const get = async (handle: string, headers: Record<string, string>) => {
    const res = await fetch(`${server.url}/api/v2/statements/${handle}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** What any user gets for a handle that does not exist. */
  const unknown = (handle: string) => ({ status: 404, body: { code: '390401', sqlState: '08P01', message: `no recent statement with handle '${handle}'` } });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-handles-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    alice = await createTestUser(server.url, 'alice', 'DEFAULT_ROLE = SYSADMIN');
    mallory = await createTestUser(server.url, 'mallory', 'DEFAULT_ROLE = SYSADMIN');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("another user cannot read a statement's result by its handle, and cannot tell it exists", async () => {
    const secret = await postStatement(server.url, "SELECT 'alice-secret' AS s", {}, alice.credentials);
    const handle = secret.statementHandle;
    const own = await get(handle, alice.headers);
    expect(own.status).toBe(200);
    expect(own.body.data).toEqual([['alice-secret']]);
    expect(await get(handle, mallory.headers)).toEqual(unknown(handle));
    expect(await get(handle, ADMIN_AUTH_HEADERS)).toEqual(unknown(handle));
    const never = '01234567-89ab-4def-8123-456789abcdef';
    expect(await get(never, mallory.headers)).toEqual(unknown(never));
    expect(await get(`${handle}?partition=0`, mallory.headers)).toEqual(unknown(handle));
  });

  it("another user cannot cancel a statement, nor get its answer by retrying its requestId", async () => {
    const cancel = async (handle: string, headers: Record<string, string>) => {
      const res = await fetch(`${server.url}/api/v2/statements/${handle}/cancel`, { method: 'POST', headers });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const requestId = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const submit = (statement: string, headers: Record<string, string>, retry: boolean) =>
      fetch(`${server.url}/api/v2/statements?requestId=${requestId}${retry ? '&retry=true' : ''}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ statement }) });
    const own = (await (await submit("SELECT 'alice-retry-secret' AS s", alice.headers, false)).json()) as { statementHandle: string; data: string[][] };
    expect(own.data).toEqual([['alice-retry-secret']]);
    const theirs = (await (await submit("SELECT 'mallory' AS s", mallory.headers, true)).json()) as { statementHandle: string; data: string[][] };
    expect(theirs.statementHandle).not.toBe(own.statementHandle);
    expect(theirs.data).toEqual([['mallory']]);
    const never = '01234567-89ab-4def-8123-456789abcdef';
    const notFound = (h: string) => ({ status: 422, body: { code: '000709', sqlState: '02000', message: `Statement ${h} not found`, statementHandle: h } });
    expect(await cancel(own.statementHandle, mallory.headers)).toEqual(notFound(own.statementHandle));
    expect(await cancel(never, mallory.headers)).toEqual(notFound(never));
  });

  it("another user cannot read a failed statement's error, nor the handles of a multi-statement request", async () => {
    const failed = await fetch(`${server.url}/api/v2/statements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...alice.headers },
      body: JSON.stringify({ statement: "SELECT 'x' FROM alice_private_table" }),
    });
    const failedHandle = ((await failed.json()) as { statementHandle: string }).statementHandle;
    expect((await get(failedHandle, alice.headers)).status).toBe(422);
    expect(await get(failedHandle, mallory.headers)).toEqual(unknown(failedHandle));
    const multi = await postStatement(server.url, "SELECT 1 AS a; SELECT 'alice-two' AS b", {}, alice.credentials);
    const handles = (multi as unknown as { statementHandles: string[] }).statementHandles;
    expect(handles).toHaveLength(2);
    for (const h of handles) {
      expect((await get(h, alice.headers)).status).toBe(200);
      expect(await get(h, mallory.headers)).toEqual(unknown(h));
    }
  });
});
