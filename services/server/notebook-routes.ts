/**
 * The notebook page's saved notebooks over HTTP (the store: services/catalog/notebook-store.ts),
 * each request as the authenticated user, who sees only their own notebooks.
 *
 * Routes (NOTEBOOKS_PATH), JSON in and out:
 * - GET    /api/firn/notebooks        -> 200 {"user", "notebooks": [{id, name, createdAt, updatedAt}]}
 *   (`user`: the caller's name, which a page logged in with a token cannot know otherwise)
 * - POST   /api/firn/notebooks        {name, cells} -> 201 the notebook {id, name, cells, createdAt, updatedAt}
 * - GET    /api/firn/notebooks/{id}   -> 200 the notebook
 * - PUT    /api/firn/notebooks/{id}   {name, cells} -> 200 the notebook (name and cells replaced)
 * - DELETE /api/firn/notebooks/{id}   -> 200 {}
 * `cells` is an array of at most MAX_CELLS {kind: "sql" | "markdown", name, text}; a name is
 * 1..MAX_NAME_CHARS characters; cell names are unique in a notebook (they are what `{{name}}`
 * refers to) and may be "" (a cell nobody refers to). Bodies need content-type
 * application/json (415 otherwise, as the statements endpoint: no cross-site form can post).
 * Failures answer the API's error JSON {code, sqlState, message}: 400 malformed (BAD_REQUEST),
 * 404 no such notebook (OBJECT_NOT_FOUND, also for another user's), 405 wrong method, 409 a name
 * the user already has (OBJECT_EXISTS), 413 a body over `maxBodyBytes`, 415 not JSON.
 *
 * Contract for the HTTP layer: call handleNotebooks only after the request is authenticated
 * (and its origin checked), with the caller's user name; it answers every request it is given.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FirnError, asFirnError } from '../../storage/errors/firn-error.js';
import { HttpRequestError } from './http-request-error.js';
import { readBody } from './read-body.js';
import { NotebookCellKind, type NotebookCell, type NotebookStore } from '../catalog/notebook-store.js';

export const NOTEBOOKS_PATH = '/api/firn/notebooks';
export const MAX_CELLS = 1000;
export const MAX_NAME_CHARS = 200;

export type NotebookRouteOptions = { store: NotebookStore; maxBodyBytes: number };

export async function handleNotebooks(req: IncomingMessage, res: ServerResponse, path: string, user: string, opts: NotebookRouteOptions): Promise<void> {
  try {
    const method = req.method ?? 'GET';
    const rest = path.slice(NOTEBOOKS_PATH.length);
    if (rest === '') {
      if (method === 'GET') return send(res, 200, { user, notebooks: opts.store.list(user) });
      if (method === 'POST') {
        const body = await readNotebook(req, opts.maxBodyBytes);
        return send(res, 201, publicNotebook(opts.store.create(user, body.name, body.cells)));
      }
      return notAllowed(req, res, 'GET, POST');
    }
    const id = /^\/([1-9]\d{0,15})$/.exec(rest)?.[1];
    if (id === undefined) throw new HttpRequestError(404, `no such endpoint: ${method} ${path.slice(0, 200)}`);
    const notebookId = Number(id);
    if (method === 'GET') return send(res, 200, publicNotebook(opts.store.get(user, notebookId)));
    if (method === 'PUT') {
      const body = await readNotebook(req, opts.maxBodyBytes);
      return send(res, 200, publicNotebook(opts.store.update(user, notebookId, body.name, body.cells)));
    }
    if (method === 'DELETE') {
      req.resume();
      opts.store.delete(user, notebookId);
      return send(res, 200, {});
    }
    return notAllowed(req, res, 'GET, PUT, DELETE');
  } catch (err) {
    req.resume();
    const fe = asFirnError(err);
    send(res, statusOf(fe), { code: fe.code, sqlState: fe.sqlState, message: fe.message });
  }
}

function statusOf(e: FirnError): number {
  if (e instanceof HttpRequestError) return e.status;
  if (e.codeName === 'OBJECT_NOT_FOUND') return 404;
  if (e.codeName === 'OBJECT_EXISTS') return 409;
  if (e.codeName === 'INTERNAL') return 500;
  return 422;
}

/** The notebook as the page sees it (the owner is the caller). */
function publicNotebook(n: { id: number; name: string; cells: NotebookCell[]; createdAt: number; updatedAt: number }) {
  return { id: n.id, name: n.name, cells: n.cells, createdAt: n.createdAt, updatedAt: n.updatedAt };
}

function notAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  req.resume();
  res.setHeader('Allow', allow);
  throw new HttpRequestError(405, `method ${req.method} is not allowed here (allowed: ${allow})`);
}

async function readNotebook(req: IncomingMessage, limit: number): Promise<{ name: string; cells: NotebookCell[] }> {
  const type = req.headers['content-type'];
  if (type === undefined || type.split(';', 1)[0]!.trim().toLowerCase() !== 'application/json') {
    unsupportedMediaType(req);
  }
  const raw = await readBody(req, limit);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new HttpRequestError(400, `request body is not valid JSON: ${(err as Error).message}`);
  }
  return parseNotebook(body);
}

function unsupportedMediaType(req: IncomingMessage): never {
  throw new HttpRequestError(415, `${req.method} ${NOTEBOOKS_PATH} needs content-type application/json`, 'UNSUPPORTED_MEDIA_TYPE');
}

/** Checks a notebook body: {name, cells: [{kind, name, text}]} (see the module comment). */
export function parseNotebook(body: unknown): { name: string; cells: NotebookCell[] } {
  const bad = (message: string) => new HttpRequestError(400, message);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('the body must be a JSON object {"name", "cells"}');
  const b = body as Record<string, unknown>;
  if (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > MAX_NAME_CHARS) throw bad(`"name" must be a non-empty string of at most ${MAX_NAME_CHARS} characters`);
  if (!Array.isArray(b.cells)) throw bad('"cells" must be an array');
  if (b.cells.length > MAX_CELLS) throw bad(`a notebook has at most ${MAX_CELLS} cells`);
  const kinds = Object.values(NotebookCellKind) as string[];
  const names = new Set<string>();
  const cells = b.cells.map((c: unknown, i: number): NotebookCell => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw bad(`cell ${i + 1} must be an object {"kind", "name", "text"}`);
    const cell = c as Record<string, unknown>;
    if (typeof cell.kind !== 'string' || !kinds.includes(cell.kind)) throw bad(`cell ${i + 1}: "kind" must be one of ${kinds.join(', ')}`);
    if (typeof cell.name !== 'string' || cell.name.length > MAX_NAME_CHARS) throw bad(`cell ${i + 1}: "name" must be a string of at most ${MAX_NAME_CHARS} characters`);
    if (cell.name !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(cell.name)) throw bad(`cell ${i + 1}: "name" must be empty or an identifier (letters, digits, _)`);
    if (cell.name !== '' && names.has(cell.name)) throw bad(`cell ${i + 1}: the name '${cell.name}' is used by an earlier cell`);
    names.add(cell.name);
    if (typeof cell.text !== 'string') throw bad(`cell ${i + 1}: "text" must be a string`);
    return { kind: cell.kind as NotebookCell['kind'], name: cell.name, text: cell.text };
  });
  return { name: b.name.trim(), cells };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
