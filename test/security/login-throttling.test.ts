/**
 * Password guessing through POST /session/v1/login-request: after 5 wrong passwords in a row a
 * user is locked for 15 minutes (Snowflake's 390102), even for the right password, whatever
 * address the guesses come from; one address spraying wrong passwords over many user names is
 * refused with 429 and Retry-After. Tokens keep working (the lock is on password logins). The
 * server is real; the lock windows are checked without waiting them out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { createTestUser, type TestUser } from '../support/test-users.js';

describe('login throttling', () => {
  let dir: string;
  let server: FirnProcess;
  let victim: TestUser;

  const login = async (user: string, password: string) => {
    const res = await fetch(`${server.url}/session/v1/login-request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { LOGIN_NAME: user, PASSWORD: password } }),
    });
    const body = (await res.json()) as { success: boolean; code: string | null; message: string | null };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), success: body.success, code: body.code, message: body.message };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-throttle-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    victim = await createTestUser(server.url, 'victim', "PASSWORD = 'right-pass-1' DEFAULT_ROLE = SYSADMIN");
    await createTestUser(server.url, 'bystander', "PASSWORD = 'other-pass-1'");
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('five wrong passwords lock the user, also against the right password, without locking other users or its tokens', async () => {
    expect(await login('victim', 'right-pass-1')).toMatchObject({ status: 200, success: true });
    for (let i = 0; i < 5; i++) {
      expect(await login('victim', `guess-${i}`), `guess ${i}`).toEqual({
        status: 200, retryAfter: null, success: false, code: '390100', message: 'Incorrect username or password was specified.',
      });
    }
    const locked = await login('VICTIM', 'right-pass-1');
    expect(locked).toMatchObject({ status: 200, success: false, code: '390102' });
    expect(locked.message).toBe('Your user account has been temporarily locked due to too many failed attempts. Try again after 15 minutes or contact your account administrator for assistance.');
    expect(Number(locked.retryAfter)).toBeGreaterThan(14 * 60);
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(15 * 60);
    expect(await login('bystander', 'other-pass-1')).toMatchObject({ status: 200, success: true });
    expect((await postStatement(server.url, 'SELECT 1', {}, victim.credentials)).data).toEqual([['1']]);
  });

  it('names that are not users are locked the same way (the lockout reveals no user names)', async () => {
    for (let i = 0; i < 5; i++) expect((await login('no_such_user', `guess-${i}`)).code).toBe('390100');
    expect((await login('no_such_user', 'anything')).code).toBe('390102');
  });

  it('one address guessing across many user names is refused with 429 and Retry-After', async () => {
    // 10 failures so far from this address; the address limit is 20 within 15 minutes.
    let refused: Awaited<ReturnType<typeof login>> | null = null;
    for (let i = 0; i < 20 && refused === null; i++) {
      const r = await login(`spray_${i}`, 'Winter2024!');
      if (r.status === 429) refused = r;
      else expect(r.code).toBe('390100');
    }
    expect(refused).toMatchObject({ status: 429, success: false, code: '390505', message: 'Too many requests.' });
    expect(Number(refused!.retryAfter)).toBeGreaterThan(0);
    // Even the right password of a user that is not locked is refused from this address now.
    expect((await login('bystander', 'other-pass-1')).status).toBe(429);
  });
});
