/**
 * The semi suite (`npm run bench -- semi --sf 1`): semi-structured data side by side with
 * DuckDB on the same NDJSON event files (bench/semi/event-files.ts: ~1,000,000 events at SF 1
 * with nested objects, arrays, decimals, booleans, missing keys and JSON nulls).
 *  - Load: Firn `COPY INTO ev (v VARIANT) FROM 'file://…/events-*.ndjson' FILE_FORMAT =
 *    (TYPE = JSON)` against DuckDB `CREATE TABLE ev AS SELECT json AS v FROM
 *    read_ndjson_objects(…)` plus CHECKPOINT (both durable on disk); both tables' row counts
 *    are checked against the files. Firn first loads one file into a scratch table, so worker
 *    start-up is not in the reported load.
 *  - Queries over the loaded column, each as Firn writes it (VARIANT paths and casts) and as
 *    DuckDB does (json_extract / json_extract_string / json_array_length): a GROUP BY on a
 *    string path with COUNT and SUM of a decimal path as NUMBER(12,2), a filter on a nested
 *    path, ARRAY_SIZE of an array path aggregated, a range filter on an integer path, and
 *    PARSE_JSON of a VARCHAR column holding each event's JSON text (DuckDB: CAST(s AS JSON)).
 *    Each is run once cold and --runs times warm (median reported), and both answers must be
 *    the same by compare-results.ts.
 *
 * Contract: Firn runs as its own server on a fresh home (bench/data/firn-semi-sf<sf>) with a
 * SMALL warehouse; DuckDB in this process with 2 threads on its own database file. A Firn or
 * DuckDB failure in one query is reported in that row and the suite goes on; a wrong answer is
 * marked DIFFERENT.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareResults } from '../compare-results.js';
import { DuckdbSide, type DuckdbAnswer } from '../engines/duckdb-side.js';
import { FirnSide, type FirnAnswer } from '../engines/firn-side.js';
import { measure, type Measured } from '../measure.js';
import { ensureEventFiles } from '../semi/event-files.js';
import type { BenchSuite, QueryReport, SuiteContext, SuiteReport } from '../suite.js';

const WAREHOUSE = 'bench_wh';
const DUCKDB_THREADS = 2;

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

type SemiQuery = { name: string; firn: string; duckdb: string };

/** DuckDB's spelling of Firn's `<json>:amount::NUMBER(12,2)`. */
const duckAmount = (json: string) => `CAST(json_extract(${json}, '$.amount') AS DECIMAL(12,2))`;

function semiQueries(events: number): SemiQuery[] {
  // Event ids are 1..events: the range holds the middle tenth of them.
  const lo = Math.floor(events * 0.45);
  const hi = lo + Math.floor(events / 10) - 1;
  return [
    {
      name: 'group_by_string_path',
      firn: 'SELECT v:country::string AS country, COUNT(*), SUM(v:amount::NUMBER(12,2)) FROM ev GROUP BY 1',
      duckdb: `SELECT json_extract_string(v, '$.country') AS country, COUNT(*), SUM(${duckAmount('v')}) FROM ev GROUP BY 1`,
    },
    {
      name: 'filter_nested_path',
      firn: "SELECT COUNT(*), SUM(v:amount::NUMBER(12,2)) FROM ev WHERE v:user.tier::string = 'gold'",
      duckdb: `SELECT COUNT(*), SUM(${duckAmount('v')}) FROM ev WHERE json_extract_string(v, '$.user.tier') = 'gold'`,
    },
    {
      name: 'array_size_agg',
      firn: 'SELECT v:ok::boolean AS ok, COUNT(ARRAY_SIZE(v:items)), SUM(ARRAY_SIZE(v:items)), MAX(ARRAY_SIZE(v:items)) FROM ev GROUP BY 1',
      duckdb:
        "SELECT CAST(json_extract(v, '$.ok') AS BOOLEAN) AS ok, COUNT(json_array_length(v, '$.items')), SUM(json_array_length(v, '$.items')), MAX(json_array_length(v, '$.items')) FROM ev GROUP BY 1",
    },
    {
      name: 'filter_int_range',
      firn: `SELECT COUNT(*), SUM(v:user.id::int) FROM ev WHERE v:id::int BETWEEN ${lo} AND ${hi}`,
      duckdb: `SELECT COUNT(*), SUM(CAST(json_extract(v, '$.user.id') AS BIGINT)) FROM ev WHERE CAST(json_extract(v, '$.id') AS BIGINT) BETWEEN ${lo} AND ${hi}`,
    },
    {
      name: 'parse_json_varchar',
      firn: 'SELECT PARSE_JSON(s):user.tier::string AS tier, COUNT(*), SUM(PARSE_JSON(s):amount::NUMBER(12,2)) FROM evs GROUP BY 1',
      duckdb: `SELECT json_extract_string(CAST(s AS JSON), '$.user.tier') AS tier, COUNT(*), SUM(${duckAmount('CAST(s AS JSON)')}) FROM evs GROUP BY 1`,
    },
  ];
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

async function runQuery(q: SemiQuery, firn: FirnSide, duck: DuckdbSide, runs: number, notes: string[]): Promise<QueryReport> {
  const f = await attempt<Measured<FirnAnswer>>(() => measure(() => firn.exec(q.firn), runs));
  const d = await attempt<Measured<DuckdbAnswer>>(() => measure(() => duck.exec(q.duckdb), runs));
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
    const cold = compareResults(f.ok.first.result, d.ok.first.result, { ordered: false });
    const warm = compareResults(f.ok.last.result, d.ok.last.result, { ordered: false });
    const bad = !cold.same ? cold : warm;
    report.check = cold.same && warm.same ? 'same' : 'DIFFERENT';
    report.detail = bad.detail;
    if (!cold.same || !warm.same) notes.push(`!!! ${q.name}: Firn and DuckDB DISAGREE: ${bad.detail}`);
  }
  return report;
}

