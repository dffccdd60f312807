/**
 * The S3 backend end to end: a real S3-protocol server (s3rver on loopback), a Firn server
 * with FIRN_STORAGE_URL=s3://bucket/prefix, COPY INTO from s3:// source files, queries,
 * and a restart with every committed row intact. Micro-partitions land in the bucket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { startS3rver, type S3rverHandle } from '../support/s3rver-harness.js';

describe('S3 storage round trip', () => {
  let dir: string;
  let s3: S3rverHandle;
  let server: FirnProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-s3-'));
    s3 = await startS3rver('firn-data');
    env = { ...s3.env, FIRN_STORAGE_URL: 's3://firn-data/warehouse', FIRN_PARTITION_ROWS: '2' };
    const sources = openObjectStore('s3://firn-data', { env: s3.env });
    await sources.put('incoming/a.csv', new TextEncoder().encode('1,Oslo,2024-01-01,1.10\n2,Bergen,2024-01-02,2.20\n3,Oslo,2024-01-03,3.30\n'));
    await sources.put('incoming/b.csv', new TextEncoder().encode('4,Tromso,2024-02-01,4.40\n5,Oslo,2024-02-02,\n'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env });
  });

  afterAll(async () => {
    await server?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads from s3:// sources and stores micro-partitions in the bucket', async () => {
    await postStatement(server.url, 'CREATE TABLE visits (id INT, city VARCHAR, day DATE, amount NUMBER(8,2))');
    const r = await postStatement(server.url, "COPY INTO visits FROM 's3://firn-data/incoming/*.csv' FILE_FORMAT = (TYPE = CSV)");
    expect(r.data.map((row) => row[1])).toEqual(['LOADED', 'LOADED']);
    const objects = await openObjectStore('s3://firn-data/warehouse', { env: s3.env }).list('');
    expect(objects.filter((o) => o.key.endsWith('.parquet')).length).toBeGreaterThanOrEqual(3);
  });

  it('answers queries, then the same after a restart', async () => {
    const sql = "SELECT city, COUNT(*), SUM(amount) FROM visits WHERE day < '2024-02-02' GROUP BY city ORDER BY city";
    const expected = [
      ['Bergen', '1', '2.20'],
      ['Oslo', '2', '4.40'],
      ['Tromso', '1', '4.40'],
    ];
    expect((await postStatement(server.url, sql)).data).toEqual(expected);
    await postStatement(server.url, "INSERT INTO visits VALUES (6, 'Bodo', '2024-03-01', 6.60)");
    await server.stop();
    server = await startFirnProcess({ home: path.join(dir, 'home'), env });
    expect((await postStatement(server.url, sql)).data).toEqual(expected);
    expect((await postStatement(server.url, 'SELECT COUNT(*), SUM(amount) FROM visits WHERE id > 0')).data).toEqual([['6', '17.60']]);
  });

  it('skips s3:// files already loaded by their ETag: the same content re-uploaded stays loaded, new content loads', async () => {
    const sources = openObjectStore('s3://firn-data', { env: s3.env });
    const copy = "COPY INTO visits FROM 's3://firn-data/incoming/*.csv' FILE_FORMAT = (TYPE = CSV)";
    expect((await postStatement(server.url, copy)).data).toEqual([['Copy executed with 0 files processed.']]);
    await sources.put('incoming/a.csv', new TextEncoder().encode('1,Oslo,2024-01-01,1.10\n2,Bergen,2024-01-02,2.20\n3,Oslo,2024-01-03,3.30\n'));
    expect((await postStatement(server.url, copy)).data).toEqual([['Copy executed with 0 files processed.']]);
    await sources.put('incoming/b.csv', new TextEncoder().encode('7,Alta,2024-04-01,7.70\n8,Alta,2024-04-02,8.80\n'));
    expect((await postStatement(server.url, copy)).data.map((row) => [row[0], row[1], row[3]])).toEqual([['s3://firn-data/incoming/b.csv', 'LOADED', '2']]);
    const history = await postStatement(server.url, 'SELECT FILE_NAME, ROW_COUNT FROM INFORMATION_SCHEMA.LOAD_HISTORY ORDER BY LAST_LOAD_TIME, FILE_NAME');
    expect(history.data).toEqual([
      ['s3://firn-data/incoming/a.csv', '3'],
      ['s3://firn-data/incoming/b.csv', '2'],
      ['s3://firn-data/incoming/b.csv', '2'],
    ]);
  });
});
