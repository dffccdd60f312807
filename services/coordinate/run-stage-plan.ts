/**
 * The coordinator: runs a StagePlan (warehouse/fragment/stage-plan.ts) on a warehouse's
 * workers. Services plans, schedules and streams; every data operator runs in the workers.
 *
 * Contract:
 * - Scheduling: a stage starts once its input stages (and the stages whose runtime filters
 *   target it) have finished; stages that do not depend on each other run concurrently. Task
 *   t of a stage runs on worker slot t (WarehousePool.run).
 * - Scan units: each unit goes to the task its partition id picks by rendezvous hashing
 *   (rendezvous-assignment.ts: stable, so a partition meets the same worker's warm cache
 *   every time, and a resize moves few partitions), and the tasks share them (unit-claims.ts:
 *   a task done with its own units takes over those a slower sibling has not reached, each
 *   unit read once); a range-assigned scan
 *   (range-assignment.ts) gives each task a contiguous stretch of its units, in their order,
 *   never splitting a run, and the tasks share whole runs the same way; or it gives each task
 *   the stretch the planner fixed when a 'range' exchange routes rows to match it
 *   (assign.tasks; the last task takes any past the tasks it runs; never shared). A stage
 *   whose only source is its scan runs at most one task per unit (at least one task, so an
 *   aggregate over no rows still answers); other tasks with no unit and no exchange input are
 *   skipped.
 * - Exchanges: producer task p's `outputs[c]` go to consumer task c, after the chunks of
 *   producer tasks before p. Broadcast: every chunk to every consumer task (SharedArrayBuffer
 *   chunks are shared, not copied). IPC chunks are transferred to the consumer task, never
 *   decoded or copied in services (a buffer two consumer tasks would share is cloned instead).
 * - Runtime filters: the build stage's KeySummaries are merged per key and, before the probe
 *   stage runs, become a predicate on its scan (runtime-filter.ts) and its units are pruned
 *   again over their zone maps; stats count the partitions it scanned after that.
 * - Memory and disk: per-task budgets and exchange accounting as exchange-ledger.ts says; the
 *   statement's spill directory is `spillDir`, made before the first task and removed once
 *   every task settled, whatever happened.
 * - Cancellation: every task gets the run's RunCancel (linked to the statement's Deadline);
 *   the first failure stops every task of the run, and `done` rejects with that failure once
 *   all tasks settled and the spill directory is gone.
 * - A plan of literals only (literal-rows.ts) is answered from the plan, with no task.
 * - The root stage: 'result' streams its batches through a MessagePort with credits
 *   (result-stream.ts) as `batches`; 'written' answers the partitions its tasks wrote in
 *   `done`'s `written` (a DML's rewrite stage also the partitions it replaced, `removed`,
 *   and its row counts summed over its tasks, `dml`; an unload the files it wrote, `unloaded`). A caller of a 'result' plan must read `batches` to the end (or stop
 *   early, which stops the run).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { currentRunProgress, type RunProgress } from './run-progress.js';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { InternalError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Batch } from '../../storage/types/vector.js';
import type { ScanStats, ScanUnit, WrittenPartition } from '../../warehouse/fragment/fragment.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { DmlCounts, ExchangeChunk, ExecNode, KeyBits, KeySummary, OperatorProfile, Stage, StagePlan, StageScan, StageTask, StageTaskReply, UnloadedFile } from '../../warehouse/fragment/stage-plan.js';
import { throwIfFailure, type WorkerFailure } from '../../warehouse/fragment/worker-reply.js';
import { serveSequenceValues, type ValuesBlock, type ValuesRequest } from '../../warehouse/fragment/sequence-values.js';
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { PartitionInfo } from '../catalog/catalog.js';
import { pruneUnits } from '../pruning/prune-partitions.js';
import { mergeKeySummaries, runtimeFilterBits, runtimeFilterPredicate } from '../pruning/runtime-filter.js';
import { andKeyBits } from '../../warehouse/execute/stage/key-bits.js';
import type { Deadline } from '../session/deadline.js';
import { ExchangeLedger } from './exchange-ledger.js';
import { execNodes, mapExecNodes } from './map-exec-nodes.js';
import { findScan } from '../physical/find-scan.js';
import { assignFixed, assignRanges } from '../physical/range-assignment.js';
import { assignUnits } from './rendezvous-assignment.js';
import { unitClaims, type UnitSharing } from './unit-claims.js';
import { ResultStream } from './result-stream.js';
import { literalRows } from './literal-rows.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import { RunCancel } from './run-cancel.js';

export type CoordinateContext = {
  pool: WarehousePool;
  queryId: string;
  /** The statement's memory budget (WarehouseRegistry.memoryFor: at most config.queryMemoryBytes). */
  memoryBytes: number;
  /** The statement's spill disk budget (config.querySpillBytes). */
  spillBytes: number;
  /** The statement's spill directory (under the warehouse's cache dir; see statementSpillDir). */
  spillDir: string;
  /** Zone-map pruning on (config.pruning): also for runtime filters. */
  pruning: boolean;
  deadline: Deadline | null;
  /** Write plans: a new key-reservation port per write task (StatementWrites.reservationPort). */
  reservations?: () => MessagePort;
  /**
   * Reserves sequence values in the catalog (SequenceStore.reserve): each task of a stage with a
   * nextval_exec gets a port served by it (sequence-values.ts), closed once the stage settled.
   */
  sequenceValues?: (requests: ValuesRequest[]) => ValuesBlock[];
};

