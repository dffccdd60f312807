/**
 * The physical planner's core: turns an optimized, pruned logical plan into stages of Exec
 * nodes joined by exchanges (warehouse/fragment/stage-plan.ts). plan-physical.ts (queries)
 * and plan-write.ts (INSERT/CTAS) put the root stage on top of what this builds.
 *
 * Contract: `open(plan)` answers the plan's rows as an OpenStage: the top of a stage still
 * being built (its operator tree so far, its tasks, the stages it reads); every stage below
 * it is closed already, in `stages`, children first, with its id = its position. Closing an
 * open stage with an output distribution appends it. Strategies:
 *  - a scan starts a stage of `workers` tasks; filters, projections and the probes of
 *    broadcast joins stay in their input's stage (a scan pipeline); a projection over a
 *    projection merges into it when either only picks columns;
 *  - a join broadcasts its smaller input when that input has at most `broadcastRows` rows and
 *    the join never outputs its unmatched rows, unless it has `rangeJoinRows` rows or more
 *    and a key of the probe side is a scan column stored in increasing ranges
 *    (range-assignment.ts rangeRoute): then the probe scan's tasks read fixed stretches of
 *    those ranges and the build rows are routed by the same ranges ('range' output), so each
 *    task builds only the rows its probe rows can meet (a co-located join). Else it
 *    hash-partitions both inputs by the equality keys into a join stage; a join without
 *    equality keys (or with a NOT IN key) that cannot broadcast gathers both inputs into one
 *    task. A SEMI/ANTI/MARK join whose small left input meets a right scan pipeline
 *    broadcasts the left rows to that pipeline, which marks them (mark_join_exec), and one
 *    task combines the marks (mark_combine_exec). A broadcast build side that only scans a
 *    tiny table (inlineBuildRows) and would give its probe scan no runtime filter worth a
 *    stage (StagePlanner.inlinable) is no stage at all: every probe task reads it whole
 *    (scan_exec `every`) and builds its hash table itself;
 *  - an aggregate is partial in its input's stage, hash-exchanged by its group keys (gathered
 *    without GROUP BY, or when it has at most GATHER_FINAL_GROUPS groups: group-count-bound.ts,
 *    so one task finishes it, with the sort or limit above it, and no stage gathers after it)
 *    and final after it; 'single' when its input is one task already, or
 *    when a group key's scan partitions hold increasing ranges (range-assignment.ts: the
 *    scan's tasks then read contiguous stretches of them and see disjoint groups);
 *  - an aggregate, sort or LIMIT over a scan pipeline that reads at most `smallScanRows`
 *    rows, and meets few rows besides (SMALL_PIPELINE_ROWS), runs that pipeline in one
 *    task (StagePlanner.oneTask), with no exchange after it;
 *  - a sort sorts each task's rows, and one task k-way merges the sorted runs;
 *  - ORDER BY ... LIMIT keeps a top-N per task, merged and cut in one task; a LIMIT alone
 *    keeps offset+limit rows per task (in scan_exec.limit when only projections lie between)
 *    and cuts in one task;
 *  - a window hash-exchanges by the PARTITION BY keys that all its calls share, or gathers;
 *  - UNION ALL spreads both inputs round robin into one stage; UNION, INTERSECT and EXCEPT
 *    hash both inputs by all columns;
 *  - VALUES is a one-task stage, and so are rows computed already (RESULT_SCAN, recursive CTEs:
 *    batches_exec); GENERATOR too, unless it makes more than one block of rows,
 *    then it is a stage of `workers` tasks, each generating every workers-th block.
 * Every input that is one task already stays in place where one task is needed.
 * `forceRepartition` (the differential tests) partitions every join that has equality keys
 * and makes every grouped aggregate two-phase with a hash exchange.
 * Runtime filters: a broadcast or partitioned join whose probe rows without a match may be
 * dropped (canPruneProbe) gives its build stage one filter per equality key whose probe side
 * is a column that traces to the probe stage's scan (trace-scan-column.ts), unless the build
 * side holds a whole table's keys over a range that covers the probe key's (wholeKeyBuild);
 * the build stage always comes before the probe stage.
 */
