/**
 * The driver protocol's statements: running ones (for status, abort and the result GET that
 * waits for them) and finished ones with their results kept as columnar batches, so the
 * query-request answer, its chunks and a later `GET /queries/{id}/result` are encoded from
 * the same rows on demand.
 *
 * Contract:
 * - `start` registers a statement under its query id and the client's requestId, owned by
 *   `user`; `finish` / `fail` record its end (a failure keeps its FirnError). Only the owner
 *   sees a statement (`get`, `byRequest` answer undefined to anyone else).
 * - Running statements are always kept. Finished ones are kept newest first within
 *   `maxEntries` and `maxBytes` (an estimate of their batches' memory); the newest one is kept
 *   even past the byte budget until another finishes, so an answer is never evicted before it
 *   is fetched. Children of a multi-statement request are entries of their own.
 * - `wait(entry, ms)` resolves when the statement ends or after `ms`, whichever comes first.
 * - `abortRequest` cancels by the client's requestId, also when the abort arrives before the
 *   statement (kept for the last MAX_EARLY_ABORTS such requestIds).
 * - Each entry has an unguessable `chunkSecret`: chunk URLs carry it, since the driver fetches
 *   chunks without its session token.
 */
import { randomBytes } from 'node:crypto';
import type { FirnError } from '../../../storage/errors/firn-error.js';
import type { Column } from '../../../storage/types/schema.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { QueryStats, SessionContext } from '../../session/statement-result.js';

export type DriverResult = {
  columns: Column[];
  batches: Batch[];
  rows: number;
  statementTypeId: number;
  stats: QueryStats;
  context: SessionContext;
  /** A multi-statement request: its statements' query ids, in order. */
  childIds: string[] | null;
};

export type DriverStatement = {
  queryId: string;
  requestId: string;
  user: string;
  chunkSecret: string;
  startedAt: number;
  state: 'running' | 'succeeded' | 'failed';
  result: DriverResult | null;
  error: FirnError | null;
  abort: AbortController;
  ended: Promise<void>;
  /** Resolves `ended`. */
  settle: () => void;
  bytes: number;
};

export class DriverStatements {
  private readonly entries = new Map<string, DriverStatement>();
  private readonly requests = new Map<string, string>();
  private finishedBytes = 0;
  /** Aborts that came before their statement (the driver cancels by requestId): user+requestId, oldest first. */
  private readonly earlyAborts = new Set<string>();

  constructor(
    private readonly maxEntries = 1000,
    private readonly maxBytes = 256 * 2 ** 20,
  ) {}

  start(queryId: string, requestId: string, user: string): DriverStatement {
    let settle!: () => void;
    const ended = new Promise<void>((resolve) => (settle = resolve));
    const entry: DriverStatement = {
      queryId,
      requestId,
      user,
      chunkSecret: randomBytes(24).toString('base64url'),
      startedAt: Date.now(),
      state: 'running',
      result: null,
      error: null,
      abort: new AbortController(),
      ended,
      settle,
      bytes: 0,
    };
    this.entries.set(queryId, entry);
    const key = requestKey(user, requestId);
    this.requests.set(key, queryId);
    if (this.earlyAborts.delete(key)) entry.abort.abort();
    return entry;
  }

  /**
   * Cancels the running statement of `requestId`; when none arrived yet (the abort overtook
   * its query request), the statement is canceled as it starts. Finished statements are left alone.
   */
  abortRequest(requestId: string, user: string): void {
    const entry = this.byRequest(requestId, user);
    if (entry) {
      if (entry.state === 'running') entry.abort.abort();
      return;
    }
    this.earlyAborts.add(requestKey(user, requestId));
    if (this.earlyAborts.size > MAX_EARLY_ABORTS) this.earlyAborts.delete(this.earlyAborts.values().next().value as string);
  }

  /** A finished statement that never ran on its own (a multi-statement request's child). */
  add(queryId: string, requestId: string, user: string, result: DriverResult): DriverStatement {
    const entry = this.start(queryId, requestId, user);
    this.finish(entry, result);
    return entry;
  }

  finish(entry: DriverStatement, result: DriverResult): void {
    entry.state = 'succeeded';
    entry.result = result;
    entry.bytes = result.batches.reduce((n, b) => n + batchBytes(b), 0);
    this.ended(entry);
  }

  fail(entry: DriverStatement, error: FirnError): void {
    entry.state = 'failed';
    entry.error = error;
    entry.bytes = 1024;
    this.ended(entry);
  }

  get(queryId: string, user: string): DriverStatement | undefined {
    const e = this.entries.get(queryId);
    return e && e.user === user ? e : undefined;
  }

  byRequest(requestId: string, user: string): DriverStatement | undefined {
    const id = this.requests.get(requestKey(user, requestId));
    return id === undefined ? undefined : this.get(id, user);
  }

  /** The statement whose chunks `secret` opens (undefined when none). */
  chunkOwner(queryId: string, secret: string): DriverStatement | undefined {
    const e = this.entries.get(queryId);
    return e && e.state === 'succeeded' && e.chunkSecret === secret ? e : undefined;
  }

  async wait(entry: DriverStatement, ms: number): Promise<void> {
    if (entry.state !== 'running') return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([entry.ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  private ended(entry: DriverStatement): void {
    entry.settle();
    // Re-inserted: the newest finished entry is the last evicted.
    this.entries.delete(entry.queryId);
    this.entries.set(entry.queryId, entry);
    this.finishedBytes += entry.bytes;
    this.evict(entry);
  }

  private evict(newest: DriverStatement): void {
    let finished = 0;
    for (const e of this.entries.values()) if (e.state !== 'running') finished++;
    for (const [id, e] of this.entries) {
      if (finished <= this.maxEntries && this.finishedBytes <= this.maxBytes) break;
      if (e.state === 'running' || e === newest) continue;
      this.entries.delete(id);
      this.requests.delete(requestKey(e.user, e.requestId));
      this.finishedBytes -= e.bytes;
      finished--;
    }
  }
}

const MAX_EARLY_ABORTS = 1000;

function requestKey(user: string, requestId: string): string {
  return `${user}\u0000${requestId}`;
}

/** About how much memory a batch holds. */
function batchBytes(b: Batch): number {
  let n = 0;
  for (const v of b.columns) n += vectorBytes(v);
  return n;
}

function vectorBytes(v: Vector): number {
  switch (v.kind) {
    case 'bool':
      return v.values.byteLength;
    case 'f64':
    case 'i32':
      return v.values.byteLength;
    case 'dec':
      return v.values.length * 32;
    case 'ts':
      return v.secs.byteLength + v.nanos.byteLength;
    case 'str':
      return v.codes.byteLength + v.dict.reduce((s, x) => s + x.length * 2, 0);
  }
}
