/**
 * The hash side of HyperLogLog: every value of a vector becomes a 64-bit hash (two 32-bit
 * words, hi and lo). hll-register-file.ts reads a register index from its top bits and a
 * rank (1 + the number of leading zeros of the bits after the index) from the rest.
 *
 * Contract: equal values hash equally however they are laid out: a NUMBER in an 'f64' and in
 * a 'dec' vector, 0 and -0, every NaN, a string under any dictionary. Numbers (and DATE,
 * BOOLEAN, TIMESTAMP) hash the 8 bytes of their double; strings hash their UTF-16 code
 * units, once per dictionary entry. The 64 bits are two MurmurHash3 (x86, 32-bit) digests of
 * the same key under different seeds. Rows under NULL get meaningless hashes: callers skip them.
 */
import type { Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';
import { compactStrings } from '../functions/vector-kit.js';
import { murmurBlock, murmurFinish } from '../functions/murmur3.js';

const SEED_HI = 0x2545f491;
const SEED_LO = 0x9e3779b9;

function hashString(s: string, seed: number): number {
  let h = seed;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = murmurBlock(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h = murmurBlock(h, s.charCodeAt(i));
  return (murmurFinish(h, n * 2) >>> 0);
}

/** Hashes a double's 8 bytes (little-endian words a, b) into row i. */
function hashWords(a: number, b: number, i: number, hi: Uint32Array, lo: Uint32Array): void {
  hi[i] = murmurFinish(murmurBlock(murmurBlock(SEED_HI, a), b), 8) >>> 0;
  lo[i] = murmurFinish(murmurBlock(murmurBlock(SEED_LO, a), b), 8) >>> 0;
}

function hashText(text: string, i: number, hi: Uint32Array, lo: Uint32Array): void {
  hi[i] = hashString(text, SEED_HI);
  lo[i] = hashString(text, SEED_LO);
}

const one = new Float64Array(1);
const oneWords = new Uint32Array(one.buffer);

/**
 * Writes the 64-bit hash of rows 0..n-1 of `v` into `hi` / `lo`. Rows under NULL get
 * unspecified values.
 */
export function hllHashVector(v: Vector, n: number, hi: Uint32Array, lo: Uint32Array): void {
  if (v.kind === 'str') return hashStrings(v, n, hi, lo);
  if (v.kind === 'dec') {
    // The wide NUMBER layout (rare): values within 2^53 hash as the equal double would.
    const big = BigInt(MAX_EXACT);
    for (let i = 0; i < n; i++) {
      const x = v.values[i];
      if (x > big || x < -big) {
        hashText(x.toString(), i, hi, lo);
      } else {
        one[0] = Number(x) + 0;
        hashWords(oneWords[0], oneWords[1], i, hi, lo);
      }
    }
    return;
  }
  if (v.kind === 'ts') {
    // TIMESTAMP_NTZ: the seconds' double with the nanoseconds mixed into both words.
    for (let i = 0; i < n; i++) {
      one[0] = v.secs[i] + 0;
      const ns = v.nanos[i];
      hashWords(oneWords[0] ^ Math.imul(ns, 0x9e3779b1), oneWords[1] ^ ns, i, hi, lo);
    }
    return;
  }
  // Every other layout goes through doubles; -0 becomes 0 and every NaN the same NaN.
  const doubles = new Float64Array(n);
  const x = v.values;
  for (let i = 0; i < n; i++) {
    const d = x[i];
    doubles[i] = d !== d ? NaN : d + 0;
  }
  const words = new Uint32Array(doubles.buffer, 0, 2 * n);
  for (let i = 0; i < n; i++) hashWords(words[2 * i], words[2 * i + 1], i, hi, lo);
}

/** Strings: hash each dictionary entry once, then map the rows through their codes. */
function hashStrings(input: Extract<Vector, { kind: 'str' }>, n: number, hi: Uint32Array, lo: Uint32Array): void {
  const v = compactStrings(input);
  const m = v.dict.length;
  const entryHi = new Uint32Array(m);
  const entryLo = new Uint32Array(m);
  for (let e = 0; e < m; e++) hashText(v.dict[e], e, entryHi, entryLo);
  const codes = v.codes;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    hi[i] = entryHi[c];
    lo[i] = entryLo[c];
  }
}
