/**
 * The outside world of the CLI in one object, so runCli can be driven by tests with
 * in-memory streams and by bin/firn.js with the real process.
 *
 * Progress: a running statement's progress line is drawn on stderr only when stderr is a
 * terminal; FIRN_PROGRESS=always or never overrides that decision (for tests, and for a
 * terminal that should stay quiet). Interrupts: onInterrupt subscribes to SIGINT (Ctrl-C at a
 * terminal not in raw mode, or a signal sent to the process) while a statement runs, so it is
 * canceled instead of the process ending; unsubscribed, SIGINT ends the process as usual.
 */
import { homedir } from 'node:os';

export type CliIo = {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** A person at a terminal: prompts, line editing and history are on. */
  interactive: boolean;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** The working directory: where ./.firn/credentials is looked for (resolve-credentials.ts). */
  cwd: string;
  fetch?: typeof fetch;
  /** Draw a progress line on stderr while statements run (stderr is a terminal). */
  progress?: boolean;
  /** stderr's width in columns, when it is a terminal. */
  columns?: () => number | undefined;
  /** Calls `handler` on each SIGINT until the returned function is called. */
  onInterrupt?: (handler: () => void) => () => void;
};

/** FIRN_PROGRESS=always|never, else whether stderr is a terminal. */
export function wantsProgress(env: Record<string, string | undefined>, stderrIsTty: boolean): boolean {
  const forced = env.FIRN_PROGRESS?.toLowerCase();
  if (forced === 'always') return true;
  if (forced === 'never') return false;
  return stderrIsTty;
}

export function processIo(): CliIo {
  // `firn sql ... | head` closes stdout early; that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    env: process.env,
    homeDir: homedir(),
    cwd: process.cwd(),
    progress: wantsProgress(process.env, Boolean(process.stderr.isTTY)),
    columns: () => (process.stderr.isTTY ? process.stderr.columns : undefined),
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => {
        process.off('SIGINT', handler);
      };
    },
  };
}
