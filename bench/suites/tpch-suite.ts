/**
 * The tpch suite: all eight TPC-H tables at a scale factor (bench/tpch, dbgen's values), loaded
 * into Firn with COPY INTO from the Parquet files and read by DuckDB from the same files; the
 * 22 queries (bench/tpch/queries) timed on both, answers compared, Firn's pruning reported.
 *
 * Contract: Firn runs as its own server process on a fresh home (bench/data/firn-tpch-sf<sf>)
 * with a SMALL warehouse (2 workers); DuckDB runs in this process with 2 threads (the machine
 * has 2 cores) and queries views over read_parquet of the very files Firn loaded. Load times:
 * Firn's COPY INTO of all eight tables against DuckDB's CREATE TABLE AS from the same files
 * plus CHECKPOINT into its database file (both durable on disk). Each query runs once cold and
 * `runs` times warm on each engine (bench/measure.ts). A query Firn cannot run is reported as
 * unsupported with Firn's error and the suite goes on; one that runs longer than the time
 * budget (queryBudgetMs) or makes the server's peak RSS pass the memory budget
 * (memoryBudgetBytes) is reported the same way, and since Firn cannot cancel a statement the
 * server is then restarted and reloaded before the next query (as it is when the server went
 * away during a query). A wrong answer is marked
 * DIFFERENT. The notes give the Firn server's peak RSS (VmHWM) after each query and the
 * geometric mean of the warm ratios over the queries both engines ran.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_PARTITION_ROWS } from '../../services/config.js';
import { FirnError, ResourceError } from '../../storage/errors/firn-error.js';
import { compareResults } from '../compare-results.js';
import { duckdbQueryText } from '../tpch/duckdb-exact-text.js';
import { DuckdbSide, type DuckdbAnswer } from '../engines/duckdb-side.js';
import { FirnSide, type FirnAnswer } from '../engines/firn-side.js';
import { measure, type Measured } from '../measure.js';
import type { BenchSuite, QueryReport, SuiteContext, SuiteReport } from '../suite.js';
import { LineitemFormat } from '../tpch/lineitem-files.js';
import { ensureTpchFiles, type TpchFileSet } from '../tpch/tpch-files.js';
import { tpchQueries, type TpchQuery } from '../tpch/tpch-queries.js';
import { createTableSql, TPCH_TABLES } from '../tpch/tpch-schema.js';

const WAREHOUSE = 'bench_wh';
const DUCKDB_THREADS = 2;
const FIRN_CACHE_MEMORY_BYTES = 2 * 2 ** 30;
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const mb = (bytes: number | null) => (bytes === null ? 'unknown' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const FIRN_ENV = { FIRN_CACHE_MEMORY_BYTES: String(FIRN_CACHE_MEMORY_BYTES), FIRN_PARTITION_ROWS: String(DEFAULT_PARTITION_ROWS) };

/** Longest a single run of one query may take on Firn: 2 minutes per unit of scale factor, at least 2 minutes. */
export function queryBudgetMs(sf: number): number {
  return 120_000 * Math.max(1, sf);
}

/**
 * Most memory the Firn server may hold (peak RSS) before the running query is given up: 20 GiB
 * per unit of scale factor, at least 4 GiB, at most 20 GiB (the issue's bar is SF 1 inside
 * 24 GiB), so a runaway plan cannot take a shared machine down.
 */
export function memoryBudgetBytes(sf: number): number {
  return Math.min(20, Math.max(4, 20 * sf)) * 2 ** 30;
}

/** The geometric mean of the ratios that are known and positive, or null when there is none. */
export function geometricMean(ratios: readonly (number | null)[]): number | null {
  const known = ratios.filter((r): r is number => r !== null && r > 0);
  if (known.length === 0) return null;
  return Math.exp(known.reduce((sum, r) => sum + Math.log(r), 0) / known.length);
}

/** A query run given up: over its time or memory budget. Firn cannot cancel it, so the server is restarted. */
class OverBudget extends ResourceError {
  constructor(what: string) {
    super('RESOURCE_EXHAUSTED', `${what} (Firn cannot cancel a statement: the server was restarted)`);
  }
}

const MEMORY_POLL_MS = 250;

