import { describe, expect, it } from 'vitest';
import { logicalPlan, starCatalog } from '../physical/physical-test-kit.js';
import { groupCountBound } from './group-count-bound.js';
import type { LogicalPlan } from './logical-plan.js';

const catalog = starCatalog();

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
});
