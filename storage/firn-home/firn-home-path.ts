/**
 * The one check that every file or directory Firn creates for itself (catalog, warehouse
 * caches, spill files, the default local object store) lies under FIRN_HOME.
 *
 * Why: names users choose (warehouses, databases, ...) must never steer where Firn writes. Paths
 * are derived from ids, and this guard makes a mistake there a loud InternalError instead of a
 * directory outside the data directory (e.g. CREATE WAREHOUSE "../../escaped").
 *
 * Contract: firnHomePath(home, ...segments) resolves the segments against `home` (an absolute
 * segment replaces what came before, as path.resolve does, so an already built path can be
 * checked too) and returns the absolute path when it is `home` itself or inside it, lexically
 * (after resolving '.' and '..', before following symlinks). Otherwise, or when a segment
 * holds a NUL, it throws InternalError and creates nothing.
 */
import path from 'node:path';
import { InternalError } from '../errors/firn-error.js';

export function firnHomePath(home: string, ...segments: string[]): string {
  if (home === '' || [home, ...segments].some((s) => s.includes('\0'))) {
    throw new InternalError(`refusing a Firn path with an empty home or a NUL character under '${home}'`);
  }
  const root = path.resolve(home);
  const target = path.resolve(root, ...segments);
  const rel = path.relative(root, target);
  if (rel !== '' && (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel))) {
    throw new InternalError(`refusing to create '${target}': Firn only writes its own files under FIRN_HOME (${root})`);
  }
  return target;
}
