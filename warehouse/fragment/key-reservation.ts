/**
 * Write-ahead object keys across the thread boundary. A worker task that writes table
 * objects (a COPY load or merge task, a write_exec) learns how many partitions it writes only
 * while its rows stream through it, and workers never touch the catalog. So services hands
 * the task one end of a MessageChannel; before each put (writeMicroPartitions: one request
 * per partition, or one for several keys) the worker sends the keys it is about to write and
 * waits until services has recorded them as the statement's pending objects (one catalog
 * transaction per request) and answered. Only then does it put the objects. A crash at any
 * point therefore leaves no object the catalog does not know of.
 *
 * Contract: `reserveKeysThrough(port)` is the worker side: a function that resolves once
 * services recorded the keys, or rejects with the FirnError services raised, or with an
 * InternalError once services has closed its end (a request is never left waiting); after a
 * rejection nothing may be written. `serveKeyReservations(port, reserve)` is the services side: it answers
 * each request by running `reserve(keys)` (synchronous; throws to refuse). Requests are
 * bounded: one per written partition (each of partitionRows rows) at most.
 */
import type { MessagePort } from 'node:worker_threads';
import { asFirnError, fromPlain, InternalError, type PlainError } from '../../storage/errors/firn-error.js';

type ReserveRequest = { id: number; keys: string[] };
type ReserveReply = { id: number; error?: PlainError };

export type ReserveKeys = (keys: string[]) => Promise<void>;

export function reserveKeysThrough(port: MessagePort): ReserveKeys {
  let next = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  port.on('message', (reply: ReserveReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (waiting.size === 0) port.unref();
    if (reply.error) w.reject(fromPlain(reply.error));
    else w.resolve();
  });
  // Services closed its end (the statement is over): nothing waiting may go on to write.
  let closed = false;
  port.on('close', () => {
    closed = true;
    for (const w of waiting.values()) w.reject(reservationClosed());
    waiting.clear();
  });
  port.unref();
  return (keys) =>
    new Promise<void>((resolve, reject) => {
      if (closed) return reject(reservationClosed());
      const id = next++;
      waiting.set(id, { resolve, reject });
      port.ref();
      const request: ReserveRequest = { id, keys };
      port.postMessage(request);
    });
}

function reservationClosed(): InternalError {
  return new InternalError('the statement closed its key reservation channel before the keys were recorded; nothing was written');
}

export function serveKeyReservations(port: MessagePort, reserve: (keys: string[]) => void): void {
  port.on('message', (request: ReserveRequest) => {
    let reply: ReserveReply;
    try {
      reserve(request.keys);
      reply = { id: request.id };
    } catch (err) {
      reply = { id: request.id, error: asFirnError(err).toPlain() };
    }
    port.postMessage(reply);
  });
}
