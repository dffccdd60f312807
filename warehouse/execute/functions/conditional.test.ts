import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { asDec, batchOf, call, castTo, col, dictVec, evalRead, lit, vec } from '../expr-test-kit.js';
import { commonSuperType, resolveFunction } from './function-registry.js';

const N = Types.number(3, 0);
const S = Types.varchar;
const caseOf = (whens: [BoundExpr, BoundExpr][], otherwise: BoundExpr | null, type: DataType): BoundExpr => ({
  kind: 'case',
  whens: whens.map(([when, then]) => ({ when, then: castTo(then, type) })),
  else: otherwise ? castTo(otherwise, type) : null,
  type,
});

describe('CASE', () => {
  const x = vec(N, ['0', '4', null, '-2', '8']);
  const xc = col(0, N);

  it('picks the first true WHEN, else ELSE, else NULL', () => {
    const e = caseOf(
      [
        [call('lt', xc, lit('0', N)), lit('neg', S)],
        [call('eq', xc, lit('0', N)), lit('zero', S)],
        [call('gt', xc, lit('5', N)), lit('big', S)],
      ],
      lit('small', S),
      S,
    );
    expect(evalRead(e, batchOf(x))).toEqual(['zero', 'small', 'small', 'neg', 'big']);
    const noElse = caseOf([[call('gt', xc, lit('5', N)), xc]], null, N);
    expect(evalRead(noElse, batchOf(x))).toEqual([null, null, null, null, '8']);
  });

  it('is lazy: CASE WHEN x = 0 THEN NULL ELSE 1/x END never divides by zero', () => {
    const type = resolveFunction('divide', [N, N]).returnType;
    const e = caseOf([[call('eq', xc, lit('0', N)), lit(null, Types.null)]], call('divide', lit('1', N), xc), type);
    expect(evalRead(e, batchOf(x))).toEqual([null, '0.250000', null, '-0.500000', '0.125000']);
    const eager = call('divide', lit('1', N), xc);
    expect(() => evaluateExpr(eager, batchOf(x))).toThrow(/Division by zero/);
  });

  it('merges string branches from different dictionaries and NUMBER branches of both layouts', () => {
    const a = dictVec(['p', 'q', 'p', 'r', 'q'], ['unused']);
    const b = vec(S, ['1', '2', '3', '4', '5']);
    const e = caseOf([[call('gt', xc, lit('0', N)), col(1, S)]], col(2, S), S);
    expect(evalRead(e, batchOf(x, a, b))).toEqual(['1', 'q', '3', '4', 'q']);
    const big = asDec(vec(Types.number(38, 0), ['100', '200', '300', '400', '500']));
    const e2 = caseOf([[call('gt', xc, lit('0', N)), col(1, Types.number(38, 0))]], lit('-1', Types.number(38, 0)), Types.number(38, 0));
    expect(evalRead(e2, batchOf(x, big))).toEqual(['-1', '200', '-1', '-1', '500']);
  });

  it('handles constant conditions', () => {
    const e = caseOf([[lit(false, Types.boolean), lit('a', S)], [lit(true, Types.boolean), lit('b', S)]], lit('c', S), S);
    expect(evalRead(e, batchOf(x))).toEqual(['b', 'b', 'b', 'b', 'b']);
  });
});

