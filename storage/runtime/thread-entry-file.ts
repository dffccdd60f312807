/**
 * Where a worker thread's entry module is, for the module that starts the thread.
 *
 * Why: services and the warehouse may run from TypeScript sources (vitest), but a worker
 * thread always loads the compiled build in dist/ (npm test builds first), so the entry beside
 * a source file is found under dist/ at the same place.
 *
 * Contract: `threadEntryFile(import.meta.url, 'parse-worker.js')` is the path of
 * `parse-worker.js` in the calling module's folder when the caller is compiled JavaScript,
 * and in that folder's twin under `<repo>/dist/` when it is a TypeScript source. `entry` may
 * climb out of the folder (`'../worker/x.cjs'`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is `storage/runtime/` in the sources and `dist/storage/runtime/` in the build. */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = HERE.includes(`${path.sep}dist${path.sep}`) ? path.resolve(HERE, '..', '..', '..') : path.resolve(HERE, '..', '..');

export function threadEntryFile(callerUrl: string, entry: string): string {
  const caller = fileURLToPath(callerUrl);
  const folder = path.dirname(caller);
  if (!caller.endsWith('.ts')) return path.join(folder, entry);
  return path.join(REPO, 'dist', path.relative(REPO, folder), entry);
}
