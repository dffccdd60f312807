/**
 * The pruning predicate: the part of a scan's filter that can be decided from zone maps.
 *
 * Contract (the one rule pruning lives by): a partition may be skipped only when the filter
 * is PROVEN false-or-NULL for every row in it; it may be scanned without the filter only
 * when the filter is PROVEN true for every row. Anything we cannot reason about becomes
 * `unknown`, which never proves anything. Comparisons are recognised between a column (or
 * an order-preserving cast of one) and a constant; NOT is pushed to the leaves (valid under
 * three-valued logic, since NOT(a < b) is a >= b whenever both are non-NULL and NULL otherwise).
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import { formatDate, formatDecimal, formatTime, formatTimestampNanos } from '../../storage/types/value-text.js';
import { hexOfBytes } from '../../storage/types/binary-text.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { SHRED_SEPARATOR, isShreddedName } from '../../storage/partition/shredded-path.js';

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/**
 * A column seen through an order-preserving cast: `type` is the type compared in. `shredded`:
 * `name` is a shredded VARIANT path's sub-column (shredded-path.ts), seen through
 * COALESCE(sub, CAST(path AS type)) as read_shredded_paths writes it; its zone is the
 * partition's ZoneMap.shredded entry, which proves anything only where `others` is 0.
 */
export type PruneColumn = { name: string; columnType: DataType; type: DataType; shredded?: true };

export type PruningExpr =
  | { kind: 'compare'; column: PruneColumn; op: CompareOp; value: Scalar }
  | { kind: 'in'; column: PruneColumn; values: Scalar[] }
  | { kind: 'is_null'; column: PruneColumn; negated: boolean }
  | { kind: 'prefix'; column: PruneColumn; prefix: string }
  | { kind: 'and'; args: PruningExpr[] }
  | { kind: 'or'; args: PruningExpr[] }
  | { kind: 'constant'; value: boolean | null }
  | { kind: 'unknown' };

const FLIP: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };
const NEGATE: Record<CompareOp, CompareOp> = { eq: 'ne', ne: 'eq', lt: 'ge', le: 'gt', gt: 'le', ge: 'lt' };

/**
 * Builds the pruning predicate of `filter`, whose column i is the table column named
 * `columnNames[i]`.
 */
export function buildPruningPredicate(filter: BoundExpr, columnNames: string[]): PruningExpr {
  return build(filter, columnNames, false);
}

function build(e: BoundExpr, names: string[], negated: boolean): PruningExpr {
  switch (e.kind) {
    case 'literal':
      if (e.value === null) return { kind: 'constant', value: null };
      if (typeof e.value === 'boolean') return { kind: 'constant', value: negated ? !e.value : e.value };
      return { kind: 'unknown' };
    case 'not':
      return build(e.expr, names, !negated);
    case 'and':
    case 'or': {
      const args = e.args.map((a) => build(a, names, negated));
      const conj = (e.kind === 'and') !== negated;
      return { kind: conj ? 'and' : 'or', args };
    }
    case 'is_null': {
      const column = pruneColumn(e.expr, names, true);
      return column ? { kind: 'is_null', column, negated: e.negated !== negated } : { kind: 'unknown' };
    }
    case 'in_list': {
      if (e.negated !== negated) return { kind: 'unknown' };
      const column = pruneColumn(e.expr, names, false);
      if (!column || !e.list.every((x) => x.kind === 'literal')) return { kind: 'unknown' };
      const literals = e.list as Extract<BoundExpr, { kind: 'literal' }>[];
      const scale = Math.max(numberScale(column.type), ...literals.map((l) => numberScale(l.type)));
      const values: Scalar[] = [];
      for (const l of literals) {
        if (l.value === null) continue;
        const v = align(l.value, l.type, column.type, scale);
        if (v === undefined) return { kind: 'unknown' };
        values.push(v);
      }
      return { kind: 'in', column: withScale(column, scale), values };
    }
    case 'like': {
      if (e.caseInsensitive || e.negated !== negated || e.pattern.kind !== 'literal' || typeof e.pattern.value !== 'string') return { kind: 'unknown' };
      const column = pruneColumn(e.expr, names, true);
      if (!column) return { kind: 'unknown' };
      const m = /^[^%_\\]*/.exec(e.pattern.value)![0];
      if (m.length === e.pattern.value.length) return { kind: 'compare', column, op: 'eq', value: m };
      return m.length > 0 ? { kind: 'prefix', column, prefix: m } : { kind: 'unknown' };
    }
    case 'call': {
      if (!(e.fn in FLIP) || e.args.length !== 2) return { kind: 'unknown' };
      let op = e.fn as CompareOp;
      let [a, b] = e.args;
      if (a.kind === 'literal') {
        [a, b] = [b, a];
        op = FLIP[op];
      }
      if (b.kind !== 'literal') return { kind: 'unknown' };
      if (b.value === null) return { kind: 'constant', value: null };
      const column = pruneColumn(a, names, false);
      if (!column) return { kind: 'unknown' };
      const scale = Math.max(numberScale(column.type), numberScale(b.type));
      const value = align(b.value, b.type, column.type, scale);
      if (value === undefined) return { kind: 'unknown' };
      return { kind: 'compare', column: withScale(column, scale), op: negated ? NEGATE[op] : op, value };
    }
    default:
      return { kind: 'unknown' };
  }
}