/** Scan statistics of a run, with partitions total/scanned (after runtime pruning), spill and profile. */
export type RunStats = ScanStats & { partitionsTotal: number; partitionsScanned: number; bytesSpilled: number; profile: OperatorProfile[] };

/** `removed` and `dml`: what a DML's rewrite tasks replaced and counted, over all tasks (empty and 0 for other plans). */
export type RunOutcome = { stats: RunStats; written: WrittenPartition[]; removed: number[]; dml: DmlCounts; unloaded: UnloadedFile[] };

function noDml(): DmlCounts {
  return { inserted: 0, updated: 0, deleted: 0, multiJoined: 0 };
}

export type StagePlanRun = {
  /** The root's rows as the result task sends them ('result' plans; no rows otherwise). Read once. */
  batches: AsyncIterable<Batch>;
  /** Every task settled and the spill directory removed; rejects with the run's first failure. */
  done: Promise<RunOutcome>;
};

export function emptyRunStats(): RunStats {
  return { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0, partitionsTotal: 0, partitionsScanned: 0, bytesSpilled: 0, profile: [] };
}

export function runStagePlan(plan: StagePlan, ctx: CoordinateContext): StagePlanRun {
  return literalRun(plan) ?? new Coordinator(plan, ctx).start();
}

/** The run of a plan of literals only (literal-rows.ts), answered from the plan with no task; null for any other plan. */
export function literalRun(plan: StagePlan): StagePlanRun | null {
  const rows = literalRows(plan);
  if (rows === null) return null;
  const types = plan.stages[0].root.types;
  const batch = rowsToBatch(types.map((type, i) => ({ name: `c${i}`, type, nullable: true })), rows);
  return { batches: (async function* () { yield batch; })(), done: Promise.resolve({ stats: emptyRunStats(), written: [], removed: [], dml: noDml(), unloaded: [] }) };
}

class Coordinator {
  private readonly cancel: RunCancel;
  private readonly ledger: ExchangeLedger;
  private spilledChunks = 0;
  private readonly stats = emptyRunStats();
  private readonly written: WrittenPartition[] = [];
  private readonly removed: number[] = [];
  private readonly dml = noDml();
  private readonly unloaded: UnloadedFile[] = [];
  private failure: { err: unknown } | null = null;
  /** Effective tasks per stage id. */
  private readonly tasks = new Map<number, number>();
  /** Consumer stage ids per producer stage id (several only for a broadcast or gather read twice, e.g. a mark join's left rows). */
  private readonly consumers = new Map<number, number[]>();
  /** Consumer stages of each producer that have not finished yet (its chunks are freed at 0). */
  private readonly unread = new Map<number, number>();
  /** Chunks routed to each consumer task, per producer stage id. */
  private readonly routed = new Map<number, ExchangeChunk[][]>();
  /** IPC bytes held for each producer stage's chunks (released when its consumer finished). */
  private readonly heldBy = new Map<number, number>();
  private readonly filters = new Map<number, { probeColumn: number; keyType: Stage['runtimeFilters'][number]['key']['type']; summary: KeySummary }[]>();
  private readonly byId = new Map<number, Stage>();
  private result: ResultStream | null = null;
  /** The statement's live counters (run-progress.ts), when its caller keeps them. */
  private readonly progress: RunProgress | null = currentRunProgress() ?? null;

