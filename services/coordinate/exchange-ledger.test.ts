import { describe, expect, it } from 'vitest';
import type { ExchangeChunk } from '../../warehouse/fragment/stage-plan.js';
import { ExchangeLedger, MIN_TASK_MEMORY_BYTES } from './exchange-ledger.js';

const ipc = (bytes: number): ExchangeChunk => ({ kind: 'ipc', bytes: new Uint8Array(bytes), rows: 1 });
const file = (bytes: number): ExchangeChunk => ({ kind: 'file', path: '/x', bytes, rows: 1 });
const MiB = 2 ** 20;

describe('ExchangeLedger: the query budgets shared among tasks and exchange buffers', () => {
  it('gives each task the memory budget divided by the workers, less the exchange bytes held', () => {
    const ledger = new ExchangeLedger(64 * MiB, 1024 * MiB, 4);
    expect(ledger.taskMemory()).toBe(16 * MiB);
    const held = ledger.hold([ipc(8 * MiB), ipc(8 * MiB), file(100 * MiB)]);
    expect(held).toBe(16 * MiB);
    expect(ledger.taskMemory()).toBe(12 * MiB);
    ledger.release(held);
    expect(ledger.taskMemory()).toBe(16 * MiB);
    expect(ledger.peakHeld).toBe(16 * MiB);
  });

  it('counts spill files on disk against the disk budget, and fails with 53200 past it', () => {
    const ledger = new ExchangeLedger(64 * MiB, 400 * MiB, 4);
    expect(ledger.taskSpill()).toBe(100 * MiB);
    ledger.hold([file(200 * MiB)]);
    expect(ledger.taskSpill()).toBe(50 * MiB);
    ledger.hold([file(200 * MiB)]);
    expect(ledger.taskSpill()).toBe(0);
    expect(() => ledger.hold([file(1)])).toThrow(expect.objectContaining({ codeName: 'RESOURCE_EXHAUSTED', sqlState: '53200' }));
  });

  it('fails with 53200 when exchange buffers held in memory pass the budget; a task keeps a floor', () => {
    const ledger = new ExchangeLedger(4 * MiB, 0, 2);
    ledger.hold([ipc(3.5 * MiB)]);
    expect(ledger.taskMemory()).toBe(MIN_TASK_MEMORY_BYTES);
    expect(() => ledger.hold([ipc(1 * MiB)])).toThrow(expect.objectContaining({ codeName: 'RESOURCE_EXHAUSTED', sqlState: '53200' }));
  });
});
