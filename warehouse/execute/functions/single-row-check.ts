/**
 * The runtime check behind a decorrelated scalar subquery that is not an aggregate (a
 * lookup such as `(SELECT name FROM dept d WHERE d.id = e.dept_id)`): the binder groups the
 * subquery's rows by the correlation key, keeps ANY_VALUE of the value and COUNT(*), and
 * reads the value through `$single_row(count > 1, value)`.
 *
 * Contract: `$single_row(violated BOOLEAN, value)` returns `value` unchanged; when
 * `violated` is TRUE on any row it raises SUBQUERY_MULTIPLE_ROWS ("Single-row subquery
 * returns more than one row.", 090150), the error an uncorrelated scalar subquery of more
 * than one row raises. NULL `violated` (an outer row without a match) is not a violation.
 * The `$` keeps the name out of reach of SQL identifiers; only the binder calls it.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { checkArity, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import { expectKind, isConst, type Val } from './vector-kit.js';

export const SINGLE_ROW_CHECK = '$single_row';

function resolveSingleRow(types: readonly DataType[]): Signature {
  checkArity(SINGLE_ROW_CHECK, types, 2, 2);
  if (types[0].kind !== 'BOOLEAN' && types[0].kind !== 'NULL') throw mismatch(SINGLE_ROW_CHECK, types);
  return { argTypes: [...types], returnType: types[1] };
}

function singleRowKernel(args: Val[]): Val {
  const violated = args[0];
  let bad = false;
  if (isConst(violated)) {
    bad = violated.value === true;
  } else {
    const v = expectKind(violated, 'bool', SINGLE_ROW_CHECK);
    const nulls = v.nulls;
    for (let i = 0; i < v.length && !bad; i++) bad = v.values[i] !== 0 && (nulls === null || nulls[i] === 0);
  }
  if (bad) throw new DataError('SUBQUERY_MULTIPLE_ROWS', 'Single-row subquery returns more than one row.');
  return args[1];
}

export const singleRowCheckFunctions: FunctionDef[] = [{ name: SINGLE_ROW_CHECK, resolve: resolveSingleRow, kernel: singleRowKernel, strict: false }];
