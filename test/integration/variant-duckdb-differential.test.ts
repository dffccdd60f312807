/**
 * Differential test of Firn's semi-structured (VARIANT) functions against DuckDB's JSON
 * functions, where the two agree. The same generated NDJSON file (test/support/variant-events.ts:
 * 3,000 events with nested objects, arrays of objects, missing keys and JSON nulls, escapes and
 * non-ASCII text, integers past 2^53, two-digit decimals, doubles with exponents, keys in a
 * shuffled order) is loaded by Firn's COPY INTO a VARIANT column (real server, real HTTP, three
 * micro-partitions) and by DuckDB's read_ndjson_objects into a JSON column.
 *
 * Each pair is one query in each dialect. Their answers must be identical by
 * bench/compare-results.ts: the same column types (a NUMBER against DuckDB's integer and
 * DECIMAL types by scale, FLOAT against DOUBLE, text, boolean) and the same values as exact
 * text, never rounded; rows compared in order when the query fixes it, else both sorted. Every
 * column of every pair must hold at least one non-NULL value, so a pair cannot pass by both
 * sides answering nothing.
 *
 * Why not the slt files: DuckDB's JSON prints compact text in document order and names types
 * its own way, and its SQL spells every path differently, so no variant.slt record replays on
 * DuckDB unchanged. Here each pair casts to SQL types both engines share, and each comment says
 * where the semantics agree and what the DuckDB text does to make them agree.
 *
 * Where the engines differ by design, the second describe block asserts the difference itself
 * (both answers, on the rows where they differ), so a change on either side is noticed:
 *  - ARRAY_SIZE of JSON null or a non-array: Firn NULL (Snowflake), DuckDB 0.
 *  - FLATTEN of JSON null: no row; DuckDB's json_each: one row holding the null.
 *  - OBJECT_KEYS: sorted (Firn's objects are stored with sorted keys, as Snowflake's); DuckDB's
 *    json_keys keeps document order; of a non-object Firn answers NULL, DuckDB [].
 *  - TYPEOF vs json_type: other names (INTEGER vs BIGINT/UBIGINT, NULL_VALUE vs NULL), and
 *    DuckDB reads every number with a fraction or exponent as DOUBLE where Snowflake keeps a
 *    plain decimal literal as DECIMAL; past 2^64 DuckDB types an integer DOUBLE, Firn INTEGER.
 *  - ::string of a number: Firn keeps the literal's digits (12.50) and prints a double as
 *    Snowflake does (1.250000000000000e+02); DuckDB prints its double (12.5, 125.0).
 *  - ::string of an object: Firn's canonical text (sorted keys), DuckDB's in document order.
 *  - ARRAY_CONTAINS of JSON null: NULL; json_contains: false. Of a scalar: 100071 (the
 *    argument is cast to ARRAY); json_contains answers. json_contains also looks inside nested
 *    arrays and objects, ARRAY_CONTAINS only at the elements.
 *  - A third fraction digit cast to NUMBER(12,2): Firn rounds the exact decimal half away
 *    from zero (1.005 -> 1.01); DuckDB goes through a double (1.005 -> 1.00).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, duckdbResultSet, firnResultSet, type ResultSet } from '../../bench/compare-results.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { expectFailure } from '../support/statement-http.js';
import { variantEventLines } from '../support/variant-events.js';

const EVENTS = 3000;

/** DuckDB's spelling of a Firn path: `$.user.tier`, `$.items[0].sku`. */
const j = (p: string) => `json_extract(v, '$.${p}')`;
const js = (p: string) => `json_extract_string(v, '$.${p}')`;
const jc = (p: string, type: string) => `CAST(json_extract(v, '$.${p}') AS ${type})`;
const ID = jc('id', 'BIGINT');

/**
 * Firn's TYPEOF of the top-level key `key`, computed by DuckDB: json_type with Snowflake's
 * names, and for DuckDB's DOUBLE, DECIMAL unless the number's literal has an exponent. DuckDB
 * keeps no literal for a parsed number, so the literal is read from the stored document text
 * (read_ndjson_objects keeps each line verbatim); `key` is a top-level key no nested object
 * uses, so the first "key": in the text is it.
 */
function duckTypeof(key: string): string {
  const literal = `regexp_extract(CAST(v AS VARCHAR), '"${key}":(-?[0-9][0-9.eE+-]*)', 1)`;
  return (
    `CASE json_type(v, '$.${key}') WHEN 'NULL' THEN 'NULL_VALUE' WHEN 'UBIGINT' THEN 'INTEGER' WHEN 'BIGINT' THEN 'INTEGER' ` +
    `WHEN 'DOUBLE' THEN CASE WHEN regexp_matches(${literal}, '[eE]') THEN 'DOUBLE' ELSE 'DECIMAL' END ELSE json_type(v, '$.${key}') END`
  );
}

