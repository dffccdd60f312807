/**
 * The hash join operator: INNER, CROSS, LEFT, RIGHT, FULL, SEMI, ANTI, NULL-aware ANTI
 * (`x NOT IN (subquery)`) and MARK joins over Firn batches (join-spec.ts describes the
 * spec, output columns and key semantics).
 *
 * Contract, in phases:
 *  1. build: `build(batch)` once per batch of the build side (spec.buildSide), then
 *     `finishBuild()`. Build keys get ids from JoinKeyIds (the aggregate module's
 *     GroupKeyTable, or value - min for one integer key over a dense range) and the rows of
 *     an id are chained with Int32Array head/next arrays (JoinBuildSide), counted against
 *     spec.memoryBudget (ResourceError RESOURCE_EXHAUSTED, SQLSTATE 53200, past it). `keyStats()` then gives the build keys' range and small key
 *     set for join pruning; `canPruneProbe` says whether probe rows without a key match may
 *     be pruned at all.
 *  2. probe: `probe(batch)` once per batch of the other side. It is lazy: output batches
 *     (at most spec.batchSize rows each) are produced as the caller iterates, and the caller
 *     reads each probe's output to the end before the next probe or finish. Candidate pairs
 *     come in blocks of two Int32Array selection vectors (probe rows, build rows), from the
 *     key chains or, without keys, from the nested loop of every pair; the residual
 *     predicate is evaluated per block over just the columns it reads; output columns are
 *     gathered by the two selections. Probe-side outer rows and probe-side SEMI/ANTI/MARK
 *     results come out with the probe batch.
 *  3. finish: `finish()` yields what only the whole probe side decides: unmatched build
 *     rows of an outer join preserving the build side (tracked in a Uint8Array), and the
 *     SEMI/ANTI/MARK output when the left side is the build side. Once it has yielded its
 *     last batch, the build side's arrays go back to the worker's array pool (array-pool.ts
 *     leases); every batch it yielded holds copies, never those arrays.
 *
 * Per-row match states for SEMI/ANTI/MARK are 0 = no match (FALSE), 1 = unknown (NULL, only
 * with an IN key), 2 = match (TRUE); a row keeps the largest state any candidate gives it.
 * An IN key is hashed directly when there are no correlation keys and no residual (then the
 * NULL rules need only "build side empty" and "build side has a NULL"); otherwise the
 * correlation keys are hashed and each candidate compares the IN key's ids.
 */
import { ArrayLease, borrowI32, isTransient, leased, leaseU8, markTransient, recycleArray, recycleTransient, recycleUnshared } from '../batch/array-pool.js';
import { InternalError } from '../../../storage/errors/firn-error.js';
import { CancelFlag } from '../../cancel/cancel-flag.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { selectionFromMask } from '../batch/filter-batch.js';
import { gatherVector } from '../batch/gather-vector.js';
import { nullVector } from '../batch/null-vector.js';
import { sliceBatch } from '../batch/slice-batch.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { compactColumns, type CompactedExpr } from './compact-columns.js';
import { JoinBuildSide } from './join-build-side.js';
import { JoinKeyIds, NULL_KEY } from './join-key-ids.js';
import { joinKeyStats, type JoinKeyStats } from './join-key-stats.js';
import {
  DEFAULT_JOIN_BATCH_SIZE,
  DEFAULT_KEY_SET_LIMIT,
  isRowFlagJoin,
  joinKeyType,
  joinOutputTypes,
  validateJoinSpec,
  type HashJoinSpec,
  type JoinType,
} from './join-spec.js';

const NO_MATCH = 0;
const UNKNOWN = 1;
const MATCH = 2;

type Phase = 'build' | 'probe' | 'probing' | 'done';

