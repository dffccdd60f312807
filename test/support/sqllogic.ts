/**
 * A runner for sqllogictest-format files against a real Firn server over HTTP, with the records
 * marked `duckdb` also checked against DuckDB.
 *
 * Records (separated by blank lines; lines starting with '#' are comments):
 *   statement ok | statement error [<code, SQLSTATE or /regex/>]   then the SQL
 *   query <types> [nosort|rowsort|valuesort]   then the SQL, '----', expected rows; <types> has
 *                         one letter per column and is checked: I integer (NUMBER of scale 0),
 *                         R other numbers (NUMBER of scale > 0, FLOAT), T anything else
 *   hash-threshold <n>    compare results of more than n values by MD5, as sqllogictest does
 *   restart               stop the server and start it again on the same data directory
 * Expected rows hold one row per line, values separated by tabs (or by single spaces when
 * the line has no tab and the query has several columns). Values print as the CLI shows them: NULL, (empty) for '', DATE as
 * YYYY-MM-DD, TIMESTAMP_NTZ as 'YYYY-MM-DD HH:MM:SS.fff', TIMESTAMP_LTZ as its UTC instant with
 * ' Z', TIMESTAMP_TZ as its own wall clock and ' +HHMM', NUMBER with its scale's digits,
 * VARIANT / OBJECT / ARRAY as Snowflake prints them with each newline written as \n.
 *
 * The `duckdb` marker: a `statement ok` or `query` record whose header line ends with the word
 * `duckdb` (`statement ok duckdb`, `query TIR rowsort duckdb`, `query I duckdb`) also runs on
 * DuckDB: one in-memory DuckDB per file, so `statement ok duckdb` records are its setup and must
 * succeed there too, and the answer of a `query … duckdb` record, printed by the same rules as
 * Firn's (DuckDB's values read exactly by bench/compare-results.ts, then shown as above: a
 * DECIMAL with its scale's digits, a DOUBLE as Firn's SQL API spells it, 'inf'/'-inf'/'NaN',
 * true/false) and typed by the same letters (I: integer types and DECIMAL of scale 0; R: DECIMAL
 * of scale > 0, FLOAT, DOUBLE; T: the rest), must equal the record's expected block under the
 * same sort mode and hash threshold. A DuckDB failure or mismatch throws an Error naming the
 * file line and "duckdb". Records not marked run on Firn only; `statement error` records always
 * do (the marker is refused there). Where only the spelling differs, the record gives DuckDB its
 * own text: after the SQL lines, a line `---- duckdb` and DuckDB's SQL, then `----` and the
 * expected rows as usual (for a statement, the DuckDB text ends the record). Mark only records
 * whose semantics agree: the expected block is the one answer both engines must give.
 */
import { createHash } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbResultSet, type ResultType } from '../../bench/compare-results.js';
import { formatDate, formatEpochSecondsText, formatTime, formatTimestamp, parseEpochSeconds, parseTimeSeconds } from '../../storage/types/value-text.js';
import { offsetText } from '../../storage/types/time-zone.js';
import { postStatement, StatementFailure, type StatementBody } from './post-statement.js';

/** `duckdb`: the SQL DuckDB runs for a record marked `duckdb` (its own text or the record's), else null. */
export type SltRecord =
  | { kind: 'statement'; line: number; sql: string; expectError: boolean; errorPattern: string | null; duckdb: string | null }
  | { kind: 'query'; line: number; sql: string; types: string; sort: 'nosort' | 'rowsort' | 'valuesort'; expected: string[]; duckdb: string | null }
  | { kind: 'hash-threshold'; line: number; value: number }
  | { kind: 'restart'; line: number };

const SORT_MODES: ReadonlySet<string> = new Set(['nosort', 'rowsort', 'valuesort']);
const DUCKDB_MARKER = 'duckdb';