type Pair = { name: string; firn: string; duckdb: string; ordered?: boolean };

const PAIRS: Pair[] = [
  {
    // Agree: a string path cast to string is the decoded text in both (\" \\ \n \t \/ \u00e9
    // and a surrogate pair decode to the same characters as their raw UTF-8 spelling); a
    // missing key and a JSON null are both SQL NULL (Firn: ::string of the 'null' VARIANT is
    // NULL; DuckDB: json_extract_string of null is NULL). A zip with a leading zero stays text.
    name: 'string paths cast to string, at depth 1 to 3',
    firn: 'SELECT v:id::int, v:user.name::string, v:user.tier::string, v:user.addr.city::string, v:user.addr.zip::string FROM ev',
    duckdb: `SELECT ${ID}, ${js('user.name')}, ${js('user.tier')}, ${js('user.addr.city')}, ${js('user.addr.zip')} FROM ev`,
  },
  {
    // Agree: integers are exact in both, also past 2^53 (DuckDB reads them as BIGINT/UBIGINT,
    // Firn as NUMBER(38,0)); ::int / NUMBER(38,0) is NUMBER scale 0, DuckDB's BIGINT/HUGEINT
    // too. An integer's ::string is its digits in both.
    name: 'integer paths: ::int, ::NUMBER(38,0) past 2^53, ::string',
    firn: 'SELECT v:id::int, v:delta::int, v:user.id::int, v:big::NUMBER(38,0), v:big::string, v:delta::string FROM ev',
    duckdb: `SELECT ${ID}, ${jc('delta', 'BIGINT')}, ${jc('user.id', 'BIGINT')}, ${jc('big', 'HUGEINT')}, ${js('big')}, ${js('delta')} FROM ev`,
  },
  {
    // Agree: every amount and price has at most two fraction digits, so NUMBER(12,2) and
    // DECIMAL(12,2) hold it exactly without rounding (for a third digit they round differently:
    // see the differences block). JSON null and missing are NULL in both.
    name: 'decimal paths cast to NUMBER(12,2) / DECIMAL(12,2)',
    firn: 'SELECT v:id::int, v:amount::NUMBER(12,2), v:items[0].price::NUMBER(10,2), v:items[1].price::NUMBER(12,2) FROM ev',
    duckdb: `SELECT ${ID}, ${jc('amount', 'DECIMAL(12,2)')}, ${jc('items[0].price', 'DECIMAL(10,2)')}, ${jc('items[1].price', 'DECIMAL(12,2)')} FROM ev`,
  },
  {
    // Agree: a number cast to a double is the nearest double to its literal in both (doubles
    // with exponents, and decimals); compared as the shortest text that reads back as the
    // same double, so nothing is rounded.
    name: 'doubles with exponents and decimals cast to DOUBLE',
    firn: 'SELECT v:id::int, v:score::double, v:amount::double FROM ev',
    duckdb: `SELECT ${ID}, ${jc('score', 'DOUBLE')}, ${jc('amount', 'DOUBLE')} FROM ev`,
  },
  {
    // Agree: booleans cast to BOOLEAN; JSON null and missing are NULL. IS_NULL_VALUE is true
    // for JSON null, false for another value and NULL for a missing key; json_type answers
    // 'NULL', another name, or NULL for a missing path, so json_type = 'NULL' is the same
    // three-valued answer. A missing key is SQL NULL in both (v:ok IS NULL), JSON null is not.
    name: 'booleans, IS_NULL_VALUE, and missing key vs JSON null',
    firn: 'SELECT v:id::int, v:ok::boolean, v:ok::string, IS_NULL_VALUE(v:ok), v:ok IS NULL, IS_NULL_VALUE(v:user.tier), v:user.tier IS NULL, IS_NULL_VALUE(v:mixed) FROM ev',
    duckdb: `SELECT ${ID}, ${jc('ok', 'BOOLEAN')}, ${js('ok')}, json_type(v, '$.ok') = 'NULL', ${j('ok')} IS NULL, json_type(v, '$.user.tier') = 'NULL', ${j('user.tier')} IS NULL, json_type(v, '$.mixed') = 'NULL' FROM ev`,
  },
  {
    // Agree: COUNT of a VARIANT path counts JSON nulls (a value) and skips missing keys (SQL
    // NULL), as COUNT of DuckDB's json_extract does; COUNT of ::string skips both.
    name: 'counts of missing keys and JSON nulls',
    firn:
      'SELECT COUNT(*), COUNT(v:user.tier), COUNT(v:user.tier::string), COUNT_IF(IS_NULL_VALUE(v:user.tier)), ' +
      'COUNT(v:amount), COUNT(v:amount::NUMBER(12,2)), COUNT(v:items), COUNT_IF(IS_NULL_VALUE(v:items)), COUNT(v:tags), COUNT(v:user.addr) FROM ev',
    duckdb:
      `SELECT COUNT(*), COUNT(${j('user.tier')}), COUNT(${js('user.tier')}), COUNT_IF(json_type(v, '$.user.tier') = 'NULL'), ` +
      `COUNT(${j('amount')}), COUNT(${jc('amount', 'DECIMAL(12,2)')}), COUNT(${j('items')}), COUNT_IF(json_type(v, '$.items') = 'NULL'), COUNT(${j('tags')}), COUNT(${j('user.addr')}) FROM ev`,
  },
  {
    // Agree where the path is an array or missing. For JSON null and non-arrays DuckDB's
    // json_array_length answers 0 where ARRAY_SIZE answers NULL (asserted in the differences
    // block), so DuckDB's text keeps its answer for arrays only.
    name: 'ARRAY_SIZE vs json_array_length (arrays and missing keys)',
    firn: 'SELECT v:id::int, ARRAY_SIZE(v:items), ARRAY_SIZE(v:tags), ARRAY_SIZE(v:codes), ARRAY_SIZE(v:mixed) FROM ev',
    duckdb:
      `SELECT ${ID}, ` +
      ['items', 'tags', 'codes', 'mixed'].map((p) => `CASE WHEN json_type(v, '$.${p}') = 'ARRAY' THEN json_array_length(v, '$.${p}') END`).join(', ') +
      ' FROM ev',
  },
  {
    // Agree: ARRAY_SIZE aggregated per group (same normalisation as above).
    name: 'ARRAY_SIZE aggregated per boolean path',
    firn: 'SELECT v:ok::boolean, COUNT(ARRAY_SIZE(v:items)), SUM(ARRAY_SIZE(v:items)), MAX(ARRAY_SIZE(v:items)), SUM(ARRAY_SIZE(v:tags)) FROM ev GROUP BY 1',
    duckdb:
      `SELECT ${jc('ok', 'BOOLEAN')}, COUNT(n_items), SUM(n_items), MAX(n_items), SUM(n_tags) FROM (SELECT v, ` +
      `CASE WHEN json_type(v, '$.items') = 'ARRAY' THEN json_array_length(v, '$.items') END AS n_items, ` +
      `CASE WHEN json_type(v, '$.tags') = 'ARRAY' THEN json_array_length(v, '$.tags') END AS n_tags FROM ev) GROUP BY 1`,
  },
  {
    // Agree: an index into an array, then a key of the element; an index past the end, into a
    // JSON null or into a missing array is NULL in both.
    name: 'array index paths',
    firn: 'SELECT v:id::int, v:items[0].sku::string, v:items[1].qty::int, v:items[3].price::NUMBER(10,2), v:tags[0]::string, v:tags[2]::string, v:codes[1]::int, v:mixed[1]::string FROM ev',
    duckdb: `SELECT ${ID}, ${js('items[0].sku')}, ${jc('items[1].qty', 'BIGINT')}, ${jc('items[3].price', 'DECIMAL(10,2)')}, ${js('tags[0]')}, ${js('tags[2]')}, ${jc('codes[1]', 'BIGINT')}, ${js('mixed[1]')} FROM ev`,
  },
  {
    // Agree: GROUP BY a string path (JSON null and missing both fall in the NULL group after
    // ::string), COUNT and exact sums of decimal and integer paths.
    name: 'GROUP BY a string path with COUNT and SUM',
    firn: 'SELECT v:user.tier::string, COUNT(*), COUNT(v:amount), SUM(v:amount::NUMBER(12,2)), SUM(v:delta::int), MIN(v:delta::int), MAX(v:amount::NUMBER(12,2)) FROM ev GROUP BY 1',
    duckdb: `SELECT ${js('user.tier')}, COUNT(*), COUNT(${j('amount')}), SUM(${jc('amount', 'DECIMAL(12,2)')}), SUM(${jc('delta', 'BIGINT')}), MIN(${jc('delta', 'BIGINT')}), MAX(${jc('amount', 'DECIMAL(12,2)')}) FROM ev GROUP BY 1`,
  },
  {
    // Agree: GROUP BY the VARIANT itself groups by value, so a JSON null is a group of its own
    // apart from the missing keys; DuckDB's JSON text 'null' and SQL NULL group the same way.
    name: 'GROUP BY a VARIANT path keeps JSON null apart from missing',
    firn: 'SELECT t::string, IS_NULL_VALUE(t), COUNT(*) FROM (SELECT v:user.tier AS t FROM ev) GROUP BY t',
    duckdb: `SELECT json_extract_string(t, '$'), json_type(t) = 'NULL', COUNT(*) FROM (SELECT ${j('user.tier')} AS t FROM ev) GROUP BY t`,
  },
  {
    // Agree: a non-ASCII grouping key (raw and \u-escaped spellings of Zürich are one group).
    name: 'GROUP BY a nested non-ASCII path',
    firn: 'SELECT v:user.addr.city::string, COUNT(*), SUM(v:items[0].qty::int) FROM ev GROUP BY 1',
    duckdb: `SELECT ${js('user.addr.city')}, COUNT(*), SUM(${jc('items[0].qty', 'BIGINT')}) FROM ev GROUP BY 1`,
  },
  {
    // Agree: a filter on nested paths (a string compare after decoding, an integer compare).
    name: 'filter on a nested path',
    firn: "SELECT v:id::int, v:items[0].price::NUMBER(10,2), v:user.name::string FROM ev WHERE v:user.addr.city::string = 'Zürich' AND v:items[0].qty::int >= 5 ORDER BY 1",
    duckdb: `SELECT ${ID}, ${jc('items[0].price', 'DECIMAL(10,2)')}, ${js('user.name')} FROM ev WHERE ${js('user.addr.city')} = 'Zürich' AND ${jc('items[0].qty', 'BIGINT')} >= 5 ORDER BY 1`,
    ordered: true,
  },
  {
    // Agree: comparing a VARIANT with a literal casts the VARIANT to the literal's type
    // (Snowflake); DuckDB's text casts explicitly. 'café' matches both its raw and its
    // \u00e9 spelling in both engines.
    name: 'VARIANT compared with literals',
    firn: "SELECT v:user.tier::string, COUNT(*), SUM(v:delta::int) FROM ev WHERE (v:user.tier = 'gold' OR v:user.name = 'café') AND v:delta > 0 GROUP BY 1",
    duckdb: `SELECT ${js('user.tier')}, COUNT(*), SUM(${jc('delta', 'BIGINT')}) FROM ev WHERE (${js('user.tier')} = 'gold' OR ${js('user.name')} = 'café') AND ${jc('delta', 'BIGINT')} > 0 GROUP BY 1`,
  },
  {
    // Agree: FLATTEN of an array of objects gives one row per element with its 0-based INDEX
    // and VALUE; json_each gives the same with KEY the index as text and FULLKEY the absolute
    // path, which is '$.items' || FLATTEN's relative PATH. JSON-null items give DuckDB one row
    // holding the null and FLATTEN none (differences block), so DuckDB's text keeps arrays.
    name: 'LATERAL FLATTEN of an array of objects vs json_each',
    firn:
      "SELECT v:id::int, f.index, f.value:sku::string, f.value:qty::int, f.value:price::NUMBER(10,2), IS_NULL_VALUE(f.value:price), '$.items' || f.path " +
      'FROM ev, LATERAL FLATTEN(input => v:items) f',
    duckdb:
      "SELECT CAST(json_extract(ev.v, '$.id') AS BIGINT), CAST(e.key AS BIGINT), json_extract_string(e.value, '$.sku'), CAST(json_extract(e.value, '$.qty') AS BIGINT), " +
      "CAST(json_extract(e.value, '$.price') AS DECIMAL(10,2)), json_type(e.value, '$.price') = 'NULL', e.fullkey " +
      "FROM ev, json_each(ev.v, '$.items') e WHERE json_type(ev.v, '$.items') = 'ARRAY'",
  },
  {
    // Agree: FLATTEN of an array of strings (repeats kept, in order), aggregated by element.
    name: 'LATERAL FLATTEN of an array of strings, grouped by element',
    firn: 'SELECT f.value::string, f.index, COUNT(*), COUNT(DISTINCT v:id::int) FROM ev, LATERAL FLATTEN(input => v:tags) f GROUP BY 1, 2',
    duckdb:
      "SELECT json_extract_string(e.value, '$'), CAST(e.key AS BIGINT), COUNT(*), COUNT(DISTINCT CAST(json_extract(ev.v, '$.id') AS BIGINT)) " +
      "FROM ev, json_each(ev.v, '$.tags') e WHERE json_type(ev.v, '$.tags') = 'ARRAY' GROUP BY 1, 2",
  },
  {
    // Agree: sums over the flattened items per SKU (a non-ASCII SKU among them).
    name: 'LATERAL FLATTEN aggregated per element key',
    firn: 'SELECT f.value:sku::string, COUNT(*), SUM(f.value:qty::int), SUM(f.value:price::NUMBER(10,2)), COUNT(f.value:qty) FROM ev, LATERAL FLATTEN(input => v:items) f GROUP BY 1',
    duckdb:
      "SELECT json_extract_string(e.value, '$.sku'), COUNT(*), SUM(CAST(json_extract(e.value, '$.qty') AS BIGINT)), SUM(CAST(json_extract(e.value, '$.price') AS DECIMAL(10,2))), COUNT(json_extract(e.value, '$.qty')) " +
      "FROM ev, json_each(ev.v, '$.items') e WHERE json_type(ev.v, '$.items') = 'ARRAY' GROUP BY 1",
  },
  {
    // Agree as sorted lists: OBJECT_KEYS answers the keys sorted (UTF-16 code-unit order),
    // json_keys in document order, so DuckDB's text sorts them (byte order of UTF-8, the same
    // order for these keys: none lies above U+D7FF). The ARRAY prints as compact JSON in both
    // (OBJECT_KEYS(...)::string, to_json(...)), the non-ASCII key 'größe' unescaped. Missing
    // objects are NULL in both; non-objects differ (differences block) and are not in here.
    name: 'OBJECT_KEYS vs json_keys, as sorted lists',
    firn: 'SELECT v:id::int, OBJECT_KEYS(v)::string, OBJECT_KEYS(v:user)::string, OBJECT_KEYS(v:user.addr)::string, ARRAY_TO_STRING(OBJECT_KEYS(v:items[0]), \',\') FROM ev',
    duckdb:
      `SELECT ${ID}, to_json(list_sort(json_keys(v)))::VARCHAR, to_json(list_sort(json_keys(v, '$.user')))::VARCHAR, to_json(list_sort(json_keys(v, '$.user.addr')))::VARCHAR, ` +
      "array_to_string(list_sort(json_keys(v, '$.items[0]')), ',') FROM ev",
  },
  {
    // Agree after the name mapping of duckTypeof (top of file): TYPEOF of every JSON kind,
    // and NULL for a missing key in both.
    name: 'TYPEOF vs json_type, mapped to Snowflake names',
    firn: 'SELECT v:id::int, TYPEOF(v:mixed), TYPEOF(v:amount), TYPEOF(v:big), TYPEOF(v:score), TYPEOF(v:items), TYPEOF(v:user), TYPEOF(v:ok), TYPEOF(v:delta) FROM ev',
    duckdb: `SELECT ${ID}, ${['mixed', 'amount', 'big', 'score', 'items', 'user', 'ok', 'delta'].map(duckTypeof).join(', ')} FROM ev`,
  },
  {
    // Agree: ARRAY_CONTAINS of a scalar in a flat array of scalars is json_contains of its
    // JSON text: a string matches only a string ('7' is not 7), a missing array is NULL.
    // JSON-null arrays and non-arrays differ (differences block), so DuckDB's text keeps
    // arrays and missing keys, and neither side is given a non-array.
    name: 'ARRAY_CONTAINS vs json_contains on flat arrays',
    firn: "SELECT v:id::int, ARRAY_CONTAINS('promo'::VARIANT, v:tags), ARRAY_CONTAINS(7::VARIANT, v:codes), ARRAY_CONTAINS('7'::VARIANT, v:codes) FROM ev",
    duckdb:
      `SELECT ${ID}, ` +
      [
        ['tags', `'"promo"'`],
        ['codes', `'7'`],
        ['codes', `'"7"'`],
      ]
        .map(([p, needle]) => `CASE WHEN json_type(v, '$.${p}') = 'ARRAY' OR ${j(p)} IS NULL THEN json_contains(${j(p)}, ${needle}) END`)
        .join(', ') +
      ' FROM ev',
  },
  {
    // Agree: ARRAY_CONTAINS as a filter, grouped.
    name: 'ARRAY_CONTAINS as a filter',
    firn: "SELECT v:user.tier::string, COUNT(*), SUM(ARRAY_SIZE(v:tags)) FROM ev WHERE ARRAY_CONTAINS('gift'::VARIANT, v:tags) GROUP BY 1",
    duckdb: `SELECT ${js('user.tier')}, COUNT(*), SUM(json_array_length(v, '$.tags')) FROM ev WHERE json_contains(${j('tags')}, '"gift"') GROUP BY 1`,
  },
];

