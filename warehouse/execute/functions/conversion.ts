/**
 * Conversion functions, each a CAST (or TRY_CAST for the TRY_ forms) to a fixed type:
 * TO_DATE / DATE, TO_TIMESTAMP / TO_TIMESTAMP_NTZ, TO_VARCHAR / TO_CHAR, TO_NUMBER /
 * TO_DECIMAL / TO_NUMERIC (NUMBER(38,0)), TO_DOUBLE, TO_BOOLEAN.
 *
 * Contract: the argument is accepted when an explicit cast to the target exists
 * (cast-rules.ts); the kernel is castVector, so the functions and CAST agree on every value.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { canCast } from '../cast/cast-rules.js';
import { castVector } from '../cast/cast-vector.js';
import { INTEGER, checkArity, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import type { Val } from './vector-kit.js';

function resolveConversion(fn: string, target: DataType) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 1, 1);
    if (!canCast(types[0], target)) throw mismatch(fn, types);
    return { argTypes: [types[0]], returnType: target };
  };
}

function conversionKernel(tryCast: boolean) {
  return (args: Val[], argTypes: readonly DataType[], type: DataType): Val => castVector(args[0] as Vector, argTypes[0], type, tryCast);
}

/** TO_X and TRY_TO_X, with their aliases. */
function conversion(name: string, target: DataType, aliases: string[] = [], tryAliases: string[] = []): FunctionDef[] {
  return [
    { name, aliases, resolve: resolveConversion(name, target), kernel: conversionKernel(false), strict: true },
    { name: `try_${name}`, aliases: tryAliases, resolve: resolveConversion(`try_${name}`, target), kernel: conversionKernel(true), strict: true },
  ];
}

export const conversionFunctions: FunctionDef[] = [
  ...conversion('to_date', Types.date, ['date']),
  ...conversion('to_timestamp', Types.timestampNtz, ['to_timestamp_ntz'], ['try_to_timestamp_ntz']),
  ...conversion('to_varchar', Types.varchar, ['to_char']),
  ...conversion('to_number', INTEGER, ['to_decimal', 'to_numeric'], ['try_to_decimal', 'try_to_numeric']),
  ...conversion('to_double', Types.float),
  ...conversion('to_boolean', Types.boolean),
];
