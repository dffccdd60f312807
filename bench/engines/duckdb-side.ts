/**
 * The DuckDB half of a benchmark: DuckDB in the bench process (@duckdb/node-api), on a
 * database file of its own so loads write to disk as Firn's do.
 *
 * Contract: DuckdbSide.open(file, threads, settings?) deletes any old database file (and its
 * spill directory) and opens a fresh one with `threads` worker threads, the other DuckDB
 * `settings` (such as memory_limit) and the exact-NUMBER macros (duckdb-exact-macros.ts). exec(sql) runs one statement and returns the wall-clock
 * time including reading every result row into JavaScript (as Firn's time includes its JSON
 * answer), with the answer in canonical form (compare-results.ts). close() closes and deletes the
 * database file.
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbResultSet, type ResultSet } from '../compare-results.js';
import { DUCKDB_EXACT_MACROS } from './duckdb-exact-macros.js';

export type DuckdbAnswer = { ms: number; result: ResultSet };

export class DuckdbSide {
  private constructor(
    private readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(file: string, threads: number, settings: Record<string, string> = {}): Promise<DuckdbSide> {
    for (const f of [file, `${file}.wal`, `${file}.tmp`]) rmSync(f, { recursive: true, force: true });
    const instance = await DuckDBInstance.create(file, { ...settings, threads: String(threads), autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    const conn = await instance.connect();
    for (const macro of DUCKDB_EXACT_MACROS) await conn.run(macro);
    return new DuckdbSide(file, instance, conn);
  }

  async exec(sql: string): Promise<DuckdbAnswer> {
    const start = performance.now();
    const reader = await this.conn.runAndReadAll(sql);
    const result = duckdbResultSet(reader);
    const ms = performance.now() - start;
    return { ms, result };
  }

  /**
   * `clients` connections each running `perClient` statements `sql(id)` one after the other,
   * all clients at once; answers the seconds until the last finished.
   */
  async concurrentInserts(clients: number, perClient: number, sql: (id: number) => string): Promise<number> {
    const conns = await Promise.all(Array.from({ length: clients }, () => this.instance.connect()));
    const start = performance.now();
    await Promise.all(
      conns.map(async (conn, c) => {
        for (let i = 0; i < perClient; i++) await conn.run(sql(c * perClient + i));
      }),
    );
    const secs = (performance.now() - start) / 1000;
    for (const conn of conns) conn.closeSync();
    return secs;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
    for (const f of [this.file, `${this.file}.wal`, `${this.file}.tmp`]) rmSync(f, { recursive: true, force: true });
  }
}
