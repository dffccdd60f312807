/**
 * `GET /healthz` answers 200 only once the server is ready (ARCHITECTURE.md): on a first
 * start, once ADMIN exists, so FIRN_ADMIN_TOKEN (a token of ADMIN) authenticates the moment a
 * client that polled /healthz sees 200. The server used to answer 200 as soon as it listened,
 * before the bootstrap created ADMIN, and a statement sent then was refused with 390303.
 * Real server process on a fresh home, polled without waiting for its log line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withMallocTunables } from '../../services/server/malloc-tunables.js';
import { SERVER_NODE_FLAGS } from '../../services/server/server-node-flags.js';
import { SERVER_ENTRY, TEST_ADMIN_TOKEN } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

describe('/healthz on a first start', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-healthz-ready-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 200 only once the admin token authenticates', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_ENTRY], {
      env: withMallocTunables({ ...process.env, FIRN_HOME: path.join(dir, 'home'), FIRN_PORT: String(port), FIRN_ADMIN_TOKEN: TEST_ADMIN_TOKEN }),
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = `http://127.0.0.1:${port}`;
      const statuses: number[] = [];
      for (const started = Date.now(); Date.now() - started < 30_000; ) {
        const status = await fetch(`${url}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 0) statuses.push(status);
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(statuses.at(-1)).toBe(200);
      expect(statuses.every((s) => s === 503 || s === 200)).toBe(true);
      const answer = await postStatement(url, 'SELECT 1');
      expect(answer.data).toEqual([['1']]);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