export class HashJoinExec {
  readonly outputTypes: DataType[];
  /** True when probe rows with no key match can contribute nothing (join pruning may skip them). */
  readonly canPruneProbe: boolean;
  readonly type: JoinType;
  private readonly name: string;
  private readonly buildLeft: boolean;
  private readonly leftWidth: number;
  private readonly buildTypes: readonly DataType[];
  private readonly batchSize: number;
  private readonly keySetLimit: number;
  /** SEMI, ANTI, NULL_AWARE_ANTI, MARK: output is left rows with a state, not pairs. */
  private readonly rowFlag: boolean;
  private readonly probePreserved: boolean;
  private readonly buildPreserved: boolean;
  /** The IN key is the hash key (no correlation keys, no residual). */
  private readonly inKeyHashed: boolean;
  /** States come straight from key hits, without materializing candidate pairs. */
  private readonly directFlags: boolean;
  private readonly hashKeyTypes: DataType[];
  private readonly buildKeyExprs: BoundExpr[];
  private readonly probeKeyExprs: BoundExpr[];
  private readonly keyIds: JoinKeyIds | null;
  private readonly inType: DataType | null;
  private readonly buildInExpr: BoundExpr | null;
  private readonly probeInExpr: BoundExpr | null;
  private readonly inIds: JoinKeyIds | null;
  private readonly residual: CompactedExpr | null;
  private readonly side: JoinBuildSide;
  private readonly pSel: Int32Array;
  private readonly bSel: Int32Array;
  private phase: Phase = 'build';
  /** Outer joins preserving the build side: 1 where a build row joined. */
  private buildMatched: Uint8Array | null = null;
  /** SEMI/ANTI/MARK with the left side as build side: each build row's state. */
  private buildState: Uint8Array | null = null;
  /** Direct states on the build side: 1 where a key id's chain is already marked. */
  private idMatched: Uint8Array | null = null;
  private probeRows = 0;
  private probeSawNullKey = false;
  private stats: JoinKeyStats[] | null = null;
  /** The build side's arrays (rows, key ids, chains, flags): back to the pool once finish has read them. */
  private readonly lease = new ArrayLease();

  constructor(
    readonly spec: HashJoinSpec,
    private readonly evaluate: ExprEvaluator = evaluateExpr,
  ) {
    validateJoinSpec(spec);
    this.type = spec.type;
    this.name = spec.name ?? `${spec.type} join`;
    this.outputTypes = joinOutputTypes(spec);
    this.buildLeft = spec.buildSide === 'left';
    this.leftWidth = spec.left.length;
    this.buildTypes = this.buildLeft ? spec.left : spec.right;
    this.batchSize = spec.batchSize ?? DEFAULT_JOIN_BATCH_SIZE;
    this.keySetLimit = spec.keySetLimit ?? DEFAULT_KEY_SET_LIMIT;
    this.rowFlag = isRowFlagJoin(spec.type);
    const leftPreserved = spec.type === 'LEFT' || spec.type === 'FULL';
    const rightPreserved = spec.type === 'RIGHT' || spec.type === 'FULL';
    this.probePreserved = this.buildLeft ? rightPreserved : leftPreserved;
    this.buildPreserved = this.buildLeft ? leftPreserved : rightPreserved;

    const inKey = spec.inKey ?? null;
    const residual = spec.residual ?? null;
    this.inKeyHashed = inKey !== null && spec.keys.length === 0 && residual === null;
    const comparesIn = inKey !== null && !this.inKeyHashed;
    this.directFlags = this.rowFlag && residual === null && !comparesIn;
    const hashKeys = this.inKeyHashed ? [inKey!] : spec.keys;
    this.hashKeyTypes = hashKeys.map((k, i) => joinKeyType(k, `join key ${i + 1}`));
    this.buildKeyExprs = hashKeys.map((k) => (this.buildLeft ? k.left : k.right));
    this.probeKeyExprs = hashKeys.map((k) => (this.buildLeft ? k.right : k.left));
    this.keyIds = hashKeys.length > 0 ? new JoinKeyIds(this.hashKeyTypes) : null;
    this.inType = comparesIn ? joinKeyType(inKey!, 'join IN key') : null;
    this.buildInExpr = comparesIn ? (this.buildLeft ? inKey!.left : inKey!.right) : null;
    this.probeInExpr = comparesIn ? (this.buildLeft ? inKey!.right : inKey!.left) : null;
    this.inIds = comparesIn ? new JoinKeyIds([this.inType!]) : null;
    this.residual = residual === null ? null : compactColumns(residual);
    this.canPruneProbe =
      spec.keys.length > 0 && (this.rowFlag ? (this.buildLeft ? inKey === null : spec.type === 'SEMI') : !this.probePreserved);
    this.side = new JoinBuildSide(
      this.buildTypes,
      this.keyIds,
      this.inIds,
      (b) => this.keyVectors(this.buildKeyExprs, b),
      (b) => this.keyVector(this.buildInExpr!, this.inType!, b),
      spec.memoryBudget ?? Infinity,
      this.name,
      // Left-built SEMI/ANTI/MARK output passes build rows on as they are: they must stay the caller's.
      !(this.rowFlag && this.buildLeft),
    );
    this.pSel = new Int32Array(this.batchSize);
    this.bSel = new Int32Array(this.batchSize);
  }