/** Sorts an object's keys, recursively: the canonical form of a JSON value without numbers that a double cannot hold. */
function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return x;
}

describe('Firn VARIANT functions and DuckDB JSON functions agree on the same NDJSON', () => {
  let dir: string;
  let server: FirnProcess;
  let duck: DuckDBConnection;
  let instance: DuckDBInstance;

  const firn = async (sql: string): Promise<ResultSet> => {
    const r = await postStatement(server.url, sql);
    return firnResultSet(r.resultSetMetaData.rowType, r.data);
  };
  const duckdb = async (sql: string): Promise<ResultSet> => duckdbResultSet(await duck.runAndReadAll(sql));
  /** Rows keyed by their first column (the event id), the rest of each row as its value. */
  const byId = (rs: ResultSet) => new Map(rs.rows.map((r) => [r[0], r.slice(1)]));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-jdiff-'));
    const file = path.join(dir, 'events.ndjson');
    writeFileSync(file, `${variantEventLines(EVENTS, 20240611).join('\n')}\n`);
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '1000' } });
    await postStatement(server.url, 'CREATE TABLE ev (v VARIANT)');
    const copy = await postStatement(server.url, `COPY INTO ev FROM '${pathToFileURL(file).href}' FILE_FORMAT = (TYPE = JSON)`);
    expect(copy.data.map((r) => [r[1], r[2], r[3]])).toEqual([['LOADED', String(EVENTS), String(EVENTS)]]);
    instance = await DuckDBInstance.create(':memory:', { threads: '1', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    duck = await instance.connect();
    await duck.run(`CREATE TABLE ev AS SELECT json AS v FROM read_ndjson_objects('${file}')`);
  });

  afterAll(async () => {
    duck?.closeSync();
    instance?.closeSync();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both loaded every event, in three micro-partitions on Firn', async () => {
    expect((await firn('SELECT COUNT(*), COUNT(DISTINCT v:id::int) FROM ev')).rows).toEqual([[String(EVENTS), String(EVENTS)]]);
    expect((await duckdb(`SELECT COUNT(*), COUNT(DISTINCT ${ID}) FROM ev`)).rows).toEqual([[String(EVENTS), String(EVENTS)]]);
    expect((await postStatement(server.url, 'SELECT COUNT(v:id) FROM ev')).stats.partitionsTotal).toBe(3);
  });

  for (const p of PAIRS) {
    it(p.name, async () => {
      const f = await firn(p.firn);
      const d = await duckdb(p.duckdb);
      const cmp = compareResults(f, d, { ordered: !!p.ordered });
      if (!cmp.same) expect.fail(`Firn vs DuckDB: ${cmp.detail}`);
      expect(f.rows.length).toBeGreaterThan(0);
      for (let c = 0; c < f.types.length; c++) {
        if (!f.rows.some((r) => r[c] !== null)) expect.fail(`column ${c + 1} is NULL in every row: the pair tests nothing there`);
      }
    });
  }

  describe('documented differences, asserted', () => {
    it('ARRAY_SIZE of JSON null or a non-array: Firn NULL (Snowflake), json_array_length 0', async () => {
      const f = await firn('SELECT v:id::int, ARRAY_SIZE(v:items) FROM ev WHERE IS_NULL_VALUE(v:items)');
      const d = await duckdb(`SELECT ${ID}, json_array_length(v, '$.items') FROM ev WHERE json_type(v, '$.items') = 'NULL'`);
      expect(f.rows.length).toBeGreaterThan(50);
      expect([...byId(f).keys()].sort()).toEqual([...byId(d).keys()].sort());
      expect(new Set(f.rows.map((r) => r[1]))).toEqual(new Set([null]));
      expect(new Set(d.rows.map((r) => r[1]))).toEqual(new Set(['0']));
      // An object and a scalar: the same split.
      const fo = await firn("SELECT COUNT(*), COUNT(ARRAY_SIZE(v:user)), COUNT(ARRAY_SIZE(v:mixed)) FROM ev WHERE TYPEOF(v:mixed) IN ('INTEGER', 'VARCHAR', 'OBJECT')");
      const dd = await duckdb(
        `SELECT COUNT(*), COUNT_IF(json_array_length(v, '$.user') = 0), COUNT_IF(json_array_length(v, '$.mixed') = 0) FROM ev WHERE json_type(v, '$.mixed') IN ('UBIGINT', 'BIGINT', 'VARCHAR', 'OBJECT')`,
      );
      const n = fo.rows[0][0];
      expect(Number(n)).toBeGreaterThan(500);
      expect(fo.rows).toEqual([[n, '0', '0']]);
      expect(dd.rows).toEqual([[n, n, n]]);
    });

    it('FLATTEN of JSON null gives no row; json_each gives one row holding the null', async () => {
      const f = await firn('SELECT COUNT(*) FROM ev, LATERAL FLATTEN(input => v:items) f WHERE IS_NULL_VALUE(v:items)');
      expect(f.rows).toEqual([['0']]);
      const nulls = (await firn('SELECT COUNT(*) FROM ev WHERE IS_NULL_VALUE(v:items)')).rows[0][0];
      const d = await duckdb(`SELECT COUNT(*), COUNT_IF(e.type = 'NULL' AND e.value = 'null' AND e.key IS NULL) FROM ev, json_each(ev.v, '$.items') e WHERE json_type(ev.v, '$.items') = 'NULL'`);
      expect(d.rows).toEqual([[nulls, nulls]]);
    });

    it('OBJECT_KEYS is sorted and NULL for a non-object; json_keys keeps document order and answers [] for a non-object', async () => {
      // The generator shuffles every object's keys, so the document order is almost never
      // sorted: unsorted, json_keys differs from OBJECT_KEYS (which the pairs above show equal
      // to json_keys sorted).
      const f = byId(await firn('SELECT v:id::int, OBJECT_KEYS(v)::string FROM ev'));
      const d = byId(await duckdb(`SELECT ${ID}, to_json(json_keys(v))::VARCHAR FROM ev`));
      let reordered = 0;
      for (const [id, [keys]] of f) {
        expect([id, JSON.parse(d.get(id)![0]!).sort()]).toEqual([id, JSON.parse(keys!)]);
        if (d.get(id)![0] !== keys) reordered++;
      }
      expect(reordered).toBeGreaterThan(EVENTS * 0.9);
      const fk = await firn("SELECT v:id::int, OBJECT_KEYS(v:mixed) FROM ev WHERE v:mixed IS NOT NULL AND TYPEOF(v:mixed) <> 'OBJECT'");
      const dk = await duckdb(`SELECT ${ID}, to_json(json_keys(v, '$.mixed'))::VARCHAR FROM ev WHERE ${j('mixed')} IS NOT NULL AND json_type(v, '$.mixed') <> 'OBJECT'`);
      expect(fk.rows.length).toBeGreaterThan(1000);
      expect([...byId(fk).keys()].sort()).toEqual([...byId(dk).keys()].sort());
      expect(new Set(fk.rows.map((r) => r[1]))).toEqual(new Set([null]));
      expect(new Set(dk.rows.map((r) => r[1]))).toEqual(new Set(['[]']));
    });

    it('TYPEOF and json_type name the kinds differently: the whole mapping', async () => {
      const f = byId(await firn('SELECT v:id::int, TYPEOF(v:mixed), TYPEOF(v:amount), TYPEOF(v:big), TYPEOF(v:score) FROM ev'));
      const d = byId(await duckdb(`SELECT ${ID}, json_type(v, '$.mixed'), json_type(v, '$.amount'), json_type(v, '$.big'), json_type(v, '$.score') FROM ev`));
      const pairs = new Set<string>();
      for (const [id, types] of f) types.forEach((t, i) => pairs.add(`${t} ${d.get(id)![i]}`));
      expect([...pairs].sort()).toEqual([
        'ARRAY ARRAY',
        'BOOLEAN BOOLEAN',
        'DECIMAL DOUBLE', // 12.50: Snowflake keeps a literal without exponent as a decimal
        'DOUBLE DOUBLE', // 1.25e2
        'INTEGER BIGINT', // negative
        'INTEGER UBIGINT', // non-negative
        'NULL_VALUE NULL',
        'OBJECT OBJECT',
        'VARCHAR VARCHAR',
        'null null', // a missing key
      ]);
      // Past 2^64 DuckDB types an integer DOUBLE (keeping its text); Firn keeps it an INTEGER (up to 38 digits).
      const big = '18446744073709551616';
      expect((await firn(`SELECT TYPEOF(PARSE_JSON('${big}')), PARSE_JSON('${big}')::string`)).rows).toEqual([['INTEGER', big]]);
      expect((await duckdb(`SELECT json_type('${big}'::JSON), json_extract_string('${big}'::JSON, '$')`)).rows).toEqual([['DOUBLE', big]]);
    });

    it("::string of a number: Firn keeps a decimal's digits and prints a double as Snowflake; DuckDB prints its double", async () => {
      const f = byId(await firn('SELECT v:id::int, v:amount::string FROM ev WHERE TYPEOF(v:amount) = \'DECIMAL\''));
      const d = byId(await duckdb(`SELECT ${ID}, ${js('amount')} FROM ev WHERE json_type(v, '$.amount') = 'DOUBLE'`));
      expect([...f.keys()].sort()).toEqual([...d.keys()].sort());
      let differing = 0;
      for (const [id, [text]] of f) {
        // DuckDB drops trailing fraction zeros, keeping one digit: 86.10 -> 86.1, 100.00 -> 100.0.
        const shortest = text!.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0');
        expect([id, d.get(id)![0]]).toEqual([id, shortest]);
        if (shortest !== text) differing++;
      }
      expect(differing).toBeGreaterThan(100);
      const fs = await firn('SELECT DISTINCT v:score::string FROM ev WHERE v:score IS NOT NULL');
      const ds = await duckdb(`SELECT DISTINCT ${js('score')} FROM ev WHERE ${j('score')} IS NOT NULL`);
      expect(fs.rows.map((r) => r[0]).sort()).toEqual([
        '-2.500000000000000e+10',
        '-3.500000000000000e-01',
        '1.250000000000000e+02',
        '1.500000000000000e-07',
        '4.000000000000000e+00',
        '6.020000000000000e+23',
        '9.750000000000000e+03',
      ]);
      expect(ds.rows.map((r) => r[0]).sort()).toEqual(['-0.35', '-25000000000.0', '1.5e-7', '125.0', '4.0', '6.02e23', '9750.0']);
    });

    it('::string of an object: Firn sorts the keys, DuckDB keeps document order; the same object otherwise', async () => {
      // The user objects hold only strings and integers below 2^53, so JSON.parse loses nothing.
      const f = byId(await firn('SELECT v:id::int, v:user::string, v:user.addr::string FROM ev'));
      const d = byId(await duckdb(`SELECT ${ID}, ${j('user')}::VARCHAR, ${j('user.addr')}::VARCHAR FROM ev`));
      expect(f.size).toBe(EVENTS);
      let reordered = 0;
      for (const [id, texts] of f) {
        const other = d.get(id)!;
        texts.forEach((text, i) => {
          if (text === null) return expect(other[i]).toBeNull();
          expect([id, JSON.stringify(sortKeys(JSON.parse(other[i]!)))]).toEqual([id, text]);
          if (other[i] !== text) reordered++;
        });
      }
      expect(reordered).toBeGreaterThan(EVENTS);
    });

    it('ARRAY_CONTAINS of JSON null is NULL where json_contains is false, of a scalar fails where json_contains answers; json_contains also looks inside nested values', async () => {
      const f = await firn("SELECT v:id::int, ARRAY_CONTAINS('promo'::VARIANT, v:tags) FROM ev WHERE IS_NULL_VALUE(v:tags)");
      const d = await duckdb(`SELECT ${ID}, json_contains(${j('tags')}, '"promo"') FROM ev WHERE json_type(v, '$.tags') = 'NULL'`);
      expect(f.rows.length).toBeGreaterThan(20);
      expect([...byId(f).keys()].sort()).toEqual([...byId(d).keys()].sort());
      expect(new Set(f.rows.map((r) => r[1]))).toEqual(new Set([null]));
      expect(new Set(d.rows.map((r) => r[1]))).toEqual(new Set(['false']));
      // The array argument is cast to ARRAY, which a scalar VARIANT is not (Snowflake's 100071).
      const failure = await expectFailure(server.url, "SELECT ARRAY_CONTAINS('x'::VARIANT, v:mixed) FROM ev WHERE TYPEOF(v:mixed) = 'INTEGER'");
      expect([failure.code, failure.message]).toEqual(['100071', expect.stringMatching(/^Failed to cast variant value -?\d+ to ARRAY/)]);
      expect((await duckdb(`SELECT DISTINCT json_contains(${j('mixed')}, '"x"') FROM ev WHERE json_type(v, '$.mixed') IN ('UBIGINT', 'BIGINT')`)).rows).toEqual([['false']]);
      expect((await firn(`SELECT ARRAY_CONTAINS('promo'::VARIANT, PARSE_JSON('[["promo"], {"t": "promo"}]'))`)).rows).toEqual([['false']]);
      expect((await duckdb(`SELECT json_contains('[["promo"], {"t": "promo"}]'::JSON, '"promo"')`)).rows).toEqual([['true']]);
    });

    it('a third fraction digit cast to NUMBER(12,2): Firn rounds the exact decimal, DuckDB its double', async () => {
      const f = await firn("SELECT PARSE_JSON('{\"a\": 1.005}'):a::NUMBER(12,2), PARSE_JSON('{\"a\": -1.005}'):a::NUMBER(12,2), PARSE_JSON('{\"a\": 1.015}'):a::NUMBER(12,2)");
      const d = await duckdb(`SELECT CAST(json_extract('{"a": 1.005}'::JSON, '$.a') AS DECIMAL(12,2)), CAST(json_extract('{"a": -1.005}'::JSON, '$.a') AS DECIMAL(12,2)), CAST(json_extract('{"a": 1.015}'::JSON, '$.a') AS DECIMAL(12,2))`);
      expect(f).toEqual({ types: [0, 1, 2].map(() => ({ kind: 'number', scale: 2 })), rows: [['1.01', '-1.01', '1.02']] });
      expect(d).toEqual({ types: [0, 1, 2].map(() => ({ kind: 'number', scale: 2 })), rows: [['1.00', '-1.00', '1.01']] });
    });
  });
});
