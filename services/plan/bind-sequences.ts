/**
 * seq.NEXTVAL in a bound plan. The binder binds each reference to a `nextval` expression (through
 * `sequenceHook`, which resolves the name and checks USAGE on the sequence), and the expressions
 * of a projection then get their values from a `sequence` node under it (`withSequenceColumns`):
 * one column per reference, so each reference of each row has a value of its own, as Snowflake
 * documents (`SELECT s.nextval, s.nextval` gives two values per row).
 *
 * Why a plan node and not an expression the kernels evaluate: a projected expression may be copied
 * by the optimizer (a filter pushed through a projection substitutes it), which would evaluate it
 * twice with two different values; a node's column is computed once, wherever it is read. The
 * values themselves are reserved from the catalog in blocks (sequence-store.ts): by nextval_exec in
 * the workers as batches come, or by services before anything runs when the rows are known
 * (VALUES: reserve-sequence-values.ts). Only VALUES rows keep `nextval` expressions.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { scalarFromJson } from '../../storage/types/scalar.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { lookupSequence } from '../access/sequence-access.js';
import type { ColumnInfo, TableInfo } from '../catalog/catalog.js';
import type { SequenceStore } from '../catalog/sequence-store.js';
import type { ObjectName } from '../sql/ast.js';
import type { BindContext } from './bind-context.js';
import { castTo, type SequenceHook } from './bind-expr.js';
import { mapChildren } from '../../warehouse/fragment/bound-expr-walk.js';
import { NEXTVAL_TYPE, planColumns, type LogicalPlan } from './logical-plan.js';
import { transformUp } from './transform-up.js';

/** Binds `name.NEXTVAL`: the sequence must exist and the role see it and hold USAGE on it. */
export function sequenceHook(ctx: BindContext): SequenceHook {
  return (name: ObjectName): BoundExpr => {
    const seq = lookupSequence(ctx, name, 'USAGE');
    return { kind: 'nextval', sequence: seq.id, name: seq.qualified, type: NEXTVAL_TYPE };
  };
}

/**
 * What a row that omits `col` gets: its constant DEFAULT, or its sequence's next value (DEFAULT
 * seq.NEXTVAL, AUTOINCREMENT) cast to its type. A DEFAULT naming a dropped sequence is OBJECT_NOT_FOUND.
 */
export function columnDefaultExpr(table: Pick<TableInfo, 'database' | 'schema' | 'name'>, col: ColumnInfo, sequences: SequenceStore): BoundExpr {
  if (!col.sequence) return { kind: 'literal', value: scalarFromJson(col.type, col.default), type: col.type };
  const qualified = `${table.database}.${table.schema}.${table.name}`;
  if (!sequences.getSequenceById(col.sequence.id)) {
    throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Sequence used as a default value in table '${clipValue(qualified)}' column '${clipValue(col.name)}' does not exist or not authorized.`);
  }
  const name = col.sequence.identity ? `${qualified}.${col.name}$IDENTITY` : (sequences.qualifiedName(col.sequence.id) ?? `#${col.sequence.id}`);
  return castTo({ kind: 'nextval', sequence: col.sequence.id, name, type: NEXTVAL_TYPE }, col.type);
}

/** Whether `e` takes a sequence's next value anywhere. */
export function hasNextval(e: BoundExpr): boolean {
  if (e.kind === 'nextval') return true;
  let found = false;
  mapChildren(e, (c) => {
    found ||= hasNextval(c);
    return c;
  });
  return found;
}

/** Whether running `plan` takes sequence values (a `sequence` node, or NEXTVAL in VALUES rows): such a result is never reused. */
export function takesSequenceValues(plan: LogicalPlan): boolean {
  let found = false;
  transformUp(plan, (p) => {
    found ||= p.kind === 'sequence' || (p.kind === 'values' && p.rows.some((r) => r.some(hasNextval)));
    return p;
  });
  return found;
}

/**
 * `exprs` (over `input`'s columns) with each nextval expression replaced by a column of a
 * `sequence` node over `input`, in the order they appear; `input` and `exprs` unchanged when
 * there is none.
 */
export function withSequenceColumns(input: LogicalPlan, exprs: readonly BoundExpr[]): { plan: LogicalPlan; exprs: BoundExpr[] } {
  if (!exprs.some(hasNextval)) return { plan: input, exprs: [...exprs] };
  const width = planColumns(input).length;
  const sequences: { id: number; name: string }[] = [];
  const place = (e: BoundExpr): BoundExpr => {
    if (e.kind !== 'nextval') return mapChildren(e, place);
    sequences.push({ id: e.sequence, name: e.name });
    return { kind: 'column', index: width + sequences.length - 1, type: e.type };
  };
  const placed = exprs.map(place);
  return { plan: { kind: 'sequence', input, sequences }, exprs: placed };
}
