/**
 * Cross-site requests against the real server over real HTTP: a web page the user visits can
 * send a "simple" POST (text/plain, form-urlencoded) without a CORS preflight, and sends its
 * own Origin. Neither may run a statement; the server's own origin and the origins listed in
 * FIRN_ALLOWED_ORIGINS may. Requests carry ADMIN's credentials (the test FIRN_ADMIN_TOKEN), so
 * what refuses them here is the cross-site defence, not authentication (test/security/ covers that).
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** One raw HTTP request, with exactly the headers given (fetch would add its own). */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('cross-site requests', () => {
  let dir: string;
  let server: FirnProcess;
  const ALLOWED = 'https://app.example.com';
  const statements = () => `${server.url}/api/v2/statements`;
  const dropBody = JSON.stringify({ statement: 'DROP TABLE victim' });
  const tableStillThere = async () => {
    const r = await postStatement(server.url, 'SELECT COUNT(*) AS n FROM victim');
    expect(r.data).toEqual([['1']]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-xsite-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_ALLOWED_ORIGINS: ` ${ALLOWED}/ , http://localhost:5173` } });
    await postStatement(server.url, 'CREATE TABLE victim (x INT); INSERT INTO victim VALUES (1)');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a text/plain POST with 415 and runs nothing', async () => {
    const r = await send(statements(), 'POST', { 'content-type': 'text/plain;charset=UTF-8', ...ADMIN_AUTH_HEADERS }, dropBody);
    expect(r.status).toBe(415);
    expect(JSON.parse(r.body)).toEqual({
      code: '390402',
      sqlState: '08P01',
      message: "POST /api/v2/statements needs content-type application/json, got 'text/plain;charset=UTF-8'",
    });
    await tableStillThere();
  });

  it('answers form-urlencoded, multipart and a missing content type with 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', null]) {
      const r = await send(statements(), 'POST', type === null ? { ...ADMIN_AUTH_HEADERS } : { 'content-type': type, ...ADMIN_AUTH_HEADERS }, dropBody);
      expect(r.status, String(type)).toBe(415);
      expect(JSON.parse(r.body).code).toBe('390402');
    }
    await tableStillThere();
  });

  it('accepts application/json with parameters, in any case', async () => {
    const r = await send(statements(), 'POST', { 'content-type': 'Application/JSON; charset=utf-8', ...ADMIN_AUTH_HEADERS }, JSON.stringify({ statement: 'SELECT x FROM victim' }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).data).toEqual([['1']]);
  });

  it('refuses a foreign Origin with 403 before running anything, even with application/json', async () => {
    for (const origin of ['https://evil.example', 'null', `${server.url}.evil.example`, server.url.replace('127.0.0.1', 'localhost')]) {
      const r = await send(statements(), 'POST', { 'content-type': 'application/json', origin, ...ADMIN_AUTH_HEADERS }, dropBody);
      expect(r.status, origin).toBe(403);
      expect(JSON.parse(r.body)).toEqual({
        code: '390403',
        sqlState: '42501',
        message: `requests from origin '${origin}' are not allowed (add it to FIRN_ALLOWED_ORIGINS)`,
      });
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
    await tableStillThere();
    const get = await send(`${server.url}/healthz`, 'GET', { origin: 'https://evil.example' });
    expect(get.status).toBe(403);
  });

  it('refuses requests addressed to a foreign host name on a loopback server (DNS rebinding), even without Origin', async () => {
    const host = `evil.example:${new URL(server.url).port}`;
    const post = await send(statements(), 'POST', { 'content-type': 'application/json', host, ...ADMIN_AUTH_HEADERS }, dropBody);
    expect(post.status).toBe(403);
    expect(JSON.parse(post.body)).toEqual({
      code: '390403',
      sqlState: '42501',
      message: `requests for host '${host}' are not allowed: this server listens on loopback`,
    });
    await tableStillThere();
    const read = await send(`${server.url}/api/v2/statements/anything`, 'GET', { host });
    expect(read.status).toBe(403);
    for (const ok of [`localhost:${new URL(server.url).port}`, new URL(server.url).host]) {
      expect((await send(`${server.url}/healthz`, 'GET', { host: ok })).status, ok).toBe(200);
    }
  });

  it("runs statements from the server's own origin and from an allowed origin", async () => {
    for (const origin of [server.url, ALLOWED, 'http://localhost:5173']) {
      const r = await send(statements(), 'POST', { 'content-type': 'application/json', origin, ...ADMIN_AUTH_HEADERS }, JSON.stringify({ statement: 'SELECT x FROM victim' }));
      expect(r.status, origin).toBe(200);
      expect(JSON.parse(r.body).data).toEqual([['1']]);
      expect(r.headers['access-control-allow-origin']).toBe(origin);
      expect(r.headers.vary).toBe('Origin');
    }
  });

  it('answers preflights with CORS headers for allowed origins only', async () => {
    const preflight = (origin: string) =>
      send(statements(), 'OPTIONS', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    const ok = await preflight(ALLOWED);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(ok.headers['access-control-allow-methods']).toBe('POST');
    expect(ok.headers['access-control-allow-headers']).toBe('Content-Type, Accept, Authorization, X-Snowflake-Authorization-Token-Type');
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(evil.headers['access-control-allow-methods']).toBeUndefined();
    const plain = await send(statements(), 'OPTIONS', {});
    expect(plain.status).toBe(204);
    expect(plain.headers.allow).toBe('POST, OPTIONS');
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });
});
