/**
 * Shredded VARIANT paths end to end (issue 13, "Storage and pruning"): a table of generated
 * JSON (mixed types per key, missing keys, JSON nulls, nested objects, escapes, batches whose
 * dominant type differs, so partitions shred different paths and types, or none) is queried
 * through paths that read_shredded_paths rewrites, and each answer (column types and every
 * value) is compared with the same query over PARSE_JSON of the JSON text, which no rewrite
 * touches. Then pruning: a selective path predicate skips partitions, never wrongly.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT } from '../../services/session/firn-engine.js';
import { SYSTEM_IDENTITY } from '../../services/access/identity.js';
import { encodeCells } from '../../services/result/encode-jsonv2.js';
import { typeToSql } from '../../storage/types/data-type.js';
import { EngineAs } from '../support/engine-as.js';
import { prng } from '../support/prng.js';

const BATCHES = 8;
const ROWS = 40;

/** Row i of batch b as JSON text; batch 5 makes `n` mostly strings and batch 6 `country` mostly numbers. */
function rowJson(rand: () => number, b: number, i: number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const o: Record<string, unknown> = {};
  const r = rand();
  const countries = ['DE', 'FR', 'AT', 'IT', 'ES', 'N"L', 'Zürich', 'a\\b'];
  if (b === 6) o.country = r < 0.8 ? Math.floor(rand() * 50) : pick(countries);
  else if (r < 0.7) o.country = b < 3 ? pick(countries.slice(0, 3)) : pick(countries.slice(2));
  else if (r < 0.8) o.country = null;
  else if (r < 0.9) o.country = 7;
  // else missing
  const s = rand();
  if (b === 5) o.n = s < 0.7 ? String(Math.floor(rand() * 1000)) : Math.floor(rand() * 1000);
  else if (s < 0.75) o.n = b * 100 + Math.floor(rand() * 100) - 50;
  else if (s < 0.8) o.n = 1.5;
  else if (s < 0.85) o.n = '123';
  else if (s < 0.9) o.n = null;
  if (rand() < 0.8) o.ok = rand() < 0.5;
  if (rand() < 0.9) o.x = `${Math.floor(rand() * 100)}.${rand() < 0.9 ? String(Math.floor(rand() * 100)).padStart(2, '0') : '5'}`;
  if (rand() < 0.9) o.d = `${(rand() * 1000).toFixed(3)}e${Math.floor(rand() * 5)}`;
  if (rand() < 0.85) o.nested = rand() < 0.9 ? { a: pick(['apple', 'avocado', 'banana', 'cherry']), b: i } : 'flat';
  if (rand() < 0.5) o.arr = [1, { k: 'v' }];
  // Numbers as written: `x` keeps its scale digits, `d` is a double (exponent).
  return JSON.stringify(o).replace(/"x":"([^"]*)"/, '"x":$1').replace(/"d":"([^"]*)"/, '"d":$1');
}

const SELECTS = [
  "v:country::string, v:n::number, v:x::number(38,2), v:d::float, v:ok::boolean, v:nested.a::string, GET_PATH(v, 'nested.b')::number, v:n::varchar(3)",
  'v:country, v:n, v:x, v:nested.a, v:nested, GET(v, \'d\'), TYPEOF(v:n), v:n::string, TRY_CAST(v:country::string AS NUMBER(10,1))',
  'TRY_CAST(v:n::string AS NUMBER), v:ok::string, v:x::float, v:d::string, IS_NULL_VALUE(v:country), v:country IS NULL',
];
const WHERES = [
  "v:country = 'DE'",
  "v:country::string = 'DE'",
  'v:n::number > 400',
  "v:nested.a::string LIKE 'a%'",
  "v:country::string IN ('AT', 'IT') AND v:n::number <= 300",
  'v:n::number IS NULL',
  "GET_PATH(v, 'nested.a')::string >= 'banana'",
  'v:d::float < 100',
];

