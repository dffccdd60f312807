/**
 * Missing security headers, against the real server: every answer (results small and
 * streamed, errors, refusals, /healthz, preflights, node's own raw answers to malformed
 * requests) must forbid framing (clickjacking), MIME sniffing, caching of results, referrer
 * leaks and cross-site embedding, and a plain-HTTP server must not claim HSTS (the HTTPS side
 * is tested in test/integration/tls-bind.test.ts).
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { rawExchange } from '../support/raw-http.js';

type Answer = { label: string; status: number; headers: Record<string, string | string[] | undefined> };

const EXPECTED = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-resource-policy': 'same-origin',
};

function send(label: string, url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer & { body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...ADMIN_AUTH_HEADERS, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ label, status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A raw exchange on one connection (raw-http.ts), parsed into status and headers (node's own answers to malformed requests). */
async function sendRaw(label: string, port: number, payload: string): Promise<Answer> {
  const text = await rawExchange(port, payload);
  const [statusLine, ...lines] = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { label, status: Number(statusLine!.split(' ')[1]), headers };
}

describe('missing security headers', () => {
  let dir: string;
  let server: FirnProcess;
  let answers: Answer[];
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-headers-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    const wide = `'${'w'.repeat(1000)}'`;
    await postStatement(server.url, `CREATE TABLE t (s VARCHAR); INSERT INTO t VALUES ${Array.from({ length: 400 }, () => `(${wide})`).join(', ')}`);
    const statements = `${server.url}/api/v2/statements`;
    const port = Number(new URL(server.url).port);
    const handle = (await postStatement(server.url, 'SELECT 1 AS one')).statementHandle;
    answers = [
      await send('small result', statements, 'POST', json, JSON.stringify({ statement: 'SELECT 1 AS one' })),
      await send('streamed result', statements, 'POST', json, JSON.stringify({ statement: 'SELECT s FROM t' })),
      await send('statement error', statements, 'POST', json, JSON.stringify({ statement: 'SELECT * FROM missing' })),
      await send('result by handle', `${statements}/${handle}`, 'GET', {}),
      await send('unknown handle', `${statements}/nope`, 'GET', {}),
      await send('unknown route', `${server.url}/nope`, 'GET', {}),
      await send('wrong method', statements, 'GET', {}),
      await send('foreign origin', statements, 'POST', { ...json, origin: 'https://evil.example' }, '{}'),
      await send('foreign host', statements, 'POST', { ...json, host: 'evil.example' }, '{}'),
      await send('wrong content type', statements, 'POST', { 'content-type': 'text/plain' }, '{}'),
      await send('oversized body', statements, 'POST', { ...json, 'content-length': String(17 * 2 ** 20) }),
      await send('malformed JSON', statements, 'POST', json, '{'),
      await send('healthz', `${server.url}/healthz`, 'GET', {}),
      await send('healthz HEAD', `${server.url}/healthz`, 'HEAD', {}),
      await send('preflight', statements, 'OPTIONS', { origin: server.url, 'access-control-request-method': 'POST' }),
      await sendRaw('malformed request line', port, 'NOT HTTP\r\n\r\n'),
      await sendRaw('oversized headers', port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n`),
    ];
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every kind of request it was sent (the list below is what is checked)', () => {
    expect(answers.map((a) => `${a.label}: ${a.status}`)).toEqual([
      'small result: 200',
      'streamed result: 200',
      'statement error: 422',
      'result by handle: 200',
      'unknown handle: 404',
      'unknown route: 404',
      'wrong method: 405',
      'foreign origin: 403',
      'foreign host: 403',
      'wrong content type: 415',
      'oversized body: 413',
      'malformed JSON: 400',
      'healthz: 200',
      'healthz HEAD: 200',
      'preflight: 204',
      'malformed request line: 400',
      'oversized headers: 431',
    ]);
    const streamed = answers[1]!;
    expect(streamed.headers['transfer-encoding']).toBe('chunked');
  });

  it('clickjacking: every answer forbids framing (X-Frame-Options DENY, CSP frame-ancestors none)', () => {
    for (const a of answers) {
      expect(a.headers['x-frame-options'], a.label).toBe('DENY');
      expect(a.headers['content-security-policy'], a.label).toContain("frame-ancestors 'none'");
    }
  });

  it('MIME sniffing: every answer says nosniff, and JSON answers say they are JSON', () => {
    for (const a of answers) {
      expect(a.headers['x-content-type-options'], a.label).toBe('nosniff');
      if (a.status !== 204) expect(a.headers['content-type'], a.label).toBe('application/json; charset=utf-8');
    }
  });

  it('results kept by browser or proxy caches, leaked through referrers or embedded by other sites: every answer forbids it', () => {
    for (const a of answers) {
      const got = Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, a.headers[name]]));
      expect(got, a.label).toEqual(EXPECTED);
    }
  });

  it('a plain-HTTP server never claims HSTS', () => {
    for (const a of answers) expect(a.headers['strict-transport-security'], a.label).toBeUndefined();
  });
});
