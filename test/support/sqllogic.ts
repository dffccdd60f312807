/**
 * A runner for sqllogictest-format files against a real Firn server over HTTP.
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
 * YYYY-MM-DD, TIMESTAMP_NTZ as 'YYYY-MM-DD HH:MM:SS.fff', NUMBER with its scale's digits,
 * VARIANT / OBJECT / ARRAY as Snowflake prints them with each newline written as \n.
 */
import { createHash } from 'node:crypto';
import { formatDate, formatEpochSecondsText, formatTime, parseTimeSeconds } from '../../storage/types/value-text.js';
import { postStatement, StatementFailure, type StatementBody } from './post-statement.js';

export type SltRecord =
  | { kind: 'statement'; line: number; sql: string; expectError: boolean; errorPattern: string | null }
  | { kind: 'query'; line: number; sql: string; types: string; sort: 'nosort' | 'rowsort' | 'valuesort'; expected: string[] }
  | { kind: 'hash-threshold'; line: number; value: number }
  | { kind: 'restart'; line: number };

export function parseSlt(text: string): SltRecord[] {
  const lines = text.split(/\r?\n/);
  const records: SltRecord[] = [];
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
    while (i < lines.length && lines[i].trim() !== '' && lines[i].trim() !== '----') body.push(lines[i++]);
    if (head === 'statement') {
      const expectError = args[0] === 'error';
      records.push({ kind: 'statement', line: start, sql: body.join('\n'), expectError, errorPattern: expectError ? args.slice(1).join(' ') || null : null });
      continue;
    }
    if (head === 'query') {
      const expected: string[] = [];
      if (lines[i]?.trim() === '----') {
        i++;
        while (i < lines.length && lines[i].trim() !== '') expected.push(lines[i++]);
      }
      records.push({ kind: 'query', line: start, sql: body.join('\n'), types: args[0] ?? '', sort: (args[1] as 'rowsort') ?? 'nosort', expected });
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

/** `warehouse`: the warehouse the file's statements run on until a USE WAREHOUSE (default: the server's default). */
export type SltContext = { url: () => string; restart: () => Promise<void>; warehouse?: string };

/** Runs every record in order; throws an Error naming the file line of the first mismatch. */
export async function runSlt(file: string, text: string, ctx: SltContext, database: string): Promise<number> {
  const records = parseSlt(text);
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
      continue;
    }
    if (failure) throw new Error(`${where}: query failed: ${failure.code} (${failure.sqlState}) ${failure.message}\n${r.sql}`);
    const rows = resultRows(body!);
    const types = typeLetters(body!);
    if (r.types && types !== r.types) {
      throw new Error(`${where}: expected column types ${r.types}, got ${types} (${body!.resultSetMetaData.rowType.map(typeName).join(', ')})\n${r.sql}`);
    }
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
    if (actual.join('\n') !== expected.join('\n')) {
      throw new Error(`${where}: wrong result for\n${r.sql}\n--- expected\n${expected.join('\n')}\n--- actual\n${actual.join('\n')}`);
    }
  }
  return checked;
}

function matchesError(f: StatementFailure, pattern: string): boolean {
  if (pattern.startsWith('/') && pattern.endsWith('/')) return new RegExp(pattern.slice(1, -1), 'i').test(f.message);
  return f.code === pattern || f.sqlState === pattern;
}
