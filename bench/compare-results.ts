/**
 * Checks that Firn and DuckDB gave the same answer to the same query: the benchmarks' and the
 * differential tests' one comparison.
 *
 * Why: each engine spells values its own way (Firn's SQL API sends DATE as days since the
 * epoch, TIMESTAMP_NTZ as epoch seconds with 9 fraction digits and NUMBER(p,s) with exactly s
 * digits; DuckDB gives DECIMAL, DOUBLE, DATE and TIMESTAMP values of its own), so each answer is
 * first brought to one canonical form: a type per column and a text per cell.
 *
 * Contract:
 *  - Types are compared first, column by column, and separately from values: NUMBER against
 *    DuckDB's DECIMAL and integer types by scale (precision is each engine's own business),
 *    FLOAT against DOUBLE/FLOAT, text, boolean, date, timestamp and binary (BINARY against
 *    BLOB) by kind. A query whose
 *    engines answer different types is a mismatch, whatever the values; a type the comparison
 *    does not know never matches.
 *  - Values are then compared exactly, as canonical text: a NUMBER with exactly its scale's
 *    digits, a FLOAT as the shortest text that reads back as the same double (NaN, Infinity),
 *    'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS.fffffffff', 'true'/'false', binary as upper-case hex.
 *    Nothing is rounded; where
 *    the engines legitimately differ, the query text given to each must make them agree.
 *  - Rows are compared in order when `ordered`, otherwise both sides are sorted first.
 */
import type { DuckDBResultReader, DuckDBType } from '@duckdb/node-api';
import { formatDate } from '../storage/types/value-text.js';

export type ResultType =
  | { kind: 'number'; scale: number }
  | { kind: 'float' }
  | { kind: 'text' }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'binary' }
  | { kind: 'other'; name: string };

export type Cell = string | null;
export type ResultSet = { types: ResultType[]; rows: Cell[][] };
export type Comparison = { same: boolean; detail: string };

/** The rowType fields of Firn's SQL API answer that the comparison reads. */
export type FirnRowType = { type: string; scale?: number | null; name?: string };

export function typeText(t: ResultType): string {
  if (t.kind === 'number') return `NUMBER(scale ${t.scale})`;
  return t.kind === 'other' ? `unknown type ${t.name}` : t.kind.toUpperCase();
}

/** Firn's jsonv2 answer (rowType + data) in canonical form. */
export function firnResultSet(rowType: FirnRowType[], data: (string | null)[][]): ResultSet {
  const types = rowType.map((t): ResultType => {
    switch (t.type) {
      case 'fixed':
        return { kind: 'number', scale: t.scale ?? 0 };
      case 'real':
        return { kind: 'float' };
      case 'text':
        return { kind: 'text' };
      case 'boolean':
        return { kind: 'boolean' };
      case 'date':
        return { kind: 'date' };
      case 'timestamp_ntz':
        return { kind: 'timestamp' };
      case 'binary':
        return { kind: 'binary' };
      default:
        return { kind: 'other', name: t.type };
    }
  });
  const convert = types.map((t): ((v: string) => string) => {
    switch (t.kind) {
      case 'number':
        return (v) => exactDecimal(v, t.scale);
      case 'float':
        // Snowflake's jsonv2 spells the infinities "inf" and "-inf" (NaN as "NaN").
        return (v) => floatText(v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));
      case 'date':
        return (v) => formatDate(Number(v));
      case 'timestamp':
        return (v) => formatNanos(epochSecondsTextToNanos(v));
      default:
        return (v) => v;
    }
  });
  return { types, rows: data.map((row) => row.map((v, c) => (v === null ? null : convert[c](v)))) };
}

/** DuckDB's materialized answer in canonical form. */
export function duckdbResultSet(reader: DuckDBResultReader): ResultSet {
  const types = reader.columnTypes().map(duckdbType);
  const rows = reader.getRows().map((row) => row.map((v, c) => (v === null || v === undefined ? null : duckdbCellText(v, types[c]))));
  return { types, rows };
}

function duckdbType(t: DuckDBType): ResultType {
  const text = t.toString();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(text);
  if (decimal) return { kind: 'number', scale: Number(decimal[2]) };
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(text)) return { kind: 'number', scale: 0 };
  if (text === 'DOUBLE' || text === 'FLOAT') return { kind: 'float' };
  if (text === 'VARCHAR') return { kind: 'text' };
  if (text === 'BOOLEAN') return { kind: 'boolean' };
  if (text === 'DATE') return { kind: 'date' };
  if (/^TIMESTAMP(_NS|_MS|_S)?$/.test(text)) return { kind: 'timestamp' };
  if (text === 'BLOB') return { kind: 'binary' };
  return { kind: 'other', name: text };
}