  constructor(
    private readonly plan: StagePlan,
    private readonly ctx: CoordinateContext,
  ) {
    this.cancel = new RunCancel(ctx.deadline);
    this.ledger = new ExchangeLedger(ctx.memoryBytes, ctx.spillBytes, ctx.pool.workers);
    for (const s of plan.stages) this.byId.set(s.id, s);
    for (const s of plan.stages) {
      for (const i of s.inputs) {
        this.consumers.set(i, [...(this.consumers.get(i) ?? []), s.id]);
        this.unread.set(i, (this.unread.get(i) ?? 0) + 1);
      }
    }
    for (const s of plan.stages) this.tasks.set(s.id, effectiveTasks(s, ctx.pool.workers));
  }

  start(): StagePlanRun {
    const root = this.byId.get(this.plan.root);
    if (!root) throw new InternalError(`stage plan without its root stage ${this.plan.root}`);
    let resultPort: MessagePort | null = null;
    if (root.output.kind === 'result') {
      const channel = new MessageChannel();
      this.result = new ResultStream(channel.port1, () => this.cancel.stop());
      resultPort = channel.port2;
    }
    const done = this.runAll(resultPort);
    // The caller may read only `batches`: the failure then reaches it there.
    done.catch(() => {});
    const batches: AsyncIterable<Batch> = this.result ?? { [Symbol.asyncIterator]: async function* () {} };
    return { batches, done };
  }

  private async runAll(resultPort: MessagePort | null): Promise<RunOutcome> {
    const spillDir = this.ctx.spillDir;
    try {
      await mkdir(spillDir, { recursive: true });
      const running = new Map<number, Promise<void>>();
      for (const stage of this.plan.stages) {
        const deps = [...stage.inputs, ...this.plan.stages.filter((s) => s.runtimeFilters.some((f) => f.probeStage === stage.id)).map((s) => s.id)];
        running.set(
          stage.id,
          (async () => {
            await Promise.all(deps.map((d) => running.get(d) ?? Promise.reject(new InternalError(`stage ${stage.id} reads stage ${d}, which does not come before it`))));
            await this.runStage(stage, stage.id === this.plan.root ? resultPort : null);
          })(),
        );
      }
      const settled = await Promise.allSettled(running.values());
      for (const s of settled) if (s.status === 'rejected') this.fail(s.reason);
      if (this.failure) throw this.failure.err;
      return { stats: this.stats, written: this.written, removed: this.removed, dml: this.dml, unloaded: this.unloaded };
    } catch (err) {
      this.fail(err);
      throw this.failure!.err;
    } finally {
      resultPort?.close();
      this.cancel.close();
      await rm(spillDir, { recursive: true, force: true });
    }
  }

  /** Records the run's first failure and stops every task of it. */
  private fail(err: unknown): void {
    if (!this.failure) {
      // A task stopped because of an earlier failure answers ABANDONED: the first one is the cause.
      this.failure = { err };
      this.cancel.stop();
    }
    this.result?.fail(this.failure.err);
  }

