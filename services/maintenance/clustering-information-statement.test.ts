import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirnError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { parseSql } from '../sql/parse-sql.js';
import { clusteringInformationStatement } from './clustering-information-statement.js';

describe('SYSTEM$CLUSTERING_INFORMATION on a real catalog', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  const session = { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' };

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-clustering-info-'));
    catalog = new SqliteCatalog(path.join(dir, 'catalog.sqlite'));
    catalog.createDatabase('FIRN', { schema: 'PUBLIC' });
    const columns = [
      { name: 'K', type: Types.number(38, 0), nullable: true },
      { name: 'S', type: Types.varchar, nullable: true },
    ];
    const t = catalog.createTable('FIRN', 'PUBLIC', 'T', columns, { clusterBy: ['K'], queryId: 'q0' });
    catalog.createTable('FIRN', 'PUBLIC', 'PLAIN', columns, { queryId: 'q1' });
    // K ranges [1,10] [5,15] [10,20] [30,40]; S constant 'a' in the first two.
    const part = (i: number, k: [number, number], s: [string, string]) => ({
      objectKey: `t${t.id}/p${i}`,
      rowCount: 10,
      byteSize: 100,
      zoneMap: {
        rowCount: 10,
        byteSize: 100,
        columns: {
          K: { min: String(k[0]), max: String(k[1]), nullCount: 0, exact: true },
          S: { min: s[0], max: s[1], nullCount: 0, exact: true },
        },
      },
    });
    catalog.commitTable(t.id, {
      baseVersion: 0,
      queryId: 'q2',
      operation: 'INSERT',
      added: [part(1, [1, 10], ['a', 'a']), part(2, [5, 15], ['a', 'a']), part(3, [10, 20], ['b', 'c']), part(4, [30, 40], ['d', 'e'])],
      removedIds: [],
    });
  });

  afterAll(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const answer = (sql: string) => {
    const [st] = parseSql(sql);
    if (st.kind !== 'query') throw new Error('not a query');
    return clusteringInformationStatement({ catalog, session }, st.query);
  };
  const json = (sql: string) => {
    const a = answer(sql)!;
    return { name: a.columns[0].name, info: JSON.parse(scalarAt(a.batch.columns[0], 0, Types.varchar) as string) };
  };

  it('answers the JSON for the table’s cluster key, on the first key column', () => {
    const { name, info } = json("SELECT SYSTEM$CLUSTERING_INFORMATION('t')");
    expect(name).toBe("SYSTEM$CLUSTERING_INFORMATION('t')");
    expect(info).toMatchObject({ cluster_by_keys: 'LINEAR(K)', total_partition_count: 4, total_constant_partition_count: 0, average_overlaps: 1.5, average_depth: 2.5 });
    expect(info.partition_depth_histogram).toMatchObject({ '00001': 1, '00003': 3, '00002': 0 });
  });

  it('a column list measures its first column, on any table; names may be qualified', () => {
    const { name, info } = json("SELECT SYSTEM$CLUSTERING_INFORMATION('firn.public.t', '(s, k)') AS ci");
    expect(name).toBe('CI');
    // S: ['a','a'] twice (constant, overlapping), ['b','c'], ['d','e'].
    expect(info).toMatchObject({ cluster_by_keys: 'LINEAR(S, K)', total_constant_partition_count: 2, average_overlaps: 0.5, average_depth: 1.5 });
    expect(json("SELECT SYSTEM$CLUSTERING_INFORMATION('plain', '(k)')").info).toMatchObject({ cluster_by_keys: 'LINEAR(K)', total_partition_count: 0, average_depth: 0 });
  });

  it('Snowflake’s 000005 without a cluster key or column list; unknown tables and columns fail as usual', () => {
    const fails = (sql: string) => {
      try {
        answer(sql);
      } catch (err) {
        if (err instanceof FirnError) return [err.code, err.sqlState, err.message];
        throw err;
      }
      throw new Error(`${sql} did not fail`);
    };
    expect(fails("SELECT SYSTEM$CLUSTERING_INFORMATION('plain')")).toEqual(['000005', 'XX000', 'Invalid clustering keys or table PLAIN is not clustered']);
    expect(fails("SELECT SYSTEM$CLUSTERING_INFORMATION('nope')")[0]).toBe('002003');
    expect(fails("SELECT SYSTEM$CLUSTERING_INFORMATION('t', '(zz)')")[0]).toBe('000904');
  });

  it('anything but a FROM-less SELECT of just that call runs as an ordinary query', () => {
    expect(answer('SELECT 1')).toBeNull();
    expect(answer("SELECT SYSTEM$CLUSTERING_INFORMATION('t'), 1")).toBeNull();
    expect(answer("SELECT SYSTEM$CLUSTERING_INFORMATION('t') FROM plain")).toBeNull();
  });
});
