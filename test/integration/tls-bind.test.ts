/**
 * The bind policy and TLS on the real server process (dist/services/server/main.js):
 * - with FIRN_TLS_CERT / FIRN_TLS_KEY (a self-signed certificate made here with `openssl`) it
 *   serves HTTPS on 127.0.0.1, announces an https:// URL, runs statements, sends HSTS, and
 *   speaks no plain HTTP on that port;
 * - FIRN_HOST=0.0.0.0 without TLS refuses to start (exit code 1, a message naming the
 *   variables) before it creates anything under FIRN_HOME;
 * - FIRN_HOST=0.0.0.0 with FIRN_ALLOW_INSECURE_BIND=1 starts, with the loud warning on stderr.
 * Only loopback is ever contacted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, SERVER_ENTRY, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { makeSelfSignedCert, type SelfSignedCert } from '../support/self-signed-cert.js';
import { postStatement } from '../support/post-statement.js';

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function httpsPost(url: string, ca: string, statement: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${url}/api/v2/statements`, { method: 'POST', ca, headers: { 'content-type': 'application/json', ...ADMIN_AUTH_HEADERS } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    // Any number of statements: some calls send a script.
    req.end(JSON.stringify({ statement, parameters: { MULTI_STATEMENT_COUNT: 0 } }));
  });
}

/** Runs main.js until it exits; resolves with its exit code and output. */
function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_ENTRY], { env: { ...process.env, FIRN_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('the bind policy and TLS on the real server', () => {
  let dir: string;
  let cert: SelfSignedCert;
  const servers: FirnProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-tls-'));
    cert = makeSelfSignedCert(dir);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS on 127.0.0.1 with FIRN_TLS_CERT and FIRN_TLS_KEY, runs statements, sends HSTS, and refuses plain HTTP', async () => {
    const server = await startFirnProcess({
      home: path.join(dir, 'tls-home'),
      env: { FIRN_HOST: '127.0.0.1', FIRN_TLS_CERT: cert.certPath, FIRN_TLS_KEY: cert.keyPath },
      ca: cert.certPem,
    });
    servers.push(server);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.output()).not.toContain('WARNING');
    const created = await httpsPost(server.url, cert.certPem, 'CREATE TABLE secret (x INT); INSERT INTO secret VALUES (41), (1)');
    expect(created.status).toBe(200);
    const answer = await httpsPost(server.url, cert.certPem, 'SELECT SUM(x) AS s FROM secret');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data).toEqual([['42']]);
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    // The page's own origin is the https:// one.
    const own = await new Promise<number>((resolve, reject) => {
      httpsRequest(`${server.url}/healthz`, { ca: cert.certPem, headers: { origin: server.url } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(own).toBe(200);
    // An untrusted certificate is refused by a client that does not trust it: the server really speaks TLS.
    await expect(postStatement(server.url, 'SELECT 1')).rejects.toThrow(/cannot reach Firn/);
    const plain = await new Promise<string>((resolve) => {
      httpRequest(`${server.url.replace('https:', 'http:')}/healthz`, (res) => resolve(`status ${res.statusCode}`))
        .on('error', (err: NodeJS.ErrnoException) => resolve(`error ${err.code}`))
        .end();
    });
    expect(plain).toBe('error ECONNRESET');
  });

  it('refuses to start on 0.0.0.0 without TLS: exit code 1, a message naming the TLS variables and the override, nothing created', async () => {
    const home = path.join(dir, 'refused-home');
    const run = await runUntilExit({ FIRN_HOME: home, FIRN_HOST: '0.0.0.0' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Firn failed to start: FIRN_HOST=0.0.0.0 is not a loopback address');
    for (const variable of ['FIRN_TLS_CERT', 'FIRN_TLS_KEY', 'FIRN_ALLOW_INSECURE_BIND=1']) expect(run.stderr).toContain(variable);
    expect(run.stdout).not.toContain('Firn listening');
    expect(existsSync(home)).toBe(false);
  });

  it('refuses to start with a certificate but no key, and with files that are not a certificate and its key', async () => {
    const half = await runUntilExit({ FIRN_HOME: path.join(dir, 'half-home'), FIRN_TLS_CERT: cert.certPath });
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('Firn failed to start: FIRN_TLS_CERT is set but FIRN_TLS_KEY is not');
    const swapped = await runUntilExit({ FIRN_HOME: path.join(dir, 'swapped-home'), FIRN_TLS_CERT: cert.keyPath, FIRN_TLS_KEY: cert.certPath });
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toContain(`Firn failed to start: FIRN_TLS_CERT '${cert.keyPath}' and FIRN_TLS_KEY '${cert.certPath}' are not a usable certificate and matching private key in PEM`);
  });

  it('starts on 0.0.0.0 with FIRN_ALLOW_INSECURE_BIND=1, warning loudly on stderr', async () => {
    const server = await startFirnProcess({ home: path.join(dir, 'insecure-home'), env: { FIRN_HOST: '0.0.0.0', FIRN_ALLOW_INSECURE_BIND: '1' } });
    servers.push(server);
    expect(server.output()).toContain('WARNING: FIRN_ALLOW_INSECURE_BIND=1: Firn serves PLAIN HTTP on all interfaces (FIRN_HOST=0.0.0.0).');
    expect(server.output()).toContain('UNENCRYPTED');
    const loopback = server.url.replace('0.0.0.0', '127.0.0.1');
    expect((await postStatement(loopback, 'SELECT 1 AS one')).data).toEqual([['1']]);
  });
});
