/**
 * Scaled integers <-> little-endian two's complement 32-bit words: the layout of Arrow
 * Decimal32/64/128/256 values and of Int64/UInt64 buffers seen as words.
 *
 * Contract:
 *  - f64ToDecimal128 / decToDecimal128 write 4 words per value (Decimal128), 0 under NULL.
 *    decToDecimal128 throws DataError NUMERIC_OUT_OF_RANGE for a value outside 128 bits.
 *  - wordsToScaled reads `stride` words per value (1 = 32-bit, 2 = 64-bit, 4 = 128-bit,
 *    8 = 256-bit) and returns an 'f64' vector when every non-NULL value has |v| <= 2^53,
 *    else a 'dec' vector (bigint[]), as data-type.ts prescribes. Scale is unchanged.
 *  - decimal128ToBigInts always returns bigints (to keep a 'dec' vector 'dec').
 */
import { DataError } from '../errors/firn-error.js';
import { type DecVector, type F64Vector, type Nulls } from '../types/vector.js';

const TWO32 = 4294967296;
const HI_LIMIT = 0x200000; // 2^53 / 2^32

export function f64ToDecimal128(values: Float64Array, nulls: Nulls, length: number): Uint32Array {
  const words = new Uint32Array(length * 4);
  // v = hi * 2^32 + lo with hi = floor(v / 2^32) signed and 0 <= lo < 2^32 is exactly the
  // two's complement split of a 64-bit integer; storing hi into a Uint32Array wraps it, and
  // the upper 64 bits are the sign extension.
  if (nulls === null) {
    for (let i = 0, o = 0; i < length; i++, o += 4) {
      const v = values[i];
      const hi = Math.floor(v / TWO32);
      words[o] = v - hi * TWO32;
      words[o + 1] = hi;
      const ext = hi < 0 ? 0xffffffff : 0;
      words[o + 2] = ext;
      words[o + 3] = ext;
    }
  } else {
    for (let i = 0, o = 0; i < length; i++, o += 4) {
      if (nulls[i] !== 0) continue;
      const v = values[i];
      const hi = Math.floor(v / TWO32);
      words[o] = v - hi * TWO32;
      words[o + 1] = hi;
      const ext = hi < 0 ? 0xffffffff : 0;
      words[o + 2] = ext;
      words[o + 3] = ext;
    }
  }
  return words;
}

const MASK64 = (1n << 64n) - 1n;

export function decToDecimal128(values: readonly bigint[], nulls: Nulls, length: number): Uint32Array {
  const words = new Uint32Array(length * 4);
  const w64 = new BigUint64Array(words.buffer);
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const v = values[i];
    if (BigInt.asIntN(128, v) !== v) throw new DataError('NUMERIC_OUT_OF_RANGE', `value ${v} does not fit in a 128-bit decimal`);
    w64[i * 2] = v & MASK64;
    w64[i * 2 + 1] = (v >> 64n) & MASK64;
  }
  return words;
}

/** One value as a bigint from its words. */
function wordsToBigInt(words: Uint32Array, o: number, stride: number, signed: boolean): bigint {
  let v = 0n;
  for (let k = stride - 1; k >= 0; k--) v = (v << 32n) | BigInt(words[o + k]);
  return signed ? BigInt.asIntN(32 * stride, v) : v;
}

/** Tries the exact 'f64' form; returns null as soon as one value needs more than 53 bits. */
function wordsToF64(words: Uint32Array, length: number, stride: number, signed: boolean, nulls: Nulls): Float64Array | null {
  const out = new Float64Array(length);
  if (stride === 1) {
    for (let i = 0; i < length; i++) out[i] = signed ? words[i] | 0 : words[i];
    return out;
  }
  if (stride === 4 && signed && nulls === null) {
    // Decimal128 without NULLs, the common case: the general loop below inlined for stride 4.
    for (let i = 0, o = 0; i < length; i++, o += 4) {
      const hi = words[o + 1] | 0;
      const ext = hi < 0 ? 0xffffffff : 0;
      if (words[o + 2] !== ext || words[o + 3] !== ext || hi > HI_LIMIT || hi < -HI_LIMIT || (hi === HI_LIMIT && words[o] !== 0)) return null;
      out[i] = hi * TWO32 + words[o];
    }
    return out;
  }
  for (let i = 0, o = 0; i < length; i++, o += stride) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const lo = words[o];
    const w1 = words[o + 1];
    const hi = signed ? w1 | 0 : w1;
    const ext = hi < 0 ? 0xffffffff : 0;
    for (let k = 2; k < stride; k++) if (words[o + k] !== ext) return null;
    if (hi > HI_LIMIT || hi < -HI_LIMIT || (hi === HI_LIMIT && lo !== 0)) return null;
    out[i] = hi * TWO32 + lo;
  }
  return out;
}

export function wordsToScaled(words: Uint32Array, length: number, stride: number, signed: boolean, nulls: Nulls): F64Vector | DecVector {
  const f64 = wordsToF64(words, length, stride, signed, nulls);
  if (f64 !== null) return { kind: 'f64', length, values: f64, nulls };
  const values = new Array<bigint>(length);
  for (let i = 0, o = 0; i < length; i++, o += stride) {
    values[i] = nulls !== null && nulls[i] !== 0 ? 0n : wordsToBigInt(words, o, stride, signed);
  }
  return { kind: 'dec', length, values, nulls };
}

/** Decimal128 words -> bigint[] always (the 'dec' form kept as is, e.g. across IPC). */
export function decimal128ToBigInts(words: Uint32Array, length: number, nulls: Nulls): bigint[] {
  const values = new Array<bigint>(length);
  if ((words.byteOffset & 7) === 0) {
    const lo = new BigUint64Array(words.buffer, words.byteOffset, length * 2);
    const hi = new BigInt64Array(words.buffer, words.byteOffset, length * 2);
    for (let i = 0; i < length; i++) values[i] = nulls !== null && nulls[i] !== 0 ? 0n : (hi[i * 2 + 1] << 64n) | lo[i * 2];
    return values;
  }
  for (let i = 0; i < length; i++) values[i] = nulls !== null && nulls[i] !== 0 ? 0n : wordsToBigInt(words, i * 4, 4, true);
  return values;
}