function duckdbCellText(v: unknown, t: ResultType): string {
  switch (t.kind) {
    case 'number':
      return exactDecimal(String(v), t.scale);
    case 'float':
      return floatText(Number(v));
    case 'boolean':
      return v ? 'true' : 'false';
    case 'date':
      return String(v);
    case 'timestamp': {
      const ts = v as { micros?: bigint; nanos?: bigint; millis?: bigint; seconds?: bigint };
      if (ts.nanos !== undefined) return formatNanos(ts.nanos);
      if (ts.micros !== undefined) return formatNanos(ts.micros * 1000n);
      if (ts.millis !== undefined) return formatNanos(ts.millis * 1_000_000n);
      return formatNanos((ts.seconds ?? 0n) * 1_000_000_000n);
    }
    case 'binary':
      return Buffer.from((v as { bytes: Uint8Array }).bytes).toString('hex').toUpperCase();
    default:
      return String(v);
  }
}

/**
 * A decimal text with exactly `scale` fraction digits. Only zeros are added or removed: a
 * value with non-zero digits past the scale is not of that type and is returned as it is, so
 * it can never compare equal to a value that is.
 */
export function exactDecimal(text: string, scale: number): string {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return text;
  const frac = m[3] ?? '';
  if (frac.length > scale && /[^0]/.test(frac.slice(scale))) return text;
  const digits = frac.length >= scale ? frac.slice(0, scale) : frac + '0'.repeat(scale - frac.length);
  const int = m[2].replace(/^0+(?=\d)/, '');
  const zero = /^0*$/.test(int + digits);
  const sign = m[1] === '-' && !zero ? '-' : '';
  return scale === 0 ? `${sign}${int}` : `${sign}${int}.${digits}`;
}

/** The shortest text that reads back as the same double; NaN, Infinity and -Infinity spelled so. */
function floatText(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

/** "-12.5" or "1700000000.123456789" (Firn's TIMESTAMP_NTZ cell) as nanoseconds since the epoch. */
function epochSecondsTextToNanos(v: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,9}))?$/.exec(v);
  if (!m) throw new Error(`not an epoch-seconds timestamp: ${v}`);
  const nanos = BigInt(m[2]) * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0') || '0');
  return m[1] === '-' ? -nanos : nanos;
}

const NANOS_PER_DAY = 86_400n * 1_000_000_000n;

function formatNanos(nanos: bigint): string {
  let days = nanos / NANOS_PER_DAY;
  let rest = nanos % NANOS_PER_DAY;
  if (rest < 0n) {
    rest += NANOS_PER_DAY;
    days -= 1n;
  }
  const secs = rest / 1_000_000_000n;
  const frac = rest % 1_000_000_000n;
  const two = (n: bigint) => String(n).padStart(2, '0');
  return `${formatDate(Number(days))} ${two(secs / 3600n)}:${two((secs / 60n) % 60n)}:${two(secs % 60n)}.${String(frac).padStart(9, '0')}`;
}

/** A sort key in which NULL sorts first and every cell is kept apart from its neighbours. */
function rowKey(row: Cell[]): string {
  return JSON.stringify(row);
}

export function compareResults(firn: ResultSet, duckdb: ResultSet, opts: { ordered: boolean }): Comparison {
  if (firn.types.length !== duckdb.types.length) {
    return { same: false, detail: `firn answered ${firn.types.length} columns, duckdb ${duckdb.types.length}` };
  }
  for (let c = 0; c < firn.types.length; c++) {
    const a = typeText(firn.types[c]);
    const b = typeText(duckdb.types[c]);
    if (a !== b) return { same: false, detail: `column ${c + 1}: firn answered ${a}, duckdb ${b}` };
  }
  if (firn.rows.length !== duckdb.rows.length) return { same: false, detail: `firn returned ${firn.rows.length} rows, duckdb ${duckdb.rows.length}` };
  const sorted = (rows: Cell[][]) => (opts.ordered ? rows : [...rows].sort((p, q) => (rowKey(p) < rowKey(q) ? -1 : rowKey(p) > rowKey(q) ? 1 : 0)));
  const x = sorted(firn.rows);
  const y = sorted(duckdb.rows);
  for (let r = 0; r < x.length; r++) {
    for (let c = 0; c < x[r].length; c++) {
      if (x[r][c] !== y[r][c]) {
        return { same: false, detail: `row ${r + 1} column ${c + 1}: firn ${JSON.stringify(x[r][c])}, duckdb ${JSON.stringify(y[r][c])}` };
      }
    }
  }
  return { same: true, detail: `${x.length} rows agree` };
}
