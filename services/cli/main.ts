/**
 * The `firn` command line: `firn sql "<SQL>"`, `firn sql -f script.sql`, `firn warehouse ...`,
 * and a REPL when run bare, all talking to the server at FIRN_URL (default http://127.0.0.1:8080).
 *
 * Contract: runCli(argv, io) never calls process.exit and returns the exit code: 0 when
 * every statement succeeded, 1 when one failed or the server could not be reached, 2 for a
 * bad command line. bin/firn.js runs it with processIo().
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RequestError } from '../../storage/errors/firn-error.js';
import type { SessionContext } from '../session/statement-result.js';
import type { CliIo } from './cli-io.js';
import { DEFAULT_URL, FirnClient } from './firn-client.js';
import { CredentialsError, resolveCredentials } from './resolve-credentials.js';
import { isOutputFormat, printOutcome, type OutputFormat } from './print-result.js';
import { runRepl } from './repl.js';
import { runStatement } from './run-statement.js';
import { splitStatements } from './split-statements.js';
import { StatementWatcher } from './watch-statement.js';
import { runWarehouseCommand } from './warehouse-command.js';

export { processIo } from './cli-io.js';

export const HELP = `firn — command line client for the Firn warehouse

Usage:
  firn                                   interactive SQL shell (reads statements from stdin when piped)
  firn sql "<SQL>" [--format F]          run one or more ';'-separated statements and print the results
  firn sql -f script.sql [--format F]    run the statements of a file
  firn put <local file or glob>... @stage[/path] [AUTO_COMPRESS=FALSE] [OVERWRITE=TRUE] [PARALLEL=n]
                                         upload files to an internal stage (gzipped unless compressed already)
  firn get @stage[/path] <local dir> [PATTERN='<regex>'] [PARALLEL=n]
                                         download a stage's files
  firn warehouse list                    every warehouse's state (from SHOW WAREHOUSES)
  firn warehouse create <name> [--size S]
  firn warehouse resize <name> <size>    waits until the new workers are up
  firn warehouse suspend <name>
  firn warehouse resume <name>           each prints the warehouse's resulting state
  firn --help

Options:
  -f, --file PATH               read the SQL from a file (firn sql -f script.sql)
      --format table|json|csv   output format (default table); json prints one line per
                                statement, the array of its rows (JSON Lines), csv ends lines with \n
      --url URL                 server to talk to (default $FIRN_URL or ${DEFAULT_URL})
  -h, --help                    show this help

Environment:
  FIRN_URL            server URL (default: the url in the credentials file, else ${DEFAULT_URL})
  FIRN_TOKEN          a programmatic access token to authenticate with
  FIRN_USER, FIRN_PASSWORD
                      or log in with a user name and password
  FIRN_HOME           else the credentials the server wrote to $FIRN_HOME/credentials
                      (default ./.firn: run firn where you ran npm start)
  FIRN_HISTORY_FILE   REPL history file (default ~/.firn_history)
  FIRN_PROGRESS       always|never: show a running statement's progress on stderr
                      (default: only when stderr is a terminal)

While a statement runs, Ctrl-C cancels it (Error 000604); in the shell you get the prompt back.
(A second Ctrl-C while a firn sql cancel is under way quits at once.)

Exit status: 0 success, 1 a statement failed, the server is unreachable or refused the
credentials (or none were found), 2 bad usage.
`;

type Parsed = { positionals: string[]; format: OutputFormat; file?: string; url?: string; size?: string; help: boolean };

const OPTION = /^--?[A-Za-z][\w-]*(=[\s\S]*)?$/;

function usage(message: string): RequestError {
  return new RequestError('BAD_REQUEST', message);
}

function parseArgs(argv: string[]): Parsed {
  const parsed: Parsed = { positionals: [], format: 'table', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!OPTION.test(arg)) {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw usage(`option ${name} needs a value`);
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        parsed.help = true;
        break;
      case '-f':
      case '--file':
        parsed.file = value();
        break;
      case '--format': {
        const f = value();
        if (!isOutputFormat(f)) throw usage(`unknown format '${f}': use table, json or csv`);
        parsed.format = f;
        break;
      }
      case '--url':
        parsed.url = value();
        break;
      case '--size':
        parsed.size = value();
        break;
      default:
        throw usage(`unknown option ${name}`);
    }
  }
  return parsed;
}

/** --url, FIRN_URL, the credentials file's url, the default: the first given. */
function serverUrl(parsed: Parsed, io: CliIo, saved: string | null): string {
  const raw = parsed.url ?? io.env.FIRN_URL ?? saved ?? DEFAULT_URL;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw usage(`invalid server URL '${raw}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usage(`server URL must be http(s): '${raw}'`);
  return raw;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

/** The SQL of `firn sql -f FILE` (relative to the working directory); an unreadable file is bad usage. */
async function readScript(file: string, io: CliIo): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw usage(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Runs ';'-separated statements in order, keeping the session context; stops at the first
 * failure. Each shows its progress on a terminal, and Ctrl-C cancels it (a failure: exit 1).
 */
async function runStatements(client: FirnClient, sql: string, format: OutputFormat, io: CliIo): Promise<number> {
  const split = splitStatements(sql);
  const statements = split.restHasCode ? [...split.statements, split.rest.trim()] : split.statements;
  if (statements.length === 0) throw usage('no SQL statement given');
  let context: SessionContext = { database: null, schema: null, warehouse: null };
  const watcher = new StatementWatcher(io);
  for (const statement of statements) {
    const ran = await watcher.watching((watch) => runStatement(client, statement, context, watch));
    if (!printOutcome(ran.outcome, format, io.stdout, io.stderr)) return 1;
    context = ran.context;
  }
  return 0;
}

/** `firn put <files>... @stage [options]` / `firn get @stage <dir> [options]` as PUT / GET statements. */
function transferStatements(command: 'put' | 'get', args: string[]): string[] {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const at = args.findIndex((a) => a.startsWith('@'));
  if (command === 'put') {
    if (at < 1) throw usage('firn put needs local files and then a stage location: firn put data.csv @mystage');
    return args.slice(0, at).map((file) => [`PUT ${quote(`file://${file}`)} ${quote(args[at])}`, ...args.slice(at + 1)].join(' '));
  }
  if (at !== 0 || args.length < 2) throw usage('firn get needs a stage location and then a local directory: firn get @mystage/data/ ./out');
  return [[`GET ${quote(args[0])} ${quote(`file://${args[1]}`)}`, ...args.slice(2)].join(' ')];
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (parsed.help || parsed.positionals[0] === 'help') {
      io.stdout.write(HELP);
      return 0;
    }
    const { credentials, url } = resolveCredentials(io.env, io.cwd);
    const client = new FirnClient(serverUrl(parsed, io, url), credentials, io.fetch, { session: true });
    const [command, ...rest] = parsed.positionals;
    // One login session for the whole command, logged out at the end (an open transaction rolls back).
    try {
      switch (command) {
        case undefined:
          return await runRepl({
            client,
            io,
            format: parsed.format,
            historyFile: io.env.FIRN_HISTORY_FILE || join(io.homeDir, '.firn_history'),
          });
        case 'sql': {
          if (parsed.file !== undefined) {
            if (rest.length > 0) throw usage('give the SQL either as an argument or with -f FILE, not both');
            return await runStatements(client, await readScript(parsed.file, io), parsed.format, io);
          }
          let sql = rest.join(' ');
          if (sql.trim() === '' && !io.interactive) sql = await readAll(io.stdin);
          return await runStatements(client, sql, parsed.format, io);
        }
        case 'warehouse':
          return await runWarehouseCommand(client, rest, { size: parsed.size }, parsed.format, io);
        case 'put':
        case 'get':
          return await runStatements(client, transferStatements(command, rest).join(';\n'), parsed.format, io);
        default:
          throw usage(`unknown command '${command}'`);
      }
    } finally {
      await client.close();
    }
  } catch (err) {
    if (err instanceof RequestError) {
      io.stderr.write(`firn: ${err.message}\nRun 'firn --help' for usage.\n`);
      return 2;
    }
    if (err instanceof CredentialsError) {
      io.stderr.write(`firn: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
