import { Table, tableToIPC, vectorFromArray, Int32, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { LoadError } from '../errors/firn-error.js';
import type { Column } from '../types/schema.js';
import type { Batch, Vector } from '../types/vector.js';
import { decodeBatchIpc, encodeBatchIpc } from './batch-ipc.js';

const columns: Column[] = [
  { name: 'B', type: { kind: 'BOOLEAN' }, nullable: true },
  { name: 'N', type: { kind: 'NUMBER', precision: 12, scale: 2 }, nullable: false },
  { name: 'W', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: true },
  { name: 'F', type: { kind: 'FLOAT' }, nullable: true },
  { name: 'S', type: { kind: 'VARCHAR', length: 10 }, nullable: true },
  { name: 'D', type: { kind: 'DATE' }, nullable: true },
  { name: 'T', type: { kind: 'TIMESTAMP_NTZ' }, nullable: true },
  { name: 'T3', type: { kind: 'TIMESTAMP_NTZ', precision: 3 }, nullable: true },
  { name: 'S', type: { kind: 'VARCHAR' }, nullable: true },
];

const nulls = new Uint8Array([0, 1, 0, 0]);
const batch: Batch = {
  length: 4,
  columns: [
    { kind: 'bool', length: 4, values: new Uint8Array([1, 0, 0, 1]), nulls },
    { kind: 'f64', length: 4, values: new Float64Array([1234, -1, 0, 2 ** 53]), nulls: null },
    { kind: 'dec', length: 4, values: [10n ** 37n, 0n, -(10n ** 20n), 5n], nulls },
    { kind: 'f64', length: 4, values: new Float64Array([0.5, 0, NaN, -Infinity]), nulls },
    { kind: 'str', length: 4, codes: new Int32Array([2, 0, 1, 2]), dict: ['', 'ü', 'z😀'], nulls },
    { kind: 'i32', length: 4, values: new Int32Array([-1, 0, 19000, 7]), nulls },
    { kind: 'ts', length: 4, secs: new Float64Array([-62_135_596_800, 0, 1_704_164_645, 253_402_300_799]), nanos: new Int32Array([1, 0, 123_456_789, 999_999_999]), nulls },
    { kind: 'ts', length: 4, secs: new Float64Array([-1, 0, 1_704_164_645, 7]), nanos: new Int32Array([999_000_000, 0, 123_000_000, 0]), nulls: null },
    { kind: 'str', length: 4, codes: new Int32Array([0, 0, 0, 0]), dict: ['only'], nulls: null },
  ],
};

/** Row i of a vector as a comparable value (null under NULL). */
function at(v: Vector, i: number): unknown {
  if (v.nulls !== null && v.nulls[i] !== 0) return null;
  return v.kind === 'str' ? v.dict[v.codes[i]] : v.kind === 'ts' ? [v.secs[i], v.nanos[i]] : v.values[i];
}

describe('encodeBatchIpc / decodeBatchIpc', () => {
  it('round-trips every vector kind with its type, nullability and NULLs', () => {
    const bytes = encodeBatchIpc(columns, batch);
    const back = decodeBatchIpc(bytes);
    expect(back.columns).toEqual(columns);
    expect(back.batch.length).toBe(4);
    back.batch.columns.forEach((v, c) => {
      expect(v.kind).toBe(batch.columns[c].kind);
      for (let i = 0; i < 4; i++) expect(at(v, i)).toEqual(at(batch.columns[c], i));
    });
  });

  it('keeps a dec vector dec even when its values are small', () => {
    const b: Batch = { length: 2, columns: [{ kind: 'dec', length: 2, values: [1n, -2n], nulls: null }] };
    const back = decodeBatchIpc(encodeBatchIpc([columns[2]], b)).batch.columns[0];
    expect(back.kind).toBe('dec');
    expect(back.kind === 'dec' && back.values).toEqual([1n, -2n]);
  });

  it('gives bytes that own their whole ArrayBuffer (safe to transfer)', () => {
    const bytes = encodeBatchIpc(columns, batch);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
  });

  it('reads f64 and codes as views, without copying the data', () => {
    const n = 10_000;
    const values = new Float64Array(n).map((_, i) => i);
    const b: Batch = {
      length: n,
      columns: [
        { kind: 'f64', length: n, values, nulls: null },
        { kind: 'str', length: n, codes: new Int32Array(n).map((_, i) => i % 3), dict: ['a', 'b', 'c'], nulls: null },
      ],
    };
    const bytes = encodeBatchIpc([columns[3], columns[7]], b);
    const back = decodeBatchIpc(bytes).batch;
    const f = back.columns[0];
    const s = back.columns[1];
    expect(f.kind === 'f64' && f.values.buffer).toBe(bytes.buffer);
    expect(s.kind === 'str' && s.codes.buffer).toBe(bytes.buffer);
    expect(s.kind === 'str' && s.dict).toEqual(['a', 'b', 'c']);
    expect(f.kind === 'f64' && f.values[n - 1]).toBe(n - 1);
  });

  it('encodes one vector used by two columns (SELECT a, a)', () => {
    const f: Vector = { kind: 'f64', length: 4, values: new Float64Array([1, 2, 3, 4]), nulls: null };
    const s: Vector = { kind: 'str', length: 4, codes: new Int32Array([0, 1, 0, 1]), dict: ['a', 'b'], nulls: null };
    const cols: Column[] = ['A', 'A', 'S', 'S'].map((name, i) => ({ name, type: i < 2 ? { kind: 'FLOAT' } : { kind: 'VARCHAR' }, nullable: true }));
    const back = decodeBatchIpc(encodeBatchIpc(cols, { length: 4, columns: [f, f, s, s] }));
    expect(back.columns.map((c) => c.name)).toEqual(['A', 'A', 'S', 'S']);
    expect(Array.from((back.batch.columns[1] as Extract<Vector, { kind: 'f64' }>).values)).toEqual([1, 2, 3, 4]);
    expect(Array.from((back.batch.columns[3] as Extract<Vector, { kind: 'str' }>).codes)).toEqual([0, 1, 0, 1]);
  });

  it('handles empty batches and batches without columns', () => {
    const empty = decodeBatchIpc(encodeBatchIpc(columns, { length: 0, columns: batch.columns.map((v) => sliceEmpty(v)) }));
    expect(empty.batch.length).toBe(0);
    expect(empty.batch.columns.map((v) => v.length)).toEqual(columns.map(() => 0));
    const noCols = decodeBatchIpc(encodeBatchIpc([], { length: 7, columns: [] }));
    expect(noCols.batch).toEqual({ length: 7, columns: [] });
  });

  it('decodes streams written elsewhere by logical type', () => {
    const t = new Table({ I: vectorFromArray([1, null, 3], new Int32()), U: vectorFromArray(['x', 'y', 'x'], new Utf8()) });
    const back = decodeBatchIpc(tableToIPC(t, 'stream'));
    expect(back.columns.map((c) => c.type)).toEqual([{ kind: 'NUMBER', precision: 38, scale: 0 }, { kind: 'VARCHAR' }]);
    expect([0, 1, 2].map((i) => at(back.batch.columns[0], i))).toEqual([1, null, 3]);
    expect([0, 1, 2].map((i) => at(back.batch.columns[1], i))).toEqual(['x', 'y', 'x']);
  });

  it('rejects malformed bytes with LoadError FILE_CORRUPT', () => {
    const bytes = encodeBatchIpc(columns, batch);
    for (const bad of [new Uint8Array([1, 2, 3]), bytes.subarray(0, bytes.length >> 1)]) {
      let err: unknown = null;
      try {
        decodeBatchIpc(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LoadError);
      expect((err as LoadError).codeName).toBe('FILE_CORRUPT');
    }
  });
});

function sliceEmpty(v: Vector): Vector {
  switch (v.kind) {
    case 'str':
      return { ...v, length: 0, codes: v.codes.subarray(0, 0), nulls: null };
    case 'dec':
      return { ...v, length: 0, values: [], nulls: null };
    case 'ts':
      return { ...v, length: 0, secs: v.secs.subarray(0, 0), nanos: v.nanos.subarray(0, 0), nulls: null };
    default:
      return { ...v, length: 0, values: v.values.subarray(0, 0), nulls: null } as Vector;
  }
}
