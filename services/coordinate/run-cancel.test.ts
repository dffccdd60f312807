import { describe, expect, it } from 'vitest';
import { CancelReason } from '../../warehouse/cancel/cancel-flag.js';
import { Deadline } from '../session/deadline.js';
import { RunCancel } from './run-cancel.js';

describe('RunCancel', () => {
  it('follows its deadline with the same reason, and stops alone as ABANDONED', () => {
    const d = Deadline.of(0);
    const run = new RunCancel(d);
    d.abort();
    expect([run.stopped, run.signal.reason]).toEqual([true, CancelReason.CLIENT]);

    const alone = new RunCancel(null);
    alone.stop();
    expect([alone.stopped, alone.signal.reason]).toEqual([true, CancelReason.ABANDONED]);
  });
});