/** `run`, unless it takes longer than budget.ms or the Firn server's peak RSS passes budget.bytes first. */
function withBudget<T>(run: Promise<T>, firn: FirnSide, budget: { ms: number; bytes: number }): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  const over = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OverBudget(`did not finish within ${(budget.ms / 1000).toFixed(0)} s`)), budget.ms);
    poll = setInterval(() => {
      const rss = firn.peakRssBytes();
      if (rss !== null && rss > budget.bytes) reject(new OverBudget(`the server's RSS passed ${mb(budget.bytes)}`));
    }, MEMORY_POLL_MS);
  });
  return Promise.race([run, over]).finally(() => {
    clearTimeout(timer);
    clearInterval(poll);
  });
}


function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

/** Runs `run`; on failure says why and whether Firn must be restarted (over budget, or the request itself failed: FirnSide's STORAGE_IO). */
async function attempt<T>(run: () => Promise<T>): Promise<{ ok: T } | { error: string; restart: boolean }> {
  try {
    return { ok: await run() };
  } catch (err) {
    return { error: message(err), restart: err instanceof OverBudget || (err instanceof FirnError && err.codeName === 'STORAGE_IO') };
  }
}

/** Starts a Firn server on a fresh home and loads every table; returns it with the load time (all COPYs), per-table times and row-count problems. */
async function startFirn(
  home: string,
  files: TpchFileSet,
  log: (line: string) => void,
): Promise<{ firn: FirnSide; loadMs: number; perTable: string[]; problems: string[] }> {
  const firn = await FirnSide.start(home, FIRN_ENV);
  try {
    await firn.exec(`CREATE WAREHOUSE ${WAREHOUSE} WAREHOUSE_SIZE = SMALL`);
    await firn.exec(`USE WAREHOUSE ${WAREHOUSE}`);
    let loadMs = 0;
    const perTable: string[] = [];
    const problems: string[] = [];
    for (const table of TPCH_TABLES) {
      await firn.exec(createTableSql(table));
      log(`firn: COPY INTO ${table} ...`);
      const source = sqlString(`${pathToFileURL(files.dir).href}/${table}-*.parquet`);
      const load = await firn.exec(`COPY INTO ${table} FROM ${source} FILE_FORMAT = (TYPE = PARQUET)`);
      const rows = Number((await firn.exec(`SELECT COUNT(*) FROM ${table}`)).result.rows[0]?.[0]);
      if (rows !== files.tables[table].rows) problems.push(`!!! firn ${table} holds ${rows} rows after COPY, the files hold ${files.tables[table].rows}`);
      loadMs += load.ms;
      perTable.push(`${table} ${load.ms.toFixed(0)}`);
    }
    return { firn, loadMs, perTable, problems };
  } catch (err) {
    log(`--- last firn server output ---\n${firn.output().slice(-4000)}`);
    await firn.stop();
    throw err;
  }
}

async function loadDuckdb(duck: DuckdbSide, files: TpchFileSet): Promise<number> {
  let ms = 0;
  for (const table of TPCH_TABLES) {
    const glob = sqlString(path.join(files.dir, `${table}-*.parquet`));
    ms += (await duck.exec(`CREATE TABLE ${table}_loaded AS SELECT * FROM read_parquet(${glob})`)).ms;
    await duck.exec(`CREATE VIEW ${table} AS SELECT * FROM read_parquet(${glob})`);
  }
  return ms + (await duck.exec('CHECKPOINT')).ms;
}

type QueryRun = { report: QueryReport; restartFirn: boolean };

async function runQuery(q: TpchQuery, firn: FirnSide, duck: DuckdbSide, runs: number, budget: { ms: number; bytes: number }, notes: string[]): Promise<QueryRun> {
  const f = await attempt<Measured<FirnAnswer>>(() => measure(() => withBudget(firn.exec(q.sql), firn, budget), runs));
  const d = await attempt<Measured<DuckdbAnswer>>(() => measure(() => duck.exec(duckdbQueryText(q.number, q.sql)), runs));
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
    detail: ['error' in f ? `unsupported: ${f.error}` : '', 'error' in d ? `duckdb failed: ${d.error}` : ''].filter(Boolean).join('; '),
  };
  if (report.firnMs !== null && report.duckdbMs !== null && report.duckdbMs > 0) report.ratio = report.firnMs / report.duckdbMs;
  if ('ok' in f && 'ok' in d) {
    // Every TPC-H answer is ordered by its ORDER BY (or is one row).
    const cold = compareResults(f.ok.first.result, d.ok.first.result, { ordered: true });
    const warm = compareResults(f.ok.last.result, d.ok.last.result, { ordered: true });
    const bad = !cold.same ? cold : warm;
    report.check = cold.same && warm.same ? 'same' : 'DIFFERENT';
    report.detail = bad.detail;
    if (!cold.same || !warm.same) notes.push(`!!! ${q.name}: Firn and DuckDB DISAGREE: ${bad.detail}`);
  }
  return { report, restartFirn: 'error' in f && f.restart };
}

