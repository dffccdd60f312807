/**
 * Starts a Firn server as a child process (the real `npm start` entry, compiled in dist/)
 * and stops it: for integration tests, benchmarks and tools that need a server of their own.
 *
 * Contract: the server starts with the malloc tunables `npm start` uses (malloc-tunables.ts);
 * resolves once the server answers GET /healthz (over HTTPS when it serves TLS: `ca` is then
 * the certificate to trust, e.g. the test's self-signed one); the port is chosen by the OS
 * unless given. `stop()` sends SIGTERM, waits for exit, and SIGKILLs after a grace period.
 * The result cache is off (FIRN_RESULT_CACHE_BYTES=0) unless `env` sets it: tests and
 * benchmarks repeat queries to measure how they run (on other warehouses, with timeouts,
 * spilling), as one turns off USE_CACHED_RESULT to benchmark Snowflake.
 *
 * Authentication: the server starts with FIRN_ADMIN_TOKEN = TEST_ADMIN_TOKEN (unless `env`
 * sets FIRN_ADMIN_TOKEN), a programmatic access token of ADMIN that postStatement, postRaw and
 * ADMIN_AUTH_HEADERS send, so tests act as the administrator unless they are about access.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withMallocTunables } from '../../services/server/malloc-tunables.js';
import { SERVER_NODE_FLAGS } from '../../services/server/server-node-flags.js';

/** The FIRN_ADMIN_TOKEN test servers start with: a valid programmatic access token of ADMIN. */
export const TEST_ADMIN_TOKEN = 'firn-test-admin-token-0123456789abcdefghijklmnopqrstuv';

/** The SQL API headers that authenticate as ADMIN on a test server. */
export const ADMIN_AUTH_HEADERS: Readonly<Record<string, string>> = {
  Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
  'X-Snowflake-Authorization-Token-Type': 'PROGRAMMATIC_ACCESS_TOKEN',
};

export type FirnProcess = { url: string; home: string; child: ChildProcess; output(): string; stop(): Promise<void> };

export type FirnProcessOptions = { home: string; env?: Record<string, string>; port?: number; startTimeoutMs?: number; ca?: string | Buffer };

const here = path.dirname(fileURLToPath(import.meta.url));
const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '..', '..', '..') : path.resolve(here, '..', '..');
export const SERVER_ENTRY = path.join(root, 'dist', 'services', 'server', 'main.js');

export async function startFirnProcess(opts: FirnProcessOptions): Promise<FirnProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_ENTRY], {
    env: withMallocTunables({
      ...process.env,
      FIRN_HOME: opts.home,
      FIRN_PORT: String(opts.port ?? 0),
      FIRN_RESULT_CACHE_BYTES: '0',
      FIRN_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      ...opts.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firn did not start within ${opts.startTimeoutMs ?? 30_000} ms:\n${log}`)), opts.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /Firn listening on (https?:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Firn exited with code ${code} before it was ready:\n${log}`));
    });
  });
  const health = url.startsWith('https:') ? await httpsStatus(`${url}/healthz`, opts.ca) : (await fetch(`${url}/healthz`)).status;
  if (health !== 200) throw new Error(`Firn /healthz answered ${health}`);
  return {
    url,
    home: opts.home,
    child,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The status of a GET over HTTPS trusting `ca` (fetch cannot be given a CA without undici). */
function httpsStatus(url: string, ca: string | Buffer | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}
