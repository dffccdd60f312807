/**
 * The version of the running Firn: the `version` of its package.json, for CURRENT_VERSION().
 *
 * Contract: `firnVersion()` reads the nearest package.json named `firn` above this module (the
 * source tree and the built dist/ tree both find the repository's) once per process, and
 * answers 'unknown' when there is none.
 */
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function firnVersion(): string {
  if (version !== undefined) return version;
  version = 'unknown';
  let dir = new URL('.', import.meta.url);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'firn' && typeof pkg.version === 'string') {
        version = pkg.version;
        break;
      }
    } catch {
      // No package.json here: look in the parent directory.
    }
    const parent = new URL('..', dir);
    if (parent.href === dir.href) break;
    dir = parent;
  }
  return version;
}
