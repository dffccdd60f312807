/**
 * Source URLs of COPY INTO: a URL naming one file, a folder, or a glob of files, split into the
 * store that holds them and a key pattern inside that store, and the listing of that pattern.
 *
 * splitSourceUrl:
 * - `file:///data/trips*.csv` -> store `file:///data`, pattern `trips*.csv`: local sources are
 *   rooted at the deepest directory before the first glob character. Percent-escapes in file
 *   URLs are decoded; plain paths (absolute, or relative to the working directory) work too.
 * - `s3://b/dir/x*.csv` -> store `s3://b`, pattern `dir/x*.csv`: S3 sources are rooted at the
 *   bucket, the key is taken literally.
 * - Other schemes -> NotSupportedError.
 *
 * Patterns (listMatching): `*` matches any run of characters except '/', `?` one character
 * except '/', `[abc]` / `[a-z]` / `[!a-z]` (or `[^a-z]`) one character of a class (never '/'),
 * `\` makes the next character literal; an unclosed `[` is literal. A pattern without glob
 * characters names one object or, as a folder, every object under it ('' = the whole store).
 * Only the literal prefix before the first glob character is listed from the store.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompilationError, NotSupportedError, StorageError } from '../errors/firn-error.js';
import type { ObjectInfo, ObjectStore } from './object-store.js';
import { clipValue } from '../errors/clip-value.js';

export type SourceLocation = {
  /** A URL openObjectStore accepts. */
  storeUrl: string;
  /** A key or glob inside that store. */
  pattern: string;
};

export type CompiledGlob = {
  /** The literal text before the first glob character: what to list. */
  literalPrefix: string;
  /** False when the pattern has no glob character at all. */
  hasGlob: boolean;
  matches(key: string): boolean;
};

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const GLOB_CHAR = /[*?[\\]/;

export function splitSourceUrl(url: string): SourceLocation {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    const rest = url.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (bucket === '') throw new StorageError('STORAGE_IO', `invalid source URL '${clipValue(url)}': the bucket name is missing`);
    return { storeUrl: `s3://${bucket}`, pattern: slash < 0 ? '' : rest.slice(slash + 1) };
  }
  if (scheme !== undefined && scheme !== 'file') {
    throw new NotSupportedError(`source URL scheme '${scheme}://' (in '${clipValue(url)}')`);
  }
  let path = url;
  if (scheme === 'file') {
    const rest = url.slice('file://'.length);
    const local = rest.startsWith('localhost/') ? rest.slice('localhost'.length) : rest;
    if (!local.startsWith('/')) {
      throw new StorageError('STORAGE_IO', `invalid source URL '${clipValue(url)}': only local file URLs (file:///path) are supported`);
    }
    path = decodePercent(local);
  }
  if (path === '') throw new StorageError('STORAGE_IO', 'invalid source URL: the URL is empty');
  // resolve() also removes '.', '..' and a trailing '/', none of which carry glob meaning.
  const absolute = resolve(path);
  const firstGlob = absolute.search(GLOB_CHAR);
  const cut = absolute.lastIndexOf('/', firstGlob < 0 ? absolute.length : firstGlob);
  const dir = absolute.slice(0, cut) || '/';
  return { storeUrl: pathToFileURL(dir).href, pattern: absolute.slice(cut + 1) };
}

/** Every object of `store` that `pattern` matches, sorted as list() sorts. */
export async function listMatching(store: ObjectStore, pattern: string): Promise<ObjectInfo[]> {
  const glob = compileGlob(pattern);
  const listed = await store.list(glob.literalPrefix);
  return listed.filter((info) => glob.matches(info.key));
}

export function compileGlob(pattern: string): CompiledGlob {
  let source = '';
  let literal = '';
  let hasGlob = false;
  for (let i = 0; i < pattern.length; ) {
    const cp = pattern.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ch === '*' || ch === '?') {
      source += ch === '*' ? '[^/]*' : '[^/]';
      hasGlob = true;
      i += 1;
    } else if (ch === '[' && classEnd(pattern, i) > 0) {
      const end = classEnd(pattern, i);
      source += classSource(pattern.slice(i + 1, end));
      hasGlob = true;
      i = end + 1;
    } else {
      let lit = ch;
      i += ch.length;
      if (ch === '\\' && i < pattern.length) {
        lit = String.fromCodePoint(pattern.codePointAt(i)!);
        i += lit.length;
      }
      source += escapeRegExp(lit);
      if (!hasGlob) literal += lit;
    }
  }
  if (!hasGlob) {
    const exact = literal;
    const folder = exact === '' || exact.endsWith('/') ? exact : exact + '/';
    return { literalPrefix: exact, hasGlob, matches: (key) => key === exact || key.startsWith(folder) };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^${source}$`, 'u');
  } catch (err) {
    throw new CompilationError('SYNTAX', `invalid file pattern '${clipValue(pattern)}': ${err instanceof Error ? err.message : String(err)}`);
  }
  return { literalPrefix: literal, hasGlob, matches: (key) => regex.test(key) };
}

/** Index of the ']' closing the class opened at `open`, or -1 (then '[' is literal). */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

/** A bracket expression's body as a RegExp class that never matches '/'. */
function classSource(body: string): string {
  let negate = false;
  let i = 0;
  if (body[0] === '!' || body[0] === '^') {
    negate = true;
    i = 1;
  }
  let out = '';
  for (; i < body.length; ) {
    let ch = String.fromCodePoint(body.codePointAt(i)!);
    i += ch.length;
    if (ch === '\\' && i < body.length) {
      ch = String.fromCodePoint(body.codePointAt(i)!);
      i += ch.length;
      out += escapeClassChar(ch);
    } else {
      out += ch === '-' ? '-' : escapeClassChar(ch);
    }
  }
  return negate ? `[^/${out}]` : `(?!/)[${out}]`;
}

function escapeClassChar(ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? '\\' + ch : ch;
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? '\\' + ch : ch;
}

/** Decodes %XX escapes of a file URL path; text that is not valid percent-encoding stays as written. */
function decodePercent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