  private async runStage(stage: Stage, resultPort: MessagePort | null): Promise<void> {
    if (this.failure) throw this.failure.err;
    if (this.cancel.stopped) throw this.cancel.flag.error();
    const sent = this.prepare(stage);
    const tasks = this.tasks.get(stage.id)!;
    const readers = this.consumers.get(stage.id) ?? [];
    const consumerTasks = stage.output.kind === 'gather' || stage.output.kind === 'broadcast' ? 1 : Math.max(1, ...readers.map((c) => this.tasks.get(c)!));
    const assign = stage.scan?.assign;
    const runOf = assign && !assign.tasks ? runsOf(stage.scan!) : null;
    const unitsOf = assign?.tasks ? assignFixed(sent.units, stage.scan!, tasks) : runOf ? assignRanges(sent.units, runOf, tasks) : assignUnits(sent.units, tasks);
    const sharing: UnitSharing = assign?.tasks ? { kind: 'fixed' } : runOf ? { kind: 'runs', runs: sent.units.map((u) => runOf.get(u.partitionId)!) } : { kind: 'units' };
    const claims = unitClaims(sent.units, unitsOf, sharing);
    const replies: (StageTaskReply | null)[] = new Array(tasks).fill(null);
    const generates = execNodes(stage.root).some((n) => n.kind === 'generator_exec');
    const reservesValues = execNodes(stage.root).some((n) => n.kind === 'nextval_exec');
    if (reservesValues && !this.ctx.sequenceValues) throw new InternalError('a stage with a nextval_exec needs sequenceValues in its context');
    const valuePorts: MessagePort[] = [];
    const runs: Promise<void>[] = [];
    for (let t = 0; t < tasks; t++) {
      const inputs: Record<number, ExchangeChunk[]> = {};
      let inputChunks = 0;
      for (const s of stage.inputs) {
        inputs[s] = this.routed.get(s)?.[t] ?? [];
        inputChunks += inputs[s].length;
      }
      // values_exec and batches_exec run in task 0 only: another task without units or chunks has no rows
      // (a generator_exec's tasks each generate their share of blocks).
      if (t > 0 && unitsOf[t].length === 0 && inputChunks === 0 && !generates) continue;
      const task: StageTask = {
        kind: 'stage',
        queryId: this.ctx.queryId,
        // The tasks that really run (the coordinator may run fewer than planned): a generator_exec splits its blocks among them.
        stage: sent.stage.tasks === tasks ? sent.stage : { ...sent.stage, tasks },
        task: t,
        consumerTasks,
        units: unitsOf[t],
        ...(claims ? { claims } : {}),
        inputs,
        memoryBytes: this.ledger.taskMemory(),
        spillDir: this.ctx.spillDir,
        spillBytes: this.ledger.taskSpill(),
      };
      // Chunks another consumer stage also reads are cloned, never detached under it.
      const owned = stage.inputs.filter((s) => (this.consumers.get(s)?.length ?? 0) === 1);
      const transfer: (ArrayBuffer | MessagePort)[] = transferable(
        Object.fromEntries(owned.map((s) => [s, inputs[s]])),
        owned.map((s) => this.routed.get(s) ?? []),
      );
      if (resultPort && t === 0) {
        task.resultPort = resultPort;
        transfer.push(resultPort);
      }
      if (stage.output.kind === 'written' && this.ctx.reservations) {
        task.reservations = this.ctx.reservations();
        transfer.push(task.reservations);
      }
      if (reservesValues) {
        const channel = new MessageChannel();
        serveSequenceValues(channel.port1, this.ctx.sequenceValues!);
        valuePorts.push(channel.port1);
        task.sequences = channel.port2;
        transfer.push(channel.port2);
      }
      runs.push(
        this.ctx.pool
          .run<StageTaskReply | WorkerFailure>(t, task, transfer, this.cancel)
          .then(throwIfFailure)
          .then((reply) => {
            replies[t] = reply;
          })
          .catch((err: unknown) => {
            this.fail(err);
            throw err;
          }),
      );
    }
    const settled = await Promise.allSettled(runs);
    for (const p of valuePorts) p.close();
    // Inputs every consumer stage has read: their memory is free again.
    for (const s of stage.inputs) {
      const left = this.unread.get(s)! - 1;
      this.unread.set(s, left);
      if (left > 0) continue;
      this.ledger.release(this.heldBy.get(s) ?? 0);
      this.heldBy.delete(s);
      this.routed.delete(s);
    }
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    // Routed per task of the widest reader (a broadcast reaches every task of it).
    await this.finishStage(stage, replies, Math.max(0, ...readers.map((c) => this.tasks.get(c)!)));
  }