import { physicalColumns } from './physical-columns.js';
import { InternalError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr, SortKey } from '../../warehouse/fragment/bound-expr.js';
import type { ExecNode, Stage, StageOutput, StageScan } from '../../warehouse/fragment/stage-plan.js';
import { joinOutputTypes, type HashJoinSpec, type JoinKey } from '../../warehouse/execute/join/join-spec.js';
import { partialStateTypes } from '../../warehouse/execute/aggregate/partial-state-types.js';
import { isMarkJoin, planColumns, type BatchesSource, type JoinNode, type LogicalPlan, type ScanNode } from '../plan/logical-plan.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { estimateRows, keptValueShare, tableKeyBounds } from '../plan/estimate-rows.js';
import { groupCountBound } from '../plan/group-count-bound.js';
import { collectColumns, substituteColumns } from '../../warehouse/fragment/bound-expr-walk.js';
import { canPruneProbe } from './can-prune-probe.js';
import { canBroadcastBuild, execJoinType, physicalJoin } from './physical-join.js';
import { traceScanColumn } from './trace-scan-column.js';
import { rangeAssignment, rangeRoute } from './range-assignment.js';
import { execNodes, mapExecNodes } from '../coordinate/map-exec-nodes.js';

/**
 * `workers`: tasks of a parallel stage (the warehouse's workers); `broadcastRows`: the
 * largest estimated build side broadcast to every task; `rangeJoinRows`: the smallest
 * estimated build side a co-located join routes by ranges (default: never);
 * `forceRepartition`: see above; `inlineBuildRows`: the most rows of its table a broadcast build
 * side may scan to be read whole by every task of its probe stage instead (StagePlanner.inlinable;
 * default INLINE_BUILD_ROWS, 0 never).
 */
export type PhysicalOptions = {
  workers: number;
  broadcastRows: number;
  rangeJoinRows?: number;
  forceRepartition: boolean;
  inlineBuildRows?: number;
  /** Most groups an aggregate may have for one task to finish it (default GATHER_FINAL_GROUPS). */
  gatherFinalGroups?: number;
  /**
   * Most rows a scan pipeline may read for an aggregate, sort or LIMIT over it to run it in
   * one task (StagePlanner.oneTask; absent: never).
   */
  smallScanRows?: number;
};

/** A runtime filter waiting for its probe stage's id: it is added to `build` when the probe stage closes. */
type PendingFilter = { build: Stage; key: BoundExpr; probeColumn: number };

