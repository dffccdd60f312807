/**
 * The DuckDB half of a benchmark: DuckDB in the bench process (@duckdb/node-api), on a
 * database file of its own so loads write to disk as Firn's do.
 *
 * Contract: DuckdbSide.open(file, threads) deletes any old database file and opens a fresh
 * one with `threads` worker threads. exec(sql) runs one statement and returns the wall-clock
 * time including reading every result row into JavaScript (as Firn's time includes its JSON
 * answer), with the rows as canonical text (compare-rows.ts). close() closes and deletes the
 * database file.
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbRowsToText, type Rows } from '../compare-rows.js';

export type DuckdbAnswer = { ms: number; rows: Rows };

export class DuckdbSide {
  private constructor(
    private readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(file: string, threads: number): Promise<DuckdbSide> {
    for (const f of [file, `${file}.wal`]) rmSync(f, { force: true });
    const instance = await DuckDBInstance.create(file, { threads: String(threads), autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    return new DuckdbSide(file, instance, await instance.connect());
  }

  async exec(sql: string): Promise<DuckdbAnswer> {
    const start = performance.now();
    const reader = await this.conn.runAndReadAll(sql);
    const rows = reader.getRowsJson() as unknown[][];
    const ms = performance.now() - start;
    return { ms, rows: duckdbRowsToText(rows) };
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
    for (const f of [this.file, `${this.file}.wal`]) rmSync(f, { force: true });
  }
}
