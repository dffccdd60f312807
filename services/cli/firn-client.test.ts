/**
 * FirnClient's watched statements against a REAL Firn server: progress polling (async=true)
 * hands the server's stats to onProgress and still answers the result; firing the signal
 * cancels the statement on the server, which answers 000604 and records it as canceled, on
 * the polling path and on the synchronous one (a dropped request found again by its
 * requestId, never run twice).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../../test/support/firn-process.js';
import { ADMIN_CREDENTIALS, postStatement } from '../../test/support/post-statement.js';
import type { StatementProgress } from '../statements/statement-store.js';
import { FirnClient } from './firn-client.js';

const dir = mkdtempSync(join(tmpdir(), 'firn-client-'));
let server: FirnProcess;
const CONTEXT = { database: null, schema: null, warehouse: null };
/** 100,000 x 100,000 pairs: minutes of work, so it runs until it is canceled. */
const longStatement = (tag: string) => `SELECT COUNT(*) AS ${tag} FROM big a CROSS JOIN big b WHERE a.v <> b.v`;

beforeAll(async () => {
  // Small result partitions, so a result of 100,000 rows comes in many.
  server = await startFirnProcess({ home: join(dir, 'home'), env: { FIRN_RESULT_PARTITION_BYTES: '65536' } });
  await postStatement(
    server.url,
    `CREATE TABLE d (v INT); INSERT INTO d VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
     CREATE TABLE big AS SELECT a.v * 10000 + b.v * 1000 + c.v * 100 + e.v * 10 + f.v AS v FROM d a, d b, d c, d e, d f`,
  );
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** How the server recorded the statements of exactly this text: [status, error code] each. */
async function recorded(text: string): Promise<string[][]> {
  const r = await postStatement(server.url, `SELECT execution_status, error_code FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE query_text = '${text.replace(/'/g, "''")}'`);
  return r.data.map((row) => row.map((c) => c ?? 'NULL'));
}

describe('FirnClient watching a statement', () => {
  it('polls with progress and answers the same result as the synchronous request', async () => {
    const client = new FirnClient(server.url, ADMIN_CREDENTIALS);
    const seen: StatementProgress[] = [];
    const sql = 'SELECT COUNT(*) AS n, SUM(v) AS s FROM big';
    const watched = await client.execute(sql, CONTEXT, { onProgress: (p) => seen.push(p) });
    const plain = await client.execute(sql, CONTEXT);
    expect(watched.kind).toBe('ok');
    expect(plain.kind).toBe('ok');
    if (watched.kind !== 'ok' || plain.kind !== 'ok') return;
    expect(watched.result.data).toEqual([['100000', '4999950000']]);
    expect(watched.result.data).toEqual(plain.result.data);
    for (const p of seen) expect(Object.keys(p).sort()).toEqual(['bytesScanned', 'elapsedMs', 'filesDone', 'filesTotal', 'partitionsScanned', 'partitionsTotal', 'rowsLoaded', 'rowsProduced']);
  });

  it('reports progress while a long statement runs, and the signal cancels it on the server (000604)', async () => {
    const client = new FirnClient(server.url, ADMIN_CREDENTIALS);
    const controller = new AbortController();
    const seen: StatementProgress[] = [];
    const sql = longStatement('polled');
    const outcome = await client.execute(sql, CONTEXT, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        // Canceled once the server reports the scan under way.
        if (p.partitionsTotal > 0) controller.abort();
      },
    });
    expect(outcome).toEqual({ kind: 'failed', status: 422, code: '000604', sqlState: '57014', message: 'SQL execution canceled' });
    const last = seen.at(-1)!;
    expect(last.partitionsTotal).toBeGreaterThan(0);
    expect(last.partitionsScanned).toBeLessThanOrEqual(last.partitionsTotal);
    expect(last.elapsedMs).toBeGreaterThanOrEqual(seen[0]!.elapsedMs);
    expect(await recorded(sql)).toEqual([['FAIL', '000604']]);
  });

  it('without progress, a signal fired during the synchronous request cancels the statement once, found by its requestId', async () => {
    const controller = new AbortController();
    const statementsSent: string[] = [];
    // Fires the signal as soon as the statement's request is on its way: no timing involved.
    const fetchThenAbort: typeof fetch = (input, init) => {
      const url = String(input);
      if (url.includes('/api/v2/statements?')) statementsSent.push(url);
      const answer = fetch(input, init);
      if (statementsSent.length === 1 && !controller.signal.aborted) setImmediate(() => controller.abort());
      return answer;
    };
    const client = new FirnClient(server.url, ADMIN_CREDENTIALS, fetchThenAbort);
    const sql = longStatement('synchronous');
    const outcome = await client.execute(sql, CONTEXT, { signal: controller.signal });
    expect(outcome).toEqual({ kind: 'failed', status: 422, code: '000604', sqlState: '57014', message: 'SQL execution canceled' });
    // The first request waited (no async=true); the second asked for the same requestId again.
    const [first, second] = statementsSent.map((u) => new URL(u).searchParams);
    expect(statementsSent).toHaveLength(2);
    expect(first!.get('async')).toBe(null);
    expect(second!.get('retry')).toBe('true');
    expect(second!.get('requestId')).toBe(first!.get('requestId'));
    expect(await recorded(sql)).toEqual([['FAIL', '000604']]);
  });

  it('a signal fired while the partitions of a result are fetched stops fetching them: CANCELED', async () => {
    const controller = new AbortController();
    const partitionsAsked: string[] = [];
    const fetchAbortingAtPartition: typeof fetch = (input, init) => {
      const partition = new URL(String(input)).searchParams.get('partition');
      if (partition !== null) {
        partitionsAsked.push(partition);
        controller.abort();
      }
      return fetch(input, init);
    };
    const whole = await new FirnClient(server.url, ADMIN_CREDENTIALS).execute('SELECT v FROM big ORDER BY v', CONTEXT);
    expect(whole.kind === 'ok' && whole.result.resultSetMetaData.partitionInfo.length > 2 && whole.result.data.length).toBe(100_000);
    const client = new FirnClient(server.url, ADMIN_CREDENTIALS, fetchAbortingAtPartition);
    const outcome = await client.execute('SELECT v FROM big ORDER BY v', CONTEXT, { signal: controller.signal });
    expect(outcome).toEqual({ kind: 'failed', status: 0, code: '000604', sqlState: '57014', message: 'SQL execution canceled' });
    expect(partitionsAsked).toEqual(['1']);
  });
});

