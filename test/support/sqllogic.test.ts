/**
 * The slt runner itself: type letters, the parser's `duckdb` marker, and the DuckDB side run for
 * real (a real Firn server and an in-memory DuckDB), so a record DuckDB answers differently
 * fails and one it answers the same passes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from './firn-process.js';
import type { StatementBody } from './post-statement.js';
import { parseSlt, runSlt, typeLetters } from './sqllogic.js';

const body = (rowType: { type: string; precision?: number | null; scale?: number | null }[]) =>
  ({ resultSetMetaData: { rowType } }) as unknown as StatementBody;

describe('typeLetters', () => {
  it('gives I only to NUMBERs of scale 0, R to other numbers, T to the rest', () => {
    expect(
      typeLetters(
        body([
          { type: 'fixed', precision: 38, scale: 0 },
          { type: 'fixed', precision: 10, scale: 2 },
          { type: 'real' },
          { type: 'text' },
          { type: 'date' },
          { type: 'timestamp_ntz' },
          { type: 'boolean' },
        ]),
      ),
    ).toBe('IRRTTTT');
  });
});

describe('parseSlt: the duckdb marker', () => {
  it('takes a trailing duckdb word as the marker, not as a sort mode', () => {
    const records = parseSlt(
      ['query TIR rowsort duckdb', 'SELECT 1', '----', 'a 1 1.5', '', 'query TIR duckdb', 'SELECT 2', '----', 'b 2 2.5', '', 'query I', 'SELECT 3', '----', '3'].join('\n'),
    );
    expect(records).toEqual([
      { kind: 'query', line: 1, sql: 'SELECT 1', types: 'TIR', sort: 'rowsort', expected: ['a 1 1.5'], duckdb: 'SELECT 1' },
      { kind: 'query', line: 6, sql: 'SELECT 2', types: 'TIR', sort: 'nosort', expected: ['b 2 2.5'], duckdb: 'SELECT 2' },
      { kind: 'query', line: 11, sql: 'SELECT 3', types: 'I', sort: 'nosort', expected: ['3'], duckdb: null },
    ]);
  });

  it("reads DuckDB's own text after '---- duckdb', for queries and statements", () => {
    const records = parseSlt(
      ['statement ok duckdb', 'CREATE TABLE t (a NUMBER(10,2))', '---- duckdb', 'CREATE TABLE t (a DECIMAL(10,2))', '', 'query R duckdb', 'SELECT IFF(TRUE, a, 0)', 'FROM t', '---- duckdb', 'SELECT CASE WHEN TRUE THEN a ELSE 0 END', 'FROM t', '----', '1.50'].join('\n'),
    );
    expect(records).toEqual([
      { kind: 'statement', line: 1, sql: 'CREATE TABLE t (a NUMBER(10,2))', expectError: false, errorPattern: null, duckdb: 'CREATE TABLE t (a DECIMAL(10,2))' },
      { kind: 'query', line: 6, sql: 'SELECT IFF(TRUE, a, 0)\nFROM t', types: 'R', sort: 'nosort', expected: ['1.50'], duckdb: 'SELECT CASE WHEN TRUE THEN a ELSE 0 END\nFROM t' },
    ]);
  });

  it('refuses the marker on statement error, a DuckDB text without the marker, and unknown sort modes', () => {
    expect(() => parseSlt('statement error 0A000 duckdb\nSELECT 1')).toThrow(/line 1: statement error records run on Firn only/);
    expect(() => parseSlt('query I\nSELECT 1\n---- duckdb\nSELECT 1\n----\n1')).toThrow(/not marked duckdb/);
    expect(() => parseSlt('query I sorted\nSELECT 1\n----\n1')).toThrow(/line 1: unknown query header/);
  });
});

describe('runSlt: records marked duckdb run on DuckDB too', () => {
  let home: string;
  let server: FirnProcess;
  let n = 0;

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'firn-slt-runner-'));
    server = await startFirnProcess({ home });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const run = (text: string, duckdb = true) =>
    runSlt('runner.slt', text, { url: () => server.url, restart: async () => {}, duckdb }, `SLT_RUNNER_${++n}`);

  const SETUP = [
    'statement ok duckdb',
    'CREATE TABLE t (id INT, price DECIMAL(10,2), x DOUBLE, d DATE, ts TIMESTAMP, s VARCHAR, b BOOLEAN)',
    '',
    'statement ok duckdb',
    "INSERT INTO t VALUES (1, 1.5, 0.25, '2024-01-02', '2024-01-02 03:04:05.5', 'a', true), (2, NULL, 'inf'::DOUBLE, NULL, '2024-01-02 03:04:05.123456', '', false)",
    '',
    '',
  ].join('\n');

  it('passes a record whose answer DuckDB prints the same, values of every kind included', async () => {
    const checked = await run(
      SETUP + ['query IRRTTTT rowsort duckdb', 'SELECT id, price, x, d, ts, s, b FROM t', '----', '1\t1.50\t0.25\t2024-01-02\t2024-01-02 03:04:05.500\ta\ttrue', '2\tNULL\tinf\tNULL\t2024-01-02 03:04:05.123456\t(empty)\tfalse'].join('\n'),
    );
    expect(checked).toBe(3);
  });

  it('fails a record DuckDB answers differently, naming the line and duckdb', async () => {
    // Firn divides NUMBERs exactly (NUMBER(8,6): 3.500000, as Snowflake); DuckDB answers the DOUBLE 3.5.
    const text = SETUP + ['query R duckdb', 'SELECT 7 / 2', '----', '3.500000'].join('\n');
    await expect(run(text)).rejects.toThrow(/^runner\.slt:7: duckdb disagrees with the expected result for\nSELECT 7 \/ 2\n--- expected\n3\.500000\n--- duckdb\n3\.5$/);
    // The same record passes on Firn alone: the failure above is DuckDB's.
    expect(await run(text, false)).toBe(3);
  });

  it("fails on DuckDB's column types, and on a setup statement DuckDB refuses", async () => {
    // DuckDB's answer prints the same ('2') but is a DOUBLE: R, not I.
    await expect(run(SETUP + 'query I duckdb\nSELECT 2\n---- duckdb\nSELECT CAST(2 AS DOUBLE)\n----\n2')).rejects.toThrow(
      /^runner\.slt:7: duckdb answered column types R \(DOUBLE\), expected I\nSELECT CAST\(2 AS DOUBLE\)$/,
    );
    await expect(run(SETUP + 'query T duckdb\nSELECT TO_VARCHAR(id) FROM t WHERE id = 1\n----\n1')).rejects.toThrow(/^runner\.slt:7: duckdb failed the query: .*to_varchar/is);
    await expect(run('statement ok duckdb\nCREATE TABLE u (a NUMBER(10,2))\n')).rejects.toThrow(/^runner\.slt:1: duckdb failed the statement: .*NUMBER does not exist/);
  });

  it("runs DuckDB's own text where only the spelling differs", async () => {
    const text = SETUP + ['query T duckdb', 'SELECT TO_VARCHAR(id) FROM t WHERE id = 1', '---- duckdb', 'SELECT CAST(id AS VARCHAR) FROM t WHERE id = 1', '----', '1'].join('\n');
    expect(await run(text)).toBe(3);
    const wrong = SETUP + ['query T duckdb', 'SELECT TO_VARCHAR(id) FROM t WHERE id = 1', '---- duckdb', 'SELECT CAST(id + 1 AS VARCHAR) FROM t WHERE id = 1', '----', '1'].join('\n');
    await expect(run(wrong)).rejects.toThrow(/runner\.slt:7: duckdb disagrees[\s\S]*--- duckdb\n2$/);
  });
});
