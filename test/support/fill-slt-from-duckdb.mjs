// Dev tool, never run by npm test: fills the expected results of `query` records in a draft
// .slt file from DuckDB, printing values the way Firn's slt runner shows them, and with
// --firn checks every record against a real Firn server and lists each disagreement.
//
//   node test/support/fill-slt-from-duckdb.mjs <draft.slt> [<out.slt>] [--firn | --firn-url <url>]
//
// Without <out.slt> the draft is only checked, not rewritten. A record whose comment lines
// (in the same blank-line-separated block) mention "Snowflake" keeps the results written by
// hand: those are the places where Firn follows Snowflake rather than DuckDB, or where DuckDB
// has no equivalent; DuckDB's answer is printed beside them for reference. `statement error`
// records are never run on DuckDB (Firn must fail and change nothing). The runner's `duckdb`
// marker is read as no sort mode, and a record's `---- duckdb` text is what DuckDB runs.
// Snowflake spellings DuckDB lacks are translated first (NUMBER, TIMESTAMP_NTZ, FLOAT, IFF, NVL2, DATEADD parts,
// CLUSTER BY …; TO_NUMBER(x, p[, s]) as CAST(x AS DECIMAL(p, s))).
// After `hash-threshold <n>`, results of more than n values are written as sqllogictest's
// '<count> values hashing to <md5>' line, hashed the way the runner hashes them.
// --firn starts a server from dist/ (run `npm run build` first) with FIRN_PARTITION_ROWS=4 in
// a temporary home, like test/sql-logic.test.ts; --firn-url uses a running one.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { DuckDBInstance } = await import(pathToFileURL(path.join(root, 'node_modules/@duckdb/node-api/lib/index.js')).href);

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return null;
  args.splice(i, 1);
  return true;
};
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const firnUrlArg = option('--firn-url');
const startFirn = flag('--firn');
const [src, dst] = args;
if (!src) {
  console.error('usage: fill-slt-from-duckdb.mjs <draft.slt> [<out.slt>] [--firn | --firn-url <url>]');
  process.exit(2);
}

// ---- DuckDB side ------------------------------------------------------------------------

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
// Snowflake functions DuckDB lacks, as macros so the SQL text stays Snowflake's.
for (const m of [
  'CREATE MACRO iff(c, a, b) AS CASE WHEN c THEN a ELSE b END',
  'CREATE MACRO nvl(a, b) AS coalesce(a, b)',
  'CREATE MACRO nvl2(x, a, b) AS CASE WHEN x IS NOT NULL THEN a ELSE b END',
  'CREATE MACRO zeroifnull(x) AS coalesce(x, 0)',
  'CREATE MACRO nullifzero(x) AS nullif(x, 0)',
  'CREATE MACRO startswith(s, p) AS starts_with(s, p)',
  'CREATE MACRO endswith(s, p) AS ends_with(s, p)',
  'CREATE MACRO to_date_sf(s) AS CAST(s AS DATE)',
  'CREATE MACRO div0(a, b) AS CASE WHEN b = 0 THEN 0 ELSE a / b END',
  'CREATE MACRO square(x) AS x * x',
  'CREATE MACRO charindex(p, s) AS strpos(s, p)',
  'CREATE MACRO boolor(a, b) AS (a <> 0) OR (b <> 0)',
  'CREATE MACRO booland(a, b) AS (a <> 0) AND (b <> 0)',
  'CREATE MACRO add_months(d, n) AS CAST(d + to_months(CAST(n AS INTEGER)) AS DATE)',
  'CREATE MACRO sf_dateadd(p, n, x) AS x + CASE lower(p) ' +
    "WHEN 'year' THEN to_years(CAST(n AS INTEGER)) WHEN 'quarter' THEN to_months(CAST(n AS INTEGER) * 3) " +
    "WHEN 'month' THEN to_months(CAST(n AS INTEGER)) WHEN 'week' THEN to_days(CAST(n AS INTEGER) * 7) " +
    "WHEN 'day' THEN to_days(CAST(n AS INTEGER)) WHEN 'hour' THEN to_hours(CAST(n AS BIGINT)) " +
    "WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT)) ELSE to_seconds(CAST(n AS BIGINT)) END",
]) {
  await con.run(m);
}

