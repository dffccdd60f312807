/**
 * Firn vectors <-> Apache Arrow data, by logical type: the mapping used for Parquet
 * micro-partitions and for loading Parquet files written elsewhere (COPY INTO).
 *
 * Contract (Firn type <-> Arrow type written / accepted on read):
 *   BOOLEAN        <-> Bool
 *   NUMBER(p,s)    <-> Decimal128(p,s); read also Decimal32/64/256 of any precision/scale,
 *                      Int8..Int64, UInt8..UInt64 and floats (rescaled, rounded half away
 *                      from zero, range-checked against p: DataError NUMERIC_OUT_OF_RANGE)
 *   FLOAT          <-> Float64; read also Float16/32, integers and decimals
 *   VARCHAR        <-> Dictionary<Utf8, Int32> (vectorToArrowData: our codes as they are, the
 *                      dict encoded once) or plain Utf8 (strToUtf8Data); read also LargeUtf8,
 *                      Utf8View and dictionaries of them (plain strings are de-duplicated into
 *                      a dict); values longer than VARCHAR(n) -> DataError STRING_TOO_LONG
 *   DATE           <-> Date32 (DateDay); read also Date64 and timestamps (floored to the day)
 *   TIMESTAMP_NTZ  <-> Timestamp(MICROSECOND, no tz) when every value is a whole microsecond
 *                      (int64 microseconds are exact for years 0001..9999), else
 *                      Decimal128(38, 9): epoch seconds with 9 fraction digits, i.e. exact
 *                      nanoseconds (Arrow's Timestamp(NANOSECOND) spans only 1677..2262). Read
 *                      also s/ms/ns units, any tz (the UTC value is kept), dates and decimals
 *                      of scale 0..9 (epoch seconds); sub-second digits past 9 are dropped
 *   TIMESTAMP_LTZ  <-> as TIMESTAMP_NTZ, holding the UTC instant
 *   TIMESTAMP_TZ   <-> Decimal128(38, 0) of instantNanos * 10^4 + (offsetMinutes + 1440): the
 *                      instant and the value's own offset in one exact integer (the last four
 *                      digits are Snowflake's tzIndex), so a TZ column stays one Parquet column
 *   TIME(p)        <-> Time64(NANOSECOND) (int64 nanoseconds since midnight); read also
 *                      Time32/Time64 of any unit, cut to p fraction digits
 *   BINARY(n)      <-> Binary (each row's bytes, from the byte strings of data-type.ts); read also
 *                      LargeBinary and FixedSizeBinary; values longer than n bytes -> DataError
 *                      STRING_TOO_LONG
 *   NULL           <-> Null
 * NUMBER reads produce 'f64' when every value fits in 2^53, else 'dec'. Any other pairing is a
 * LoadError TYPE_MISMATCH naming the column (`what`). Writing a vector whose kind does not
 * match its type is an InternalError.
 */
import {
  Binary,
  Bool,
  Data,
  DataType as ArrowType,
  DateDay,
  DateUnit,
  Decimal,
  Dictionary,
  Float64,
  Int32,
  makeData,
  makeVector,
  Null,
  Precision,
  TimestampMicrosecond,
  TimeNanosecond,
  TimeUnit,
  Utf8,
  Vector as ArrowVector,
  type Timestamp,
} from 'apache-arrow';
import { DataError, InternalError, LoadError } from '../errors/firn-error.js';
import { MAX_BINARY_LENGTH, MAX_PRECISION, MAX_VARCHAR_LENGTH, timestampPrecision, typeToSql, type DataType } from '../types/data-type.js';
import { truncateTs } from '../types/truncate-ts.js';
import { MAX_EXACT, NANOS_PER_SECOND, type DecVector, type F64Vector, type Nulls, type StrVector, type TsVector, type Vector } from '../types/vector.js';
import { concatVectors } from './concat-vectors.js';
import { decimal128ToBigInts, decToDecimal128, f64ToDecimal128, wordsToScaled } from './decimal-words.js';
import {
  dictionaryFromUtf8,
  decodeUtf8Strings,
  encodeUtf8Strings,
  int64OffsetsToInt32,
  mostlyDistinct,
  utf8CodePoints,
  validUtf8Entries,
  type Utf8Strings,
} from './utf8-strings.js';
import { utf8DictOf, utf8DictVector } from './utf8-dict.js';
import { nullsToValidity, packBits, unpackBits, validityToNulls } from './validity.js';
import { clipValue } from '../errors/clip-value.js';

// apache-arrow's typings are generic per type; this module switches on the type at runtime.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyData = Data<any>;

const TWO32 = 4294967296;
const TWO16 = 65536;
const SECONDS_PER_DAY = 86_400;
const MS_PER_DAY = 86_400_000;

/** The Arrow type a Firn type is written as. */
export function arrowTypeFor(type: DataType): ArrowType {
  switch (type.kind) {
    case 'BOOLEAN':
      return new Bool();
    case 'NUMBER':
      return new Decimal(type.scale, type.precision, 128);
    case 'FLOAT':
      return new Float64();
    case 'VARCHAR':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return new Dictionary(new Utf8(), new Int32());
    case 'DATE':
      return new DateDay();
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      return new TimestampMicrosecond();
    case 'TIMESTAMP_TZ':
      return new Decimal(0, MAX_PRECISION, 128);
    case 'TIME':
      return new TimeNanosecond();
    case 'BINARY':
      return new Binary();
    case 'NULL':
      return new Null();
  }
}

