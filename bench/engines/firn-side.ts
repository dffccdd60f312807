/**
 * The Firn half of a benchmark: a real Firn server in its own process (the `npm start`
 * entry, via test/support/firn-process.ts), driven over its SQL API like any client, as ADMIN
 * (the FIRN_ADMIN_TOKEN firn-process.ts starts it with, which postStatement sends).
 *
 * Contract: FirnSide.start(home, env) wipes `home`, starts the server there (with the folder
 * holding `home` as its FIRN_LOAD_ROOTS: withLoadRoot) and resolves once
 * it is healthy; FirnSide.restart(home, env) starts one on the data already in `home`, with its
 * warehouse caches ($FIRN_HOME/cache) removed first, so nothing is cached (a cold start).
 * exec(sql, warehouse?) posts one statement with `warehouse`, else the current warehouse, in the request
 * context and returns the wall-clock time the bench process waited, the rows as canonical
 * answer in canonical form (compare-results.ts) and the server's stats; a failed statement rejects with
 * StatementFailure, a failed request (connection lost, server gone) with a FirnError
 * STORAGE_IO saying why and whether the server process exited. A `USE WAREHOUSE` answer updates the warehouse sent from then on.
 * peakRssBytes() is the server process's VmHWM (Linux /proc), or null elsewhere.
 * bytesSpilled(stats) reads a statement's spilled bytes, 0 when the server does not report them.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { postStatement, StatementFailure, type StatementBody } from '../../test/support/post-statement.js';
import { FirnError } from '../../storage/errors/firn-error.js';
import { startFirnProcess, type FirnProcess } from '../../test/support/firn-process.js';
import { firnResultSet, type ResultSet } from '../compare-results.js';

/** `handle`: the statement's statementHandle (its query id, for AT(STATEMENT => ...)). */
export type FirnAnswer = { ms: number; result: ResultSet; stats: StatementBody['stats']; handle: string };

/** The statement's `stats.bytesSpilled`; servers that do not spill (or report it) count 0. */
export function bytesSpilled(stats: StatementBody['stats']): number {
  const v = (stats as { bytesSpilled?: unknown }).bytesSpilled;
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * The benches load their generated files with COPY INTO from file:// URLs: the directory that
 * holds the server's home (bench/data, where the files are generated) is its load root, unless
 * `env` names FIRN_LOAD_ROOTS itself. The home inside it stays unloadable (raw-location-policy.ts).
 */
export function withLoadRoot(home: string, env: Record<string, string>): Record<string, string> {
  return { FIRN_LOAD_ROOTS: path.dirname(path.resolve(home)), ...env };
}

export class FirnSide {
  private warehouse: string | null = null;
  private exit: string | null = null;

  private constructor(private readonly proc: FirnProcess) {
    proc.child.once('exit', (code, signal) => {
      this.exit = signal ? `signal ${signal}` : `code ${code}`;
    });
  }

  static async start(home: string, env: Record<string, string>): Promise<FirnSide> {
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    return new FirnSide(await startFirnProcess({ home, env: withLoadRoot(home, env), startTimeoutMs: 60_000 }));
  }

  static async restart(home: string, env: Record<string, string>): Promise<FirnSide> {
    rmSync(path.join(home, 'cache'), { recursive: true, force: true });
    return new FirnSide(await startFirnProcess({ home, env: withLoadRoot(home, env), startTimeoutMs: 60_000 }));
  }

  get url(): string {
    return this.proc.url;
  }

  get home(): string {
    return this.proc.home;
  }

  async exec(sql: string, warehouse?: string): Promise<FirnAnswer> {
    const start = performance.now();
    let body: StatementBody;
    try {
      body = await postStatement(this.proc.url, sql, { warehouse: warehouse ?? this.warehouse });
    } catch (err) {
      if (err instanceof StatementFailure) throw err;
      // fetch() failures carry the reason (reset, refused, timeout) in `cause`.
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      const exited = this.exit ? ` (the server exited with ${this.exit})` : '';
      throw new FirnError('STORAGE_IO', `request to Firn failed after ${(performance.now() - start).toFixed(0)} ms${cause}${exited}`);
    }
    const ms = performance.now() - start;
    if (body.context?.warehouse && warehouse === undefined) this.warehouse = body.context.warehouse;
    return { ms, result: firnResultSet(body.resultSetMetaData.rowType, body.data), stats: body.stats, handle: body.statementHandle };
  }

  peakRssBytes(): number | null {
    const file = `/proc/${this.proc.child.pid}/status`;
    if (!existsSync(file)) return null;
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  }

  /** The server's stdout and stderr so far. */
  output(): string {
    return this.proc.output();
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }
}
