/**
 * The policy for raw locations: a `'file://…'` or `'s3://…'` URL written in COPY INTO (instead
 * of a stage), and the URL of an external stage that reaches files with the server's own
 * access (a `file://` stage; an `s3://` stage without CREDENTIALS, which would use the
 * server's AWS credentials).
 *
 * Why: such a URL reads whatever the server process can read — its own catalog, other
 * users' data, /etc — so only the account administrator may use one, and a local path only
 * inside the directories the operator opened for loading.
 *
 * Contract:
 * - mayUseRawLocation(session): whether the statement's role may use a raw location at all:
 *   ACCOUNTADMIN or a role that inherits it.
 * - checkRawLocationRole(session, url) throws AccessError INSUFFICIENT_PRIVILEGES (003001 /
 *   42501) naming the policy unless mayUseRawLocation.
 * - checkLocalPaths(paths, policy) throws AccessError LOCATION_NOT_ALLOWED (390105 / 42501)
 *   naming FIRN_LOAD_ROOTS unless every path (a directory or a file, absolute), after
 *   following symlinks, lies inside one of `policy.loadRoots` (also after following symlinks)
 *   and outside every protected directory (FIRN_HOME and a local table store): Firn's own
 *   files are never loadable, even when a root contains them. A path that does not exist is
 *   checked by its deepest existing ancestor. With no roots (the default) every local path
 *   is refused.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccessError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { FirnConfig } from '../config.js';
import type { SessionContext } from '../session/statement-result.js';
import { isInside } from './stage-path.js';

/** The role that may use raw locations. */
export const RAW_LOCATION_ROLE = 'ACCOUNTADMIN';

/** What checkLocalPaths needs: the load roots and the directories that are never loadable. */
export type LocalPathPolicy = { loadRoots: readonly string[]; protectedDirs: readonly string[] };

/** The policy of this server: its FIRN_LOAD_ROOTS; FIRN_HOME and a local table store are protected. */
export function localPathPolicy(config: Pick<FirnConfig, 'loadRoots' | 'home' | 'storageUrl'>): LocalPathPolicy {
  const protectedDirs = [config.home];
  if (config.storageUrl.startsWith('file:')) protectedDirs.push(fileURLToPath(config.storageUrl));
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(config.storageUrl)) protectedDirs.push(path.resolve(config.storageUrl));
  return { loadRoots: config.loadRoots, protectedDirs };
}

/** The session's role is ACCOUNTADMIN or inherits it (its privileges, computed once per statement by the engine). */
export function mayUseRawLocation(session: SessionContext): boolean {
  return session.privileges?.inherits(RAW_LOCATION_ROLE) ?? false;
}

export function checkRawLocationRole(session: SessionContext, url: string): void {
  if (mayUseRawLocation(session)) return;
  throw new AccessError(
    'INSUFFICIENT_PRIVILEGES',
    `Insufficient privileges to operate on location '${clipValue(url)}': raw file:// and s3:// locations are allowed only for the role ${RAW_LOCATION_ROLE} (the current role is ${session.role ?? 'none'}); load from a stage instead (CREATE STAGE, PUT, COPY INTO ... FROM @stage).`,
  );
}

export async function checkLocalPaths(paths: readonly string[], policy: LocalPathPolicy): Promise<void> {
  const roots = await Promise.all(policy.loadRoots.map(realOrSelf));
  const protectedDirs = await Promise.all(policy.protectedDirs.map(realOrSelf));
  for (const p of paths) {
    const real = await realOfDeepest(p);
    const refuse = (why: string) =>
      new AccessError('LOCATION_NOT_ALLOWED', `Location '${clipValue(p)}' is not allowed: ${why}. Local files can be loaded only from the directories the server's FIRN_LOAD_ROOTS lists${roots.length === 0 ? ' (none are set)' : ''}; use a stage instead (PUT, then COPY INTO ... FROM @stage).`);
    if (protectedDirs.some((d) => isInside(d, real))) throw refuse("it is among Firn's own files (FIRN_HOME)");
    if (!roots.some((r) => isInside(r, real))) throw refuse(real === path.resolve(p) ? 'it is outside FIRN_LOAD_ROOTS' : 'it resolves (through a symbolic link) outside FIRN_LOAD_ROOTS');
  }
}

async function realOrSelf(p: string): Promise<string> {
  return realOfDeepest(path.resolve(p));
}

/** realpath of `p`, or of its deepest existing ancestor joined with the rest. */
async function realOfDeepest(p: string): Promise<string> {
  let probe = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(probe), ...rest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const up = path.dirname(probe);
      if (up === probe) return path.resolve(p);
      rest.unshift(path.basename(probe));
      probe = up;
    }
  }
}
