/**
 * Parsing that keeps the event loop free: a statement longer than INLINE_SQL_CHARS is parsed
 * in one parse worker thread (parse-worker.ts); a short one (`SELECT 1`, most DDL) inline,
 * where a thread round trip would cost more than the parse.
 *
 * Parsing is a pure function of the text, and a dashboard or a benchmark sends the same text
 * again and again (node-sql-parser takes 2-7 ms over a TPC-H query), so the statements of the
 * last PARSE_CACHE_ENTRIES texts of at most PARSE_CACHE_MAX_CHARS are kept; a repeat gets a
 * deep copy (the binder may annotate what it is given), in well under a millisecond.
 *
 * Contract: `parse(sql)` resolves to what parseSql(sql) returns, or rejects with the error it
 * throws (same class, code, message and position). `workerParses` counts the scripts the
 * worker answered. The worker starts on first use, does
 * not keep the process alive, and `close()` stops it; a worker that dies fails the parses
 * it had and the next one starts a new worker. A text that failed to parse is not kept.
 */
import { Worker } from 'node:worker_threads';
import { fromPlain, InternalError, type PlainError } from '../../storage/errors/firn-error.js';
import { threadEntryFile } from '../../storage/runtime/thread-entry-file.js';
import type { Statement } from './ast.js';
import { parseSql } from './parse-sql.js';

/** Statements up to this many characters are parsed on the calling thread. */
export const INLINE_SQL_CHARS = 200;
/** Texts whose statements are kept, most recently used last, and the longest text kept. */
export const PARSE_CACHE_ENTRIES = 256;
export const PARSE_CACHE_MAX_CHARS = 16384;

type Reply = { id: number; statements?: Statement[]; error?: PlainError };
type Waiter = { resolve: (s: Statement[]) => void; reject: (e: unknown) => void };

export class OffThreadParser {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 0;
  /** Scripts the parse worker answered (statements or an error). */
  workerParses = 0;
  private readonly parsed = new Map<string, Statement[]>();

  async parse(sql: string): Promise<Statement[]> {
    const kept = this.parsed.get(sql);
    if (kept !== undefined) {
      this.parsed.delete(sql);
      this.parsed.set(sql, kept);
      return structuredClone(kept);
    }
    const statements = await this.parseText(sql);
    if (sql.length <= PARSE_CACHE_MAX_CHARS) {
      this.parsed.set(sql, structuredClone(statements));
      if (this.parsed.size > PARSE_CACHE_ENTRIES) this.parsed.delete(this.parsed.keys().next().value!);
    }
    return statements;
  }

  private async parseText(sql: string): Promise<Statement[]> {
    if (sql.length <= INLINE_SQL_CHARS) return parseSql(sql);
    const worker = this.start();
    const id = this.nextId++;
    const reply = new Promise<Statement[]>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    if (this.waiting.size === 1) worker.ref();
    worker.postMessage({ id, sql });
    return reply;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(threadEntryFile(import.meta.url, 'parse-worker.js'));
    worker.unref();
    worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      if (!w) return;
      this.waiting.delete(r.id);
      this.workerParses++;
      if (this.waiting.size === 0) worker.unref();
      if (r.error) w.reject(fromPlain(r.error));
      else w.resolve(r.statements!);
    });
    const fail = (err: unknown) => {
      if (this.worker === worker) this.worker = null;
      const cause = new InternalError(`the SQL parse worker stopped: ${err instanceof Error ? err.message : String(err)}`);
      for (const w of this.waiting.values()) w.reject(cause);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