export function parseSlt(text: string): SltRecord[] {
  const lines = text.split(/\r?\n/);
  const records: SltRecord[] = [];
  const isSeparator = (l: string | undefined) => l?.trim() === '----';
  const isDuckdbSeparator = (l: string | undefined) => l !== undefined && /^----\s+duckdb$/.test(l.trim());
  let i = 0;
  while (i < lines.length) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    const start = i + 1;
    const [head, ...args] = line.split(/\s+/);
    i++;
    const body: string[] = [];
    if (head === 'hash-threshold') {
      records.push({ kind: 'hash-threshold', line: start, value: Number(args[0]) });
      continue;
    }
    if (head === 'restart') {
      records.push({ kind: 'restart', line: start });
      continue;
    }
    const marked = args.length > 0 && args[args.length - 1] === DUCKDB_MARKER;
    if (marked) args.pop();
    while (i < lines.length && lines[i].trim() !== '' && !isSeparator(lines[i]) && !isDuckdbSeparator(lines[i])) body.push(lines[i++]);
    let duckdbText: string | null = null;
    if (isDuckdbSeparator(lines[i])) {
      if (!marked) throw new Error(`line ${i + 1}: '---- duckdb' in a record not marked duckdb (line ${start})`);
      i++;
      const duck: string[] = [];
      while (i < lines.length && lines[i].trim() !== '' && !isSeparator(lines[i])) duck.push(lines[i++]);
      if (duck.length === 0) throw new Error(`line ${i}: '---- duckdb' without DuckDB's SQL (record at line ${start})`);
      duckdbText = duck.join('\n');
    }
    const sql = body.join('\n');
    const duckdb = marked ? (duckdbText ?? sql) : null;
    if (head === 'statement') {
      const expectError = args[0] === 'error';
      if (expectError && marked) throw new Error(`line ${start}: statement error records run on Firn only; drop the '${DUCKDB_MARKER}' marker`);
      if (!expectError && args[0] !== 'ok') throw new Error(`line ${start}: expected 'statement ok' or 'statement error', got '${line}'`);
      records.push({ kind: 'statement', line: start, sql, expectError, errorPattern: expectError ? args.slice(1).join(' ') || null : null, duckdb });
      continue;
    }
    if (head === 'query') {
      const expected: string[] = [];
      if (isSeparator(lines[i])) {
        i++;
        while (i < lines.length && lines[i].trim() !== '') expected.push(lines[i++]);
      }
      const sort = args[1] ?? 'nosort';
      if (!SORT_MODES.has(sort) || args.length > 2) throw new Error(`line ${start}: unknown query header '${line}'`);
      records.push({ kind: 'query', line: start, sql, types: args[0] ?? '', sort: sort as 'nosort' | 'rowsort' | 'valuesort', expected, duckdb });
      continue;
    }
    throw new Error(`line ${start}: unknown record '${line}'`);
  }
  return records;
}

/** A result value as sqllogictest files show it. */
export function showValue(v: string | null, type: string): string {
  if (v === null) return 'NULL';
  if (v === '') return '(empty)';
  if (type === 'date') return formatDate(Number(v));
  if (type === 'timestamp_ntz') return formatEpochSecondsText(v);
  // An instant: shown in UTC with a Z (the SQL API sends no zone with it).
  if (type === 'timestamp_ltz') return `${formatEpochSecondsText(v)} Z`;
  if (type === 'timestamp_tz') {
    // '<epoch> <offset + 1440>': the wall clock at the value's own offset, then the offset.
    const [epoch, index] = v.split(' ');
    const off = Number(index) - 1440;
    const [s, ns] = parseEpochSeconds(epoch);
    return `${formatTimestamp(s + off * 60, ns)} ${offsetText(off)}`;
  }
  if (type === 'time') return formatTime(parseTimeSeconds(v));
  // VARIANT / OBJECT / ARRAY arrive pretty-printed over several lines: newlines show as \n so a
  // value stays on its row's line and the exact text (indentation included) is still checked.
  if (type === 'variant' || type === 'object' || type === 'array') return v.replace(/\n/g, '\\n');
  return v;
}

/**
 * The sqllogictest type letter of each result column: I for an integer (NUMBER of scale 0),
 * R for any other number (NUMBER of scale > 0, FLOAT), T for everything else.
 */
export function typeLetters(body: StatementBody): string {
  return body.resultSetMetaData.rowType.map((t) => (t.type === 'fixed' ? (t.scale ? 'R' : 'I') : t.type === 'real' ? 'R' : 'T')).join('');
}

function typeName(t: StatementBody['resultSetMetaData']['rowType'][number]): string {
  return t.type === 'fixed' ? `NUMBER(${t.precision},${t.scale})` : t.type;
}

