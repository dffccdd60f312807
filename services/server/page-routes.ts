/**
 * Serves the notebook page (sources in page/, bundled by esbuild into dist/page by the build):
 * GET | HEAD `/` answers index.html and /page/<file> the bundle's script, style sheet and icon.
 * The page is public (it shows its own login form); everything it does goes through the
 * authenticated API, same-origin. Nothing is loaded from elsewhere: it works offline.
 *
 * Contract:
 * - PAGE_FILES maps each served path to its file in the page directory and its content type;
 *   only those paths are served (isPagePath), nothing is listed or resolved from the URL.
 * - Files are read once and kept in memory; a missing page directory (the page was not
 *   built) answers 404 with the API's error JSON (BAD_REQUEST) naming `npm run build`.
 * - Answers carry PAGE_SECURITY_PROFILE: a CSP that allows scripts, styles, images and
 *   connections from the server's own origin only (no inline script or style attribute, no
 *   eval, no framing), and `no-cache` (revalidated each time, so a rebuilt page is picked up).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { RequestError } from '../../storage/errors/firn-error.js';
import { applySecurityHeaders, type SecurityProfile } from './security-headers.js';

export const PAGE_SECURITY_PROFILE: SecurityProfile = {
  contentSecurityPolicy:
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  cacheControl: 'no-cache',
};

export const PAGE_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/page/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/page/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/page/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

export function isPagePath(path: string): boolean {
  return Object.hasOwn(PAGE_FILES, path);
}

export type PageRouteOptions = { dir: string };

export class PageFiles {
  private readonly cache = new Map<string, Promise<Buffer | null>>();
  constructor(private readonly dir: string) {}

  /** The file's bytes, or null when the page was not built. */
  read(file: string): Promise<Buffer | null> {
    let bytes = this.cache.get(file);
    if (!bytes) {
      bytes = readFile(path.join(this.dir, file)).catch(() => null);
      this.cache.set(file, bytes);
    }
    return bytes;
  }
}

export async function servePage(req: IncomingMessage, res: ServerResponse, urlPath: string, files: PageFiles, tls: boolean): Promise<void> {
  req.resume();
  const entry = PAGE_FILES[urlPath]!;
  const bytes = await files.read(entry.file);
  if (res.headersSent || res.destroyed) return;
  if (bytes === null) {
    const missing = new RequestError('BAD_REQUEST', `the notebook page is not built: run npm run build (missing ${entry.file})`);
    const text = JSON.stringify({ code: missing.code, sqlState: missing.sqlState, message: missing.message });
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  applySecurityHeaders(res, PAGE_SECURITY_PROFILE, { tls });
  res.writeHead(200, { 'Content-Type': entry.type, 'Content-Length': bytes.byteLength });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
