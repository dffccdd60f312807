import { describe, expect, it } from 'vitest';
import { NotSupportedError, SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import type { Expr, FrameBoundSpec, OrderItem, WindowFrameSpec } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { col, num, query } from './front-test-kit.js';

/** The window node of `SELECT <call> OVER (<spec>) FROM t`. */
function over(spec: string): Extract<Expr, { kind: 'window' }> {
  const body = query(`SELECT SUM(x) OVER (${spec}) FROM t`).body;
  const item = body.kind === 'select' ? body.items[0] : null;
  if (item?.kind !== 'expr' || item.expr.kind !== 'window') throw new Error(`no window in ${spec}`);
  return item.expr;
}

const UP: FrameBoundSpec = { kind: 'unbounded_preceding' };
const UF: FrameBoundSpec = { kind: 'unbounded_following' };
const CR: FrameBoundSpec = { kind: 'current_row' };
const P = (offset: string): FrameBoundSpec => ({ kind: 'preceding', offset });
const F = (offset: string): FrameBoundSpec => ({ kind: 'following', offset });
const item = (e: Expr, desc = false, nullsFirst: boolean | null = null): OrderItem => ({ expr: e, desc, nullsFirst });

describe('window OVER clauses', () => {
  it('reads PARTITION BY and ORDER BY lists with directions and NULLS placement', () => {
    expect(over('PARTITION BY a, t.b, a + 1 ORDER BY c, d DESC, e ASC NULLS FIRST, f DESC NULLS LAST')).toMatchObject({
      partitionBy: [col('A'), col('B', 'T'), { kind: 'binary', op: '+', left: col('A'), right: num('1') }],
      orderBy: [item(col('C')), item(col('D'), true), item(col('E'), false, true), item(col('F'), true, false)],
      frame: null,
    });
    expect(over('PARTITION BY a')).toMatchObject({ partitionBy: [col('A')], orderBy: [], frame: null });
    expect(over('ORDER BY 2')).toMatchObject({ partitionBy: [], orderBy: [item(num('2'))], frame: null });
    expect(over('')).toMatchObject({ partitionBy: [], orderBy: [], frame: null });
  });

  it.each<[string, WindowFrameSpec]>([
    ['ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', { units: 'ROWS', start: UP, end: CR }],
    ['ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING', { units: 'ROWS', start: CR, end: UF }],
    ['ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING', { units: 'ROWS', start: UP, end: UF }],
    ['ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING', { units: 'ROWS', start: P('3'), end: F('1') }],
    ['ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING', { units: 'ROWS', start: P('3'), end: P('1') }],
    ['ROWS BETWEEN 1 FOLLOWING AND 5 FOLLOWING', { units: 'ROWS', start: F('1'), end: F('5') }],
    ['ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING', { units: 'ROWS', start: UP, end: F('2') }],
    ['ROWS BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING', { units: 'ROWS', start: P('2'), end: UF }],
    ['ROWS BETWEEN CURRENT ROW AND CURRENT ROW', { units: 'ROWS', start: CR, end: CR }],
    ['rows between 0 preceding and 0 following', { units: 'ROWS', start: P('0'), end: F('0') }],
    ['ROWS UNBOUNDED PRECEDING', { units: 'ROWS', start: UP, end: CR }],
    ['ROWS 3 PRECEDING', { units: 'ROWS', start: P('3'), end: CR }],
    ['ROWS CURRENT ROW', { units: 'ROWS', start: CR, end: CR }],
    ['RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', { units: 'RANGE', start: UP, end: CR }],
    ['RANGE BETWEEN 1.50 PRECEDING AND 10 FOLLOWING', { units: 'RANGE', start: P('1.50'), end: F('10') }],
    ['RANGE UNBOUNDED PRECEDING', { units: 'RANGE', start: UP, end: CR }],
  ])('ORDER BY o %s', (frame, expected) => {
    expect(over(`ORDER BY o ${frame}`)).toMatchObject({ orderBy: [item(col('O'))], frame: expected });
  });

  it('reads a frame after PARTITION BY alone, and without any ORDER BY', () => {
    expect(over('PARTITION BY a ROWS 1 PRECEDING')).toMatchObject({ partitionBy: [col('A')], orderBy: [], frame: { units: 'ROWS', start: P('1'), end: CR } });
    expect(over('ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING')).toMatchObject({ partitionBy: [], frame: { units: 'ROWS', start: UP, end: UF } });
  });

  it('reads RANGE as a column name when no frame bound follows it', () => {
    expect(over('PARTITION BY range ORDER BY range')).toMatchObject({ partitionBy: [col('RANGE')], orderBy: [item(col('RANGE'))], frame: null });
    expect(over('ORDER BY range RANGE 2 PRECEDING')).toMatchObject({ orderBy: [item(col('RANGE'))], frame: { units: 'RANGE', start: P('2'), end: CR } });
  });

  it('refuses frame forms Firn cannot express with NotSupportedError', () => {
    for (const [spec, message] of [
      ['ORDER BY o GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW', /GROUPS/],
      ['ORDER BY o ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW', /EXCLUDE/],
      ["ORDER BY d RANGE BETWEEN INTERVAL '1 day' PRECEDING AND CURRENT ROW", /INTERVAL offsets/],
    ] as const) {
      expect(() => over(spec)).toThrow(NotSupportedError);
      expect(() => over(spec)).toThrow(message);
    }
  });

  it.each([
    ['SELECT SUM(x) OVER (PARTITION a) FROM t', 1, 31, "unexpected 'a'."],
    ['SELECT SUM(x) OVER (PARTITON BY a) FROM t', 1, 21, "unexpected 'PARTITON'."],
    ['SELECT SUM(x) OVER (PARTITION BY) FROM t', 1, 33, "unexpected ')'."],
    ['SELECT SUM(x) OVER (PARTITION BY a,) FROM t', 1, 36, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ORDER BY) FROM t', 1, 29, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ORDER a) FROM t', 1, 27, "unexpected 'a'."],
    ['SELECT SUM(x) OVER (ORDER BY a PARTITION BY b) FROM t', 1, 32, "unexpected 'PARTITION'."],
    ['SELECT SUM(x) OVER (ORDER BY a DESC NULLS) FROM t', 1, 42, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ORDER BY a ROWS) FROM t', 1, 36, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN 1 PRECEDING) FROM t', 1, 45, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN 1 PRECEDING AND) FROM t', 1, 49, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN 1 PRECEDING OR 2 FOLLOWING) FROM t', 1, 46, "unexpected 'OR'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN UNBOUNDED AND CURRENT ROW) FROM t', 1, 44, "unexpected 'AND'."],
    ['SELECT SUM(x) OVER (ROWS CURRENT) FROM t', 1, 33, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS 1) FROM t', 1, 27, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS -1 PRECEDING) FROM t', 1, 26, "unexpected '-'."],
    ['SELECT SUM(x) OVER (ROWS 1.5 PRECEDING) FROM t', 1, 26, "unexpected '1.5'."],
    ['SELECT SUM(x) OVER (ROWS n PRECEDING) FROM t', 1, 26, "unexpected 'n'."],
    ['SELECT SUM(x) OVER (ORDER BY a ROWS 1 PRECEDING garbage) FROM t', 1, 49, "unexpected 'garbage'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM t', 1, 34, 'a window frame cannot start at UNBOUNDED FOLLOWING.'],
    ['SELECT SUM(x) OVER (ROWS UNBOUNDED FOLLOWING) FROM t', 1, 26, 'a window frame cannot start at UNBOUNDED FOLLOWING.'],
    ['SELECT SUM(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED PRECEDING) FROM t', 1, 50, 'a window frame cannot end at UNBOUNDED PRECEDING.'],
    ['SELECT SUM(x) OVER (ROWS BETWEEN 5 FOLLOWING AND 2 PRECEDING) FROM t', 1, 34, 'a window frame cannot start after its end.'],
    ['SELECT SUM(x) OVER (RANGE BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t', 1, 35, 'a window frame cannot start after its end.'],
    ['SELECT SUM(x) OVER (ROWS 2 FOLLOWING) FROM t', 1, 26, 'a window frame cannot start after its end.'],
    ['SELECT a,\n  SUM(x) OVER (\n    PARTITION BY a\n    ROWS BETWEEN 2 FOLLOWING AND CURRENT ROW)\nFROM t', 4, 18, 'a window frame cannot start after its end.'],
  ])('%j', (sql, line, column, message) => {
    let err: unknown;
    try {
      parseSql(sql);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SqlSyntaxError);
    expect((err as SqlSyntaxError).position).toEqual({ line, column });
    expect((err as SqlSyntaxError).message).toBe(`SQL compilation error: syntax error line ${line} at position ${column}: ${message}`);
  });
});
