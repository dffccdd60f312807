/**
 * Hashes and identifiers: MD5 (= MD5_HEX), MD5_NUMBER_LOWER64, MD5_NUMBER_UPPER64, SHA1
 * (= SHA1_HEX), SHA2 (= SHA2_HEX), the _BINARY forms of MD5, SHA1 and SHA2, HASH and UUID_STRING.
 *
 * Why: dbt models build surrogate keys from MD5 of concatenated columns (dbt_utils'
 * generate_surrogate_key), deduplicate with HASH, and stamp rows with UUID_STRING().
 *
 * Contract:
 *  - MD5, SHA1 and SHA2(msg [, bits]) hash the UTF-8 bytes of their (text) argument and return
 *    lowercase hex; SHA2 takes 224, 256 (the default), 384 or 512 bits, anything else raises
 *    INVALID_ARGUMENT_VALUE. A NULL argument gives NULL. Strings run once per dictionary entry.
 *    A BINARY argument hashes its bytes. MD5_BINARY, SHA1_BINARY and SHA2_BINARY return the
 *    digest itself, a BINARY of 16, 20 or bits / 8 bytes.
 *  - MD5_NUMBER_LOWER64 / MD5_NUMBER_UPPER64 read the 16 bytes of MD5 as a big-endian number and
 *    return its lower / upper 64 bits as an unsigned NUMBER(20,0) (0 .. 2^64 - 1).
 *  - HASH(e1, ...) is a signed 64-bit NUMBER(19,0) and never NULL (a NULL argument hashes as
 *    NULL), as Snowflake's. Its values are Firn's own and differ from Snowflake's (whose
 *    function is not published): two 32-bit MurmurHash3-style lanes over a canonical encoding
 *    of each value (a type tag, then the value), combined in argument order. They depend on
 *    nothing but the values, so they are the same on every worker, run and machine. Numbers
 *    hash by value: NUMBER and FLOAT of the same integral value (10, 10.00, 10e0) hash alike,
 *    as Snowflake documents; the text '10' hashes differently.
 *  - UUID_STRING() is a random version-4 UUID per row (volatile: never folded to one value);
 *    UUID_STRING(namespace, name) the version-5 UUID of RFC 4122 (SHA-1 of the namespace's 16
 *    bytes and the name's UTF-8 bytes), lowercase. A namespace that is not a UUID raises
 *    INVALID_ARGUMENT_VALUE.
 */
