import { describe, expect, it } from 'vitest';
import type { FirnError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { batchOf, call, col, dictVec, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';
import { uuidV5 } from './hash.js';

const S = Types.varchar;
const I = Types.number(38, 0);
const F = Types.float;
const s = (v: string | null) => lit(v, v === null ? Types.null : S);
const i = (v: number) => lit(String(v), I);
const one = (e: BoundExpr) => evalRead(e, batchOf())[0];
const NULL = lit(null, Types.null);

function failure(e: BoundExpr): FirnError {
  try {
    evalRead(e, batchOf());
  } catch (err) {
    return err as FirnError;
  }
  throw new Error('expected an error');
}

describe('MD5, SHA1, SHA2', () => {
  it('hash the UTF-8 bytes to lowercase hex (RFC 1321 / FIPS 180 test vectors)', () => {
    expect(one(call('md5', s('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(one(call('md5_hex', s('')))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(one(call('sha1', s('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(one(call('sha1_hex', s('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(one(call('sha2', s('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(one(call('sha2_hex', s('abc'), i(224)))).toBe('23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7');
    expect(one(call('sha2', s('abc'), i(384)))).toBe('cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7');
    expect(one(call('sha2', s('abc'), i(512)))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
    // Non-ASCII text hashes its UTF-8 bytes; other types hash their text.
    expect(one(call('md5', s('é')))).toBe('66ddcd97cfdeabb2f6fb8a999b4bc76f');
    expect(one(call('md5', lit('12.50', Types.number(5, 2))))).toBe(one(call('md5', s('12.50'))));
  });

  it('run per dictionary entry and keep NULLs', () => {
    const v = dictVec(['a', null, 'b', 'a'], ['unused']);
    expect(evalRead(call('md5', col(0, S)), batchOf(v))).toEqual(['0cc175b9c0f1b6a831c399e269772661', null, '92eb5ffee6ae2fec3ad71c777531578f', '0cc175b9c0f1b6a831c399e269772661']);
    expect(one(call('sha2', s('abc'), NULL))).toBeNull();
  });

  it('SHA2 takes 224, 256, 384 or 512 bits; anything else is INVALID_ARGUMENT_VALUE', () => {
    const err = failure(call('sha2', s('abc'), i(100)));
    expect([err.codeName, err.code, err.sqlState]).toEqual(['INVALID_ARGUMENT_VALUE', '390206', '22023']);
    expect(() => resolveFunction('sha2', [S, I], [null, 1n])).toThrow(/Invalid digest size 1/);
    expect(resolveFunction('md5', [S]).returnType).toEqual(S);
  });
});

describe('HASH', () => {
  it('is a NUMBER(19,0), never NULL, NULL-safe', () => {
    expect(resolveFunction('hash', [S, I, Types.null]).returnType).toEqual(Types.number(19, 0));
    expect(resolveFunction('hash', [S, I, Types.null]).argTypes).toEqual([S, I, Types.null]);
    const h = one(call('hash', NULL));
    expect(h).not.toBeNull();
    expect(one(call('hash', NULL, NULL))).not.toBe(h);
    expect(one(call('hash', NULL))).toBe(h);
  });

  it('gives pinned values: the same on every run, worker and machine', () => {
    // These are Firn's values (not Snowflake's); a change here changes stored surrogate keys.
    expect(one(call('hash', i(10)))).toBe('5586219841990408106');
    expect(one(call('hash', s('10')))).toBe('-1106102826930453564');
    expect(one(call('hash', NULL))).toBe('8801821333354176596');
    expect(one(call('hash', i(1), s('a')))).toBe('-3328383325059172081');
  });

  it('hashes numbers by value: NUMBER and FLOAT of one value agree, text does not', () => {
    const ten = one(call('hash', i(10)));
    expect(one(call('hash', lit('10.00', Types.number(10, 2))))).toBe(ten);
    expect(one(call('hash', lit(10, F)))).toBe(ten);
    expect(one(call('hash', lit('10', Types.number(38, 0))))).toBe(ten);
    expect(one(call('hash', s('10')))).not.toBe(ten);
    expect(one(call('hash', lit('10.50', Types.number(10, 2))))).toBe(one(call('hash', lit(10.5, F))));
    expect(one(call('hash', lit('0', Types.number(38, 30))))).toBe(one(call('hash', i(0))));
    expect(one(call('hash', lit('123456789012345678901234567890', I)))).not.toBe(one(call('hash', lit('123456789012345678901234567891', I))));
  });

  it('depends on argument order and on every type family', () => {
    expect(one(call('hash', i(1), s('a')))).not.toBe(one(call('hash', s('a'), i(1))));
    const values = [
      one(call('hash', i(1))),
      one(call('hash', s('1'))),
      one(call('hash', lit(true, Types.boolean))),
      one(call('hash', lit('1970-01-02', Types.date))),
      one(call('hash', lit('1970-01-01 00:00:01', Types.timestampNtz))),
    ];
    expect(new Set(values).size).toBe(values.length);
  });

  it('agrees between a column and its constant, across layouts, with NULL rows', () => {
    const words = ['a', null, 'b', 'a'];
    const nums = ['7', '8', null, '7'];
    const b = batchOf(vec(S, words), vec(I, nums));
    const d = batchOf(dictVec(words, ['x']), vec(I, nums));
    const e = call('hash', col(0, S), col(1, I));
    const rows = evalRead(e, b);
    expect(evalRead(e, d)).toEqual(rows);
    expect(rows[0]).toBe(one(call('hash', s('a'), i(7))));
    expect(rows[1]).toBe(one(call('hash', NULL, i(8))));
    expect(rows[2]).toBe(one(call('hash', s('b'), NULL)));
    expect(rows[3]).toBe(rows[0]);
    // Values past 2^53 come back in the wide layout, exactly.
    expect(evaluateExpr(e, b).kind).toBe('dec');
  });
});

describe('UUID_STRING', () => {
  it('UUID_STRING() is a new random version-4 UUID on every row, never folded', () => {
    const e = call('uuid_string');
    const rows = evalRead(e, batchOf(vec(I, ['1', '2', '3', '4']))) as string[];
    for (const u of rows) expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(rows).size).toBe(4);
    expect(one(e)).not.toBe(one(e));
  });

  it('UUID_STRING(namespace, name) is the RFC 4122 version-5 UUID', () => {
    // Python's uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org'), and Snowflake's documented example.
    expect(one(call('uuid_string', s('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), s('python.org')))).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(one(call('uuid_string', s('fe971b24-9572-4005-b22f-351e9c09274d'), s('foo')))).toBe('dc0b6f65-fca6-5b4b-9d37-ccc3fde1f3e2');
    expect(uuidV5('FE971B24-9572-4005-B22F-351E9C09274D', 'foo')).toBe('dc0b6f65-fca6-5b4b-9d37-ccc3fde1f3e2');
    const names = batchOf(vec(S, ['foo', null, 'foo']));
    expect(evalRead(call('uuid_string', s('fe971b24-9572-4005-b22f-351e9c09274d'), col(0, S)), names)).toEqual([
      'dc0b6f65-fca6-5b4b-9d37-ccc3fde1f3e2',
      null,
      'dc0b6f65-fca6-5b4b-9d37-ccc3fde1f3e2',
    ]);
  });

  it('rejects a namespace that is not a UUID, and one argument', () => {
    const err = failure(call('uuid_string', s('not-a-uuid'), s('x')));
    expect([err.codeName, err.sqlState]).toEqual(['INVALID_ARGUMENT_VALUE', '22023']);
    expect(() => resolveFunction('uuid_string', [S])).toThrow(/takes 0 or 2 arguments, got 1/);
  });
});