  /** Rows on the build side so far. */
  get buildRows(): number {
    return this.side.rows;
  }

  /** Estimated bytes held by the build side and its hash table. */
  get memoryBytes(): number {
    return this.side.bytes;
  }

  /** Adds one batch of the build side (columns as spec.left or spec.right says). */
  build(batch: Batch): void {
    if (this.phase !== 'build') throw new InternalError(`${this.name}: build after the build phase ended`);
    if (batch.columns.length !== this.buildTypes.length) {
      throw new InternalError(`${this.name}: build batch has ${batch.columns.length} columns, expected ${this.buildTypes.length}`);
    }
    leased(this.lease, () => this.side.add(batch));
  }

  /** Ends the build phase (probe and finish call it when the caller has not). */
  finishBuild(): void {
    if (this.phase !== 'build') return;
    leased(this.lease, () => this.sealBuild());
    this.phase = 'probe';
  }

  private sealBuild(): void {
    this.side.seal();
    const rows = this.side.rows;
    if (!this.rowFlag && this.buildPreserved) {
      this.side.reserve(rows);
      this.buildMatched = leaseU8(rows);
    }
    if (this.rowFlag && this.buildLeft) {
      this.side.reserve(rows);
      this.buildState = leaseU8(rows);
      if (this.directFlags && this.keyIds !== null) {
        this.side.reserve(this.keyIds.size);
        this.idMatched = leaseU8(this.keyIds.size);
      }
    }
  }

  /** Per key of spec.keys: the build side's key range and, when small, its key set. */
  keyStats(): JoinKeyStats[] {
    this.finishBuild();
    if (this.stats !== null) return this.stats;
    if (this.spec.keys.length === 0 || this.keyIds === null) return (this.stats = []);
    const head = this.side.head;
    const ids = new Int32Array(head.length);
    let count = 0;
    for (let id = 0; id < head.length; id++) if (head[id] !== 0) ids[count++] = id;
    const tuples = this.keyIds.emitKeys(ids, count);
    return (this.stats = joinKeyStats(this.hashKeyTypes, tuples, count, this.keySetLimit));
  }

  /** Output batches for one probe batch (lazy; read to the end before the next call). */
  *probe(batch: Batch): Generator<Batch, void, undefined> {
    this.finishBuild();
    if (this.phase === 'probing') throw new InternalError(`${this.name}: probe before the previous probe's output was read`);
    if (this.phase === 'done') throw new InternalError(`${this.name}: probe after finish`);
    const probeWidth = this.spec.left.length + this.spec.right.length - this.buildTypes.length;
    if (batch.columns.length !== probeWidth) {
      throw new InternalError(`${this.name}: probe batch has ${batch.columns.length} columns, expected ${probeWidth}`);
    }
    const n = batch.length;
    if (n === 0) return;
    this.phase = 'probing';
    let ids: Int32Array | null = null;
    try {
      this.probeRows += n;
      ids = this.probeIds(batch, n);
      if (this.directFlags) {
        yield* this.directStates(batch, ids, n);
        return;
      }
      const inIds = this.probeInIds(batch, n);
      const probeState = this.rowFlag && !this.buildLeft ? new Uint8Array(n) : null;
      const probeMatched = this.probePreserved ? new Uint8Array(n) : null;
      // A transient probe batch read only here may give its vectors to the output as they are.
      const handOver = probeState === null && probeMatched === null && isTransient(batch);
      const handedOver = new Set<Vector>();
      for (const m of this.candidates(ids, n)) {
        // A cross or many-to-many join's output can be far larger than its inputs: check per block.
        CancelFlag.checkpoint();
        const out = this.acceptBlock(batch, m, inIds, probeState, probeMatched, handOver);
        if (out === null) continue;
        if (handOver) for (const v of out.columns) if (batch.columns.includes(v)) handedOver.add(v);
        yield out;
      }
      if (probeState !== null) yield* this.picked(this.leftRows(batch, probeState));
      if (probeMatched !== null) yield* this.picked(this.unmatched(batch, probeMatched, false));
      // Every output above was gathered or now owns the vectors it took, so the rest of a transient probe batch is dead.
      else if (probeState === null) recycleTransient(batch, handedOver);
    } finally {
      // Nothing the probe yielded holds the ids: they go back to the pool.
      if (ids !== null) recycleArray(ids);
      if (this.phase === 'probing') this.phase = 'probe';
    }
  }