/** The Firn type a column of a foreign file gets from its Arrow type. */
export function firnTypeFromArrow(t: ArrowType, what: string): DataType {
  if (ArrowType.isBool(t)) return { kind: 'BOOLEAN' };
  if (ArrowType.isInt(t)) return { kind: 'NUMBER', precision: MAX_PRECISION, scale: 0 };
  if (ArrowType.isDecimal(t)) {
    const precision = Math.min(t.precision, MAX_PRECISION);
    return { kind: 'NUMBER', precision, scale: Math.min(Math.max(t.scale, 0), precision) };
  }
  if (ArrowType.isFloat(t)) return { kind: 'FLOAT' };
  if (ArrowType.isUtf8(t) || ArrowType.isLargeUtf8(t) || ArrowType.isUtf8View(t) || ArrowType.isNull(t)) return { kind: 'VARCHAR' };
  if (ArrowType.isDictionary(t) && isStringType(t.dictionary)) return { kind: 'VARCHAR' };
  if (ArrowType.isDate(t)) return { kind: 'DATE' };
  if (ArrowType.isTimestamp(t)) return { kind: 'TIMESTAMP_NTZ' };
  if (ArrowType.isTime(t)) return { kind: 'TIME', precision: TIME_UNIT_DIGITS[t.unit] };
  if (isBinaryType(t)) return { kind: 'BINARY' };
  throw new LoadError('NOT_SUPPORTED', `${what} has Arrow type ${String(t)}, which Firn cannot load`);
}

function isStringType(t: ArrowType): boolean {
  return ArrowType.isUtf8(t) || ArrowType.isLargeUtf8(t) || ArrowType.isUtf8View(t);
}

function isBinaryType(t: ArrowType): boolean {
  return ArrowType.isBinary(t) || ArrowType.isLargeBinary(t) || ArrowType.isFixedSizeBinary(t);
}

// ---------------------------------------------------------------------------------------
// Firn -> Arrow

function kindMismatch(vec: Vector, type: DataType): never {
  throw new InternalError(`a '${vec.kind}' vector cannot hold ${typeToSql(type)}`);
}

/**
 * A 'str' vector ready for Arrow: codes under NULL zeroed, and the dictionary compacted to the
 * entries in use when it is larger than the vector (e.g. after a filter).
 */
function prepareStr(vec: StrVector): { codes: Int32Array; dict: string[] } {
  const { length, nulls } = vec;
  if (vec.dict.length <= length && nulls === null) return { codes: vec.codes.subarray(0, length), dict: vec.dict };
  if (vec.dict.length <= length) {
    const codes = vec.codes.slice(0, length);
    for (let i = 0; i < length; i++) if (nulls![i] !== 0) codes[i] = 0;
    return { codes, dict: vec.dict.length > 0 ? vec.dict : [''] };
  }
  const remap = new Int32Array(vec.dict.length).fill(-1);
  const dict: string[] = [];
  const codes = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const c = vec.codes[i];
    let m = remap[c];
    if (m < 0) {
      m = remap[c] = dict.length;
      dict.push(vec.dict[c]);
    }
    codes[i] = m;
  }
  if (dict.length === 0) dict.push('');
  return { codes, dict };
}

/** Arrow Utf8 vector of the given strings (one buffer). */
export function utf8Vector(strings: readonly string[]): ArrowVector<Utf8> {
  const { offsets, bytes } = encodeUtf8Strings(strings);
  return makeVector(makeData({ type: new Utf8(), length: strings.length, nullCount: 0, valueOffsets: offsets, data: bytes }));
}

/** Dictionary<Utf8, Int32> data over a 'str' vector. */
export function strToDictionaryData(vec: StrVector, nullBitmap: Uint8Array | undefined, nullCount: number, type?: Dictionary<Utf8, Int32>): Data<Dictionary<Utf8, Int32>> {
  const { codes, dict } = prepareStr(vec);
  return makeData({
    type: type ?? new Dictionary(new Utf8(), new Int32()),
    length: vec.length,
    nullCount,
    nullBitmap,
    data: codes,
    dictionary: utf8Vector(dict),
  });
}

/** Plain Utf8 data over a 'str' vector: the dict encoded once, then each row's bytes gathered. */
export function strToUtf8Data(vec: StrVector, nullBitmap: Uint8Array | undefined, nullCount: number): Data<Utf8> {
  const { length, nulls } = vec;
  const known = utf8DictOf(vec);
  if (known !== undefined) return gatherUtf8(vec.codes, nulls, length, known, nullBitmap, nullCount);
  const { codes, dict } = prepareStr(vec);
  const enc = encodeUtf8Strings(dict);
  let identity = dict.length === length;
  for (let i = 0; identity && i < length; i++) identity = codes[i] === i;
  if (identity) return makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets: enc.offsets, data: enc.bytes });
  return gatherUtf8(codes, nulls, length, enc, nullBitmap, nullCount);
}

/**
 * Each non-NULL row's bytes, gathered by its code from the dict's UTF-8 form. Rows whose
 * codes run consecutively with no NULL (a COPY's partition cut from a mostly distinct column)
 * are the dict's own offsets and bytes, not copied: Arrow offsets need not start at 0, and
 * the IPC writer writes only the byte range they span.
 */
function gatherUtf8(codes: Int32Array, nulls: Nulls, length: number, enc: Utf8Strings, nullBitmap: Uint8Array | undefined, nullCount: number): Data<Utf8> {
  const src = enc.bytes;
  const srcOff = enc.offsets;
  if (nulls === null && length > 0 && consecutive(codes, length)) {
    const first = codes[0];
    return makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets: srcOff.subarray(first, first + length + 1), data: src });
  }
  let total = 0;
  for (let i = 0; i < length; i++) if (nulls === null || nulls[i] === 0) total += srcOff[codes[i] + 1] - srcOff[codes[i]];
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(length + 1);
  let p = 0;
  for (let i = 0; i < length; i++) {
    if (nulls === null || nulls[i] === 0) {
      // Byte loop instead of bytes.set(src.subarray(a, b), p): values are short, a subarray per row costs more.
      for (let k = srcOff[codes[i]], end = srcOff[codes[i] + 1]; k < end; k++) bytes[p++] = src[k];
    }
    offsets[i + 1] = p;
  }
  return makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets: offsets, data: bytes });
}

/** Whether codes[i] = codes[0] + i for every i < length. */
function consecutive(codes: Int32Array, length: number): boolean {
  const first = codes[0];
  for (let i = 1; i < length; i++) if (codes[i] !== first + i) return false;
  return true;
}

/**
 * Binary data over a 'str' vector of byte strings (data-type.ts): each dict entry's bytes
 * written once (latin1: one byte per code unit), then each row's gathered by its code.
 */
