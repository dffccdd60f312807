/**
 * The CLI (runCli in-process, so the REPL can be driven as a terminal) against a REAL Firn
 * server over HTTP: every command a user types (sql, the REPL, warehouse list|create|resize|
 * suspend|resume) runs against what the server really accepts. A command the server refuses
 * fails here with the server's own error and exit code 1. Only the unreachable-server case
 * injects a fault (a fetch that throws).
 */
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, startFirnProcess, type FirnProcess } from '../../test/support/firn-process.js';
import { postStatement } from '../../test/support/post-statement.js';
import type { CliIo } from './cli-io.js';
import { runCli } from './main.js';

let server: FirnProcess;
let deadUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'firn-cli-'));

/** A URL nothing listens on: a port the OS handed out and that was closed again. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  server = await startFirnProcess({ home: join(dir, 'home') });
  deadUrl = await closedPortUrl();
  await postStatement(
    server.url,
    `CREATE TABLE alltypes (id INT NOT NULL, price NUMBER(10,2), big NUMBER(38,0), ratio FLOAT, ok BOOLEAN, day DATE, at TIMESTAMP_NTZ(3), name VARCHAR);
     INSERT INTO alltypes VALUES
       (1, 19.99, 123456789012345678901234567890, 1.5, TRUE, '2024-06-02', '2024-06-01 12:34:56.789', 'plain'),
       (2, -0.05, 42, 'nan'::FLOAT, FALSE, '1970-01-01', '1970-01-01 00:00:00', 'has, "quotes"'),
       (10, NULL, NULL, NULL, NULL, NULL, NULL, '');
     CREATE TABLE empty (x NUMBER(38,0));
     CREATE SCHEMA s2; CREATE TABLE s2.here (v VARCHAR); INSERT INTO s2.here VALUES ('in S2');
     CREATE SCHEMA "Low er"; CREATE TABLE "Low er".here (v VARCHAR); INSERT INTO "Low er".here VALUES ('in Low er');
     CREATE TABLE public.here (v VARCHAR); INSERT INTO public.here VALUES ('in PUBLIC')`,
  );
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

async function cli(argv: string[], opts: { stdin?: string; env?: Record<string, string>; fetch?: typeof fetch; cwd?: string; onInterrupt?: CliIo['onInterrupt'] } = {}) {
  const out = collector();
  const err = collector();
  const io: CliIo = {
    stdout: out.stream,
    stderr: err.stream,
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    interactive: false,
    // The test server's admin token unless a test is about credentials (opts.env sets them).
    env: { FIRN_TOKEN: TEST_ADMIN_TOKEN, ...(opts.env ?? { FIRN_URL: server.url }) },
    homeDir: dir,
    cwd: opts.cwd ?? dir,
    fetch: opts.fetch,
    onInterrupt: opts.onInterrupt,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** The table footer's elapsed time is the one thing that varies between runs. */
const steadyFooter = (s: string) => s.replace(/ \(\d+ ms, /g, ' (X ms, ');

describe('firn put', () => {
  it('Ctrl-C during a PUT drops the upload under way, starts no other file and fails with 000604', async () => {
    mkdirSync(join(dir, 'put-cancel'));
    for (const name of ['a.csv', 'b.csv', 'c.csv']) writeFileSync(join(dir, 'put-cancel', name), `${name}\n`);
    let interrupt: (() => void) | null = null;
    const uploads: string[] = [];
    // SIGINT arrives as the first file's upload starts.
    const interruptingFetch: typeof fetch = (input, init) => {
      if (init?.method === 'PUT') {
        uploads.push(new URL(String(input)).searchParams.get('location')!);
        interrupt?.();
      }
      return fetch(input, init);
    };
    const r = await cli(['put', join(dir, 'put-cancel', '*.csv'), '@~/put-cancel/', 'PARALLEL=1'], {
      fetch: interruptingFetch,
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = null);
      },
    });
    expect(r.stderr).toBe('Error 000604 (57014): SQL execution canceled\n');
    expect(r.code).toBe(1);
    expect(uploads).toEqual(['@~/put-cancel/a.csv.gz']);
    expect((await postStatement(server.url, "LIST '@~/put-cancel/'")).data).toEqual([]);
    expect(interrupt).toBe(null);
  });
});