describe('FirnClient sessions', () => {
  /** The real fetch, recording each request's method and path. */
  const recording = () => {
    const seen: string[] = [];
    const f: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      seen.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search.includes('delete=true') ? '?delete=true' : ''}`);
      return fetch(input, init);
    };
    return { seen, f };
  };

  it('sends a token with each request when no session is asked for: one request per statement, no login', async () => {
    const { seen, f } = recording();
    const client = new FirnClient(server.url, ADMIN_CREDENTIALS, f);
    for (const sql of ['SELECT 1', 'SELECT 2']) expect((await client.execute(sql, CONTEXT)).kind).toBe('ok');
    await client.close();
    expect(seen).toEqual(['POST /api/v2/statements', 'POST /api/v2/statements']);
  });

  it('with session, logs in once for all its statements and logs out at close', async () => {
    const { seen, f } = recording();
    const client = new FirnClient(server.url, ADMIN_CREDENTIALS, f, { session: true });
    for (const sql of ['BEGIN', 'SELECT 2', 'ROLLBACK']) expect((await client.execute(sql, CONTEXT)).kind).toBe('ok');
    await client.close();
    expect(seen).toEqual(['POST /session/v1/login-request', 'POST /api/v2/statements', 'POST /api/v2/statements', 'POST /api/v2/statements', 'POST /session?delete=true']);
  });
});