/** The depth-0 comma-separated arguments of the call whose '(' is at `open`, and the index after ')'. */
function callArgs(sql, open) {
  const args = [];
  let depth = 0;
  let quote = false;
  let from = open + 1;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i];
    if (quote) {
      if (c === "'") quote = false;
      continue;
    }
    if (c === "'") quote = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      args.push(sql.slice(from, i).trim());
      return { args, end: i + 1 };
    } else if (c === ',' && depth === 1) {
      args.push(sql.slice(from, i).trim());
      from = i + 1;
    }
  }
  return null;
}

/** TO_NUMBER / TO_DECIMAL / TO_NUMERIC (and TRY_) with a precision and scale, as DuckDB casts. */
function toNumberCasts(sql) {
  const re = /\b(TRY_)?TO_(?:NUMBER|DECIMAL|NUMERIC)\s*\(/gi;
  let out = '';
  let last = 0;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    const call = callArgs(sql, m.index + m[0].length - 1);
    if (!call || call.args.length < 2 || !call.args.slice(1).every((a) => /^\d+$/.test(a))) continue;
    const [x, p, s = '0'] = call.args;
    out += `${sql.slice(last, m.index)}${m[1] ? 'TRY_CAST' : 'CAST'}(${toNumberCasts(x)} AS DECIMAL(${p}, ${s}))`;
    last = call.end;
    re.lastIndex = call.end;
  }
  return out + sql.slice(last);
}

