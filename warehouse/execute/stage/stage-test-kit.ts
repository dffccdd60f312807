/**
 * Fixtures for the stage runtime tests: a real local object store and column cache holding
 * hand-written micro-partitions, StageTasks built around one ExecNode tree, exchange chunks
 * from readable rows, and the rows of a reply read back. Test support only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeBatchIpc } from '../../../storage/arrow/batch-ipc.js';
import { LocalObjectStore } from '../../../storage/object-store/local-object-store.js';
import { writePartition } from '../../../storage/partition/partition-writer.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { Batch } from '../../../storage/types/vector.js';
import { ColumnCache } from '../../cache/column-cache.js';
import type { ScanUnit } from '../../fragment/fragment.js';
import type { ExchangeChunk, ExecNode, Stage, StageOutput, StageTask, StageTaskReply } from '../../fragment/stage-plan.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { read, vec, type Readable } from '../expr-test-kit.js';
import { decodeChunk } from './operators/exchange-source-exec.js';

export const N = Types.number(38, 0);
export const F = Types.float;
export const S = Types.varchar;
export const B = Types.boolean;

export function column(index: number, type: DataType): BoundExpr {
  return { kind: 'column', index, type };
}

/** A batch of `types` from rows of readable values. */
export function batchOfRows(types: readonly DataType[], rows: readonly Readable[][]): Batch {
  return { length: rows.length, columns: types.map((t, c) => vec(t, rows.map((r) => r[c]))) };
}

export function rowsOf(types: readonly DataType[], batch: Batch): Readable[][] {
  const cols = types.map((t, c) => read(batch.columns[c], t));
  return Array.from({ length: batch.length }, (_, i) => cols.map((c) => c[i]));
}

export function columnsOf(types: readonly DataType[]): Column[] {
  return types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
}

/** One in-memory exchange chunk holding `rows`. */
export function chunkOf(types: readonly DataType[], rows: readonly Readable[][], producer?: number): ExchangeChunk {
  return { kind: 'ipc', bytes: encodeBatchIpc(columnsOf(types), batchOfRows(types, rows)), rows: rows.length, producer };
}

/** The rows of a list of chunks, in order. */
export async function chunkRows(types: readonly DataType[], chunks: readonly ExchangeChunk[]): Promise<Readable[][]> {
  const out: Readable[][] = [];
  for (const c of chunks) out.push(...rowsOf(types, await decodeChunk(c)));
  return out;
}

export async function replyRows(types: readonly DataType[], reply: StageTaskReply, consumer = 0): Promise<Readable[][]> {
  return chunkRows(types, reply.outputs[consumer] ?? []);
}

let nextId = 1;
/** An ExecNode with a fresh id. */
export function exec<K extends ExecNode['kind']>(node: Omit<Extract<ExecNode, { kind: K }>, 'id'> & { kind: K }): Extract<ExecNode, { kind: K }> {
  return { ...node, id: nextId++ } as Extract<ExecNode, { kind: K }>;
}

export function source(stage: number, types: DataType[], merge: Extract<ExecNode, { kind: 'exchange_source_exec' }>['merge'] = null): ExecNode {
  return exec({ kind: 'exchange_source_exec', stage, merge, types });
}

export type TaskOptions = {
  output?: StageOutput;
  inputs?: Record<number, ExchangeChunk[]>;
  units?: ScanUnit[];
  consumerTasks?: number;
  task?: number;
  tasks?: number;
  memoryBytes?: number;
  spillBytes?: number;
  runtimeFilters?: Stage['runtimeFilters'];
};

/** A temporary directory (spill dirs, object stores), removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function stageTask(root: ExecNode, spillDir: string, o: TaskOptions = {}): StageTask {
  const stage: Stage = {
    id: 7,
    tasks: o.tasks ?? 1,
    root,
    output: o.output ?? { kind: 'gather' },
    inputs: Object.keys(o.inputs ?? {}).map(Number),
    estimatedRows: 0,
    runtimeFilters: o.runtimeFilters ?? [],
  };
  return {
    kind: 'stage',
    queryId: 'q-test',
    stage,
    task: o.task ?? 0,
    consumerTasks: o.consumerTasks ?? 1,
    units: o.units ?? [],
    inputs: o.inputs ?? {},
    memoryBytes: o.memoryBytes ?? 1 << 30,
    spillDir,
    spillBytes: o.spillBytes ?? 1 << 30,
  };
}

/** A real local object store and column cache over it, with tables written as micro-partitions. */
export class TestWarehouse {
  readonly store: LocalObjectStore;
  readonly cache: ColumnCache;

  constructor(dir: string) {
    this.store = new LocalObjectStore(path.join(dir, 'data'));
    this.cache = new ColumnCache({ memoryBytes: 1 << 28, diskDir: null, diskBytes: 0, fetchObject: (key, ifMatch) => this.store.get(key, ifMatch) });
  }

  /** Writes `rows` as one partition per entry of `partitions` and answers its scan units. */
  async table(name: string, columns: Column[], partitions: Readable[][][]): Promise<ScanUnit[]> {
    const types = columns.map((c) => c.type);
    const units: ScanUnit[] = [];
    for (let p = 0; p < partitions.length; p++) {
      const objectKey = `${name}/p${p}.parquet`;
      const { bytes } = writePartition(columns, batchOfRows(types, partitions[p]));
      const { etag } = await this.store.put(objectKey, bytes);
      units.push({ partitionId: p + 1, objectKey, rowCount: partitions[p].length, byteSize: bytes.byteLength, etag, filterMode: 'filter' });
    }
    return units;
  }
}