async function run(ctx: SuiteContext): Promise<SuiteReport> {
  const data = path.join(ctx.root, 'bench', 'data');
  const files = ensureEventFiles({ sf: ctx.sf, root: data, log: ctx.log });
  const events = files.manifest.events;
  const mb = files.manifest.files.reduce((n, f) => n + f.bytes, 0) / 2 ** 20;
  ctx.log(`semi sf${ctx.sf}: ${events.toLocaleString('en-US')} events in ${files.files.length} NDJSON files (${mb.toFixed(1)} MiB)${files.reused ? ' (reused)' : ''}`);
  const notes: string[] = [`data: ${events.toLocaleString('en-US')} events in ${files.files.length} NDJSON files, ${mb.toFixed(1)} MiB`];
  const firn = await FirnSide.start(path.join(data, `firn-semi-sf${ctx.sf}`), {});
  let duck: DuckdbSide | null = null;
  try {
    await firn.exec(`CREATE WAREHOUSE ${WAREHOUSE} WAREHOUSE_SIZE = SMALL`);
    await firn.exec(`USE WAREHOUSE ${WAREHOUSE}`);
    const dirUrl = pathToFileURL(files.dir).href;
    // Warm the warehouse's workers on one file, so the reported load is not their start-up.
    await firn.exec('CREATE TABLE ev_warmup (v VARIANT)');
    await firn.exec(`COPY INTO ev_warmup FROM ${sqlString(`${dirUrl}/${path.basename(files.files[0])}`)} FILE_FORMAT = (TYPE = JSON)`);
    await firn.exec('CREATE TABLE ev (v VARIANT)');
    ctx.log('firn: COPY INTO ev ... FILE_FORMAT = (TYPE = JSON)');
    const firnLoad = await firn.exec(`COPY INTO ev FROM ${sqlString(`${dirUrl}/events-*.ndjson`)} FILE_FORMAT = (TYPE = JSON)`);
    const firnRows = Number((await firn.exec('SELECT COUNT(*) FROM ev')).result.rows[0]?.[0]);
    if (firnRows !== events) notes.push(`!!! firn ev holds ${firnRows} rows after COPY, the files hold ${events}`);
    // The JSON text of each event in a VARCHAR column, for PARSE_JSON (not timed).
    await firn.exec('CREATE TABLE evs AS SELECT v::varchar AS s FROM ev');

    duck = await DuckdbSide.open(path.join(data, `duckdb-semi-sf${ctx.sf}.duckdb`), DUCKDB_THREADS);
    ctx.log('duckdb: CREATE TABLE ev AS SELECT json AS v FROM read_ndjson_objects(...) ...');
    const duckCreate = await duck.exec(`CREATE TABLE ev AS SELECT json AS v FROM read_ndjson_objects(${sqlString(path.join(files.dir, 'events-*.ndjson'))})`);
    const duckLoadMs = duckCreate.ms + (await duck.exec('CHECKPOINT')).ms;
    const duckRows = Number((await duck.exec('SELECT COUNT(*) FROM ev')).result.rows[0]?.[0]);
    if (duckRows !== events) notes.push(`!!! duckdb ev holds ${duckRows} rows after loading, the files hold ${events}`);
    await duck.exec('CREATE TABLE evs AS SELECT CAST(v AS VARCHAR) AS s FROM ev');
    notes.push(
      `load: firn COPY INTO ev (TYPE = JSON, after a one-file warm-up COPY) ${firnLoad.ms.toFixed(0)} ms; ` +
        `duckdb CREATE TABLE AS read_ndjson_objects + CHECKPOINT (${DUCKDB_THREADS} threads) ${duckLoadMs.toFixed(0)} ms`,
    );
    notes.push('parse_json_varchar reads evs (s VARCHAR): each engine\'s own JSON text of ev.v (Firn\'s with sorted keys)');

    const queries: QueryReport[] = [];
    for (const q of semiQueries(events)) {
      ctx.log(`query ${q.name}: 1 cold + ${ctx.runs} warm runs on each engine`);
      queries.push(await runQuery(q, firn, duck, ctx.runs, notes));
    }
    return {
      suite: 'semi',
      sf: ctx.sf,
      runs: ctx.runs,
      rows: events,
      rowsLabel: 'events',
      queries,
      load: { firnMs: firnLoad.ms, duckdbMs: duckLoadMs },
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

export const semiSuite: BenchSuite = {
  name: 'semi',
  description: 'semi-structured: COPY INTO a VARIANT from NDJSON, path GROUP BY / filters, ARRAY_SIZE, PARSE_JSON, Firn vs DuckDB JSON',
  run,
};
