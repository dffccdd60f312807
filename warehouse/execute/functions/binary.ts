/**
 * Functions that make BINARY values from text: TO_BINARY / TRY_TO_BINARY, HEX_DECODE_BINARY,
 * BASE64_DECODE_BINARY and their TRY_ forms. (The digests' _BINARY forms live in hash.ts; CONCAT
 * and LENGTH of BINARY in string.ts; HEX_ENCODE / BASE64_ENCODE of BINARY in text-transform.ts;
 * TO_VARCHAR(binary, format) in conversion.ts.)
 *
 * Contract, following Snowflake:
 *  - TO_BINARY(s) reads s in the session's BINARY_INPUT_FORMAT (HEX unless set), as
 *    CAST(s AS BINARY) does; TO_BINARY(s, format) in the format given: HEX, BASE64 or UTF-8
 *    (UTF8), any case. TO_BINARY(variant) converts the VARIANT (its string as hex). Text not in
 *    the format raises 100115 "The following string is not a legal hex-encoded value: '...'";
 *    an unknown format raises INVALID_ARGUMENT_VALUE. The TRY_ forms give NULL for both.
 *  - HEX_DECODE_BINARY(s) and BASE64_DECODE_BINARY(s [, alphabet]) decode hex (either case) and
 *    base64 (whitespace ignored; an alphabet replaces '+', '/' and '=' as BASE64_ENCODE's does);
 *    text that does not decode raises 100115, or gives NULL in the TRY_ forms.
 * Text is decoded once per dictionary entry when the other arguments are constants.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import { BinaryFormat, binaryFormatOf, bytesOfBase64, bytesOfHex, decodeBinary, notLegalBinary } from '../../../storage/types/binary-text.js';
import { canCast } from '../cast/cast-rules.js';
import { castStrVector } from '../cast/cast-strings.js';
import { castVector } from '../cast/cast-vector.js';
import { stringKernel } from './string.js';
import { alphabetOf, STANDARD_ALPHABET, swapAlphabet } from './text-transform.js';
import { checkArity, coerceString, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import { expectKind, isConst, materialize, type Kernel } from './vector-kit.js';

function resolveToBinary(fn: string) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 1, 2);
    if (types.length === 1) {
      const t = types[0];
      if (t.kind !== 'BINARY' && t.kind !== 'VARIANT' && t.kind !== 'NULL') return { argTypes: [coerceString(fn, types, t)], returnType: Types.binary };
      if (!canCast(t, Types.binary)) throw mismatch(fn, types);
      return { argTypes: [t], returnType: Types.binary };
    }
    return { argTypes: [coerceString(fn, types, types[0]), coerceString(fn, types, types[1])], returnType: Types.binary };
  };
}

function unknownFormat(format: string): DataError {
  return new DataError('INVALID_ARGUMENT_VALUE', `Invalid binary format '${clipValue(format)}': expected HEX, BASE64 or UTF-8`);
}

function toBinaryKernel(tryCast: boolean): Kernel {
  return (args, argTypes, type, n, zone, settings) => {
    if (args.length === 1) return castVector(materialize(args[0], argTypes[0], n), argTypes[0], type, tryCast, zone, settings);
    const text = expectKind(materialize(args[0], argTypes[0], n), 'str', 'TO_BINARY');
    if (isConst(args[1])) {
      const format = binaryFormatOf(String(args[1].value));
      if (format === null) {
        if (tryCast) return { kind: 'const', value: null };
        throw unknownFormat(String(args[1].value));
      }
      return castStrVector(text, type, tryCast ? 'null' : 'throw', false, null, undefined, { binaryInput: format });
    }
    // A format per row (rare): decode row by row.
    return stringKernel(
      'str',
      ([name]) => {
        const format = binaryFormatOf(String(name));
        return (s) => {
          if (format === null) {
            if (tryCast) return null;
            throw unknownFormat(String(name));
          }
          const b = decodeBinary(s, format);
          if (b === null && !tryCast) throw notLegalBinary(s, format);
          return b;
        };
      },
    )([text, args[1]], argTypes, type, n);
  };
}

function hexDecode(tryDecode: boolean): (s: string) => string | null {
  return (s) => {
    const b = bytesOfHex(/\s/.test(s) ? s.replace(/\s+/g, '') : s);
    if (b === null && !tryDecode) throw notLegalBinary(s, BinaryFormat.HEX);
    return b;
  };
}

function base64Decode(alphabet: string, tryDecode: boolean): (s: string) => string | null {
  return (s) => {
    const b = bytesOfBase64(swapAlphabet(s, alphabet, STANDARD_ALPHABET));
    if (b === null && !tryDecode) throw notLegalBinary(s, BinaryFormat.BASE64);
    return b;
  };
}

function resolveDecode(fn: string, maxArgs: number) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 1, maxArgs);
    return { argTypes: types.map((t) => coerceString(fn, types, t)), returnType: Types.binary };
  };
}

export const binaryFunctions: FunctionDef[] = [
  { name: 'to_binary', resolve: resolveToBinary('to_binary'), kernel: toBinaryKernel(false), strict: true },
  { name: 'try_to_binary', resolve: resolveToBinary('try_to_binary'), kernel: toBinaryKernel(true), strict: true },
  ...([false, true] as const).flatMap((tryDecode): FunctionDef[] => [
    {
      name: `${tryDecode ? 'try_' : ''}hex_decode_binary`,
      resolve: resolveDecode(`${tryDecode ? 'try_' : ''}hex_decode_binary`, 1),
      kernel: stringKernel('str', () => hexDecode(tryDecode)),
      strict: true,
    },
    {
      name: `${tryDecode ? 'try_' : ''}base64_decode_binary`,
      resolve: resolveDecode(`${tryDecode ? 'try_' : ''}base64_decode_binary`, 2),
      kernel: stringKernel('str', ([alphabet]) => base64Decode(alphabetOf('BASE64_DECODE_BINARY', alphabet === undefined ? undefined : String(alphabet)), tryDecode)),
      strict: true,
    },
  ]),
];
