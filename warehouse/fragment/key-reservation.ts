/**
 * Write-ahead object keys across the thread boundary. A worker task that writes table
 * objects (a COPY 'load' task in 'write' mode) learns how many partitions it writes only
 * after parsing its file, and workers never touch the catalog. So services hands the task
 * one end of a MessageChannel; before its first put the worker sends every key it is about
 * to write, in ONE request, and waits until services has recorded them all as the
 * statement's pending objects (one catalog transaction) and answered. Only then does it put
 * the objects. A crash at any point therefore leaves no object the catalog does not know of.
 *
 * Contract: `reserveKeysThrough(port)` is the worker side: a function that resolves once
 * services recorded the keys, or rejects with the FirnError services raised (then nothing
 * may be written). `serveKeyReservations(port, reserve)` is the services side: it answers
 * each request by running `reserve(keys)` (synchronous; throws to refuse). Requests are
 * bounded: one per task in practice, each a list of that task's keys.
 */
import type { MessagePort } from 'node:worker_threads';
import { asFirnError, fromPlain, type PlainError } from '../../storage/errors/firn-error.js';

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
  port.unref();
  return (keys) =>
    new Promise<void>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      port.ref();
      const request: ReserveRequest = { id, keys };
      port.postMessage(request);
    });
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
