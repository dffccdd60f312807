/**
 * Maps SQL type names (with Snowflake's aliases) to Firn DataTypes.
 * INT/INTEGER/BIGINT/... are NUMBER(38,0) as in Snowflake; TIMESTAMP and DATETIME are
 * TIMESTAMP_NTZ, with an optional precision 0..9 (default 9); TIME takes one too. VARIANT,
 * OBJECT and ARRAY are the semi-structured types (structured ARRAY(t) / OBJECT(...) are not supported).
 * BINARY and VARBINARY take an optional length in bytes, 1 .. 8 MiB (default 8 MiB).
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { MAX_BINARY_LENGTH, MAX_PRECISION, MAX_TIMESTAMP_PRECISION, MAX_VARCHAR_LENGTH, Types, type DataType } from '../../storage/types/data-type.js';
import type { TypeName } from '../sql/ast.js';
import { clipValue } from '../../storage/errors/clip-value.js';

const ZONED_TYPE_NAMES: Record<string, 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ'> = {
  TIMESTAMP_LTZ: 'TIMESTAMP_LTZ',
  TIMESTAMPLTZ: 'TIMESTAMP_LTZ',
  'TIMESTAMP WITH LOCAL TIME ZONE': 'TIMESTAMP_LTZ',
  TIMESTAMP_TZ: 'TIMESTAMP_TZ',
  TIMESTAMPTZ: 'TIMESTAMP_TZ',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP_TZ',
};

export function resolveTypeName(t: TypeName): DataType {
  const [a, b] = t.params;
  switch (t.name) {
    case 'NUMBER':
    case 'DECIMAL':
    case 'NUMERIC': {
      const precision = a ?? MAX_PRECISION;
      const scale = b ?? 0;
      if (precision < 1 || precision > MAX_PRECISION) {
        throw new CompilationError('TYPE_MISMATCH', `Invalid precision ${precision} for ${t.name}: must be between 1 and 38`);
      }
      if (scale < 0 || scale > precision) {
        throw new CompilationError('TYPE_MISMATCH', `Invalid scale ${scale} for ${t.name}(${precision}): must be between 0 and the precision`);
      }
      return { kind: 'NUMBER', precision, scale };
    }
    case 'INT':
    case 'INTEGER':
    case 'BIGINT':
    case 'SMALLINT':
    case 'TINYINT':
    case 'BYTEINT':
      return { kind: 'NUMBER', precision: MAX_PRECISION, scale: 0 };
    case 'FLOAT':
    case 'FLOAT4':
    case 'FLOAT8':
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
    case 'REAL':
      return { kind: 'FLOAT' };
    case 'VARCHAR':
    case 'STRING':
    case 'TEXT':
    case 'NVARCHAR':
    case 'CHARACTER VARYING': {
      const length = a ?? MAX_VARCHAR_LENGTH;
      if (length < 1 || length > MAX_VARCHAR_LENGTH) throw new CompilationError('TYPE_MISMATCH', `Invalid length ${length} for VARCHAR`);
      return { kind: 'VARCHAR', length };
    }
    case 'CHAR':
    case 'CHARACTER':
    case 'NCHAR':
      return { kind: 'VARCHAR', length: a ?? 1 };
    case 'BOOLEAN':
    case 'BOOL':
      return { kind: 'BOOLEAN' };
    case 'DATE':
      return { kind: 'DATE' };
    case 'TIMESTAMP':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMPNTZ':
    case 'TIMESTAMP WITHOUT TIME ZONE':
    case 'DATETIME':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMPLTZ':
    case 'TIMESTAMP WITH LOCAL TIME ZONE':
    case 'TIMESTAMP_TZ':
    case 'TIMESTAMPTZ':
    case 'TIMESTAMP WITH TIME ZONE': {
      const precision = a ?? MAX_TIMESTAMP_PRECISION;
      if (precision < 0 || precision > MAX_TIMESTAMP_PRECISION || !Number.isInteger(precision)) {
        throw new CompilationError('TYPE_MISMATCH', `Invalid precision ${precision} for ${t.name}: must be between 0 and 9`);
      }
      // TIMESTAMP is TIMESTAMP_NTZ: Snowflake's default TIMESTAMP_TYPE_MAPPING.
      const kind = ZONED_TYPE_NAMES[t.name] ?? 'TIMESTAMP_NTZ';
      return Types.timestampOf(kind, precision);
    }
    case 'TIME': {
      const precision = a ?? MAX_TIMESTAMP_PRECISION;
      if (precision < 0 || precision > MAX_TIMESTAMP_PRECISION || !Number.isInteger(precision)) {
        throw new CompilationError('TYPE_MISMATCH', `Invalid precision ${precision} for TIME: must be between 0 and 9`);
      }
      return Types.time(precision);
    }
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      if (t.params.length > 0) throw new NotSupportedError(`Structured type ${t.name}(...)`);
      return { kind: t.name };
    case 'BINARY':
    case 'VARBINARY': {
      const length = a ?? MAX_BINARY_LENGTH;
      if (length < 1 || length > MAX_BINARY_LENGTH || !Number.isInteger(length)) throw new CompilationError('TYPE_MISMATCH', `Invalid length ${length} for BINARY`);
      return length === MAX_BINARY_LENGTH ? { kind: 'BINARY' } : { kind: 'BINARY', length };
    }
    case 'GEOGRAPHY':
      throw new NotSupportedError(`Data type ${t.name}`);
    default:
      throw new CompilationError('TYPE_MISMATCH', `Unsupported data type '${clipValue(t.name)}'`);
  }
}
