/**
 * BINARY values as Firn holds them, "byte strings" (data-type.ts: one UTF-16 code unit 0..255
 * per byte), and their text forms: Snowflake's binary formats HEX, BASE64 and UTF-8
 * ("Binary input and output").
 *
 * Why a module of its own: the cast kernels, the binary functions, Parquet, CSV loading and
 * the result encoders all convert at these edges, and must agree byte for byte.
 *
 * Contract:
 *  - byteStringOf(bytes) / bytesOf(s): byte string <-> bytes, exactly (latin1).
 *  - Encoding (BINARY -> text): HEX is upper-case digits, two per byte; BASE64 is RFC 4648
 *    with '=' padding and no line breaks; UTF-8 decodes the bytes as UTF-8 and is null when they
 *    are not valid UTF-8 (Snowflake cannot print such a value in that format).
 *  - Decoding (text -> BINARY) is null for text that is not in the format: HEX takes either
 *    case and needs an even number of digits, nothing else; BASE64 ignores whitespace and line
 *    breaks, takes the standard alphabet with optional padding; UTF-8 always succeeds (the
 *    text's UTF-8 bytes).
 *  - binaryFormatOf(name) reads a format name (any case; UTF8 = UTF-8), or null.
 */
import { DataError } from '../errors/firn-error.js';
import { clipValue } from '../errors/clip-value.js';

export const BinaryFormat = { HEX: 'HEX', BASE64: 'BASE64', UTF8: 'UTF-8' } as const;
export type BinaryFormat = (typeof BinaryFormat)[keyof typeof BinaryFormat];

/** A format name as Snowflake takes it (case-insensitive; UTF8 is UTF-8), or null. */
export function binaryFormatOf(name: string): BinaryFormat | null {
  const u = name.trim().toUpperCase();
  if (u === 'HEX') return BinaryFormat.HEX;
  if (u === 'BASE64') return BinaryFormat.BASE64;
  if (u === 'UTF-8' || u === 'UTF8') return BinaryFormat.UTF8;
  return null;
}

/** Bytes -> byte string. */
export function byteStringOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Byte string -> bytes (a fresh Buffer). */
export function bytesOf(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** A byte string as upper-case hex. */
export function hexOfBytes(s: string): string {
  return bytesOf(s).toString('hex').toUpperCase();
}

const HEX_DIGITS = /^(?:[0-9A-Fa-f]{2})*$/;
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

/** Hex text (either case, even length) -> byte string, or null. */
export function bytesOfHex(text: string): string | null {
  if (!HEX_DIGITS.test(text)) return null;
  return Buffer.from(text, 'hex').toString('latin1');
}

/** Base64 text (whitespace ignored, padding optional) -> byte string, or null. */
export function bytesOfBase64(text: string): string | null {
  const t = /\s/.test(text) ? text.replace(/\s+/g, '') : text;
  if (!BASE64_TEXT.test(t) || t.length % 4 === 1) return null;
  const pad = t.indexOf('=');
  if (pad >= 0 && t.length % 4 !== 0) return null;
  return Buffer.from(t, 'base64').toString('latin1');
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A byte string's bytes read as UTF-8 text, or null when they are not valid UTF-8. */
export function utf8OfBytes(s: string): string | null {
  try {
    return STRICT_UTF8.decode(bytesOf(s));
  } catch {
    return null;
  }
}

/** Text -> its UTF-8 bytes as a byte string. */
export function bytesOfUtf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Text in `format` -> byte string, or null when the text is not in that format. */
export function decodeBinary(text: string, format: BinaryFormat): string | null {
  switch (format) {
    case BinaryFormat.HEX:
      return bytesOfHex(text);
    case BinaryFormat.BASE64:
      return bytesOfBase64(text);
    case BinaryFormat.UTF8:
      return bytesOfUtf8(text);
  }
}

/** Byte string -> text in `format` (UTF-8: null when the bytes are not UTF-8). */
export function encodeBinary(s: string, format: BinaryFormat): string | null {
  switch (format) {
    case BinaryFormat.HEX:
      return hexOfBytes(s);
    case BinaryFormat.BASE64:
      return bytesOf(s).toString('base64');
    case BinaryFormat.UTF8:
      return utf8OfBytes(s);
  }
}

/** Snowflake's error for text that is not a value of the binary format (100115, 22000). */
export function notLegalBinary(text: string, format: BinaryFormat): DataError {
  const what = format === BinaryFormat.HEX ? 'hex' : format === BinaryFormat.BASE64 ? 'base64' : 'UTF-8';
  return new DataError('INVALID_BINARY_VALUE', `The following string is not a legal ${what}-encoded value: '${clipValue(text)}'`);
}

/** Snowflake's error for bytes that cannot be printed in UTF-8 (100116, 22000). */
export function invalidUtf8Binary(s: string): DataError {
  return new DataError('INVALID_UTF8_BINARY', `Invalid UTF8 detected while decoding '${clipValue(hexOfBytes(s))}'`);
}
