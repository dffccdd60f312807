import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSelfSignedCert, type SelfSignedCert } from '../../test/support/self-signed-cert.js';
import { createListener, DEFAULT_SERVER_LIMITS, type Listener } from './listener.js';
import { readTlsCredentials } from './tls-credentials.js';

/** Writes `payload` on a fresh connection and collects everything until the server closes it. */
function exchange(port: number, payload: string, tls: string | null = null): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls === null ? netConnect(port, '127.0.0.1') : tlsConnect({ port, host: '127.0.0.1', ca: tls });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(payload);
  });
}

function headersOf(raw: string): { status: number; headers: Map<string, string>; body: string } {
  const [head, body] = [raw.slice(0, raw.indexOf('\r\n\r\n')), raw.slice(raw.indexOf('\r\n\r\n') + 4)];
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const));
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

const listen = (server: Listener) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
const API_HEADERS = ['x-content-type-options', 'x-frame-options', 'content-security-policy', 'referrer-policy', 'cache-control', 'cross-origin-resource-policy'];

describe('createListener', () => {
  let dir: string;
  let cert: SelfSignedCert;
  let plain: Listener;
  let secure: Listener;
  let plainPort: number;
  let securePort: number;
  const handler = (_req: unknown, res: import('node:http').ServerResponse) => res.end('{"ok":true}');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-listener-'));
    cert = makeSelfSignedCert(dir);
    const limits = { headersTimeout: 500, requestTimeout: 1000, connectionsCheckingInterval: 100, maxHeaderSize: 2048 };
    plain = createListener(handler, { tls: null, limits });
    secure = createListener(handler, { tls: await readTlsCredentials(cert), limits });
    [plainPort, securePort] = [await listen(plain), await listen(secure)];
  });

  afterAll(async () => {
    await new Promise((r) => plain.close(r));
    await new Promise((r) => secure.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets its header and time limits on the node server, with the documented defaults', () => {
    expect(DEFAULT_SERVER_LIMITS).toEqual({ maxHeaderSize: 16384, headersTimeout: 20_000, requestTimeout: 300_000, connectionsCheckingInterval: 5_000, keepAliveTimeout: 5_000 });
    const server = createListener(handler, { tls: null });
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout]).toEqual([20_000, 300_000, 5_000]);
    expect([plain.headersTimeout, plain.requestTimeout]).toEqual([500, 1000]);
  });

  it('puts the security headers on every answer, with HSTS only over TLS', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
    const overHttp = headersOf(await exchange(plainPort, request));
    const overTls = headersOf(await exchange(securePort, request, cert.certPem));
    for (const answer of [overHttp, overTls]) {
      expect(answer.status).toBe(200);
      for (const name of API_HEADERS) expect(answer.headers.has(name), name).toBe(true);
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
    }
    expect(overHttp.headers.has('strict-transport-security')).toBe(false);
    expect(overTls.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('answers headers over maxHeaderSize with 431, as JSON with the security headers, and closes', async () => {
    const answer = headersOf(await exchange(plainPort, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(4096)}\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toEqual({ code: '390401', sqlState: '08P01', message: 'request headers exceed the limit of 2048 bytes' });
    expect(answer.headers.get('connection')).toBe('close');
    for (const name of API_HEADERS) expect(answer.headers.has(name), name).toBe(true);
  });

  it('answers a client that never finishes its headers with 408 and closes the connection (slowloris)', async () => {
    for (const [port, ca] of [[plainPort, null], [securePort, cert.certPem]] as const) {
      const answer = headersOf(await exchange(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a', ca));
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body)).toEqual({ code: '390401', sqlState: '08P01', message: 'the request was not received in time' });
      expect(answer.headers.has('strict-transport-security')).toBe(ca !== null);
    }
  });

  it('answers a client that never finishes its body with 408 too', async () => {
    const silent = createListener((req, res) => req.on('end', () => res.end('late')).resume(), { tls: null, limits: { headersTimeout: 500, requestTimeout: 1000, connectionsCheckingInterval: 100 } });
    const port = await listen(silent);
    const answer = headersOf(await exchange(port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"statement"'));
    await new Promise((r) => silent.close(r));
    expect(answer.status).toBe(408);
  });

  it('answers an unparsable request with 400 and the security headers', async () => {
    const answer = headersOf(await exchange(plainPort, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ code: '390401', sqlState: '08P01', message: 'malformed HTTP request' });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses to start from a key that does not match the certificate, naming both variables', async () => {
    const other = makeSelfSignedCert(mkdtempSync(path.join(dir, 'other-')));
    await expect(readTlsCredentials({ certPath: cert.certPath, keyPath: other.keyPath })).rejects.toThrow(
      `FIRN_TLS_CERT '${cert.certPath}' and FIRN_TLS_KEY '${other.keyPath}' are not a usable certificate and matching private key in PEM (ERR_OSSL_X509_KEY_VALUES_MISMATCH)`,
    );
    await expect(readTlsCredentials({ certPath: path.join(dir, 'missing.pem'), keyPath: cert.keyPath })).rejects.toThrow(`cannot read FIRN_TLS_CERT '${path.join(dir, 'missing.pem')}': ENOENT`);
    const key = await readFile(cert.keyPath, 'utf8');
    const error = await readTlsCredentials({ certPath: cert.keyPath, keyPath: cert.keyPath }).catch((e: Error) => e.message);
    expect(error).toMatch(/^FIRN_TLS_CERT .* are not a usable certificate/);
    expect(error).not.toContain(key.split('\n')[1]);
  });
});
