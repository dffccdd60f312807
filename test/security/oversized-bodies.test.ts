/**
 * Oversized requests against the real server: a client trying to exhaust the services' memory
 * with a huge body (declared or chunked without a length) or huge headers is answered 413 /
 * 431 without the server buffering it, and the server keeps serving. The body cap is 16 MiB
 * (http-server.ts); the head cap 16 KiB (listener.ts, whose unit test covers slow headers).
 */
import { rawExchange } from '../support/raw-http.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';

const LIMIT = 16 * 1024 * 1024;

const parse = (raw: string) => ({ statusLine: raw.split('\r\n')[0], head: raw.slice(0, raw.indexOf('\r\n\r\n')), body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });

describe('oversized requests', () => {
  let dir: string;
  let server: FirnProcess;
  const port = () => Number(new URL(server.url).port);
  const authLines = () => Object.entries(ADMIN_AUTH_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const head = (extra: string) => `POST /api/v2/statements HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nContent-Type: application/json\r\n${authLines()}${extra}\r\n`;
  const tooLarge = { code: '390401', sqlState: '08P01', message: `request body exceeds the limit of ${LIMIT} bytes` };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-oversized-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('memory exhaustion by a huge declared body: 413 at once, before any of it is sent, and the connection closes', async () => {
    const answer = parse(await rawExchange(port(), head(`Content-Length: ${LIMIT + 1}\r\n`)));
    expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer.head).toContain('Connection: close');
    expect(JSON.parse(answer.body)).toEqual(tooLarge);
  });

  it('memory exhaustion by a chunked body without a length: 413 once it passes 16 MiB', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pieces = Array.from({ length: 16 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    pieces.push(Buffer.from('1\r\n \r\n'));
    const answer = parse(await rawExchange(port(), head('Transfer-Encoding: chunked\r\n'), pieces));
    expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(answer.body)).toEqual(tooLarge);
  });

  it('no false refusal: a body of exactly 16 MiB is read and runs', async () => {
    const statement = JSON.stringify({ statement: 'SELECT 1 AS one' });
    const body = Buffer.alloc(LIMIT, 0x20);
    body.write(statement, 0, 'utf8');
    const answer = parse(await rawExchange(port(), head(`Content-Length: ${LIMIT}\r\nConnection: close\r\n`), [body]));
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(JSON.parse(answer.body).data).toEqual([['1']]);
  });

  it('memory exhaustion by huge headers: 431, and the server keeps serving', async () => {
    const answer = parse(await rawExchange(port(), `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 40 }, (_, i) => `X-Pad-${i}: ${'p'.repeat(1000)}\r\n`).join('')}\r\n`));
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(JSON.parse(answer.body)).toEqual({ code: '390401', sqlState: '08P01', message: 'request headers exceed the limit of 16384 bytes' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
