import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import type { StatementRequest, StatementResult, StatementRunner } from '../session/statement-result.js';
import { startHttpServer, type HttpServer } from '../server/http-server.js';
import type { CliIo } from './cli-io.js';
import { runCli } from './main.js';

function textColumn(name: string, values: string[]): { column: Column; vector: Vector } {
  return {
    column: { name, type: Types.varchar, nullable: false },
    vector: { kind: 'str', length: values.length, codes: Int32Array.from(values.map((_, i) => i)), dict: values, nulls: null },
  };
}

/** Runs a few fixed statements over hand-built batches; USE SCHEMA changes the context. */
class FixtureRunner implements StatementRunner {
  readonly requests: StatementRequest[] = [];
  async execute(req: StatementRequest): Promise<StatementResult> {
    this.requests.push(req);
    let context = {
      database: req.context.database ?? 'FIRN',
      schema: req.context.schema ?? 'PUBLIC',
      warehouse: req.context.warehouse ?? 'COMPUTE_WH',
    };
    const stats = { partitionsTotal: 4, partitionsScanned: 1, bytesScanned: 10, cacheHitRatio: 1, elapsedMs: 7.4, warehouse: context.warehouse, partitionedJoins: 0 };
    const sql = req.sql.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();
    const upper = sql.toUpperCase();
    const single = (name: string, values: string[]): StatementResult => {
      const { column, vector } = textColumn(name, values);
      return { queryId: req.queryId, columns: [column], batch: { length: values.length, columns: [vector] }, stats, context };
    };
    if (upper === 'SELECT * FROM ALLTYPES') return this.allTypes(req.queryId, stats, context);
    if (upper === 'SELECT * FROM EMPTY') {
      return { ...single('X', []), columns: [{ name: 'X', type: Types.number(38, 0), nullable: true }], batch: { length: 0, columns: [{ kind: 'f64', length: 0, values: new Float64Array(0), nulls: null }] } };
    }
    const use = /^USE SCHEMA (.+)$/i.exec(sql);
    if (use) {
      const name = use[1]!.trim();
      context = { ...context, schema: name.startsWith('"') ? name.slice(1, -1) : name.toUpperCase() };
      return single('status', ['Statement executed successfully.']);
    }
    if (upper === 'SELECT CURRENT_SCHEMA()') return single('CURRENT_SCHEMA()', [context.schema]);
    if (/^(SHOW|CREATE|ALTER) WAREHOUSE/.test(upper)) return single('status', [`ran: ${sql}`]);
    throw new SqlSyntaxError(`unexpected '${sql.split(/\s+/)[1] ?? sql}'`, { line: 1, column: 7 });
  }

  private allTypes(queryId: string, stats: StatementResult['stats'], context: StatementResult['context']): StatementResult {
    const columns: Column[] = [
      { name: 'ID', type: Types.number(38, 0), nullable: false },
      { name: 'PRICE', type: Types.number(10, 2), nullable: true },
      { name: 'BIG', type: Types.number(38, 0), nullable: true },
      { name: 'RATIO', type: Types.float, nullable: true },
      { name: 'OK', type: Types.boolean, nullable: true },
      { name: 'DAY', type: Types.date, nullable: true },
      { name: 'AT', type: Types.timestampNtz, nullable: true },
      { name: 'NAME', type: Types.varchar, nullable: true },
    ];
    const nulls = (...b: number[]) => Uint8Array.from(b);
    const batch: Batch = {
      length: 3,
      columns: [
        { kind: 'f64', length: 3, values: Float64Array.from([1, 2, 10]), nulls: null },
        { kind: 'f64', length: 3, values: Float64Array.from([1999, -5, 0]), nulls: nulls(0, 0, 1) },
        { kind: 'dec', length: 3, values: [123456789012345678901234567890n, 42n, 0n], nulls: nulls(0, 0, 1) },
        { kind: 'f64', length: 3, values: Float64Array.from([1.5, NaN, 0]), nulls: nulls(0, 0, 1) },
        { kind: 'bool', length: 3, values: Uint8Array.from([1, 0, 0]), nulls: nulls(0, 0, 1) },
        { kind: 'i32', length: 3, values: Int32Array.from([19876, 0, 0]), nulls: nulls(0, 0, 1) },
        { kind: 'ts', length: 3, secs: Float64Array.from([1_717_245_296, 0, 0]), nanos: Int32Array.from([789_000_000, 0, 0]), nulls: nulls(0, 0, 1) },
        { kind: 'str', length: 3, codes: Int32Array.from([0, 1, 2]), dict: ['plain', 'has, "quotes"', ''], nulls: null },
      ],
    };
    return { queryId, columns, batch, stats, context };
  }
}

