/**
 * Checks that Firn and DuckDB answered a benchmark query with the same rows.
 *
 * Why: each engine spells values its own way (Firn's SQL API sends DATE as days since the
 * epoch and NUMBER(p,s) with exactly s digits; DuckDB's JSON rows give DECIMAL as strings,
 * DOUBLE as numbers, DATE as 'YYYY-MM-DD'), so results are first brought to one text form.
 *
 * Contract:
 *  - firnRowsToText / duckdbRowsToText give canonical cells: numbers as written, dates
 *    'YYYY-MM-DD', timestamps 'YYYY-MM-DD HH:MM:SS.fff', booleans 'true'/'false', NULL null.
 *  - compareRows: same row count; rows pairwise in order when `ordered`, else both sides
 *    sorted first. Texts must be equal. Numbers are compared as exact decimals: with equal
 *    scales they must be equal; with different scales (an exact NUMBER against DuckDB's
 *    DOUBLE AVG, say) the finer one is rounded half away from zero to the coarser scale and
 *    must then be equal, or within one unit of that scale when it has 4 or more digits
 *    (a double and an exact decimal may round a tie differently).
 */
import { formatDate, formatEpochSecondsText, formatTimestamp } from '../storage/types/value-text.js';

export type Cell = string | null;
export type Rows = Cell[][];
export type RowsComparison = { same: boolean; detail: string };

/** Firn SQL API rows (rowType types: fixed, real, text, boolean, date, timestamp_ntz) as canonical text. */
export function firnRowsToText(rowType: { type: string }[], data: (string | null)[][]): Rows {
  const convert = rowType.map((t): ((v: string) => string) => {
    if (t.type === 'date') return (v) => formatDate(Number(v));
    if (t.type === 'timestamp_ntz') return (v) => formatEpochSecondsText(v);
    return (v) => v;
  });
  return data.map((row) => row.map((v, c) => (v === null ? null : convert[c](v))));
}

/** DuckDB rows from getRowsJson() as canonical text. */
export function duckdbRowsToText(rows: unknown[][]): Rows {
  return rows.map((row) =>
    row.map((v) => {
      if (v === null || v === undefined) return null;
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
      return JSON.stringify(v);
    }),
  );
}

type Decimal = { digits: bigint; scale: number };

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(text: string): Decimal | null {
  const m = NUMBER_TEXT.exec(text);
  if (!m) return null;
  const frac = m[3] ?? '';
  let digits = BigInt(`${m[2]}${frac}`);
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: m[1] === '-' ? -digits : digits, scale };
}

/** Rounds half away from zero from `d.scale` down to `scale` digits. */
function rescale(d: Decimal, scale: number): bigint {
  const div = 10n ** BigInt(d.scale - scale);
  const q = d.digits / div;
  const r = d.digits % div;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < div) return q;
  return d.digits < 0n ? q - 1n : q + 1n;
}

function cellsEqual(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (x === null || y === null) return false;
  if (x.scale === y.scale) return x.digits === y.digits;
  const scale = Math.min(x.scale, y.scale);
  const diff = rescale(x, scale) - rescale(y, scale);
  const tolerance = scale >= 4 ? 1n : 0n;
  return diff <= tolerance && -diff <= tolerance;
}

/** A sort key that spells equal numbers alike ("25.50" and "25.5"). */
function sortKey(row: Cell[]): string {
  return row
    .map((c) => {
      if (c === null) return '\u0000';
      return parseDecimal(c) === null ? c : c.includes('.') && !/[eE]/.test(c) ? c.replace(/0+$/, '').replace(/\.$/, '') : c;
    })
    .join('\u0001');
}

export function compareRows(firn: Rows, duckdb: Rows, opts: { ordered: boolean }): RowsComparison {
  if (firn.length !== duckdb.length) return { same: false, detail: `firn returned ${firn.length} rows, duckdb ${duckdb.length}` };
  const sorted = (rows: Rows) => (opts.ordered ? rows : [...rows].sort((p, q) => (sortKey(p) < sortKey(q) ? -1 : sortKey(p) > sortKey(q) ? 1 : 0)));
  const a = sorted(firn);
  const b = sorted(duckdb);
  for (let r = 0; r < a.length; r++) {
    if (a[r].length !== b[r].length) return { same: false, detail: `row ${r + 1}: firn has ${a[r].length} columns, duckdb ${b[r].length}` };
    for (let c = 0; c < a[r].length; c++) {
      if (!cellsEqual(a[r][c], b[r][c])) {
        return { same: false, detail: `row ${r + 1} column ${c + 1}: firn ${JSON.stringify(a[r][c])}, duckdb ${JSON.stringify(b[r][c])}` };
      }
    }
  }
  return { same: true, detail: `${a.length} rows agree` };
}
