/**
 * More string functions, the ones dbt packages call beyond string.ts: INITCAP, REVERSE,
 * REPEAT, ASCII, CHR (= CHAR), TRANSLATE, CONCAT_WS, STRTOK, BASE64_ENCODE,
 * BASE64_DECODE_STRING, HEX_ENCODE and HEX_DECODE_STRING. (CHARINDEX is POSITION's alias, in
 * string.ts.)
 *
 * Contract: string.ts's rules hold (characters are code points; a string argument with
 * constant parameters runs once per dictionary entry; any NULL argument gives NULL, CONCAT_WS
 * included, as in Snowflake), and:
 *  - INITCAP upper-cases the first character and every character after a delimiter, and
 *    lower-cases the rest. Default delimiters are Snowflake's: whitespace and
 *    ! ? @ " ^ # $ & ~ _ , . : ; + - * % / | \ [ ] ( ) { } < >; a given delimiter string
 *    replaces them ('' capitalizes the first character only).
 *  - REPEAT(s, n) with n <= 0 is ''; a result past MAX_VARCHAR_LENGTH raises STRING_TOO_LONG
 *    before it is built. ASCII is the code of the first character (0 for ''). CHR of a value
 *    that is not a Unicode scalar value raises INVALID_ARGUMENT_VALUE.
 *  - TRANSLATE(s, from, to) maps the i-th character of `from` to the i-th of `to` (the first
 *    mapping of a repeated character wins) and deletes characters of `from` past `to`'s end.
 *  - STRTOK(s [, delimiters = ' ' [, part = 1]]) splits on any delimiter character, skipping
 *    empty tokens; NULL when the part does not exist (or s is ''); part < 1 raises
 *    INVALID_ARGUMENT_VALUE.
 *  - BASE64_ENCODE(s [, max_line_length = 0 [, alphabet]]) and HEX_ENCODE(s [, case = 1 upper])
 *    encode the UTF-8 bytes of a string, the bytes of a BINARY; an alphabet replaces '+', '/'
 *    and '=' in that order. The decoders
 *    ignore line breaks and spaces and raise INVALID_ENCODING for text that is not valid
 *    base64 / hex, or whose bytes are not UTF-8.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_VARCHAR_LENGTH, Types } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { charLength, checkResultLength, resolveShape, stringKernel, SURROGATE } from './string.js';
import { INTEGER, checkArity, coerceString, type FunctionDef, type Signature } from './type-rules.js';
import { constOf, isConst, strVectorFromRows, unionNulls, type Val } from './vector-kit.js';

const num = (v: Scalar): number => Number(v);
const str = (v: Scalar): string => String(v);

function invalidArgument(message: string): DataError {
  return new DataError('INVALID_ARGUMENT_VALUE', message);
}

// ---------------------------------------------------------------------------------------
// INITCAP, REVERSE, REPEAT, ASCII, CHR, TRANSLATE

const DEFAULT_DELIMITERS = '!?@"^#$&~_,.:;+-*%/|\\[](){}<>';

function initcap(delimiters: string | null): (s: string) => string {
  const set = new Set(Array.from(delimiters ?? DEFAULT_DELIMITERS));
  const isDelimiter = (c: string) => set.has(c) || (delimiters === null && /\s/.test(c));
  return (s) => {
    let out = '';
    let start = true;
    for (const c of s) {
      out += start ? c.toUpperCase() : c.toLowerCase();
      start = isDelimiter(c);
    }
    return out;
  };
}

function reverse(s: string): string {
  if (!SURROGATE.test(s)) {
    let out = '';
    for (let i = s.length - 1; i >= 0; i--) out += s[i];
    return out;
  }
  return Array.from(s).reverse().join('');
}

function repeat(s: string, count: number): string {
  if (count <= 0 || s === '') return '';
  if (s.length * count > MAX_VARCHAR_LENGTH) checkResultLength('REPEAT', charLength(s) * count);
  return s.repeat(count);
}

function chr(code: number): string {
  if (!Number.isInteger(code) || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    throw invalidArgument(`Invalid character code ${code} for CHR: expected a Unicode code point 0 to 1114111 outside the surrogates`);
  }
  return String.fromCodePoint(code);
}

function translate(from: string, to: string): (s: string) => string {
  const target = Array.from(to);
  const map = new Map<string, string>();
  Array.from(from).forEach((c, i) => {
    if (!map.has(c)) map.set(c, i < target.length ? target[i] : '');
  });
  return (s) => {
    let out = '';
    for (const c of s) {
      const m = map.get(c);
      out += m === undefined ? c : m;
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------
// STRTOK

function strtok(delimiters: string, part: number): (s: string) => string | null {
  if (part < 1) throw invalidArgument(`Invalid part ${part} for STRTOK: parts count from 1`);
  const set = new Set(Array.from(delimiters));
  return (s) => {
    let seen = 0;
    let token = '';
    for (const c of s) {
      if (set.has(c)) {
        if (token !== '' && ++seen === part) return token;
        token = '';
      } else {
        token += c;
      }
    }
    return token !== '' && ++seen === part ? token : null;
  };
}

// ---------------------------------------------------------------------------------------
// CONCAT_WS

function concatWsKernel(args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const nulls = unionNulls(args, n);
  const rows = new Array<string | null>(n);
  const readers = args.map((a): ((i: number) => string) => {
    if (isConst(a)) {
      const c = String(a.value);
      return () => c;
    }
    const v = a as Extract<typeof a, { kind: 'str' }>;
    return (i) => v.dict[v.codes[i]];
  });
  const parts = new Array<string>(args.length - 1);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      rows[i] = null;
      continue;
    }
    let units = 0;
    for (let j = 1; j < args.length; j++) {
      parts[j - 1] = readers[j](i);
      units += parts[j - 1].length;
    }
    const sep = readers[0](i);
    units += sep.length * (parts.length - 1);
    if (units > MAX_VARCHAR_LENGTH) checkResultLength('CONCAT_WS', charLength(parts.join(sep)));
    rows[i] = parts.join(sep);
  }
  return strVectorFromRows(rows);
}

function resolveConcatWs(types: readonly DataType[]): Signature {
  checkArity('concat_ws', types, 2, Infinity);
  return { argTypes: types.map((t) => coerceString('concat_ws', types, t)), returnType: Types.varchar };
}

// ---------------------------------------------------------------------------------------
// BASE64 and HEX

export const STANDARD_ALPHABET = '+/=';

export function alphabetOf(fn: string, alphabet: string | undefined): string {
  if (alphabet === undefined || alphabet === '') return STANDARD_ALPHABET;
  const chars = Array.from(alphabet);
  if (chars.length > 3) throw invalidArgument(`Invalid alphabet '${clipValue(alphabet)}' for ${fn}: at most 3 characters (for '+', '/' and '=')`);
  return chars.join('') + STANDARD_ALPHABET.slice(chars.length);
}

/** Replaces the characters of `from` (3 characters) by those of `to`, one by one. */
export function swapAlphabet(s: string, from: string, to: string): string {
  if (from === to) return s;
  let out = '';
  for (const c of s) {
    const k = from.indexOf(c);
    out += k < 0 ? c : to[k];
  }
  return out;
}

