import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import { readSpillRun } from './spill-file.js';
import { SpillSpace } from './spill-space.js';
import { collect, filesIn, tmpSpillDir } from './spill-test-kit.js';

const types: DataType[] = [Types.boolean, Types.float, Types.date, Types.number(38, 2), Types.varchar, Types.timestamp(9), Types.number(10, 0)];

function batch(n: number, offset: number): Batch {
  const nulls = Uint8Array.from({ length: n }, (_, i) => ((i + offset) % 5 === 0 ? 1 : 0));
  return {
    length: n,
    columns: [
      { kind: 'bool', length: n, values: Uint8Array.from({ length: n }, (_, i) => (i + offset) % 2), nulls },
      { kind: 'f64', length: n, values: Float64Array.from({ length: n }, (_, i) => (i === 1 ? NaN : i === 2 ? -0 : (i + offset) / 3)), nulls: null },
      { kind: 'i32', length: n, values: Int32Array.from({ length: n }, (_, i) => i + offset - 50), nulls },
      { kind: 'dec', length: n, values: Array.from({ length: n }, (_, i) => 10n ** 30n + BigInt(i + offset)), nulls },
      // A dictionary far larger than the batch (a slice of a big vector): only the used strings are written.
      { kind: 'str', length: n, codes: Int32Array.from({ length: n }, (_, i) => (i * 7) % 1000), dict: Array.from({ length: 1000 }, (_, k) => `s${k}-é`), nulls },
      { kind: 'ts', length: n, secs: Float64Array.from({ length: n }, (_, i) => -1 + i), nanos: Int32Array.from({ length: n }, (_, i) => (i * 123456789) % 1e9), nulls },
      { kind: 'f64', length: n, values: Float64Array.from({ length: n }, (_, i) => i), nulls: null },
    ],
  };
}

describe('spill files', () => {
  it('round-trip every vector kind exactly, batch by batch, cut to batchRows when asked', async () => {
    const space = new SpillSpace(tmpSpillDir(), 1 << 30);
    const w = space.writer('kinds');
    const written = [batch(30, 0), batch(0, 0), batch(7, 3)];
    for (const b of written) await w.write(b, types);
    const run = await w.finish();
    expect(run).toMatchObject({ rows: 37, types });
    expect(run.bytes).toBe(statSync(run.path).size);
    expect(space.bytesSpilled).toBe(run.bytes);
    const back = await collect(readSpillRun(run));
    expect(back.map((b) => b.length)).toEqual([30, 7]);
    const strip = (b: Batch) => b.columns.map((v) => ({ ...v, dict: undefined, codes: undefined, str: v.kind === 'str' ? Array.from(v.codes, (c) => v.dict[c]) : undefined }));
    const masked = (b: Batch) => strip(b).map((v, c) => (v.nulls === null ? v : { ...v, ...maskedValues(b, c) }));
    expect(back.map(masked)).toEqual([written[0], written[2]].map(masked));
    expect((await collect(readSpillRun(run, 8))).map((b) => b.length)).toEqual([8, 8, 8, 6, 7]);
    await space.close();
    expect(filesIn(space.dir)).toEqual([]);
  });

  it('stops before writing past the disk budget, with 53200 naming FIRN_QUERY_SPILL_BYTES', async () => {
    const space = new SpillSpace(tmpSpillDir(), 2000);
    const w = space.writer();
    await expect(w.write(batch(200, 0), types)).rejects.toMatchObject({ name: 'ResourceError', codeName: 'RESOURCE_EXHAUSTED', sqlState: '53200', message: expect.stringMatching(/spill disk budget of 2000 bytes \(FIRN_QUERY_SPILL_BYTES\)/) });
    expect(space.bytesSpilled).toBe(0);
    await space.close();
  });

  it('creates its directory only when it first writes, and close removes every file it created', async () => {
    const space = new SpillSpace(tmpSpillDir(), 1 << 30);
    expect(filesIn(space.dir)).toEqual([]);
    const a = space.writer('a');
    await a.write(batch(5, 0), types);
    await a.finish();
    const b = space.writer('b');
    await b.write(batch(5, 0), types);
    expect(filesIn(space.dir).length).toBe(2);
    await space.close();
    expect(filesIn(space.dir)).toEqual([]);
    await space.close();
  });

  it('an empty run reads as no batches', async () => {
    const space = new SpillSpace(tmpSpillDir(), 1 << 30);
    const run = await space.writer().finish(types);
    expect(run).toMatchObject({ rows: 0, bytes: 0, types });
    expect(await collect(readSpillRun(run))).toEqual([]);
    await space.close();
  });
});

/** A column's values with the slots under NULLs zeroed (values there are unspecified). */
function maskedValues(b: Batch, c: number): Record<string, unknown> {
  const v = b.columns[c];
  const nulls = v.nulls!;
  const keep = <T>(xs: ArrayLike<T>, zero: T) => Array.from(xs, (x, i) => (nulls[i] ? zero : x));
  switch (v.kind) {
    case 'str':
      return { str: Array.from(v.codes, (code, i) => (nulls[i] ? null : v.dict[code])) };
    case 'ts':
      return { secs: keep(v.secs, 0), nanos: keep(v.nanos, 0) };
    case 'dec':
      return { values: keep(v.values, 0n) };
    default:
      return { values: keep(v.values as ArrayLike<number>, 0) };
  }
}
