/**
 * Real plans for physical-planner tests: tables in an in-memory SQLite catalog whose
 * partitions have chosen row counts and zone maps (no data objects: nothing runs), and SQL
 * bound, optimized and pruned exactly as a query is before physical planning.
 */
import { Types, typesEqual, type DataType } from '../../storage/types/data-type.js';
import type { ColumnZone } from '../../storage/partition/zone-map.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { ExecNode, Stage, StagePlan } from '../../warehouse/fragment/stage-plan.js';
import { joinOutputTypes } from '../../warehouse/execute/join/join-spec.js';
import { partialStateTypes } from '../../warehouse/execute/aggregate/partial-state-types.js';
import { childrenOf } from '../../warehouse/fragment/bound-expr-walk.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { bindQuery } from '../plan/bind-query.js';
import { planColumns, type LogicalPlan } from '../plan/logical-plan.js';
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

/**
 * A star schema: FACT (8 partitions of 100,000 rows; F_ID 0..799,999 by partition, F_DIM
 * 1..100, F_AMOUNT, F_DAY), DIM (one partition of 100 rows; D_ID 1..100, D_NAME) and MID (2
 * partitions of 50,000 rows; M_ID 0..99,999, M_FACT 0..799,999).
 */
export function starCatalog(): SqliteCatalog {
  const catalog = testCatalog();
  addTable(
    catalog,
    'FACT',
    [['F_ID', INT], ['F_DIM', INT], ['F_AMOUNT', MONEY], ['F_DAY', Types.date]],
    Array.from({ length: 8 }, (_, i) => ({
      rows: 100_000,
      zones: { F_ID: [String(i * 100_000), String(i * 100_000 + 99_999)], F_DIM: ['1', '100'], F_AMOUNT: ['0', '10000000'], F_DAY: [i * 100, i * 100 + 99] },
    })),
  );
  addTable(catalog, 'DIM', [['D_ID', INT], ['D_NAME', Types.varchar]], [{ rows: 100, zones: { D_ID: ['1', '100'], D_NAME: ['a', 'z'] } }]);
  addTable(
    catalog,
    'MID',
    [['M_ID', INT], ['M_FACT', INT]],
    [0, 1].map((i) => ({ rows: 50_000, zones: { M_ID: [String(i * 50_000), String(i * 50_000 + 49_999)], M_FACT: ['0', '799999'] } })),
  );
  return catalog;
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

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** Column types alike as the kernels see them (typesEqual: a VARCHAR's length does not count). */
const sameTypes = (a: readonly DataType[], b: readonly DataType[]) => a.length === b.length && a.every((t, i) => typesEqual(t, b[i]));

/** Column references of `e` point inside `types` and carry the type found there. */
function checkExpr(e: BoundExpr, types: readonly DataType[], where: string): void {
  if (e.kind === 'column') {
    if (e.index >= types.length) throw new Error(`${where}: column #${e.index} of ${types.length}`);
    if (!typesEqual(e.type, types[e.index])) throw new Error(`${where}: column #${e.index} is ${JSON.stringify(e.type)}, input has ${JSON.stringify(types[e.index])}`);
    return;
  }
  for (const c of childrenOf(e)) checkExpr(c, types, where);
}

/** The node's output types as its operator computes them from its inputs. */
function expectedTypes(n: ExecNode, stages: Map<number, Stage>): DataType[] {
  switch (n.kind) {
    case 'scan_exec':
      return [...(n.output ?? n.scanColumns.map((_, k) => k)).map((k) => n.tableColumns[n.scanColumns[k]].type), ...(n.rowIds ? [Types.number(18, 0), Types.number(18, 0)] : [])];
    case 'values_exec':
    case 'batches_exec':
    case 'generator_exec':
      return n.types;
    case 'exchange_source_exec':
      return stages.get(n.stage)!.root.types;
    case 'filter_exec':
      checkExpr(n.predicate, n.input.types, `filter #${n.id}`);
      return n.input.types;
    case 'sort_exec':
    case 'top_n_exec':
      for (const k of n.keys) checkExpr(k.expr, n.input.types, `${n.kind} #${n.id}`);
      return n.input.types;
    case 'limit_exec':
      return n.input.types;
    case 'split_to_table_exec':
      checkExpr(n.string, n.input.types, `split #${n.id}`);
      checkExpr(n.delimiter, n.input.types, `split #${n.id}`);
      return n.types;
    case 'flatten_exec':
      checkExpr(n.expr, n.input.types, `flatten #${n.id}`);
      return n.types;
    case 'nextval_exec':
      return n.types;
    case 'project_exec':
      for (const e of n.exprs) checkExpr(e, n.input.types, `project #${n.id}`);
      return n.exprs.map((e) => e.type);
    case 'hash_join_exec':
    case 'mark_join_exec': {
      if (!sameTypes(n.spec.left, n.left.types) || !sameTypes(n.spec.right, n.right.types)) throw new Error(`join #${n.id}: spec types differ from its inputs'`);
      for (const k of n.spec.keys) {
        checkExpr(k.left, n.left.types, `join #${n.id} left key`);
        checkExpr(k.right, n.right.types, `join #${n.id} right key`);
      }
      return n.kind === 'mark_join_exec' ? [Types.boolean] : joinOutputTypes(n.spec);
    }
    case 'mark_combine_exec':
      if (!sameTypes(n.marks.types, [Types.boolean])) throw new Error(`mark combine #${n.id}: marks are not one BOOLEAN`);
      return n.joinType === 'MARK' || n.joinType === 'NULL_AWARE_MARK' ? [...n.left.types, Types.boolean] : n.left.types;
    case 'hash_aggregate_exec':
      if (n.phase === 'final') {
        if (!sameTypes(n.input.types, partialStateTypes(n.groupBy, n.aggregates))) throw new Error(`final aggregate #${n.id}: input is not the partial state layout`);
        n.groupBy.forEach((g, i) => {
          if (g.kind !== 'column' || g.index !== i) throw new Error(`final aggregate #${n.id}: group key ${i} is not column #${i}`);
        });
      } else {
        for (const g of n.groupBy) checkExpr(g, n.input.types, `aggregate #${n.id}`);
      }
      return n.phase === 'partial' ? partialStateTypes(n.groupBy, n.aggregates) : [...n.groupBy.map((g) => g.type), ...n.aggregates.map((a) => a.type)];
    case 'window_exec':
      for (const c of n.calls) for (const e of [...c.partitionBy, ...c.args, ...c.orderBy.map((k) => k.expr)]) checkExpr(e, n.input.types, `window #${n.id}`);
      return [...n.input.types, ...n.calls.map((c) => c.type)];
    case 'set_op_exec':
      if (!sameTypes(n.left.types, n.right.types)) throw new Error(`set op #${n.id}: inputs differ in types`);
      return n.left.types;
    case 'write_exec':
    case 'rewrite_exec':
    case 'unload_exec':
      return [];
  }
}

/**
 * The StagePlan contract (stage-plan.ts) for a plan of `workers`: stages children first with
 * id = position, inputs = the stages its exchange sources read, at most one scan per stage
 * (with its Stage.scan), unique node ids, every node's types as its operator computes them,
 * tasks 1 where a gather lands, runtime filters pointing at a later stage's scan column, and
 * the root last (a 'result' root: one task with the logical plan's column types).
 */
export function checkStagePlan(plan: StagePlan, logical: LogicalPlan | null, workers: number): void {
  const ids = new Set<number>();
  const byId = new Map<number, Stage>();
  const consumers = new Map<number, Stage[]>();
  plan.stages.forEach((s, i) => {
    if (s.id !== i) throw new Error(`stage at ${i} has id ${s.id}`);
    const nodes = execNodes(s.root);
    const sources = [...new Set(nodes.flatMap((n) => (n.kind === 'exchange_source_exec' ? [n.stage] : [])))].sort();
    if (!same(sources, [...s.inputs].sort())) throw new Error(`stage ${i}: inputs ${s.inputs} but reads ${sources}`);
    for (const input of s.inputs) {
      if (input >= i) throw new Error(`stage ${i} reads later stage ${input}`);
      consumers.set(input, [...(consumers.get(input) ?? []), s]);
    }
    const scans = nodes.filter((n) => n.kind === 'scan_exec' && n.every === undefined);
    if (scans.length > 1) throw new Error(`stage ${i} has ${scans.length} scans`);
    if ((scans.length === 1) !== (s.scan !== undefined)) throw new Error(`stage ${i}: scan and Stage.scan disagree`);
    if (s.tasks < 1 || s.tasks > workers) throw new Error(`stage ${i} has ${s.tasks} tasks`);
    for (const n of [...nodes].reverse()) {
      if (ids.has(n.id)) throw new Error(`node id ${n.id} twice`);
      ids.add(n.id);
      if (!sameTypes(n.types, expectedTypes(n, byId))) throw new Error(`stage ${i} ${n.kind} #${n.id}: types ${JSON.stringify(n.types)}, expected ${JSON.stringify(expectedTypes(n, byId))}`);
    }
    if (s.output.kind === 'hash') for (const k of s.output.keys) checkExpr(k, s.root.types, `stage ${i} hash key`);
    if (s.output.kind === 'range') checkExpr(s.output.key, s.root.types, `stage ${i} range key`);
    byId.set(s.id, s);
  });
  for (const s of plan.stages) {
    const users = consumers.get(s.id) ?? [];
    const root = s.id === plan.root;
    if (root !== (s.output.kind === 'result' || s.output.kind === 'written')) throw new Error(`stage ${s.id}: output ${s.output.kind}`);
    if (!root && users.length === 0) throw new Error(`stage ${s.id} is read by no stage`);
    if (users.length > 1 && s.output.kind !== 'broadcast') throw new Error(`stage ${s.id} is read by ${users.length} stages`);
    if (s.output.kind === 'gather' && users.some((u) => u.tasks !== 1)) throw new Error(`stage ${s.id} gathers into a stage of several tasks`);
    if (s.output.kind === 'range') {
      // Routed by the bounds its one consumer's scan stretches start at.
      const tasks = users[0]?.scan?.assign?.tasks;
      const bounds = s.output.bounds;
      if (!tasks || bounds.length !== users[0].tasks - 1 || bounds.some((b, k) => k > 0 && b < bounds[k - 1])) throw new Error(`stage ${s.id}: range output without matching stretches`);
    }
    for (const f of s.runtimeFilters) {
      checkExpr(f.key, s.root.types, `stage ${s.id} runtime filter`);
      const probe = plan.stages[f.probeStage];
      const scan = probe ? execNodes(probe.root).find((n) => n.kind === 'scan_exec' && n.every === undefined) : undefined;
      if (!probe || f.probeStage <= s.id || !scan || scan.kind !== 'scan_exec' || f.probeColumn >= scan.scanColumns.length) throw new Error(`stage ${s.id}: runtime filter into stage ${f.probeStage}`);
    }
  }
  const top = plan.stages[plan.root];
  if (plan.root !== plan.stages.length - 1) throw new Error('root stage is not the last');
  if (top.output.kind === 'result' && top.tasks !== 1) throw new Error('result stage has several tasks');
  if (logical && top.output.kind === 'result' && !sameTypes(top.root.types, planColumns(logical).map((c) => c.type))) throw new Error('root types differ from the logical plan');
}
