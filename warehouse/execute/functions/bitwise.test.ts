import { describe, expect, it } from 'vitest';
import type { FirnError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { asDec, batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const I = Types.number(38, 0);
const i = (v: number | string) => lit(String(v), I);
const one = (e: BoundExpr) => evalRead(e, batchOf())[0];

function failure(e: BoundExpr): FirnError {
  try {
    one(e);
  } catch (err) {
    return err as FirnError;
  }
  throw new Error('expected an error');
}

describe('BITAND, BITOR, BITXOR, BITNOT', () => {
  const b = batchOf(vec(I, ['12', '-1', null, '4294967296', '5']), vec(I, ['10', '255', '1', '4294967297', null]));
  const x = col(0, I);
  const y = col(1, I);

  it('operate on two-s complement integers, with NULLs, on both layouts', () => {
    expect(evalRead(call('bitand', x, y), b)).toEqual(['8', '255', null, '4294967296', null]);
    expect(evalRead(call('bitor', x, y), b)).toEqual(['14', '-1', null, '4294967297', null]);
    expect(evalRead(call('bitxor', x, y), b)).toEqual(['6', '-256', null, '1', null]);
    expect(evalRead(call('bitnot', x), b)).toEqual(['-13', '0', null, '-4294967297', '-6']);
    const wide = batchOf(asDec(vec(I, ['12', '-1'])), asDec(vec(I, ['10', '255'])));
    expect(evalRead(call('bitand', x, y), wide)).toEqual(['8', '255']);
  });

  it('handle values past 2^53 exactly', () => {
    expect(one(call('bitand', i('12345678901234567890123'), i(-1)))).toBe('12345678901234567890123');
    expect(one(call('bitxor', i('9007199254740993'), i(1)))).toBe('9007199254740992');
    expect(one(call('bitnot', i('-9007199254740993')))).toBe('9007199254740992');
  });

  it('cast their arguments to integers and return NUMBER(38,0)', () => {
    expect(resolveFunction('bitand', [Types.number(10, 2), Types.float]).argTypes).toEqual([I, I]);
    expect(resolveFunction('bitor', [I, I]).returnType).toEqual(I);
    expect(one(call('bitand', lit('12.6', Types.number(5, 1)), i(255)))).toBe('13');
    expect(() => resolveFunction('bitnot', [Types.date])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});

describe('BITSHIFTLEFT, BITSHIFTRIGHT', () => {
  it('shift within 128 bits, arithmetically to the right', () => {
    expect(one(call('bitshiftleft', i(1), i(10)))).toBe('1024');
    expect(one(call('bit_shiftleft', i(-3), i(2)))).toBe('-12');
    expect(one(call('bitshiftleft', i(1), i(62)))).toBe('4611686018427387904');
    expect(one(call('bitshiftleft', i(1), i(126)))).toBe('85070591730234615865843651857942052864');
    expect(one(call('bitshiftleft', i(5), i(128)))).toBe('0');
    expect(one(call('bitshiftright', i(1024), i(3)))).toBe('128');
    expect(one(call('bit_shiftright', i(-8), i(1)))).toBe('-4');
    expect(one(call('bitshiftright', i(-7), i(1)))).toBe('-4');
    expect(one(call('bitshiftright', i(-8), i(200)))).toBe('-1');
    expect(one(call('bitshiftright', i('170141183460469231731687303715884105'), i(100)))).toBe('134217');
    const b = batchOf(vec(I, ['1', '3', null]), vec(I, ['60', '1', '2']));
    expect(evalRead(call('bitshiftleft', col(0, I), col(1, I)), b)).toEqual(['1152921504606846976', '6', null]);
  });

  it('raise on a negative shift, and past NUMBER(38,0)', () => {
    const err = failure(call('bitshiftleft', i(1), i(-1)));
    expect([err.codeName, err.sqlState]).toEqual(['INVALID_ARGUMENT_VALUE', '22023']);
    expect(failure(call('bitshiftright', i(1), i(-1))).codeName).toBe('INVALID_ARGUMENT_VALUE');
    // Bit 127 turns the sign: -2^127 does not fit NUMBER(38,0).
    expect(failure(call('bitshiftleft', i(1), i(127))).codeName).toBe('NUMERIC_OUT_OF_RANGE');
  });
});
