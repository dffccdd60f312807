/**
 * Threat: error messages that leak file contents. A staged CSV whose bad value is a long
 * secret, a corrupt "Parquet" file made of secret text, a truncated gzip of it, and a file
 * name built to be long: COPY fails, and its message (and COPY's first_error with ON_ERROR =
 * CONTINUE) quotes at most 100 characters of any value, so the bulk of the secret never
 * leaves the server.
 */
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

describe('error messages do not leak file contents', () => {
  let dir: string;
  let server: FirnProcess;
  const SECRET = `SECRET-${'s'.repeat(4000)}-END`;
  const sql = (statement: string) => postStatement(server.url, statement);
  const failure = (statement: string) => sql(statement).then(() => null, (e: unknown) => e as StatementFailure);
  const put = async (name: string, body: Uint8Array | string) => {
    const res = await fetch(`${server.url}/api/v2/stages/files?location=${encodeURIComponent(`@leaks/${name}`)}`, { method: 'PUT', body, headers: { 'Content-Type': 'application/octet-stream', ...ADMIN_AUTH_HEADERS } });
    expect(res.status).toBe(200);
  };
  /** No more than 100 characters of the secret's body may appear anywhere in `text`. */
  const bounded = (text: string) => {
    expect(text).not.toContain('s'.repeat(101));
    expect(text).not.toContain('-END');
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-leaks-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await sql('CREATE STAGE leaks');
    await sql('CREATE TABLE nums (id INT, n NUMBER(10,2))');
    await put('bad-number.csv', `1,${SECRET}\n`);
    await put('bad-field.csv', `1,2${SECRET}\n`);
    await put('fake.parquet', `PAR1${SECRET}PAR1`);
    await put('cut.csv.gz', gzipSync(Buffer.from(`1,${SECRET}\n`)).subarray(0, 40));
    await put(`${'n'.repeat(190)}.csv`, `x${SECRET}\n`);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a bad CSV value', 'COPY INTO nums FROM @leaks/bad-number.csv'],
    ['a bad CSV field after a valid prefix', 'COPY INTO nums FROM @leaks/bad-field.csv'],
    ['a corrupt Parquet file', 'COPY INTO nums FROM @leaks/fake.parquet FILE_FORMAT = (TYPE = PARQUET)'],
    ['a truncated gzip', 'COPY INTO nums FROM @leaks/cut.csv.gz'],
    ['a long file name and a bad value', `COPY INTO nums FROM @leaks/${'n'.repeat(190)}.csv`],
  ])('%s: the error quotes at most 100 characters', async (_what, statement) => {
    const err = await failure(statement);
    expect(err).toBeInstanceOf(StatementFailure);
    bounded(err!.message);
    expect(err!.message.length).toBeLessThan(2000);
  });

  it('ON_ERROR = CONTINUE reports the first error clipped too', async () => {
    const body = await sql("COPY INTO nums FROM @leaks PATTERN = 'bad-.*' ON_ERROR = CONTINUE");
    expect(body.data.map((r) => r[1])).toEqual(['LOAD_FAILED', 'LOAD_FAILED']);
    bounded(JSON.stringify(body));
  });
});
