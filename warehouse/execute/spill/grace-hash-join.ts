/**
 * A hash join within a memory budget, around HashJoinExec: hybrid hash join that spills
 * hash partitions of both inputs to disk when the build side does not fit.
 *
 * Contract (phases as HashJoinExec: `build` per build-side batch, `finishBuild`, `probe` per
 * probe batch read to the end before the next, `finish` once):
 *  - While the build side's estimated bytes (HashJoinExec.memoryBytes, less what an empty
 *    one holds) fit `memoryBytes`,
 *    it is exactly HashJoinExec over the same batches (same output, same order).
 *  - Past it (joins with equality keys and no IN key): the build rows so far and all later
 *    ones are split into SPILL_PARTITIONS partitions by a hash of the join keys
 *    (partition-rows.ts; rows with a NULL key match nothing, so they are spread over the
 *    partitions by position, each still in exactly one, and come out exactly once for
 *    outer, anti and mark joins). Partitions stay in memory while they fit half the budget; the largest are
 *    written to disk until they do. `finishBuild` builds one HashJoinExec over the resident
 *    partitions; `probe` joins the probe rows of resident partitions at once and writes the
 *    rows of spilled partitions to disk (dropped instead when their partition's build side
 *    is empty and the join cannot output unmatched probe rows). `finish` yields the resident
 *    join's finish (unmatched build rows, build-side SEMI/ANTI/MARK rows), then joins each
 *    spilled partition from disk with a GraceHashJoin one level down (a new hash seed), which
 *    partitions again when the partition is still too big. Every row of both inputs is in
 *    exactly one partition, so INNER, LEFT, RIGHT, FULL, SEMI, ANTI and MARK stay exact; the
 *    output order then differs from HashJoinExec's.
 *  - Joins that cannot be partitioned (no equality keys: CROSS and residual-only joins; an
 *    IN key: NULL-aware ANTI and MARK, whose NULL rules need the whole other side) stay in
 *    memory and fail with 53200 past `memoryBytes`, saying why they cannot spill. So does a
 *    partition still too big after MAX_LEVELS of partitioning (many rows of one key).
 * The cancel flag is checked per batch; past the disk budget the spill space throws 53200.
 */
