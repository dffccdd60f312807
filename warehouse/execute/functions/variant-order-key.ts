/**
 * `$variant_order_key(v)`: the VARCHAR key whose order is the order of VARIANT, OBJECT and
 * ARRAY values (storage/types/variant-order-key.ts). The binder wraps a semi-structured ORDER
 * BY key (of a query, a window, a WITHIN GROUP) and both sides of `<` `<=` `>` `>=` between two
 * semi-structured values in it, so every sort and comparison orders them as Snowflake does
 * without knowing about VARIANT. NULL gives NULL. Computed once per dictionary entry. The `$`
 * keeps the name out of reach of SQL identifiers; only the binder calls it.
 */
import { isSemiStructured, Types, type DataType } from '../../../storage/types/data-type.js';
import { variantOrderKey } from '../../../storage/types/variant-order-key.js';
import { checkArity, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import { constOf, expectKind, isConst, type Val } from './vector-kit.js';

export const VARIANT_ORDER_KEY = '$variant_order_key';

function resolveOrderKey(types: readonly DataType[]): Signature {
  checkArity(VARIANT_ORDER_KEY, types, 1, 1);
  if (!isSemiStructured(types[0]) && types[0].kind !== 'NULL') throw mismatch(VARIANT_ORDER_KEY, types);
  return { argTypes: [...types], returnType: Types.varchar };
}

function orderKeyKernel(args: Val[]): Val {
  const a = args[0];
  if (isConst(a)) return constOf(a.value === null ? null : variantOrderKey(String(a.value)));
  const v = expectKind(a, 'str', VARIANT_ORDER_KEY);
  return { kind: 'str', length: v.length, codes: v.codes, dict: v.dict.map(variantOrderKey), nulls: v.nulls };
}

export const variantOrderKeyFunctions: FunctionDef[] = [{ name: VARIANT_ORDER_KEY, resolve: resolveOrderKey, kernel: orderKeyKernel, strict: true }];
