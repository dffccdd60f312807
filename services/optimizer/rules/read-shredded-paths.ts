/**
 * read_shredded_paths: a VARIANT path a query reads (`v:a.b`, `GET(v, 'a')`, `GET_PATH(v, 'a.b')`)
 * is read from the typed sub-column the table's partitions shredded it into
 * (storage/partition/shredded-path.ts), falling back to the JSON where a row or partition
 * has no shredded value, with exactly the answers of the JSON path.
 *
 * Contract: for a scan (not a DML target's rowIds scan) whose partitions' zone maps list a
 * shredded path of one of its VARIANT / OBJECT columns, the path's sub-column becomes an extra
 * column of the scan (a ColumnInfo named `V:a.b::TYPE`, physical name the sub-column's field,
 * read as all NULL from partitions that lack it, as a column ADD COLUMN added) and, in the
 * scan's filter and in the expressions of a Project or Aggregate right above it (or above
 * Projects of plain column references over it, which the node then reads through):
 *  - CAST(path AS T) (or TRY_CAST), with T the sub-column's type, becomes
 *    COALESCE(sub, CAST(path AS T)): a non-NULL sub-column value is CAST(path AS T) by
 *    construction, and COALESCE evaluates the cast only on the rows the sub-column leaves NULL;
 *  - any other use of the path becomes COALESCE(CAST(sub AS VARIANT), path): the sub-column
 *    turns back into exactly the row's JSON text (the writer keeps only values that do).
 * A path `v:a = 'x'` is bound as CAST(v:a AS VARCHAR) = 'x', so it takes the first form. Where
 * several types were shredded for one path (different partitions), the one in most partitions
 * is read. Extra columns the node above does not read are dropped by a Project right above the
 * scan, so the scan's output columns keep their positions.
 */
import type { ColumnInfo } from '../../catalog/catalog.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_VARCHAR_LENGTH, Types, isSemiStructured, typesEqual } from '../../../storage/types/data-type.js';
import { parsePath } from '../../../storage/types/variant-json.js';
import { shreddedLabel, shreddedName } from '../../../storage/partition/shredded-path.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { mapChildren, substituteColumns } from '../../../warehouse/fragment/bound-expr-walk.js';
import { planColumns, type LogicalPlan, type ScanNode } from '../../plan/logical-plan.js';
import type { OptimizerRule } from '../optimizer-rule.js';

type Path = { column: number; steps: string[] };

/** The scan output column and keys of a path expression over a VARIANT / OBJECT column, or null. */
export function pathOf(e: BoundExpr, scan: ScanNode): Path | null {
  if (e.kind !== 'call' || e.args.length !== 2 || (e.fn !== 'get' && e.fn !== 'get_path')) return null;
  const key = e.args[1];
  if (key.kind !== 'literal' || typeof key.value !== 'string') return null;
  let steps: string[];
  if (e.fn === 'get') steps = [key.value];
  else {
    const parsed = parsePath(key.value);
    if (parsed === null || parsed.length === 0 || parsed.some((s) => typeof s !== 'string')) return null;
    steps = parsed as string[];
  }
  let base = e.args[0];
  while (base.kind === 'cast' && !base.try && base.type.kind === 'VARIANT' && isSemiStructured(base.expr.type)) base = base.expr;
  if (base.kind === 'column') {
    const info = scan.table.columns[scan.columns[base.index]];
    if (info === undefined || (info.type.kind !== 'VARIANT' && info.type.kind !== 'OBJECT')) return null;
    return { column: base.index, steps };
  }
  const inner = pathOf(base, scan);
  return inner === null ? null : { column: inner.column, steps: [...inner.steps, ...steps] };
}

/** A cast target the sub-column of `type` answers exactly (VARCHAR: only without a length limit). */
function sameTarget(target: DataType, sub: DataType): boolean {
  if (target.kind === 'VARCHAR') return sub.kind === 'VARCHAR' && (target.length === undefined || target.length === MAX_VARCHAR_LENGTH);
  return typesEqual(target, sub);
}

class Shredding {
  /** Added scan columns: sub-column field name -> scan output index. */
  readonly added = new Map<string, number>();
  readonly columns: ColumnInfo[];
  readonly scanColumns: number[];
  /** Per (column physical name, path JSON): the shredded types, by partitions holding each. */
  private readonly available = new Map<string, { type: DataType; name: string; partitions: number }[]>();

  constructor(readonly scan: ScanNode) {
    this.columns = [...scan.table.columns];
    this.scanColumns = [...scan.columns];
    for (const p of scan.partitions) {
      for (const [name, s] of Object.entries(p.zoneMap.shredded ?? {})) {
        const key = `${s.column}\u0000${JSON.stringify(s.path)}`;
        let list = this.available.get(key);
        if (list === undefined) this.available.set(key, (list = []));
        const hit = list.find((x) => x.name === name);
        if (hit) hit.partitions++;
        else list.push({ type: s.type, name, partitions: 1 });
      }
    }
  }

  get any(): boolean {
    return this.available.size > 0;
  }

