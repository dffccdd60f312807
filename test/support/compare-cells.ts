/**
 * Canonical forms of result values from Firn (jsonv2 strings + rowType) and DuckDB
 * (@duckdb/node-api values), so the differential tests compare values, not formatting.
 * Exact numbers become decimal strings without trailing zeros; doubles stay numbers and
 * compare within 1e-9 relative; dates 'YYYY-MM-DD'; timestamps microseconds since epoch.
 */
import { formatDate } from '../../storage/types/value-text.js';

export type Cell = null | string | number | boolean;

export function canonicalDecimal(text: string): string {
  let s = text.trim();
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  return s;
}

export function firnCell(v: string | null, type: string): Cell {
  if (v === null) return null;
  switch (type) {
    case 'fixed':
      return canonicalDecimal(v);
    case 'real':
      return Number(v);
    case 'boolean':
      return v === 'true';
    case 'date':
      return formatDate(Number(v));
    case 'timestamp_ntz': {
      const [s, f = ''] = v.split('.');
      return (BigInt(s) * 1_000_000n + BigInt((f + '000000').slice(0, 6)) * (v.startsWith('-') ? -1n : 1n)).toString();
    }
    default:
      return v;
  }
}

export function duckdbCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 53 && !Object.is(v, -0) ? v : v;
  if (typeof v === 'bigint') return v.toString();
  const ctor = (v as object).constructor?.name ?? '';
  if (ctor === 'DuckDBDecimalValue') return canonicalDecimal(String(v));
  if (ctor === 'DuckDBDateValue') return String(v);
  if (ctor.startsWith('DuckDBTimestamp')) return (v as { micros: bigint }).micros.toString();
  return String(v);
}

export function sameCell(a: Cell, b: Cell): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const x = typeof a === 'number' ? a : typeof a === 'string' && typeof b === 'number' ? Number(a) : NaN;
  const y = typeof b === 'number' ? b : typeof b === 'string' && typeof a === 'number' ? Number(b) : NaN;
  if (Number.isNaN(x) || Number.isNaN(y)) return String(a) === String(b);
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12;
}