  /**
   * The stage as its tasks receive it: its units pruned again by the runtime filters that
   * target it; rows dropped by key bitmaps where the keys have one (one per column,
   * intersected, in its scan's keyFilters), else by a value set's IN list in its scan's row
   * filter; partitions counted in the stats (those of scans every task reads whole, once).
   * A key-range filter only prunes partitions: within a partition it
   * rarely drops a row (a filtered build's keys span most of the probe's range) yet, dropping
   * one, made the scan copy every column of the batch, and the join drops those rows anyway.
   */
  private prepare(stage: Stage): { stage: Stage; units: ScanUnit[] } {
    const scanInfo = stage.scan;
    const sentStage: Stage = { ...stage, scan: undefined };
    // Tiny builds every task reads whole count once, as the tasks report them.
    for (const n of execNodes(stage.root)) if (n.kind === 'scan_exec' && n.every) this.countPartitions(n.every.partitionsTotal, n.every.units.length);
    if (!scanInfo) return { stage: sentStage, units: [] };
    let units = scanInfo.units;
    const pending = this.filters.get(stage.id) ?? [];
    if (pending.length > 0) {
      const scan = findScan(stage.root);
      if (!scan) throw new InternalError(`runtime filter on stage ${stage.id}, which has no scan`);
      const preds: BoundExpr[] = [];
      const rowPreds: BoundExpr[] = [];
      const keyFilters = new Map<number, KeyBits>();
      for (const f of pending) {
        const type = scan.tableColumns[scan.scanColumns[f.probeColumn]].type;
        const p = runtimeFilterPredicate(f.keyType, { index: f.probeColumn, type }, f.summary);
        const bits = runtimeFilterBits(f.keyType, { type }, f.summary);
        if (p) preds.push(p);
        // runtimeFilterPredicate's forms: in_list (a value set), literal FALSE (no keys), and (a range).
        // A value set with a bitmap drops rows by the bitmap (the same keys, one bit test a row,
        // against the IN list's expression machinery); its IN list still prunes partitions.
        if (p && (p.kind === 'literal' || (p.kind === 'in_list' && !bits))) rowPreds.push(p);
        if (!bits) continue;
        const other = keyFilters.get(f.probeColumn);
        keyFilters.set(f.probeColumn, other ? andKeyBits(other, bits) : bits);
      }
      if (preds.length > 0) {
        const filter = conjunction(scan.filter, preds)!;
        const rowFilter = conjunction(scan.filter, rowPreds);
        const names = scan.scanColumns.map((i) => scan.tableColumns[i].name);
        const partitions: PartitionInfo[] = units.map((u, i) => ({
          id: u.partitionId,
          tableId: 0,
          objectKey: u.objectKey,
          rowCount: u.rowCount,
          byteSize: u.byteSize,
          etag: u.etag,
          zoneMap: scanInfo.zoneMaps[i],
          addedVersion: 0,
          removedVersion: null,
        }));
        const byId = new Map(units.map((u) => [u.partitionId, u]));
        const pruned = pruneUnits(partitions, filter, names, this.ctx.pruning);
        // A unit scanned whole before stays whole only if the new filter is proven true too.
        units = pruned.units.map((p) => ({ ...byId.get(p.partition.id)!, filterMode: p.filterMode }));
        const withKeys = keyFilters.size === 0 ? {} : { keyFilters: [...keyFilters].map(([column, bits]) => ({ column, bits })) };
        sentStage.root = mapExecNodes(stage.root, (n) => (n.id === scan.id ? { ...scan, filter: rowFilter, ...withKeys } : n));
      }
    }
    this.countPartitions(scanInfo.partitionsTotal, units.length);
    return { stage: sentStage, units };
  }

  private countPartitions(total: number, scanned: number): void {
    this.stats.partitionsTotal += total;
    this.stats.partitionsScanned += scanned;
    if (this.progress) {
      this.progress.partitionsTotal += total;
      this.progress.partitionsScanned += scanned;
    }
  }

  /** Routes the stage's outputs to its consumer's tasks, merges its runtime filters, sums its stats. */
  private async finishStage(stage: Stage, replies: (StageTaskReply | null)[], consumerTasks: number): Promise<void> {
    const done = replies.filter((r): r is StageTaskReply => r !== null);
    for (const r of done) {
      this.stats.rowsScanned += r.stats.rowsScanned;
      this.stats.bytesScanned += r.stats.bytesScanned;
      if (this.progress) this.progress.bytesScanned += r.stats.bytesScanned;
      this.stats.cacheHits += r.stats.cacheHits;
      this.stats.cacheMisses += r.stats.cacheMisses;
      this.stats.bytesSpilled += r.bytesSpilled;
      for (const p of r.profile) this.stats.profile.push(p);
      for (const w of r.written) this.written.push(w);
      for (const id of r.removed) this.removed.push(id);
      for (const f of r.unloaded) this.unloaded.push(f);
      this.dml.inserted += r.dml.inserted;
      this.dml.updated += r.dml.updated;
      this.dml.deleted += r.dml.deleted;
      this.dml.multiJoined += r.dml.multiJoined;
    }
    stage.runtimeFilters.forEach((f, i) => {
      const summaries = done.map((r) => r.keySummaries[i]).filter((s): s is KeySummary => s !== undefined);
      const list = this.filters.get(f.probeStage) ?? [];
      list.push({ probeColumn: f.probeColumn, keyType: f.key.type, summary: mergeKeySummaries(f.key.type, summaries) });
      this.filters.set(f.probeStage, list);
    });
    if (stage.output.kind === 'result' || stage.output.kind === 'written') return;
    const routed: ExchangeChunk[][] = Array.from({ length: consumerTasks }, () => []);
    const all: ExchangeChunk[] = [];
    for (const r of done) {
      if (stage.output.kind === 'broadcast') {
        const chunks = r.outputs.flat();
        for (const c of chunks) all.push(c);
        for (const list of routed) for (const c of chunks) list.push(c);
        continue;
      }
      if (r.outputs.length > consumerTasks) throw new InternalError(`stage ${stage.id} answered ${r.outputs.length} outputs for ${consumerTasks} consumer tasks`);
      r.outputs.forEach((chunks, c) => {
        for (const chunk of chunks) {
          routed[c].push(chunk);
          all.push(chunk);
        }
      });
    }
    const spilled = await this.spillOverBudget(stage.id, all);
    const final = (list: ExchangeChunk[]) => list.map((c) => spilled.get(c) ?? c);
    this.heldBy.set(stage.id, this.ledger.hold(final(all)));
    this.routed.set(stage.id, routed.map(final));
  }

