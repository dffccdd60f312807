/**
 * The scalar function registry: one table from SQL function and operator names to their
 * typing rule and kernel. The binder (services/plan) calls resolveFunction to type-check a
 * call and learn which implicit casts to insert; evaluate-expr calls getFunction to run the
 * kernel named in a bound `call` node.
 *
 * Contract:
 *  - Names are case-insensitive; aliases (len, substring, dayofmonth, nvl, mod, ...) resolve
 *    to one stable canonical name, which is what a bound call carries in `fn`.
 *  - resolveFunction returns, per argument, the type the binder must cast it to (the kernel
 *    then receives exactly those types) and the result type. Unknown names raise
 *    CompilationError UNKNOWN_FUNCTION; impossible argument types raise TYPE_MISMATCH naming
 *    the function and the types.
 *  - `constArgs` (optional) carries the values of literal arguments. Result types that depend
 *    on them use them: DATEADD of a time part to a DATE yields TIMESTAMP_NTZ, ROUND(x, 1)
 *    has scale 1, and part names are validated at compile time. Without them DATEADD on a
 *    DATE stays a DATE and ROUND keeps the input scale (values are still rounded).
 *  - Typing follows Snowflake; see type-rules.ts for arithmetic precision and scale.
 */
import { CompilationError, InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { arithmeticFunctions } from './arithmetic.js';
import { bitwiseFunctions } from './bitwise.js';
import { calendarFunctions } from './calendar.js';
import { comparisonFunctions } from './comparison.js';
import { conditionalFunctions } from './conditional.js';
import { conversionFunctions } from './conversion.js';
import { dateFunctions } from './date.js';
import { dataGenerationFunctions } from './data-generation.js';
import { nullHandlingFunctions } from './null-handling.js';
import { hashFunctions } from './hash.js';
import { binaryFunctions } from './binary.js';
import { mathFunctions } from './math.js';
import { regexpFunctions } from './regexp.js';
import { semiStructuredFunctions } from './semi-structured.js';
import { singleRowCheckFunctions } from './single-row-check.js';
import { variantOrderKeyFunctions } from './variant-order-key.js';
import { stringFunctions } from './string.js';
import { textTransformFunctions } from './text-transform.js';
import { zonedFunctions } from './zoned-date.js';
import { arrayFunctions } from './array-functions.js';
import { objectFunctions } from './object-functions.js';
import { extraStringFunctions } from './string-extra.js';
import { timeSliceFunctions } from './time-slice.js';
import { systemTypeofFunctions } from './system-typeof.js';
import type { ConstArgs, FunctionDef } from './type-rules.js';

export { resolveCast } from '../cast/cast-rules.js';
export { commonSuperType } from './type-rules.js';
export type { FunctionDef } from './type-rules.js';

export type ResolvedFunction = { fn: string; argTypes: DataType[]; returnType: DataType };

const registry = new Map<string, FunctionDef>();
for (const def of [...arithmeticFunctions, ...mathFunctions, ...bitwiseFunctions, ...comparisonFunctions, ...stringFunctions, ...textTransformFunctions, ...regexpFunctions, ...hashFunctions, ...binaryFunctions, ...dateFunctions, ...calendarFunctions, ...conditionalFunctions, ...nullHandlingFunctions, ...conversionFunctions, ...singleRowCheckFunctions, ...variantOrderKeyFunctions, ...semiStructuredFunctions, ...dataGenerationFunctions, ...zonedFunctions,
  ...arrayFunctions, ...objectFunctions, ...extraStringFunctions, ...timeSliceFunctions, ...systemTypeofFunctions]) {
  for (const name of [def.name, ...(def.aliases ?? [])]) {
    if (registry.has(name)) throw new InternalError(`function ${name} is registered twice`);
    registry.set(name, def);
  }
}

function lookup(name: string): FunctionDef | undefined {
  return registry.get(name.toLowerCase());
}

export function resolveFunction(name: string, argTypes: DataType[], constArgs: ConstArgs = []): ResolvedFunction {
  const def = lookup(name);
  if (!def) throw new CompilationError('UNKNOWN_FUNCTION', `SQL compilation error: Unknown function ${name.toUpperCase()}`);
  const sig = def.resolve(argTypes, constArgs);
  return { fn: def.name, argTypes: sig.argTypes, returnType: sig.returnType };
}

/** Every canonical function name (aliases excluded), for tests and documentation. */
export function registeredFunctionNames(): string[] {
  return [...new Set([...registry.values()].map((def) => def.name))].sort();
}

/** The registry entry of a bound call's `fn` (canonical names and aliases both work). */
export function getFunction(fn: string): FunctionDef {
  const def = lookup(fn);
  if (!def) throw new InternalError(`no kernel for function '${fn}'`);
  return def;
}
