import { describe, expect, it } from 'vitest';
import { parseSql } from '../sql/parse-sql.js';
import { exprText } from './expr-text.js';

/** The column name Firn gives an unaliased select item (Snowflake names it by its SQL text). */
function nameOf(sql: string): string {
  const [st] = parseSql(`SELECT ${sql}`);
  if (st.kind !== 'query' || st.query.body.kind !== 'select') throw new Error('not a select');
  const item = st.query.body.items[0];
  if (item.kind !== 'expr') throw new Error('not an expression');
  return exprText(item.expr);
}

describe('exprText', () => {
  it('keeps the parentheses that change meaning and drops those that do not', () => {
    expect(nameOf('(2 + 3) * 4')).toBe('(2 + 3) * 4');
    expect(nameOf('2 + 3 * 4')).toBe('2 + 3 * 4');
    expect(nameOf('10 - (4 - 1)')).toBe('10 - (4 - 1)');
    expect(nameOf('(10 - 4) - 1')).toBe('10 - 4 - 1');
    expect(nameOf('COUNT(*)')).toBe('COUNT(*)');
    expect(nameOf('SUM(fare)')).toBe('SUM(FARE)');
  });

  it('writes IS [NOT] DISTINCT FROM as a comparison and LIKE with its ESCAPE', () => {
    expect(nameOf('a IS DISTINCT FROM b + 1')).toBe('A IS DISTINCT FROM B + 1');
    expect(nameOf('TRUE = (a IS NOT DISTINCT FROM NULL)')).toBe('TRUE = (A IS NOT DISTINCT FROM NULL)');
    expect(nameOf("a NOT LIKE 'x!%' ESCAPE '!'")).toBe("A NOT LIKE 'x!%' ESCAPE '!'");
  });
});
