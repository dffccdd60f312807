/**
 * An in-process engine (real SQLite catalog, real warehouse workers) driven as different users
 * and roles, for access tests that need no HTTP (test/security/ drives the same checks over the
 * authenticated API too). `as(identity)` runs SQL as that user and role and answers the
 * columns and rows as jsonv2 strings (a stream is read to its end); a failure rejects with the
 * FirnError, whose `code` and `message` tests compare exactly.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../services/config.js';
import { SYSTEM_IDENTITY, type Identity } from '../../services/access/identity.js';
import { encodeCells } from '../../services/result/encode-jsonv2.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../../services/session/firn-engine.js';
import type { SessionContext, StatementResult } from '../../services/session/statement-result.js';
import type { SessionTransaction } from '../../services/session/session-transaction.js';

export type Rows = { columns: string[]; rows: (string | null)[][]; fromResultCache: boolean };
/** `transaction`: the session's (several runs share one as a driver session does); absent, each run is its own session. */
export type RunOptions = { context?: Partial<SessionContext>; queryId?: string; transaction?: SessionTransaction };

export class EngineAs {
  private constructor(
    readonly engine: FirnEngine,
    readonly home: string,
  ) {}

  /** A new engine over a fresh FIRN_HOME; `env` adds settings (FIRN_...); `users` are created (by ADMIN, no password). */
  static async open(env: Record<string, string> = {}, users: readonly string[] = []): Promise<EngineAs> {
    const home = mkdtempSync(path.join(os.tmpdir(), 'firn-access-'));
    const engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(home, 'home'), ...env }));
    const e = new EngineAs(engine, home);
    for (const user of users) await e.run(`CREATE USER ${user}`);
    return e;
  }

  /** Runs `sql` as `identity` (default: ADMIN with ACCOUNTADMIN). */
  async run(sql: string, identity: Identity = SYSTEM_IDENTITY, opts: RunOptions = {}): Promise<Rows> {
    // Tests run scripts too: any number of statements (MULTI_STATEMENT_COUNT 0).
    const result = await this.engine.execute({ sql, context: { ...DEFAULT_CONTEXT, ...opts.context }, identity, queryId: opts.queryId ?? randomUUID(), parameters: { multiStatementCount: 0 }, transaction: opts.transaction });
    return rowsOf(result);
  }

  /** A runner bound to one identity. */
  as(identity: Identity): (sql: string, opts?: RunOptions) => Promise<Rows> {
    return (sql, opts) => this.run(sql, identity, opts);
  }

  async close(): Promise<void> {
    await this.engine.close();
    rmSync(this.home, { recursive: true, force: true });
  }
}

async function rowsOf(result: StatementResult): Promise<Rows> {
  const rows: (string | null)[][] = [];
  if (result.stream) {
    for await (const b of result.stream) rows.push(...encodeCells(result.columns, b).data);
  } else {
    rows.push(...encodeCells(result.columns, result.batch).data);
  }
  return { columns: result.columns.map((c) => c.name), rows, fromResultCache: result.stats.fromResultCache };
}

/** The code and message a statement fails with, or 'ok' when it succeeds. */
export async function outcome(p: Promise<unknown>): Promise<'ok' | { code: string; message: string }> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { code: e.code ?? 'not a FirnError', message: e.message ?? String(err) };
  }
}
