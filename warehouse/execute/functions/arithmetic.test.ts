import { describe, expect, it } from 'vitest';
import { DataError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { asDec, batchOf, call, castTo, col, evalRead, lit, read, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const N10_2 = Types.number(10, 2);
const N38_0 = Types.number(38, 0);
const N1_0 = Types.number(1, 0);

describe('NUMBER arithmetic typing (Snowflake scale and precision rules)', () => {
  it('adds: scale max(s1,s2), leading digits max(l1,l2)+1', () => {
    expect(resolveFunction('add', [Types.number(10, 2), Types.number(5, 4)]).returnType).toEqual(Types.number(13, 4));
    expect(resolveFunction('subtract', [Types.number(38, 0), Types.number(38, 2)]).returnType).toEqual(Types.number(38, 2));
  });
  it('multiplies: scale min(s1+s2, max(s1,s2,12)), leading digits l1+l2', () => {
    expect(resolveFunction('multiply', [Types.number(4, 2), Types.number(2, 1)]).returnType).toEqual(Types.number(6, 3));
    expect(resolveFunction('multiply', [Types.number(20, 10), Types.number(20, 10)]).returnType).toEqual(Types.number(32, 12));
  });
  it('divides: scale max(s1, min(s1+6, 12)), leading digits l1+s2', () => {
    expect(resolveFunction('divide', [N1_0, N1_0]).returnType).toEqual(Types.number(7, 6));
    expect(resolveFunction('divide', [Types.number(10, 2), Types.number(5, 3)]).returnType).toEqual(Types.number(19, 8));
    expect(resolveFunction('divide', [Types.number(20, 14), N1_0]).returnType).toEqual(Types.number(20, 14));
  });
  it('mixes NUMBER and FLOAT as FLOAT and rejects non-numbers', () => {
    expect(resolveFunction('add', [N10_2, Types.float])).toEqual({ fn: 'add', argTypes: [Types.float, Types.float], returnType: Types.float });
    expect(() => resolveFunction('add', [Types.boolean, N1_0])).toThrow(/invalid argument types for function 'ADD': \(BOOLEAN, NUMBER\(1,0\)\)/);
    expect(() => resolveFunction('multiply', [Types.date, N1_0])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});

describe('exact NUMBER arithmetic', () => {
  const a = vec(Types.number(2, 1), ['0.1', '-0.5', null, '9.9']);
  const b = vec(Types.number(2, 1), ['0.2', '0.5', '1.0', null]);

  it('0.1 + 0.2 = 0.3 exactly, NULL in -> NULL out', () => {
    expect(evalRead(call('add', col(0, Types.number(2, 1)), col(1, Types.number(2, 1))), batchOf(a, b))).toEqual([
      '0.3',
      '0.0',
      null,
      null,
    ]);
  });

  it('adds across scales by rescaling exactly', () => {
    const x = vec(Types.number(4, 2), ['1.25', '-3.10']);
    const y = vec(Types.number(5, 0), ['7', '-2']);
    const e = call('add', col(0, Types.number(4, 2)), col(1, Types.number(5, 0)));
    expect(e.type).toEqual(Types.number(8, 2));
    expect(evalRead(e, batchOf(x, y))).toEqual(['8.25', '-5.10']);
    expect(evalRead(call('subtract', col(1, Types.number(5, 0)), col(0, Types.number(4, 2))), batchOf(x, y))).toEqual(['5.75', '1.10']);
  });

  it('adds a constant on the scalar path and from the left', () => {
    const x = vec(N10_2, ['1.00', '2.50', null]);
    expect(evalRead(call('add', col(0, N10_2), lit('0.05', Types.number(3, 2))), batchOf(x))).toEqual(['1.05', '2.55', null]);
    expect(evalRead(call('subtract', lit('10', Types.number(2, 0)), col(0, N10_2)), batchOf(x))).toEqual(['9.00', '7.50', null]);
  });

  it('falls back to bigints past 2^53 and back to doubles when results fit', () => {
    const big = vec(N38_0, [2n ** 53n, -(2n ** 53n), 5n]);
    const one = vec(N38_0, [1n, -1n, 1n]);
    const sum = evaluateExpr(call('add', col(0, N38_0), col(1, N38_0)), batchOf(big, one));
    expect(sum.kind).toBe('dec');
    expect(read(sum, Types.number(38, 0))).toEqual(['9007199254740993', '-9007199254740993', '6']);
    const diff = evaluateExpr(call('subtract', col(0, N38_0), col(0, N38_0)), batchOf(asDec(big)));
    expect(diff.kind).toBe('f64');
    expect(read(diff, Types.number(38, 0))).toEqual(['0', '0', '0']);
  });

  it('multiplies exactly and rounds half away from zero at the result scale', () => {
    const t = Types.number(20, 10);
    // scale 10 * scale 10 -> scale 12: drop 8 digits, rounding half away from zero.
    const x = vec(t, ['0.0000000005', '-0.0000000005', '1.5', '0.0000001']);
    const y = vec(t, ['0.0050000000', '0.0050000000', '-2', '0.00000015']);
    const e = call('multiply', col(0, t), col(1, t));
    expect(e.type).toEqual(Types.number(32, 12));
    expect(evalRead(e, batchOf(x, y))).toEqual(['0.000000000003', '-0.000000000003', '-3.000000000000', '0.000000000000']);
    expect(evalRead(call('multiply', col(0, Types.number(4, 2)), lit('1.1', Types.number(2, 1))), batchOf(vec(Types.number(4, 2), ['10.01'])))).toEqual(['11.011']);
  });

  it('multiplies beyond 2^53 on the bigint path', () => {
    const x = vec(N38_0, ['123456789012', '-99999999999']);
    const y = vec(N38_0, ['1000000000000', '99999999999']);
    const v = evaluateExpr(call('multiply', col(0, N38_0), col(1, N38_0)), batchOf(x, y));
    expect(v.kind).toBe('dec');
    expect(read(v, N38_0)).toEqual(['123456789012000000000000', '-9999999999800000000001']);
  });

  it('divides at the result scale: 1/2 = 0.500000, 10/3 = 3.333333, -2/3 rounds away from zero', () => {
    const x = vec(N1_0, ['1', '1', '-2', '2']);
    const y = vec(N1_0, ['2', '3', '3', '-3']);
    const e = call('divide', col(0, N1_0), col(1, N1_0));
    expect(evalRead(e, batchOf(x, y))).toEqual(['0.500000', '0.333333', '-0.666667', '-0.666667']);
    expect(evalRead(call('divide', lit('10', Types.number(2, 0)), lit('3', N1_0)), batchOf())).toEqual(['3.333333']);
    const d = vec(Types.number(3, 2), ['0.10', '0.30']);
    expect(evalRead(call('divide', col(0, Types.number(3, 2)), lit('3', N1_0)), batchOf(d))).toEqual(['0.03333333', '0.10000000']);
  });

  it('divides half-way cases away from zero', () => {
    const x = vec(N1_0, ['1', '-1']);
    const y = vec(Types.number(8, 0), ['16000000', '16000000']);
    // 1 / 16000000 = 0.0000000625 -> 0.000000 at scale 6
    expect(evalRead(call('divide', col(0, N1_0), col(1, Types.number(8, 0))), batchOf(x, y))).toEqual(['0.000000', '0.000000']);
    const h = vec(Types.number(2, 0), ['1', '-1', '3']);
    const twoMillion = vec(Types.number(7, 0), ['2000000', '2000000', '2000000']);
    // 1 / 2000000 = 0.0000005 is exactly half a unit of the 6th decimal: rounds away from zero
    expect(evalRead(call('divide', col(0, Types.number(2, 0)), col(1, Types.number(7, 0))), batchOf(h, twoMillion))).toEqual(['0.000001', '-0.000001', '0.000002']);
  });

  it('divides big values exactly on the bigint path', () => {
    const x = vec(N38_0, ['100000000000000000000', '7']);
    const v = evaluateExpr(call('divide', col(0, N38_0), lit('3', N1_0)), batchOf(x));
    expect(read(v, Types.number(38, 6))).toEqual(['33333333333333333333.333333', '2.333333']);
  });

  it('raises DIVISION_BY_ZERO only for non-NULL rows', () => {
    const x = vec(N1_0, ['1', null, '3']);
    const y = vec(N1_0, ['1', '0', '0']);
    expect(() => evaluateExpr(call('divide', col(0, N1_0), col(1, N1_0)), batchOf(x, y))).toThrow(DataError);
    const nullRow = batchOf(vec(N1_0, ['1', null]), vec(N1_0, ['1', '0']));
    expect(evalRead(call('divide', col(0, N1_0), col(1, N1_0)), nullRow)).toEqual(['1.000000', null]);
    expect(evalRead(call('divide', col(0, N1_0), lit('0', N1_0)), batchOf(vec(N1_0, [null, null])))).toEqual([null, null]);
    try {
      evaluateExpr(call('modulo', col(0, N1_0), lit('0', N1_0)), batchOf(vec(N1_0, ['5'])));
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ codeName: 'DIVISION_BY_ZERO', message: 'Division by zero' });
    }
    expect(() => evaluateExpr(call('divide', col(0, Types.float), lit(0, Types.float)), batchOf(vec(Types.float, [1])))).toThrow(/Division by zero/);
  });

  it('raises NUMERIC_OUT_OF_RANGE beyond NUMBER(38)', () => {
    const huge = vec(N38_0, ['99999999999999999999999999999999999999']);
    expect(() => evaluateExpr(call('add', col(0, N38_0), col(0, N38_0)), batchOf(huge))).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
    expect(() => evaluateExpr(call('multiply', col(0, N38_0), col(0, N38_0)), batchOf(huge))).toThrow(/out of representable range/);
  });

  it('computes modulo with the sign of the dividend, across scales', () => {
    const x = vec(Types.number(3, 1), ['7.5', '-7.5', null]);
    const y = vec(N1_0, ['2', '2', '2']);
    const e = call('modulo', col(0, Types.number(3, 1)), col(1, N1_0));
    expect(e.type).toEqual(Types.number(2, 1));
    expect(evalRead(e, batchOf(x, y))).toEqual(['1.5', '-1.5', null]);
    expect(evalRead(call('mod', col(0, Types.number(3, 1)), col(1, N1_0)), batchOf(asDec(x), y))).toEqual(['1.5', '-1.5', null]);
  });

  it('negates and takes ABS on both layouts', () => {
    const x = vec(N10_2, ['1.50', '-2.25', null]);
    expect(evalRead(call('negate', col(0, N10_2)), batchOf(x))).toEqual(['-1.50', '2.25', null]);
    expect(evalRead(call('abs', col(0, N10_2)), batchOf(x))).toEqual(['1.50', '2.25', null]);
    expect(evalRead(call('abs', col(0, N10_2)), batchOf(asDec(x)))).toEqual(['1.50', '2.25', null]);
  });
});

describe('FLOAT arithmetic', () => {
  it('uses IEEE doubles and mixes with NUMBER through FLOAT', () => {
    const f = vec(Types.float, [0.5, -1, null]);
    const n = vec(N10_2, ['1.25', '2.00', '3.00']);
    expect(evalRead(call('add', col(0, Types.float), col(1, N10_2)), batchOf(f, n))).toEqual([1.75, 1, null]);
    expect(evalRead(call('multiply', col(0, Types.float), lit(4, Types.float)), batchOf(f))).toEqual([2, -4, null]);
    expect(evalRead(call('divide', lit(1, Types.float), col(0, Types.float)), batchOf(f))).toEqual([2, -1, null]);
    expect(evalRead(call('power', col(0, Types.float), lit('2', N1_0)), batchOf(f))).toEqual([0.25, 1, null]);
    expect(evalRead(call('sqrt', lit('16', Types.number(2, 0))), batchOf())).toEqual([4]);
    expect(evalRead(call('ln', lit(1, Types.float)), batchOf())).toEqual([0]);
  });
});

describe('ROUND / FLOOR / CEIL', () => {
  const t = Types.number(6, 3);
  const x = vec(t, ['2.345', '-2.345', '2.344', '-0.001', null]);

  it('ROUND rounds half away from zero and narrows the scale when the digits are literal', () => {
    const r = resolveFunction('round', [t, N1_0], [undefined, 2n]);
    expect(r.returnType).toEqual(Types.number(6, 2));
    const e: BoundExpr = { kind: 'call', fn: 'round', args: [col(0, t), lit('2', N1_0)], type: r.returnType };
    expect(evalRead(e, batchOf(x))).toEqual(['2.35', '-2.35', '2.34', '0.00', null]);
    expect(evalRead(call('round', col(0, t)), batchOf(x))).toEqual(['2', '-2', '2', '0', null]);
    expect(evalRead(call('round', col(0, t), lit('2', N1_0)), batchOf(asDec(x)))).toEqual(['2.350', '-2.350', '2.340', '0.000', null]);
  });

  it('ROUND to negative digits and FLOOR/CEIL toward -inf/+inf', () => {
    const y = vec(Types.number(5, 0), ['1250', '-1250', '1249']);
    expect(evalRead(call('round', col(0, Types.number(5, 0)), lit('-2', Types.number(1, 0))), batchOf(y))).toEqual(['1300', '-1300', '1200']);
    expect(evalRead(call('floor', col(0, t)), batchOf(x))).toEqual(['2', '-3', '2', '-1', null]);
    expect(evalRead(call('ceil', col(0, t)), batchOf(x))).toEqual(['3', '-2', '3', '0', null]);
    const f = vec(Types.float, [2.5, -2.5, 1.25]);
    expect(evalRead(call('round', col(0, Types.float)), batchOf(f))).toEqual([3, -3, 1]);
    expect(evalRead(call('floor', col(0, Types.float), lit('1', N1_0)), batchOf(f))).toEqual([2.5, -2.5, 1.2]);
  });

  it('answers digits far below any NUMBER at once, without computing 10^-digits', () => {
    const y = vec(Types.number(5, 0), ['1250', '-1250', '0']);
    const huge = lit('-2000000000', Types.number(10, 0));
    expect(evalRead(call('round', col(0, Types.number(5, 0)), huge), batchOf(y))).toEqual(['0', '0', '0']);
    expect(evalRead(call('trunc', col(0, Types.number(5, 0)), huge), batchOf(y))).toEqual(['0', '0', '0']);
    expect(evalRead(call('floor', col(0, Types.number(5, 0)), huge), batchOf(vec(Types.number(5, 0), ['1250', '0'])))).toEqual(['0', '0']);
    expect(() => evalRead(call('floor', col(0, Types.number(5, 0)), huge), batchOf(y))).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
    expect(() => evalRead(call('ceil', col(0, Types.number(5, 0)), huge), batchOf(y))).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
    expect(evalRead(call('round', col(0, t), col(1, Types.number(10, 0))), batchOf(x, vec(Types.number(10, 0), ['-300000000', '-41', '-40', '1', null])))).toEqual(['0.000', '0.000', '0.000', '0.000', null]);
  });

  it('takes per-row digits', () => {
    const d = vec(N1_0, ['0', '1', '2', '3', '1']);
    expect(evalRead(call('round', col(0, t), col(1, N1_0)), batchOf(x, d))).toEqual(['2.000', '-2.300', '2.340', '-0.001', null]);
  });
});

describe('DATE arithmetic', () => {
  it('adds and subtracts days and subtracts dates', () => {
    const d = vec(Types.date, ['2024-02-28', '2024-12-31', null]);
    expect(evalRead(call('add', col(0, Types.date), lit('2', N1_0)), batchOf(d))).toEqual(['2024-03-01', '2025-01-02', null]);
    expect(evalRead(call('subtract', col(0, Types.date), lit('1', N1_0)), batchOf(d))).toEqual(['2024-02-27', '2024-12-30', null]);
    const e = call('subtract', col(0, Types.date), lit('2024-01-01', Types.date));
    expect(e.type).toEqual(N38_0);
    expect(evalRead(e, batchOf(d))).toEqual(['58', '365', null]);
  });
});

/** A call bound with its literal arguments' values, as the binder binds it. */
function bindCall(name: string, ...args: BoundExpr[]): BoundExpr {
  const r = resolveFunction(name, args.map((a) => a.type), args.map((a) => (a.kind === 'literal' ? a.value : undefined)));
  return { kind: 'call', fn: r.fn, args: args.map((a, i) => castTo(a, r.argTypes[i])), type: r.returnType };
}

describe('TRUNC / TRUNCATE', () => {
  const t = Types.number(8, 3);
  const x = vec(t, ['1.999', '-1.999', '0.500', '-0.001', '1234.567', null]);

  it('truncates NUMBERs toward zero at a literal scale (typed like ROUND), on both layouts', () => {
    const e0 = bindCall('trunc', col(0, t));
    expect(e0.type).toEqual(Types.number(6, 0));
    expect(evalRead(e0, batchOf(x))).toEqual(['1', '-1', '0', '0', '1234', null]);
    const e2 = bindCall('truncate', col(0, t), lit('2', N1_0));
    expect(e2.type).toEqual(Types.number(8, 2));
    expect(evalRead(e2, batchOf(x))).toEqual(['1.99', '-1.99', '0.50', '0.00', '1234.56', null]);
    expect(evalRead(e2, batchOf(asDec(x)))).toEqual(['1.99', '-1.99', '0.50', '0.00', '1234.56', null]);
    expect(evalRead(bindCall('trunc', col(0, t), lit('-2', N1_0)), batchOf(x))).toEqual(['0', '0', '0', '0', '1200', null]);
    expect(evalRead(bindCall('trunc', col(0, t), lit(null, Types.null)), batchOf(x))).toEqual([null, null, null, null, null, null]);
  });

  it('truncates FLOATs and per-row scales', () => {
    const f = vec(Types.float, [2.75, -2.75, null]);
    expect(evalRead(bindCall('trunc', col(0, Types.float)), batchOf(f))).toEqual([2, -2, null]);
    expect(evalRead(bindCall('trunc', col(0, Types.float), lit('1', N1_0)), batchOf(f))).toEqual([2.7, -2.7, null]);
    const d = vec(N1_0, ['1', '0', '2', null, '2', '1']);
    expect(evalRead(call('trunc', col(0, t), col(1, N1_0)), batchOf(x, d))).toEqual(['1.900', '-1.000', '0.500', null, '1234.560', null]);
  });

  it("truncates DATEs and TIMESTAMPs to a part: TRUNC(d, 'MONTH') = DATE_TRUNC('MONTH', d)", () => {
    const d = vec(Types.date, ['2024-02-29', '1999-12-31', null]);
    const e = bindCall('trunc', col(0, Types.date), lit('month', Types.varchar));
    expect(e.type).toEqual(Types.date);
    expect(evalRead(e, batchOf(d))).toEqual(['2024-02-01', '1999-12-01', null]);
    expect(evalRead(bindCall('trunc', col(0, Types.date), lit('YEAR', Types.varchar)), batchOf(d))).toEqual(['2024-01-01', '1999-01-01', null]);
    const ts = vec(Types.timestampNtz, ['2024-02-29 13:45:59.250', null]);
    expect(evalRead(bindCall('trunc', col(0, Types.timestampNtz), lit('hour', Types.varchar)), batchOf(ts))).toEqual(['2024-02-29 13:00:00.000', null]);
    expect(() => bindCall('trunc', col(0, Types.date), lit('fortnight', Types.varchar))).toThrow(/invalid date or time part 'fortnight'/);
  });
});
