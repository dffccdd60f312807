/**
 * TPC-H differential test: all eight tables at SF 0.01 (bench/tpch's dbgen-faithful
 * generator), loaded into a real Firn server with COPY INTO from the Parquet files and read by
 * DuckDB from the same files; each of the 22 queries (bench/tpch/queries) runs on both and the
 * answers must be the same, row by row in ORDER BY order: the same column types (NUMBER by
 * scale) and the same values, exactly (bench/compare-results.ts). Where Snowflake's semantics,
 * which Firn follows, give another type than DuckDB's (AVG and division of NUMBERs are exact
 * NUMBERs in Snowflake, DOUBLEs in DuckDB), DuckDB runs a text that computes Snowflake's type
 * and value in integer arithmetic (bench/tpch/duckdb-exact-text.ts); nothing is rounded to fit.
 *
 * Queries Firn cannot run yet are it.todo with the error Firn gives; EXPECTED_TO_PASS lists
 * the ones that must pass. At SF 0.01 the validation parameters leave Q8 (market share 0 in
 * both years) and Q17 (no qualifying line: NULL) without a real answer, so each also runs with
 * other substitution values the spec allows, chosen to give one. Lineitem is spread over several micro-partitions
 * (FIRN_PARTITION_ROWS) so scans, joins and pruning see more than one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, duckdbResultSet, firnResultSet } from '../../bench/compare-results.js';
import { DUCKDB_EXACT_MACROS } from '../../bench/engines/duckdb-exact-macros.js';
import { duckdbQueryText } from '../../bench/tpch/duckdb-exact-text.js';
import { LineitemFormat } from '../../bench/tpch/lineitem-files.js';
import { ensureTpchFiles, type TpchFileSet } from '../../bench/tpch/tpch-files.js';
import { tpchQueries } from '../../bench/tpch/tpch-queries.js';
import { createTableSql, TPCH_TABLES } from '../../bench/tpch/tpch-schema.js';
import { postStatement } from '../support/post-statement.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';

const SF = 0.01;
/** Q19's OR of three conjunctions, each with the join condition, takes ~20 s alone on 2 cores today. */
const QUERY_TIMEOUT_MS = 300_000;

/** The queries Firn answers today, each checked against DuckDB (all 22 since joins and subqueries landed). */
const EXPECTED_TO_PASS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);

/** Other valid substitution parameters for queries whose validation parameters select nothing at SF 0.01. */
const VARIANTS: { number: number; params: string; replace: [string, string][] }[] = [
  {
    number: 8,
    params: 'NATION = UNITED STATES, REGION = AMERICA, TYPE = STANDARD BRUSHED STEEL',
    replace: [
      ["'BRAZIL'", "'UNITED STATES'"],
      ["'ECONOMY ANODIZED STEEL'", "'STANDARD BRUSHED STEEL'"],
    ],
  },
  {
    number: 17,
    params: 'BRAND = Brand#45, CONTAINER = MED JAR',
    replace: [
      ["'Brand#23'", "'Brand#45'"],
      ["'MED BOX'", "'MED JAR'"],
    ],
  },
];

/** Why each other query cannot pass yet: the error Firn gives (or the wrong answer). */
const NOT_YET: Record<number, string> = {};

describe('TPC-H SF 0.01: Firn and DuckDB give the same answers', () => {
  let dir: string;
  let files: TpchFileSet;
  let server: FirnProcess;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-tpch-'));
    files = await ensureTpchFiles({ sf: SF, root: path.join(dir, 'data'), formats: [LineitemFormat.PARQUET] });
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '10000' } });
    const instance = await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    duck = await instance.connect();
    for (const macro of DUCKDB_EXACT_MACROS) await duck.run(macro);
    for (const table of TPCH_TABLES) {
      await postStatement(server.url, createTableSql(table));
      await postStatement(server.url, `COPY INTO ${table} FROM 'file://${files.dir}/${table}-*.parquet' FILE_FORMAT = (TYPE = PARQUET)`);
      await duck.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${files.dir}/${table}-*.parquet')`);
    }
  });

  afterAll(async () => {
    duck?.closeSync();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists every query as passing or not yet, once', () => {
    const numbers = tpchQueries().map((q) => q.number);
    expect(numbers).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    for (const n of numbers) expect(EXPECTED_TO_PASS.has(n) !== n in NOT_YET, `q${n}`).toBe(true);
  });

  it("loaded every table with the generator's row counts", async () => {
    for (const table of TPCH_TABLES) {
      const r = await postStatement(server.url, `SELECT COUNT(*) FROM ${table}`);
      expect(Number(r.data[0][0]), table).toBe(files.tables[table].rows);
    }
    expect(files.tables.lineitem.rows).toBe(60_175);
    expect(files.tables.orders.rows).toBe(15_000);
  });

  const cases = tpchQueries().flatMap((q) => [
    { number: q.number, name: q.name, sql: q.sql },
    ...VARIANTS.filter((v) => v.number === q.number).map((v) => ({
      number: q.number,
      name: `${q.name} with ${v.params}`,
      sql: v.replace.reduce((sql, [from, to]) => {
        if (!sql.includes(from)) throw new Error(`${q.name} has no ${from} to substitute`);
        return sql.replaceAll(from, to);
      }, q.sql),
    })),
  ]);

  for (const q of cases) {
    if (!EXPECTED_TO_PASS.has(q.number)) {
      it.todo(`${q.name}: ${NOT_YET[q.number] ?? 'not listed'}`);
      continue;
    }
    it(`${q.name} answers like DuckDB`, async () => {
      const firn = await postStatement(server.url, q.sql);
      const reader = await duck.runAndReadAll(duckdbQueryText(q.number, q.sql));
      expect(reader.currentRowCount, 'DuckDB answers some rows').toBeGreaterThan(0);
      const c = compareResults(firnResultSet(firn.resultSetMetaData.rowType, firn.data), duckdbResultSet(reader), { ordered: true });
      if (!c.same) expect.fail(c.detail);
    }, QUERY_TIMEOUT_MS);
  }
});
