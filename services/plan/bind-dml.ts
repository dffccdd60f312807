/**
 * Binding of UPDATE, DELETE and MERGE into the logical plan of their change rows, which a
 * DML's rewrite stage (services/physical/plan-dml.ts, warehouse rewrite_exec) applies to the
 * target's partitions copy-on-write. The target is scanned with row addresses (ScanNode.rowIds):
 *  - DELETE: `[$partition, $row]` of the target rows the WHERE (over target × USING) keeps;
 *  - UPDATE: `[$partition, $row, new values…]`, one value per table column (the SET
 *    expression cast to the column's type, else the old value), over target × FROM filtered
 *    by WHERE; a target row joined by several FROM rows appears once per row (multi-joined);
 *  - MERGE: source LEFT JOIN target ON …, so unmatched source rows survive with NULL
 *    addresses; `[$partition, $row, $action, new values…]` where $action (MergeAction) is the
 *    first WHEN clause, in order, whose MATCHED-ness and AND predicate hold; rows no clause
 *    takes are dropped. New values are the UPDATE's SET or the INSERT's VALUES (NULL for a
 *    column it does not list); a DELETE row's values are ignored.
 * Contract: the target is bound at the table's current version, in the same synchronous bind
 * as every other table of the statement (one snapshot); `plan` is not optimized or pruned. The
 * role must hold the statement's privileges on the target (UPDATE; DELETE; MERGE: those of its
 * clauses) and SELECT on every other table it reads (services/access/access-check.ts).
 */
import { stampZone } from './stamp-zone.js';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { MergeAction, RewriteMode } from '../../warehouse/fragment/stage-plan.js';
import type { TableInfo } from '../catalog/catalog.js';
import type { Assignment, Expr, ObjectName, Statement, TableRef } from '../sql/ast.js';
import type { BindContext } from './bind-context.js';
import { castTo, ExprBinder } from './bind-expr.js';
import { bindFrom, bindWhere, exprBinder, lookupTable } from './bind-query.js';
import { ROW_ID_COLUMNS, type LogicalPlan, type ScanNode } from './logical-plan.js';
import { Scope } from './scope.js';
import type { TablePrivilege } from '../access/access-check.js';
import { columnDefaultExpr, sequenceHook, withSequenceColumns } from './bind-sequences.js';

export type BoundDml = { table: TableInfo; mode: RewriteMode; plan: LogicalPlan; setColumns: number[] };

type Relation = { plan: LogicalPlan; scope: Scope };

/** The qualifier of the row address columns in a DML's scope (no SQL name reaches it). */
const ADDRESS_QUALIFIER = '$address';
const ADDRESS_TYPE: DataType = ROW_ID_COLUMNS[0].type;

export function bindDml(ctx: BindContext, st: Extract<Statement, { kind: 'update' | 'delete' | 'merge' }>): BoundDml {
  const bound = bindDmlBody(ctx, st);
  return { ...bound, plan: stampZone(bound.plan, ctx.session.timezone, ctx.session.settings) };
}

function bindDmlBody(ctx: BindContext, st: Extract<Statement, { kind: 'update' | 'delete' | 'merge' }>): BoundDml {
  switch (st.kind) {
    case 'delete':
      return bindDelete(ctx, st);
    case 'update':
      return bindUpdate(ctx, st);
    case 'merge':
      return bindMerge(ctx, st);
  }
}

/**
 * The target scanned with row addresses; its scope names its columns by `alias` (else its name),
 * the addresses by no SQL name. `need`: the privileges the statement needs on it (UPDATE, DELETE,
 * or those of MERGE's clauses); other tables it reads need SELECT, as in any query.
 */
function bindTarget(ctx: BindContext, name: ObjectName, alias: string | null, need: readonly TablePrivilege[]): { table: TableInfo; rel: Relation } {
  const table = lookupTable(ctx, name, need);
  const scan: ScanNode = {
    kind: 'scan',
    table,
    version: table.currentVersion,
    partitions: ctx.catalog.livePartitions(table.id, table.currentVersion),
    columns: table.columns.map((_, i) => i),
    filter: null,
    pruning: null,
    rowIds: true,
  };
  const qualifier = alias ?? table.name;
  const scope = new Scope([
    ...table.columns.map((c) => ({ qualifier, name: c.name, type: c.type })),
    ...ROW_ID_COLUMNS.map((c) => ({ qualifier: ADDRESS_QUALIFIER, name: c.name, type: c.type, merged: true })),
  ]);
  return { table, rel: { plan: scan, scope } };
}

