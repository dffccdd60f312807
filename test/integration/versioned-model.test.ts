/**
 * Model-based test of versioned tables: a seeded random sequence of steps (INSERT, UPDATE,
 * DELETE, MERGE, CLONE, DROP, UNDROP, time-travel reads, compaction, GC) runs on Firn (real
 * server, small micro-partitions) and on a DuckDB mirror. After every step the mirror's rows of
 * the table it touched are kept as that step's snapshot, with the Firn statement handle of the
 * step. Every read must equal its snapshot: the current rows after each write, and, at random,
 * a past step's rows read AT(STATEMENT => that step's handle) or BEFORE the next one.
 * FIRN_MODEL_STEPS sets the length (default 2,000) and FIRN_MODEL_SEED the seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { prng } from '../support/prng.js';

const STEPS = Number(process.env.FIRN_MODEL_STEPS ?? 2000);
const SEED = Number(process.env.FIRN_MODEL_SEED ?? 20261205);
const COLUMNS = 'k, v, s';
const ORDER = `SELECT ${COLUMNS} FROM {t} ORDER BY k, v, s`;
/** Past states the final check reads per statement. */
const AT_READS = 25;

/** A table's rows as both engines print them: one text line per row. */
type Rows = string[];

/** One table of the model: its name and the snapshots of its current incarnation (step handle -> rows after it). */
type ModelTable = { name: string; history: { handle: string; rows: Rows }[]; dropped: boolean };