  /** Output that needs the whole probe side: unmatched build rows, build-side SEMI/ANTI/MARK rows. */
  *finish(): Generator<Batch, void, undefined> {
    this.finishBuild();
    if (this.phase === 'probing') throw new InternalError(`${this.name}: finish before the last probe's output was read`);
    if (this.phase === 'done') throw new InternalError(`${this.name}: finish called twice`);
    this.phase = 'done';
    if (this.buildMatched !== null) yield* this.picked(this.unmatched(this.side.batch, this.buildMatched, true));
    const state = this.buildState;
    if (state === null) {
      this.lease.release();
      return;
    }
    if (this.inKeyHashed) {
      // NULL rules of IN once the whole subquery (the probe side) is known: a NULL x is
      // unknown against a non-empty subquery; an unmatched x is unknown when it held a NULL.
      const ids = this.side.keyIds;
      const onNull = this.probeRows > 0 ? UNKNOWN : NO_MATCH;
      const onMiss = this.probeSawNullKey ? UNKNOWN : NO_MATCH;
      for (let r = 0; r < state.length; r++) {
        if (state[r] === NO_MATCH) state[r] = ids[r] === NULL_KEY ? onNull : onMiss;
      }
    }
    yield* this.picked(this.leftRows(this.side.batch, state));
    this.lease.release();
  }

  private keyVector(expr: BoundExpr, type: DataType, batch: Batch): Vector {
    if (expr.type.kind === 'NULL' && type.kind !== 'NULL') return nullVector(type, batch.length);
    return this.evaluate(expr, batch);
  }

  private keyVectors(exprs: readonly BoundExpr[], batch: Batch): Vector[] {
    return exprs.map((e, k) => this.keyVector(e, this.hashKeyTypes[k], batch));
  }

  /** Build key id of each probe row (NULL_KEY, MISSING_KEY when none), or null without keys. */
  private probeIds(batch: Batch, n: number): Int32Array | null {
    if (this.keyIds === null) return null;
    const ids = borrowI32(n);
    const keys = this.keyVectors(this.probeKeyExprs, batch);
    this.keyIds.lookup(keys, n, ids);
    for (const k of keys) recycleUnshared(k, batch);
    if (this.inKeyHashed && !this.probeSawNullKey) this.probeSawNullKey = ids.includes(NULL_KEY);
    return ids;
  }

  private probeInIds(batch: Batch, n: number): Int32Array | null {
    if (this.inIds === null) return null;
    const ids = new Int32Array(n);
    this.inIds.lookup([this.keyVector(this.probeInExpr!, this.inType!, batch)], n, ids);
    return ids;
  }

