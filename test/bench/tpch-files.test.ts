import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geometricMean, memoryBudgetBytes, queryBudgetMs } from '../../bench/suites/tpch-suite.js';
import { LineitemFormat } from '../../bench/tpch/lineitem-files.js';
import { csvHeader, encodeCsv } from '../../bench/tpch/tpch-csv.js';
import { ensureTpchFiles, type TpchFileSet } from '../../bench/tpch/tpch-files.js';
import { tpchQueries } from '../../bench/tpch/tpch-queries.js';
import { createTableSql, TPCH_COLUMNS, TPCH_TABLES, TpchTable } from '../../bench/tpch/tpch-schema.js';
import { readParquetFile } from '../../storage/partition/partition-reader.js';
import { Types } from '../../storage/types/data-type.js';

describe('TPC-H files', () => {
  let root: string;
  let first: TpchFileSet;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'firn-tpch-files-'));
    first = await ensureTpchFiles({ sf: 0.01, root, rowsPerFile: 5_000 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes CSV and Parquet for every table, ~rowsPerFile rows each', () => {
    expect(first.reused).toBe(false);
    expect(TPCH_TABLES.map((t) => first.tables[t].rows)).toEqual([5, 25, 100, 1500, 2000, 8000, 15000, 60175]);
    expect(first.tables.orders.parquetFiles.map((p) => path.basename(p))).toEqual(['orders-000.parquet', 'orders-001.parquet', 'orders-002.parquet']);
    // Whole parts per file: 1,250 parts of 4 rows.
    expect(first.tables.partsupp.csvFiles.map((p) => path.basename(p))).toEqual(['partsupp-000.csv', 'partsupp-001.csv']);
    for (const t of TPCH_TABLES) {
      expect(first.tables[t].parquetFiles.length, t).toBe(first.tables[t].csvFiles.length);
      expect(first.tables[t].parquetFiles.every((p) => path.dirname(p) === first.dir)).toBe(true);
    }
  });

  it('Parquet files read back with the Firn types, holding the rows of the CSV files', async () => {
    for (const t of TPCH_TABLES) {
      const file = await readParquetFile(new Uint8Array(readFileSync(first.tables[t].parquetFiles[0])), t);
      expect(file.columns, t).toEqual(TPCH_COLUMNS[t]);
      const text: string[] = [];
      for await (const b of file.batches()) text.push(encodeCsv(TPCH_COLUMNS[t], b, 0, b.length));
      const csv = readFileSync(first.tables[t].csvFiles[0], 'utf8');
      expect(csv.slice(0, csv.indexOf('\n') + 1)).toBe(csvHeader(TPCH_COLUMNS[t]));
      expect(csv.slice(csv.indexOf('\n') + 1), t).toBe(text.join(''));
    }
  });

  it('writes negative balances and NUMBER(p,2) with two decimals', () => {
    const csv = readFileSync(first.tables.customer.csvFiles[0], 'utf8');
    expect(csv).toMatch(/\|-\d+\.\d\d\|/);
    expect(csv.split('\n')[1].split('|')).toHaveLength(TPCH_COLUMNS.customer.length);
    const columns = [
      { name: 'k', type: Types.number(12, 0), nullable: false },
      { name: 'm', type: Types.number(15, 2), nullable: false },
      { name: 'd', type: Types.date, nullable: false },
      { name: 's', type: { kind: 'VARCHAR' as const, length: 5 }, nullable: false },
    ];
    const batch = {
      length: 3,
      columns: [
        { kind: 'f64' as const, length: 3, values: Float64Array.of(1, 22, 333), nulls: null },
        { kind: 'f64' as const, length: 3, values: Float64Array.of(-5, 0, 1234567), nulls: null },
        { kind: 'i32' as const, length: 3, values: Int32Array.of(0, 8035, 10_561), nulls: null },
        { kind: 'str' as const, length: 3, codes: Int32Array.of(1, 0, 1), dict: ['a b', 'c,d'], nulls: null },
      ],
    };
    expect(csvHeader(columns)).toBe('k|m|d|s\n');
    expect(encodeCsv(columns, batch, 0, 3)).toBe('1|-0.05|1970-01-01|c,d\n22|0.00|1992-01-01|a b\n333|12345.67|1998-12-01|c,d\n');
    expect(encodeCsv(columns, batch, 1, 1)).toBe('');
  });

  it('reuses files whose manifests match, and regenerates when one does not', async () => {
    const again = await ensureTpchFiles({ sf: 0.01, root, rowsPerFile: 5_000, formats: [LineitemFormat.PARQUET] });
    expect(again.reused).toBe(true);
    expect(again.tables.part.parquetFiles).toEqual(first.tables.part.parquetFiles);
    const manifestFile = path.join(first.dir, 'tpch-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, lineitemVersion: manifest.lineitemVersion - 1 }));
    const regenerated = await ensureTpchFiles({ sf: 0.01, root, rowsPerFile: 5_000 });
    expect(regenerated.reused).toBe(false);
    expect(JSON.parse(readFileSync(manifestFile, 'utf8')).lineitemVersion).toBe(manifest.lineitemVersion);
    expect(readFileSync(regenerated.tables.orders.parquetFiles[1]).equals(readFileSync(first.tables.orders.parquetFiles[1]))).toBe(true);
  });
});

describe('TPC-H schema, queries and suite helpers', () => {
  it('creates each table with its columns, keys NUMBER(12,0) and money NUMBER(15,2), NOT NULL', () => {
    const sql = createTableSql(TpchTable.PARTSUPP);
    expect(sql).toBe(
      'CREATE TABLE partsupp (\n  ps_partkey NUMBER(12,0) NOT NULL,\n  ps_suppkey NUMBER(12,0) NOT NULL,\n  ps_availqty NUMBER(10,0) NOT NULL,\n' +
        '  ps_supplycost NUMBER(15,2) NOT NULL,\n  ps_comment VARCHAR(199) NOT NULL\n)',
    );
    expect(TPCH_COLUMNS.orders.find((c) => c.name === 'o_totalprice')!.type).toEqual(Types.number(15, 2));
    expect(TPCH_COLUMNS.orders.find((c) => c.name === 'o_orderdate')!.type).toEqual(Types.date);
  });

  it('reads the 22 queries with their headers and one statement each', () => {
    const queries = tpchQueries();
    expect(queries.map((q) => q.name)).toEqual(Array.from({ length: 22 }, (_, i) => `q${i + 1}`));
    for (const q of queries) {
      expect(q.header[0], q.name).toMatch(new RegExp(`^TPC-H Q${q.number}: `));
      expect(q.header.some((l) => l.startsWith('Dialect edits')), q.name).toBe(true);
      expect(q.sql.startsWith('select') || q.sql.startsWith('with'), q.name).toBe(true);
      expect(q.sql.includes(';'), q.name).toBe(false);
    }
    expect(queries[0].sql).toContain("l_shipdate <= date '1998-12-01' - interval '90' day\n");
  });

  it('takes the geometric mean of the known ratios and scales the time and memory budgets with SF', () => {
    expect(geometricMean([1, 4, null])).toBeCloseTo(2, 12);
    expect(geometricMean([2, 8, 0.5])).toBeCloseTo(2, 12);
    expect(geometricMean([null])).toBeNull();
    expect(queryBudgetMs(0.1)).toBe(120_000);
    expect(queryBudgetMs(10)).toBe(1_200_000);
    expect([0.01, 0.5, 1, 100].map((sf) => memoryBudgetBytes(sf) / 2 ** 30)).toEqual([4, 10, 20, 20]);
  });
});