/** What a MERGE needs on its target: INSERT, UPDATE and DELETE for the clauses it has. */
function mergePrivileges(st: Extract<Statement, { kind: 'merge' }>): TablePrivilege[] {
  const need = new Set<TablePrivilege>();
  for (const c of st.clauses) need.add(c.kind === 'matched_update' ? 'UPDATE' : c.kind === 'matched_delete' ? 'DELETE' : 'INSERT');
  return [...need];
}

/** `left` × `right` (a WHERE or ON turns it into a join). */
function cross(left: Relation, right: Relation): Relation {
  return { plan: { kind: 'join', joinType: 'CROSS', left: left.plan, right: right.plan, condition: null }, scope: left.scope.concat(right.scope) };
}

function withFrom(ctx: BindContext, rel: Relation, from: TableRef | null, where: Expr | null): Relation {
  let out = from ? cross(rel, bindFrom(ctx, from)) : rel;
  if (where) out = bindWhere(ctx, out, where);
  return out;
}

function column(index: number, type: DataType): BoundExpr {
  return { kind: 'column', index, type };
}

/** The binder of SET values and MERGE clauses: seq.NEXTVAL is allowed (a sequence node gives its values: bind-sequences.ts). */
function dmlBinder(ctx: BindContext, scope: Scope, clause: string): ExprBinder {
  const b = exprBinder(ctx, scope, clause);
  return new ExprBinder(b.scope, b.hook, b.clause, b.subquery, sequenceHook(ctx));
}

function bindDelete(ctx: BindContext, st: Extract<Statement, { kind: 'delete' }>): BoundDml {
  const { table, rel } = bindTarget(ctx, st.table, st.alias, ['DELETE']);
  const width = table.columns.length;
  const kept = withFrom(ctx, rel, st.using, st.where);
  const plan: LogicalPlan = { kind: 'project', input: kept.plan, exprs: [column(width, ADDRESS_TYPE), column(width + 1, ADDRESS_TYPE)], names: ROW_ID_COLUMNS.map((c) => c.name) };
  return { table, mode: RewriteMode.DELETE, plan, setColumns: [] };
}

/** Positions of the SET columns in the table, each at most once; the bound values cast to their column types. */
function bindAssignments(ctx: BindContext, table: TableInfo, qualifier: string, set: Assignment[], scope: Scope, clause: string): Map<number, BoundExpr> {
  const out = new Map<number, BoundExpr>();
  const binder = dmlBinder(ctx, scope, clause);
  for (const a of set) {
    const i = table.columns.findIndex((c) => c.name === a.column);
    if (i < 0 || (a.qualifier !== null && a.qualifier !== qualifier)) {
      throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${clipValue(a.qualifier ? `${a.qualifier}.${a.column}` : a.column)}'`);
    }
    if (out.has(i)) throw new CompilationError('SYNTAX', `SQL compilation error: duplicate column name '${clipValue(a.column)}' in ${clause}`);
    out.set(i, castTo(binder.bind(a.expr), table.columns[i].type));
  }
  return out;
}

function bindUpdate(ctx: BindContext, st: Extract<Statement, { kind: 'update' }>): BoundDml {
  const { table, rel } = bindTarget(ctx, st.table, st.alias, ['UPDATE']);
  const width = table.columns.length;
  const kept = withFrom(ctx, rel, st.from, st.where);
  const set = bindAssignments(ctx, table, st.alias ?? table.name, st.set, kept.scope, 'SET');
  const values = table.columns.map((c, i) => set.get(i) ?? column(i, c.type));
  const placed = withSequenceColumns(kept.plan, [column(width, ADDRESS_TYPE), column(width + 1, ADDRESS_TYPE), ...values]);
  const plan: LogicalPlan = {
    kind: 'project',
    input: placed.plan,
    exprs: placed.exprs,
    names: [...ROW_ID_COLUMNS.map((c) => c.name), ...table.columns.map((c) => c.name)],
  };
  return { table, mode: RewriteMode.UPDATE, plan, setColumns: [...set.keys()] };
}