export function resultRows(body: StatementBody): string[][] {
  const types = body.resultSetMetaData.rowType.map((r) => r.type);
  return body.data.map((row) => row.map((v, i) => showValue(v, types[i])));
}

/**
 * `warehouse`: the warehouse the file's statements run on until a USE WAREHOUSE (default: the
 * server's default). `duckdb`: false runs the records marked `duckdb` on Firn only (for callers
 * that run the same files again under other configurations; default true).
 */
export type SltContext = { url: () => string; restart: () => Promise<void>; warehouse?: string; duckdb?: boolean };

/** The sqllogictest type letter of a DuckDB column, by typeLetters' rules. */
function duckdbTypeLetter(t: ResultType): string {
  return t.kind === 'number' ? (t.scale ? 'R' : 'I') : t.kind === 'float' ? 'R' : 'T';
}

/**
 * A DuckDB cell, in compare-results' canonical text, as showValue prints Firn's: the infinities
 * as Firn's SQL API spells them, a timestamp's fraction to 3, 6 or 9 digits as formatTimestamp does.
 */
function showDuckdbValue(v: string | null, t: ResultType): string {
  if (v === null) return 'NULL';
  if (v === '') return '(empty)';
  if (t.kind === 'float') return v === 'Infinity' ? 'inf' : v === '-Infinity' ? '-inf' : v;
  if (t.kind === 'timestamp') {
    const m = /^(.*\.)(\d{9})$/.exec(v);
    if (!m) return v;
    const frac = m[2];
    return m[1] + (frac.endsWith('000000') ? frac.slice(0, 3) : frac.endsWith('000') ? frac.slice(0, 6) : frac);
  }
  return v;
}

/** One file's DuckDB: created at the file's first record marked `duckdb`. */
export class DuckdbSide {
  private instance: DuckDBInstance | null = null;
  private connection: DuckDBConnection | null = null;

  private async connect(): Promise<DuckDBConnection> {
    if (!this.connection) {
      this.instance = await DuckDBInstance.create(':memory:');
      this.connection = await this.instance.connect();
    }
    return this.connection;
  }

  async run(sql: string): Promise<void> {
    await (await this.connect()).run(sql);
  }

  async query(sql: string): Promise<{ rows: string[][]; letters: string; typeNames: string }> {
    const reader = await (await this.connect()).runAndReadAll(sql);
    const result = duckdbResultSet(reader);
    return {
      rows: result.rows.map((row) => row.map((v, c) => showDuckdbValue(v, result.types[c]))),
      letters: result.types.map(duckdbTypeLetter).join(''),
      typeNames: reader.columnTypes().map((t) => t.toString()).join(', '),
    };
  }

  close(): void {
    this.connection?.closeSync();
    this.instance?.closeSync();
  }
}

export type QueryRecord = Extract<SltRecord, { kind: 'query' }>;

/**
 * The answer's lines and the record's expected lines as the runner compares them: sorted by the
 * record's sort mode, and past the hash threshold one '<n> values hashing to <md5>' line each.
 */
export function comparable(r: QueryRecord, rows: string[][], hashThreshold: number): { actual: string[]; expected: string[] } {
  let actual: string[];
  if (r.sort === 'valuesort') actual = rows.flat().sort();
  else {
    const lines = rows.map((row) => row.join('\t'));
    actual = r.sort === 'rowsort' ? lines.sort() : lines;
  }
  const isHash = r.expected.length === 1 && /values hashing to/.test(r.expected[0]);
  const expectedLines = r.expected.map((l) => (isHash || l.includes('\t') || r.types.length < 2 ? l : l.split(' ').join('\t')));
  let expected = r.sort === 'valuesort' ? expectedLines.flatMap((l) => l.split('\t')).sort() : r.sort === 'rowsort' ? [...expectedLines].sort() : expectedLines;
  const values = rows.length * (rows[0]?.length ?? 0);
  if (hashThreshold > 0 && values > hashThreshold && isHash) {
    const hash = createHash('md5').update(actual.join('\n') + '\n').digest('hex');
    actual = [`${values} values hashing to ${hash}`];
    expected = [expected[0].trim()];
  }
  return { actual, expected };
}