describe('firn sql', () => {
  it('prints an aligned table with NULLs, readable dates and a footer', async () => {
    const r = await cli(['sql', 'select * from alltypes order by id']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(steadyFooter(r.stdout)).toBe(
      [
        '+----+-------+--------------------------------+-------+-------+------------+-------------------------+---------------+',
        '| ID | PRICE |                            BIG | RATIO | OK    | DAY        | AT                      | NAME          |',
        '|----+-------+--------------------------------+-------+-------+------------+-------------------------+---------------|',
        '|  1 | 19.99 | 123456789012345678901234567890 |   1.5 | true  | 2024-06-02 | 2024-06-01 12:34:56.789 | plain         |',
        '|  2 | -0.05 |                             42 |   NaN | false | 1970-01-01 | 1970-01-01 00:00:00.000 | has, "quotes" |',
        '| 10 |  NULL |                           NULL |  NULL | NULL  | NULL       | NULL                    |               |',
        '+----+-------+--------------------------------+-------+-------+------------+-------------------------+---------------+',
        '3 rows (X ms, partitions scanned 1/1)',
        '',
      ].join('\n'),
    );
  });

  it('prints typed JSON objects keyed by column name', async () => {
    const r = await cli(['sql', 'select * from alltypes order by id', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { ID: 1, PRICE: 19.99, BIG: '123456789012345678901234567890', RATIO: 1.5, OK: true, DAY: '2024-06-02', AT: '2024-06-01 12:34:56.789', NAME: 'plain' },
      { ID: 2, PRICE: -0.05, BIG: 42, RATIO: 'NaN', OK: false, DAY: '1970-01-01', AT: '1970-01-01 00:00:00.000', NAME: 'has, "quotes"' },
      { ID: 10, PRICE: null, BIG: null, RATIO: null, OK: null, DAY: null, AT: null, NAME: '' },
    ]);
  });

  it('prints RFC 4180 CSV with a header', async () => {
    const r = await cli(['sql', '--format=csv', 'select * from alltypes order by id']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'ID,PRICE,BIG,RATIO,OK,DAY,AT,NAME\n' +
        '1,19.99,123456789012345678901234567890,1.5,true,2024-06-02,2024-06-01 12:34:56.789,plain\n' +
        '2,-0.05,42,NaN,false,1970-01-01,1970-01-01 00:00:00.000,"has, ""quotes"""\n' +
        '10,,,,,,,""\n',
    );
  });

  it('prints an empty result with its header and 0 rows', async () => {
    const r = await cli(['sql', 'select * from empty']);
    expect(r.code).toBe(0);
    expect(steadyFooter(r.stdout)).toBe('+---+\n| X |\n|---|\n+---+\n0 rows (X ms, partitions scanned 0/0)\n');
    expect((await cli(['sql', 'select * from empty', '--format', 'json'])).stdout).toBe('[]\n');
  });

  it("runs ';'-separated statements one by one, keeping the context (USE)", async () => {
    const r = await cli(['sql', "use schema s2; select v from here -- it's S2;\n", '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('status\nStatement executed successfully.\nV\nin S2\n');
    const quoted = await cli(['sql', 'use schema "Low er"; select v from here', '--format', 'csv']);
    expect(quoted.stdout).toBe('status\nStatement executed successfully.\nV\nin Low er\n');
    const fresh = await cli(['sql', 'select v from here', '--format', 'csv']);
    expect(fresh.stdout).toBe('V\nin PUBLIC\n');
  });

  it('prints errors as "Error <code> (<sqlState>): <message>" and exits 1 at the first failure', async () => {
    const r = await cli(['sql', 'select bad; create table never_made (x int)']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error 000904 (42000): SQL compilation error: invalid identifier 'BAD'\n");
    expect(r.stdout).toBe('');
    const check = await cli(['sql', 'select * from never_made']);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^Error 002003 \(02000\): .*NEVER_MADE/);
  });

  it('says clearly when nothing listens at FIRN_URL', async () => {
    const r = await cli(['sql', 'select 1'], { env: { FIRN_URL: deadUrl } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`cannot reach Firn at ${deadUrl} — is the server running? (npm start)\n`);
    const failingFetch = (() => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch;
    const d = await cli(['sql', 'select 1'], { env: {}, fetch: failingFetch });
    expect(d.stderr).toBe('cannot reach Firn at http://127.0.0.1:8080 — is the server running? (npm start)\n');
  });

  it('reads SQL from piped stdin when none is given', async () => {
    const r = await cli(['sql', '--format', 'csv'], { stdin: 'select v from s2.here' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('V\nin S2\n');
  });

  it('runs a script file with -f, printing JSON Lines: one document per statement', async () => {
    const script = join(dir, 'script.sql');
    writeFileSync(script, '-- a script\nuse schema s2;\nselect v from here;\nselect id, name from public.alltypes where id < 3 order by id;\n');
    const r = await cli(['sql', '-f', script, '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      [{ status: 'Statement executed successfully.' }],
      [{ V: 'in S2' }],
      [{ ID: 1, NAME: 'plain' }, { ID: 2, NAME: 'has, "quotes"' }],
    ]);
    const relative = await cli(['sql', '--file', 'script.sql', '--format', 'csv'], { cwd: dir });
    expect(relative.stdout).toBe('status\nStatement executed successfully.\nV\nin S2\nID,NAME\n1,plain\n2,"has, ""quotes"""\n');
  });

  it('refuses -f with a missing file or with SQL as well, as bad usage', async () => {
    const missing = await cli(['sql', '-f', join(dir, 'nope.sql')]);
    expect([missing.code, missing.stderr]).toEqual([2, `firn: cannot read ${join(dir, 'nope.sql')}: ENOENT\nRun 'firn --help' for usage.\n`]);
    const both = await cli(['sql', 'select 1', '-f', join(dir, 'script.sql')]);
    expect(both.code).toBe(2);
  });

  it('rejects bad usage with exit code 2', async () => {
    for (const argv of [['sql', 'select 1', '--format', 'xml'], ['frobnicate'], ['--bogus'], ['sql', '--format'], ['sql', ' ; ']]) {
      const r = await cli(argv, { stdin: '' });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^firn: .*\nRun 'firn --help' for usage\.\n$/);
    }
  });

  it('prints help', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('firn sql "<SQL>"');
    expect(r.stdout).toContain('firn warehouse list');
  });
});

describe('firn credentials', () => {
  /** SHOW USER PATS as CSV (the current user's tokens): each token's name and user. */
  const whoseTokens = (csv: string) => csv.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join(','));
  let tokenOfCli: string;
  beforeAll(async () => {
    await postStatement(server.url, "CREATE USER cli_user PASSWORD = 'cli-pass-1' DEFAULT_ROLE = SYSADMIN");
    const added = await postStatement(server.url, 'ALTER USER cli_user ADD PAT cli_pat');
    tokenOfCli = added.data[0][1] as string;
  });

  it('logs in with FIRN_USER and FIRN_PASSWORD and runs as that user', async () => {
    const r = await cli(['sql', 'show user pats', '--format', 'csv'], { env: { FIRN_URL: server.url, FIRN_USER: 'cli_user', FIRN_PASSWORD: 'cli-pass-1', FIRN_TOKEN: '' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(whoseTokens(r.stdout)).toEqual(['CLI_PAT,CLI_USER']);
  });

  it('reads $FIRN_HOME/credentials (default ./.firn) with its url, falling back to the password when its token is refused', async () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    mkdirSync(join(cwd, '.firn'));
    writeFileSync(join(cwd, '.firn', 'credentials'), JSON.stringify({ url: server.url, user: 'CLI_USER', password: 'cli-pass-1', token: tokenOfCli }));
    const viaToken = await cli(['sql', 'show user pats', '--format', 'csv'], { env: { FIRN_TOKEN: '' }, cwd });
    expect([viaToken.code, whoseTokens(viaToken.stdout), viaToken.stderr]).toEqual([0, ['CLI_PAT,CLI_USER'], '']);
    writeFileSync(join(cwd, '.firn', 'credentials'), JSON.stringify({ url: server.url, user: 'CLI_USER', password: 'cli-pass-1', token: 'revoked-or-expired' }));
    const viaPassword = await cli(['sql', 'select 1 as one', '--format', 'csv'], { env: { FIRN_TOKEN: '' }, cwd });
    expect([viaPassword.code, viaPassword.stdout, viaPassword.stderr]).toEqual([0, 'ONE\n1\n', '']);
    const home = join(dir, 'elsewhere');
    mkdirSync(home);
    writeFileSync(join(home, 'credentials'), JSON.stringify({ token: tokenOfCli }));
    const viaHome = await cli(['sql', 'show user pats', '--format', 'csv'], { env: { FIRN_TOKEN: '', FIRN_HOME: home, FIRN_URL: server.url }, cwd });
    expect([viaHome.code, whoseTokens(viaHome.stdout)]).toEqual([0, ['CLI_PAT,CLI_USER']]);
  });

  it('says clearly when no credentials are found or the server refuses them', async () => {
    const none = await cli(['sql', 'select 1'], { env: { FIRN_URL: server.url, FIRN_TOKEN: '' }, cwd: mkdtempSync(join(dir, 'empty-')) });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^firn: no credentials: set FIRN_TOKEN \(a programmatic access token\), or FIRN_USER and FIRN_PASSWORD, or run firn where the server keeps its data/);
    const wrongToken = await cli(['sql', 'select 1'], { env: { FIRN_URL: server.url, FIRN_TOKEN: 'not-a-token' } });
    expect([wrongToken.code, wrongToken.stderr]).toEqual([1, `Firn at ${server.url} refused the credentials from FIRN_TOKEN: 390303 Invalid or expired programmatic access token.\n`]);
    const wrongPassword = await cli(['sql', 'select 1'], { env: { FIRN_URL: server.url, FIRN_TOKEN: '', FIRN_USER: 'cli_user', FIRN_PASSWORD: 'nope' } });
    expect([wrongPassword.code, wrongPassword.stderr]).toEqual([1, `Firn at ${server.url} refused the login of cli_user (from FIRN_USER/FIRN_PASSWORD): 390100 Incorrect username or password was specified.\n`]);
    const half = await cli(['sql', 'select 1'], { env: { FIRN_URL: server.url, FIRN_TOKEN: '', FIRN_USER: 'cli_user' } });
    expect([half.code, half.stderr]).toEqual([1, 'firn: FIRN_USER is set but FIRN_PASSWORD is not: set both to log in with a password\n']);
  });
});

describe('firn warehouse', () => {
  /** The CSV lines of a command's output (header first). */
  const lines = (stdout: string) => stdout.trim().split('\n');
  const HEADER = 'name,state,size,started_clusters,running,queued,auto_suspend,auto_resume,workers_per_cluster';

  it('lists and creates warehouses, printing their state', async () => {
    const list = await cli(['warehouse', 'list', '--format', 'csv']);
    expect(list.code).toBe(0);
    expect(lines(list.stdout)).toEqual([HEADER, 'COMPUTE_WH,STARTED,XSMALL,1,0,0,600,true,1']);
    const created = await cli(['warehouse', 'create', 'etl_wh', '--size', 'small', '--format', 'csv']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(lines(created.stdout)).toEqual([HEADER, 'ETL_WH,STARTED,SMALL,1,0,0,600,true,2']);
    const plain = await cli(['warehouse', 'create', '"My WH"', '--format', 'csv']);
    expect(plain.code).toBe(0);
    expect(lines(plain.stdout)).toEqual([HEADER, 'My WH,STARTED,XSMALL,1,0,0,600,true,1']);
    expect(lines((await cli(['warehouse', 'list', '--format', 'csv'])).stdout).map((l) => l.split(',').slice(0, 3).join(' '))).toEqual([
      'name state size',
      'COMPUTE_WH STARTED XSMALL',
      'ETL_WH STARTED SMALL',
      'My WH STARTED XSMALL',
    ]);
    const again = await cli(['warehouse', 'create', 'etl_wh']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe("Error 002002 (42710): Object 'ETL_WH' already exists.\n");
  });

  it('resizes, suspends and resumes a warehouse, printing the resulting state', async () => {
    const resized = await cli(['warehouse', 'resize', 'etl_wh', 'x-small', '--format', 'csv']);
    expect([resized.code, resized.stderr]).toEqual([0, '']);
    expect(lines(resized.stdout)).toEqual([HEADER, 'ETL_WH,STARTED,XSMALL,1,0,0,600,true,1']);
    const suspended = await cli(['warehouse', 'suspend', '"My WH"', '--format', 'csv']);
    expect([suspended.code, suspended.stderr]).toEqual([0, '']);
    expect(lines(suspended.stdout)).toEqual([HEADER, 'My WH,SUSPENDED,XSMALL,0,0,0,600,true,1']);
    const twice = await cli(['warehouse', 'suspend', '"My WH"']);
    expect([twice.code, twice.stdout, twice.stderr]).toEqual([1, '', "Error 390503 (55000): Invalid state. Warehouse 'My WH' cannot be suspended.\n"]);
    const resumed = await cli(['warehouse', 'resume', '"My WH"', '--format', 'csv']);
    expect([resumed.code, resumed.stderr]).toEqual([0, '']);
    expect(lines(resumed.stdout)).toEqual([HEADER, 'My WH,STARTED,XSMALL,1,0,0,600,true,1']);
    const table = await cli(['warehouse', 'suspend', 'etl_wh']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('SUSPENDED');
    expect(table.stdout).toContain('1 row');
    const missing = await cli(['warehouse', 'resume', 'no_wh']);
    expect([missing.code, missing.stderr]).toEqual([1, "Error 002003 (02000): Warehouse 'NO_WH' does not exist or not authorized.\n"]);
  });

  it('rejects incomplete or malformed warehouse commands', async () => {
    for (const argv of [['warehouse'], ['warehouse', 'create'], ['warehouse', 'resize', 'w'], ['warehouse', 'drop', 'w'], ['warehouse', 'suspend', 'a;b'], ['warehouse', 'list', 'x']]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
    }
  });
});

describe('firn REPL', () => {
  it('runs piped statements in order, remembers USE, reports failures and exits 1', async () => {
    const input = "use schema s2;\nselect\n  v from here\n;\nselect oops;\n-- a comment only\nselect v from here";
    const r = await cli(['--format', 'csv'], { stdin: input });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error 000904 (42000): SQL compilation error: invalid identifier 'OOPS'\n");
    expect(r.stdout).toBe('status\nStatement executed successfully.\nV\nin S2\nV\nin S2\n');
  });

  it('exits 0 when every piped statement succeeds and stops at !quit', async () => {
    const r = await cli(['--format', 'csv'], { stdin: 'select v from here;\n!quit\ncreate table after_quit (x int);\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('V\nin PUBLIC\n');
    expect((await cli(['sql', 'select * from after_quit'])).code).toBe(1);
  });

  it('holds a transaction across statements (one login session): BEGIN, then COMMIT or ROLLBACK; LAST_QUERY_ID sees the earlier line', async () => {
    const input = [
      'create table txn_repl (x int);',
      'begin;',
      'insert into txn_repl values (1), (2);',
      'select count(*) as n from txn_repl;',
      'rollback;',
      'select count(*) as n from txn_repl;',
      'begin;',
      'insert into txn_repl values (3);',
      'commit;',
      'select x from txn_repl;',
      'select 42 as answer;',
      'select * from table(result_scan(last_query_id()));',
    ].join('\n');
    const r = await cli(['--format', 'csv'], { stdin: input });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const ok = 'status\nStatement executed successfully.\n';
    expect(r.stdout).toBe(
      `status\nTable TXN_REPL successfully created.\n${ok}number of rows inserted\n2\nN\n2\n${ok}N\n0\n${ok}number of rows inserted\n1\n${ok}X\n3\nANSWER\n42\nANSWER\n42\n`,
    );
  });

  it('rolls back a transaction a script leaves open when the command ends (it logs out)', async () => {
    await cli(['sql', 'create table txn_left (x int)']);
    const script = join(dir, 'left-open.sql');
    writeFileSync(script, 'begin;\ninsert into txn_left values (1);\nselect count(*) as n from txn_left;\n');
    const r = await cli(['sql', '-f', script, '--format', 'csv']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('status\nStatement executed successfully.\nnumber of rows inserted\n1\nN\n1\n');
    const after = await cli(['sql', 'select count(*) as n from txn_left', '--format', 'csv']);
    expect(after.stdout).toBe('N\n0\n');
  });

  it('stops piped input when the server is unreachable', async () => {
    const r = await cli([], { stdin: 'select 1;\nselect 2;\n', env: { FIRN_URL: deadUrl } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`cannot reach Firn at ${deadUrl} — is the server running? (npm start)\n`);
  });

  it('at a terminal: prompts with the context, keeps going after errors, saves history', async () => {
    await postStatement(server.url, "CREATE SCHEMA repl_s; CREATE TABLE repl_s.here (v VARCHAR); INSERT INTO repl_s.here VALUES ('in REPL_S')");
    const historyFile = join(dir, 'history');
    writeFileSync(historyFile, 'select old;\n');
    const stdin = new PassThrough();
    const out = collector();
    const err = collector();
    const done = runCli([], {
      stdout: out.stream,
      stderr: err.stream,
      stdin,
      interactive: true,
      env: { FIRN_URL: server.url, FIRN_HISTORY_FILE: historyFile, FIRN_TOKEN: TEST_ADMIN_TOKEN },
      homeDir: dir,
      cwd: dir,
    });
    const waitFor = async (pred: () => boolean) => {
      for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(pred()).toBe(true);
    };
    await waitFor(() => out.text().includes('firn> '));
    stdin.write('use schema\r');
    await waitFor(() => out.text().includes('   -> '));
    stdin.write(' repl_s;\r');
    await waitFor(() => out.text().includes('FIRN.REPL_S> '));
    stdin.write('select nope;\r');
    await waitFor(() => err.text().includes('Error 000904'));
    stdin.write('select half\r');
    await waitFor(() => out.text().endsWith('          -> \x1b[14G'));
    stdin.write('\x03');
    stdin.write('select v from here;\r');
    await waitFor(() => out.text().includes('| in REPL_S |'));
    stdin.write('!quit\r');
    expect(await done).toBe(1);
    expect(err.text()).toBe("Error 000904 (42000): SQL compilation error: invalid identifier 'NOPE'\n");
    expect(readFileSync(historyFile, 'utf8')).toBe('select old;\nuse schema repl_s;\nselect nope;\nselect v from here;\n');
  });

  it('at a terminal: Ctrl-C while a statement runs cancels it on the server, erases the progress line and gives the prompt back', async () => {
    await postStatement(
      server.url,
      `CREATE TABLE digits (v INT); INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
       CREATE TABLE many AS SELECT a.v * 10000 + b.v * 1000 + c.v * 100 + d.v * 10 + e.v AS v FROM digits a, digits b, digits c, digits d, digits e`,
    );
    const stdin = new PassThrough();
    const out = collector();
    const err = collector();
    const done = runCli([], {
      stdout: out.stream,
      stderr: err.stream,
      stdin,
      interactive: true,
      progress: true,
      env: { FIRN_URL: server.url, FIRN_HISTORY_FILE: join(dir, 'history-cancel'), FIRN_TOKEN: TEST_ADMIN_TOKEN },
      homeDir: dir,
      cwd: dir,
    });
    const waitFor = async (pred: () => boolean) => {
      for (let i = 0; i < 2000 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(pred(), JSON.stringify({ out: out.text(), err: err.text() })).toBe(true);
    };
    await waitFor(() => out.text().includes('firn> '));
    // 10^10 pairs: it runs until canceled.
    stdin.write('select count(*) from many a cross join many b where a.v <> b.v;\r');
    await waitFor(() => err.text().includes('\rRunning '));
    stdin.write('\x03');
    await waitFor(() => err.text().includes('Error 000604'));
    expect(err.text().endsWith('\r\x1b[KError 000604 (57014): SQL execution canceled\n')).toBe(true);
    stdin.write('select 7 as seven;\r');
    await waitFor(() => out.text().includes('|     7 |'));
    stdin.write('!quit\r');
    expect(await done).toBe(1);
    const history = await postStatement(server.url, "SELECT execution_status, error_code FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE query_text = 'select count(*) from many a cross join many b where a.v <> b.v'");
    expect(history.data).toEqual([['FAIL', '000604']]);
  });
});
