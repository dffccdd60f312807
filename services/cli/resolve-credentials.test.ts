import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialsError, resolveCredentials } from './resolve-credentials.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'firn-creds-'));
  mkdirSync(path.join(cwd, '.firn'));
  writeFileSync(path.join(cwd, '.firn', 'credentials'), JSON.stringify({ url: 'http://127.0.0.1:9999', user: 'ADMIN', password: 'p', token: 't' }));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('resolveCredentials', () => {
  it('takes FIRN_TOKEN first, then FIRN_USER with FIRN_PASSWORD, then $FIRN_HOME/credentials (default ./.firn)', () => {
    expect(resolveCredentials({ FIRN_TOKEN: 'tok', FIRN_USER: 'u', FIRN_PASSWORD: 'p' }, cwd)).toEqual({ credentials: { token: 'tok', login: null, source: 'FIRN_TOKEN' }, url: null });
    expect(resolveCredentials({ FIRN_USER: 'u', FIRN_PASSWORD: 'pw' }, cwd)).toEqual({
      credentials: { token: null, login: { user: 'u', password: 'pw' }, source: 'FIRN_USER/FIRN_PASSWORD' },
      url: null,
    });
    const file = path.join(cwd, '.firn', 'credentials');
    expect(resolveCredentials({}, cwd)).toEqual({ credentials: { token: 't', login: { user: 'ADMIN', password: 'p' }, source: file }, url: 'http://127.0.0.1:9999' });
    const home = path.join(cwd, 'other');
    mkdirSync(home);
    writeFileSync(path.join(home, 'credentials'), JSON.stringify({ token: 'only' }));
    expect(resolveCredentials({ FIRN_HOME: 'other' }, cwd)).toEqual({ credentials: { token: 'only', login: null, source: path.join(home, 'credentials') }, url: null });
  });

  it('refuses half a login, a missing file and a malformed one with a message that says what to set', () => {
    expect(() => resolveCredentials({ FIRN_PASSWORD: 'p' }, cwd)).toThrow(new CredentialsError('FIRN_PASSWORD is set but FIRN_USER is not: set both to log in with a password'));
    const empty = mkdtempSync(path.join(tmpdir(), 'firn-creds-none-'));
    try {
      expect(() => resolveCredentials({}, empty)).toThrow(/^no credentials: set FIRN_TOKEN/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    writeFileSync(path.join(cwd, '.firn', 'credentials'), '{"token": 5}');
    expect(() => resolveCredentials({}, cwd)).toThrow(`${path.join(cwd, '.firn', 'credentials')}: "token" must be a string`);
    writeFileSync(path.join(cwd, '.firn', 'credentials'), 'not json');
    expect(() => resolveCredentials({}, cwd)).toThrow(`${path.join(cwd, '.firn', 'credentials')} is not valid JSON`);
  });
});
