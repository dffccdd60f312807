/**
 * The dml suite (`npm run bench -- dml --sf 1`): versioned-table writes side by side with
 * DuckDB on the same TPC-H lineitem rows.
 *  - UPDATE and DELETE of 1% of lineitem, once as one key range (Firn rewrites the partitions
 *    holding it) and once spread over every partition (every partition rewritten); a MERGE of a
 *    100,000-row source (scaled by SF). Each run starts from a fresh copy of lineitem that is
 *    not timed (Firn: a zero-copy CLONE; DuckDB: CREATE TABLE AS), and both engines' changed
 *    row counts and resulting tables (a checksum query) must agree.
 *  - Clone of a 10,000-partition table: Firn's CLONE (ms, and bytes the object store gained)
 *    against DuckDB's only copy, CREATE TABLE AS.
 *  - Time travel: a read AT(STATEMENT => the load's id) against the same read of the current
 *    version (Firn only; DuckDB has no time travel).
 *  - 64 clients doing single-row INSERTs: rows per second (Firn over HTTP with group commit;
 *    DuckDB: 64 connections appending in this process).
 *
 * Contract: Firn runs as its own server on a fresh home (bench/data/firn-dml-sf<sf>) with a
 * SMALL warehouse; DuckDB in this process with 2 threads on its own database file. The 10,000-
 * partition table lives in a second Firn home whose partitions hold 100 rows.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { typeToSql } from '../../storage/types/data-type.js';
import { compareResults } from '../compare-results.js';
import { DuckdbSide } from '../engines/duckdb-side.js';
import { FirnSide } from '../engines/firn-side.js';
import { median } from '../measure.js';
import type { BenchSuite, QueryReport, ReportSection, SuiteContext, SuiteReport } from '../suite.js';
import { ensureLineitemFiles } from '../tpch/lineitem-files.js';
import { LINEITEM_COLUMNS } from '../tpch/lineitem-generator.js';

const WAREHOUSE = 'bench_wh';
const DUCKDB_THREADS = 2;
const CLIENTS = 64;
const INSERTS_PER_CLIENT = 10;
const CLONE_PARTITIONS = 10_000;
const CLONE_PARTITION_ROWS = 100;

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A DML timed on both engines from a fresh copy of lineitem in `li_work`. */
type DmlCase = { name: string; sql: string; duckdb?: string };

function dmlCases(sf: number): DmlCase[] {
  const maxKey = Math.round(6_000_000 * sf);
  // ~1% of lineitem's rows: the first 1% of order keys (one range), or every 100th order (everywhere).
  const range = `l_orderkey <= ${Math.round(maxKey / 100)}`;
  return [
    { name: 'update_1pct_range', sql: `UPDATE li_work SET l_discount = l_discount / 2, l_comment = 'updated' WHERE ${range}` },
    { name: 'update_1pct_spread', sql: "UPDATE li_work SET l_discount = l_discount / 2, l_comment = 'updated' WHERE l_orderkey % 100 = 7" },
    { name: 'delete_1pct_range', sql: `DELETE FROM li_work WHERE ${range}` },
    { name: 'delete_1pct_spread', sql: 'DELETE FROM li_work WHERE l_orderkey % 100 = 7' },
    {
      name: 'merge_100k',
      sql:
        'MERGE INTO li_work t USING merge_src s ON t.l_orderkey = s.l_orderkey AND t.l_linenumber = s.l_linenumber ' +
        'WHEN MATCHED THEN UPDATE SET l_quantity = s.q WHEN NOT MATCHED THEN INSERT (l_orderkey, l_linenumber, l_quantity) VALUES (s.l_orderkey, s.l_linenumber, s.q)',
    },
  ];
}

/** The MERGE source: ~100,000 rows at SF 1 (one order in 60, quantity + 1), a tenth of them new keys. */
function mergeSourceSql(sf: number): string {
  const offset = Math.round(6_000_000 * sf) * 10;
  return (
    'CREATE TABLE merge_src AS SELECT l_orderkey, l_linenumber, l_quantity + 1 AS q FROM lineitem WHERE l_orderkey % 60 = 1 ' +
    `UNION ALL SELECT l_orderkey + ${offset}, l_linenumber, l_quantity FROM lineitem WHERE l_orderkey % 600 = 1`
  );
}

const CHECKSUM = "SELECT COUNT(*), SUM(l_quantity), SUM(l_discount), COUNT_IF(l_comment = 'updated') FROM li_work";

function createTableSql(name: string): string {
  return `CREATE TABLE ${name} (\n${LINEITEM_COLUMNS.map((c) => `  ${c.name} ${typeToSql(c.type)}`).join(',\n')}\n)`;
}

/** Bytes of every file under `dir`. */
function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) n += statSync(path.join(e.parentPath, e.name)).size;
  return n;
}

/** The first count column of a DML's answer summed (MERGE answers one per action). */
function changed(rows: readonly (readonly unknown[])[]): number {
  return (rows[0] ?? []).reduce<number>((n, v) => n + Number(v), 0);
}