export function strToBinaryData(vec: StrVector, nullBitmap: Uint8Array | undefined, nullCount: number): Data<Binary> {
  const { codes, dict } = prepareStr(vec);
  const { length, nulls } = vec;
  const entryOffsets = new Int32Array(dict.length + 1);
  for (let c = 0; c < dict.length; c++) entryOffsets[c + 1] = entryOffsets[c] + dict[c].length;
  const entryBytes = Buffer.allocUnsafe(entryOffsets[dict.length]);
  for (let c = 0; c < dict.length; c++) entryBytes.write(dict[c], entryOffsets[c], 'latin1');
  let total = 0;
  for (let i = 0; i < length; i++) if (nulls === null || nulls[i] === 0) total += entryOffsets[codes[i] + 1] - entryOffsets[codes[i]];
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(length + 1);
  let p = 0;
  for (let i = 0; i < length; i++) {
    if (nulls === null || nulls[i] === 0) {
      for (let k = entryOffsets[codes[i]], end = entryOffsets[codes[i] + 1]; k < end; k++) bytes[p++] = entryBytes[k];
    }
    offsets[i + 1] = p;
  }
  return makeData({ type: new Binary(), length, nullCount, nullBitmap, valueOffsets: offsets, data: bytes });
}

/** True when no non-NULL value of a 'ts' vector has a sub-microsecond part. */
function wholeMicros(vec: TsVector): boolean {
  const { nanos, nulls, length } = vec;
  for (let i = 0; i < length; i++) if (nanos[i] % 1000 !== 0 && (nulls === null || nulls[i] === 0)) return false;
  return true;
}

/**
 * A 'ts' vector as little-endian two's complement integers of `stride` 32-bit words in units of
 * 1/unitsPerSecond s (1e6: int64 microseconds, 1e9 with stride 4: Decimal128 nanoseconds).
 * Exact without BigInt: v = secs * U + r is split as A * 2^16 + B with A = sh * U and
 * B = sl * U + r (secs = sh * 2^16 + sl), each an exact double, then carried into words.
 * Rows under a NULL are written as whatever they hold (zeros in practice). With stride 2 a
 * value outside int64 is a DataError DATETIME_OUT_OF_RANGE.
 */
export function tsToWords(vec: TsVector, unitsPerSecond: number, stride: 2 | 4): Uint32Array {
  const { secs, nanos, length } = vec;
  const words = new Uint32Array(length * stride);
  const perUnit = NANOS_PER_SECOND / unitsPerSecond;
  for (let i = 0, o = 0; i < length; i++, o += stride) {
    const s = secs[i];
    const sh = Math.floor(s / TWO16);
    const a = sh * unitsPerSecond;
    const b = (s - sh * TWO16) * unitsPerSecond + Math.floor(nanos[i] / perUnit);
    const ah = Math.floor(a / TWO16);
    const c = (a - ah * TWO16) * TWO16 + b;
    const ch = Math.floor(c / TWO32);
    words[o] = c - ch * TWO32;
    const hi = ah + ch; // signed, exact: |hi| < 2^40
    const hh = Math.floor(hi / TWO32);
    words[o + 1] = hi - hh * TWO32;
    if (stride === 4) {
      words[o + 2] = hh;
      words[o + 3] = hh < 0 ? 0xffffffff : 0;
    } else if (hi < -0x80000000 || hi > 0x7fffffff) {
      throw new DataError('DATETIME_OUT_OF_RANGE', `timestamp of ${s} epoch seconds does not fit in int64 units of 1/${unitsPerSecond} s`);
    }
  }
  return words;
}

/** A Firn vector of `type` as Arrow data of arrowTypeFor(type) (or the given equal type). */
export function vectorToArrowData(vec: Vector, type: DataType, arrowType: ArrowType = arrowTypeFor(type)): AnyData {
  const { length } = vec;
  const { bitmap: nullBitmap, nullCount } = nullsToValidity(vec.nulls, length);
  switch (type.kind) {
    case 'BOOLEAN':
      if (vec.kind !== 'bool') return kindMismatch(vec, type);
      return makeData({ type: arrowType as Bool, length, nullCount, nullBitmap, data: packBits(vec.values, length, false) });
    case 'NUMBER': {
      let words: Uint32Array;
      if (vec.kind === 'f64') words = f64ToDecimal128(vec.values, vec.nulls, length);
      else if (vec.kind === 'dec') words = decToDecimal128(vec.values, vec.nulls, length);
      else return kindMismatch(vec, type);
      return makeData({ type: arrowType as Decimal, length, nullCount, nullBitmap, data: words });
    }
    case 'FLOAT':
      if (vec.kind !== 'f64') return kindMismatch(vec, type);
      return makeData({ type: arrowType as Float64, length, nullCount, nullBitmap, data: vec.values.subarray(0, length) });
    case 'VARCHAR':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      if (vec.kind !== 'str') return kindMismatch(vec, type);
      return strToDictionaryData(vec, nullBitmap, nullCount, arrowType as Dictionary<Utf8, Int32>);
    case 'DATE':
      if (vec.kind !== 'i32') return kindMismatch(vec, type);
      return makeData({ type: arrowType as DateDay, length, nullCount, nullBitmap, data: vec.values.subarray(0, length) });
    case 'TIMESTAMP_TZ':
      if (vec.kind !== 'ts') return kindMismatch(vec, type);
      return makeData({ type: new Decimal(0, MAX_PRECISION, 128), length, nullCount, nullBitmap, data: decToDecimal128(packTz(vec), vec.nulls, length) });
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ': {
      if (vec.kind !== 'ts') return kindMismatch(vec, type);
      if (wholeMicros(vec)) return makeData({ type: new TimestampMicrosecond(), length, nullCount, nullBitmap, data: tsToWords(vec, 1_000_000, 2) });
      return makeData({ type: new Decimal(9, MAX_PRECISION, 128), length, nullCount, nullBitmap, data: tsToWords(vec, NANOS_PER_SECOND, 4) });
    }
    case 'TIME':
      if (vec.kind !== 'f64') return kindMismatch(vec, type);
      return makeData({ type: new TimeNanosecond(), length, nullCount, nullBitmap, data: new BigInt64Array(f64ToInt64Words(vec.values, length).buffer, 0, length) });
    case 'BINARY':
      if (vec.kind !== 'str') return kindMismatch(vec, type);
      return strToBinaryData(vec, nullBitmap, nullCount);
    case 'NULL':
      return makeData({ type: new Null(), length });
  }
}