  /**
   * When the stage's in-memory chunks would take the exchanges past the memory budget, the
   * largest of them go to files in the statement's spill directory until the rest fits (they
   * then count against the disk budget): producers size their in-memory output by the
   * memory free when they started, and tasks running side by side may together exceed it.
   * Answers the replacement of each chunk written out.
   */
  private async spillOverBudget(stageId: number, chunks: readonly ExchangeChunk[]): Promise<Map<ExchangeChunk, ExchangeChunk>> {
    const out = new Map<ExchangeChunk, ExchangeChunk>();
    const ipc = [...new Set(chunks)].filter((c): c is Extract<ExchangeChunk, { kind: 'ipc' }> => c.kind === 'ipc');
    let over = this.ledger.held + ipc.reduce((n, c) => n + c.bytes.byteLength, 0) - this.ledger.memoryBytes;
    if (over <= 0) return out;
    ipc.sort((a, b) => b.bytes.byteLength - a.bytes.byteLength);
    for (const c of ipc) {
      if (over <= 0) break;
      const file = path.join(this.ctx.spillDir, `coordinator-s${stageId}-${this.spilledChunks++}.arrow`);
      await writeFile(file, c.bytes);
      out.set(c, { kind: 'file', path: file, bytes: c.bytes.byteLength, rows: c.rows, producer: c.producer });
      over -= c.bytes.byteLength;
    }
    return out;
  }
}

/** The tasks a stage runs: a scan-only stage runs at most one per unit (at least one). */
function effectiveTasks(stage: Stage, workers: number): number {
  const planned = Math.max(1, Math.min(stage.tasks, workers));
  if (stage.output.kind === 'result') return 1;
  if (stage.scan && stage.inputs.length === 0 && !execNodes(stage.root).some((n) => n.kind === 'values_exec' || n.kind === 'batches_exec')) {
    return Math.max(1, Math.min(planned, stage.scan.units.length));
  }
  return planned;
}

/** The run of each partition of a range-assigned scan, by partition id. */
function runsOf(scan: StageScan): Map<number, number> {
  return new Map(scan.units.map((u, i) => [u.partitionId, scan.assign!.runs[i]]));
}

/**
 * The ArrayBuffers of task t's IPC chunks to transfer: each chunk's own buffer, unless it is
 * a SharedArrayBuffer (broadcast: shared by reference) or another consumer task's chunk lives
 * in the same buffer (it is then cloned rather than detached under the other task).
 */
function transferable(inputs: Record<number, ExchangeChunk[]>, routedPerInput: ExchangeChunk[][][]): ArrayBuffer[] {
  const owners = new Map<ArrayBufferLike, Set<number>>();
  for (const routed of routedPerInput) {
    routed.forEach((chunks, task) => {
      for (const c of chunks) {
        if (c.kind !== 'ipc' || c.bytes.buffer instanceof SharedArrayBuffer) continue;
        const set = owners.get(c.bytes.buffer) ?? new Set<number>();
        set.add(task);
        owners.set(c.bytes.buffer, set);
      }
    });
  }
  const out = new Set<ArrayBuffer>();
  for (const chunks of Object.values(inputs)) {
    for (const c of chunks) {
      if (c.kind !== 'ipc' || c.bytes.buffer instanceof SharedArrayBuffer) continue;
      if (owners.get(c.bytes.buffer)?.size === 1) out.add(c.bytes.buffer as ArrayBuffer);
    }
  }
  return [...out];
}

/** `base` AND every predicate of `preds` (null when there is nothing to AND). */
function conjunction(base: BoundExpr | null, preds: readonly BoundExpr[]): BoundExpr | null {
  const args = base === null ? [...preds] : [base, ...preds];
  if (args.length <= 1) return args[0] ?? null;
  return { kind: 'and', args, type: Types.boolean };
}