async function run(ctx: SuiteContext): Promise<SuiteReport> {
  const data = path.join(ctx.root, 'bench', 'data');
  const files = await ensureLineitemFiles({ sf: ctx.sf, root: data, log: ctx.log });
  const glob = path.join(files.dir, 'lineitem-*.parquet');
  const notes: string[] = [];
  const sections: ReportSection[] = [];
  const queries: QueryReport[] = [];
  const firn = await FirnSide.start(path.join(data, `firn-dml-sf${ctx.sf}`), {});
  let duck: DuckdbSide | null = null;
  const loads: SuiteReport['load'] = { firnMs: null, duckdbMs: null };
  try {
    await firn.exec(`CREATE WAREHOUSE ${WAREHOUSE} WAREHOUSE_SIZE = SMALL`);
    await firn.exec(`USE WAREHOUSE ${WAREHOUSE}`);
    await firn.exec(createTableSql('lineitem'));
    ctx.log('firn: COPY INTO lineitem ...');
    const load = await firn.exec(`COPY INTO lineitem FROM ${sqlString(`${pathToFileURL(files.dir).href}/lineitem-*.parquet`)} FILE_FORMAT = (TYPE = PARQUET)`);
    await firn.exec(mergeSourceSql(ctx.sf));
    duck = await DuckdbSide.open(path.join(data, `duckdb-dml-sf${ctx.sf}.duckdb`), DUCKDB_THREADS);
    const duckLoad = await duck.exec(`CREATE TABLE lineitem AS SELECT * FROM read_parquet(${sqlString(glob)})`);
    await duck.exec(mergeSourceSql(ctx.sf));
    loads.firnMs = load.ms;
    loads.duckdbMs = duckLoad.ms;

    for (const c of dmlCases(ctx.sf)) {
      ctx.log(`dml ${c.name}: ${ctx.runs} runs on each engine, each from a fresh copy`);
      const firnMs: number[] = [];
      const duckMs: number[] = [];
      let detail = '';
      let same = true;
      let stats: { partitionsAdded?: number; partitionsRemoved?: number; partitionsTotal?: number } = {};
      for (let r = 0; r < ctx.runs; r++) {
        await firn.exec('CREATE OR REPLACE TABLE li_work CLONE lineitem');
        await duck.exec('CREATE OR REPLACE TABLE li_work AS SELECT * FROM lineitem');
        const f = await firn.exec(c.sql);
        const d = await duck.exec(c.duckdb ?? c.sql);
        firnMs.push(f.ms);
        duckMs.push(d.ms);
        stats = f.stats as typeof stats;
        if (changed(f.result.rows) !== changed(d.result.rows)) {
          same = false;
          detail = `firn changed ${changed(f.result.rows)} rows, duckdb ${changed(d.result.rows)}`;
        }
        const cmp = compareResults((await firn.exec(CHECKSUM)).result, (await duck.exec(CHECKSUM)).result, { ordered: false });
        if (!cmp.same) {
          same = false;
          detail = cmp.detail;
        }
      }
      if (!same) notes.push(`!!! ${c.name}: Firn and DuckDB DISAGREE: ${detail}`);
      const fm = median(firnMs);
      const dm = median(duckMs);
      queries.push({
        name: c.name,
        firnMs: fm,
        duckdbMs: dm,
        ratio: fm / dm,
        partitionsScanned: stats.partitionsRemoved ?? null,
        partitionsTotal: stats.partitionsTotal ?? null,
        firnColdMs: null,
        duckdbColdMs: null,
        check: same ? 'same' : 'DIFFERENT',
        detail: `partitions rewritten ${stats.partitionsRemoved ?? '?'} (added ${stats.partitionsAdded ?? '?'}) of ${stats.partitionsTotal ?? '?'}`,
      });
    }
    notes.push('for the DML rows, "partitions scanned/total" is partitions rewritten (removed) / the table\'s partitions');

    // Time travel: a read of the loaded version by its statement id against the current read.
    const loadId = load.handle;
    ctx.log('time travel: AT(STATEMENT => load) against the current read');
    await firn.exec("UPDATE lineitem SET l_comment = 'changed' WHERE l_orderkey % 1000 = 3");
    if (loadId) {
      const current: number[] = [];
      const past: number[] = [];
      for (let r = 0; r < ctx.runs + 1; r++) {
        current.push((await firn.exec('SELECT SUM(l_quantity), COUNT(*) FROM lineitem')).ms);
        past.push((await firn.exec(`SELECT SUM(l_quantity), COUNT(*) FROM lineitem AT(STATEMENT => '${loadId}')`)).ms);
      }
      sections.push({
        title: 'time travel: the same read of the current version and AT(STATEMENT => the COPY that loaded it), medians',
        header: ['read', 'firn ms'],
        rows: [
          ['current', median(current.slice(1)).toFixed(1)],
          ['AT(STATEMENT)', median(past.slice(1)).toFixed(1)],
        ],
        notes: [`overhead: ${((median(past.slice(1)) / median(current.slice(1)) - 1) * 100).toFixed(0)}%`],
        json: { currentMs: median(current.slice(1)), atStatementMs: median(past.slice(1)) },
      });
    } else {
      notes.push('time travel: skipped, the COPY answer carried no statement id');
    }

    // 64 clients, single-row INSERTs.
    ctx.log(`inserts: ${CLIENTS} clients x ${INSERTS_PER_CLIENT} single-row INSERTs`);
    await firn.exec('CREATE TABLE ins (id INTEGER, v VARCHAR)');
    await duck.exec('CREATE TABLE ins (id INTEGER, v VARCHAR)');
    const insertRows = CLIENTS * INSERTS_PER_CLIENT;
    const fStart = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < INSERTS_PER_CLIENT; i++) await firn.exec(`INSERT INTO ins VALUES (${c * INSERTS_PER_CLIENT + i}, 'x')`);
    }));
    const fSecs = (performance.now() - fStart) / 1000;
    const dSecs = await duck.concurrentInserts(CLIENTS, INSERTS_PER_CLIENT, (id) => `INSERT INTO ins VALUES (${id}, 'x')`);
    const versions = (await firn.exec('SHOW VERSIONS IN TABLE ins')).result.rows.length;
    sections.push({
      title: `${CLIENTS} clients doing single-row INSERTs (${INSERTS_PER_CLIENT} each)`,
      header: ['engine', 'rows/s', 'seconds'],
      rows: [
        ['firn (HTTP, group commit)', (insertRows / fSecs).toFixed(0), fSecs.toFixed(2)],
        ['duckdb (in process)', (insertRows / dSecs).toFixed(0), dSecs.toFixed(2)],
      ],
      notes: [`firn table versions for ${insertRows} INSERTs: ${versions}`],
      json: { firnRowsPerSecond: insertRows / fSecs, duckdbRowsPerSecond: insertRows / dSecs, firnVersions: versions },
    });
  } finally {
    duck?.close();
    await firn.stop();
  }

  // Clone of a 10,000-partition table, in a home with 100-row partitions.
  ctx.log(`clone: a ${CLONE_PARTITIONS}-partition table`);
  const cloneHome = path.join(data, 'firn-dml-clone');
  const small = await FirnSide.start(cloneHome, { FIRN_PARTITION_ROWS: String(CLONE_PARTITION_ROWS) });
  let duckClone: DuckdbSide | null = null;
  try {
    const rows = CLONE_PARTITIONS * CLONE_PARTITION_ROWS;
    await small.exec('CREATE TABLE big (k INTEGER, v VARCHAR)');
    await small.exec('CREATE TABLE d (x INTEGER)');
    await small.exec(`INSERT INTO d VALUES ${Array.from({ length: 100 }, (_, i) => `(${i})`).join(', ')}`);
    // 1,000,000 rows from 100 x 100 x 100, written in 100-row partitions.
    await small.exec("INSERT INTO big SELECT a.x * 10000 + b.x * 100 + c.x, 'v' FROM d a, d b, d c");
    const before = dirBytes(path.join(cloneHome, 'data'));
    const cloneMs: number[] = [];
    for (let r = 0; r < ctx.runs; r++) cloneMs.push((await small.exec(`CREATE OR REPLACE TABLE big_clone CLONE big`)).ms);
    const written = dirBytes(path.join(cloneHome, 'data')) - before;
    // A filter makes it a scan (a bare COUNT(*) is answered from metadata and reports no partitions).
    const partitions = (await small.exec("SELECT COUNT(*) FROM big WHERE v = 'v'")).stats.partitionsTotal;
    duckClone = await DuckdbSide.open(path.join(data, 'duckdb-dml-clone.duckdb'), DUCKDB_THREADS);
    await duckClone.exec(`CREATE TABLE big AS SELECT range::INTEGER AS k, 'v' AS v FROM range(${rows})`);
    const copyMs: number[] = [];
    for (let r = 0; r < ctx.runs; r++) copyMs.push((await duckClone.exec('CREATE OR REPLACE TABLE big_copy AS SELECT * FROM big')).ms);
    const fm = median(cloneMs);
    const dm = median(copyMs);
    queries.push({ name: 'clone_10k_partitions', firnMs: fm, duckdbMs: dm, ratio: fm / dm, partitionsScanned: partitions, partitionsTotal: partitions, firnColdMs: null, duckdbColdMs: null, check: 'not compared', detail: `firn wrote ${written} bytes to the store; duckdb has no clone: CREATE TABLE AS copies` });
    notes.push(`clone_10k_partitions: ${partitions} partitions; the store gained ${written} bytes over ${ctx.runs} clones; duckdb's time is its copy (CREATE TABLE AS)`);
  } finally {
    duckClone?.close();
    await small.stop();
  }

  return { suite: 'dml', sf: ctx.sf, runs: ctx.runs, rows: files.manifest.rows, queries, load: loads, firnPeakRssBytes: null, notes, sections };
}

export const dmlSuite: BenchSuite = {
  name: 'dml',
  description: 'versioned tables: UPDATE/DELETE 1% of lineitem, a 100k-row MERGE, a 10,000-partition clone, time-travel reads, 64-client INSERTs, Firn vs DuckDB',
  run,
};