const TZ_PACK = 10_000n;
const TZ_INDEX_BIAS = 1440;

/** A TIMESTAMP_TZ vector -> instantNanos * 10^4 + (offset + 1440) per row (0 under a NULL). */
function packTz(vec: TsVector): bigint[] {
  const out = new Array<bigint>(vec.length);
  const offs = vec.offsets;
  for (let i = 0; i < vec.length; i++) {
    if (vec.nulls && vec.nulls[i]) {
      out[i] = 0n;
      continue;
    }
    const nanos = BigInt(vec.secs[i]) * 1_000_000_000n + BigInt(vec.nanos[i]);
    out[i] = nanos * TZ_PACK + BigInt((offs ? offs[i] : 0) + TZ_INDEX_BIAS);
  }
  return out;
}

/** Decimal128(38,0) packed TIMESTAMP_TZ values (packTz) -> a 'ts' vector with offsets. */
function unpackTz(words: Uint32Array, length: number, nulls: Nulls): TsVector {
  const packed = decimal128ToBigInts(words, length, nulls);
  const secs = new Float64Array(length);
  const nanos = new Int32Array(length);
  const offsets = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    if (nulls && nulls[i]) continue;
    const p = packed[i];
    let idx = p % TZ_PACK;
    let ns = p / TZ_PACK;
    if (idx < 0n) {
      idx += TZ_PACK;
      ns -= 1n;
    }
    let s = ns / 1_000_000_000n;
    let r = ns - s * 1_000_000_000n;
    if (r < 0n) {
      s -= 1n;
      r += 1_000_000_000n;
    }
    secs[i] = Number(s);
    nanos[i] = Number(r);
    offsets[i] = Number(idx) - TZ_INDEX_BIAS;
  }
  return { kind: 'ts', length, secs, nanos, nulls, offsets };
}

/** Whole doubles (|v| < 2^53) -> signed 64-bit words (low, high) per value. */
function f64ToInt64Words(values: Float64Array, length: number): Uint32Array {
  const words = new Uint32Array(length * 2);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    const hi = Math.floor(v / TWO32);
    words[i * 2] = v - hi * TWO32;
    words[i * 2 + 1] = hi;
  }
  return words;
}

// ---------------------------------------------------------------------------------------
// Arrow -> Firn

function typeMismatch(data: AnyData, target: DataType, what: string): never {
  throw new LoadError('TYPE_MISMATCH', `${what} has Arrow type ${String(data.type)}, which cannot be loaded as ${typeToSql(target)}`);
}

function allNull(target: DataType, length: number): Vector {
  const nulls = new Uint8Array(length).fill(1);
  switch (target.kind) {
    case 'BOOLEAN':
      return { kind: 'bool', length, values: new Uint8Array(length), nulls };
    case 'VARCHAR':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
      return { kind: 'str', length, codes: new Int32Array(length), dict: [''], nulls };
    case 'DATE':
      return { kind: 'i32', length, values: new Int32Array(length), nulls };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return { kind: 'ts', length, secs: new Float64Array(length), nanos: new Int32Array(length), nulls };
    default:
      return { kind: 'f64', length, values: new Float64Array(length), nulls };
  }
}

/** Int64 / UInt64 / timestamps as 32-bit words (low, high) per value. */
function int64Words(values: BigInt64Array | BigUint64Array, length: number): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, length * 2);
}

/** Signed 64-bit words -> doubles (exact while |v| < 2^53, correctly rounded beyond). */
function int64ToF64(words: Uint32Array, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = (words[i * 2 + 1] | 0) * TWO32 + words[i * 2];
  return out;
}

const POW10 = Array.from({ length: 80 }, (_, i) => 10 ** i);
const POW10N = Array.from({ length: 80 }, (_, i) => 10n ** BigInt(i));

function outOfRange(v: bigint | number, target: DataType & { kind: 'NUMBER' }, what: string): never {
  throw new DataError('NUMERIC_OUT_OF_RANGE', `value ${v} (scaled) is out of range for ${typeToSql(target)} in ${what}`);
}

/** A 'dec' vector whose values all fit 2^53 becomes 'f64', per data-type.ts. */
function normalizeDec(vec: DecVector): F64Vector | DecVector {
  const max = BigInt(MAX_EXACT);
  const { values, nulls, length } = vec;
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    if (values[i] > max || values[i] < -max) return vec;
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = nulls !== null && nulls[i] !== 0 ? 0 : Number(values[i]);
  return { kind: 'f64', length, values: out, nulls };
}

/** Rounds the exact integer v / f half away from zero (f a power of ten, v and f exact). */
function divRound(v: number, f: number): number {
  let q = Math.trunc(v / f);
  let r = v - q * f;
  if (v >= 0 ? r < 0 : r > 0) {
    q -= Math.sign(v);
    r += Math.sign(v) * f;
  } else if (Math.abs(r) >= f) {
    q += Math.sign(v);
    r -= Math.sign(v) * f;
  }
  return 2 * Math.abs(r) >= f ? q + Math.sign(v) : q;
}

function divRoundBig(v: bigint, f: bigint): bigint {
  const q = v / f;
  const r = v - q * f;
  const twice = r < 0n ? -2n * r : 2n * r;
  return twice >= f ? q + (v < 0n ? -1n : 1n) : q;
}

/**
 * Exact scaled integers at scale `fromScale` with at most `fromDigits` integer digits ->
 * NUMBER(p,s): rescaled, rounded half away from zero, range-checked.
 */