export type OpenStage = {
  root: ExecNode;
  tasks: number;
  inputs: number[];
  /** Estimated rows the tree outputs over all tasks. */
  rows: number;
  scan: StageScan | null;
  /** A scan with only filters, projections and broadcast-join probes above it. */
  pipeline: boolean;
  pending: PendingFilter[];
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Groups an aggregate may have at most for one task to finish it (partial states of every task gathered, no hash exchange). */
export const GATHER_FINAL_GROUPS = 10_000;
const LEFT_ROW_JOINS = new Set(['SEMI', 'ANTI', 'NULL_AWARE_ANTI', 'MARK', 'NULL_AWARE_MARK']);

export class StagePlanner {
  readonly stages: Stage[] = [];
  private nextNodeId = 0;

  constructor(readonly opts: PhysicalOptions) {
    if (!(Number.isInteger(opts.workers) && opts.workers >= 1)) throw new InternalError(`physical plan for ${opts.workers} workers`);
  }

  /** A node with the next plan-wide id. */
  exec(n: DistributiveOmit<ExecNode, 'id'>): ExecNode {
    return { ...n, id: this.nextNodeId++ } as ExecNode;
  }

  /** Appends the open stage as a stage with output `output`. */
  close(o: OpenStage, output: StageOutput): Stage {
    const stage: Stage = { id: this.stages.length, tasks: o.tasks, root: o.root, output, inputs: o.inputs, estimatedRows: Math.ceil(o.rows), runtimeFilters: [] };
    if (o.scan) stage.scan = o.scan;
    this.stages.push(stage);
    for (const f of o.pending) f.build.runtimeFilters.push({ key: f.key, probeStage: stage.id, probeColumn: f.probeColumn });
    return stage;
  }

  /** An exchange source reading `stage` (merging its tasks' sorted runs by `merge`). */
  source(stage: Stage, merge: SortKey[] | null = null): ExecNode {
    return this.exec({ kind: 'exchange_source_exec', stage: stage.id, merge, types: stage.root.types });
  }

  /** Closes `o` with `output` and opens a stage of `tasks` tasks that reads it. */
  through(o: OpenStage, output: StageOutput, tasks: number, merge: SortKey[] | null = null): OpenStage {
    const s = this.close(o, output);
    return { root: this.source(s, merge), tasks, inputs: [s.id], rows: o.rows, scan: null, pipeline: false, pending: [] };
  }

  /** `o` in one task: itself when it is one task, else gathered. */
  single(o: OpenStage): OpenStage {
    return o.tasks === 1 ? o : this.through(o, { kind: 'gather' }, 1);
  }

  open(p: LogicalPlan): OpenStage {
    switch (p.kind) {
      case 'scan':
        return this.scan(p);
      case 'values':
        return {
          root: this.exec({ kind: 'values_exec', rows: p.rows, types: p.columns.map((c) => c.type) }),
          tasks: 1,
          inputs: [],
          rows: p.rows.length,
          scan: null,
          pipeline: false,
          pending: [],
        };
      case 'batches':
        return this.batches(p.columns, p.batches, p.source ?? null, p.batches.reduce((n, b) => n + b.length, 0));
      case 'recursive_cte':
      case 'working_table':
        // Only EXPLAIN plans these (a run puts their rows in their place first): as the batches they become.
        return this.batches(p.columns, [], { kind: p.kind, name: p.name }, estimateRows(p));
      case 'recursive_union':
        throw new InternalError(`recursive CTE ${p.name} planned as a stage: it runs as an init plan`);
      case 'generator': {
        // A large generator spreads its blocks over every worker; a small one is one task's work.
        const many = p.rowCount === null || p.rowCount > GENERATOR_BLOCK_ROWS;
        return {
          root: this.exec({ kind: 'generator_exec', rowCount: p.rowCount, timeLimitMs: p.timeLimitMs, blockRows: GENERATOR_BLOCK_ROWS, types: p.columns.map((c) => c.type) }),
          tasks: many ? this.opts.workers : 1,
          inputs: [],
          rows: estimateRows(p),
          scan: null,
          pipeline: false,
          pending: [],
        };
      }
      case 'filter': {
        const o = this.open(p.input);
        o.root = this.exec({ kind: 'filter_exec', input: o.root, predicate: p.predicate, types: o.root.types });
        o.rows = estimateRows(p);
        return o;
      }
      case 'project': {
        const o = this.open(p.input);
        o.root = this.project(o.root, p.exprs);
        o.rows = estimateRows(p);
        return o;
      }
      case 'split_to_table': {
        // Per input row: in its input's stage, as a projection would be.
        const o = this.open(p.input);
        o.root = this.exec({ kind: 'split_to_table_exec', input: o.root, string: p.string, delimiter: p.delimiter, types: planColumns(p).map((c) => c.type) });
        o.rows = estimateRows(p);
        o.pipeline = false;
        return o;
      }
      case 'sequence': {
        // Per input row, in its input's stage; never inlined into another stage's tasks (pipeline
        // false), where every task would give the same rows values of their own.
        const o = this.open(p.input);
        o.root = this.exec({ kind: 'nextval_exec', input: o.root, sequences: p.sequences.map((s) => s.id), names: p.sequences.map((s) => s.name), types: planColumns(p).map((c) => c.type) });
        o.rows = estimateRows(p);
        o.pipeline = false;
        return o;
      }
      case 'flatten': {
        // Per input row: in its input's stage, as a projection would be.
        const o = this.open(p.input);
        o.root = this.exec({ kind: 'flatten_exec', input: o.root, expr: p.expr, path: p.path, outer: p.outer, recursive: p.recursive, mode: p.mode, types: planColumns(p).map((c) => c.type) });
        o.rows = estimateRows(p);
        o.pipeline = false;
        return o;
      }
      case 'aggregate':
        return this.aggregate(p);
      case 'sort': {
        const o = this.oneTask(this.open(p.input));
        o.root = this.exec({ kind: 'sort_exec', input: o.root, keys: p.keys, types: o.root.types });
        o.pipeline = false;
        return o.tasks === 1 ? o : this.through(o, { kind: 'gather' }, 1, p.keys);
      }
      case 'limit':
        return this.limit(p);
      case 'window':
        return this.window(p);
      case 'join':
        return this.join(p);
      case 'set_operation':
        return this.setOperation(p);
    }
  }

  private batches(columns: Column[], batches: readonly Batch[], source: BatchesSource | null, rows: number): OpenStage {
    const types = columns.map((c) => c.type);
    const node = source ? { kind: 'batches_exec' as const, batches: [...batches], source: { ...source, names: columns.map((c) => c.name) }, types } : { kind: 'batches_exec' as const, batches: [...batches], types };
    return { root: this.exec(node), tasks: 1, inputs: [], rows, scan: null, pipeline: false, pending: [] };
  }

  /**
   * A projection of `input`; over a projection it becomes one, when either only picks columns
   * (substituting then never computes an expression twice).
   */
  private project(input: ExecNode, exprs: BoundExpr[]): ExecNode {
    if (input.kind === 'scan_exec') exprs = narrowScan(input, exprs);
    const plain = (es: BoundExpr[]) => es.every((e) => e.kind === 'column');
    if (input.kind === 'project_exec' && (plain(exprs) || plain(input.exprs))) {
      const inner = input.exprs;
      return this.project(input.input, exprs.map((e) => substituteColumns(e, inner)));
    }
    return this.exec({ kind: 'project_exec', input, exprs, types: exprs.map((e) => e.type) });
  }

  private scan(p: ScanNode): OpenStage {
    if (!p.pruning) throw new InternalError('scan was not pruned before physical planning');
    const t = p.table;
    const units = p.pruning.units;
    const physical = physicalColumns(t.columns);
    return {
      root: this.exec({
        kind: 'scan_exec',
        table: `${t.database}.${t.schema}.${t.name}`,
        tableColumns: t.columns,
        scanColumns: p.columns,
        filter: p.filter,
        limit: null,
        ...(p.rowIds ? { rowIds: true as const } : {}),
        ...(physical.physicalNames ? { physicalNames: physical.physicalNames } : {}),
        ...(physical.absent ? { absent: physical.absent } : {}),
        types: planColumns(p).map((c) => c.type),
      }),
      tasks: this.opts.workers,
      inputs: [],
      rows: estimateRows(p),
      scan: {
        units: units.map((u) => ({ partitionId: u.partition.id, objectKey: u.partition.objectKey, rowCount: u.partition.rowCount, byteSize: u.partition.byteSize, etag: u.partition.etag, filterMode: u.filterMode })),
        zoneMaps: units.map((u) => u.partition.zoneMap),
        partitionsTotal: p.pruning.partitionsTotal,
        predicate: p.pruning.predicate,
      },
      pipeline: true,
      pending: [],
    };
  }

  private aggregate(p: Extract<LogicalPlan, { kind: 'aggregate' }>): OpenStage {
    const o = this.oneTask(this.open(p.input));
    const grouped = p.groupBy.length > 0;
    const types = [...p.groupBy.map((g) => g.type), ...p.aggregates.map((a) => a.type)];
    o.pipeline = false;
    const ranged = grouped && o.tasks > 1 && o.scan !== null && !this.opts.forceRepartition ? rangeAssignment(o.root, o.scan, p.groupBy) : null;
    if (ranged !== null) o.scan = ranged;
    if ((o.tasks === 1 || ranged !== null) && !(grouped && this.opts.forceRepartition)) {
      o.root = this.exec({ kind: 'hash_aggregate_exec', input: o.root, phase: 'single', groupBy: p.groupBy, aggregates: p.aggregates, types });
      o.rows = estimateRows(p);
      return o;
    }
    o.root = this.exec({ kind: 'hash_aggregate_exec', input: o.root, phase: 'partial', groupBy: p.groupBy, aggregates: p.aggregates, types: partialStateTypes(p.groupBy, p.aggregates) });
    // Each task answers at most its input's rows and at most every group (one row without GROUP BY).
    o.rows = grouped ? Math.min(o.rows, estimateRows(p) * o.tasks) : o.tasks;
    // The partial output starts with the group keys; the final step reads them by position.
    const keys: BoundExpr[] = p.groupBy.map((g, index) => ({ kind: 'column', index, type: g.type }));
    const few = !grouped || (!this.opts.forceRepartition && groupCountBound(p) <= (this.opts.gatherFinalGroups ?? GATHER_FINAL_GROUPS));
    const next = few ? this.through(o, { kind: 'gather' }, 1) : this.through(o, { kind: 'hash', keys }, this.opts.workers);
    next.root = this.exec({ kind: 'hash_aggregate_exec', input: next.root, phase: 'final', groupBy: keys, aggregates: p.aggregates, types });
    next.rows = estimateRows(p);
    return next;
  }

  private limit(p: Extract<LogicalPlan, { kind: 'limit' }>): OpenStage {
    const end = p.limit === null ? null : p.offset + p.limit;
    // ORDER BY ... LIMIT, with projections (which keep rows and order) between.
    const projects: Extract<LogicalPlan, { kind: 'project' }>[] = [];
    let below = p.input;
    while (below.kind === 'project') {
      projects.push(below);
      below = below.input;
    }
    if (below.kind === 'sort' && end !== null) {
      const o = this.oneTask(this.open(below.input));
      o.root = this.exec({ kind: 'top_n_exec', input: o.root, keys: below.keys, limit: end, types: o.root.types });
      o.rows = Math.min(o.rows, end * o.tasks);
      o.pipeline = false;
      const next = o.tasks === 1 ? o : this.through(o, { kind: 'gather' }, 1, below.keys);
      for (let i = projects.length - 1; i >= 0; i--) next.root = this.project(next.root, projects[i].exprs);
      return this.finalLimit(next, p);
    }
    const o = this.oneTask(this.open(p.input));
    o.pipeline = false;
    const pushed = end !== null && pushLimitIntoScan(o.root, end);
    if (o.tasks === 1) return this.finalLimit(o, p);
    if (end !== null) {
      if (!pushed) o.root = this.exec({ kind: 'limit_exec', input: o.root, offset: 0, limit: end, types: o.root.types });
      o.rows = Math.min(o.rows, end * o.tasks);
    }
    return this.finalLimit(this.through(o, { kind: 'gather' }, 1), p);
  }

  private finalLimit(o: OpenStage, p: Extract<LogicalPlan, { kind: 'limit' }>): OpenStage {
    o.root = this.exec({ kind: 'limit_exec', input: o.root, offset: p.offset, limit: p.limit, types: o.root.types });
    o.rows = estimateRows(p);
    o.pipeline = false;
    return o;
  }

  private window(p: Extract<LogicalPlan, { kind: 'window' }>): OpenStage {
    let o = this.open(p.input);
    o.pipeline = false;
    if (o.tasks > 1) {
      const keys = sharedPartitionKeys(p.calls.map((c) => c.partitionBy));
      o = keys ? this.through(o, { kind: 'hash', keys }, this.opts.workers) : this.through(o, { kind: 'gather' }, 1);
    }
    o.root = this.exec({ kind: 'window_exec', input: o.root, calls: p.calls, types: [...o.root.types, ...p.calls.map((c) => c.type)] });
    o.rows = estimateRows(p);
    return o;
  }

  private setOperation(p: Extract<LogicalPlan, { kind: 'set_operation' }>): OpenStage {
    const left = this.open(p.left);
    const right = this.open(p.right);
    const allColumns = (o: OpenStage): StageOutput => ({ kind: 'hash', keys: o.root.types.map((type, index) => ({ kind: 'column', index, type })) });
    const unionAll = p.op === 'UNION' && p.all;
    const ls = this.close(left, unionAll ? { kind: 'round_robin' } : allColumns(left));
    const rs = this.close(right, unionAll ? { kind: 'round_robin' } : allColumns(right));
    return {
      root: this.exec({ kind: 'set_op_exec', op: p.op, all: p.all, left: this.source(ls), right: this.source(rs), types: p.columns.map((c) => c.type) }),
      tasks: this.opts.workers,
      inputs: [ls.id, rs.id],
      rows: estimateRows(p),
      scan: null,
      pipeline: false,
      pending: [],
    };
  }

  private join(p: JoinNode): OpenStage {
    const leftTypes = planColumns(p.left).map((c) => c.type);
    const rightTypes = planColumns(p.right).map((c) => c.type);
    const j = physicalJoin(p, leftTypes.length, rightTypes.length);
    const leftRows = estimateRows(p.left);
    const buildLeft = leftRows < estimateRows(p.right);
    const buildRows = Math.min(leftRows, estimateRows(p.right));
    const hashable = j.keys.length > 0 && j.inKey === null;
    const force = this.opts.forceRepartition && hashable;
    const left = this.open(p.left);
    const right = this.open(p.right);
    const spec: HashJoinSpec = { type: execJoinType(p.joinType), left: leftTypes, right: rightTypes, keys: j.keys, inKey: j.inKey, residual: j.residual, buildSide: buildLeft ? 'left' : 'right' };
    if (LEFT_ROW_JOINS.has(p.joinType) && buildLeft && right.pipeline && (!hashable || (!force && leftRows <= this.opts.broadcastRows))) {
      return this.markJoin(p, left, right, spec);
    }
    const [build, probe] = buildLeft ? [left, right] : [right, left];
    const filters = canPruneProbe(p.joinType, !buildLeft) ? runtimeFilters(j.keys, buildLeft, probe.root, buildLeft ? p.left : p.right, buildLeft ? p.right : p.left) : [];
    if (canPruneProbe(p.joinType, buildLeft)) for (const f of passedFilters(j.keys, buildLeft, probe, build.root)) build.pending.push(f);
    if (!force && canBroadcastBuild(p.joinType, buildLeft) && buildRows <= this.opts.broadcastRows) {
      if (this.inlinable(build, probe, filters.length > 0)) {
        const whole = readInEveryTask(build);
        probe.root = this.exec({ kind: 'hash_join_exec', left: buildLeft ? whole : probe.root, right: buildLeft ? probe.root : whole, spec, types: joinOutputTypes(spec) });
        probe.rows = estimateRows(p);
        return probe;
      }
      const bs = this.close(build, (buildRows >= (this.opts.rangeJoinRows ?? Infinity) ? this.colocate(j.keys, buildLeft, probe) : null) ?? { kind: 'broadcast' });
      for (const f of filters) probe.pending.push({ build: bs, ...f });
      const src = this.source(bs);
      probe.root = this.exec({ kind: 'hash_join_exec', left: buildLeft ? src : probe.root, right: buildLeft ? probe.root : src, spec, types: joinOutputTypes(spec) });
      probe.inputs = [...probe.inputs, bs.id];
      probe.rows = estimateRows(p);
      return probe;
    }
    if (hashable) {
      const bs = this.close(build, { kind: 'hash', keys: j.keys.map((k) => (buildLeft ? k.left : k.right)) });
      for (const f of filters) probe.pending.push({ build: bs, ...f });
      const ps = this.close(probe, { kind: 'hash', keys: j.keys.map((k) => (buildLeft ? k.right : k.left)) });
      const [ls, rs] = buildLeft ? [bs, ps] : [ps, bs];
      return {
        root: this.exec({ kind: 'hash_join_exec', left: this.source(ls), right: this.source(rs), spec, types: joinOutputTypes(spec) }),
        tasks: this.opts.workers,
        inputs: [bs.id, ps.id],
        rows: estimateRows(p),
        scan: null,
        pipeline: false,
        pending: [],
      };
    }
    // No key to partition by: both inputs meet in one task (one already there stays).
    const hostLeft = left.tasks === 1 || right.tasks !== 1;
    const host = hostLeft ? this.single(left) : right;
    const other = this.through(hostLeft ? right : left, { kind: 'gather' }, 1);
    host.root = this.exec({ kind: 'hash_join_exec', left: hostLeft ? host.root : other.root, right: hostLeft ? other.root : host.root, spec, types: joinOutputTypes(spec) });
    host.inputs = [...host.inputs, ...other.inputs];
    host.rows = estimateRows(p);
    host.pipeline = false;
    return host;
  }

  /**
   * `o` in one task when it is a scan pipeline that reads at most `smallScanRows` rows (after
   * pruning) and whose broadcast inputs are estimated at most SMALL_PIPELINE_ROWS rows each,
   * else `o` as it is. Split across the workers, such a pipeline saves less than the
   * exchange and the stage its aggregate, sort or LIMIT then needs to finish in one task cost:
   * TPC-H Q18 on SMALL finished its top 100 over 150,000 customers in two tasks and merged them in a
   * fifth stage (89-99 ms, now 80). Where more rows than that meet the scan's (Q10: 57,000 order
   * lines joined to the customers, then grouped; Q14: 71,000 lines to the parts, each with a LIKE),
   * two tasks were faster (Q10 220 ms against 300 in one). Its broadcast inputs go to that task
   * alone. A scan whose units are routed by ranges to its tasks (assign) keeps them.
   */
  private oneTask(o: OpenStage): OpenStage {
    const limit = this.opts.smallScanRows;
    if (limit === undefined || o.tasks === 1 || !o.pipeline || o.scan === null || o.scan.assign) return o;
    if (scanRows(o.scan) > limit) return o;
    if (o.inputs.some((id) => this.stages[id].estimatedRows > SMALL_PIPELINE_ROWS)) return o;
    o.tasks = 1;
    return o;
  }

  /**
   * Whether a broadcast build side is better read whole by every task of its probe stage than
   * run as a stage of its own (one stage boundary, its tasks, and an exchange less: TPC-H Q2's
   * region and nation under supplier): it reads nothing but its scan (or builds planned in
   * the same way) over at most inlineBuildRows rows, and it would give the probe stage's
   * scan no runtime filter (`filtered` false), or one that could prune nothing there (one
   * partition of at most INLINE_PROBE_ROWS rows, which the join itself then filters as
   * cheaply). Two holidays against a year of trips stay a stage: their key range prunes the
   * trips' partitions. Every task computes the same build rows because every scalar function is
   * deterministic within a statement; a volatile one (RANDOM) must keep its build a stage.
   */
  private inlinable(build: OpenStage, probe: OpenStage, filtered: boolean): boolean {
    if (this.opts.forceRepartition || build.inputs.length > 0 || build.scan === null || !build.pipeline) return false;
    if (execNodes(build.root).some((n) => n.kind === 'scan_exec' && n.rowIds)) return false;
    if (scanRows(build.scan) > (this.opts.inlineBuildRows ?? INLINE_BUILD_ROWS)) return false;
    return !filtered || probe.scan === null || (probe.scan.units.length <= 1 && scanRows(probe.scan) <= INLINE_PROBE_ROWS);
  }

  /**
   * A 'range' output for a join's build side when a key's probe side is a column of the probe
   * pipeline's scan stored in increasing ranges (its scan then reads fixed stretches), or null.
   */
  private colocate(keys: readonly JoinKey[], buildLeft: boolean, probe: OpenStage): StageOutput | null {
    if (probe.tasks < 2 || !probe.pipeline || probe.scan === null) return null;
    for (const k of keys) {
      const [b, p] = buildLeft ? [k.left, k.right] : [k.right, k.left];
      if (p.kind !== 'column' || b.type.kind !== p.type.kind) continue;
      const route = rangeRoute(probe.root, probe.scan, p.index, probe.tasks);
      if (route === null) continue;
      probe.scan = route.scan;
      return { kind: 'range', key: b, bounds: route.bounds };
    }
    return null;
  }

  /**
   * SEMI/ANTI/MARK with a small left input and a right scan pipeline: the left rows are
   * broadcast to the pipeline's tasks, each marks them over its right rows, and one task
   * combines the marks over the same left rows (broadcast to it too, in the same order).
   */
  private markJoin(p: JoinNode, left: OpenStage, right: OpenStage, spec: HashJoinSpec): OpenStage {
    const filters = canPruneProbe(p.joinType, false) ? runtimeFilters(spec.keys, true, right.root, p.left, p.right) : [];
    const ls = this.close(left, { kind: 'broadcast' });
    for (const f of filters) right.pending.push({ build: ls, ...f });
    const markSpec: HashJoinSpec = { ...spec, type: 'MARK', buildSide: 'left' };
    right.root = this.exec({ kind: 'mark_join_exec', left: this.source(ls), right: right.root, spec: markSpec, types: [Types.boolean] });
    right.inputs = [...right.inputs, ls.id];
    right.rows = left.rows * right.tasks;
    right.pipeline = false;
    const ms = this.close(right, { kind: 'gather' });
    const joinType = p.joinType as Extract<ExecNode, { kind: 'mark_combine_exec' }>['joinType'];
    const types = isMarkJoin(p.joinType) ? [...spec.left, Types.boolean] : [...spec.left];
    return {
      root: this.exec({ kind: 'mark_combine_exec', left: this.source(ls), marks: this.source(ms), joinType, types }),
      tasks: 1,
      inputs: [ls.id, ms.id],
      rows: estimateRows(p),
      scan: null,
      pipeline: false,
      pending: [],
    };
  }
}

/** Rows of one generator_exec block (one batch); a generator of more rows runs in every worker. */
export const GENERATOR_BLOCK_ROWS = 1 << 16;

/** Most rows a one-task scan pipeline may get from each broadcast input (StagePlanner.oneTask). */
export const SMALL_PIPELINE_ROWS = 10_000;

/** Rows of a table a build side planned into its probe stage may scan, and of a probe partition its runtime filter would have reached (see StagePlanner.inlinable). */
export const INLINE_BUILD_ROWS = 1000;
export const INLINE_PROBE_ROWS = 100_000;

/** Rows of a scan's units. */
function scanRows(scan: StageScan): number {
  let n = 0;
  for (const u of scan.units) n += u.rowCount;
  return n;
}

/** A build side's tree with its stage's scan reading all of its units in every task (scan_exec's `every`). */
function readInEveryTask(build: OpenStage): ExecNode {
  return mapExecNodes(build.root, (n) => (n.kind === 'scan_exec' && n.every === undefined ? { ...n, every: build.scan! } : n));
}

/**
 * A build key that keeps at least this share of its table's distinct values, over a range that
 * covers the probe column's, gets no runtime filter: it looks like a foreign key into a whole
 * dimension, whose filter drops no probe row yet costs a bitmap over every key, a lookup per
 * probe row, and the probe stage's wait for the build (TPC-H Q9: orders and supplier whole,
 * partsupp whole but for what the green parts' filter already drops in lineitem). Two whole
 * holidays against a year of trips still filter.
 */
const WHOLE_KEY_SHARE = 0.9;

/** Whether the build side's key is (by the estimates) a whole table's key whose range covers the probe key's. */
function wholeKeyBuild(build: LogicalPlan, buildKey: BoundExpr, probe: LogicalPlan, probeKey: BoundExpr): boolean {
  if (buildKey.kind !== 'column' || probeKey.kind !== 'column') return false;
  const share = keptValueShare(build, buildKey.index);
  if (share === null || share < WHOLE_KEY_SHARE) return false;
  const b = tableKeyBounds(build, buildKey.index);
  const p = tableKeyBounds(probe, probeKey.index);
  return b !== null && p !== null && b.lo <= p.lo && p.hi <= b.hi;
}

/**
 * Runtime filters of a join: for each equality key whose probe side is a plain column that
 * traces to the probe stage's scan, unless it is a whole table's key (wholeKeyBuild; `build`
 * and `probe` are the logical inputs), the build side's key and that scan column.
 */
function runtimeFilters(keys: readonly JoinKey[], buildLeft: boolean, probeRoot: ExecNode, build: LogicalPlan, probe: LogicalPlan): { key: BoundExpr; probeColumn: number }[] {
  const out: { key: BoundExpr; probeColumn: number }[] = [];
  for (const k of keys) {
    const [buildKey, probeKey] = buildLeft ? [k.left, k.right] : [k.right, k.left];
    if (probeKey.kind !== 'column' || wholeKeyBuild(build, buildKey, probe, probeKey)) continue;
    const probeColumn = traceScanColumn(probeRoot, probeKey.index);
    if (probeColumn !== null) out.push({ key: buildLeft ? k.left : k.right, probeColumn });
  }
  return out;
}

/**
 * Runtime filters the probe side passes on to the build side. A filter an earlier join of the
 * probe pipeline put on scan column c leaves only its keys (or NULL) in c; where a key of this
 * join equates c with a build column that traces to the build stage's scan, build rows
 * without one of those keys match nothing, so the same filter may drop them (when the join
 * drops unmatched build rows). TPC-H Q9: the green part keys filter l_partkey, and
 * ps_partkey = l_partkey, so they filter partsupp before it is hashed.
 */
function passedFilters(keys: readonly JoinKey[], buildLeft: boolean, probe: OpenStage, buildRoot: ExecNode): PendingFilter[] {
  const out: PendingFilter[] = [];
  for (const k of keys) {
    const [buildKey, probeKey] = buildLeft ? [k.left, k.right] : [k.right, k.left];
    if (probeKey.kind !== 'column' || buildKey.kind !== 'column') continue;
    const probeColumn = traceScanColumn(probe.root, probeKey.index);
    const buildColumn = probeColumn === null ? null : traceScanColumn(buildRoot, buildKey.index);
    if (buildColumn === null) continue;
    for (const f of probe.pending) if (f.probeColumn === probeColumn) out.push({ build: f.build, key: f.key, probeColumn: buildColumn });
  }
  return out;
}

/**
 * A filtered scan under a projection answers only the columns the projection reads (sets
 * scan.output and scan.types); returns the projection's expressions over that output.
 */
function narrowScan(scan: Extract<ExecNode, { kind: 'scan_exec' }>, exprs: BoundExpr[]): BoundExpr[] {
  if (scan.filter === null || scan.output !== undefined || scan.rowIds) return exprs;
  const used = [...exprs.reduce((into, e) => collectColumns(e, into), new Set<number>())].sort((a, b) => a - b);
  if (used.length === scan.types.length) return exprs;
  const moved: BoundExpr[] = [];
  used.forEach((c, index) => (moved[c] = { kind: 'column', index, type: scan.types[c] }));
  scan.output = used;
  scan.types = used.map((c) => scan.types[c]);
  return exprs.map((e) => substituteColumns(e, moved));
}

/**
 * Sets scan_exec.limit when only projections (which keep every row) lie between `root` and
 * the scan; answers whether it did.
 */
function pushLimitIntoScan(root: ExecNode, end: number): boolean {
  let n = root;
  while (n.kind === 'project_exec') n = n.input;
  if (n.kind !== 'scan_exec') return false;
  n.limit = n.limit === null ? end : Math.min(n.limit, end);
  return true;
}

/** The PARTITION BY keys every window call has, when they are the same and not empty; else null. */
function sharedPartitionKeys(partitions: BoundExpr[][]): BoundExpr[] | null {
  const text = (keys: BoundExpr[]) => JSON.stringify(keys, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const first = partitions[0];
  if (!first || first.length === 0) return null;
  return partitions.every((keys) => text(keys) === text(first)) ? first : null;
}
