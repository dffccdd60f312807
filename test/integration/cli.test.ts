/**
 * The `firn` CLI as a user runs it (node bin/firn.js, a child process) against a real
 * server: one-shot SQL in every format, errors and exit codes, the unreachable-server
 * message, and the REPL on piped input with multi-line statements and USE remembered.
 * It authenticates with FIRN_TOKEN (the test server's admin token), and, as the README's quick
 * start does, with no credentials set at all, from the folder whose ./.firn the server uses.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, startFirnProcess, type FirnProcess } from '../support/firn-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('firn CLI', () => {
  let dir: string;
  let server: FirnProcess;
  /** The environment without any Firn credentials or URL the test run itself may have. */
  const bareEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !['FIRN_URL', 'FIRN_TOKEN', 'FIRN_USER', 'FIRN_PASSWORD', 'FIRN_HOME'].includes(k)));
  const firn = (args: string[], input?: string, url = server.url) =>
    spawnSync(process.execPath, [path.join(root, 'bin', 'firn.js'), ...args], {
      env: { ...bareEnv(), FIRN_URL: url, FIRN_TOKEN: TEST_ADMIN_TOKEN, FIRN_HISTORY_FILE: path.join(dir, 'history') },
      input: input ?? '',
      encoding: 'utf8',
      timeout: 60_000,
    });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cli-'));
    // The quick start's layout: the server's data in ./.firn of the folder the CLI runs in.
    server = await startFirnProcess({ home: path.join(dir, '.firn'), env: { FIRN_ADMIN_PASSWORD: '' } });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs statements and prints an aligned table with readable dates and decimals', () => {
    const create = firn(['sql', "CREATE TABLE t (id INT, d DATE, amount NUMBER(8,2)); INSERT INTO t VALUES (1, '2024-06-01', 12.5), (22, '2024-12-31', NULL)"]);
    expect(create.status, create.stderr).toBe(0);
    const r = firn(['sql', 'SELECT id, d, amount FROM t ORDER BY id']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(r.stdout).toContain('2024-06-01');
    expect(r.stdout).toContain('12.50');
    expect(r.stdout).toContain('NULL');
    const header = lines.find((l) => l.includes('ID') && l.includes('AMOUNT'))!;
    const row = lines.find((l) => l.includes('2024-12-31'))!;
    expect(header.length).toBe(row.length);
    expect(r.stdout).toMatch(/2 rows/);
  });

  it('prints csv and json', () => {
    const csv = firn(['sql', 'SELECT id, amount FROM t ORDER BY id', '--format', 'csv']);
    expect(csv.stdout.trim().split(/\r?\n/)).toEqual(['ID,AMOUNT', '1,12.50', '22,']);
    const json = firn(['sql', 'SELECT id, d FROM t WHERE id = 1', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([{ ID: 1, D: '2024-06-01' }]);
  });

  it('exits 1 with the error code and message on failure', () => {
    const r = firn(['sql', 'SELECT * FROM missing_table']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('002003');
    expect(r.stderr).toContain('MISSING_TABLE');
  });

  it('manages warehouses through the server end to end, printing each one\'s resulting state', () => {
    const state = (args: string[]) => {
      const r = firn([...args, '--format', 'csv']);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const [header, ...rows] = r.stdout.trim().split('\n');
      expect(header).toBe('name,state,size,started_clusters,running,queued,auto_suspend,auto_resume,workers_per_cluster');
      return rows.map((l) => l.split(',').slice(0, 4).join(' '));
    };
    expect(state(['warehouse', 'create', 'cli_wh', '--size', 'small'])).toEqual(['CLI_WH STARTED SMALL 1']);
    expect(state(['warehouse', 'list']).filter((l) => l.startsWith('CLI_WH '))).toEqual(['CLI_WH STARTED SMALL 1']);
    expect(state(['warehouse', 'resize', 'cli_wh', 'medium'])).toEqual(['CLI_WH STARTED MEDIUM 1']);
    expect(state(['warehouse', 'suspend', 'cli_wh'])).toEqual(['CLI_WH SUSPENDED MEDIUM 0']);
    expect(state(['warehouse', 'resume', 'cli_wh'])).toEqual(['CLI_WH STARTED MEDIUM 1']);
    const again = firn(['warehouse', 'resume', 'cli_wh']);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe("Error 390503 (55000): Invalid state. Warehouse 'CLI_WH' cannot be resumed.\n");
  });

  it('needs no login step from the folder where the server runs: ./.firn/credentials gives the URL and a token', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'firn.js'), 'sql', 'SELECT id FROM t ORDER BY id', '--format', 'csv'], {
      cwd: dir,
      env: { ...bareEnv(), FIRN_HISTORY_FILE: path.join(dir, 'history') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split(/\r?\n/)).toEqual(['ID', '1', '22']);
  });

  it('says clearly when no server is running', () => {
    const r = firn(['sql', 'SELECT 1'], undefined, 'http://127.0.0.1:9');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot reach Firn at http://127.0.0.1:9');
  });

  it('runs a REPL on piped input: multi-line statements, USE remembered, errors do not stop it', () => {
    const r = firn([], 'CREATE DATABASE other;\nCREATE TABLE x (v VARCHAR);\nINSERT INTO x\n  VALUES (\'hello\');\nSELECT nope FROM x;\nSELECT v\nFROM x;\n');
    expect(r.stdout).toContain('hello');
    expect(r.stderr).toContain('000904');
    expect(r.status).toBe(1);
    const check = firn(['sql', 'SELECT v FROM other.public.x', '--format', 'csv']);
    expect(check.stdout.trim().split(/\r?\n/)).toEqual(['V', 'hello']);
  });
});
