/**
 * The `firn` CLI (node bin/firn.js, a child process) watching long statements against a real
 * server: with progress forced on (FIRN_PROGRESS=always stands in for a terminal on stderr)
 * a progress line is drawn on stderr and erased before the error prints; a SIGINT while a
 * statement runs cancels it on the server (000604) — the REPL goes on with the next statement,
 * a one-shot `firn sql` stops and exits 1 — and the server records the statement as canceled.
 * PUT and GET draw their files done of the total and the bytes transferred. With stderr piped and nothing
 * forced, nothing but results and errors is printed. SIGINT is
 * sent once the progress line shows the statement running: no timing involved.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIRN = path.join(root, 'bin', 'firn.js');
/** 100,000 x 100,000 pairs: far longer than any test, so it runs until it is canceled. */
const longStatement = (tag: string) => `SELECT COUNT(*) AS ${tag} FROM big a CROSS JOIN big b WHERE a.v <> b.v`;
/** A progress line as drawn: carriage return, the text, clear to the end of the line. */
const PROGRESS_LINE = /\rRunning \d+\.\d s · [\d,]+ rows? · \d+(\.\d)? (bytes|KB|MB|GB) scanned( · partitions [\d,]+\/[\d,]+)?\x1b\[K/;
const CANCELED = 'Error 000604 (57014): SQL execution canceled\n';
/** stderr without its progress lines (each drawn and erased in place). */
const withoutProgress = (stderr: string) => stderr.replace(/\r[^\r\n]*\x1b\[K/g, '');

describe('firn CLI: progress and Ctrl-C', () => {
  let dir: string;
  let server: FirnProcess;
  const env = (extra: Record<string, string> = {}) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['FIRN_URL', 'FIRN_TOKEN', 'FIRN_USER', 'FIRN_PASSWORD', 'FIRN_HOME', 'FIRN_PROGRESS'].includes(k)));
    return { ...base, FIRN_URL: server.url, FIRN_TOKEN: TEST_ADMIN_TOKEN, FIRN_HISTORY_FILE: path.join(dir, 'history'), ...extra };
  };

  /** Runs the CLI with progress forced on, sends SIGINT once a progress line appears, and answers how it ended. */
  async function interruptOnceRunning(args: string[], input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [FIRN, ...args], { env: env({ FIRN_PROGRESS: 'always' }), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && PROGRESS_LINE.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stdin.end(input);
    const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    return { status, stdout, stderr };
  }

  /** How the server recorded the statements of exactly this text: [status, error code] each. */
  async function recorded(text: string): Promise<string[][]> {
    const r = await postStatement(server.url, `SELECT execution_status, error_code FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE query_text = '${text.replace(/'/g, "''")}'`);
    return r.data.map((row) => row.map((c) => c ?? 'NULL'));
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cli-cancel-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
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

  it('REPL: Ctrl-C cancels the running statement on the server, prints 000604 and runs the next one', async () => {
    const sql = longStatement('in_repl');
    const r = await interruptOnceRunning(['--format', 'csv'], `${sql};\nSELECT 'still here' AS next;\n`);
    expect(r.stderr).toMatch(PROGRESS_LINE);
    // The progress line is erased before the error prints; the error is all stderr holds besides.
    expect(r.stderr).toContain(`\r\x1b[K${CANCELED}`);
    expect(withoutProgress(r.stderr)).toBe(CANCELED);
    expect(r.stdout).toBe('NEXT\nstill here\n');
    expect(r.status).toBe(1);
    expect(await recorded(sql)).toEqual([['FAIL', '000604']]);
  });

  it('firn sql: Ctrl-C cancels the running statement, prints 000604, runs nothing more and exits 1', async () => {
    const sql = longStatement('one_shot');
    const r = await interruptOnceRunning(['sql', `${sql}; SELECT 'not run' AS later`], '');
    expect(r.stderr).toMatch(PROGRESS_LINE);
    expect(r.stderr.endsWith(`\r\x1b[K${CANCELED}`)).toBe(true);
    expect(withoutProgress(r.stderr)).toBe(CANCELED);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
    expect(await recorded(sql)).toEqual([['FAIL', '000604']]);
    expect(await recorded("SELECT 'not run' AS later")).toEqual([]);
  });

  it('PUT and GET show their files done of the total and the bytes transferred, then erase the line', () => {
    mkdirSync(path.join(dir, 'put'));
    const sizes = [1000, 2500, 40];
    sizes.forEach((n, i) => writeFileSync(path.join(dir, 'put', `f${i}.csv`), 'x'.repeat(n - 1) + '\n'));
    const r = spawnSync(process.execPath, [FIRN, 'put', path.join(dir, 'put', '*.csv'), '@~/progress/', 'AUTO_COMPRESS=FALSE', 'PARALLEL=1', '--format', 'csv'], {
      env: env({ FIRN_PROGRESS: 'always' }),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(1, -1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['f0.csv,f0.csv,1000', 'f1.csv,f1.csv,2500', 'f2.csv,f2.csv,40']);
    const drawn = [...r.stderr.matchAll(/\r([^\r\n]*)\x1b\[K/g)].map((m) => m[1]!.replace(/^PUT \d+\.\d s · /, ''));
    // Each file done is drawn (bytes may also be drawn as they flow); the line is erased last.
    expect(drawn[0]).toBe('0/3 files · 0 bytes uploaded');
    const doneAt = ['1/3 files · 1000 bytes uploaded', '2/3 files · 3.4 KB uploaded', '3/3 files · 3.5 KB uploaded'].map((t) => drawn.indexOf(t));
    expect(doneAt.every((at, i) => at > 0 && (i === 0 || at > doneAt[i - 1]!)), drawn.join(' | ')).toBe(true);
    expect(drawn.at(-2)).toBe('3/3 files · 3.5 KB uploaded');
    expect(drawn.at(-1)).toBe('');
    expect(withoutProgress(r.stderr)).toBe('');

    const got = spawnSync(process.execPath, [FIRN, 'get', '@~/progress/', path.join(dir, 'got'), 'PARALLEL=1', '--format', 'csv'], { env: env({ FIRN_PROGRESS: 'always' }), encoding: 'utf8', timeout: 120_000 });
    expect(got.status, got.stderr).toBe(0);
    expect(got.stdout).toBe('file,size,status,message\nf0.csv,1000,DOWNLOADED,""\nf1.csv,2500,DOWNLOADED,""\nf2.csv,40,DOWNLOADED,""\n');
    const gotDrawn = [...got.stderr.matchAll(/\r([^\r\n]*)\x1b\[K/g)].map((m) => m[1]!.replace(/^GET \d+\.\d s · /, ''));
    expect(gotDrawn[0]).toBe('0/3 files · 0 bytes downloaded');
    expect(gotDrawn.slice(-2)).toEqual(['3/3 files · 3.5 KB downloaded', '']);
    expect(withoutProgress(got.stderr)).toBe('');
  });

  it('prints no progress when stderr is piped', () => {
    const r = spawnSync(process.execPath, [FIRN, 'sql', 'SELECT COUNT(*) AS pairs FROM big a CROSS JOIN d b CROSS JOIN d c WHERE a.v <> b.v', '--format', 'csv'], { env: env(), encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('PAIRS\n9999900\n');
    expect(r.status).toBe(0);
  });
});
