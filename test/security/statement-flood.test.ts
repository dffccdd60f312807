/**
 * Statement floods by one user, against the real server with FIRN_MAX_STATEMENTS_PER_USER=3.
 * A statement counts from its request's arrival, so a client holding requests open (headers
 * sent, body withheld) holds slots exactly as long-running statements do, deterministically.
 * Past the cap the server answers 429 with Retry-After and runs nothing; slots come back when
 * answers finish or clients walk away, and the count never leaks. Another user's statements
 * run meanwhile: slots are counted per authenticated user.
 */
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { createTestUser, type TestUser } from '../support/test-users.js';
import { postStatement } from '../support/post-statement.js';

const CAP = 3;

/** A statement request whose body is withheld until finish(): it holds one slot meanwhile. */
type Held = { socket: Socket; finish(): Promise<string> };

function hold(port: number, statement: string): Held {
  const body = JSON.stringify({ statement });
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (text += c));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const half = Math.floor(body.length / 2);
  socket.write(`POST /api/v2/statements HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n${Object.entries(ADMIN_AUTH_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: close\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`);
  return {
    socket,
    finish: async () => {
      socket.write(body.slice(half));
      await closed;
      return text.split('\r\n')[0]!;
    },
  };
}

describe('statement floods by one user', () => {
  let dir: string;
  let server: FirnProcess;
  let bystander: TestUser;
  const port = () => Number(new URL(server.url).port);
  const post = (statement: string) =>
    fetch(`${server.url}/api/v2/statements`, { method: 'POST', headers: { 'content-type': 'application/json', ...ADMIN_AUTH_HEADERS }, body: JSON.stringify({ statement }) });
  /** Posts a harmless query until it gets `status` (the held requests' heads reach the server in their own time). */
  const probeUntil = async (status: number) => {
    let last = 0;
    for (let i = 0; i < 500; i++) {
      last = (await post('SELECT 1 AS one')).status;
      if (last === status) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`the probe kept answering ${last}, not ${status}`);
  };
  const rows = async () => (await postStatement(server.url, 'SELECT COUNT(*) AS n FROM flood')).data;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-flood-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_MAX_STATEMENTS_PER_USER: String(CAP) } });
    await postStatement(server.url, 'CREATE TABLE flood (x INT)');
    bystander = await createTestUser(server.url, 'bystander');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('statement flood: past the cap the answer is 429 with Retry-After and TOO_MANY_STATEMENTS, and the statement does not run', async () => {
    const held = Array.from({ length: CAP }, () => hold(port(), 'SELECT 1 AS one'));
    await probeUntil(429);
    const refused = await post('INSERT INTO flood VALUES (1)');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-frame-options')).toBe('DENY');
    expect(await refused.json()).toEqual({
      code: '390429',
      sqlState: '53400',
      message: `Your request was rejected because user 'ADMIN' already has ${CAP} statements running, the most allowed at once (FIRN_MAX_STATEMENTS_PER_USER); retry when one of them has finished`,
    });
    // Another user is not held back by ADMIN's flood.
    const other = await fetch(`${server.url}/api/v2/statements`, { method: 'POST', headers: { 'content-type': 'application/json', ...bystander.headers }, body: JSON.stringify({ statement: 'SELECT 3 AS three' }) });
    expect(other.status).toBe(200);
    expect(((await other.json()) as { data: string[][] }).data).toEqual([['3']]);
    // The held requests were admitted: completed, each runs and answers 200.
    expect(await Promise.all(held.map((h) => h.finish()))).toEqual(Array(CAP).fill('HTTP/1.1 200 OK'));
    await probeUntil(200);
    expect(await rows()).toEqual([['0']]);
  });

  it('statement flood at the cap still lets the user check health and read finished results', async () => {
    const handle = (await postStatement(server.url, 'SELECT 2 AS two')).statementHandle;
    const held = Array.from({ length: CAP }, () => hold(port(), 'SELECT 1 AS one'));
    await probeUntil(429);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const again = await fetch(`${server.url}/api/v2/statements/${handle}`, { headers: ADMIN_AUTH_HEADERS });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { data: string[][] }).data).toEqual([['2']]);
    expect(await Promise.all(held.map((h) => h.finish()))).toEqual(Array(CAP).fill('HTTP/1.1 200 OK'));
  });

  it('statement flood by clients that walk away: abandoned requests give their slots back, and none leaks', async () => {
    const abandoned = Array.from({ length: CAP }, () => hold(port(), 'INSERT INTO flood VALUES (2)'));
    await probeUntil(429);
    for (const h of abandoned) h.socket.destroy();
    await probeUntil(200);
    // All CAP slots are free again: CAP new held requests are all admitted, and one more is not.
    const held = Array.from({ length: CAP }, () => hold(port(), 'SELECT 1 AS one'));
    await probeUntil(429);
    expect(await Promise.all(held.map((h) => h.finish()))).toEqual(Array(CAP).fill('HTTP/1.1 200 OK'));
    expect(await rows()).toEqual([['0']]);
  });

  it('statement flood of failing statements: each failure gives its slot back', async () => {
    for (let i = 0; i < CAP * 3; i++) expect((await post('SELECT * FROM no_such_table')).status).toBe(422);
    const held = Array.from({ length: CAP }, () => hold(port(), 'SELECT 1 AS one'));
    await probeUntil(429);
    expect(await Promise.all(held.map((h) => h.finish()))).toEqual(Array(CAP).fill('HTTP/1.1 200 OK'));
  });
});
