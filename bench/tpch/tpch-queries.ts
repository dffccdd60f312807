/**
 * The 22 TPC-H queries, read from bench/tpch/queries/q01.sql ... q22.sql: the standard text
 * with the validation (default) substitution parameters, and a header comment naming each
 * dialect edit and why it is needed. One text runs unchanged on Firn and on DuckDB.
 *
 * Contract: tpchQueries() returns q1..q22 in order, each with its number, name ('q1'), the
 * file, the SQL without the header comment (one statement, no trailing ';') and the header's
 * lines. Every TPC-H query has an ORDER BY over its whole output (or returns one row), so row
 * order is part of each answer. A missing or empty file is a FirnError INTERNAL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from '../../storage/errors/firn-error.js';

export type TpchQuery = { number: number; name: string; file: string; sql: string; header: string[] };

export const TPCH_QUERY_COUNT = 22;

const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled, this module runs from dist/bench/tpch; the .sql files stay in the source tree.
const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '..', '..', '..') : path.resolve(here, '..', '..');
export const TPCH_QUERY_DIR = path.join(root, 'bench', 'tpch', 'queries');

export function tpchQueryFile(n: number): string {
  return path.join(TPCH_QUERY_DIR, `q${String(n).padStart(2, '0')}.sql`);
}

export function tpchQueries(): TpchQuery[] {
  const out: TpchQuery[] = [];
  for (let n = 1; n <= TPCH_QUERY_COUNT; n++) {
    const file = tpchQueryFile(n);
    const lines = readFileSync(file, 'utf8').split('\n');
    let first = 0;
    while (first < lines.length && (lines[first].startsWith('--') || lines[first].trim() === '')) first++;
    const header = lines.slice(0, first).filter((l) => l.startsWith('--')).map((l) => l.replace(/^--\s?/, ''));
    const sql = lines.slice(first).join('\n').trim().replace(/;$/, '').trimEnd();
    if (sql === '') throw new InternalError(`TPC-H query file ${file} holds no statement`);
    out.push({ number: n, name: `q${n}`, file, sql, header });
  }
  return out;
}
