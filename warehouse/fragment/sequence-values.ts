/**
 * Sequence values across the thread boundary. A nextval_exec learns how many values it needs only
 * as its input's batches arrive, and workers never touch the catalog; so services hands each task
 * of such a stage one end of a MessageChannel. For every batch the worker asks for the values of
 * all its NEXTVAL columns in one request and waits until services has reserved them in the catalog
 * (one durable catalog transaction per request: services/catalog/sequence-store.ts) and answered
 * each request's first value and increment. Values reserved are never handed out again, whatever
 * becomes of the task, so no two tasks or statements ever share one (a task that fails leaves a
 * gap, as Snowflake's sequences may).
 *
 * Contract: `sequenceValuesThrough(port)` is the worker side: a function that resolves with one
 * block per request (same order), or rejects with the FirnError services raised, or with an
 * InternalError once services has closed its end (a request is never left waiting).
 * `serveSequenceValues(port, reserve)` is the services side: it answers each request by running
 * `reserve` (synchronous; throws to refuse). Requests are bounded: one per input batch.
 */
import type { MessagePort } from 'node:worker_threads';
import { asFirnError, fromPlain, InternalError, type PlainError } from '../../storage/errors/firn-error.js';

/** `count` values of the sequence with catalog id `sequence`. */
export type ValuesRequest = { sequence: number; count: number };
/** The values a request got: first, first + increment, ... */
export type ValuesBlock = { first: bigint; increment: bigint };

type Request = { id: number; requests: ValuesRequest[] };
type Reply = { id: number; blocks?: ValuesBlock[]; error?: PlainError };

export type ReserveValues = (requests: ValuesRequest[]) => Promise<ValuesBlock[]>;

export function sequenceValuesThrough(port: MessagePort): ReserveValues {
  let next = 0;
  const waiting = new Map<number, { resolve: (blocks: ValuesBlock[]) => void; reject: (err: Error) => void }>();
  port.on('message', (reply: Reply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (waiting.size === 0) port.unref();
    if (reply.error) w.reject(fromPlain(reply.error));
    else w.resolve(reply.blocks ?? []);
  });
  let closed = false;
  port.on('close', () => {
    closed = true;
    for (const w of waiting.values()) w.reject(channelClosed());
    waiting.clear();
  });
  port.unref();
  return (requests) =>
    new Promise<ValuesBlock[]>((resolve, reject) => {
      if (closed) return reject(channelClosed());
      const id = next++;
      waiting.set(id, { resolve, reject });
      port.ref();
      const request: Request = { id, requests };
      port.postMessage(request);
    });
}

function channelClosed(): InternalError {
  return new InternalError('the statement closed its sequence channel before the values were reserved');
}

export function serveSequenceValues(port: MessagePort, reserve: (requests: ValuesRequest[]) => ValuesBlock[]): void {
  port.on('message', (request: Request) => {
    let reply: Reply;
    try {
      reply = { id: request.id, blocks: reserve(request.requests) };
    } catch (err) {
      reply = { id: request.id, error: asFirnError(err).toPlain() };
    }
    port.postMessage(reply);
  });
}