function rescale(vec: F64Vector | DecVector, fromScale: number, fromDigits: number, target: DataType & { kind: 'NUMBER' }, what: string): F64Vector | DecVector {
  const { precision: p, scale: s } = target;
  if (fromScale === s && fromDigits <= p - s) return vec;
  const { length, nulls } = vec;
  const limit = POW10N[p];
  if (vec.kind === 'f64') {
    const src = vec.values;
    const out = new Float64Array(length);
    const flimit = POW10[p];
    const checkRange = p <= 15; // 10^p <= 2^53: otherwise every 'f64' value is in range
    let overflow = false;
    if (s >= fromScale) {
      const f = POW10[s - fromScale];
      for (let i = 0; i < length; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const r = src[i] * f;
        if (r > MAX_EXACT || r < -MAX_EXACT) {
          overflow = true;
          break;
        }
        if (checkRange && (r >= flimit || r <= -flimit)) outOfRange(r, target, what);
        out[i] = r;
      }
    } else {
      const f = POW10[fromScale - s];
      for (let i = 0; i < length; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const r = divRound(src[i], f);
        if (checkRange && (r >= flimit || r <= -flimit)) outOfRange(r, target, what);
        out[i] = r;
      }
    }
    if (!overflow) return { kind: 'f64', length, values: out, nulls };
  }
  const values = new Array<bigint>(length);
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) {
      values[i] = 0n;
      continue;
    }
    const v = vec.kind === 'dec' ? vec.values[i] : BigInt(vec.values[i]);
    const r = s >= fromScale ? v * POW10N[s - fromScale] : divRoundBig(v, POW10N[fromScale - s]);
    if (r >= limit || r <= -limit) outOfRange(r, target, what);
    values[i] = r;
  }
  return normalizeDec({ kind: 'dec', length, values, nulls });
}

function floatValues(data: AnyData, length: number): Float64Array {
  const t = data.type;
  if (t.precision === Precision.DOUBLE) return (data.values as Float64Array).subarray(0, length);
  if (t.precision === Precision.SINGLE) return new Float64Array((data.values as Float32Array).subarray(0, length));
  const v = makeVector(data);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = v.get(i) ?? 0;
  return out;
}

/** Integers as exact scaled values at scale 0 ('f64' or 'dec'). */
function intToScaled(data: AnyData, length: number, nulls: Nulls): F64Vector | DecVector {
  const t = data.type;
  if (t.bitWidth === 64) return wordsToScaled(int64Words(data.values, length), length, 2, t.isSigned, nulls);
  return { kind: 'f64', length, values: new Float64Array(data.values.subarray(0, length)), nulls };
}

function toNumber(data: AnyData, target: DataType & { kind: 'NUMBER' }, nulls: Nulls, what: string): Vector {
  const length = data.length;
  const t = data.type;
  if (ArrowType.isDecimal(t)) {
    const vec = wordsToScaled(data.values as Uint32Array, length, t.bitWidth / 32, true, nulls);
    return rescale(vec, t.scale, t.precision - t.scale, target, what);
  }
  if (ArrowType.isInt(t)) {
    const digits = t.bitWidth === 64 ? 20 : t.bitWidth === 32 ? 10 : t.bitWidth === 16 ? 5 : 3;
    return rescale(intToScaled(data, length, nulls), 0, digits, target, what);
  }
  if (ArrowType.isFloat(t)) {
    const src = floatValues(data, length);
    const f = POW10[target.scale];
    const scaled = new Float64Array(length);
    let wide = false;
    for (let i = 0; i < length; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const x = src[i];
      if (!Number.isFinite(x)) throw new DataError('NUMERIC_NOT_RECOGNIZED', `${x} cannot be loaded as ${typeToSql(target)} in ${what}`);
      const r = Math.sign(x) * Math.round(Math.abs(x) * f);
      if (r > MAX_EXACT || r < -MAX_EXACT) wide = true;
      scaled[i] = r;
    }
    const limit = POW10N[target.precision];
    if (!wide) {
      const flimit = POW10[target.precision];
      for (let i = 0; i < length; i++) {
        if ((nulls === null || nulls[i] === 0) && (scaled[i] >= flimit || scaled[i] <= -flimit)) outOfRange(scaled[i], target, what);
      }
      return { kind: 'f64', length, values: scaled, nulls };
    }
    const values = new Array<bigint>(length);
    for (let i = 0; i < length; i++) {
      const v = nulls !== null && nulls[i] !== 0 ? 0n : BigInt(scaled[i]);
      if (v >= limit || v <= -limit) outOfRange(v, target, what);
      values[i] = v;
    }
    return { kind: 'dec', length, values, nulls };
  }
  return typeMismatch(data, target, what);
}

function toFloat(data: AnyData, target: DataType, nulls: Nulls, what: string): Vector {
  const length = data.length;
  const t = data.type;
  if (ArrowType.isFloat(t)) return { kind: 'f64', length, values: floatValues(data, length), nulls };
  if (ArrowType.isInt(t)) {
    const values = t.bitWidth === 64
      ? t.isSigned
        ? int64ToF64(int64Words(data.values, length), length)
        : Float64Array.from((data.values as BigUint64Array).subarray(0, length), Number)
      : new Float64Array(data.values.subarray(0, length));
    return { kind: 'f64', length, values, nulls };
  }
  if (ArrowType.isDecimal(t)) {
    const vec = wordsToScaled(data.values as Uint32Array, length, t.bitWidth / 32, true, nulls);
    const f = POW10[t.scale];
    const values = new Float64Array(length);
    if (vec.kind === 'f64') for (let i = 0; i < length; i++) values[i] = vec.values[i] / f;
    else for (let i = 0; i < length; i++) values[i] = Number(vec.values[i]) / f;
    return { kind: 'f64', length, values, nulls };
  }
  return typeMismatch(data, target, what);
}

// Decoded dictionaries, so the batches of one stream sharing a dictionary decode it once and
// share one string[] (concatVectors then keeps it).
const decodedDicts = new WeakMap<ArrowVector, { dict: string[]; dictNulls: Nulls }>();

function stringDictionary(dictionary: ArrowVector, what: string): { dict: string[]; dictNulls: Nulls } {
  const hit = decodedDicts.get(dictionary);
  if (hit) return hit;
  const dict: string[] = [];
  const maskParts: Nulls[] = [];
  for (const d of dictionary.data as AnyData[]) {
    const part = stringsOf(d, what);
    for (const s of part) dict.push(s);
    maskParts.push(validityToNulls(d.nullBitmap, d.offset, d.length, d.nullCount));
  }
  let dictNulls: Nulls = null;
  if (maskParts.some((m) => m !== null)) {
    dictNulls = new Uint8Array(dict.length);
    let at = 0;
    for (let k = 0; k < maskParts.length; k++) {
      const m = maskParts[k];
      const n = (dictionary.data[k] as AnyData).length;
      if (m !== null) dictNulls.set(m, at);
      at += n;
    }
  }
  const out = { dict, dictNulls };
  decodedDicts.set(dictionary, out);
  return out;
}

