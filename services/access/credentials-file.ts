/**
 * `$FIRN_HOME/credentials`: the bootstrap administrator's credentials, written by the server
 * on its first start (bootstrap-admin.ts) and read by the CLI (services/cli/resolve-credentials.ts),
 * so the quick start needs no login step.
 *
 * Format (JSON, one object): {"url": "http://127.0.0.1:8080", "user": "ADMIN",
 * "password": "...", "token": "..."}: `url` is where the server listened when it wrote the
 * file, `token` a programmatic access token of `user`. Every field is optional to a reader.
 *
 * Contract: `writeCredentialsFile` creates the file with mode 0600 (owner read/write only)
 * through a temporary file renamed into place, so no reader ever sees it partly written or
 * with wider permissions; `readCredentialsFile` answers null when there is no file and throws
 * an Error naming the file when it is not such an object.
 */
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CREDENTIALS_FILE_NAME = 'credentials';

export type CredentialsFile = { url?: string; user?: string; password?: string; token?: string };

export function credentialsPath(home: string): string {
  return path.join(home, CREDENTIALS_FILE_NAME);
}

export function writeCredentialsFile(file: string, credentials: CredentialsFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  // The mode is 0600 whatever the umask (which can only take bits away).
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function readCredentialsFile(file: string): CredentialsFile | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${file} must hold a JSON object`);
  const out: CredentialsFile = {};
  for (const key of ['url', 'user', 'password', 'token'] as const) {
    const v = (json as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new Error(`${file}: "${key}" must be a string`);
    out[key] = v;
  }
  return out;
}
