/**
 * Where the CLI finds its credentials, in this order (the first that is there wins):
 * 1. FIRN_TOKEN: a programmatic access token;
 * 2. FIRN_USER with FIRN_PASSWORD: a password login (both must be set);
 * 3. $FIRN_HOME/credentials (FIRN_HOME defaults to ./.firn, as for the server): the file the
 *    server writes on its first start (services/access/credentials-file.ts), so `npx firn` run
 *    from the folder where `npm start` runs needs no login step. Its token is used, with its
 *    user and password as the fallback, and its `url` is the server's when neither --url nor
 *    FIRN_URL says otherwise.
 *
 * Contract: `resolveCredentials` answers the credentials (and the file's url, if any) or
 * throws CredentialsError with a message that says what to set.
 */
import path from 'node:path';
import { credentialsPath, readCredentialsFile } from '../access/credentials-file.js';
import type { ClientCredentials } from './firn-client.js';

export class CredentialsError extends Error {}

export function resolveCredentials(env: Record<string, string | undefined>, cwd: string): { credentials: ClientCredentials; url: string | null } {
  const token = env.FIRN_TOKEN?.trim();
  if (token) return { credentials: { token, login: null, source: 'FIRN_TOKEN' }, url: null };
  const user = env.FIRN_USER?.trim();
  const password = env.FIRN_PASSWORD;
  if (user || password) {
    if (!user || !password) throw new CredentialsError(`${user ? 'FIRN_USER is set but FIRN_PASSWORD is not' : 'FIRN_PASSWORD is set but FIRN_USER is not'}: set both to log in with a password`);
    return { credentials: { token: null, login: { user, password }, source: 'FIRN_USER/FIRN_PASSWORD' }, url: null };
  }
  const file = credentialsPath(path.resolve(cwd, env.FIRN_HOME || '.firn'));
  let saved: ReturnType<typeof readCredentialsFile>;
  try {
    saved = readCredentialsFile(file);
  } catch (err) {
    throw new CredentialsError((err as Error).message);
  }
  if (saved === null) {
    throw new CredentialsError(
      `no credentials: set FIRN_TOKEN (a programmatic access token), or FIRN_USER and FIRN_PASSWORD, or run firn where the server keeps its data (FIRN_HOME, default ./.firn) so it finds ${file}`,
    );
  }
  const login = saved.user && saved.password ? { user: saved.user, password: saved.password } : null;
  if (!saved.token && !login) throw new CredentialsError(`${file} holds neither a token nor a user and password`);
  return { credentials: { token: saved.token || null, login, source: file }, url: saved.url ?? null };
}