async function run(ctx: SuiteContext): Promise<SuiteReport> {
  const data = path.join(ctx.root, 'bench', 'data');
  ctx.log(`tpch sf${ctx.sf}: preparing files under ${data}`);
  const files = await ensureTpchFiles({ sf: ctx.sf, root: data, formats: [LineitemFormat.PARQUET, LineitemFormat.CSV], log: ctx.log });
  ctx.log(`tpch sf${ctx.sf}: ${TPCH_TABLES.map((t) => `${t} ${files.tables[t].rows.toLocaleString('en-US')}`).join(', ')} rows${files.reused ? ' (reused)' : ''}`);
  const notes: string[] = [];
  const home = path.join(data, `firn-tpch-sf${ctx.sf}`);
  const budget = { ms: queryBudgetMs(ctx.sf), bytes: memoryBudgetBytes(ctx.sf) };
  const started = await startFirn(home, files, ctx.log);
  let firn = started.firn;
  notes.push(...started.problems, `firn COPY INTO per table (ms; the first includes worker start-up): ${started.perTable.join(', ')}`);
  let duck: DuckdbSide | null = null;
  try {
    ctx.log(`firn: server at ${firn.url}`);
    duck = await DuckdbSide.open(path.join(data, `duckdb-tpch-sf${ctx.sf}.duckdb`), DUCKDB_THREADS);
    ctx.log('duckdb: CREATE TABLE <t>_loaded AS SELECT * FROM read_parquet(...) for every table ...');
    const duckLoadMs = await loadDuckdb(duck, files);
    notes.push(`duckdb CREATE TABLE AS + CHECKPOINT (${DUCKDB_THREADS} threads): ${duckLoadMs.toFixed(0)} ms; duckdb queries read the Parquet files through views`);
    const queries: QueryReport[] = [];
    const rss: string[] = [];
    for (const q of tpchQueries()) {
      ctx.log(`query ${q.name}: 1 cold + ${ctx.runs} warm runs on each engine`);
      const { report, restartFirn } = await runQuery(q, firn, duck, ctx.runs, budget, notes);
      queries.push(report);
      rss.push(`${q.name} ${mb(firn.peakRssBytes())}`);
      if (restartFirn) {
        ctx.log(`query ${q.name}: ${report.detail}; restarting and reloading Firn`);
        await firn.stop();
        firn = (await startFirn(home, files, ctx.log)).firn;
        rss.push('(restarted)');
      }
    }
    const gm = geometricMean(queries.map((q) => q.ratio));
    const ran = queries.filter((q) => q.ratio !== null);
    const worst = ran.reduce<QueryReport | null>((w, q) => (w === null || q.ratio! > w.ratio! ? q : w), null);
    notes.push(`firn server peak RSS (VmHWM, since start) after each query: ${rss.join(', ')}`);
    notes.push(
      `geometric mean of warm firn/duckdb ratios over ${ran.length} of ${queries.length} queries: ${gm === null ? '-' : gm.toFixed(2)}` +
        (worst ? `; worst ${worst.name} ${worst.ratio!.toFixed(2)}` : ''),
    );
    return {
      suite: 'tpch',
      sf: ctx.sf,
      runs: ctx.runs,
      rows: files.tables.lineitem.rows,
      queries,
      load: { firnMs: started.loadMs, duckdbMs: duckLoadMs },
      firnPeakRssBytes: firn.peakRssBytes(),
      notes,
    };
  } catch (err) {
    ctx.log(`--- last firn server output ---\n${firn.output().slice(-4000)}`);
    throw err;
  } finally {
    duck?.close();
    await firn.stop();
  }
}

export const tpchSuite: BenchSuite = {
  name: 'tpch',
  description: 'TPC-H: all eight tables, the 22 queries, Firn vs DuckDB over the same Parquet files',
  run,
};
