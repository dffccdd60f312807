/**
 * The table objects one statement writes, recorded write-ahead. Every key is registered in
 * the catalog's `pending_objects` under the statement's query id BEFORE its object is put:
 * services reserves the keys it writes itself, and a worker task that writes (a COPY load or
 * merge task) reserves each partition's key through a MessagePort round trip
 * (warehouse/fragment/key-reservation.ts) before its put. Each reservation is one catalog
 * transaction.
 *
 * Contract:
 * - Keys are unique per statement: they start with `keyPrefix`, which carries the
 *   statement's own query id, so no two statements (even of one request) share a key.
 * - The commit clears the statement's pending rows in the commit transaction (catalog.ts).
 * - `discard()`, after a definite failure and once no task can still write, deletes exactly
 *   the reserved keys (never a prefix listing) and then clears the rows; if a delete fails
 *   the rows stay, and startup recovery (recover-pending-objects.ts) retries.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { serveKeyReservations } from '../../warehouse/fragment/key-reservation.js';
import type { EngineEnv } from './engine-env.js';

export class StatementWrites {
  private readonly keys: string[] = [];
  private readonly ports: MessagePort[] = [];

  constructor(
    private readonly env: EngineEnv,
    readonly queryId: string,
    readonly keyPrefix: string,
  ) {}

  /** Records `keys` as this statement's pending objects, in one catalog transaction. */
  reserve(keys: string[]): void {
    if (keys.length === 0) return;
    this.env.catalog.registerPendingObjects(this.queryId, keys);
    for (const k of keys) this.keys.push(k);
  }

  /** The worker's end of a new reservation channel (transfer it with the task). */
  reservationPort(): MessagePort {
    const channel = new MessageChannel();
    serveKeyReservations(channel.port1, (keys) => this.reserve(keys));
    this.ports.push(channel.port1);
    return channel.port2;
  }

  /** Closes services' ends of the reservation channels; call once every task has settled. */
  closePorts(): void {
    for (const p of this.ports) p.close();
    this.ports.length = 0;
  }

  /** Deletes exactly the objects this statement reserved, then forgets them. */
  async discard(): Promise<void> {
    this.closePorts();
    const keys = this.keys.splice(0);
    if (keys.length === 0) return;
    const deleted = await Promise.allSettled(keys.map((k) => this.env.store.delete(k)));
    if (deleted.every((d) => d.status === 'fulfilled')) {
      try {
        this.env.catalog.clearPendingObjects(this.queryId);
      } catch {
        // The rows stay: startup recovery deletes (already gone) objects and clears them.
      }
    }
  }
}
