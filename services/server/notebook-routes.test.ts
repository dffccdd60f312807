import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bearer, fixtureAuthenticator } from '../../test/support/fixture-authenticator.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import type { StatementRunner } from '../session/statement-request.js';
import { startHttpServer, type HttpServer } from './http-server.js';
import { PAGE_SECURITY_PROFILE } from './page-routes.js';

const ALICE = bearer('alice-token');
const BOB = bearer('bob-token');
const JSON_TYPE = { 'Content-Type': 'application/json' };
const CELLS = [
  { kind: 'sql', name: 'trips', text: 'SELECT 1' },
  { kind: 'markdown', name: '', text: '# Notes' },
];

let server: HttpServer;
let catalog: SqliteCatalog;
let pageDir: string;

const noRunner: StatementRunner = {
  execute: () => Promise.reject(new Error('no statements in this test')),
};

beforeAll(async () => {
  catalog = new SqliteCatalog(':memory:');
  pageDir = mkdtempSync(path.join(tmpdir(), 'firn-page-'));
  writeFileSync(path.join(pageDir, 'index.html'), '<!doctype html><title>Firn</title>');
  server = await startHttpServer({
    runner: noRunner,
    authenticator: fixtureAuthenticator({ 'alice-token': 'ALICE', 'bob-token': 'BOB' }),
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 4096,
    page: { dir: pageDir },
    notebooks: { store: catalog.notebooks },
  });
});

afterAll(async () => {
  await server.close();
  catalog.close();
  rmSync(pageDir, { recursive: true, force: true });
});

async function call(method: string, p: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${p}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('notebook routes', () => {
  it('creates, lists, reads, updates and deletes the caller\'s notebooks', async () => {
    const created = await call('POST', '/api/firn/notebooks', { ...ALICE, ...JSON_TYPE }, { name: ' Trips ', cells: CELLS });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Trips', cells: CELLS });
    const id = created.body.id as number;
    const list = await call('GET', '/api/firn/notebooks', ALICE);
    expect(list).toEqual({ status: 200, body: { user: 'ALICE', notebooks: [{ id, name: 'Trips', createdAt: created.body.createdAt, updatedAt: created.body.updatedAt }] } });
    expect((await call('GET', `/api/firn/notebooks/${id}`, ALICE)).body).toEqual(created.body);
    const updated = await call('PUT', `/api/firn/notebooks/${id}`, { ...ALICE, ...JSON_TYPE }, { name: 'Trips 2', cells: [] });
    expect(updated).toMatchObject({ status: 200, body: { id, name: 'Trips 2', cells: [] } });
    expect(await call('DELETE', `/api/firn/notebooks/${id}`, ALICE)).toEqual({ status: 200, body: {} });
    expect((await call('GET', `/api/firn/notebooks/${id}`, ALICE)).status).toBe(404);
  });

  it('shows another user\'s notebook to nobody else, as a missing one', async () => {
    const mine = await call('POST', '/api/firn/notebooks', { ...ALICE, ...JSON_TYPE }, { name: 'Private', cells: [] });
    const id = mine.body.id as number;
    expect((await call('GET', '/api/firn/notebooks', BOB)).body).toEqual({ user: 'BOB', notebooks: [] });
    for (const [method, body] of [['GET', undefined], ['PUT', { name: 'x', cells: [] }], ['DELETE', undefined]] as const) {
      const answer = await call(method, `/api/firn/notebooks/${id}`, { ...BOB, ...JSON_TYPE }, body);
      expect(answer).toEqual({ status: 404, body: { code: '002003', sqlState: '02000', message: `Notebook ${id} does not exist or not authorized.` } });
    }
    expect((await call('GET', `/api/firn/notebooks/${id}`, ALICE)).status).toBe(200);
  });

  it('refuses unauthenticated calls, non-JSON bodies, bad cells, taken names and oversized bodies', async () => {
    expect((await call('GET', '/api/firn/notebooks', {})).status).toBe(401);
    expect((await call('POST', '/api/firn/notebooks', { ...ALICE, 'Content-Type': 'text/plain' }, '{"name":"x","cells":[]}')).body.code).toBe('390402');
    const bad = async (body: unknown) => (await call('POST', '/api/firn/notebooks', { ...ALICE, ...JSON_TYPE }, body)).body.message;
    expect(await bad({ name: '', cells: [] })).toBe('"name" must be a non-empty string of at most 200 characters');
    expect(await bad({ name: 'n', cells: [{ kind: 'python', name: '', text: '' }] })).toBe('cell 1: "kind" must be one of sql, markdown');
    expect(await bad({ name: 'n', cells: [{ kind: 'sql', name: 'a b', text: '' }] })).toBe('cell 1: "name" must be empty or an identifier (letters, digits, _)');
    expect(await bad({ name: 'n', cells: [{ kind: 'sql', name: 'a', text: '' }, { kind: 'sql', name: 'a', text: '' }] })).toBe("cell 2: the name 'a' is used by an earlier cell");
    expect(await bad('not json')).toMatch(/^request body is not valid JSON/);
    await call('POST', '/api/firn/notebooks', { ...ALICE, ...JSON_TYPE }, { name: 'Taken', cells: [] });
    expect(await call('POST', '/api/firn/notebooks', { ...ALICE, ...JSON_TYPE }, { name: 'Taken', cells: [] })).toEqual({
      status: 409,
      body: { code: '002002', sqlState: '42710', message: "Notebook 'Taken' already exists." },
    });
    const big = await call('POST', '/api/firn/notebooks', { ...ALICE, ...JSON_TYPE }, { name: 'big', cells: [{ kind: 'sql', name: 'a', text: 'x'.repeat(5000) }] });
    expect(big.status).toBe(413);
    expect((await call('PATCH', '/api/firn/notebooks', ALICE)).status).toBe(405);
    expect((await call('GET', '/api/firn/notebooks/abc', ALICE)).status).toBe(404);
  });
});

describe('page routes', () => {
  it('serves the page at / without credentials, with the page\'s CSP', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_SECURITY_PROFILE.contentSecurityPolicy);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toBe('<!doctype html><title>Firn</title>');
  });

  it('says how to build a missing page file, and serves nothing else without credentials', async () => {
    const missing = await fetch(`${server.url}/page/app.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toBe('the notebook page is not built: run npm run build (missing app.js)');
    expect((await fetch(`${server.url}/page/other.js`)).status).toBe(401);
    expect((await fetch(`${server.url}/index.html`)).status).toBe(401);
  });
});
