/**
 * `firn warehouse list|create|resize|suspend|resume`: the SQL statement each stands for, so
 * warehouse management goes through the same statement path (and errors) as `firn sql`, then
 * the resulting state: the warehouse's row of SHOW WAREHOUSES (every warehouse for `list`) in
 * the columns that say what it is doing — name, state, size, started_clusters, running, queued,
 * auto_suspend, auto_resume, and the workers a cluster runs.
 *
 * Contract: `runWarehouseCommand` answers the exit status (0 ok, 1 the server refused the
 * statement, printed as every CLI error is), or throws a RequestError (BAD_REQUEST) whose
 * message tells the user what is wrong with the command line. Names must be identifiers
 * (plain, or already "quoted"); sizes are words like XSMALL or X-SMALL.
 */
import { RequestError } from '../../storage/errors/firn-error.js';
import type { JsonV2ResultSet } from '../result/encode-jsonv2.js';
import type { CliIo } from './cli-io.js';
import type { FirnClient } from './firn-client.js';
import { printOutcome, type OutputFormat } from './print-result.js';
import { runStatement } from './run-statement.js';
import { StatementWatcher } from './watch-statement.js';

function usage(message: string): RequestError {
  return new RequestError('BAD_REQUEST', message);
}

const PLAIN_IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const QUOTED_IDENT = /^"(?:[^"]|"")+"$/;

function ident(name: string | undefined, what: string): string {
  if (name === undefined) throw usage(`missing ${what}`);
  if (PLAIN_IDENT.test(name) || QUOTED_IDENT.test(name)) return name;
  throw usage(`invalid ${what} '${name}': use letters, digits, _ and $, or a "quoted" name`);
}

function size(s: string | undefined): string {
  if (s === undefined) throw usage('missing warehouse size (e.g. XSMALL, SMALL, MEDIUM, LARGE)');
  if (/^[A-Za-z0-9_]+$/.test(s)) return s.toUpperCase();
  if (/^[A-Za-z0-9_-]+$/.test(s)) return `'${s.toUpperCase()}'`;
  throw usage(`invalid warehouse size '${s}'`);
}

/** The statement a command stands for (null for `list`) and the warehouse whose state follows (null: all). */
function warehouseSql(args: string[], opts: { size?: string }): { sql: string | null; name: string | null } {
  const [action, name, extra] = args;
  const expectArgs = (n: number) => {
    if (args.length > n) throw usage(`too many arguments for 'warehouse ${action}'`);
  };
  switch (action) {
    case 'list':
      expectArgs(1);
      return { sql: null, name: null };
    case 'create': {
      expectArgs(2);
      const wh = ident(name, 'warehouse name');
      return { sql: opts.size === undefined ? `CREATE WAREHOUSE ${wh}` : `CREATE WAREHOUSE ${wh} WAREHOUSE_SIZE = ${size(opts.size)}`, name: wh };
    }
    case 'resize': {
      expectArgs(3);
      const wh = ident(name, 'warehouse name');
      return { sql: `ALTER WAREHOUSE ${wh} SET WAREHOUSE_SIZE = ${size(extra ?? opts.size)} WAIT_FOR_COMPLETION = TRUE`, name: wh };
    }
    case 'suspend': {
      expectArgs(2);
      const wh = ident(name, 'warehouse name');
      return { sql: `ALTER WAREHOUSE ${wh} SUSPEND`, name: wh };
    }
    case 'resume': {
      expectArgs(2);
      const wh = ident(name, 'warehouse name');
      return { sql: `ALTER WAREHOUSE ${wh} RESUME`, name: wh };
    }
    case undefined:
      throw usage('missing warehouse action: list, create, resize, suspend or resume');
    default:
      throw usage(`unknown warehouse action '${action}': use list, create, resize, suspend or resume`);
  }
}

/** The columns of SHOW WAREHOUSES the CLI prints. */
const STATE_COLUMNS = ['name', 'state', 'size', 'started_clusters', 'running', 'queued', 'auto_suspend', 'auto_resume', 'workers_per_cluster'];

/** The catalog name an identifier stands for: a plain one upper-cased, a "quoted" one as written. */
function catalogName(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replaceAll('""', '"') : ident.toUpperCase();
}

/** `result` with only STATE_COLUMNS, and only the row of `name` when given. */
function stateView(result: JsonV2ResultSet, name: string | null): JsonV2ResultSet {
  const rowType = result.resultSetMetaData.rowType;
  const cols = STATE_COLUMNS.map((c) => rowType.findIndex((t) => t.name === c)).filter((i) => i >= 0);
  const nameCol = rowType.findIndex((t) => t.name === 'name');
  const rows = result.data.filter((row) => name === null || row[nameCol] === name).map((row) => cols.map((i) => row[i]));
  return {
    ...result,
    resultSetMetaData: { ...result.resultSetMetaData, numRows: rows.length, rowType: cols.map((i) => rowType[i]) },
    data: rows,
  };
}

export async function runWarehouseCommand(client: FirnClient, args: string[], opts: { size?: string }, format: OutputFormat, io: CliIo): Promise<number> {
  const { sql, name } = warehouseSql(args, opts);
  const context = { database: null, schema: null, warehouse: null };
  if (sql !== null) {
    // A resize waits for its workers: it shows progress and Ctrl-C cancels it, as any statement.
    const done = await new StatementWatcher(io).watching((watch) => runStatement(client, sql, context, watch));
    if (done.outcome.kind !== 'ok') {
      printOutcome(done.outcome, format, io.stdout, io.stderr);
      return 1;
    }
  }
  const shown = await client.execute('SHOW WAREHOUSES', context);
  const view = shown.kind === 'ok' ? { ...shown, result: stateView(shown.result, name === null ? null : catalogName(name)) } : shown;
  return printOutcome(view, format, io.stdout, io.stderr) ? 0 : 1;
}
