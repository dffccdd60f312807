/**
 * Real plans for physical-planner tests: tables in an in-memory SQLite catalog whose
 * partitions have chosen row counts and zone maps (no data objects: nothing runs), and SQL
 * bound, optimized and pruned exactly as a query is before physical planning.
 */
import { Types, type DataType } from '../../storage/types/data-type.js';
import type { ColumnZone } from '../../storage/partition/zone-map.js';
import type { ExecNode, StagePlan } from '../../warehouse/fragment/stage-plan.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { bindQuery } from '../plan/bind-query.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { optimize } from '../optimizer/optimize.js';
import { prunePlan } from '../pruning/prune-plan.js';
import { parseSql } from '../sql/parse-sql.js';

export const INT = Types.number(38, 0);
export const MONEY = Types.number(12, 2);

/** One partition: its rows and, per column, [min, max] as zone-map JSON scalars. */
export type TestPartition = { rows: number; zones: Record<string, [number | string, number | string]> };

export function testCatalog(): SqliteCatalog {
  const catalog = new SqliteCatalog(':memory:');
  catalog.createDatabase('FIRN', { schema: 'PUBLIC' });
  return catalog;
}

export function addTable(catalog: SqliteCatalog, name: string, columns: [string, DataType][], partitions: TestPartition[]): void {
  const added = partitions.map((p, i) => ({
    objectKey: `${name}/${i}.parquet`,
    rowCount: p.rows,
    byteSize: p.rows * 16,
    zoneMap: {
      rowCount: p.rows,
      byteSize: p.rows * 16,
      columns: Object.fromEntries(
        columns.map(([c]): [string, ColumnZone] => {
          const z = p.zones[c];
          return [c, z ? { min: z[0], max: z[1], nullCount: 0, exact: true } : { min: null, max: null, nullCount: p.rows, exact: true }];
        }),
      ),
    },
  }));
  catalog.createTable('FIRN', 'PUBLIC', name, columns.map(([n, type]) => ({ name: n, type, nullable: true })), { queryId: `create-${name}`, data: { operation: 'INSERT', added } });
}

/** `count` partitions of `rows` rows each, column `col` in consecutive ranges of `step` from `from`. */
export function ranged(count: number, rows: number, zones: (i: number) => TestPartition['zones']): TestPartition[] {
  return Array.from({ length: count }, (_, i) => ({ rows, zones: zones(i) }));
}

/** The optimized, pruned plan of a SELECT, as run-query.ts prepares it. */
export function logicalPlan(catalog: SqliteCatalog, sql: string): LogicalPlan {
  const [st] = parseSql(sql);
  if (st.kind !== 'query') throw new Error(`not a query: ${sql}`);
  const bound = bindQuery({ catalog, session: { database: 'FIRN', schema: 'PUBLIC', warehouse: null }, initPlans: [] }, st.query);
  return prunePlan(optimize(bound).plan, true);
}

/** Every node of a tree, parents before children. */
export function execNodes(n: ExecNode): ExecNode[] {
  const kids: ExecNode[] = [];
  switch (n.kind) {
    case 'hash_join_exec':
    case 'mark_join_exec':
    case 'set_op_exec':
      kids.push(n.left, n.right);
      break;
    case 'mark_combine_exec':
      kids.push(n.left, n.marks);
      break;
    default:
      if ('input' in n) kids.push(n.input);
  }
  return [n, ...kids.flatMap(execNodes)];
}

/** A stage tree's shape: operator kinds, nested as [kind, ...children], exchange sources as `exchange(<stage>)`. */
export function shape(n: ExecNode): unknown {
  const kids = execNodes(n).filter((c) => c !== n && isChild(n, c));
  const label = n.kind === 'exchange_source_exec' ? `exchange(${n.stage}${n.merge ? ' merge' : ''})` : n.kind;
  return kids.length === 0 ? label : [label, ...kids.map(shape)];
}

function isChild(parent: ExecNode, c: ExecNode): boolean {
  return Object.values(parent).some((v) => v === c);
}

/** Stage i's output kind and tasks, e.g. '0 broadcast x2'. */
export function stageSummary(plan: StagePlan): string[] {
  return plan.stages.map((s) => `${s.id} ${s.output.kind} x${s.tasks} <- [${s.inputs.join(',')}]`);
}
