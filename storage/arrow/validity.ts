/**
 * NULL masks <-> Arrow validity bitmaps, and byte booleans <-> Arrow bit-packed booleans.
 *
 * Contract: Firn's `nulls` is a byte mask (1 = NULL, null when there is no NULL); Arrow's
 * validity bitmap is LSB-first bits (1 = valid) starting at a bit offset. Both directions
 * return null / undefined for "no NULLs" so callers keep their no-NULL fast paths. Bit-packed
 * outputs are padded to a multiple of 8 bytes, as the Arrow IPC format prefers.
 */
import type { Nulls } from '../types/vector.js';

/** Allocation size for a bitmap of `length` bits, padded to 64 bits. */
function bitmapBytes(length: number): number {
  return ((length + 63) >> 6) << 3;
}

/** Packs a byte array of 0/1 (or any non-zero = set) into LSB-first bits. */
export function packBits(bytes: Uint8Array, length: number, invert: boolean): Uint8Array {
  const out = new Uint8Array(bitmapBytes(length));
  const full = length >> 3;
  const flip = invert ? 1 : 0;
  // Hand-unrolled by 8; simple version:
  //   for (let i = 0; i < length; i++) if ((bytes[i] !== 0) !== invert) out[i >> 3] |= 1 << (i & 7);
  for (let b = 0, i = 0; b < full; b++, i += 8) {
    out[b] =
      (((bytes[i] !== 0 ? 1 : 0) ^ flip) |
        (((bytes[i + 1] !== 0 ? 1 : 0) ^ flip) << 1) |
        (((bytes[i + 2] !== 0 ? 1 : 0) ^ flip) << 2) |
        (((bytes[i + 3] !== 0 ? 1 : 0) ^ flip) << 3) |
        (((bytes[i + 4] !== 0 ? 1 : 0) ^ flip) << 4) |
        (((bytes[i + 5] !== 0 ? 1 : 0) ^ flip) << 5) |
        (((bytes[i + 6] !== 0 ? 1 : 0) ^ flip) << 6) |
        (((bytes[i + 7] !== 0 ? 1 : 0) ^ flip) << 7));
  }
  for (let i = full << 3; i < length; i++) {
    if (((bytes[i] !== 0 ? 1 : 0) ^ flip) === 1) out[i >> 3] |= 1 << (i & 7);
  }
  return out;
}

/** Unpacks `length` bits starting at bit `offset` into bytes of 0/1 (inverted when asked). */
export function unpackBits(bits: Uint8Array, offset: number, length: number, invert: boolean): Uint8Array {
  const out = new Uint8Array(length);
  const flip = invert ? 1 : 0;
  if ((offset & 7) === 0) {
    const base = offset >> 3;
    const full = length >> 3;
    // Hand-unrolled by 8 for byte-aligned bitmaps; simple version:
    //   for (let i = 0; i < length; i++) out[i] = ((bits[(offset + i) >> 3] >> ((offset + i) & 7)) & 1) ^ flip;
    for (let b = 0, i = 0; b < full; b++, i += 8) {
      const w = bits[base + b];
      out[i] = (w & 1) ^ flip;
      out[i + 1] = ((w >> 1) & 1) ^ flip;
      out[i + 2] = ((w >> 2) & 1) ^ flip;
      out[i + 3] = ((w >> 3) & 1) ^ flip;
      out[i + 4] = ((w >> 4) & 1) ^ flip;
      out[i + 5] = ((w >> 5) & 1) ^ flip;
      out[i + 6] = ((w >> 6) & 1) ^ flip;
      out[i + 7] = ((w >> 7) & 1) ^ flip;
    }
    for (let i = full << 3; i < length; i++) out[i] = ((bits[(offset + i) >> 3] >> ((offset + i) & 7)) & 1) ^ flip;
    return out;
  }
  for (let i = 0; i < length; i++) out[i] = ((bits[(offset + i) >> 3] >> ((offset + i) & 7)) & 1) ^ flip;
  return out;
}

/** Number of set bytes (NULLs) in a mask. */
export function countNulls(nulls: Nulls, length: number): number {
  if (nulls === null) return 0;
  let n = 0;
  for (let i = 0; i < length; i++) n += nulls[i] !== 0 ? 1 : 0;
  return n;
}

/**
 * Firn NULL mask -> Arrow validity bitmap plus its NULL count. The bitmap is undefined when
 * there is no NULL (a present mask of zeros included).
 */
export function nullsToValidity(nulls: Nulls, length: number): { bitmap: Uint8Array | undefined; nullCount: number } {
  const nullCount = countNulls(nulls, length);
  if (nullCount === 0 || nulls === null) return { bitmap: undefined, nullCount: 0 };
  return { bitmap: packBits(nulls, length, true), nullCount };
}

/**
 * Arrow validity (bitmap at bit `offset`, `nullCount` NULLs) -> Firn NULL mask, or null when
 * there is no NULL.
 */
export function validityToNulls(bitmap: Uint8Array | null | undefined, offset: number, length: number, nullCount: number): Nulls {
  if (nullCount === 0 || !bitmap || bitmap.length === 0) return null;
  return unpackBits(bitmap, offset, length, true);
}