import { createHash, randomUUID } from 'node:crypto';
import { murmurBlock, murmurFinish } from './murmur3.js';
import { CompilationError, DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import { formatDecimal } from '../../../storage/types/value-text.js';
import type { Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';
import { POW10, fromBigints, pow10n } from './decimal.js';
import { resolveShape, stringKernel } from './string.js';
import { checkArity, coerceString, type ConstArgs, type FunctionDef, type Signature } from './type-rules.js';
import { compactStrings, expectKind, materialize, strVectorFromRows, type Kernel, type Val } from './vector-kit.js';

// ---------------------------------------------------------------------------------------
// MD5, SHA1, SHA2

const SHA2_BITS: ReadonlySet<number> = new Set([224, 256, 384, 512]);

function sha2Algorithm(bits: number): string {
  if (!SHA2_BITS.has(bits)) throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid digest size ${bits} for SHA2: expected 224, 256, 384 or 512`);
  return `sha${bits}`;
}

/**
 * The digest of a message: a VARCHAR's UTF-8 bytes or a BINARY's bytes (byte strings are
 * latin1), as lower-case hex or, for the _BINARY forms, as a byte string.
 */
function digestOf(algorithm: string, input: DataType, output: 'hex' | 'binary'): (s: string) => string {
  const encoding = input.kind === 'BINARY' ? 'latin1' : 'utf8';
  if (output === 'hex') return (s) => createHash(algorithm).update(s, encoding).digest('hex');
  return (s) => createHash(algorithm).update(s, encoding).digest().toString('latin1');
}

/** MD5 / SHA1 / SHA2 and their _BINARY forms: a BINARY message stays BINARY, anything else is text. */
function resolveDigest(fn: string, output: 'hex' | 'binary', bytes: number | null) {
  return (types: readonly DataType[], consts: ConstArgs): Signature => {
    const shape = fn.startsWith('sha2') ? 'si' : 's';
    const sig = resolveShape(fn, shape, 1, Types.varchar)(types);
    let size = bytes;
    if (fn.startsWith('sha2')) {
      const bits = consts[1];
      if (bits !== undefined && bits !== null) size = Number(sha2Algorithm(Number(bits)).slice(3)) / 8;
      else size = types.length > 1 ? null : 32;
    }
    const argTypes = types[0].kind === 'BINARY' ? [types[0], ...sig.argTypes.slice(1)] : sig.argTypes;
    const returnType: DataType = output === 'hex' ? Types.varchar : size === null ? Types.binary : { kind: 'BINARY', length: size };
    return { argTypes, returnType };
  };
}

function digestKernel(algorithm: string | null, output: 'hex' | 'binary'): Kernel {
  return (args, argTypes, type, n) =>
    stringKernel('str', ([bits]) => digestOf(algorithm ?? sha2Algorithm(bits === undefined ? 256 : Number(bits)), argTypes[0], output))(args, argTypes, type, n);
}

/** MD5_NUMBER_LOWER64 (`upper` false) or _UPPER64 of each row: half the digest as an unsigned 64-bit number. */
function md5NumberKernel(upper: boolean) {
  return (args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val => {
    const v = compactStrings(expectKind(materialize(args[0], argTypes[0], n), 'str', 'MD5_NUMBER'));
    const byEntry = v.dict.map((s) => createHash('md5').update(s, 'utf8').digest().readBigUInt64BE(upper ? 0 : 8));
    const out = new Array<bigint>(n);
    for (let i = 0; i < n; i++) out[i] = byEntry[v.codes[i]];
    const t = type as Extract<DataType, { kind: 'NUMBER' }>;
    return fromBigints(out, v.nulls, t.precision, 0);
  };
}

// ---------------------------------------------------------------------------------------
// HASH: two 32-bit lanes

const SEED_HI = 0x2f1a7c3d;
const SEED_LO = 0x6b43a9b5;


/** Type tags: a value hashes with its family's tag, so 1, '1' and TRUE differ. */
const Tag = { NULL: 0x4e, NUMBER: 0x31, TEXT: 0x53, BOOLEAN: 0x42, DATE: 0x44, TIMESTAMP: 0x54, TIME: 0x48, BINARY: 0x58 } as const;
type Tag = (typeof Tag)[keyof typeof Tag];

/** Per-row hashes of one argument in two lanes. */
type Lanes = { hi: Int32Array; lo: Int32Array };

function hashWords(tag: Tag, a: number, b: number, c: number, seed: number): number {
  return murmurFinish(murmurBlock(murmurBlock(murmurBlock(murmurBlock(seed, tag), a), b), c), 16);
}

function hashText(tag: Tag, s: string, seed: number): number {
  let h = murmurBlock(seed, tag);
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = murmurBlock(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h = murmurBlock(h, s.charCodeAt(i));
  return murmurFinish(h, 4 + 2 * n);
}

/** An integral value |v| < 2^53 as two 32-bit words. */
function intLow(v: number): number {
  return (v % 4294967296) | 0;
}
function intHigh(v: number): number {
  return Math.floor(v / 4294967296) | 0;
}

const INTEGRAL_LIMIT = MAX_EXACT;

/** A non-integral (or huge) number by its shortest decimal text, trailing zeros dropped. */
function numberText(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function laneOfNumber(out: Lanes, i: number, v: number): void {
  out.hi[i] = hashWords(Tag.NUMBER, intLow(v), intHigh(v), 0, SEED_HI);
  out.lo[i] = hashWords(Tag.NUMBER, intLow(v), intHigh(v), 0, SEED_LO);
}

function laneOfText(out: Lanes, i: number, tag: Tag, s: string): void {
  out.hi[i] = hashText(tag, s, SEED_HI);
  out.lo[i] = hashText(tag, s, SEED_LO);
}

/** The lanes of every row of one argument (NULL rows hash as NULL). */
function argumentLanes(v: Vector, type: DataType, n: number): Lanes {
  const out: Lanes = { hi: new Int32Array(n), lo: new Int32Array(n) };
  const nullHi = hashWords(Tag.NULL, 0, 0, 0, SEED_HI);
  const nullLo = hashWords(Tag.NULL, 0, 0, 0, SEED_LO);
  switch (v.kind) {
    case 'str': {
      const c = compactStrings(v);
      const m = c.dict.length;
      const dictHi = new Int32Array(m);
      const dictLo = new Int32Array(m);
      // A BINARY value's bytes are not the text of the same code units: X'41' and 'A' differ.
      const tag = type.kind === 'BINARY' ? Tag.BINARY : Tag.TEXT;
      for (let e = 0; e < m; e++) {
        dictHi[e] = hashText(tag, c.dict[e], SEED_HI);
        dictLo[e] = hashText(tag, c.dict[e], SEED_LO);
      }
      for (let i = 0; i < n; i++) {
        out.hi[i] = dictHi[c.codes[i]];
        out.lo[i] = dictLo[c.codes[i]];
      }
      break;
    }
    case 'f64': {
      const x = v.values;
      if (type.kind === 'NUMBER') {
        const s = type.scale;
        const d = s <= 22 ? POW10[s] : 0;
        for (let i = 0; i < n; i++) {
          if (x[i] === 0) laneOfNumber(out, i, 0);
          else if (d !== 0 && x[i] % d === 0) laneOfNumber(out, i, x[i] / d);
          else laneOfText(out, i, Tag.NUMBER, numberText(formatDecimal(x[i], s)));
        }
      } else if (type.kind === 'FLOAT') {
        for (let i = 0; i < n; i++) {
          const f = x[i];
          if (Number.isInteger(f) && Math.abs(f) < INTEGRAL_LIMIT) laneOfNumber(out, i, f === 0 ? 0 : f);
          else laneOfText(out, i, Tag.NUMBER, Number.isInteger(f) && Number.isFinite(f) ? BigInt(f).toString() : String(f));
        }
      } else {
        // TIME: nanoseconds since midnight.
        for (let i = 0; i < n; i++) {
          out.hi[i] = hashWords(Tag.TIME, intLow(x[i]), intHigh(x[i]), 0, SEED_HI);
          out.lo[i] = hashWords(Tag.TIME, intLow(x[i]), intHigh(x[i]), 0, SEED_LO);
        }
      }
      break;
    }
    case 'dec': {
      const s = type.kind === 'NUMBER' ? type.scale : 0;
      const unit = pow10n(s);
      for (let i = 0; i < n; i++) {
        const b = v.values[i];
        const q = b / unit;
        if (b % unit === 0n && q < BigInt(INTEGRAL_LIMIT) && q > -BigInt(INTEGRAL_LIMIT)) laneOfNumber(out, i, Number(q));
        else laneOfText(out, i, Tag.NUMBER, numberText(formatDecimal(b, s)));
      }
      break;
    }
    case 'bool':
      for (let i = 0; i < n; i++) {
        out.hi[i] = hashWords(Tag.BOOLEAN, v.values[i], 0, 0, SEED_HI);
        out.lo[i] = hashWords(Tag.BOOLEAN, v.values[i], 0, 0, SEED_LO);
      }
      break;
    case 'i32':
      for (let i = 0; i < n; i++) {
        out.hi[i] = hashWords(Tag.DATE, v.values[i], 0, 0, SEED_HI);
        out.lo[i] = hashWords(Tag.DATE, v.values[i], 0, 0, SEED_LO);
      }
      break;
    case 'ts':
      for (let i = 0; i < n; i++) {
        const secs = v.secs[i];
        out.hi[i] = hashWords(Tag.TIMESTAMP, intLow(secs), intHigh(secs), v.nanos[i], SEED_HI);
        out.lo[i] = hashWords(Tag.TIMESTAMP, intLow(secs), intHigh(secs), v.nanos[i], SEED_LO);
      }
      break;
  }
  const nulls = v.nulls;
  if (nulls) {
    for (let i = 0; i < n; i++) {
      if (nulls[i]) {
        out.hi[i] = nullHi;
        out.lo[i] = nullLo;
      }
    }
  }
  return out;
}

function hashKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  let hi = new Int32Array(n).fill(SEED_HI);
  let lo = new Int32Array(n).fill(SEED_LO);
  for (let j = 0; j < args.length; j++) {
    const t = argTypes[j];
    // A NULL-typed argument is a NULL constant: all rows NULL.
    const vt = t.kind === 'NULL' ? Types.boolean : t;
    const lanes = argumentLanes(materialize(args[j], vt, n), vt, n);
    const nextHi = new Int32Array(n);
    const nextLo = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      nextHi[i] = murmurBlock(murmurBlock(hi[i], lanes.hi[i]), lanes.lo[i]);
      nextLo[i] = murmurBlock(murmurBlock(lo[i], lanes.lo[i]), lanes.hi[i]);
    }
    hi = nextHi;
    lo = nextLo;
  }
  const out = new Array<bigint>(n);
  const len = 8 * args.length;
  for (let i = 0; i < n; i++) {
    const h = murmurFinish(hi[i] ^ lo[i], len);
    const l = murmurFinish(lo[i], len + 1);
    out[i] = BigInt.asIntN(64, (BigInt(h >>> 0) << 32n) | BigInt(l >>> 0));
  }
  const t = type as Extract<DataType, { kind: 'NUMBER' }>;
  return fromBigints(out, null, t.precision, 0);
}

function resolveHash(types: readonly DataType[]): Signature {
  checkArity('hash', types, 1, Infinity);
  return { argTypes: [...types], returnType: Types.number(19, 0) };
}

// ---------------------------------------------------------------------------------------
// UUID_STRING

const UUID_TEXT = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function uuidBytes(text: string): Buffer {
  const t = text.trim();
  if (!UUID_TEXT.test(t)) throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid UUID '${clipValue(text)}' for the namespace of UUID_STRING`);
  return Buffer.from(t.replace(/-/g, ''), 'hex');
}

function formatUuid(b: Uint8Array): string {
  const h = Buffer.from(b.buffer, b.byteOffset, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** RFC 4122 version 5: SHA-1 of namespace and name, version and variant bits set. */
export function uuidV5(namespace: string, name: string): string {
  const digest = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return formatUuid(digest.subarray(0, 16));
}

const uuidV5Kernel = stringKernel('str', ([name]) => (namespace) => uuidV5(namespace, String(name)));

function uuidKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  if (args.length === 2) return uuidV5Kernel(args, argTypes, type, n);
  const rows = new Array<string>(n);
  for (let i = 0; i < n; i++) rows[i] = randomUUID();
  return strVectorFromRows(rows);
}

function resolveUuid(types: readonly DataType[]): Signature {
  if (types.length !== 0 && types.length !== 2) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: function 'UUID_STRING' takes 0 or 2 arguments, got ${types.length}`);
  }
  return { argTypes: types.map((t) => coerceString('uuid_string', types, t)), returnType: Types.varchar };
}

export const hashFunctions: FunctionDef[] = [
  { name: 'md5', aliases: ['md5_hex'], resolve: resolveDigest('md5', 'hex', null), kernel: digestKernel('md5', 'hex'), strict: true },
  { name: 'sha1', aliases: ['sha1_hex'], resolve: resolveDigest('sha1', 'hex', null), kernel: digestKernel('sha1', 'hex'), strict: true },
  { name: 'sha2', aliases: ['sha2_hex'], resolve: resolveDigest('sha2', 'hex', null), kernel: digestKernel(null, 'hex'), strict: true },
  { name: 'md5_binary', resolve: resolveDigest('md5_binary', 'binary', 16), kernel: digestKernel('md5', 'binary'), strict: true },
  { name: 'sha1_binary', resolve: resolveDigest('sha1_binary', 'binary', 20), kernel: digestKernel('sha1', 'binary'), strict: true },
  { name: 'sha2_binary', resolve: resolveDigest('sha2_binary', 'binary', null), kernel: digestKernel(null, 'binary'), strict: true },
  { name: 'md5_number_lower64', resolve: resolveShape('md5_number_lower64', 's', 1, Types.number(20, 0)), kernel: md5NumberKernel(false), strict: true },
  { name: 'md5_number_upper64', resolve: resolveShape('md5_number_upper64', 's', 1, Types.number(20, 0)), kernel: md5NumberKernel(true), strict: true },
  { name: 'hash', resolve: resolveHash, kernel: hashKernel, strict: false },
  { name: 'uuid_string', resolve: resolveUuid, kernel: uuidKernel, strict: true, volatile: true },
];
