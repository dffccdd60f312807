/**
 * The outside world of the CLI in one object, so runCli can be driven by tests with
 * in-memory streams and by bin/firn.js with the real process.
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
};

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
  };
}