const runner = new FixtureRunner();
let server: HttpServer;
let deadUrl: string;
const home = mkdtempSync(join(tmpdir(), 'firn-cli-'));

beforeAll(async () => {
  server = await startHttpServer({ runner, host: '127.0.0.1', port: 0 });
  const dead = await startHttpServer({ runner, host: '127.0.0.1', port: 0 });
  deadUrl = dead.url;
  await dead.close();
});
afterAll(async () => {
  await server.close();
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

async function cli(argv: string[], opts: { stdin?: string; env?: Record<string, string>; fetch?: typeof fetch } = {}) {
  const out = collector();
  const err = collector();
  const io: CliIo = {
    stdout: out.stream,
    stderr: err.stream,
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    interactive: false,
    env: opts.env ?? { FIRN_URL: server.url },
    homeDir: home,
    fetch: opts.fetch,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('firn sql', () => {
  it('prints an aligned table with NULLs, readable dates and a footer', async () => {
    const r = await cli(['sql', 'select * from alltypes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '+----+-------+--------------------------------+-------+-------+------------+-------------------------+---------------+',
        '| ID | PRICE |                            BIG | RATIO | OK    | DAY        | AT                      | NAME          |',
        '|----+-------+--------------------------------+-------+-------+------------+-------------------------+---------------|',
        '|  1 | 19.99 | 123456789012345678901234567890 |   1.5 | true  | 2024-06-02 | 2024-06-01 12:34:56.789 | plain         |',
        '|  2 | -0.05 |                             42 |   NaN | false | 1970-01-01 | 1970-01-01 00:00:00.000 | has, "quotes" |',
        '| 10 |  NULL |                           NULL |  NULL | NULL  | NULL       | NULL                    |               |',
        '+----+-------+--------------------------------+-------+-------+------------+-------------------------+---------------+',
        '3 rows (7 ms, partitions scanned 1/4)',
        '',
      ].join('\n'),
    );
  });

  it('prints typed JSON objects keyed by column name', async () => {
    const r = await cli(['sql', 'select * from alltypes', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { ID: 1, PRICE: 19.99, BIG: '123456789012345678901234567890', RATIO: 1.5, OK: true, DAY: '2024-06-02', AT: '2024-06-01 12:34:56.789', NAME: 'plain' },
      { ID: 2, PRICE: -0.05, BIG: 42, RATIO: 'NaN', OK: false, DAY: '1970-01-01', AT: '1970-01-01 00:00:00.000', NAME: 'has, "quotes"' },
      { ID: 10, PRICE: null, BIG: null, RATIO: null, OK: null, DAY: null, AT: null, NAME: '' },
    ]);
  });

  it('prints RFC 4180 CSV with a header', async () => {
    const r = await cli(['sql', '--format=csv', 'select * from alltypes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'ID,PRICE,BIG,RATIO,OK,DAY,AT,NAME\r\n' +
        '1,19.99,123456789012345678901234567890,1.5,true,2024-06-02,2024-06-01 12:34:56.789,plain\r\n' +
        '2,-0.05,42,NaN,false,1970-01-01,1970-01-01 00:00:00.000,"has, ""quotes"""\r\n' +
        '10,,,,,,,""\r\n',
    );
  });

  it('prints an empty result with its header and 0 rows', async () => {
    const r = await cli(['sql', 'select * from empty']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('+---+\n| X |\n|---|\n+---+\n0 rows (7 ms, partitions scanned 1/4)\n');
    expect((await cli(['sql', 'select * from empty', '-f', 'json'])).stdout).toBe('[]\n');
  });

  it("runs ';'-separated statements one by one, keeping the context (USE)", async () => {
    const r = await cli(['sql', "use schema s2; select current_schema() -- it's S2;\n"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| S2               |');
    const last = runner.requests.at(-1)!;
    expect(last.sql).toBe("select current_schema() -- it's S2;");
    expect(last.context).toEqual({ database: 'FIRN', schema: 'S2', warehouse: 'COMPUTE_WH' });
    const quoted = await cli(['sql', 'use schema "Low er"; select current_schema()', '--format', 'csv']);
    expect(quoted.stdout).toContain('\r\nLow er\r\n');
    expect(runner.requests.at(-1)!.context.schema).toBe('Low er');
  });

  it('prints errors as "Error <code> (<sqlState>): <message>" and exits 1 at the first failure', async () => {
    const before = runner.requests.length;
    const r = await cli(['sql', 'select bad; select current_schema()']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error 001003 (42000): SQL compilation error: syntax error line 1 at position 7: unexpected 'bad'\n");
    expect(r.stdout).toBe('');
    expect(runner.requests.length).toBe(before + 1);
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
    const r = await cli(['sql'], { stdin: 'select current_schema()' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PUBLIC');
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

describe('firn warehouse', () => {
  it('maps each action to its SQL statement', async () => {
    const cases: [string[], string][] = [
      [['warehouse', 'list'], 'SHOW WAREHOUSES'],
      [['warehouse', 'create', 'etl_wh', '--size', 'small'], 'CREATE WAREHOUSE etl_wh WAREHOUSE_SIZE = SMALL'],
      [['warehouse', 'create', 'etl_wh'], 'CREATE WAREHOUSE etl_wh'],
      [['warehouse', 'resize', 'etl_wh', 'x-large'], "ALTER WAREHOUSE etl_wh SET WAREHOUSE_SIZE = 'X-LARGE'"],
      [['warehouse', 'suspend', '"My WH"'], 'ALTER WAREHOUSE "My WH" SUSPEND'],
      [['warehouse', 'resume', 'etl_wh'], 'ALTER WAREHOUSE etl_wh RESUME'],
    ];
    for (const [argv, sql] of cases) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(runner.requests.at(-1)!.sql).toBe(sql);
      expect(r.stdout).toContain(`ran: ${sql}`);
    }
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
    const input = "use schema s3;\nselect\n  current_schema()\n;\nselect oops;\n-- a comment only\nselect current_schema()";
    const r = await cli([], { stdin: input });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error 001003 (42000): SQL compilation error: syntax error line 1 at position 7: unexpected 'oops'\n");
    expect(r.stdout.match(/\| S3 {15}\|/g)).toHaveLength(2);
    expect(r.stdout).not.toContain('> ');
    expect(runner.requests.at(-1)!.context.schema).toBe('S3');
  });

  it('exits 0 when every piped statement succeeds and stops at !quit', async () => {
    const before = runner.requests.length;
    const r = await cli(['--format', 'csv'], { stdin: 'select current_schema();\n!quit\nselect current_schema();\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('CURRENT_SCHEMA()\r\nPUBLIC\r\n');
    expect(runner.requests.length).toBe(before + 1);
  });

  it('stops piped input when the server is unreachable', async () => {
    const r = await cli([], { stdin: 'select 1;\nselect 2;\n', env: { FIRN_URL: deadUrl } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`cannot reach Firn at ${deadUrl} — is the server running? (npm start)\n`);
  });

  it('at a terminal: prompts with the context, keeps going after errors, saves history', async () => {
    const historyFile = join(home, 'history');
    writeFileSync(historyFile, 'select old;\n');
    const stdin = new PassThrough();
    const out = collector();
    const err = collector();
    const done = runCli([], {
      stdout: out.stream,
      stderr: err.stream,
      stdin,
      interactive: true,
      env: { FIRN_URL: server.url, FIRN_HISTORY_FILE: historyFile },
      homeDir: home,
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
    await waitFor(() => err.text().includes('Error 001003'));
    stdin.write('select half\r');
    await waitFor(() => out.text().endsWith('          -> \x1b[14G'));
    stdin.write('\x03');
    stdin.write('select current_schema();\r');
    await waitFor(() => out.text().includes('| REPL_S           |'));
    stdin.write('!quit\r');
    expect(await done).toBe(1);
    expect(err.text()).toBe("Error 001003 (42000): SQL compilation error: syntax error line 1 at position 7: unexpected 'nope'\n");
    expect(readFileSync(historyFile, 'utf8')).toBe('select old;\nuse schema repl_s;\nselect nope;\nselect current_schema();\n');
  });
});
