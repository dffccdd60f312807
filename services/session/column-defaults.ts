/**
 * A column's DEFAULT as CREATE TABLE and ALTER TABLE ... ADD COLUMN write it, turned into what the
 * catalog records (NewColumn `default` / `sequence`).
 *
 * Contract:
 * - DEFAULT <constant expression> (no column can be named: the scope is empty) is cast to the
 *   column's type and evaluated once, here: its JSON scalar; a failing cast raises its error now.
 * - DEFAULT seq.NEXTVAL names an existing sequence the role holds USAGE on (sequence-access.ts);
 *   INSERTs that omit the column take its next values (cast to the column's type, which must be
 *   one a NUMBER casts to). Any other expression with NEXTVAL in it is INVALID_COLUMN_DEFAULT.
 * - AUTOINCREMENT | IDENTITY gives the column a sequence of its own (START and INCREMENT default 1,
 *   NOORDER unless ORDER is written), on a NUMBER or FLOAT column only (INVALID_COLUMN_DEFAULT).
 * Snowflake allows an explicit value in an INSERT for all of them; so does Firn.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { DataType } from '../../storage/types/data-type.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { scalarToJson } from '../../storage/types/scalar.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import { resolveCast } from '../../warehouse/execute/functions/function-registry.js';
import { lookupSequence } from '../access/sequence-access.js';
import type { AccessContext } from '../access/access-check.js';
import type { ColumnDefault, NewColumnSequence } from '../catalog/catalog.js';
import { castTo, containsNextval, ExprBinder } from '../plan/bind-expr.js';
import { NEXTVAL_TYPE } from '../plan/logical-plan.js';
import { Scope } from '../plan/scope.js';
import type { Expr, IdentitySpec } from '../sql/ast.js';

export type BoundColumnDefault = { default?: ColumnDefault; sequence?: NewColumnSequence };

export function bindColumnDefault(ctx: AccessContext, column: { name: string; type: DataType; default: Expr | null; identity?: IdentitySpec }): BoundColumnDefault {
  if (column.identity) {
    if (column.type.kind !== 'NUMBER' && column.type.kind !== 'FLOAT') {
      throw new CompilationError('INVALID_COLUMN_DEFAULT', `SQL compilation error: AUTOINCREMENT column '${clipValue(column.name)}' must have a numeric type, not ${column.type.kind}.`);
    }
    const { start, increment, ordered } = column.identity;
    return { sequence: { kind: 'identity', start: BigInt(start), increment: BigInt(increment), ordered: ordered === true } };
  }
  const e = column.default;
  if (e === null) return {};
  if (e.kind === 'nextval') {
    const seq = lookupSequence(ctx, e.sequence, 'USAGE');
    try {
      resolveCast(NEXTVAL_TYPE, column.type);
    } catch {
      throw new CompilationError('INVALID_COLUMN_DEFAULT', `SQL compilation error: the DEFAULT ${clipValue(seq.qualified)}.NEXTVAL of column '${clipValue(column.name)}' cannot become its type ${column.type.kind}.`);
    }
    return { sequence: { kind: 'named', id: seq.id } };
  }
  if (containsNextval(e)) {
    throw new CompilationError('INVALID_COLUMN_DEFAULT', `SQL compilation error: the DEFAULT of column '${clipValue(column.name)}' must be a constant or a sequence's NEXTVAL alone.`);
  }
  return { default: constantDefault(e, column.type) };
}

/** A constant DEFAULT cast to the column's type and evaluated once, as its JSON scalar. */
function constantDefault(e: Expr, type: DataType): ColumnDefault {
  const bound = castTo(new ExprBinder(new Scope([]), null, 'DEFAULT').bind(e), type);
  return scalarToJson(scalarAt(evaluateExpr(bound, { length: 1, columns: [] }), 0, type));
}