/** How an encoder reads its input: a string's UTF-8 bytes, a BINARY's bytes (byte strings are latin1). */
type InputEncoding = 'utf8' | 'latin1';

function inputEncoding(t: DataType): InputEncoding {
  return t.kind === 'BINARY' ? 'latin1' : 'utf8';
}

/** An encoder's argument types: a BINARY input stays BINARY (its bytes are encoded), the rest as the shape says. */
function resolveEncoder(fn: string, shape: string) {
  return (types: readonly DataType[]): Signature => {
    const sig = resolveShape(fn, shape, 1, Types.varchar)(types);
    return types[0].kind === 'BINARY' ? { ...sig, argTypes: [types[0], ...sig.argTypes.slice(1)] } : sig;
  };
}

function base64Encode(maxLineLength: number, alphabet: string, encoding: InputEncoding): (s: string) => string {
  if (maxLineLength < 0) throw invalidArgument(`Invalid maximum line length ${maxLineLength} for BASE64_ENCODE`);
  return (s) => {
    const encoded = swapAlphabet(Buffer.from(s, encoding).toString('base64'), STANDARD_ALPHABET, alphabet);
    if (maxLineLength === 0 || encoded.length <= maxLineLength) return encoded;
    const lines: string[] = [];
    for (let i = 0; i < encoded.length; i += maxLineLength) lines.push(encoded.slice(i, i + maxLineLength));
    return lines.join('\n');
  };
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8Text(fn: string, bytes: Uint8Array, input: string): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new DataError('INVALID_ENCODING', `${fn}: the decoded bytes of '${clipValue(input)}' are not valid UTF-8`);
  }
}

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

