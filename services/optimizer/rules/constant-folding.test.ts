import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { explainPlan } from '../../plan/explain-plan.js';
import { logicalPlan, testCatalog } from '../../physical/physical-test-kit.js';
import { foldConstants, MAX_FOLDED_CHARS } from './constant-folding.js';

const V = Types.varchar;
const I = Types.number(38, 0);
const str = (value: string): BoundExpr => ({ kind: 'literal', value, type: V });
const int = (value: number): BoundExpr => ({ kind: 'literal', value: BigInt(value), type: I });
const call = (fn: string, type = V, ...args: BoundExpr[]): BoundExpr => ({ kind: 'call', fn, args, type });

describe('constant_folding', () => {
  it('folds small constant expressions to literals', () => {
    expect(foldConstants(call('lpad', V, str('x'), int(5)))).toEqual(str('    x'));
    expect(foldConstants(call('replace', V, str('abc'), str('b'), str('xyz')))).toEqual(str('axyzc'));
    expect(foldConstants(call('length', I, call('rpad', V, str('ab'), int(MAX_FOLDED_CHARS), str('-'))))).toEqual({ kind: 'literal', value: BigInt(MAX_FOLDED_CHARS), type: I });
  });

  it('leaves padding past the bound to the workers, and everything that contains it', () => {
    // (Kinds, not whole values: a failing comparison would print a million characters.)
    const big = call('lpad', V, str('x'), int(1_000_000));
    expect(foldConstants(big).kind).toBe('call');
    const around = call('length', I, call('rpad', V, str('ab'), int(MAX_FOLDED_CHARS + 1), str('-')));
    expect(foldConstants(around).kind).toBe('call');
    expect(JSON.stringify(foldConstants(around), (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(JSON.stringify(around, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  });

  it('leaves a REPLACE that can grow past the bound', () => {
    const grow = call('replace', V, str('a'.repeat(1000)), str('a'), str('b'.repeat(100)));
    expect(foldConstants(grow).kind).toBe('call');
  });

  it('keeps a large padding call in the plan that EXPLAIN LOGICAL prints, and folds a small one', () => {
    const catalog = testCatalog();
    const text = explainPlan(logicalPlan(catalog, "SELECT LPAD('x', 1000000) AS big, LPAD('y', 3) AS small"), []).join('\n');
    expect(text.length).toBeLessThan(1000);
    expect(text).toContain("lpad('x', 1000000) AS BIG");
    expect(text).toContain("'  y' AS SMALL");
  });
});