/** Snowflake spellings DuckDB does not know, rewritten textually. */
function toDuckDb(sql) {
  return toNumberCasts(sql)
    .replace(/\bNUMBER\s*\(/gi, 'DECIMAL(')
    .replace(/\bNUMBER\b/gi, 'DECIMAL(38,0)')
    .replace(/\bTIMESTAMP_NTZ\b/gi, 'TIMESTAMP')
    .replace(/\bFLOAT\b/gi, 'DOUBLE')
    .replace(/\bTO_DATE\s*\(/gi, 'to_date_sf(')
    .replace(/\bDATEADD\s*\(\s*(\w+)\s*,/gi, "sf_dateadd('$1',")
    .replace(/\bDATEDIFF\s*\(\s*(\w+)\s*,/gi, "date_diff('$1',")
    .replace(/\bMINUS\b/g, 'EXCEPT')
    .replace(/\s+CLUSTER\s+BY\s*\([^)]*\)/gi, '');
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

/** A DuckDB value as Firn's slt runner shows it. */
function showDuck(v) {
  if (v === null || v === undefined) return 'NULL';
  if (v === '') return '(empty)';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'object' && v.constructor?.name?.startsWith('DuckDBTimestamp')) {
    const s = String(v);
    const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.(\d+))?/.exec(s);
    if (!m) return s;
    const frac = (m[2] ?? '').padEnd(6, '0');
    return `${m[1]}.${frac.endsWith('000') ? frac.slice(0, 3) : frac}`;
  }
  return String(v);
}

async function duckQuery(sql) {
  const r = await con.runAndReadAll(toDuckDb(sql));
  return r.getRows().map((row) => row.map(showDuck));
}

// ---- Firn side ----------------------------------------------------------------------------

let firn = null;
let firnHome = null;
let firnUrl = firnUrlArg;
if (startFirn && !firnUrl) {
  const { startFirnProcess } = await import(pathToFileURL(path.join(root, 'dist/test/support/firn-process.js')).href);
  firnHome = mkdtempSync(path.join(os.tmpdir(), 'firn-fill-'));
  firn = await startFirnProcess({ home: firnHome, env: { FIRN_PARTITION_ROWS: '4' } });
  firnUrl = firn.url;
}
let post = null;
let formatDate = null;
let formatTimestamp = null;
let context = null;
if (firnUrl) {
  const client = await import(pathToFileURL(path.join(root, 'dist/test/support/post-statement.js')).href);
  ({ formatDate, formatTimestamp } = await import(pathToFileURL(path.join(root, 'dist/storage/types/value-text.js')).href));
  post = async (sql) => {
    try {
      const body = await client.postStatement(firnUrl, sql, context);
      context = { ...context, ...body.context };
      return { body };
    } catch (err) {
      if (!(err instanceof client.StatementFailure)) throw err;
      return { failure: err };
    }
  };
  const database = `FILL_${path.basename(src).replace(/\W/g, '_').toUpperCase()}`;
  context = {};
  await post(`CREATE OR REPLACE DATABASE ${database}`);
  context = { database, schema: 'PUBLIC', warehouse: null };
}

function showFirn(v, type) {
  if (v === null) return 'NULL';
  if (v === '') return '(empty)';
  if (type === 'date') return formatDate(Number(v));
  if (type === 'timestamp_ntz') return formatTimestamp(Number(v) * 1e6);
  return v;
}

/** Rows in the order the runner compares them. */
function comparable(rows, sort) {
  if (sort === 'valuesort') return rows.flat().sort();
  const lines = rows.map((r) => r.join('\t'));
  return sort === 'rowsort' ? lines.sort() : lines;
}

/** The runner's comparison lines: the rows themselves, or one hash line past the threshold. */
function hashedIfLarge(rows, sort) {
  const values = rows.length * (rows[0]?.length ?? 0);
  const lines = comparable(rows, sort);
  if (hashThreshold <= 0 || values <= hashThreshold) return lines;
  return [`${values} values hashing to ${createHash('md5').update(lines.join('\n') + '\n').digest('hex')}`];
}

/** Expected lines of a record as rows of values (tab-separated, as this tool writes them). */
function writtenRows(written) {
  return written.map((l) => l.split('\t'));
}

/** Whether written expected lines say the same as `rows` under the runner's rules. */
function sameAsWritten(rows, written, sort) {
  const want = written.length === 1 && /values hashing to/.test(written[0]) ? [written[0].trim()] : comparable(writtenRows(written), sort);
  const got = want.length === 1 && /values hashing to/.test(want[0]) ? hashedIfLarge(rows, sort) : comparable(rows, sort);
  return got.join('\n') === want.join('\n');
}

function errorMatches(f, pattern) {
  if (!pattern) return true;
  if (pattern.startsWith('/') && pattern.endsWith('/')) return new RegExp(pattern.slice(1, -1), 'i').test(f.message);
  return f.code === pattern || f.sqlState === pattern;
}

// ---- the file -----------------------------------------------------------------------------

const text = readFileSync(src, 'utf8').replace(/\s+$/, '');
const blocks = text.split(/\n[ \t]*\n/);
const out = [];
const problems = [];
let lineNo = 1;
let checked = 0;
let hashThreshold = 0;
for (const b of blocks) {
  const blockLine = lineNo;
  lineNo += b.split('\n').length + 1;
  const lines = b.split('\n');
  const threshold = lines.find((l) => /^hash-threshold\s/.test(l.trim()));
  if (threshold) hashThreshold = Number(threshold.trim().split(/\s+/)[1]);
  const head = lines.findIndex((l) => /^(statement|query)\b/.test(l.trim()));
  if (head < 0) {
    out.push(b);
    continue;
  }
  const where = `${src}:${blockLine + head}`;
  const comments = lines.slice(0, head).join('\n');
  const keep = /Snowflake/.test(comments);
  const headWords = lines[head].trim().split(/\s+/);
  // The runner's `duckdb` marker and a `---- duckdb` DuckDB text (test/support/sqllogic.ts).
  if (headWords[headWords.length - 1] === 'duckdb') headWords.pop();
  const dash = lines.findIndex((l, i) => i > head && l.trim() === '----');
  const duckDash = lines.findIndex((l, i) => i > head && (dash < 0 || i < dash) && /^----\s+duckdb$/.test(l.trim()));
  const sql = lines.slice(head + 1, duckDash >= 0 ? duckDash : dash < 0 ? undefined : dash).join('\n');
  const duckSql = duckDash >= 0 ? lines.slice(duckDash + 1, dash < 0 ? undefined : dash).join('\n') : sql;
  const written = dash < 0 ? [] : lines.slice(dash + 1);

  if (headWords[0] === 'statement') {
    const expectError = headWords[1] === 'error';
    if (!expectError) {
      try {
        await con.run(toDuckDb(duckSql));
      } catch (e) {
        problems.push(`${where}: DuckDB failed the statement: ${e.message.split('\n')[0]}`);
      }
    }
    if (post) {
      const r = await post(sql);
      checked++;
      if (expectError && !r.failure) problems.push(`${where}: Firn accepted a statement expected to fail:\n  ${sql}`);
      else if (expectError && !errorMatches(r.failure, headWords.slice(2).join(' ') || null)) {
        problems.push(`${where}: Firn failed with ${r.failure.code} (${r.failure.sqlState}) ${r.failure.message}, expected ${headWords.slice(2).join(' ')}:\n  ${sql}`);
      } else if (!expectError && r.failure) {
        problems.push(`${where}: Firn failed: ${r.failure.code} (${r.failure.sqlState}) ${r.failure.message}\n  ${sql}`);
      }
    }
    out.push(b);
    continue;
  }

  const sort = headWords[2] ?? 'nosort';
  let duck = null;
  try {
    duck = await duckQuery(duckSql);
  } catch (e) {
    const msg = `${where}: DuckDB failed: ${e.message.split('\n')[0]}\n  ${sql}`;
    if (keep) console.error(`${msg}\n  (kept the Snowflake answer)`);
    else problems.push(msg);
  }
  let expected;
  if (keep || duck === null) {
    expected = written;
    if (duck !== null && !sameAsWritten(duck, written, sort)) {
      console.error(`${where}: kept the Snowflake answer; DuckDB says:\n  ${duck.map((r) => r.join('\t')).join('\n  ')}`);
    }
  } else if (sameAsWritten(duck, written, sort)) {
    expected = written;
  } else {
    const shown = hashedIfLarge(duck, sort);
    expected = shown.length === 1 && /values hashing to/.test(shown[0]) ? shown : sort === 'rowsort' ? duck.map((r) => r.join('\t')).sort() : duck.map((r) => r.join('\t'));
  }
  out.push([...lines.slice(0, dash < 0 ? undefined : dash), '----', ...expected].join('\n'));

  if (post) {
    const r = await post(sql);
    checked++;
    if (r.failure) {
      problems.push(`${where}: Firn failed: ${r.failure.code} (${r.failure.sqlState}) ${r.failure.message}\n  ${sql}`);
      continue;
    }
    const types = r.body.resultSetMetaData.rowType.map((t) => t.type);
    const rows = r.body.data.map((row) => row.map((v, i) => showFirn(v, types[i])));
    if (!sameAsWritten(rows, expected, sort)) {
      const actual = comparable(rows, sort);
      problems.push(`${where}: Firn disagrees${keep ? ' (Snowflake answer)' : ' with DuckDB'}:\n  ${sql}\n  expected:\n    ${expected.join('\n    ')}\n  Firn (${types.join(', ')}):\n    ${actual.join('\n    ')}`);
    }
  }
}
if (dst) writeFileSync(dst, out.join('\n\n') + '\n');
if (firn) {
  await firn.stop();
  rmSync(firnHome, { recursive: true, force: true });
}
for (const p of problems) console.error(p);
console.error(`${problems.length} problem(s)${post ? `, ${checked} record(s) run on Firn` : ''}`);
process.exit(problems.length ? 1 : 0);