/** Every entry of a Utf8 / LargeUtf8 / Utf8View chunk as a string (NULL entries as ''). */
function stringsOf(d: AnyData, what: string): string[] {
  if (ArrowType.isUtf8(d.type)) return decodeUtf8Strings(d.values, d.valueOffsets, 0, d.length, what);
  if (ArrowType.isLargeUtf8(d.type)) return decodeUtf8Strings(d.values, int64OffsetsToInt32(d.valueOffsets), 0, d.length, what);
  const v = makeVector(d);
  const out = new Array<string>(d.length);
  for (let i = 0; i < d.length; i++) out[i] = (v.get(i) as string | null) ?? '';
  return out;
}

function dictionaryToStr(data: AnyData, nulls: Nulls, what: string): StrVector {
  const length = data.length;
  const { dict, dictNulls } = stringDictionary(data.dictionary as ArrowVector, what);
  const keys = data.values as Int32Array | Int8Array | Int16Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;
  let codes: Int32Array;
  if (keys instanceof Int32Array && nulls === null && dictNulls === null) {
    codes = keys.subarray(0, length);
  } else {
    codes = new Int32Array(length);
    if (keys instanceof BigInt64Array || keys instanceof BigUint64Array) {
      const words = int64Words(keys, length);
      for (let i = 0; i < length; i++) codes[i] = words[i * 2];
    } else {
      codes.set(keys.subarray(0, length));
    }
  }
  let outNulls = nulls;
  if (dictNulls !== null) {
    outNulls = nulls !== null ? nulls : new Uint8Array(length);
    for (let i = 0; i < length; i++) if (dictNulls[codes[i]] !== 0) outNulls[i] = 1;
  }
  if (outNulls !== null) for (let i = 0; i < length; i++) if (outNulls[i] !== 0) codes[i] = 0;
  return { kind: 'str', length, codes, dict: dict.length > 0 ? dict : [''], nulls: outNulls };
}

function checkLength(vec: StrVector, max: number, target: DataType, what: string): void {
  const enc = utf8DictOf(vec);
  if (enc !== undefined) return checkUtf8Length(vec, enc, max, target, what);
  const long = new Uint8Array(vec.dict.length);
  let any = false;
  for (let c = 0; c < vec.dict.length; c++) {
    const s = vec.dict[c];
    // UTF-16 length bounds the character count from above; count code points only when over.
    if (s.length > max && [...s].length > max) {
      long[c] = 1;
      any = true;
    }
  }
  if (!any) return;
  for (let i = 0; i < vec.length; i++) {
    if ((vec.nulls === null || vec.nulls[i] === 0) && long[vec.codes[i]] === 1) {
      const s = vec.dict[vec.codes[i]];
      throw new DataError('STRING_TOO_LONG', `String '${clipValue(s)}' is too long and would be truncated (${typeToSql(target)}, ${what})`);
    }
  }
}

/** checkLength over a dict held as UTF-8: a value has at most as many characters as bytes, so only longer ones are counted. */
function checkUtf8Length(vec: StrVector, enc: Utf8Strings, max: number, target: DataType, what: string): void {
  const { offsets, bytes } = enc;
  let longest = 0;
  for (let k = 1; k < offsets.length; k++) longest = Math.max(longest, offsets[k] - offsets[k - 1]);
  if (longest <= max) return;
  const { codes, nulls } = vec;
  for (let i = 0; i < vec.length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const c = codes[i];
    const from = offsets[c];
    const to = offsets[c + 1];
    if (to - from > max && utf8CodePoints(bytes, from, to) > max) {
      const s = decodeUtf8Strings(bytes, offsets, c, 1, what)[0];
      throw new DataError('STRING_TOO_LONG', `String '${clipValue(s)}' is too long and would be truncated (${typeToSql(target)}, ${what})`);
    }
  }
}

/**
 * Plain Utf8 rows -> 'str'. With `keepUtf8` (COPY's reader, whose rows are written again
 * soon), a mostly distinct column stays UTF-8 bytes (utf8-dict.ts: one entry per row, decoded
 * only if read), after checking that every value is valid UTF-8.
 */
function plainUtf8ToStr(bytes: Uint8Array, offsets: Int32Array, length: number, nulls: Nulls, what: string, keepUtf8: boolean): StrVector {
  if (keepUtf8 && length > 0 && mostlyDistinct(bytes, offsets, length)) {
    if (!validUtf8Entries(bytes, offsets, length)) throw new LoadError('FILE_CORRUPT', `invalid UTF-8 data in ${what}`);
    const codes = new Int32Array(length);
    for (let i = 0; i < length; i++) codes[i] = i;
    return utf8DictVector(length, codes, nulls, { offsets: offsets.subarray(0, length + 1), bytes });
  }
  return { kind: 'str', length, ...dictionaryFromUtf8(bytes, offsets, length, nulls, what), nulls };
}

function toVarchar(data: AnyData, target: DataType & { kind: 'VARCHAR' }, nulls: Nulls, what: string, keepUtf8: boolean): Vector {
  const length = data.length;
  const t = data.type;
  let vec: StrVector;
  if (ArrowType.isUtf8(t)) {
    vec = plainUtf8ToStr(data.values, data.valueOffsets, length, nulls, what, keepUtf8 && data.offset === 0);
  } else if (ArrowType.isLargeUtf8(t)) {
    vec = { kind: 'str', length, ...dictionaryFromUtf8(data.values, int64OffsetsToInt32(data.valueOffsets), length, nulls, what), nulls };
  } else if (ArrowType.isDictionary(t) && isStringType(t.dictionary)) {
    vec = dictionaryToStr(data, nulls, what);
  } else if (ArrowType.isUtf8View(t)) {
    const strings = stringsOf(data, what);
    const seen = new Map<string, number>();
    const dict: string[] = [];
    const codes = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      let c = seen.get(strings[i]);
      if (c === undefined) {
        c = dict.length;
        dict.push(strings[i]);
        seen.set(strings[i], c);
      }
      codes[i] = c;
    }
    vec = { kind: 'str', length, codes, dict: dict.length > 0 ? dict : [''], nulls };
  } else {
    return typeMismatch(data, target, what);
  }
  if (target.length !== undefined && target.length < MAX_VARCHAR_LENGTH) checkLength(vec, target.length, target, what);
  return vec;
}