import { ResourceError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { batchBytes } from '../../../storage/types/vector-bytes.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { gatherBatch } from '../batch/gather-batch.js';
import { nullVector } from '../batch/null-vector.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { HashJoinExec } from '../join/hash-join-exec.js';
import { joinKeyType, joinOutputTypes, type HashJoinSpec } from '../join/join-spec.js';
import { partitionRows, SPILL_PARTITIONS } from './partition-rows.js';
import { PartitionWriters } from './partition-writers.js';
import { readSpillRun, type SpillRun } from './spill-file.js';
import type { SpillOptions } from './spill-options.js';

/** Partitioning levels (the first included) before a partition that still does not fit is given up on. */
export const MAX_JOIN_LEVELS = 4;
/** Estimated hash-table bytes per build row and key column, on top of the rows themselves. */
const BYTES_PER_ROW_KEY = 40;
const BYTES_PER_ROW = 8;

type Partition = { resident: boolean; batches: Batch[]; bytes: number };

export class GraceHashJoin {
  readonly outputTypes: DataType[];
  /** Whether the join can be partitioned (equality keys, no IN key). */
  readonly partitionable: boolean;
  private readonly inner: HashJoinSpec;
  private readonly name: string;
  private readonly buildLeft: boolean;
  private readonly buildTypes: DataType[];
  private readonly probeTypes: DataType[];
  private readonly buildKeys: BoundExpr[];
  private readonly probeKeys: BoundExpr[];
  private readonly keyTypes: DataType[];
  /** The in-memory join: all of the build side, or the resident partitions once partitioned. */
  private exec: HashJoinExec | null;
  /** Build batches held by `exec` before the switch (the same objects: no copy). */
  private held: Batch[] = [];
  private parts: Partition[] | null = null;
  private residentBytes = 0;
  private readonly seenDicts = new Set<readonly string[]>();
  private buildWriters: PartitionWriters | null = null;
  private probeWriters: PartitionWriters | null = null;
  private buildRuns: SpillRun[] | null = null;
  private built = false;
  private spilled = 0;
  private childSpilled = 0;
  /** What an empty HashJoinExec already holds (its hash table's initial capacity): not the rows' share of the budget. */
  private readonly fixedBytes: number;

  constructor(
    readonly spec: HashJoinSpec,
    private readonly opts: SpillOptions,
    /** Partitioning depth: 0 for the operator, one more for each partition joined from disk. */
    readonly level = 0,
  ) {
    this.outputTypes = joinOutputTypes(spec);
    this.partitionable = spec.keys.length > 0 && (spec.inKey ?? null) === null;
    this.name = spec.name ?? `${spec.type} join`;
    this.inner = this.partitionable ? { ...spec, memoryBudget: undefined } : { ...spec, memoryBudget: Math.min(spec.memoryBudget ?? Infinity, opts.memoryBytes) };
    this.buildLeft = spec.buildSide === 'left';
    this.buildTypes = [...(this.buildLeft ? spec.left : spec.right)];
    this.probeTypes = [...(this.buildLeft ? spec.right : spec.left)];
    this.buildKeys = spec.keys.map((k) => (this.buildLeft ? k.left : k.right));
    this.probeKeys = spec.keys.map((k) => (this.buildLeft ? k.right : k.left));
    this.keyTypes = spec.keys.map((k, i) => joinKeyType(k, `join key ${i + 1}`));
    this.exec = new HashJoinExec(this.inner);
    this.fixedBytes = this.exec.memoryBytes;
  }

  /** Bytes this join (and the joins of its spilled partitions) wrote to spill files. */
  get bytesSpilled(): number {
    return this.spilled + this.childSpilled;
  }

  /** True once the build side passed the budget and the join was partitioned. */
  get partitioned(): boolean {
    return this.parts !== null;
  }

  async build(batch: Batch): Promise<void> {
    this.opts.cancel?.check();
    if (batch.length === 0) return;
    if (this.parts !== null) {
      this.route(batch);
      return;
    }
    try {
      this.exec!.build(batch);
    } catch (err) {
      throw this.explain(err);
    }
    if (!this.partitionable) return;
    this.held.push(batch);
    if (this.exec!.memoryBytes - this.fixedBytes > this.opts.memoryBytes) this.startPartitioning();
  }

  async finishBuild(): Promise<void> {
    if (this.built) return;
    this.built = true;
    if (this.parts === null) {
      this.held = [];
      try {
        this.exec!.finishBuild();
      } catch (err) {
        throw this.explain(err);
      }
      return;
    }
    const exec = new HashJoinExec(this.inner);
    for (const p of this.parts) {
      if (p.resident) for (const b of p.batches) exec.build(b);
      p.batches = [];
    }
    exec.finishBuild();
    this.exec = exec;
    this.buildRuns = this.buildWriters!.finish();
    for (const r of this.buildRuns) this.spilled += r.bytes;
    this.probeWriters = new PartitionWriters(this.opts.spill, `join-l${this.level}-probe`, this.probeTypes, SPILL_PARTITIONS, this.frameBytes());
  }

  async *probe(batch: Batch): AsyncGenerator<Batch> {
    this.opts.cancel?.check();
    await this.finishBuild();
    if (batch.length === 0) return;
    if (this.parts === null) {
      yield* this.exec!.probe(batch);
      return;
    }
    const n = batch.length;
    const { order, starts } = partitionRows(this.keyVectors(this.probeKeys, batch), n, this.level, 'spread');
    const here = new Int32Array(n);
    let count = 0;
    const canDrop = this.exec!.canPruneProbe;
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      const from = starts[p];
      const to = starts[p + 1];
      if (from === to) continue;
      if (this.parts[p].resident) {
        for (let k = from; k < to; k++) here[count++] = order[k];
      } else if (!(canDrop && this.buildRuns![p].rows === 0)) {
        this.probeWriters!.add(p, gatherBatch(batch, order.subarray(from, to), to - from));
      }
    }
    if (count === 0) return;
    yield* this.exec!.probe(count === n ? batch : gatherBatch(batch, here.subarray(0, count), count));
  }

  async *finish(): AsyncGenerator<Batch> {
    await this.finishBuild();
    try {
      yield* this.exec!.finish();
    } catch (err) {
      throw this.explain(err);
    }
    if (this.parts === null) return;
    const probeRuns = this.probeWriters!.finish();
    for (const r of probeRuns) this.spilled += r.bytes;
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      if (this.parts[p].resident) continue;
      const build = this.buildRuns![p];
      const probe = probeRuns[p];
      if (build.rows === 0 && !this.needsProbeWithoutBuild()) continue;
      yield* this.joinFromDisk(build, probe);
    }
  }

  /** One spilled partition: a join one level down over its build and probe runs. */
  private async *joinFromDisk(build: SpillRun, probe: SpillRun): AsyncGenerator<Batch> {
    const child = new GraceHashJoin(this.spec, this.opts, this.level + 1);
    try {
      for await (const b of readSpillRun(build)) await child.build(b);
      await child.finishBuild();
      for await (const b of readSpillRun(probe)) yield* child.probe(b);
      yield* child.finish();
    } finally {
      this.childSpilled += child.bytesSpilled;
    }
  }

  /** Whether probe rows of a partition with no build rows still give output (probe-side outer, ANTI/MARK of probe rows). */
  private needsProbeWithoutBuild(): boolean {
    return !this.exec!.canPruneProbe;
  }

  private startPartitioning(): void {
    if (this.level + 1 >= MAX_JOIN_LEVELS) {
      throw new ResourceError(
        'RESOURCE_EXHAUSTED',
        `Hash join ${this.name} exceeded its memory budget of ${this.opts.memoryBytes} bytes (FIRN_QUERY_MEMORY_BYTES) in a partition ` +
          `spilled ${this.level} times: too many build rows share one join key to split it further. Use a larger warehouse.`,
      );
    }
    this.parts = Array.from({ length: SPILL_PARTITIONS }, () => ({ resident: true, batches: [], bytes: 0 }));
    this.buildWriters = new PartitionWriters(this.opts.spill, `join-l${this.level}-build`, this.buildTypes, SPILL_PARTITIONS, this.frameBytes());
    this.exec = null;
    const held = this.held;
    this.held = [];
    for (const b of held) this.route(b);
  }

  /** Sends each row of a build batch to its partition (memory or disk), then evicts partitions while the resident ones pass half the budget. */
  private route(batch: Batch): void {
    const n = batch.length;
    const parts = this.parts!;
    const { order, starts } = partitionRows(this.keyVectors(this.buildKeys, batch), n, this.level, 'spread');
    const perRow = BYTES_PER_ROW + BYTES_PER_ROW_KEY * this.keyTypes.length;
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      const count = starts[p + 1] - starts[p];
      if (count === 0) continue;
      const rows = gatherBatch(batch, order.subarray(starts[p], starts[p + 1]), count);
      const part = parts[p];
      if (!part.resident) {
        this.buildWriters!.add(p, rows);
        continue;
      }
      const bytes = batchBytes(rows, this.seenDicts) + count * perRow;
      part.batches.push(rows);
      part.bytes += bytes;
      this.residentBytes += bytes;
    }
    while (this.residentBytes > this.opts.memoryBytes / 2) {
      let victim = -1;
      for (let p = 0; p < SPILL_PARTITIONS; p++) if (parts[p].resident && parts[p].bytes > 0 && (victim < 0 || parts[p].bytes > parts[victim].bytes)) victim = p;
      if (victim < 0) break;
      const part = parts[victim];
      part.resident = false;
      this.residentBytes -= part.bytes;
      for (const b of part.batches) this.buildWriters!.add(victim, b);
      part.batches = [];
      part.bytes = 0;
    }
  }

  private keyVectors(exprs: readonly BoundExpr[], batch: Batch): Vector[] {
    return exprs.map((e, k) => (e.type.kind === 'NULL' && this.keyTypes[k].kind !== 'NULL' ? nullVector(this.keyTypes[k], batch.length) : evaluateExpr(e, batch)));
  }

  private frameBytes(): number {
    return Math.max(16384, Math.min(1 << 20, this.opts.memoryBytes / (4 * SPILL_PARTITIONS)));
  }

  /** A join that cannot spill and passed its budget says why it cannot spill. */
  private explain(err: unknown): unknown {
    if (this.partitionable || !(err instanceof ResourceError) || err.codeName !== 'RESOURCE_EXHAUSTED') return err;
    const why = (this.spec.inKey ?? null) !== null ? 'a NOT IN / IN subquery join needs its whole subquery side in memory' : 'a join without equality keys cannot be partitioned';
    return new ResourceError('RESOURCE_EXHAUSTED', `${err.message} It cannot spill to disk: ${why}.`);
  }
}
