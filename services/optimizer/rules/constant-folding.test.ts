import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { explainPlan } from '../../plan/explain-plan.js';
import { logicalPlan, testCatalog } from '../../physical/physical-test-kit.js';
import { foldConstants, MAX_FOLDED_CHARS } from '../../plan/fold-constants.js';

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

  it('bounds REPEAT and REGEXP_REPLACE like LPAD and REPLACE', () => {
    expect(foldConstants(call('repeat', V, str('ab'), int(3)))).toEqual(str('ababab'));
    expect(foldConstants(call('repeat', V, str('ab'), int(1_000_000))).kind).toBe('call');
    expect(foldConstants(call('regexp_replace', V, str('abc'), str('b'), str('x')))).toEqual(str('axc'));
    // An empty pattern matches before every character, each match replaced.
    expect(foldConstants(call('regexp_replace', V, str('a'.repeat(1000)), str(''), str('xyz'))).kind).toBe('call');
  });

  it('never folds a volatile call (UUID_STRING()), nor what contains it', () => {
    const uuid = call('uuid_string');
    expect(foldConstants(uuid)).toEqual(uuid);
    const upper = call('upper', V, uuid);
    expect(foldConstants(upper)).toEqual(upper);
    // Its deterministic two-argument form is volatile too: the whole function is.
    expect(foldConstants(call('uuid_string', V, str('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), str('x'))).kind).toBe('call');
  });

  it('keeps a large padding call in the plan that EXPLAIN LOGICAL prints, and folds a small one', () => {
    const catalog = testCatalog();
    const text = explainPlan(logicalPlan(catalog, "SELECT LPAD('x', 1000000) AS big, LPAD('y', 3) AS small"), []).join('\n');
    expect(text.length).toBeLessThan(1000);
    expect(text).toContain("lpad('x', 1000000) AS BIG");
    expect(text).toContain("'  y' AS SMALL");
  });
});
