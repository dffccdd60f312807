/**
 * An upper bound on the groups an aggregate can answer, for choosing how its final phase
 * runs (stage-planner.ts: an aggregate with few groups gathers its partial states into one
 * task instead of hash-exchanging them to every worker and gathering the result again).
 *
 * Contract: a bound, never an estimate: the product over the GROUP BY keys of a bound on each
 * key's distinct values, Infinity when some key has none. A key is followed through
 * projections (an expression a projection computes bounds as that expression), filters,
 * sorts and limits. A key that copies a table column (scanColumnOf) takes at most that
 * table's rows plus one (a NULL), and an integer or DATE column at most max - min + 1 over
 * its table's zone maps, plus one; a BOOLEAN column at most 2, plus one; a VARCHAR(1) column
 * at most the characters its zone maps span (and the empty string), plus one (TPC-H Q1's
 * return flag and line status: 4 groups, where no bound made a hash exchange and a
 * stage of its own for them); any column whose zone maps all hold one same exact value, 1 plus one.
 * A cast of a key takes no more than the key; the year
 * (date_part('year', …), YEAR(…)) of a DATE column at most the years its zone maps span,
 * plus one. A wrong bound costs speed, never an answer.
 */
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { ColumnInfo } from '../catalog/catalog.js';
import { scanColumnOf, tableKeyBounds } from './estimate-rows.js';
import type { LogicalPlan, ScanNode } from './logical-plan.js';

const DAY_MS = 86_400_000;

export function groupCountBound(p: Extract<LogicalPlan, { kind: 'aggregate' }>): number {
  let groups = 1;
  for (const g of p.groupBy) groups *= keyBound(p.input, g);
  return groups;
}

function keyBound(input: LogicalPlan, e: BoundExpr): number {
  switch (e.kind) {
    case 'column': {
      // A projected expression bounds as that expression over the projection's input.
      if (input.kind === 'project') return keyBound(input.input, input.exprs[e.index]);
      if (input.kind === 'filter' || input.kind === 'sort' || input.kind === 'limit') return keyBound(input.input, e);
      const at = scanColumnOf(input, e.index);
      if (at === null) return Infinity;
      const rows = at.scan.partitions.reduce((n, x) => n + x.rowCount, 0);
      const bounds = tableKeyBounds(input, e.index);
      return Math.min(rows, bounds === null ? valueBound(at.scan, at.column) : bounds.hi - bounds.lo + 1) + 1;
    }
    case 'cast':
      return keyBound(input, e.expr);
    case 'call': {
      const arg = yearOf(e);
      if (arg === null) return Infinity;
      const bounds = arg.kind === 'column' && arg.type.kind === 'DATE' ? tableKeyBounds(input, arg.index) : null;
      const years = bounds === null ? Infinity : yearOfDay(bounds.hi) - yearOfDay(bounds.lo) + 2;
      return Math.min(years, keyBound(input, arg));
    }
    default:
      return Infinity;
  }
}

/** The argument of a call that takes its year: date_part('year', x) or year(x); else null. */
function yearOf(e: Extract<BoundExpr, { kind: 'call' }>): BoundExpr | null {
  const fn = e.fn.toLowerCase();
  if (fn === 'year' && e.args.length === 1) return e.args[0];
  if ((fn === 'date_part' || fn === 'extract') && e.args.length === 2) {
    const part = e.args[0];
    if (part.kind === 'literal' && typeof part.value === 'string' && part.value.toLowerCase() === 'year') return e.args[1];
  }
  return null;
}

function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/**
 * Distinct non-NULL values of a column that are neither integers nor dates, by its type and
 * zone maps (see the module comment), or Infinity. Every partition's zone must be there and
 * exact; an all-NULL partition adds no value.
 */
function valueBound(scan: ScanNode, column: ColumnInfo): number {
  if (column.type.kind === 'BOOLEAN') return 2;
  const short = column.type.kind === 'VARCHAR' && column.type.length !== undefined && column.type.length <= 1;
  let lo = Infinity;
  let hi = -Infinity;
  let only: unknown = undefined;
  let same = true;
  for (const part of scan.partitions) {
    const z = part.zoneMap.columns[column.name];
    if (!z || !z.exact) return Infinity;
    if (z.min === null || z.max === null) {
      // All NULL, or (FLOAT) bounds JSON cannot hold.
      if (z.nullCount === part.rowCount) continue;
      return Infinity;
    }
    if (z.min !== z.max || (only !== undefined && only !== z.min)) same = false;
    only = z.min;
    if (short && typeof z.min === 'string' && typeof z.max === 'string') {
      lo = Math.min(lo, codeUnit(z.min));
      hi = Math.max(hi, codeUnit(z.max));
    }
  }
  if (only === undefined) return 0;
  if (same) return 1;
  return short && hi >= lo && hi < SURROGATES ? hi - lo + 1 : Infinity;
}

/**
 * Zone maps order strings by UTF-16 code units. Below a max whose unit is under the
 * surrogates, every string of at most one character is one such unit (or empty), so the units
 * between min and max count them; a max in or above the surrogates bounds nothing here.
 */
const SURROGATES = 0xd800;

/** The code unit of a string of at most one UTF-16 unit; the empty string (below every other) -1. */
function codeUnit(s: string): number {
  return s.length === 0 ? -1 : s.charCodeAt(0);
}
