/**
 * The services tier only plans, coordinates and streams (issue 8): while a join runs in the
 * warehouse's workers the server's event loop stays free (/healthz answers), a large SELECT's
 * answer is written chunked, piece by piece, rows first and its metadata and stats after them
 * (the statement store keeps the result, so the answer starts once the statement finished),
 * and a LIMIT over a large scan stops scanning early. Real server over real HTTP; assertions on the order of events, not on speed
 * (the /healthz bound is the deliberately generous 500 ms).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const BIG_ROWS = 50_000;
const PARTITION_ROWS = 5_000;
const SMALL_ROWS = 1_000;
/** 50k probe rows x 250 matches each = 12.5M joined rows: about two seconds of worker CPU. */
const JOIN = 'SELECT COUNT(*), SUM(b.x) FROM big a JOIN small b ON a.g = b.g';

describe('a statement runs in the warehouse while services streams', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-stage-stream-'));
    mkdirSync(path.join(dir, 'csv'));
    writeFileSync(path.join(dir, 'csv', 'big.csv'), Array.from({ length: BIG_ROWS }, (_, i) => `${i},${i % 4}`).join('\n') + '\n');
    writeFileSync(path.join(dir, 'csv', 'small.csv'), Array.from({ length: SMALL_ROWS }, (_, i) => `${i},${i % 4}`).join('\n') + '\n');
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: String(PARTITION_ROWS) } });
    await postStatement(server.url, 'CREATE TABLE big (k INTEGER, g INTEGER)');
    await postStatement(server.url, 'CREATE TABLE small (x INTEGER, g INTEGER)');
    await postStatement(server.url, `COPY INTO big FROM 'file://${dir}/csv/big.csv'`);
    await postStatement(server.url, `COPY INTO small FROM 'file://${dir}/csv/small.csv'`);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/healthz answers within 500 ms, again and again, while a join runs', async () => {
    // However fast the join is on this machine, keep running it until /healthz has been polled
    // enough times while one was in flight; every such poll must be answered promptly.
    const waits: number[] = [];
    for (let round = 0; round < 20 && waits.length < 8; round++) {
      let joinDone = false;
      const join = postStatement(server.url, JOIN).then((r) => {
        joinDone = true;
        return r;
      });
      while (!joinDone) {
        const t = performance.now();
        const res = await fetch(`${server.url}/healthz`);
        expect(res.status).toBe(200);
        await res.json();
        if (!joinDone) waits.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 25));
      }
      const r = await join;
      expect(r.data).toEqual([['12500000', '6243750000']]);
    }
    expect(waits.length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...waits)).toBeLessThan(500);
  }, 180_000);

  it("a large SELECT's answer arrives chunked, rows first, metadata and stats last", async () => {
    const body = JSON.stringify({ statement: 'SELECT k, g FROM big' });
    const chunks: string[] = [];
    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/api/v2/statements`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...ADMIN_AUTH_HEADERS } }, (res) => {
        events.push(`status ${res.statusCode} ${res.headers['transfer-encoding']}`);
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          chunks.push(c);
          // The answer's stats come after the last row.
          events.push(c.includes('"stats":') ? 'stats' : 'rows');
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(events[0]).toBe('status 200 chunked');
    expect(events[1]).toBe('rows');
    expect(events.indexOf('stats')).toBe(events.length - 1);
    expect(chunks[0].startsWith('{"data":[["')).toBe(true);
    const answer = JSON.parse(chunks.join('')) as { data: string[][]; resultSetMetaData: { numRows: number }; stats: { partitionsScanned: number } };
    expect(answer.resultSetMetaData.numRows).toBe(BIG_ROWS);
    expect(answer.data.length).toBe(BIG_ROWS);
    expect(answer.stats.partitionsScanned).toBe(BIG_ROWS / PARTITION_ROWS);
  }, 120_000);

  it('LIMIT 10 over a large table stops scanning early', async () => {
    const all = await postStatement(server.url, 'SELECT k FROM big WHERE g >= 0');
    const limited = await postStatement(server.url, 'SELECT k FROM big WHERE g >= 0 LIMIT 10');
    expect(limited.data.length).toBe(10);
    const stats = limited.stats as unknown as { bytesScanned: number; profile: { operator: string; rowsOut: number }[] };
    const full = all.stats as unknown as { bytesScanned: number };
    // The one worker reads a partition or so of the ten, not the table.
    expect(stats.bytesScanned).toBeLessThan(full.bytesScanned / 5);
    const scanned = stats.profile.filter((p) => p.operator === 'scan_exec').reduce((n, p) => n + p.rowsOut, 0);
    expect(scanned).toBeLessThanOrEqual(PARTITION_ROWS);
  }, 120_000);
});