function numberScale(t: DataType): number {
  return t.kind === 'NUMBER' ? t.scale : 0;
}

/**
 * The constant as a value comparable with the column's bounds: same kind of type, and for
 * NUMBERs the same scale (the larger of the two, so rescaling is exact). undefined when the
 * kinds differ and nothing can be proven.
 */
function align(value: Scalar, valueType: DataType, columnType: DataType, scale: number): Scalar | undefined {
  if (valueType.kind !== columnType.kind) return undefined;
  if (valueType.kind === 'NUMBER') return (value as bigint) * 10n ** BigInt(scale - valueType.scale);
  return value;
}

function withScale(c: PruneColumn, scale: number): PruneColumn {
  return c.type.kind === 'NUMBER' && c.type.scale !== scale ? { ...c, type: { kind: 'NUMBER', precision: 38, scale } } : c;
}

/** A column reference, possibly under casts that keep order (and NULLs) as they are. */
function pruneColumn(e: BoundExpr, names: string[], exactOnly: boolean): PruneColumn | null {
  if (e.kind === 'call' && e.fn === 'coalesce' && e.args.length === 2 && e.args[0].kind === 'column' && isShreddedName(names[e.args[0].index]) && e.args[1].kind === 'cast') {
    return { name: names[e.args[0].index], columnType: e.type, type: e.type, shredded: true };
  }
  if (e.kind === 'column' && isShreddedName(names[e.index])) return null;
  if (e.kind === 'column') return { name: names[e.index], columnType: e.type, type: e.type };
  if (exactOnly || e.kind !== 'cast' || e.try || e.expr.kind !== 'column') return null;
  const from = e.expr.type;
  const to = e.type;
  const monotonic =
    (from.kind === 'NUMBER' && (to.kind === 'NUMBER' || to.kind === 'FLOAT')) ||
    (from.kind === 'DATE' && to.kind === 'TIMESTAMP_NTZ');
  return monotonic ? { name: names[e.expr.index], columnType: from, type: to } : null;
}

/** How the pruning predicate names a column: a shredded path as `V:a.b` (its Parquet field name holds U+001F). */
function columnText(c: PruneColumn): string {
  if (!c.shredded) return c.name;
  const [column, path] = c.name.split(SHRED_SEPARATOR);
  return `${column}:${(JSON.parse(path) as string[]).join('.')}`;
}

export function pruningPredicateText(p: PruningExpr): string {
  switch (p.kind) {
    case 'compare':
      return `${columnText(p.column)} ${{ eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' }[p.op]} ${showScalar(p.value, p.column.type)}`;
    case 'in':
      return `${columnText(p.column)} IN (${p.values.map((v) => showScalar(v, p.column.type)).join(', ')})`;
    case 'is_null':
      return `${columnText(p.column)} IS ${p.negated ? 'NOT ' : ''}NULL`;
    case 'prefix':
      return `${columnText(p.column)} STARTS WITH ${showScalar(p.prefix, p.column.type)}`;
    case 'and':
    case 'or':
      return `(${p.args.map(pruningPredicateText).join(` ${p.kind.toUpperCase()} `)})`;
    case 'constant':
      return String(p.value).toUpperCase();
    case 'unknown':
      return '?';
  }
}

function showScalar(v: Scalar, type: DataType): string {
  if (v === null) return 'NULL';
  switch (type.kind) {
    case 'NUMBER':
      return formatDecimal(v as bigint, type.scale);
    case 'DATE':
      return `'${formatDate(v as number)}'`;
    case 'TIMESTAMP_NTZ':
      return `'${formatTimestampNanos(v as bigint)}'`;
    case 'TIME':
      return `'${formatTime(v as number)}'`;
    case 'VARCHAR':
      return `'${v}'`;
    case 'BINARY':
      return `X'${hexOfBytes(v as string)}'`;
    default:
      return String(v);
  }
}
