/**
 * The lineitem suite: TPC-H lineitem at a scale factor, loaded into Firn (unclustered and
 * clustered by l_shipdate) and read by DuckDB from the same Parquet files; five queries timed
 * on both, answers compared, Firn's pruning reported.
 *
 * Contract: Firn runs as its own server process on a fresh home (bench/data/firn-sf<sf>) with
 * a SMALL warehouse (2 workers); DuckDB runs in this process with 2 threads (the machine
 * has 2 cores). Load times: Firn `COPY INTO lineitem` (after the clustered table's COPY, so
 * worker start-up is not in it) against DuckDB `CREATE TABLE lineitem_loaded AS SELECT * FROM
 * read_parquet(...)` plus CHECKPOINT into its database file (both durable on disk). For
 * date_range, the partitions Firn scans are checked against what zone maps allow: COPY
 * sorts each source file by the clustering key and cuts it into partitions of
 * FIRN_PARTITION_ROWS rows, so a range holding r_f rows of file f overlaps at most
 * ceil(r_f / FIRN_PARTITION_ROWS) + 1 of that file's partitions; the sum over files is the
 * bound (the bench's files are ~1M rows each, so at SF 0.1 there is one file and the bound is
 * ceil(rows_in_range / FIRN_PARTITION_ROWS) + 1). A Firn failure in one query is reported in
 * that row and the suite goes on; a wrong answer is marked DIFFERENT.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_PARTITION_ROWS } from '../../services/config.js';
import { typeToSql } from '../../storage/types/data-type.js';
import { compareResults } from '../compare-results.js';
import { DuckdbSide, type DuckdbAnswer } from '../engines/duckdb-side.js';
import { FirnSide, type FirnAnswer } from '../engines/firn-side.js';
import { measure, type Measured } from '../measure.js';
import type { BenchSuite, QueryReport, SuiteContext, SuiteReport } from '../suite.js';
import { ensureLineitemFiles, rowsInShipdateRange, type LineitemFileSet } from '../tpch/lineitem-files.js';
import { LINEITEM_COLUMNS } from '../tpch/lineitem-generator.js';
import { DATE_RANGE, lineitemQueries, type BenchQuery } from './lineitem-queries.js';

const WAREHOUSE = 'bench_wh';
const DUCKDB_THREADS = 2;
const FIRN_CACHE_MEMORY_BYTES = 2 * 2 ** 30;
const PARTITION_ROWS = DEFAULT_PARTITION_ROWS;

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

function createTableSql(name: string, clusterBy: string | null): string {
  const cols = LINEITEM_COLUMNS.map((c) => `  ${c.name} ${typeToSql(c.type)}`).join(',\n');
  return `CREATE TABLE ${name} (\n${cols}\n)${clusterBy ? ` CLUSTER BY (${clusterBy})` : ''}`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

async function attempt<T>(run: () => Promise<T>): Promise<{ ok: T } | { error: string }> {
  try {
    return { ok: await run() };
  } catch (err) {
    return { error: message(err) };
  }
}

/** Loads both Firn tables, checks their row counts; returns the unclustered load time. */
async function loadFirn(firn: FirnSide, files: LineitemFileSet, notes: string[], log: (line: string) => void): Promise<number> {
  await firn.exec(`CREATE WAREHOUSE ${WAREHOUSE} WAREHOUSE_SIZE = SMALL`);
  await firn.exec(`USE WAREHOUSE ${WAREHOUSE}`);
  const source = sqlString(`${pathToFileURL(files.dir).href}/lineitem-*.parquet`);
  let unclusteredMs = 0;
  // The clustered table loads first, so the warehouse's workers have started (threads, wasm)
  // before the load whose time is reported; both times are printed.
  for (const [table, clusterBy] of [
    ['lineitem_by_shipdate', 'l_shipdate'],
    ['lineitem', null],
  ] as const) {
    await firn.exec(createTableSql(table, clusterBy));
    log(`firn: COPY INTO ${table} ...`);
    const load = await firn.exec(`COPY INTO ${table} FROM ${source} FILE_FORMAT = (TYPE = PARQUET)`);
    const count = await firn.exec(`SELECT COUNT(*) FROM ${table}`);
    const rows = Number(count.result.rows[0]?.[0]);
    if (rows !== files.manifest.rows) notes.push(`!!! firn ${table} holds ${rows} rows after COPY, the files hold ${files.manifest.rows}`);
    notes.push(`firn COPY INTO ${table}${clusterBy ? ` (CLUSTER BY ${clusterBy}, first load: includes worker start-up)` : ''}: ${load.ms.toFixed(0)} ms`);
    if (clusterBy === null) unclusteredMs = load.ms;
  }
  return unclusteredMs;
}

function dateRangeBound(files: LineitemFileSet): { inRange: number; bound: number; globalBound: number } {
  const perFile = rowsInShipdateRange(files.manifest, dayOf(DATE_RANGE.from), dayOf(DATE_RANGE.to));
  const inRange = perFile.reduce((a, b) => a + b, 0);
  const bound = perFile.reduce((sum, r) => sum + Math.ceil(r / PARTITION_ROWS) + 1, 0);
  return { inRange, bound, globalBound: Math.ceil(inRange / PARTITION_ROWS) + 1 };
}

