import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../storage/types/data-type.js';
import { addTable, logicalPlan, starCatalog } from '../physical/physical-test-kit.js';
import { groupCountBound } from './group-count-bound.js';
import type { LogicalPlan } from './logical-plan.js';

const catalog = starCatalog();
// FLAGS: 2 partitions of 1,000 rows. FL_CODE VARCHAR(1) 'A'..'F' then 'N'..'R'; FL_OK BOOLEAN;
// FL_KIND VARCHAR 'x' in both; FL_NAME VARCHAR; FL_WIDE VARCHAR(1) up to a character in the surrogates' range;
// FL_EMPTY VARCHAR(1) from the empty string; FL_NONE VARCHAR(1) all NULL.
const VARCHAR1: DataType = { kind: 'VARCHAR', length: 1 };
addTable(
  catalog,
  'FLAGS',
  [['FL_CODE', VARCHAR1], ['FL_OK', Types.boolean], ['FL_KIND', Types.varchar], ['FL_NAME', Types.varchar], ['FL_WIDE', VARCHAR1], ['FL_EMPTY', VARCHAR1], ['FL_NONE', VARCHAR1]],
  [
    { rows: 1000, zones: { FL_CODE: ['A', 'F'], FL_OK: [false as unknown as number, true as unknown as number], FL_KIND: ['x', 'x'], FL_NAME: ['ann', 'bob'], FL_WIDE: ['a', 'b'], FL_EMPTY: ['', 'c'] } },
    { rows: 1000, zones: { FL_CODE: ['N', 'R'], FL_KIND: ['x', 'x'], FL_NAME: ['cat', 'dan'], FL_WIDE: ['a', '\u{1d538}'], FL_EMPTY: ['a', 'b'] } },
  ],
);

/** The bound of the (first) aggregate of a query's optimized plan. */
function bound(sql: string): number {
  const find = (p: LogicalPlan): Extract<LogicalPlan, { kind: 'aggregate' }> | null => {
    if (p.kind === 'aggregate') return p;
    if ('input' in p) return find(p.input);
    if (p.kind === 'join') return find(p.left) ?? find(p.right);
    return null;
  };
  const agg = find(logicalPlan(catalog, sql));
  if (agg === null) throw new Error(`no aggregate in ${sql}`);
  return groupCountBound(agg);
}

describe('groupCountBound', () => {
  it('bounds a table column by its zone-map range (integers, dates) or its table\'s rows, plus a NULL', () => {
    // FACT: 800,000 rows, F_DIM 1..100, F_DAY days 0..799; DIM: 100 rows.
    expect(bound('SELECT f_dim, COUNT(*) FROM fact GROUP BY f_dim')).toBe(101);
    expect(bound('SELECT f_day, COUNT(*) FROM fact GROUP BY f_day')).toBe(801);
    expect(bound('SELECT d_name, SUM(f_amount) FROM fact JOIN dim ON f_dim = d_id GROUP BY d_name')).toBe(101);
    expect(bound('SELECT f_amount, COUNT(*) FROM fact GROUP BY f_amount')).toBe(800_001);
  });

  it('bounds the year of a DATE column by the years its zone maps span, through projections and casts', () => {
    // Days 0..799: 1970 to 1972.
    expect(bound('SELECT YEAR(f_day), COUNT(*) FROM fact GROUP BY YEAR(f_day)')).toBe(4);
    expect(bound('SELECT EXTRACT(YEAR FROM f_day), COUNT(*) FROM fact GROUP BY 1')).toBe(4);
    expect(bound("SELECT DATE_PART('year', f_day), COUNT(*) FROM fact GROUP BY 1")).toBe(4);
    expect(bound('SELECT y, COUNT(*) FROM (SELECT YEAR(f_day) AS y, f_amount FROM fact) GROUP BY y')).toBe(4);
    expect(bound('SELECT CAST(f_dim AS VARCHAR), COUNT(*) FROM fact GROUP BY 1')).toBe(101);
    // The product over the keys.
    expect(bound('SELECT f_dim, YEAR(f_day), COUNT(*) FROM fact GROUP BY f_dim, YEAR(f_day)')).toBe(404);
  });

  it('has no bound for a key it cannot follow to one column', () => {
    expect(bound('SELECT f_dim + f_id, COUNT(*) FROM fact GROUP BY 1')).toBe(Infinity);
    expect(bound("SELECT DATE_PART('month', f_day), COUNT(*) FROM fact GROUP BY 1")).toBe(Infinity);
  });

  it('bounds BOOLEAN and VARCHAR(1) keys by their values, and a key of one same value in every zone map by 1, each plus a NULL', () => {
    // 'A'..'R' in UTF-16 units: 18, whatever lies between the two partitions' ranges.
    expect(bound('SELECT fl_code, COUNT(*) FROM flags GROUP BY fl_code')).toBe(19);
    expect(bound('SELECT fl_ok, COUNT(*) FROM flags GROUP BY fl_ok')).toBe(3);
    expect(bound('SELECT fl_kind, COUNT(*) FROM flags GROUP BY fl_kind')).toBe(2);
    // From '' up to 'c': '' and every unit below 'c' (100).
    expect(bound('SELECT fl_empty, COUNT(*) FROM flags GROUP BY fl_empty')).toBe(102);
    expect(bound('SELECT fl_none, COUNT(*) FROM flags GROUP BY fl_none')).toBe(1);
    // TPC-H Q1's shape: few enough for one task to finish it.
    expect(bound('SELECT fl_code, fl_ok, COUNT(*) FROM flags GROUP BY fl_code, fl_ok')).toBe(57);
  });

  it('has no value bound for a longer VARCHAR, or a VARCHAR(1) whose max lies in the surrogates', () => {
    expect(bound('SELECT fl_name, COUNT(*) FROM flags GROUP BY fl_name')).toBe(2001);
    expect(bound('SELECT fl_wide, COUNT(*) FROM flags GROUP BY fl_wide')).toBe(2001);
  });
});