function base64DecodeString(alphabet: string): (s: string) => string {
  return (s) => {
    const standard = swapAlphabet(s.replace(/[\s]/g, ''), alphabet, STANDARD_ALPHABET);
    if (!BASE64_TEXT.test(standard) || standard.length % 4 === 1) {
      throw new DataError('INVALID_ENCODING', `BASE64_DECODE_STRING: '${clipValue(s)}' is not valid base64`);
    }
    return utf8Text('BASE64_DECODE_STRING', Buffer.from(standard, 'base64'), s);
  };
}

function hexEncode(upper: number, encoding: InputEncoding): (s: string) => string {
  if (upper !== 0 && upper !== 1) throw invalidArgument(`Invalid case ${upper} for HEX_ENCODE: expected 0 (lowercase) or 1 (uppercase)`);
  return (s) => {
    const hex = Buffer.from(s, encoding).toString('hex');
    return upper ? hex.toUpperCase() : hex;
  };
}

const HEX_TEXT = /^(?:[0-9A-Fa-f]{2})*$/;

function hexDecodeString(s: string): string {
  const hex = s.replace(/\s/g, '');
  if (!HEX_TEXT.test(hex)) throw new DataError('INVALID_ENCODING', `HEX_DECODE_STRING: '${clipValue(s)}' is not valid hex`);
  return utf8Text('HEX_DECODE_STRING', Buffer.from(hex, 'hex'), s);
}

export const textTransformFunctions: FunctionDef[] = [
  {
    name: 'initcap',
    resolve: resolveShape('initcap', 'ss', 1, Types.varchar),
    kernel: stringKernel('str', ([delimiters]) => initcap(delimiters === undefined ? null : str(delimiters))),
    strict: true,
  },
  { name: 'reverse', resolve: resolveShape('reverse', 's', 1, Types.varchar), kernel: stringKernel('str', () => reverse), strict: true },
  { name: 'repeat', resolve: resolveShape('repeat', 'si', 2, Types.varchar), kernel: stringKernel('str', ([count]) => (s) => repeat(s, num(count))), strict: true },
  { name: 'ascii', resolve: resolveShape('ascii', 's', 1, INTEGER), kernel: stringKernel('f64', () => (s) => (s === '' ? 0 : s.codePointAt(0)!)), strict: true },
  {
    name: 'chr',
    aliases: ['char'],
    resolve: resolveShape('chr', 'i', 1, Types.varchar),
    kernel: (args, _argTypes, _type, n) => {
      const v = args[0];
      if (isConst(v)) return constOf(chr(Number(v.value)));
      const codes = v as Extract<typeof v, { kind: 'f64' | 'dec' }>;
      const rows = new Array<string | null>(n);
      for (let i = 0; i < n; i++) rows[i] = codes.nulls && codes.nulls[i] ? null : chr(Number(codes.values[i]));
      return strVectorFromRows(rows);
    },
    strict: true,
  },
  { name: 'translate', resolve: resolveShape('translate', 'sss', 3, Types.varchar), kernel: stringKernel('str', ([from, to]) => translate(str(from), str(to))), strict: true },
  { name: 'concat_ws', resolve: resolveConcatWs, kernel: concatWsKernel, strict: true },
  {
    name: 'strtok',
    resolve: resolveShape('strtok', 'ssi', 1, Types.varchar),
    kernel: stringKernel('str', ([delimiters, part]) => strtok(delimiters === undefined ? ' ' : str(delimiters), part === undefined ? 1 : num(part))),
    strict: true,
  },
  {
    name: 'base64_encode',
    resolve: resolveEncoder('base64_encode', 'sis'),
    kernel: (args, argTypes, type, n) =>
      stringKernel('str', ([length, alphabet]) =>
        base64Encode(length === undefined ? 0 : num(length), alphabetOf('BASE64_ENCODE', alphabet === undefined ? undefined : str(alphabet)), inputEncoding(argTypes[0])),
      )(args, argTypes, type, n),
    strict: true,
  },
  {
    name: 'base64_decode_string',
    resolve: resolveShape('base64_decode_string', 'ss', 1, Types.varchar),
    kernel: stringKernel('str', ([alphabet]) => base64DecodeString(alphabetOf('BASE64_DECODE_STRING', alphabet === undefined ? undefined : str(alphabet)))),
    strict: true,
  },
  {
    name: 'hex_encode',
    resolve: resolveEncoder('hex_encode', 'si'),
    kernel: (args, argTypes, type, n) => stringKernel('str', ([upper]) => hexEncode(upper === undefined ? 1 : num(upper), inputEncoding(argTypes[0])))(args, argTypes, type, n),
    strict: true,
  },
  { name: 'hex_decode_string', resolve: resolveShape('hex_decode_string', 's', 1, Types.varchar), kernel: stringKernel('str', () => hexDecodeString), strict: true },
];
