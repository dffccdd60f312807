import { describe, expect, it } from 'vitest';
import { CancelReason } from '../../warehouse/cancel/cancel-flag.js';
import { Deadline } from './deadline.js';

describe('Deadline', () => {
  it('fires its signal with the CancelReason that canceled it, first reason first', () => {
    const closed = Deadline.of(0);
    closed.close();
    expect([closed.signal.aborted, closed.signal.reason]).toEqual([true, CancelReason.ABANDONED]);

    const aborted = Deadline.of(60);
    aborted.abort();
    aborted.close();
    expect(aborted.signal.reason).toBe(CancelReason.CLIENT);
    expect(() => aborted.check()).toThrow(expect.objectContaining({ code: '000604' }));

    const client = new AbortController();
    const gone = Deadline.of(0, client.signal);
    client.abort();
    expect(gone.signal.reason).toBe(CancelReason.CLIENT);
  });

  it('reports a passed time limit as TIMEOUT, in its signal too', async () => {
    const d = Deadline.of(0.01);
    await new Promise((r) => setTimeout(r, 30));
    expect(d.expired).toBe(true);
    expect(d.signal.reason).toBe(CancelReason.TIMEOUT);
    d.close();
  });
});
