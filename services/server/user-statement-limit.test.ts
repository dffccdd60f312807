import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompilationError, ResourceError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Batch } from '../../storage/types/vector.js';
import type { QueryStats, StatementResult } from '../session/statement-result.js';
import type { StatementRequest, StatementRunner } from '../session/statement-request.js';
import { bearer, fixtureAuthenticator } from '../../test/support/fixture-authenticator.js';
import { startHttpServer, type HttpServer } from './http-server.js';
import { DEFAULT_MAX_STATEMENTS_PER_USER, UserStatementLimit } from './user-statement-limit.js';

describe('UserStatementLimit', () => {
  it('admits up to max statements per user and counts each user apart', () => {
    const limit = new UserStatementLimit(2);
    const alice = [limit.tryAcquire('ALICE'), limit.tryAcquire('ALICE')];
    expect(alice.every((r) => r !== null)).toBe(true);
    expect(limit.tryAcquire('ALICE')).toBe(null);
    // Another user is not affected by ALICE's statements, nor is a name differing in case.
    const bob = limit.tryAcquire('BOB');
    expect(bob).not.toBe(null);
    expect(limit.tryAcquire('alice')).not.toBe(null);
    expect([limit.runningFor('ALICE'), limit.runningFor('BOB'), limit.runningFor('alice')]).toEqual([2, 1, 1]);
    alice[0]!();
    expect(limit.runningFor('ALICE')).toBe(1);
    expect(limit.tryAcquire('ALICE')).not.toBe(null);
    expect(limit.tryAcquire('ALICE')).toBe(null);
  });

  it('gives a slot back once however often its release is called, and forgets idle users', () => {
    const limit = new UserStatementLimit(1);
    const release = limit.tryAcquire('ADMIN')!;
    const other = limit.tryAcquire('BOB')!;
    release();
    release();
    expect(limit.runningFor('ADMIN')).toBe(0);
    expect(limit.runningFor('BOB')).toBe(1);
    expect(limit.users).toBe(1);
    const again = limit.tryAcquire('ADMIN')!;
    // The first release, called again, must not free the slot the second acquisition holds.
    release();
    expect(limit.tryAcquire('ADMIN')).toBe(null);
    again();
    other();
    expect(limit.users).toBe(0);
  });

  it('refuses a cap below 1 and answers TOO_MANY_STATEMENTS naming the user and the setting', () => {
    for (const bad of [0, -1, 1.5]) expect(() => new UserStatementLimit(bad), String(bad)).toThrow(RangeError);
    const e = new UserStatementLimit(64).refusal('ADMIN');
    expect([e.code, e.sqlState, e.codeName]).toEqual(['390429', '53400', 'TOO_MANY_STATEMENTS']);
    expect(e.message).toBe(
      "Your request was rejected because user 'ADMIN' already has 64 statements running, the most allowed at once (FIRN_MAX_STATEMENTS_PER_USER); retry when one of them has finished",
    );
    expect(DEFAULT_MAX_STATEMENTS_PER_USER).toBe(256);
  });
});

const stats: QueryStats = { partitionsTotal: 0, partitionsScanned: 0, bytesScanned: 0, cacheHitRatio: 0, elapsedMs: 1, warehouse: null, partitionedJoins: 0, bytesSpilled: 0, profile: [], partitionsAdded: 0, partitionsRemoved: 0, queuedMs: 0, cluster: null, warehouseSize: null, fromResultCache: false, memoryBytes: 0 };
const column = { name: 'S', type: { kind: 'VARCHAR', length: 100 } as const, nullable: false };

function strings(n: number, text: string): Batch {
  return { length: n, columns: [{ kind: 'str', length: n, codes: new Int32Array(n), dict: [text], nulls: null }] };
}

function newGate(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * `hold` waits for open() (or its cancellation), `quick` answers at once, `fail` fails,
 * `stream` streams one large batch, then waits for open() before its last batch.
 */
class GatedRunner implements StatementRunner {
  readonly started: StatementRequest[] = [];
  private gate = newGate();

  open(): void {
    this.gate.resolve();
    this.gate = newGate();
  }

  async execute(req: StatementRequest): Promise<StatementResult> {
    this.started.push(req);
    const context = { database: 'FIRN', schema: 'PUBLIC', warehouse: null };
    const base = { queryId: req.queryId, columns: [column], stats: { ...stats }, context };
    if (req.sql === 'fail') throw new CompilationError('OBJECT_NOT_FOUND', "Object 'NOPE' does not exist or not authorized.");
    if (req.sql === 'hold') await this.waitOrCancel(req.signal);
    if (req.sql === 'stream') {
      const gate = this.gate.promise;
      const stream = async function* (): AsyncGenerator<Batch> {
        yield strings(20_000, 'x'.repeat(40));
        await gate;
        yield strings(1, 'last');
      };
      return { ...base, batch: strings(0, ''), stream: stream() };
    }
    return { ...base, batch: strings(1, req.sql) };
  }

  private waitOrCancel(signal: AbortSignal | null | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new ResourceError('CANCELED', 'SQL execution canceled'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.gate.promise.then(resolve);
    });
  }
}

