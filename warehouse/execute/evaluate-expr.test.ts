import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { F64Vector } from '../../storage/types/vector.js';
import type { BoundExpr } from '../fragment/bound-expr.js';
import { evaluateExpr } from './evaluate-expr.js';
import { batchOf, call, col, dictVec, evalRead, lit, read, vec } from './expr-test-kit.js';

const N = Types.number(10, 2);
const S = Types.varchar;

describe('evaluateExpr', () => {
  it('returns columns as they are and literals as full-length normal vectors', () => {
    const x = vec(N, ['1.00', null]);
    expect(evaluateExpr(col(0, N), batchOf(x))).toBe(x);
    const v = evaluateExpr(lit('2.50', N), batchOf(x));
    expect(v).toMatchObject({ kind: 'f64', length: 2, nulls: null });
    expect(read(v, N)).toEqual(['2.50', '2.50']);
    expect(read(evaluateExpr(lit(null, Types.null), batchOf(x)), Types.null)).toEqual([null, null]);
    expect(evaluateExpr(lit('abc', S), batchOf(x))).toMatchObject({ kind: 'str', length: 2, dict: ['abc'] });
  });

  it('folds constant sub-expressions once and broadcasts the result', () => {
    const e = call('multiply', call('add', lit('1.5', Types.number(2, 1)), lit('2', Types.number(1, 0))), col(0, N));
    expect(evalRead(e, batchOf(vec(N, ['2.00', null, '-1.00'])))).toEqual(['7.000', null, '-3.500']);
    const constant = call('upper', lit('abc', S));
    expect(evalRead(constant, batchOf(vec(N, ['1', '2', '3'])))).toEqual(['ABC', 'ABC', 'ABC']);
  });

  it('IS [NOT] NULL never returns NULL', () => {
    const x = vec(N, ['1.00', null]);
    const isNull = (negated: boolean, expr: BoundExpr): BoundExpr => ({ kind: 'is_null', expr, negated, type: Types.boolean });
    expect(evalRead(isNull(false, col(0, N)), batchOf(x))).toEqual([false, true]);
    expect(evalRead(isNull(true, col(0, N)), batchOf(x))).toEqual([true, false]);
    expect(evalRead(isNull(false, call('add', col(0, N), lit(null, Types.null))), batchOf(x))).toEqual([true, true]);
    expect(evalRead(isNull(true, lit('1', Types.number(1, 0))), batchOf(x))).toEqual([true, true]);
  });

  it('gives the same answers on plain and dictionary string vectors', () => {
    const words = ['b', 'a', null, 'c', 'a', 'b'];
    const exprs: BoundExpr[] = [
      call('eq', col(0, S), lit('a', S)),
      call('concat', col(0, S), lit('!', S)),
      call('length', call('upper', col(0, S))),
      { kind: 'like', expr: col(0, S), pattern: lit('%a%', S), caseInsensitive: false, negated: true, type: Types.boolean },
      { kind: 'in_list', expr: col(0, S), list: [lit('a', S), lit('c', S)], negated: false, type: Types.boolean },
      call('coalesce', col(0, S), lit('?', S)),
    ];
    for (const e of exprs) {
      const plain = evalRead(e, batchOf(vec(S, words)));
      expect(evalRead(e, batchOf(dictVec(words))), JSON.stringify(e)).toEqual(plain);
      expect(evalRead(e, batchOf(dictVec(words, ['x', 'y', 'z', 'unused']))), JSON.stringify(e)).toEqual(plain);
    }
  });

  it('evaluates nested predicates over sub-batches (CASE inside AND, gathered columns)', () => {
    const a = vec(N, ['1.00', '-2.00', '3.00', null, '0.00']);
    const b = dictVec(['x', 'y', 'x', 'y', 'x']);
    const B = Types.boolean;
    const inner: BoundExpr = {
      kind: 'case',
      whens: [{ when: call('eq', col(1, S), lit('x', S)), then: call('gt', call('divide', lit('1', Types.number(1, 0)), col(0, N)), lit('0', N)) }],
      else: lit(false, B),
      type: B,
    };
    const e: BoundExpr = { kind: 'and', args: [call('ne', col(0, N), lit('0', N)), inner], type: B };
    expect(evalRead(e, batchOf(a, b))).toEqual([true, false, true, false, false]);
  });

  it('handles empty batches without evaluating anything', () => {
    const e = call('divide', lit('1', Types.number(1, 0)), lit('0', Types.number(1, 0)));
    expect(evaluateExpr(e, { length: 0, columns: [] })).toMatchObject({ length: 0 });
  });

  it('adds 1M-row NUMBER columns on the double path', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i * 7 - 3_000_000;
      y[i] = (i % 1000) * 13;
    }
    const batch = { length: n, columns: [
      { kind: 'f64', length: n, values: x, nulls: null },
      { kind: 'f64', length: n, values: y, nulls: null },
    ] as F64Vector[] };
    const out = evaluateExpr(call('add', col(0, N), col(1, N)), batch) as F64Vector;
    expect(out.kind).toBe('f64');
    expect(out.nulls).toBeNull();
    let wrong = 0;
    for (let i = 0; i < n; i++) if (out.values[i] !== x[i] + y[i]) wrong++;
    expect(wrong).toBe(0);
  });
});
