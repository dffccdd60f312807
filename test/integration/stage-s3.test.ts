/**
 * An external s3:// stage against a real S3-protocol server (s3rver): the Firn server knows
 * the endpoint but has no AWS credentials of its own, so every request uses the stage's
 * CREDENTIALS. LIST (md5 from the ETag), COPY INTO t FROM @ext (plain and gzipped CSV,
 * PATTERN), unloading into the stage (the objects land in the bucket) and loading them back,
 * REMOVE, and PUT refused for an external stage.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { CliIo } from '../../services/cli/cli-io.js';
import { runCli } from '../../services/cli/main.js';
import { TEST_ADMIN_TOKEN, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { startS3rver, type S3rverHandle } from '../support/s3rver-harness.js';

describe('an external s3:// stage with its own credentials', () => {
  let dir: string;
  let s3: S3rverHandle;
  let server: FirnProcess;
  let bucket: ObjectStore;
  const sql = (statement: string) => postStatement(server.url, statement);
  const rows = async (statement: string) => (await sql(statement)).data;
  const plain = 'id,name\n1,one\n2,two\n';
  const gz = gzipSync(Buffer.from('id,name\n3,three\n'));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-stage-s3-'));
    s3 = await startS3rver('firn-stage');
    bucket = openObjectStore(`s3://${s3.bucket}`, { endpoint: s3.endpoint, region: 'us-east-1', credentials: { accessKeyId: s3.env.AWS_ACCESS_KEY_ID, secretAccessKey: s3.env.AWS_SECRET_ACCESS_KEY } });
    await bucket.put('in/a.csv', Buffer.from(plain));
    await bucket.put('in/b.csv.gz', gz);
    await bucket.put('in/skip.txt', Buffer.from('not,csv\n'));
    // The endpoint only: no AWS credentials in the server's environment.
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { AWS_ENDPOINT_URL: s3.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } });
    await sql(`CREATE STAGE ext URL = 's3://${s3.bucket}/in/' CREDENTIALS = (AWS_KEY_ID = '${s3.env.AWS_ACCESS_KEY_ID}' AWS_SECRET_KEY = '${s3.env.AWS_SECRET_ACCESS_KEY}')`);
    await sql('CREATE TABLE t (id INT, name VARCHAR)');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('LIST shows the objects under the stage URL with their sizes and MD5s', async () => {
    const listed = await rows('LIST @ext');
    expect(listed.map((r) => [r[0], r[1], r[2]])).toEqual([
      [`s3://${s3.bucket}/in/a.csv`, String(plain.length), createHash('md5').update(plain).digest('hex')],
      [`s3://${s3.bucket}/in/b.csv.gz`, String(gz.length), createHash('md5').update(gz).digest('hex')],
      [`s3://${s3.bucket}/in/skip.txt`, '8', createHash('md5').update('not,csv\n').digest('hex')],
    ]);
  });

  it('COPY INTO t FROM @ext reads plain and gzipped files with the stage\'s credentials', async () => {
    const copy = await rows("COPY INTO t FROM @ext PATTERN = '.*[.]csv([.]gz)?' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)");
    expect(copy.map((r) => [r[0], r[1], r[3]])).toEqual([
      [`s3://${s3.bucket}/in/a.csv`, 'LOADED', '2'],
      [`s3://${s3.bucket}/in/b.csv.gz`, 'LOADED', '1'],
    ]);
    expect(await rows('SELECT id, name FROM t ORDER BY id')).toEqual([['1', 'one'], ['2', 'two'], ['3', 'three']]);
  });

  it('unloads into the bucket under the stage URL, and the objects load back', async () => {
    expect((await rows('COPY INTO @ext/out/ FROM (SELECT id, name FROM t) HEADER = TRUE'))[0][0]).toBe('3');
    const keys = (await bucket.list('in/out/')).map((o) => o.key);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).toMatch(/^in\/out\/data_0_\d+_\d+\.csv\.gz$/);
    await sql('CREATE TABLE back (id INT, name VARCHAR)');
    await sql('COPY INTO back FROM @ext/out/ FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)');
    expect(await rows('SELECT id, name FROM back ORDER BY id')).toEqual([['1', 'one'], ['2', 'two'], ['3', 'three']]);
    expect((await rows('REMOVE @ext/out/')).length).toBe(keys.length);
    expect(await bucket.list('in/out/')).toEqual([]);
  });

  it('PUT to an external stage is refused: PUT works on internal stages', async () => {
    const file = path.join(dir, 'x.csv');
    writeFileSync(file, 'id\n1\n');
    let err = '';
    const io: CliIo = {
      stdout: new Writable({ write(_c, _e, cb) { cb(); } }),
      stderr: new Writable({ write(c: Buffer, _e, cb) { err += c.toString(); cb(); } }),
      stdin: Readable.from([]),
      interactive: false,
      env: { FIRN_URL: server.url, FIRN_TOKEN: TEST_ADMIN_TOKEN },
      cwd: dir,
      homeDir: dir,
    };
    expect(await runCli(['put', file, '@ext'], io)).toBe(1);
    expect(err).toMatch(/Error 390201 \(0A000\): PUT with an external stage \(PUT works on internal stages\) is not supported/);
  });
});