describe('IFF / COALESCE / NVL / NULLIF / GREATEST / LEAST', () => {
  const x = vec(N, ['0', '4', null]);
  const xc = col(0, N);

  it('IFF is lazy like CASE', () => {
    const e = call('iff', call('eq', xc, lit('0', N)), lit('-1', N), call('divide', lit('8', N), xc));
    expect(e.type).toEqual(Types.number(9, 6));
    expect(evalRead(e, batchOf(x))).toEqual(['-1.000000', '2.000000', null]);
  });

  it('COALESCE evaluates an argument only where earlier ones were NULL', () => {
    const y = vec(N, [null, null, '7']);
    const e = call('coalesce', col(1, N), call('divide', lit('8', N), xc), lit('5', N));
    expect(evalRead(e, batchOf(vec(N, ['1', '2', '0']), y))).toEqual(['8.000000', '4.000000', '7.000000']);
    expect(evalRead(call('coalesce', col(1, N), xc, lit('9', N)), batchOf(x, y))).toEqual(['0', '4', '7']);
    expect(evalRead(call('nvl', xc, lit('9', N)), batchOf(x))).toEqual(['0', '4', '9']);
    expect(evalRead(call('coalesce', lit(null, Types.null), xc), batchOf(x))).toEqual(['0', '4', null]);
    const s = dictVec([null, 'b', null]);
    expect(evalRead(call('ifnull', col(0, S), lit('z', S)), batchOf(s))).toEqual(['z', 'b', 'z']);
  });

  it('NULLIF', () => {
    expect(evalRead(call('nullif', xc, lit('4', N)), batchOf(x))).toEqual(['0', null, null]);
    expect(evalRead(call('nullif', xc, lit(null, Types.null)), batchOf(x))).toEqual(['0', '4', null]);
  });

  it('GREATEST / LEAST are NULL when any argument is NULL', () => {
    const a = vec(Types.number(4, 1), ['1.5', '9.0', null]);
    const b = vec(N, ['2', '3', '1']);
    const g = call('greatest', col(0, Types.number(4, 1)), col(1, N), lit('0', N));
    expect(g.type).toEqual(Types.number(4, 1));
    expect(evalRead(g, batchOf(a, b))).toEqual(['2.0', '9.0', null]);
    expect(evalRead(call('least', col(0, Types.number(4, 1)), col(1, N)), batchOf(a, b))).toEqual(['1.5', '3.0', null]);
    const s = vec(S, ['pear', 'apple']);
    expect(evalRead(call('greatest', col(0, S), lit('banana', S)), batchOf(s))).toEqual(['pear', 'banana']);
  });

  it('types with the common super type', () => {
    expect(commonSuperType(Types.number(5, 2), Types.number(10, 0))).toEqual(Types.number(12, 2));
    expect(commonSuperType(Types.number(5, 2), Types.float)).toEqual(Types.float);
    expect(commonSuperType(Types.date, Types.timestampNtz)).toEqual(Types.timestampNtz);
    expect(commonSuperType(Types.varchar, Types.date)).toEqual(Types.date);
    expect(commonSuperType(Types.null, Types.boolean)).toEqual(Types.boolean);
    expect(commonSuperType({ kind: 'VARCHAR', length: 3 }, { kind: 'VARCHAR', length: 8 })).toEqual({ kind: 'VARCHAR', length: 8 });
    expect(commonSuperType(Types.boolean, Types.number(1, 0))).toBeNull();
    expect(commonSuperType(Types.date, Types.number(1, 0))).toBeNull();
    expect(() => resolveFunction('coalesce', [Types.date, Types.boolean])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});

describe('NVL2, ZEROIFNULL, DECODE', () => {
  it('NVL2(a, b, c) is b where a is not NULL, else c, typed as the common type of b and c', () => {
    const a = vec(S, ['x', null, '', null]);
    const b = vec(N, ['1', '2', '3', null]);
    const e = call('nvl2', col(0, S), col(1, N), lit('-1.5', Types.number(2, 1)));
    expect(e.type).toEqual(Types.number(4, 1));
    expect(evalRead(e, batchOf(a, b))).toEqual(['1.0', '-1.5', '3.0', '-1.5']);
    expect(evalRead(call('nvl2', lit(null, Types.null), lit('a', S), lit('b', S)), batchOf())).toEqual(['b']);
    expect(evalRead(call('nvl2', lit('1', N), lit('a', S), lit(null, Types.null)), batchOf())).toEqual(['a']);
    expect(evalRead(call('nvl2', col(0, S), lit(null, Types.null), col(1, N)), batchOf(a, b))).toEqual([null, '2', null, null]);
  });

  it('ZEROIFNULL replaces NULL by 0 and keeps the type, for NUMBER (both layouts) and FLOAT', () => {
    const x = vec(Types.number(6, 2), ['1.25', null, '-3.00']);
    const e = call('zeroifnull', col(0, Types.number(6, 2)));
    expect(e.type).toEqual(Types.number(6, 2));
    expect(evalRead(e, batchOf(x))).toEqual(['1.25', '0.00', '-3.00']);
    expect(evalRead(e, batchOf(asDec(x)))).toEqual(['1.25', '0.00', '-3.00']);
    expect(evalRead(call('zeroifnull', col(0, Types.float)), batchOf(vec(Types.float, [null, 2.5])))).toEqual([0, 2.5]);
    expect(evalRead(call('zeroifnull', lit(null, Types.null)), batchOf())).toEqual(['0']);
    expect(() => resolveFunction('zeroifnull', [Types.date])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });

  it('DECODE picks the first matching search, matches NULL with NULL, and defaults to the last argument or NULL', () => {
    const x = vec(N, ['1', '2', null, '3', '1']);
    const xc = col(0, N);
    const e = call('decode', xc, lit('1', N), lit('one', S), lit('2', N), lit('two', S), lit(null, Types.null), lit('none', S), lit('other', S));
    expect(e.type).toEqual(S);
    expect(evalRead(e, batchOf(x))).toEqual(['one', 'two', 'none', 'other', 'one']);
    const noDefault = call('decode', xc, lit('1', N), lit('one', S), lit('1', N), lit('again', S));
    expect(evalRead(noDefault, batchOf(x))).toEqual(['one', null, null, null, 'one']);
    // Searches and results from columns, and a numeric result type widened over every branch.
    const y = vec(Types.number(4, 2), ['9.99', '0.50', '1.00', '2.25', null]);
    const wide = call('decode', xc, col(0, N), col(1, Types.number(4, 2)), lit('7', N));
    expect(wide.type).toEqual(Types.number(5, 2));
    expect(evalRead(wide, batchOf(x, y))).toEqual(['9.99', '0.50', '1.00', '2.25', null]);
    const strings = dictVec(['b', null, 'a', 'b']);
    expect(evalRead(call('decode', col(0, S), lit('a', S), lit('1', N), lit('b', S), lit('2', N)), batchOf(strings))).toEqual(['2', null, '1', '2']);
    expect(() => resolveFunction('decode', [N, N])).toThrow(/takes at least 3 arguments/);
    expect(() => resolveFunction('decode', [N, Types.date, N])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});
