/**
 * Bitwise functions on integers: BITAND, BITOR, BITXOR, BITNOT, BITSHIFTLEFT and
 * BITSHIFTRIGHT (aliases BIT_SHIFTLEFT, BIT_SHIFTRIGHT).
 *
 * Why: dbt models pack and test flag columns with these.
 *
 * Contract: arguments are cast to integers (NUMBER(p,0); a FLOAT or a scaled NUMBER is
 * rounded, a string parsed) and the result is NUMBER(38,0). Values are two's-complement
 * integers of 128 bits, as Snowflake's: BITSHIFTLEFT drops bits shifted past bit 127 (and can
 * turn the sign), BITSHIFTRIGHT is arithmetic (copies the sign bit), a shift of 128 or more
 * leaves 0 (or -1 for a negative value shifted right), and a negative shift raises
 * INVALID_ARGUMENT_VALUE. A result outside NUMBER(38,0) (|x| >= 10^38, reachable only from
 * bit 126 upward) raises NUMERIC_OUT_OF_RANGE. Values that fit 32 bits (and shifts whose
 * result stays exact in a double) run on doubles; the rest on bigints. Any NULL gives NULL.
 * BINARY arguments (Snowflake's other form) are not supported: Firn has no BINARY type.
 */
import { allocF64 } from '../batch/array-pool.js';
import { DataError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_PRECISION } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';
import { fromBigints, toBigints } from './decimal.js';
import { INTEGER, checkArity, coerceInteger, type FunctionDef, type Signature } from './type-rules.js';
import { materialize, orNulls, type Val } from './vector-kit.js';

const BitOp = { AND: 'and', OR: 'or', XOR: 'xor', NOT: 'not', SHIFT_LEFT: 'shl', SHIFT_RIGHT: 'shr' } as const;
type BitOp = (typeof BitOp)[keyof typeof BitOp];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function fitsInt32(v: Vector, n: number): boolean {
  if (v.kind !== 'f64') return false;
  const x = v.values;
  for (let i = 0; i < n; i++) if (x[i] < INT32_MIN || x[i] > INT32_MAX) return false;
  return true;
}

function negativeShift(k: number): DataError {
  return new DataError('INVALID_ARGUMENT_VALUE', `Invalid shift ${k} for a bit shift: it must not be negative`);
}

function bigOp(op: BitOp, x: bigint, y: bigint): bigint {
  switch (op) {
    case BitOp.AND:
      return x & y;
    case BitOp.OR:
      return x | y;
    case BitOp.XOR:
      return x ^ y;
    case BitOp.NOT:
      return ~x;
    case BitOp.SHIFT_LEFT:
      if (y < 0n) throw negativeShift(Number(y));
      return y >= 128n ? 0n : BigInt.asIntN(128, x << y);
    case BitOp.SHIFT_RIGHT:
      if (y < 0n) throw negativeShift(Number(y));
      return x >> (y >= 128n ? 127n : y);
  }
}

/** The double result when it is exact, else undefined (the bigint path then runs). */
function fastOp(op: BitOp, x: number, y: number): number | undefined {
  switch (op) {
    case BitOp.AND:
      return x & y;
    case BitOp.OR:
      return x | y;
    case BitOp.XOR:
      return x ^ y;
    case BitOp.NOT:
      return ~x;
    case BitOp.SHIFT_LEFT: {
      if (y < 0) throw negativeShift(y);
      const r = x * 2 ** y;
      return r < MAX_EXACT && r > -MAX_EXACT ? r : undefined;
    }
    case BitOp.SHIFT_RIGHT:
      if (y < 0) throw negativeShift(y);
      return Math.floor(x / 2 ** Math.min(y, 127));
  }
}

function bitKernel(op: BitOp) {
  return (args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const a = materialize(args[0], argTypes[0], n);
    const b = args.length > 1 ? materialize(args[1], argTypes[1], n) : a;
    const nulls = orNulls(a.nulls, b.nulls, n);
    // Shifts take any double value x exactly; the others need both sides within 32 bits.
    const shift = op === BitOp.SHIFT_LEFT || op === BitOp.SHIFT_RIGHT;
    if (a.kind === 'f64' && b.kind === 'f64' && (shift || (fitsInt32(a, n) && fitsInt32(b, n)))) {
      const x = a.values;
      const y = b.values;
      const out = allocF64(n);
      let ok = true;
      for (let i = 0; i < n && ok; i++) {
        if (nulls && nulls[i]) continue;
        const r = fastOp(op, x[i], y[i]);
        if (r === undefined) ok = false;
        else out[i] = r;
      }
      if (ok) return { kind: 'f64', length: n, values: out, nulls };
    }
    const x = toBigints(a as Extract<Vector, { kind: 'f64' | 'dec' }>);
    const y = toBigints(b as Extract<Vector, { kind: 'f64' | 'dec' }>);
    const out = new Array<bigint>(n);
    for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? 0n : bigOp(op, x[i], y[i]);
    return fromBigints(out, nulls, MAX_PRECISION, 0);
  };
}

function resolveBits(fn: string, arity: number) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, arity, arity);
    return { argTypes: types.map((t) => coerceInteger(fn, types, t)), returnType: INTEGER };
  };
}

export const bitwiseFunctions: FunctionDef[] = [
  { name: 'bitand', resolve: resolveBits('bitand', 2), kernel: bitKernel(BitOp.AND), strict: true },
  { name: 'bitor', resolve: resolveBits('bitor', 2), kernel: bitKernel(BitOp.OR), strict: true },
  { name: 'bitxor', resolve: resolveBits('bitxor', 2), kernel: bitKernel(BitOp.XOR), strict: true },
  { name: 'bitnot', resolve: resolveBits('bitnot', 1), kernel: bitKernel(BitOp.NOT), strict: true },
  { name: 'bitshiftleft', aliases: ['bit_shiftleft'], resolve: resolveBits('bitshiftleft', 2), kernel: bitKernel(BitOp.SHIFT_LEFT), strict: true },
  { name: 'bitshiftright', aliases: ['bit_shiftright'], resolve: resolveBits('bitshiftright', 2), kernel: bitKernel(BitOp.SHIFT_RIGHT), strict: true },
];