async function waitFor(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the HTTP server under the per-user statement cap', () => {
  const MAX = 2;
  const runner = new GatedRunner();
  let server: HttpServer;
  const post = (statement: string, signal?: AbortSignal, token = 'admin-token') =>
    fetch(`${server.url}/api/v2/statements`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify({ statement }), signal });
  /** MAX held statements are admitted and one more is refused: the count is back at 0. */
  const expectEmpty = async () => {
    const before = runner.started.length;
    const held = Array.from({ length: MAX }, () => post('hold'));
    await waitFor('the held statements to start', () => runner.started.length === before + MAX);
    expect((await post('quick')).status).toBe(429);
    runner.open();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
  };

  beforeAll(async () => {
    server = await startHttpServer({ runner, authenticator: fixtureAuthenticator({ 'admin-token': 'ADMIN', 'other-token': 'OTHER' }), host: '127.0.0.1', port: 0, maxStatementsPerUser: MAX });
  });

  afterAll(async () => {
    runner.open();
    await server.close();
  });

  it('answers 429 with Retry-After and TOO_MANY_STATEMENTS past the cap, running nothing, and admits again once a slot frees', async () => {
    const held = [post('hold'), post('hold')];
    await waitFor('two held statements', () => runner.started.length === 2);
    const refused = await post('quick');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await refused.json()).toEqual({
      code: '390429',
      sqlState: '53400',
      message:
        "Your request was rejected because user 'ADMIN' already has 2 statements running, the most allowed at once (FIRN_MAX_STATEMENTS_PER_USER); retry when one of them has finished",
    });
    expect(runner.started.map((r) => r.sql)).toEqual(['hold', 'hold']);
    expect(runner.started.every((r) => r.identity.user === 'ADMIN')).toBe(true);
    // Another user is not held back by ADMIN's full quota.
    const other = post('hold', undefined, 'other-token');
    await waitFor("OTHER's statement", () => runner.started.length === 3);
    expect(runner.started[2].identity.user).toBe('OTHER');
    runner.open();
    expect((await other).status).toBe(200);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect((await post('quick')).status).toBe(200);
    await expectEmpty();
  });

  it('gives the slot back when the statement fails', async () => {
    for (let i = 0; i < MAX + 1; i++) expect((await post('fail')).status).toBe(422);
    await expectEmpty();
  });

  it('gives the slot back when the client disconnects before the answer', async () => {
    const aborts = [new AbortController(), new AbortController()];
    const before = runner.started.length;
    const held = aborts.map((a) => post('hold', a.signal).catch((err: unknown) => err));
    await waitFor('two held statements', () => runner.started.length === before + 2);
    for (const a of aborts) a.abort();
    for (const outcome of await Promise.all(held)) expect((outcome as Error).name).toBe('AbortError');
    await waitFor('the canceled statements to see their signal', () => runner.started.slice(before).every((r) => r.signal?.aborted === true));
    let status = 429;
    for (let i = 0; i < 200 && status === 429; i++) {
      status = (await post('quick')).status;
      if (status === 429) await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(200);
    await expectEmpty();
  });

  it('holds the slot until the statement settles, also after its asynchronous 202 answer', async () => {
    const before = runner.started.length;
    const asyncPost = () =>
      fetch(`${server.url}/api/v2/statements?async=true`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer('admin-token') }, body: JSON.stringify({ statement: 'stream' }) });
    const accepted = [await asyncPost(), await asyncPost()];
    expect(accepted.map((r) => r.status)).toEqual([202, 202]);
    const handles = await Promise.all(accepted.map(async (r) => ((await r.json()) as { statementHandle: string }).statementHandle));
    expect(runner.started.length).toBe(before + 2);
    // Both answered; their statements wait for their last batch: still running.
    expect((await post('quick')).status).toBe(429);
    runner.open();
    for (const h of handles) {
      let got = await fetch(`${server.url}/api/v2/statements/${h}`, { headers: bearer('admin-token') });
      while (got.status === 202) {
        await new Promise((r) => setTimeout(r, 10));
        got = await fetch(`${server.url}/api/v2/statements/${h}`, { headers: bearer('admin-token') });
      }
      expect(got.status).toBe(200);
      const body = (await got.json()) as { data: string[][] };
      expect(body.data.length).toBe(20_001);
      expect(body.data.at(-1)).toEqual(['last']);
    }
    await expectEmpty();
  });
});