describe('VARIANT path shredding', () => {
  let e: EngineAs;
  const run = async (sql: string) => {
    const result = await e.engine.execute({ sql, context: { ...DEFAULT_CONTEXT, database: 'SHRED', schema: 'PUBLIC' }, identity: SYSTEM_IDENTITY, queryId: randomUUID(), parameters: { multiStatementCount: 0 } });
    const rows: (string | null)[][] = [];
    if (result.stream) for await (const b of result.stream) rows.push(...encodeCells(result.columns, b).data);
    else rows.push(...encodeCells(result.columns, result.batch).data);
    return { types: result.columns.map((c) => typeToSql(c.type)), rows, stats: result.stats };
  };
  const unshredded = (sql: string) => sql.replace(' FROM t', ' FROM (SELECT id, s, PARSE_JSON(s) AS v FROM t) t');

  beforeAll(async () => {
    e = await EngineAs.open({ FIRN_PARTITION_ROWS: String(ROWS) });
    await e.run('CREATE DATABASE shred');
    await run('CREATE TABLE t (id INTEGER, s VARCHAR, v VARIANT)');
    const rand = prng(13);
    for (let b = 0; b < BATCHES; b++) {
      const values = Array.from({ length: ROWS }, (_, i) => {
        const id = b * ROWS + i;
        const text = rowJson(rand, b, i);
        return `(${id}, '${text.replace(/'/g, "''").replace(/\\/g, '\\\\')}')`;
      });
      await run(`INSERT INTO t SELECT column1, column2, PARSE_JSON(column2) FROM VALUES ${values.join(', ')}`);
    }
    // A NULL VARIANT and a non-object one.
    // ev: one partition per batch; batches 0-3 hold countries DE/FR, 4-7 IT/ES; n in [100b, 100b + 99].
    // Missing keys and JSON nulls everywhere; batch 7 also holds n = 1.5 (not shredded: no proof there).
    await run('CREATE TABLE ev (id INTEGER, s VARCHAR, v VARIANT)');
    for (let b = 0; b < BATCHES; b++) {
      const values = Array.from({ length: ROWS }, (_, i) => {
        const o: Record<string, unknown> = {};
        if (i % 10 !== 3) o.country = i % 10 === 4 ? null : (b < 4 ? ['DE', 'FR'] : ['IT', 'ES'])[i % 2];
        if (i % 10 !== 5) o.n = i % 10 === 6 ? null : b === 7 && i === 0 ? 1.5 : b * 100 + ((i * 37) % 100);
        return `(${b * ROWS + i}, '${JSON.stringify(o)}')`;
      });
      await run(`INSERT INTO ev SELECT column1, column2, PARSE_JSON(column2) FROM VALUES ${values.join(', ')}`);
    }
    await run("INSERT INTO t SELECT 10000, NULL, NULL UNION ALL SELECT 10001, '[1,2]', PARSE_JSON('[1,2]') UNION ALL SELECT 10002, '\"DE\"', PARSE_JSON('\"DE\"')");
  });

  afterAll(async () => {
    await e?.close();
  });

  it('writes shredded sub-columns: the plan reads them (EXPLAIN names the rule)', async () => {
    const plan = await run("EXPLAIN SELECT id FROM t WHERE v:country::string = 'DE'");
    const text = plan.rows.map((r) => r.join(' ')).join('\n');
    expect(text).toContain('read_shredded_paths');
    expect(text).toContain('V:country::VARCHAR');
    const pruned = (await run("EXPLAIN SELECT id FROM ev WHERE v:country = 'DE'")).rows.map((r) => r.join(' ')).join('\n');
    expect(pruned).toContain("pruning predicate: V:country = 'DE'");
    expect(pruned).toContain('partitions: scanned=4 total=8');
  });

  for (const [k, select] of SELECTS.entries()) {
    it(`answers projections exactly as the JSON does (${k})`, async () => {
      const sql = `SELECT id, ${select} FROM t ORDER BY id`;
      const a = await run(sql);
      const b = await run(unshredded(sql));
      expect(a.types).toEqual(b.types);
      expect(a.rows.length).toBe(BATCHES * ROWS + 3);
      expect(a.rows).toEqual(b.rows);
    });
  }

  for (const where of WHERES) {
    it(`answers WHERE ${where} exactly as the JSON does, in filters and aggregates`, async () => {
      const sql = `SELECT id, v:country::string FROM t WHERE ${where} ORDER BY id`;
      const a = await run(sql);
      const b = await run(unshredded(sql));
      expect(a.rows).toEqual(b.rows);
      expect(a.rows.length).toBeGreaterThan(0);
      const agg = `SELECT v:nested.a::string, COUNT(*), SUM(v:n::number) FROM t WHERE ${where} GROUP BY 1 ORDER BY 1`;
      expect((await run(agg)).rows).toEqual((await run(unshredded(agg))).rows);
    });
  }

  it('fails as the JSON does where a cast fails', async () => {
    const fail = async (sql: string) => run(sql).then(() => 'ok', (err: { code?: string; message?: string }) => `${err.code}: ${err.message}`);
    const sql = 'SELECT id, v:country::number FROM t ORDER BY id';
    const a = await fail(sql);
    expect(a).toContain('Failed to cast variant value');
    expect(a).toBe(await fail(unshredded(sql)));
  });

  const PRUNED: [string, number][] = [
    ["v:country::string = 'DE'", 4],
    ["v:country = 'DE'", 4],
    ["v:country::string IN ('IT', 'XX')", 4],
    ['v:n::number > 650', 2],
    ['v:n::number < 50', 2],
    ["v:n::number BETWEEN 200 AND 250 AND v:country::string = 'FR'", 1 + 1], // batch 7: n unproven, FR within ES..IT,
    ["v:country::string = 'PL'", 0],
  ];
  for (const [where, scanned] of PRUNED) {
    it(`prunes by the path zones: WHERE ${where} scans ${scanned} of ${BATCHES} partitions, with the JSON's answer`, async () => {
      const sql = `SELECT id, v:country::string, v:n FROM ev WHERE ${where} ORDER BY id`;
      const a = await run(sql);
      const b = await run(unshredded(sql).replace(' FROM ev', ' FROM (SELECT id, s, PARSE_JSON(s) AS v FROM ev) ev'));
      expect(a.rows).toEqual(b.rows);
      expect(a.stats.partitionsTotal).toBe(BATCHES);
      expect(a.stats.partitionsScanned).toBe(scanned);
      expect(b.stats.partitionsScanned).toBe(BATCHES);
      if (scanned > 0) expect(a.rows.length).toBeGreaterThan(0);
    });
  }

  it('compares a VARIANT string with a VARCHAR(n) constant whole, not cut to n characters', async () => {
    expect((await run(`SELECT PARSE_JSON('"DEU"') = 'DE', PARSE_JSON('"DE"') = 'DE'`)).rows).toEqual([['false', 'true']]);
  });

  it('groups and orders by a shredded path as by the JSON', async () => {
    const sql = 'SELECT v:country::string AS c, COUNT(*), MIN(v:x::number(38,2)) FROM t GROUP BY 1 ORDER BY 1 NULLS LAST';
    expect((await run(sql)).rows).toEqual((await run(unshredded(sql))).rows);
  });
  it('keeps the answers through UPDATE, DELETE and a renamed column (partitions rewritten and shredded again)', async () => {
    await run(`UPDATE t SET s = '{"country":"PL","n":5,"nested":{"a":"kiwi"}}', v = PARSE_JSON('{"country":"PL","n":5,"nested":{"a":"kiwi"}}') WHERE id % 7 = 0`);
    await run("DELETE FROM t WHERE v:country::string = 'FR'");
    const sql = `SELECT id, ${SELECTS[0]} FROM t ORDER BY id`;
    const a = await run(sql);
    expect(a.rows).toEqual((await run(unshredded(sql))).rows);
    expect(a.rows.some((r) => r[1] === 'PL')).toBe(true);
    await run('ALTER TABLE t RENAME COLUMN v TO w');
    const renamed = "SELECT id, w:country::string, w:n::number FROM t WHERE w:country::string = 'PL' ORDER BY id";
    const plan = (await run(`EXPLAIN ${renamed}`)).rows.map((r) => r.join(' ')).join('\n');
    expect(plan).toContain('W:country::VARCHAR');
    expect((await run(renamed)).rows).toEqual((await run(renamed.replace(' FROM t', ' FROM (SELECT id, PARSE_JSON(s) AS w FROM t) t'))).rows);
  });
});
