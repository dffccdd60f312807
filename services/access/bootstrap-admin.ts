/**
 * The first administrator: on a start where the user ADMIN does not exist (the first start of
 * a FIRN_HOME, or one after ADMIN was dropped), the server creates ADMIN with the default
 * role ACCOUNTADMIN.
 *
 * Contract:
 * - With `adminPassword` (FIRN_ADMIN_PASSWORD) that is ADMIN's password, and no file is written.
 * - Without it Firn generates a password and a programmatic access token (BOOTSTRAP_TOKEN_NAME,
 *   MAX_TOKEN_DAYS_TO_EXPIRY days) and writes both to `$FIRN_HOME/credentials` (mode 0600,
 *   credentials-file.ts) *before* ADMIN exists, so a failure leaves no user whose password
 *   nobody knows (the next start tries again).
 * - Answers whether ADMIN was created and the credentials file, if there is one; never a secret.
 */
import { existsSync } from 'node:fs';
import { MAX_TOKEN_DAYS_TO_EXPIRY, type UserStore } from '../catalog/user-store.js';
import { credentialsPath, writeCredentialsFile } from './credentials-file.js';
import { ADMIN_USER } from './firn-authenticator.js';
import { hashPassword } from './password-hash.js';
import { newSecret, secretHash } from './token-secret.js';

export const ADMIN_ROLE = 'ACCOUNTADMIN';
export const BOOTSTRAP_TOKEN_NAME = 'FIRN_CREDENTIALS_FILE';
const DAY_MS = 86_400_000;

export type BootstrapOptions = { users: UserStore; home: string; url: string; adminPassword?: string; clock?: () => number };

export async function bootstrapAdmin(opts: BootstrapOptions): Promise<{ created: boolean; credentialsFile: string | null }> {
  const file = credentialsPath(opts.home);
  if (opts.users.getUser(ADMIN_USER)) return { created: false, credentialsFile: existsSync(file) ? file : null };
  const now = (opts.clock ?? Date.now)();
  const admin = { name: ADMIN_USER, defaultRole: ADMIN_ROLE, defaultWarehouse: null, defaultNamespace: null, disabled: false, comment: 'created by Firn on first start', owner: null, createdAt: now };
  if (opts.adminPassword !== undefined && opts.adminPassword !== '') {
    opts.users.createUser({ ...admin, passwordHash: await hashPassword(opts.adminPassword) }, { ifNotExists: true });
    return { created: true, credentialsFile: existsSync(file) ? file : null };
  }
  const password = newSecret();
  const token = newSecret();
  writeCredentialsFile(file, { url: opts.url, user: ADMIN_USER, password, token });
  opts.users.createUser({ ...admin, passwordHash: await hashPassword(password) }, { ifNotExists: true });
  opts.users.addToken(ADMIN_USER, {
    name: BOOTSTRAP_TOKEN_NAME,
    secretHash: secretHash(token),
    roleRestriction: null,
    comment: `written to ${file}`,
    createdAt: now,
    createdBy: ADMIN_USER,
    expiresAt: now + MAX_TOKEN_DAYS_TO_EXPIRY * DAY_MS,
  });
  return { created: true, credentialsFile: file };
}
