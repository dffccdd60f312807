/**
 * COPY INTO a clustered table on the real server (issue 8, point 2): the load is range
 * partitioned by the clustering key in the workers (sorted runs on the statement's spill
 * directory, then one merge-and-write task per key range). The table holds exactly the rows an
 * unclustered COPY of the same files holds; every partition is sorted by the key and the
 * partitions, in key order, cover disjoint key ranges; the spill directory is gone afterwards;
 * a failing clustered COPY leaves no rows, no objects and no spill files.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { readPartitionColumns } from '../../storage/partition/partition-reader.js';
import { Types } from '../../storage/types/data-type.js';
import { TRIPS_DDL, writeTripsCsv } from '../support/trips-data.js';
import { expectFailure } from '../support/statement-http.js';

type Key = [string | null, number | null];

/** (city, day) ASC NULLS LAST, as loads sort. */
function compareKeys(a: Key, b: Key): number {
  for (let k = 0; k < 2; k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

describe('COPY INTO a clustered table', () => {
  let dir: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');
  const store = () => openObjectStore(`file://${path.join(home(), 'data')}`);
  const spillLeft = () => (existsSync(path.join(home(), 'spill')) ? readdirSync(path.join(home(), 'spill')) : []);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-copy-clustered-'));
    writeTripsCsv(path.join(dir, 'src'), 3, 2_000, 7);
    // A sorted run a killed COPY left behind: the server removes it at startup.
    mkdirSync(path.join(dir, 'home', 'spill', 'copy-killed'), { recursive: true });
    writeFileSync(path.join(dir, 'home', 'spill', 'copy-killed', 'run-00000.arrow'), 'stale');
    server = await startFirnProcess({ home: home(), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '500' } });
    await postStatement(server.url, 'CREATE WAREHOUSE duo WAREHOUSE_SIZE = SMALL');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('removes the spill files of statements a crash interrupted when it starts', () => {
    expect(spillLeft()).toEqual([]);
  });

  it('holds the same rows as an unclustered load, in sorted partitions over disjoint key ranges', async () => {
    await postStatement(server.url, TRIPS_DDL);
    await postStatement(server.url, TRIPS_DDL.replace('CREATE TABLE trips', 'CREATE TABLE trips_c') + ' CLUSTER BY (city, day)');
    const copy = (table: string) => postStatement(server.url, `COPY INTO ${table} FROM 'file://${dir}/src/trips_*.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`, { warehouse: 'DUO' });
    await copy('trips');
    const r = await copy('trips_c');
    expect(r.data.map((row) => [path.basename(row[0]!), row[1], row[3]]).sort()).toEqual([
      ['trips_00.csv', 'LOADED', '2000'],
      ['trips_01.csv', 'LOADED', '2000'],
      ['trips_02.csv', 'LOADED', '2000'],
    ]);
    const all = (table: string) => postStatement(server.url, `SELECT * FROM ${table} ORDER BY id`);
    const [plain, clustered] = [await all('trips'), await all('trips_c')];
    expect(clustered.data.length).toBe(6_000);
    expect(clustered.data).toEqual(plain.data);

    // The partitions this COPY wrote, in key order (range c000's, then c001's, ...).
    const keys = (await store().list('')).map((o) => o.key).filter((k) => k.includes(`/${r.statementHandle}/`));
    // 12 partitions of 500 rows if the ranges were cut at multiples of 500, at most one more.
    expect(keys.length).toBeGreaterThanOrEqual(12);
    expect(keys.length).toBeLessThanOrEqual(13);
    expect(new Set(keys.map((k) => /\/(c\d+)-\d+\.parquet$/.exec(k)?.[1]))).toEqual(new Set(['c000', 'c001']));
    const columns = [
      { name: 'CITY', type: Types.varchar, nullable: true },
      { name: 'DAY', type: Types.date, nullable: true },
    ];
    const sequence: Key[] = [];
    let rows = 0;
    for (const key of keys) {
      const b = readPartitionColumns(await store().get(key), columns, [0, 1], key);
      const [city, day] = b.columns;
      if (city.kind !== 'str' || day.kind !== 'i32') throw new Error(`unexpected vector kinds ${city.kind}, ${day.kind}`);
      for (let i = 0; i < b.length; i++) sequence.push([city.nulls?.[i] ? null : city.dict[city.codes[i]], day.nulls?.[i] ? null : day.values[i]]);
      rows += b.length;
    }
    expect(rows).toBe(6_000);
    expect(sequence.some((k) => k[0] === null)).toBe(true);
    // Sorted within each partition and across them in key order: ranges are disjoint.
    const unsorted = sequence.findIndex((k, i) => i > 0 && compareKeys(sequence[i - 1], k) > 0);
    expect(unsorted).toBe(-1);
    expect(spillLeft()).toEqual([]);
  });

  it('leaves no rows, objects or spill files when a file is bad, and loads once it is fixed', async () => {
    await postStatement(server.url, 'CREATE TABLE strict_sorted (id INT, amount NUMBER(6,2)) CLUSTER BY (amount)');
    mkdirSync(path.join(dir, 'strict'));
    writeFileSync(path.join(dir, 'strict', 'good.csv'), '1,4.00\n2,3.00\n3,2.00\n4,1.00\n');
    writeFileSync(path.join(dir, 'strict', 'bad.csv'), '5,5.00\n6,abc\n7,7.00\n');
    const before = (await store().list('')).length;
    const f = await expectFailure(server.url, `COPY INTO strict_sorted FROM 'file://${dir}/strict/*.csv' FILE_FORMAT = (TYPE = CSV)`);
    expect(f.code).toBe('100038');
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM strict_sorted')).data).toEqual([['0']]);
    expect((await store().list('')).length).toBe(before);
    expect(spillLeft()).toEqual([]);
    writeFileSync(path.join(dir, 'strict', 'bad.csv'), '5,5.00\n6,0.50\n7,7.00\n');
    await postStatement(server.url, `COPY INTO strict_sorted FROM 'file://${dir}/strict/*.csv' FILE_FORMAT = (TYPE = CSV)`, { warehouse: 'DUO' });
    expect((await postStatement(server.url, 'SELECT id, amount FROM strict_sorted ORDER BY id')).data).toEqual([
      ['1', '4.00'], ['2', '3.00'], ['3', '2.00'], ['4', '1.00'], ['5', '5.00'], ['6', '0.50'], ['7', '7.00'],
    ]);
  });
});
