/**
 * Leaks of credentials: the generated administrator credentials live only in
 * $FIRN_HOME/credentials, which only its owner may read (mode 0600); the server's output names
 * that file but never prints a secret; no password or token reaches the catalog file in plain
 * text (users keep scrypt hashes, tokens a SHA-256, query history has secrets masked), nor
 * another user's view of query history.
 */
import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCredentialsFile } from '../../services/access/credentials-file.js';
import { TEST_ADMIN_TOKEN, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { tokenAuth } from '../support/test-users.js';

describe('credential leaks', () => {
  let dir: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');
  /** Every byte FIRN_HOME's catalog holds (the SQLite file and its WAL), as latin1 text. */
  const catalogBytes = () =>
    readdirSync(home())
      .filter((f) => f.startsWith('catalog.sqlite'))
      .map((f) => readFileSync(path.join(home(), f)).toString('latin1'))
      .join('');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-leaks-'));
    // No FIRN_ADMIN_PASSWORD: the first start generates ADMIN's credentials.
    server = await startFirnProcess({ home: home(), env: { FIRN_ADMIN_PASSWORD: '' } });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the generated credentials to $FIRN_HOME/credentials with mode 0600, and they work', async () => {
    const file = path.join(home(), 'credentials');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = readCredentialsFile(file)!;
    expect(saved).toMatchObject({ url: server.url, user: 'ADMIN' });
    expect(saved.password!.length).toBeGreaterThanOrEqual(32);
    expect((await postStatement(server.url, 'SELECT 1', {}, { token: saved.token!, login: null, source: file })).data).toEqual([['1']]);
    expect((await postStatement(server.url, 'SELECT 2', {}, { token: null, login: { user: 'ADMIN', password: saved.password! }, source: file })).data).toEqual([['2']]);
  });

  it("the server's output names the credentials file but prints no secret", async () => {
    const saved = readCredentialsFile(path.join(home(), 'credentials'))!;
    const output = server.output();
    expect(output).toContain(`${path.join(home(), 'credentials')} (mode 0600)`);
    for (const secret of [saved.password!, saved.token!, TEST_ADMIN_TOKEN]) expect(output).not.toContain(secret);
  });

  it('no password or token reaches the catalog file or query history in plain text', async () => {
    const saved = readCredentialsFile(path.join(home(), 'credentials'))!;
    await postStatement(server.url, "CREATE USER leak_user PASSWORD = 'Leak-Pass-123' DEFAULT_ROLE = SYSADMIN");
    await postStatement(server.url, "ALTER USER leak_user SET PASSWORD = 'Leak-Pass-456'");
    const token = (await postStatement(server.url, 'ALTER USER leak_user ADD PAT leak_pat')).data[0][1] as string;
    await postStatement(server.url, 'SELECT 1', {}, tokenAuth(token, 'leak_pat').credentials);
    const history = await postStatement(server.url, "SELECT QUERY_TEXT FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_TEXT ILIKE '%leak_user PASSWORD%' ORDER BY START_TIME");
    expect(history.data).toEqual([["CREATE USER leak_user PASSWORD = '****' DEFAULT_ROLE = SYSADMIN"]]);
    // History is written a few ms after a statement; the read above flushed it.
    const bytes = catalogBytes();
    for (const secret of ['Leak-Pass-123', 'Leak-Pass-456', token, saved.password!, saved.token!, TEST_ADMIN_TOKEN]) {
      expect(bytes.includes(secret), `secret ${secret.slice(0, 4)}… in the catalog`).toBe(false);
    }
    expect(bytes).toContain('scrypt$16384$8$1$');
  });
});