/** Runs every record in order; throws an Error naming the file line of the first mismatch. */
export async function runSlt(file: string, text: string, ctx: SltContext, database: string): Promise<number> {
  const records = parseSlt(text);
  const duck = ctx.duckdb === false ? null : new DuckdbSide();
  try {
    return await runRecords(file, records, ctx, database, duck);
  } finally {
    duck?.close();
  }
}

async function runRecords(file: string, records: SltRecord[], ctx: SltContext, database: string, duck: DuckdbSide | null): Promise<number> {
  let context: { database: string | null; schema: string | null; warehouse: string | null } = { database: null, schema: null, warehouse: null };
  await postStatement(ctx.url(), `CREATE OR REPLACE DATABASE ${database}`);
  context = { database, schema: 'PUBLIC', warehouse: ctx.warehouse ?? null };
  let hashThreshold = 0;
  let checked = 0;
  for (const r of records) {
    const where = `${file}:${r.line}`;
    if (r.kind === 'hash-threshold') {
      hashThreshold = r.value;
      continue;
    }
    if (r.kind === 'restart') {
      await ctx.restart();
      continue;
    }
    let body: StatementBody | null = null;
    let failure: StatementFailure | null = null;
    try {
      body = await postStatement(ctx.url(), r.sql, context);
      context = { ...context, ...body.context };
    } catch (err) {
      if (!(err instanceof StatementFailure)) throw err;
      failure = err;
    }
    checked++;
    if (r.kind === 'statement') {
      if (r.expectError) {
        if (!failure) throw new Error(`${where}: expected an error, the statement succeeded:\n${r.sql}`);
        if (failure.status !== 422) throw new Error(`${where}: expected HTTP 422, got ${failure.status}: ${failure.message}`);
        if (r.errorPattern && !matchesError(failure, r.errorPattern)) {
          throw new Error(`${where}: error ${failure.code} (${failure.sqlState}) "${failure.message}" does not match ${r.errorPattern}`);
        }
      } else if (failure) {
        throw new Error(`${where}: statement failed: ${failure.code} (${failure.sqlState}) ${failure.message}\n${r.sql}`);
      }
      if (duck && r.duckdb !== null) {
        try {
          await duck.run(r.duckdb);
        } catch (err) {
          throw new Error(`${where}: duckdb failed the statement: ${(err as Error).message}\n${r.duckdb}`);
        }
      }
      continue;
    }
    if (failure) throw new Error(`${where}: query failed: ${failure.code} (${failure.sqlState}) ${failure.message}\n${r.sql}`);
    const types = typeLetters(body!);
    if (r.types && types !== r.types) {
      throw new Error(`${where}: expected column types ${r.types}, got ${types} (${body!.resultSetMetaData.rowType.map(typeName).join(', ')})\n${r.sql}`);
    }
    const { actual, expected } = comparable(r, resultRows(body!), hashThreshold);
    if (actual.join('\n') !== expected.join('\n')) {
      throw new Error(`${where}: wrong result for\n${r.sql}\n--- expected\n${expected.join('\n')}\n--- actual\n${actual.join('\n')}`);
    }
    if (duck && r.duckdb !== null) {
      let answer: Awaited<ReturnType<DuckdbSide['query']>>;
      try {
        answer = await duck.query(r.duckdb);
      } catch (err) {
        throw new Error(`${where}: duckdb failed the query: ${(err as Error).message}\n${r.duckdb}`);
      }
      if (r.types && answer.letters !== r.types) {
        throw new Error(`${where}: duckdb answered column types ${answer.letters} (${answer.typeNames}), expected ${r.types}\n${r.duckdb}`);
      }
      const d = comparable(r, answer.rows, hashThreshold);
      if (d.actual.join('\n') !== d.expected.join('\n')) {
        throw new Error(`${where}: duckdb disagrees with the expected result for\n${r.duckdb}\n--- expected\n${d.expected.join('\n')}\n--- duckdb\n${d.actual.join('\n')}`);
      }
    }
  }
  return checked;
}

function matchesError(f: StatementFailure, pattern: string): boolean {
  if (pattern.startsWith('/') && pattern.endsWith('/')) return new RegExp(pattern.slice(1, -1), 'i').test(f.message);
  return f.code === pattern || f.sqlState === pattern;
}
