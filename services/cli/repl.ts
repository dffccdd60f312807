/**
 * The interactive `firn` shell (bare `firn`): statements end with ';' and may span lines,
 * the prompt shows the session context (FIRN.PUBLIC>), USE sticks because the context the
 * server returns is sent with the next statement.
 *
 * Contract: at a terminal, history persists in the history file (one statement per line)
 * and errors never end the session; !quit, .exit or Ctrl-D leave, Ctrl-C drops the
 * statement being typed. While a statement runs, its progress shows on a terminal and Ctrl-C
 * (or a SIGINT sent to the process, piped input or not) cancels it on the server: its error
 * (000604) prints and the next statement, or the prompt, follows. With piped input every statement runs in order (a last one
 * without ';' included), nothing is prompted, and the result is 1 if any statement failed
 * (the run stops at once when the server cannot be reached or refuses the credentials), else 0.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SessionContext } from '../session/statement-result.js';
import type { CliIo } from './cli-io.js';
import type { FirnClient } from './firn-client.js';
import { isOutputFormat, printOutcome, type OutputFormat } from './print-result.js';
import { runStatement } from './run-statement.js';
import { splitStatements } from './split-statements.js';
import { StatementWatcher } from './watch-statement.js';

export type ReplOptions = {
  client: FirnClient;
  io: CliIo;
  format: OutputFormat;
  /** Where history persists at a terminal; null keeps it in memory only. */
  historyFile: string | null;
};

const HISTORY_SIZE = 1000;
const EXIT_COMMANDS = new Set(['!quit', '!exit', '.exit', '.quit']);

const HELP = `Statements end with ';' and may span several lines.
  !format table|json|csv   change the output format
  !help                    this help
  !quit, .exit, Ctrl-D     leave
  Ctrl-C                   discard the statement being typed; cancel the one running
`;

function loadHistory(file: string | null): string[] {
  if (!file) return [];
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    return lines.slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string | null, statement: string): void {
  if (!file) return;
  try {
    appendFileSync(file, `${statement.replace(/\s*[\r\n]+\s*/g, ' ')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience; an unwritable file must not break the session.
  }
}

export async function runRepl(opts: ReplOptions): Promise<number> {
  const { client, io } = opts;
  const interactive = io.interactive;
  let format = opts.format;
  let context: SessionContext = { database: null, schema: null, warehouse: null };
  let buffer = '';
  let failed = false;

  const mainPrompt = () => {
    const where = context.database ? (context.schema ? `${context.database}.${context.schema}` : context.database) : 'firn';
    return `${where}> `;
  };
  const prompt = () => {
    if (buffer === '') return mainPrompt();
    const p = mainPrompt();
    return `${' '.repeat(Math.max(0, p.length - 3))}-> `;
  };

  const rl = createInterface({
    input: io.stdin,
    output: interactive ? io.stdout : undefined,
    terminal: interactive,
    history: interactive ? loadHistory(opts.historyFile) : [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    prompt: mainPrompt(),
  });
  const showPrompt = () => {
    if (!interactive) return;
    rl.setPrompt(prompt());
    rl.prompt();
  };
  const watcher = new StatementWatcher(io);
  rl.on('SIGINT', () => {
    // Ctrl-C while a statement runs cancels it; its error and the prompt follow when it ends.
    if (watcher.abort()) return;
    rl.write(null, { ctrl: true, name: 'u' });
    io.stdout.write(buffer === '' ? '\n(type !quit or press Ctrl-D to leave)\n' : '\n');
    buffer = '';
    showPrompt();
  });

  /** Runs one statement; false when the session cannot go on. */
  const run = async (statement: string): Promise<boolean> => {
    if (interactive) saveHistory(opts.historyFile, `${statement};`);
    const ran = await watcher.watching((watch) => runStatement(client, statement, context, watch));
    const outcome = ran.outcome;
    context = ran.context;
    if (!printOutcome(outcome, format, io.stdout, io.stderr)) failed = true;
    return interactive || (outcome.kind !== 'unreachable' && outcome.kind !== 'unauthenticated');
  };

  /** Handles a !command; false when it asks to leave. */
  const command = (line: string): boolean => {
    const [name = '', arg] = line.replace(/;$/, '').trim().split(/\s+/);
    if (EXIT_COMMANDS.has(name)) return false;
    if (name === '!help' || name === '.help') {
      io.stdout.write(HELP);
    } else if (name === '!format' || name === '.format') {
      if (arg && isOutputFormat(arg)) format = arg;
      else io.stderr.write(`!format takes table, json or csv (now ${format})\n`);
    } else {
      io.stderr.write(`unknown command ${name} (!help lists them)\n`);
    }
    return true;
  };

  if (interactive) {
    io.stdout.write(`Firn at ${client.baseUrl}. End statements with ';'. !help for help, !quit or Ctrl-D to leave.\n`);
  }
  showPrompt();
  let goOn = true;
  let quit = false;
  for await (const line of rl) {
    const trimmed = line.trim();
    if (buffer === '' && (trimmed.startsWith('!') || /^\.(exit|quit|help|format)\b/.test(trimmed))) {
      quit = !command(trimmed);
      if (quit) break;
      showPrompt();
      continue;
    }
    buffer = buffer === '' ? line : `${buffer}\n${line}`;
    const split = splitStatements(buffer);
    buffer = split.rest;
    for (const statement of split.statements) {
      goOn = await run(statement);
      if (!goOn) break;
    }
    if (!goOn) break;
    showPrompt();
  }
  rl.close();
  if (goOn && !quit && splitStatements(buffer).restHasCode) await run(buffer.trim());
  // Ctrl-D leaves the cursor after the prompt.
  if (interactive && !quit) io.stdout.write('\n');
  return failed ? 1 : 0;
}
