import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CompilationError, ConcurrencyError } from '../../storage/errors/firn-error.js';
import { reserveKeysThrough, serveKeyReservations } from './key-reservation.js';

describe('key reservation round trip', () => {
  it('resolves only after services recorded the keys, one request per call', async () => {
    const { port1, port2 } = new MessageChannel();
    const recorded: string[][] = [];
    serveKeyReservations(port1, (keys) => recorded.push(keys));
    const reserve = reserveKeysThrough(port2);
    await reserve(['t1/q/f00000-00000.parquet', 't1/q/f00000-00001.parquet']);
    expect(recorded).toEqual([['t1/q/f00000-00000.parquet', 't1/q/f00000-00001.parquet']]);
    await Promise.all([reserve(['a']), reserve(['b'])]);
    expect(recorded.slice(1).sort()).toEqual([['a'], ['b']]);
    port1.close();
  });

  it('rejects with the FirnError services raised, rebuilt in its class', async () => {
    const { port1, port2 } = new MessageChannel();
    serveKeyReservations(port1, () => {
      throw new ConcurrencyError('CONCURRENT_MODIFICATION', 'The catalog is locked by another writer; nothing was changed.');
    });
    const err = await reserveKeysThrough(port2)(['x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrencyError);
    expect(err).not.toBeInstanceOf(CompilationError);
    expect((err as ConcurrencyError).message).toBe('The catalog is locked by another writer; nothing was changed.');
    port1.close();
  });
});
