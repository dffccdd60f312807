/**
 * Whole-number arguments of window functions (NTILE's bucket count, LAG/LEAD's offset), read
 * once per vector into a Float64Array of plain integers.
 *
 * Contract: NUMBER(p,s) values are unscaled (a scaled 200 at scale 2 is 2); a value with a
 * fraction is a DataError NUMERIC_OUT_OF_RANGE naming the function; NULL rows (and every row
 * of an untyped NULL) are flagged in `nulls`, their value is 0.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Nulls, Vector } from '../../../storage/types/vector.js';

export type IntegerArgument = { values: Float64Array; nulls: Nulls };

export function integerArgument(v: Vector, type: DataType, fn: string, what: string): IntegerArgument {
  const n = v.length;
  const values = new Float64Array(n);
  if (type.kind === 'NULL') return { values, nulls: new Uint8Array(n).fill(1) };
  const nulls = v.nulls;
  const scale = type.kind === 'NUMBER' ? type.scale : 0;
  const divisor = 10 ** scale;
  if (v.kind === 'dec') {
    const big = 10n ** BigInt(scale);
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      if (v.values[i] % big !== 0n) throw notWhole(fn, what);
      values[i] = Number(v.values[i] / big);
    }
    return { values, nulls };
  }
  if (v.kind !== 'f64' && v.kind !== 'i32') throw notWhole(fn, what);
  const x = v.values;
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const y = x[i] / divisor;
    if (!Number.isInteger(y)) throw notWhole(fn, what);
    values[i] = y;
  }
  return { values, nulls };
}

function notWhole(fn: string, what: string): DataError {
  return new DataError('NUMERIC_OUT_OF_RANGE', `${fn.toUpperCase()} ${what} must be a whole number`);
}
