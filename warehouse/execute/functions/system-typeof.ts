/**
 * SYSTEM$TYPEOF(expr): the SQL type of an expression as Snowflake prints it, the type followed
 * by its storage class in brackets: `NUMBER(1,0)[SB1]`, `VARCHAR(9)[LOB]`, `FLOAT[DOUBLE]`,
 * `NULL[LOB]`.
 *
 * Why: dbt tests and debugging queries print column types with it.
 *
 * Contract: the value depends on the argument's bound type only (a NULL of a typed column still
 * names the type), so the result is one constant VARCHAR for all rows and a NULL argument is
 * not NULL (the function is not strict). The type is typeToSql's text (VARCHAR with its length,
 * NUMBER with precision and scale, timestamps and TIME with their precision). The storage class
 * is Snowflake's: NUMBER the fewest bytes (SB1, SB2, SB4, SB8, SB16) holding its values, from
 * the value when the argument is a constant (or the batch one row), else from its precision; FLOAT DOUBLE;
 * BOOLEAN SB1; DATE SB4; TIME SB8; timestamps SB16; VARCHAR, VARIANT, OBJECT, ARRAY and NULL LOB.
 * Snowflake sizes the storage of a column by the values it holds, so a column's class can be
 * smaller there than the precision gives here.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import { Types, typeToSql } from '../../../storage/types/data-type.js';
import { checkArity, type FunctionDef } from './type-rules.js';
import { constOf, constParam, type Val } from './vector-kit.js';

/** Bytes of the narrowest signed integer holding every value of magnitude `magnitude` (of the scaled integer). */
function integerBytes(magnitude: bigint): number {
  if (magnitude < 128n) return 1;
  if (magnitude < 32768n) return 2;
  if (magnitude < 2n ** 31n) return 4;
  if (magnitude < 2n ** 63n) return 8;
  return 16;
}

function storageClass(t: DataType, value: unknown): string {
  switch (t.kind) {
    case 'NUMBER': {
      const magnitude = typeof value === 'bigint' ? (value < 0n ? -value : value) : 10n ** BigInt(t.precision) - 1n;
      return `SB${integerBytes(magnitude)}`;
    }
    case 'FLOAT':
      return 'DOUBLE';
    case 'BOOLEAN':
      return 'SB1';
    case 'DATE':
      return 'SB4';
    case 'TIME':
      return 'SB8';
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return 'SB16';
    default:
      return 'LOB';
  }
}

function systemTypeofKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const t = argTypes[0];
  const value = t.kind === 'NULL' ? undefined : constParam(args[0], t, n);
  return constOf(`${typeToSql(t)}[${storageClass(t, value)}]`);
}

export const systemTypeofFunctions: FunctionDef[] = [
  {
    name: 'system$typeof',
    resolve: (types) => {
      checkArity('system$typeof', types, 1, 1);
      return { argTypes: [...types], returnType: Types.varchar };
    },
    kernel: systemTypeofKernel,
    strict: false,
  },
];