function bindMerge(ctx: BindContext, st: Extract<Statement, { kind: 'merge' }>): BoundDml {
  const source = bindFrom(ctx, st.source);
  const { table, rel: target } = bindTarget(ctx, st.table, st.alias, mergePrivileges(st));
  const qualifier = st.alias ?? table.name;
  const scope = source.scope.concat(target.scope);
  const on = exprBinder(ctx, scope, 'ON').bindBoolean(st.on);
  const joined: LogicalPlan = { kind: 'join', joinType: 'LEFT', left: source.plan, right: target.plan, condition: on };
  const at = source.scope.columns.length;
  const width = table.columns.length;
  const address = column(at + width, ADDRESS_TYPE);
  const matched: BoundExpr = { kind: 'is_null', expr: address, negated: true, type: Types.boolean };
  const notMatched: BoundExpr = { kind: 'is_null', expr: address, negated: false, type: Types.boolean };
  const old = (i: number) => column(at + i, table.columns[i].type);
  const setColumns = new Set<number>();
  // Per clause: when it takes a row, its action and the row's new values.
  const clauses = st.clauses.map((c) => {
    const binder = dmlBinder(ctx, scope, 'MERGE');
    const whenBase = c.kind === 'not_matched_insert' ? notMatched : matched;
    const when: BoundExpr = c.and ? { kind: 'and', args: [whenBase, binder.bindBoolean(c.and)], type: Types.boolean } : whenBase;
    if (c.kind === 'matched_delete') return { when, action: MergeAction.DELETE, values: table.columns.map((_, i) => old(i)) };
    if (c.kind === 'matched_update') {
      const set = bindAssignments(ctx, table, qualifier, c.set, scope, 'MERGE UPDATE SET');
      for (const i of set.keys()) setColumns.add(i);
      return { when, action: MergeAction.UPDATE, values: table.columns.map((_, i) => set.get(i) ?? old(i)) };
    }
    const names = c.columns ?? table.columns.map((col) => col.name);
    if (names.length !== c.values.length) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: Insert value list does not match column list expecting ${names.length} but got ${c.values.length}`);
    }
    const byColumn = new Map<number, BoundExpr>();
    names.forEach((name, k) => {
      const i = table.columns.findIndex((col) => col.name === name);
      if (i < 0) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${clipValue(name)}'`);
      if (byColumn.has(i)) throw new CompilationError('SYNTAX', `SQL compilation error: duplicate column name '${clipValue(name)}' in MERGE INSERT`);
      byColumn.set(i, castTo(binder.bind(c.values[k]), table.columns[i].type));
    });
    return { when, action: MergeAction.INSERT, values: table.columns.map((col, i) => byColumn.get(i) ?? columnDefaultExpr(table, col, ctx.catalog.sequences)) };
  });
  const firstOf = (then: (c: (typeof clauses)[number]) => BoundExpr, type: DataType): BoundExpr => ({
    kind: 'case',
    whens: clauses.map((c) => ({ when: c.when, then: then(c) })),
    else: null,
    type,
  });
  const actionType = Types.number(1, 0);
  const action = firstOf((c) => ({ kind: 'literal', value: BigInt(c.action), type: actionType }), actionType);
  const values = table.columns.map((col, i) => firstOf((c) => c.values[i], col.type));
  const taken: LogicalPlan = { kind: 'filter', input: joined, predicate: { kind: 'is_null', expr: action, negated: true, type: Types.boolean } };
  // An INSERT clause's sequence defaults take their values from a sequence node (bind-sequences.ts).
  const placed = withSequenceColumns(taken, [address, column(at + width + 1, ADDRESS_TYPE), action, ...values]);
  const plan: LogicalPlan = {
    kind: 'project',
    input: placed.plan,
    exprs: placed.exprs,
    names: [...ROW_ID_COLUMNS.map((c) => c.name), '$action', ...table.columns.map((c) => c.name)],
  };
  return { table, mode: RewriteMode.MERGE, plan, setColumns: [...setColumns] };
}