/**
 * Arrow Binary / LargeBinary / FixedSizeBinary -> a 'str' vector of byte strings, one dict
 * entry per distinct value; a value longer than BINARY(n) is STRING_TOO_LONG.
 */
function toBinary(data: AnyData, target: DataType & { kind: 'BINARY' }, nulls: Nulls, what: string): Vector {
  const length = data.length;
  const t = data.type;
  const values = data.values as Uint8Array;
  let offsetOf: (i: number) => number;
  if (ArrowType.isBinary(t)) {
    const offs = data.valueOffsets as Int32Array;
    offsetOf = (i) => offs[i];
  } else if (ArrowType.isLargeBinary(t)) {
    const offs = int64OffsetsToInt32(data.valueOffsets);
    offsetOf = (i) => offs[i];
  } else if (ArrowType.isFixedSizeBinary(t)) {
    const width = t.byteWidth;
    offsetOf = (i) => i * width;
  } else {
    return typeMismatch(data, target, what);
  }
  const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const max = target.length ?? MAX_BINARY_LENGTH;
  const seen = new Map<string, number>();
  const dict: string[] = [];
  const codes = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const s = buf.toString('latin1', offsetOf(i), offsetOf(i + 1));
    if (s.length > max) throw new DataError('STRING_TOO_LONG', `Binary value of ${s.length} bytes is too long and would be truncated (${typeToSql(target)}, ${what})`);
    let c = seen.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      seen.set(s, c);
    }
    codes[i] = c;
  }
  return { kind: 'str', length, codes, dict: dict.length > 0 ? dict : [''], nulls };
}

/**
 * Signed int64 counts of 1/unitsPerSecond s (timestamps of any unit, Date64 milliseconds) ->
 * a 'ts' vector, exactly: floor division by the unit over 16-bit steps, x1 = hi * 2^16 +
 * (lo >>> 16) and x0 = r1 * 2^16 + (lo & 0xffff), every intermediate an exact double.
 */
function int64ToTs(words: Uint32Array, length: number, unitsPerSecond: number, nulls: Nulls): TsVector {
  const secs = new Float64Array(length);
  const nanos = new Int32Array(length);
  const perUnit = NANOS_PER_SECOND / unitsPerSecond;
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const lo = words[i * 2];
    const x1 = (words[i * 2 + 1] | 0) * TWO16 + (lo >>> 16);
    const q1 = Math.floor(x1 / unitsPerSecond);
    const x0 = (x1 - q1 * unitsPerSecond) * TWO16 + (lo & 0xffff);
    const q0 = Math.floor(x0 / unitsPerSecond);
    secs[i] = q1 * TWO16 + q0;
    nanos[i] = (x0 - q0 * unitsPerSecond) * perUnit;
  }
  return { kind: 'ts', length, secs, nanos, nulls };
}

/**
 * Decimal words (stride 32-bit words per value, scale 0..9) of epoch seconds -> a 'ts' vector:
 * the magnitude's 16-bit limbs long-divided by 10^scale (every step an exact double), the
 * sign applied with a floor. Values past 2^53 seconds are out of range.
 */
function decimalToTs(words: Uint32Array, length: number, stride: number, scale: number, nulls: Nulls, what: string): TsVector {
  const secs = new Float64Array(length);
  const nanos = new Int32Array(length);
  const d = POW10[scale];
  const perUnit = POW10[9 - scale];
  const limbs = new Uint32Array(stride);
  for (let i = 0, o = 0; i < length; i++, o += stride) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const neg = (words[o + stride - 1] & 0x80000000) !== 0;
    let carry = 1;
    for (let k = 0; k < stride; k++) {
      if (!neg) {
        limbs[k] = words[o + k];
        continue;
      }
      const v = (~words[o + k] >>> 0) + carry; // two's complement negation, word by word
      limbs[k] = v >>> 0;
      carry = v > 0xffffffff ? 1 : 0;
    }
    let q = 0;
    let r = 0;
    for (let k = stride * 2 - 1; k >= 0; k--) {
      const limb = k & 1 ? limbs[k >> 1] >>> 16 : limbs[k >> 1] & 0xffff;
      const cur = r * TWO16 + limb;
      const qk = Math.floor(cur / d);
      r = cur - qk * d;
      q = q * TWO16 + qk;
    }
    if (q > MAX_EXACT) throw new DataError('DATETIME_OUT_OF_RANGE', `${what} holds a timestamp out of range`);
    if (neg && r > 0) {
      secs[i] = -q - 1;
      nanos[i] = (d - r) * perUnit;
    } else {
      secs[i] = neg ? -q : q;
      nanos[i] = r * perUnit;
    }
  }
  return { kind: 'ts', length, secs, nanos, nulls };
}

const UNITS_PER_SECOND: Record<number, number> = {
  [TimeUnit.SECOND]: 1,
  [TimeUnit.MILLISECOND]: 1000,
  [TimeUnit.MICROSECOND]: 1_000_000,
  [TimeUnit.NANOSECOND]: NANOS_PER_SECOND,
};

function toDate(data: AnyData, target: DataType, nulls: Nulls, what: string): Vector {
  const length = data.length;
  const t = data.type;
  if (ArrowType.isDate(t) && t.unit === DateUnit.DAY) return { kind: 'i32', length, values: (data.values as Int32Array).subarray(0, length), nulls };
  const values = new Int32Array(length);
  if (ArrowType.isDate(t)) {
    const ms = int64ToF64(int64Words(data.values as BigInt64Array, length), length);
    for (let i = 0; i < length; i++) values[i] = Math.floor(ms[i] / MS_PER_DAY);
  } else if (ArrowType.isTimestamp(t)) {
    const ts = int64ToTs(int64Words(data.values as BigInt64Array, length), length, UNITS_PER_SECOND[(t as Timestamp).unit], nulls);
    for (let i = 0; i < length; i++) values[i] = Math.floor(ts.secs[i] / SECONDS_PER_DAY);
  } else {
    return typeMismatch(data, target, what);
  }
  return { kind: 'i32', length, values, nulls };
}