async function runQuery(q: BenchQuery, firn: FirnSide, duck: DuckdbSide, runs: number, files: LineitemFileSet, notes: string[]): Promise<QueryReport> {
  const f = await attempt<Measured<FirnAnswer>>(() => measure(() => firn.exec(q.sql), runs));
  const d = await attempt<Measured<DuckdbAnswer>>(() => measure(() => duck.exec(q.duckdb ?? q.sql), runs));
  const report: QueryReport = {
    name: q.name,
    firnMs: 'ok' in f ? f.ok.warmMs : null,
    duckdbMs: 'ok' in d ? d.ok.warmMs : null,
    ratio: null,
    partitionsScanned: 'ok' in f ? f.ok.last.stats.partitionsScanned : null,
    partitionsTotal: 'ok' in f ? f.ok.last.stats.partitionsTotal : null,
    firnColdMs: 'ok' in f ? f.ok.coldMs : null,
    duckdbColdMs: 'ok' in d ? d.ok.coldMs : null,
    check: 'not compared',
    detail: ['error' in f ? `firn failed: ${f.error}` : '', 'error' in d ? `duckdb failed: ${d.error}` : ''].filter(Boolean).join('; '),
  };
  if (report.firnMs !== null && report.duckdbMs !== null && report.duckdbMs > 0) report.ratio = report.firnMs / report.duckdbMs;
  if ('ok' in f && 'ok' in d) {
    const cold = compareResults(f.ok.first.result, d.ok.first.result, { ordered: q.ordered });
    const warm = compareResults(f.ok.last.result, d.ok.last.result, { ordered: q.ordered });
    const bad = !cold.same ? cold : warm;
    report.check = cold.same && warm.same ? 'same' : 'DIFFERENT';
    report.detail = bad.detail;
    if (!cold.same || !warm.same) notes.push(`!!! ${q.name}: Firn and DuckDB DISAGREE: ${bad.detail}`);
  }
  if (q.name === 'date_range' && report.partitionsScanned !== null) {
    const { inRange, bound, globalBound } = dateRangeBound(files);
    const ok = report.partitionsScanned <= bound;
    notes.push(
      `${ok ? '' : '!!! '}date_range: ${inRange} rows in range; firn scanned ${report.partitionsScanned} of ${report.partitionsTotal} partitions; ` +
        `zone maps allow at most ${bound} (per-file clustering, ${files.manifest.files.length} file(s)), ` +
        `${globalBound} for a fully clustered table (ceil(${inRange} / ${PARTITION_ROWS}) + 1)${ok ? '' : ' -- PRUNING WORSE THAN THE BOUND'}`,
    );
  }
  return report;
}

async function run(ctx: SuiteContext): Promise<SuiteReport> {
  const data = path.join(ctx.root, 'bench', 'data');
  ctx.log(`lineitem sf${ctx.sf}: preparing files under ${data}`);
  const files = await ensureLineitemFiles({ sf: ctx.sf, root: data, log: ctx.log });
  ctx.log(`lineitem sf${ctx.sf}: ${files.manifest.rows.toLocaleString('en-US')} rows in ${files.parquetFiles.length} Parquet file(s)${files.reused ? ' (reused)' : ''}`);
  const notes: string[] = [];
  const firn = await FirnSide.start(path.join(data, `firn-sf${ctx.sf}`), {
    FIRN_CACHE_MEMORY_BYTES: String(FIRN_CACHE_MEMORY_BYTES),
    FIRN_PARTITION_ROWS: String(PARTITION_ROWS),
  });
  let duck: DuckdbSide | null = null;
  try {
    ctx.log(`firn: server at ${firn.url}`);
    const firnLoadMs = await loadFirn(firn, files, notes, ctx.log);
    duck = await DuckdbSide.open(path.join(data, `duckdb-sf${ctx.sf}.duckdb`), DUCKDB_THREADS);
    const glob = sqlString(path.join(files.dir, 'lineitem-*.parquet'));
    ctx.log('duckdb: CREATE TABLE lineitem_loaded AS SELECT * FROM read_parquet(...) ...');
    const duckCreate = await duck.exec(`CREATE TABLE lineitem_loaded AS SELECT * FROM read_parquet(${glob})`);
    const duckLoad = { ms: duckCreate.ms + (await duck.exec('CHECKPOINT')).ms };
    for (const view of ['lineitem', 'lineitem_by_shipdate']) await duck.exec(`CREATE VIEW ${view} AS SELECT * FROM read_parquet(${glob})`);
    notes.push(`duckdb CREATE TABLE AS + CHECKPOINT (${DUCKDB_THREADS} threads): ${duckLoad.ms.toFixed(0)} ms; duckdb queries read the Parquet files through views (lineitem_by_shipdate is the same unclustered files)`);
    const queries: QueryReport[] = [];
    for (const q of lineitemQueries(ctx.sf)) {
      ctx.log(`query ${q.name}: 1 cold + ${ctx.runs} warm runs on each engine`);
      queries.push(await runQuery(q, firn, duck, ctx.runs, files, notes));
    }
    return {
      suite: 'lineitem',
      sf: ctx.sf,
      runs: ctx.runs,
      rows: files.manifest.rows,
      queries,
      load: { firnMs: firnLoadMs, duckdbMs: duckLoad.ms },
      firnPeakRssBytes: firn.peakRssBytes(),
      notes,
      sections: [],
    };
  } catch (err) {
    ctx.log(`--- last firn server output ---\n${firn.output().slice(-4000)}`);
    throw err;
  } finally {
    duck?.close();
    await firn.stop();
  }
}

export const lineitemSuite: BenchSuite = {
  name: 'lineitem',
  description: 'TPC-H lineitem: Q1, Q6, a full scan, a clustered date range and a point lookup, Firn vs DuckDB',
  run,
};
