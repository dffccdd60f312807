/**
 * Which casts exist, explicit (CAST / ::) and implicit (the coercions the function registry
 * may ask the binder to insert). Follows Snowflake's conversion table for Firn's types:
 *   VARCHAR <-> every type; NUMBER <-> FLOAT; NUMBER/FLOAT -> BOOLEAN and BOOLEAN -> NUMBER/FLOAT;
 *   NUMBER/FLOAT -> TIMESTAMP_NTZ (epoch seconds); DATE <-> TIMESTAMP_NTZ; TIMESTAMP_NTZ -> TIME;
 *   TIMESTAMP_NTZ/LTZ/TZ <-> each other (through the session's TIMEZONE: cast-zoned.ts), and LTZ/TZ
 *   as NTZ for DATE, TIME and NUMBER/FLOAT (epoch seconds);
 *   NULL -> anything; anything -> VARIANT, VARIANT -> anything, OBJECT/ARRAY -> VARIANT/VARCHAR,
 *   VARIANT -> OBJECT/ARRAY (a value of another kind fails: cast-variant.ts).
 * Not castable: BOOLEAN <-> DATE/TIMESTAMP, DATE -> NUMBER/FLOAT, TIMESTAMP -> NUMBER/FLOAT.
 * Implicitly, Snowflake converts strings to whatever the operation needs and anything to a
 * string for string functions, but never BOOLEAN <-> NUMBER.
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { isTimestamp, isZonedTimestamp, Types, typeToSql } from '../../../storage/types/data-type.js';

export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === 'NULL' || from.kind === to.kind) return true;
  // LTZ and TZ convert as NTZ does; between the three timestamp kinds every cast exists.
  if (isTimestamp(from) && isTimestamp(to)) return true;
  if (isZonedTimestamp(from)) return canCast(Types.timestampNtz, to);
  if (isZonedTimestamp(to)) return canCast(from, Types.timestampNtz);
  if (to.kind === 'NULL') return false;
  // Semi-structured: anything -> VARIANT; VARIANT -> anything; OBJECT/ARRAY <-> VARIANT and
  // <-> VARCHAR (their JSON text, parsed on the way in: cast-strings.ts).
  if (to.kind === 'VARIANT' || from.kind === 'VARIANT') return true;
  if (from.kind === 'OBJECT' || from.kind === 'ARRAY') return to.kind === 'VARCHAR';
  if (to.kind === 'OBJECT' || to.kind === 'ARRAY') return from.kind === 'VARCHAR';
  if (from.kind === 'VARCHAR' || to.kind === 'VARCHAR') return true;
  switch (from.kind) {
    case 'NUMBER':
    case 'FLOAT':
      return to.kind === 'NUMBER' || to.kind === 'FLOAT' || to.kind === 'BOOLEAN' || to.kind === 'TIMESTAMP_NTZ';
    case 'BOOLEAN':
      return to.kind === 'NUMBER' || to.kind === 'FLOAT';
    case 'DATE':
      return to.kind === 'TIMESTAMP_NTZ';
    case 'TIMESTAMP_NTZ':
      return to.kind === 'DATE' || to.kind === 'TIME';
    case 'TIME':
      return false;
  }
  return false;
}

/** Throws TYPE_MISMATCH when no cast from `from` to `to` exists. */
export function resolveCast(from: DataType, to: DataType): void {
  if (!canCast(from, to)) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: cannot cast ${typeToSql(from)} to ${typeToSql(to)}`);
  }
}

/** May the binder insert this cast on its own (function arguments, comparisons)? */
export function canCoerce(from: DataType, to: DataType): boolean {
  if (!canCast(from, to)) return false;
  // A VARIANT converts on its own to what a function or comparison needs, as in Snowflake
  // (v:name = 'x', v:n + 1); nothing converts to VARIANT unasked (INSERT of a VARCHAR into a
  // VARIANT column is a type error there too), but OBJECT and ARRAY are VARIANTs.
  if (to.kind === 'VARIANT') return from.kind === 'OBJECT' || from.kind === 'ARRAY';
  if (from.kind === 'BOOLEAN' && (to.kind === 'NUMBER' || to.kind === 'FLOAT')) return false;
  if ((from.kind === 'NUMBER' || from.kind === 'FLOAT') && (to.kind === 'BOOLEAN' || isTimestamp(to))) return false;
  return true;
}