  /** The scan output column of the path's sub-column of a type `accept` takes (the most common one), added on first use. */
  private sub(path: Path, accept: (t: DataType) => boolean): { index: number; type: DataType } | null {
    const info = this.scan.table.columns[this.scan.columns[path.column]];
    const list = this.available.get(`${info.physicalName}\u0000${JSON.stringify(path.steps)}`);
    if (!list) return null;
    let best: { type: DataType; name: string; partitions: number } | null = null;
    for (const x of list) if (accept(x.type) && (best === null || x.partitions > best.partitions)) best = x;
    if (best === null) return null;
    const name = shreddedName(info.physicalName, path.steps, best.type);
    let index = this.added.get(name);
    if (index === undefined) {
      index = this.scanColumns.length;
      this.added.set(name, index);
      this.columns.push({ id: -1 - this.added.size, name: shreddedLabel(info.name, path.steps, best.type), physicalName: name, type: best.type, nullable: true, default: null, addedByAlter: true });
      this.scanColumns.push(this.columns.length - 1);
    }
    return { index, type: best.type };
  }

  rewrite(e: BoundExpr): BoundExpr {
    if (e.kind === 'cast') {
      const path = pathOf(e.expr, this.scan);
      const sub = path && this.sub(path, (t) => sameTarget(e.type, t));
      if (sub) return { kind: 'call', fn: 'coalesce', args: [{ kind: 'column', index: sub.index, type: e.type }, e], type: e.type };
    }
    const path = pathOf(e, this.scan);
    if (path) {
      const sub = this.sub(path, () => true);
      if (sub) {
        const asVariant: BoundExpr = { kind: 'cast', expr: { kind: 'column', index: sub.index, type: sub.type }, type: Types.variant, try: false };
        return { kind: 'call', fn: 'coalesce', args: [asVariant, e], type: e.type };
      }
    }
    return mapChildren(e, (c) => this.rewrite(c));
  }

  scanNode(): ScanNode {
    return { ...this.scan, table: { ...this.scan.table, columns: this.columns }, columns: this.scanColumns, filter: this.scan.filter && this.rewrite(this.scan.filter) };
  }
}

/** The scan with the filter rewritten, and `exprs` above it rewritten, or null when nothing changed. */
function shred(scan: ScanNode, exprs: readonly BoundExpr[]): { scan: ScanNode; exprs: BoundExpr[]; width: number } | null {
  if (scan.rowIds) return null;
  const s = new Shredding(scan);
  if (!s.any) return null;
  const out = exprs.map((e) => s.rewrite(e));
  const next = s.scanNode();
  return s.added.size === 0 ? null : { scan: next, exprs: out, width: scan.columns.length };
}

/** The scan's original output columns over a scan that has more. */
function keepFirst(scan: ScanNode, width: number): LogicalPlan {
  const cols = planColumns(scan);
  return { kind: 'project', input: scan, exprs: cols.slice(0, width).map((c, i) => ({ kind: 'column', index: i, type: c.type })), names: cols.slice(0, width).map((c) => c.name) };
}

/**
 * The scan under `input` and how to rewrite expressions over `input` into expressions over the
 * scan: the scan itself, or a Project of plain column references over it (SELECT * in a
 * subquery or view), which the rewritten node then reads through directly.
 */
function scanUnder(input: LogicalPlan): { scan: ScanNode; over: (e: BoundExpr) => BoundExpr } | null {
  if (input.kind === 'scan') return { scan: input, over: (e) => e };
  if (input.kind === 'project' && input.exprs.every((e) => e.kind === 'column')) {
    const inner = scanUnder(input.input);
    if (inner === null) return null;
    const exprs = input.exprs;
    return { scan: inner.scan, over: (e) => inner.over(substituteColumns(e, exprs)) };
  }
  return null;
}

function visit(plan: LogicalPlan): LogicalPlan {
  switch (plan.kind) {
    case 'scan': {
      const r = shred(plan, []);
      return r === null ? plan : keepFirst(r.scan, r.width);
    }
    case 'project': {
      const under = scanUnder(plan.input);
      if (under !== null) {
        const r = shred(under.scan, plan.exprs.map(under.over));
        if (r !== null) return { ...plan, input: r.scan, exprs: r.exprs };
      }
      break;
    }
    case 'aggregate': {
      const under = scanUnder(plan.input);
      if (under !== null) {
        const n = plan.groupBy.length;
        const args = plan.aggregates.map((a) => a.arg);
        const exprs = [...plan.groupBy, ...args.filter((a): a is BoundExpr => a !== null)].map(under.over);
        const r = shred(under.scan, exprs);
        if (r !== null) {
          let k = n;
          const aggregates = plan.aggregates.map((a) => (a.arg === null ? a : { ...a, arg: r.exprs[k++] }));
          return { ...plan, input: r.scan, groupBy: r.exprs.slice(0, n), aggregates };
        }
      }
      break;
    }
    default:
      break;
  }
  if ('input' in plan) {
    const input = visit(plan.input);
    return input === plan.input ? plan : ({ ...plan, input } as LogicalPlan);
  }
  if (plan.kind === 'join' || plan.kind === 'set_operation') {
    const left = visit(plan.left);
    const right = visit(plan.right);
    return left === plan.left && right === plan.right ? plan : ({ ...plan, left, right } as LogicalPlan);
  }
  return plan;
}

export const readShreddedPaths: OptimizerRule = { name: 'read_shredded_paths', apply: visit };