describe('versioned tables against a DuckDB mirror', () => {
  let dir: string;
  let server: FirnProcess;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-model-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_PARTITION_ROWS: '8' } });
    const instance = await DuckDBInstance.create(':memory:', { threads: '1', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    duck = await instance.connect();
  }, 60_000);

  afterAll(async () => {
    duck?.closeSync();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A row of Firn's JSON answer as one text line. */
  const rowText = (r: readonly (string | null)[]): string => r.map((v) => (v === null ? 'NULL' : v)).join('|');
  const firnRows = async (sql: string): Promise<Rows> => (await postStatement(server.url, sql)).data.map(rowText);
  const duckRows = async (sql: string): Promise<Rows> =>
    (await duck.runAndReadAll(sql)).getRowsJS().map((r) => r.map((v) => (v === null ? 'NULL' : String(v))).join('|'));

  it(`${STEPS} seeded steps (seed ${SEED})`, async () => {
    const rand = prng(SEED);
    const int = (n: number) => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
    const tables: ModelTable[] = [];
    let next = 0;
    const live = () => tables.filter((t) => !t.dropped);

    /** Runs `sql` on both engines (DuckDB's text may differ), then checks and records `t`'s rows. */
    const step = async (t: ModelTable, sql: string, duckdb = sql) => {
      const r = await postStatement(server.url, sql);
      await duck.run(duckdb);
      const want = await duckRows(ORDER.replace('{t}', t.name));
      const got = await firnRows(ORDER.replace('{t}', t.name));
      expect({ sql, rows: got }).toEqual({ sql, rows: want });
      t.history.push({ handle: r.statementHandle, rows: want });
    };

    const create = async () => {
      const t: ModelTable = { name: `t${next++}`, history: [], dropped: false };
      tables.push(t);
      const ddl = `CREATE TABLE ${t.name} (k INTEGER, v INTEGER, s VARCHAR)`;
      await step(t, ddl);
    };
    await create();

    for (let i = 0; i < STEPS; i++) {
      const ts = live();
      if (ts.length === 0) {
        await create();
        continue;
      }
      const t = pick(ts);
      const roll = int(100);
      if (roll < 25) {
        const rows = Array.from({ length: 1 + int(12) }, () => `(${int(40)}, ${int(100)}, '${pick(['a', 'b', 'c'])}${int(9)}')`);
        await step(t, `INSERT INTO ${t.name} VALUES ${rows.join(', ')}`);
      } else if (roll < 40) {
        await step(t, `UPDATE ${t.name} SET v = v + ${1 + int(5)}, s = s || 'u' WHERE k % ${2 + int(5)} = ${int(2)}`);
      } else if (roll < 50) {
        await step(t, `DELETE FROM ${t.name} WHERE v < ${int(60)} AND k % ${2 + int(4)} = 1`);
      } else if (roll < 58) {
        // One source row per key: existing keys below 1000, and one key from 1000 up.
        const src = `(SELECT DISTINCT k, ${int(50)} AS nv FROM ${t.name} WHERE k < 1000 AND k % 3 = ${int(3)} UNION ALL SELECT ${1000 + int(40)} AS k, 7 AS nv)`;
        await step(
          t,
          `MERGE INTO ${t.name} USING ${src} s ON ${t.name}.k = s.k WHEN MATCHED AND s.nv > 40 THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.k, s.nv, 'm')`,
        );
      } else if (roll < 63) {
        // A clone diverges from here on; its history starts with its creation.
        const c: ModelTable = { name: `t${next++}`, history: [], dropped: false };
        tables.push(c);
        await step(c, `CREATE TABLE ${c.name} CLONE ${t.name}`, `CREATE TABLE ${c.name} AS SELECT * FROM ${t.name}`);
      } else if (roll < 67) {
        await postStatement(server.url, `DROP TABLE ${t.name}`);
        await duck.run(`ALTER TABLE ${t.name} RENAME TO ${t.name}_dropped`);
        t.dropped = true;
      } else if (roll < 71) {
        const dropped = tables.filter((x) => x.dropped);
        if (dropped.length > 0) {
          const u = pick(dropped);
          await postStatement(server.url, `UNDROP TABLE ${u.name}`);
          await duck.run(`ALTER TABLE ${u.name}_dropped RENAME TO ${u.name}`);
          u.dropped = false;
          expect(await firnRows(ORDER.replace('{t}', u.name))).toEqual(u.history[u.history.length - 1].rows);
        }
      } else if (roll < 74) {
        await postStatement(server.url, 'SELECT SYSTEM$COLLECT_GARBAGE()');
      } else {
        // A past state of the table, by the handle of the step that made it (AT) or the next one (BEFORE).
        const h = int(t.history.length);
        const at = t.history[h];
        expect({ at: h, rows: await firnRows(ORDER.replace('{t}', `${t.name} AT(STATEMENT => '${at.handle}')`)) }).toEqual({ at: h, rows: at.rows });
        if (h > 0 && h + 1 < t.history.length) {
          const before = t.history[h + 1];
          expect({ before: h + 1, rows: await firnRows(ORDER.replace('{t}', `${t.name} BEFORE(STATEMENT => '${before.handle}')`)) }).toEqual({ before: h + 1, rows: at.rows });
        }
      }
    }
    // Every table, current and past, still reads as recorded after a final GC: AT_READS snapshots
    // per statement, each its own AT(STATEMENT => ...) branch of a UNION ALL, told apart by q.
    await postStatement(server.url, 'SELECT SYSTEM$COLLECT_GARBAGE()');
    const snapshots = live().flatMap((t) => t.history.map((snap, at) => ({ table: t.name, at, snap })));
    for (let i = 0; i < snapshots.length; i += AT_READS) {
      const reads = snapshots.slice(i, i + AT_READS);
      const sql = `${reads.map((r, q) => `SELECT ${q} AS q, ${COLUMNS} FROM ${r.table} AT(STATEMENT => '${r.snap.handle}')`).join(' UNION ALL ')} ORDER BY q, k, v, s`;
      const got = reads.map((): Rows => []);
      for (const row of (await postStatement(server.url, sql)).data) got[Number(row[0])].push(rowText(row.slice(1)));
      reads.forEach((r, q) => expect({ table: r.table, at: r.at, rows: got[q] }).toEqual({ table: r.table, at: r.at, rows: r.snap.rows }));
    }
  }, 600_000);
});