  /** SEMI/ANTI/MARK states straight from key hits (no residual, no per-candidate IN compare). */
  private *directStates(batch: Batch, ids: Int32Array | null, n: number): Generator<Batch, void, undefined> {
    const head = this.side.head;
    if (!this.buildLeft) {
      const state = new Uint8Array(n);
      if (ids === null) {
        if (this.side.rows > 0) state.fill(MATCH);
      } else if (!this.inKeyHashed) {
        // Simple version: state[i] = ids[i] >= 0 && head[ids[i]] !== 0 ? MATCH : NO_MATCH;
        for (let i = 0; i < n; i++) {
          const id = ids[i];
          if (id >= 0 && head[id] !== 0) state[i] = MATCH;
        }
      } else {
        // x IN (build keys): a NULL x is unknown unless the build side is empty; a missing x
        // is unknown when the build side holds a NULL.
        const onNull = this.side.rows > 0 ? UNKNOWN : NO_MATCH;
        const onMiss = this.side.hasNullKey ? UNKNOWN : NO_MATCH;
        for (let i = 0; i < n; i++) {
          const id = ids[i];
          state[i] = id >= 0 && head[id] !== 0 ? MATCH : id === NULL_KEY ? onNull : onMiss;
        }
      }
      yield* this.picked(this.leftRows(batch, state));
      return;
    }
    const state = this.buildState!;
    if (ids === null) {
      state.fill(MATCH);
      return;
    }
    const next = this.side.next;
    const idMatched = this.idMatched!;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id < 0 || idMatched[id] !== 0) continue;
      idMatched[id] = 1;
      for (let b = head[id] - 1; b >= 0; b = next[b] - 1) state[b] = MATCH;
    }
  }

  /**
   * Candidate pairs in blocks: fills pSel/bSel and yields the block's size. With keys, the
   * build rows on each probe row's chain; without, every (probe row, build row) pair.
   */
  private *candidates(ids: Int32Array | null, n: number): Generator<number, void, undefined> {
    const pSel = this.pSel;
    const bSel = this.bSel;
    const cap = pSel.length;
    let m = 0;
    if (ids === null) {
      const rows = this.side.rows;
      for (let i = 0; i < n; i++) {
        for (let b = 0; b < rows; b++) {
          pSel[m] = i;
          bSel[m] = b;
          if (++m === cap) {
            yield m;
            m = 0;
          }
        }
      }
    } else {
      const head = this.side.head;
      const next = this.side.next;
      for (let i = 0; i < n; i++) {
        const id = ids[i];
        if (id < 0) continue;
        for (let b = head[id] - 1; b >= 0; b = next[b] - 1) {
          pSel[m] = i;
          bSel[m] = b;
          if (++m === cap) {
            yield m;
            m = 0;
          }
        }
      }
    }
    if (m > 0) yield m;
  }

  /**
   * One block of m candidates: keeps the pairs the residual accepts, records matches, and
   * returns the joined rows (pair joins) or null (SEMI/ANTI/MARK, or nothing accepted).
   */
  private acceptBlock(
    probe: Batch,
    m: number,
    inIds: Int32Array | null,
    probeState: Uint8Array | null,
    probeMatched: Uint8Array | null,
    handOver = false,
  ): Batch | null {
    let ps = this.pSel;
    let bs = this.bSel;
    let count = m;
    if (this.residual !== null) {
      const sel = this.residualSelection(probe, m);
      count = sel.length;
      if (count === 0) return null;
      if (count < m) {
        ps = compose(ps, sel, count);
        bs = compose(bs, sel, count);
      }
    }
    if (this.rowFlag) {
      this.recordStates(ps, bs, count, inIds, probeState);
      return null;
    }
    if (probeMatched !== null) for (let k = 0; k < count; k++) probeMatched[ps[k]] = 1;
    const buildMatched = this.buildMatched;
    if (buildMatched !== null) for (let k = 0; k < count; k++) buildMatched[bs[k]] = 1;
    // Each probe row matched exactly once, in order (a foreign key into a whole dimension): the
    // probe's vectors are the output's as they are, rather than gathered by 0, 1, .., n - 1.
    const whole = handOver && count === probe.length && isIdentity(ps, count);
    const fromProbe = (v: Vector): Vector => (whole ? v : gatherVector(v, ps, count));
    const outputs = this.spec.outputs;
    if (outputs) {
      // Only the wanted columns: output position o is left column o, or right column o - leftWidth.
      const columns = outputs.map((o) => {
        const fromLeft = o < this.leftWidth;
        const v = (fromLeft === this.buildLeft ? this.side.batch : probe).columns[fromLeft ? o : o - this.leftWidth];
        return fromLeft === this.buildLeft ? gatherVector(v, bs, count) : fromProbe(v);
      });
      return markTransient({ length: count, columns });
    }
    const probeCols = probe.columns.map(fromProbe);
    const buildCols = this.side.batch.columns.map((v) => gatherVector(v, bs, count));
    return markTransient({ length: count, columns: this.buildLeft ? [...buildCols, ...probeCols] : [...probeCols, ...buildCols] });
  }

  /** Indices (into the block) of the candidate pairs whose residual is TRUE. */
  private residualSelection(probe: Batch, m: number): Int32Array {
    const { expr, used } = this.residual!;
    const columns = used.map((c) => {
      const fromLeft = c < this.leftWidth;
      const fromBuild = fromLeft === this.buildLeft;
      const src = fromBuild ? this.side.batch : probe;
      return gatherVector(src.columns[fromLeft ? c : c - this.leftWidth], fromBuild ? this.bSel : this.pSel, m);
    });
    const mask = this.evaluate(expr, { length: m, columns });
    if (mask.kind !== 'bool') throw new InternalError(`${this.name}: residual predicate gave a ${mask.kind} vector`);
    return selectionFromMask(mask);
  }

  /** SEMI/ANTI/MARK: raise the state of each accepted pair's left row. */
  private recordStates(ps: Int32Array, bs: Int32Array, count: number, inIds: Int32Array | null, probeState: Uint8Array | null): void {
    const target = this.buildLeft ? this.buildState! : probeState!;
    const rows = this.buildLeft ? bs : ps;
    if (inIds === null) {
      for (let k = 0; k < count; k++) target[rows[k]] = MATCH;
      return;
    }
    // x = y under IN's rules: unknown when either side is NULL, else a match when the ids agree.
    const buildIn = this.side.inIds!;
    for (let k = 0; k < count; k++) {
      const x = inIds[ps[k]];
      const y = buildIn[bs[k]];
      const s = x === NULL_KEY || y === NULL_KEY ? UNKNOWN : x === y ? MATCH : NO_MATCH;
      const r = rows[k];
      if (s > target[r]) target[r] = s;
    }
  }

  /** SEMI: rows in MATCH; ANTI and NULL_AWARE_ANTI: rows in NO_MATCH; MARK: every row plus its mark. */
  private *leftRows(left: Batch, state: Uint8Array): Generator<Batch, void, undefined> {
    const n = left.length;
    const size = this.batchSize;
    if (this.type === 'MARK') {
      for (let start = 0; start < n; start += size) {
        const end = Math.min(n, start + size);
        const rows = sliceBatch(left, start, end);
        yield { length: rows.length, columns: [...rows.columns, markVector(state, start, end)] };
      }
      return;
    }
    const want = this.type === 'SEMI' ? MATCH : NO_MATCH;
    const sel = new Int32Array(n);
    let count = 0;
    // Branch-free form of: if (state[i] === want) sel[count++] = i;
    for (let i = 0; i < n; i++) {
      sel[count] = i;
      count += state[i] === want ? 1 : 0;
    }
    if (count === n && n <= size) {
      yield left;
      return;
    }
    for (let start = 0; start < count; start += size) {
      const part = sel.subarray(start, Math.min(count, start + size));
      yield { length: part.length, columns: left.columns.map((v) => gatherVector(v, part, part.length)) };
    }
  }

  /** Full-width output batches cut to spec.outputs (when set). */
  private *picked(batches: Iterable<Batch>): Generator<Batch, void, undefined> {
    const outputs = this.spec.outputs;
    for (const b of batches) yield outputs ? { length: b.length, columns: outputs.map((o) => b.columns[o]) } : b;
  }

  /** Rows of `rows` never matched, with NULLs for the other side's columns. */
  private *unmatched(rows: Batch, matched: Uint8Array, fromBuild: boolean): Generator<Batch, void, undefined> {
    const n = rows.length;
    const sel = new Int32Array(n);
    let count = 0;
    // Branch-free form of: if (!matched[i]) sel[count++] = i;
    for (let i = 0; i < n; i++) {
      sel[count] = i;
      count += matched[i] ^ 1;
    }
    const otherTypes = fromBuild === this.buildLeft ? this.spec.right : this.spec.left;
    const rowsAreLeft = fromBuild === this.buildLeft;
    for (let start = 0; start < count; start += this.batchSize) {
      const part = sel.subarray(start, Math.min(count, start + this.batchSize));
      const len = part.length;
      const own = rows.columns.map((v) => gatherVector(v, part, len));
      const other = otherTypes.map((t) => nullVector(t, len));
      yield { length: len, columns: rowsAreLeft ? [...own, ...other] : [...other, ...own] };
    }
  }
}

/** out[k] = sel[pick[k]]: a selection of a selection. */
/** Whether sel[0 .. count) is 0, 1, .., count - 1. */
function isIdentity(sel: Int32Array, count: number): boolean {
  for (let k = 0; k < count; k++) if (sel[k] !== k) return false;
  return true;
}

function compose(sel: Int32Array, pick: Int32Array, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let k = 0; k < count; k++) out[k] = sel[pick[k]];
  return out;
}

/** The MARK column of rows [start, end): TRUE for MATCH, NULL for UNKNOWN, FALSE for NO_MATCH. */
function markVector(state: Uint8Array, start: number, end: number): Vector {
  const len = end - start;
  const values = new Uint8Array(len);
  const nulls = new Uint8Array(len);
  let any = 0;
  // Branch-free form of: values[k] = state === MATCH ? 1 : 0; nulls[k] = state === UNKNOWN ? 1 : 0;
  for (let k = 0; k < len; k++) {
    const s = state[start + k];
    values[k] = s >> 1;
    any |= nulls[k] = s & 1;
  }
  return { kind: 'bool', length: len, values, nulls: any ? nulls : null };
}
