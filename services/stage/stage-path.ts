/**
 * Paths inside a stage (`@s/a/b.csv` -> 'a/b.csv'), made safe before they touch a file system
 * or an object store.
 *
 * Why: a stage path is text a user controls; an internal stage is a directory under
 * FIRN_HOME. A path must never name anything outside its stage, however it is spelled.
 *
 * Contract:
 * - normalizeStagePath(text) takes the text after the stage name's '/' ('' for none) and
 *   returns it with its segments checked: a relative '/'-separated path, '' (the whole stage),
 *   'a/b/' (a folder: the trailing '/' is kept) or 'a/b.csv'. It throws CompilationError
 *   INVALID_STAGE_PATH for a '..' or '.' segment, an empty segment (a leading or doubled
 *   '/': an absolute path), a backslash, NUL or any control character, a percent-encoded
 *   '.', '/', '\', '%' or NUL (`%2e%2e`, `%2F`, `%5c`, `%00`, `%25`: a layer that decodes once
 *   more must not turn the path into a traversal), names Firn reserves for its temp files,
 *   and names longer than MAX_NAME_BYTES (room left for a temp file's affixes).
 *   No other decoding happens: the path is taken literally.
 * - joinStagePath(prefix, rest) joins a checked folder prefix and a checked relative path.
 * - containedRealPath(root, relative) joins a checked path to a local stage root and checks,
 *   after following symlinks (realpath of the path, or of its deepest existing ancestor when
 *   it does not exist yet), that it is still inside realpath(root); it answers the joined
 *   path. A symlink out of the root is INVALID_STAGE_PATH too.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { TEMP_PREFIX } from '../../storage/object-store/local-object-store.js';

/** The longest file or folder name (bytes of UTF-8), as file systems allow. */
export const MAX_NAME_BYTES = 200;

const CONTROL = /[\u0000-\u001f\u007f]/;
/** Percent-escapes of '.', '/', '\', '%' and NUL, in any case. */
const ENCODED_SEPARATOR = /%(2e|2f|5c|25|00)/i;

function invalid(text: string, why: string): CompilationError {
  return new CompilationError('INVALID_STAGE_PATH', `Invalid stage path '${clipValue(text)}': ${why}.`);
}

export function normalizeStagePath(text: string): string {
  if (text === '') return '';
  if (text.includes('\\')) throw invalid(text, 'backslashes are not allowed');
  if (CONTROL.test(text)) throw invalid(text, 'control characters (NUL, line breaks, ...) are not allowed');
  if (ENCODED_SEPARATOR.test(text)) throw invalid(text, "percent-encoded '.', '/', '\\', '%' or NUL characters are not allowed");
  const folder = text.endsWith('/');
  const segments = (folder ? text.slice(0, -1) : text).split('/');
  for (const s of segments) {
    if (s === '') throw invalid(text, "empty path segments (a leading or doubled '/') are not allowed");
    if (s === '.' || s === '..') throw invalid(text, `'${s}' segments are not allowed`);
    if (s.startsWith(TEMP_PREFIX)) throw invalid(text, `names starting with '${TEMP_PREFIX}' are reserved`);
    if (Buffer.byteLength(s, 'utf8') > MAX_NAME_BYTES) throw invalid(text, `a name is longer than ${MAX_NAME_BYTES} bytes`);
  }
  return folder ? `${segments.join('/')}/` : segments.join('/');
}

/** `prefix` ('' or a checked folder path ending in '/') followed by the checked `rest`. */
export function joinStagePath(prefix: string, rest: string): string {
  if (prefix !== '' && !prefix.endsWith('/')) return normalizeStagePath(`${prefix}/${rest}`);
  return normalizeStagePath(prefix + rest);
}

export async function containedRealPath(root: string, relative: string): Promise<string> {
  const checked = normalizeStagePath(relative);
  const rootReal = await realpath(root);
  const joined = path.join(root, ...checked.split('/').filter((s) => s !== ''));
  let probe = joined;
  let real: string | null = null;
  for (;;) {
    try {
      real = await realpath(probe);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
      const up = path.dirname(probe);
      if (up === probe) break;
      probe = up;
    }
  }
  if (real === null || !isInside(rootReal, real)) throw invalid(relative, 'it leads outside the stage (through a symbolic link)');
  return joined;
}

/** Whether `child` is `parent` or below it (both absolute and real). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}
