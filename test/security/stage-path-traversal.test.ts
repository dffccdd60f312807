/**
 * Threat: a stage path that walks out of its stage — `@s/../../`, its percent-encoded forms,
 * an absolute path, a backslash — in SQL (LIST, REMOVE, COPY, unloading) and in the stage
 * file endpoint the CLI's PUT and GET use; and a symbolic link inside a stage's directory
 * leading out of it. Each is refused with INVALID_STAGE_PATH (390106) or a 4xx, and no file
 * outside the stage is read, written or removed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

describe('stage path traversal', () => {
  let dir: string;
  let server: FirnProcess;
  let stageDir: string;
  const outside = () => path.join(dir, 'outside');
  const sql = (statement: string) => postStatement(server.url, statement);
  const failure = (statement: string) => sql(statement).then(() => null, (e: unknown) => e as StatementFailure);
  const endpoint = (location: string) => `${server.url}/api/v2/stages/files?location=${encodeURIComponent(location)}`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-traversal-'));
    mkdirSync(outside());
    writeFileSync(path.join(outside(), 'secret.csv'), 'id\n42\n');
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await sql('CREATE STAGE s');
    await sql('CREATE TABLE t (id INT)');
    const put = await fetch(endpoint('@s/ok.csv'), { method: 'PUT', body: 'id\n1\n', headers: { 'Content-Type': 'application/octet-stream', ...ADMIN_AUTH_HEADERS } });
    expect(put.status).toBe(200);
    // The internal stage's directory: the one directory under stages/ holding ok.csv.
    const stages = path.join(dir, 'home', 'stages');
    stageDir = path.join(stages, readdirSync(stages).find((d) => existsSync(path.join(stages, d, 'ok.csv')))!);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    'LIST @s/../../',
    'LIST @s/../home/catalog.sqlite',
    'LIST @s/%2e%2e/%2e%2e/',
    'LIST @s/%2E%2E%2fetc',
    'LIST @s//etc/passwd',
    "LIST '@s/a\\\\..\\\\..\\\\b'",
    'REMOVE @s/../outside/',
    'COPY INTO t FROM @s/../../outside/secret.csv',
    "COPY INTO t FROM @s FILES = ('../../outside/secret.csv')",
    "COPY INTO t FROM @s FILES = ('%2e%2e/x.csv')",
    'COPY INTO @s/../../outside/ FROM t',
    'COPY INTO @~/../x FROM t',
  ])('SQL: %s is refused as an invalid stage path', async (statement) => {
    const err = await failure(statement);
    expect(err).toBeInstanceOf(StatementFailure);
    expect([err!.code, err!.sqlState]).toEqual(['390106', '22023']);
    expect(err!.message).toMatch(/Invalid stage path/);
    expect(readFileSync(path.join(outside(), 'secret.csv'), 'utf8')).toBe('id\n42\n');
    expect(readdirSync(outside())).toEqual(['secret.csv']);
  });

  it.each(['@s/../../outside/planted.csv', '@s/%2e%2e/%2e%2e/outside/planted.csv', '@s//tmp/planted.csv', '@s/a\\..\\..\\planted.csv', '@s/'])(
    'endpoint: PUT to %s writes nothing anywhere',
    async (location) => {
      const res = await fetch(endpoint(location), { method: 'PUT', body: 'planted', headers: { 'Content-Type': 'application/octet-stream', ...ADMIN_AUTH_HEADERS } });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { code: string }).code).toBe('390106');
      expect(readdirSync(outside())).toEqual(['secret.csv']);
      expect(readdirSync(stageDir)).toEqual(['ok.csv']);
    },
  );

  it('endpoint: GET of a traversal path reads nothing', async () => {
    for (const location of ['@s/../../outside/secret.csv', '@s/%2e%2e/%2e%2e/outside/secret.csv', '@s/../../home/catalog.sqlite']) {
      const res = await fetch(endpoint(location), { headers: ADMIN_AUTH_HEADERS });
      expect(res.status, location).toBe(422);
      expect(await res.text()).not.toContain('42');
    }
  });

  it('a symbolic link planted in a stage directory that leads out of it is refused by LIST, COPY, REMOVE and GET', async () => {
    symlinkSync(outside(), path.join(stageDir, 'escape'));
    symlinkSync(path.join(outside(), 'secret.csv'), path.join(stageDir, 'secret-link.csv'));
    try {
      for (const statement of ['LIST @s', 'COPY INTO t FROM @s/secret-link.csv', 'COPY INTO t FROM @s/escape/', 'REMOVE @s/secret-link.csv']) {
        const err = await failure(statement);
        expect(err?.code, statement).toBe('390106');
        expect(err!.message).toMatch(/outside the stage/);
      }
      for (const location of ['@s/secret-link.csv', '@s/escape/secret.csv']) {
        const res = await fetch(endpoint(location), { headers: ADMIN_AUTH_HEADERS });
        expect(res.status, location).toBe(422);
      }
      const put = await fetch(endpoint('@s/escape/planted.csv'), { method: 'PUT', body: 'planted', headers: { 'Content-Type': 'application/octet-stream', ...ADMIN_AUTH_HEADERS } });
      expect(put.status).toBe(422);
      expect(readdirSync(outside())).toEqual(['secret.csv']);
      expect(await sql('SELECT COUNT(*) FROM t').then((b) => b.data)).toEqual([['0']]);
    } finally {
      rmSync(path.join(stageDir, 'escape'));
      rmSync(path.join(stageDir, 'secret-link.csv'));
    }
  });
});