/** Digits of a second each Arrow time unit holds. */
const TIME_UNIT_DIGITS = { [TimeUnit.SECOND]: 0, [TimeUnit.MILLISECOND]: 3, [TimeUnit.MICROSECOND]: 6, [TimeUnit.NANOSECOND]: 9 } as const;

/** Arrow Time32 / Time64 of any unit -> a TIME 'f64' vector of nanoseconds since midnight, cut to the target's precision. */
function toTime(data: AnyData, target: DataType, nulls: Nulls, what: string): Vector {
  const length = data.length;
  const t = data.type;
  if (!ArrowType.isTime(t)) return typeMismatch(data, target, what);
  const raw = t.bitWidth === 64 ? int64ToF64(int64Words(data.values as BigInt64Array, length), length) : new Float64Array((data.values as Int32Array).subarray(0, length));
  const unit = 10 ** (9 - TIME_UNIT_DIGITS[t.unit]);
  const cut = 10 ** (9 - timestampPrecision(target));
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const ns = raw[i] * unit;
    values[i] = ns - (ns % cut);
  }
  return { kind: 'f64', length, values, nulls };
}

function toTimestamp(data: AnyData, target: DataType, nulls: Nulls, what: string): Vector {
  const length = data.length;
  const t = data.type;
  let ts: TsVector;
  if (ArrowType.isTimestamp(t)) {
    ts = int64ToTs(int64Words(data.values as BigInt64Array, length), length, UNITS_PER_SECOND[(t as Timestamp).unit], nulls);
  } else if (ArrowType.isDate(t) && t.unit === DateUnit.DAY) {
    const days = data.values as Int32Array;
    const secs = new Float64Array(length);
    for (let i = 0; i < length; i++) secs[i] = days[i] * SECONDS_PER_DAY;
    ts = { kind: 'ts', length, secs, nanos: new Int32Array(length), nulls };
  } else if (ArrowType.isDate(t)) {
    ts = int64ToTs(int64Words(data.values as BigInt64Array, length), length, 1000, nulls);
  } else if (ArrowType.isDecimal(t) && t.scale >= 0 && t.scale <= 9) {
    ts = decimalToTs(data.values as Uint32Array, length, t.bitWidth / 32, t.scale, nulls, what);
  } else {
    return typeMismatch(data, target, what);
  }
  return truncateTs(ts, timestampPrecision(target));
}

function dataToVector(data: AnyData, target: DataType, what: string, keepUtf8: boolean): Vector {
  const length = data.length;
  if (ArrowType.isNull(data.type)) return allNull(target.kind === 'NULL' ? { kind: 'VARCHAR' } : target, length);
  const nulls = validityToNulls(data.nullBitmap, data.offset, length, data.nullCount);
  switch (target.kind) {
    case 'BOOLEAN':
      if (!ArrowType.isBool(data.type)) return typeMismatch(data, target, what);
      return { kind: 'bool', length, values: unpackBits(data.values, data.offset, length, false), nulls };
    case 'NUMBER':
      return toNumber(data, target, nulls, what);
    case 'FLOAT':
      return toFloat(data, target, nulls, what);
    case 'VARCHAR':
      return toVarchar(data, target, nulls, what, keepUtf8);
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      // JSON text stored as UTF-8: read as a VARCHAR (no length limit), the text is canonical already.
      if (!(isStringType(data.type) || (ArrowType.isDictionary(data.type) && isStringType(data.type.dictionary)))) return typeMismatch(data, target, what);
      return toVarchar(data, { kind: 'VARCHAR' }, nulls, what, keepUtf8);
    case 'DATE':
      return toDate(data, target, nulls, what);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      return toTimestamp(data, target, nulls, what);
    case 'TIMESTAMP_TZ':
      // Firn's own packed form; a foreign file's timestamps are instants at offset 0.
      if (ArrowType.isDecimal(data.type) && data.type.scale === 0 && data.type.bitWidth === 128) return truncateTs(unpackTz(data.values as Uint32Array, length, nulls), timestampPrecision(target));
      return toTimestamp(data, target, nulls, what);
    case 'TIME':
      return toTime(data, target, nulls, what);
    case 'BINARY':
      return toBinary(data, target, nulls, what);
    case 'NULL':
      return dataToVector(data, firnTypeFromArrow(data.type, what), what, keepUtf8);
  }
}

/**
 * Arrow data (a Vector of any number of chunks, or one Data) -> a Firn vector of `target`.
 * `what` names the column in error messages, e.g. 'column "PRICE" of file x.parquet'.
 */
export function arrowToVector(source: ArrowVector | AnyData, target: DataType, what = 'column', opts: { keepUtf8?: boolean } = {}): Vector {
  const chunks = source instanceof Data ? [source as AnyData] : (source.data as AnyData[]);
  if (chunks.length === 0) return emptyVector(target);
  return concatVectors(chunks.map((d) => dataToVector(d, target, what, opts.keepUtf8 === true)));
}

/** A vector of no rows in the layout of `type`. */
export function emptyVector(type: DataType): Vector {
  switch (type.kind) {
    case 'BOOLEAN':
      return { kind: 'bool', length: 0, values: new Uint8Array(0), nulls: null };
    case 'VARCHAR':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
      return { kind: 'str', length: 0, codes: new Int32Array(0), dict: [], nulls: null };
    case 'DATE':
      return { kind: 'i32', length: 0, values: new Int32Array(0), nulls: null };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      return { kind: 'ts', length: 0, secs: new Float64Array(0), nanos: new Int32Array(0), nulls: null };
    case 'TIMESTAMP_TZ':
      return { kind: 'ts', length: 0, secs: new Float64Array(0), nanos: new Int32Array(0), nulls: null, offsets: new Int16Array(0) };
    default:
      return { kind: 'f64', length: 0, values: new Float64Array(0), nulls: null };
  }
}
