import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { decodeBatchIpc } from '../../../storage/arrow/batch-ipc.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import { RESULT_BATCH_ROWS, type ResultWorkerMessage } from '../../fragment/result-stream.js';
import { ResultSender } from './result-sender.js';

function rowsBatch(from: number, n: number): Batch {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = from + i;
  return { length: n, columns: [{ kind: 'f64', length: n, values, nulls: null }] };
}

describe('ResultSender', () => {
  it('cuts a batch past RESULT_BATCH_ROWS into messages of at most that many rows, in order, each credited', async () => {
    const { port1, port2 } = new MessageChannel();
    const got: ResultWorkerMessage[] = [];
    const done = new Promise<void>((resolve) => {
      port1.on('message', (m: ResultWorkerMessage) => {
        got.push(m);
        if (m.kind === 'batch') port1.postMessage({ kind: 'credit' });
        else resolve();
      });
    });
    const sender = new ResultSender(port2, [Types.number(18, 0)], null);
    const big = 2 * RESULT_BATCH_ROWS + 1808;
    await sender.send(rowsBatch(0, big));
    await sender.send(rowsBatch(big, 10));
    sender.done();
    await done;
    port1.close();
    const batches = got.filter((m) => m.kind === 'batch');
    expect(batches.map((m) => m.rows)).toEqual([RESULT_BATCH_ROWS, RESULT_BATCH_ROWS, 1808, 10]);
    expect(batches.map((m) => m.seq)).toEqual([0, 1, 2, 3]);
    const values = batches.flatMap((m) => {
      const b = decodeBatchIpc(m.ipc).batch;
      const v = b.columns[0];
      return v.kind === 'f64' ? [...v.values.subarray(0, b.length)] : [];
    });
    expect(values).toEqual(Array.from({ length: big + 10 }, (_, i) => i));
    expect(got[got.length - 1]).toEqual({ kind: 'done', batches: 4, rows: big + 10 });
  });
});
