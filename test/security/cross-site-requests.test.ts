/**
 * Cross-site requests against the real server over real HTTP. A web page the user visits can
 * send a "simple" POST (text/plain, form-urlencoded, multipart) without a CORS preflight, and
 * sends its own Origin (`null` from sandboxed frames and file:// pages); a page of a domain
 * that re-resolves to 127.0.0.1 (DNS rebinding) sends its own Host. None of these may run a
 * statement or read an answer; the server's own origin and the origins listed in
 * FIRN_ALLOWED_ORIGINS may.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { rawExchange, rawRequest, type RawResponse } from '../support/raw-http.js';
import { postStatement } from '../support/post-statement.js';

/**
 * One raw HTTP request (test/support/raw-http.ts) with ADMIN's credentials, so what refuses a
 * request here is the cross-site defence, not authentication.
 */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const u = new URL(url);
  return rawRequest(u.origin, method, u.pathname + u.search, { ...ADMIN_AUTH_HEADERS, ...headers }, body);
}

describe('cross-site requests', () => {
  let dir: string;
  let server: FirnProcess;
  const ALLOWED = 'https://app.example.com';
  const statements = () => `${server.url}/api/v2/statements`;
  const port = () => Number(new URL(server.url).port);
  const dropBody = JSON.stringify({ statement: 'DROP TABLE victim' });
  const tableStillThere = async () => {
    const r = await postStatement(server.url, 'SELECT COUNT(*) AS n FROM victim');
    expect(r.data).toEqual([['1']]);
  };
  const originRefused = (origin: string) => ({
    code: '390403',
    sqlState: '42501',
    message: `requests from origin '${origin}' are not allowed (add it to FIRN_ALLOWED_ORIGINS)`,
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-xsite-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_ALLOWED_ORIGINS: ` ${ALLOWED}/ , http://localhost:5173` } });
    await postStatement(server.url, 'CREATE TABLE victim (x INT); INSERT INTO victim VALUES (1)');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cross-site request forgery with a text/plain POST (no preflight, no Origin): 415, nothing runs', async () => {
    const r = await send(statements(), 'POST', { 'content-type': 'text/plain;charset=UTF-8' }, dropBody);
    expect(r.status).toBe(415);
    expect(JSON.parse(r.body)).toEqual({
      code: '390402',
      sqlState: '08P01',
      message: "POST /api/v2/statements needs content-type application/json, got 'text/plain;charset=UTF-8'",
    });
    await tableStillThere();
  });

  it('cross-site request forgery with a form post (urlencoded, multipart) or no content type: 415, nothing runs', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', null]) {
      const r = await send(statements(), 'POST', type === null ? {} : { 'content-type': type }, dropBody);
      expect(r.status, String(type)).toBe(415);
      expect(JSON.parse(r.body).code).toBe('390402');
    }
    const form = await send(statements(), 'POST', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, `statement=${encodeURIComponent('DROP TABLE victim')}`);
    expect(form.status).toBe(403);
    expect(JSON.parse(form.body)).toEqual(originRefused('https://evil.example'));
    await tableStillThere();
  });

  it('no false refusal: application/json with parameters, in any case, still runs', async () => {
    const r = await send(statements(), 'POST', { 'content-type': 'Application/JSON; charset=utf-8' }, JSON.stringify({ statement: 'SELECT x FROM victim' }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).data).toEqual([['1']]);
  });

  it('cross-origin statement from a foreign page: 403 before anything runs, even with application/json, and no CORS grant', async () => {
    for (const origin of ['https://evil.example', `${server.url}.evil.example`, server.url.replace('127.0.0.1', 'localhost'), server.url.replace('http:', 'https:')]) {
      const r = await send(statements(), 'POST', { 'content-type': 'application/json', origin }, dropBody);
      expect(r.status, origin).toBe(403);
      expect(JSON.parse(r.body)).toEqual(originRefused(origin));
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
    await tableStillThere();
    const get = await send(`${server.url}/healthz`, 'GET', { origin: 'https://evil.example' });
    expect(get.status).toBe(403);
  });

  it('cross-origin statement from a sandboxed frame or a file:// page (Origin: null): 403, nothing runs', async () => {
    for (const type of ['application/json', 'text/plain']) {
      const r = await send(statements(), 'POST', { 'content-type': type, origin: 'null' }, dropBody);
      expect(r.status, type).toBe(403);
      expect(JSON.parse(r.body)).toEqual(originRefused('null'));
    }
    await tableStillThere();
  });

  it("cross-origin read of a statement's answer by its handle: 403 and no CORS grant", async () => {
    const handle = (await postStatement(server.url, 'SELECT x FROM victim')).statementHandle;
    const own = await send(`${statements()}/${handle}`, 'GET', {});
    expect(own.status).toBe(200);
    const stolen = await send(`${statements()}/${handle}`, 'GET', { origin: 'https://evil.example' });
    expect(stolen.status).toBe(403);
    expect(JSON.parse(stolen.body)).toEqual(originRefused('https://evil.example'));
    expect(stolen.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('DNS rebinding: a request addressed to a foreign host name on a loopback server is refused, even without Origin', async () => {
    const host = `evil.example:${port()}`;
    const post = await send(statements(), 'POST', { 'content-type': 'application/json', host }, dropBody);
    expect(post.status).toBe(403);
    expect(JSON.parse(post.body)).toEqual({
      code: '390403',
      sqlState: '42501',
      message: `requests for host '${host}' are not allowed: this server listens on loopback`,
    });
    await tableStillThere();
    const read = await send(`${server.url}/api/v2/statements/anything`, 'GET', { host });
    expect(read.status).toBe(403);
    for (const foreign of ['evil.example', `127.0.0.1.evil.example:${port()}`, `localhost.evil.example:${port()}`, `127.0.0.1.nip.io:${port()}`]) {
      expect((await send(statements(), 'POST', { 'content-type': 'application/json', host: foreign }, dropBody)).status, foreign).toBe(403);
    }
    for (const ok of [`localhost:${port()}`, new URL(server.url).host, `127.0.0.2:${port()}`]) {
      expect((await send(`${server.url}/healthz`, 'GET', { host: ok })).status, ok).toBe(200);
    }
    await tableStillThere();
  });

  it('DNS rebinding without a Host header at all (HTTP/1.0): refused', async () => {
    const raw = await rawExchange(port(), `POST /api/v2/statements HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${dropBody.length}\r\n\r\n${dropBody}`);
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
    expect(raw).toContain(`"message":"requests for host '(none)' are not allowed: this server listens on loopback"`);
    await tableStillThere();
  });

  it("no false refusal: the server's own origin and the allowed origins run statements and get the CORS grant", async () => {
    for (const origin of [server.url, ALLOWED, 'http://localhost:5173']) {
      const r = await send(statements(), 'POST', { 'content-type': 'application/json', origin }, JSON.stringify({ statement: 'SELECT x FROM victim' }));
      expect(r.status, origin).toBe(200);
      expect(JSON.parse(r.body).data).toEqual([['1']]);
      expect(r.headers['access-control-allow-origin']).toBe(origin);
      // The answer depends on the Origin (the CORS grant) and on Accept-Encoding (gzip).
      expect(r.headers.vary).toBe('Origin, Accept-Encoding');
    }
  });

  it('CORS preflight from a foreign page gets no grant; allowed origins get exactly POST with Content-Type and Accept', async () => {
    const preflight = (origin: string) =>
      send(statements(), 'OPTIONS', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    const ok = await preflight(ALLOWED);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(ok.headers['access-control-allow-methods']).toBe('POST');
    expect(ok.headers['access-control-allow-headers']).toBe('Content-Type, Accept, Authorization, X-Snowflake-Authorization-Token-Type');
    for (const origin of ['https://evil.example', 'null']) {
      const evil = await preflight(origin);
      expect(evil.status, origin).toBe(403);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      expect(evil.headers['access-control-allow-methods']).toBeUndefined();
    }
    const plain = await send(statements(), 'OPTIONS', {});
    expect(plain.status).toBe(204);
    expect(plain.headers.allow).toBe('POST, OPTIONS');
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });
});
