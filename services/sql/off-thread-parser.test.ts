import { afterAll, describe, expect, it } from 'vitest';
import { tpchQueries } from '../../bench/tpch/tpch-queries.js';
import { SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { INLINE_SQL_CHARS, OffThreadParser, PARSE_CACHE_MAX_CHARS } from './off-thread-parser.js';
import { parseSql } from './parse-sql.js';

const parser = new OffThreadParser();
afterAll(() => parser.close());

/** Parses and says whether the parse worker answered it. */
async function parseCounted(sql: string) {
  const before = parser.workerParses;
  const statements = await parser.parse(sql);
  return { statements, onWorker: parser.workerParses === before + 1 };
}

describe('OffThreadParser', () => {
  it('answers every TPC-H query exactly as parseSql does, parsed on its worker thread', async () => {
    for (const q of tpchQueries()) {
      expect(q.sql.length).toBeGreaterThan(INLINE_SQL_CHARS);
      const { statements, onWorker } = await parseCounted(q.sql);
      expect(statements, q.name).toEqual(parseSql(q.sql));
      expect(onWorker, q.name).toBe(true);
    }
  });

  it('keeps the event loop running while the worker parses', async () => {
    // Inline, nothing queued could run before the parse returns.
    let loopRan = false;
    setImmediate(() => {
      loopRan = true;
    });
    const huge = `SELECT ${Array.from({ length: 4000 }, (_, i) => `c${i} + ${i}`).join(', ')} FROM t`;
    await parser.parse(huge);
    expect(loopRan).toBe(true);
  });

  it('parses a short statement inline', async () => {
    const { statements, onWorker } = await parseCounted('SELECT 1 AS one');
    expect(statements).toEqual(parseSql('SELECT 1 AS one'));
    expect(onWorker).toBe(false);
  });

  it('rejects with the error parseSql throws: same class, code, message and position', async () => {
    const bad = `SELECT ${Array.from({ length: 200 }, (_, i) => `c${i}`).join(', ')} FROM t WHERE (a = 1`;
    let thrown: unknown;
    try {
      parseSql(bad);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SqlSyntaxError);
    const rejected = await parser.parse(bad).catch((err: unknown) => err);
    expect(rejected).toBeInstanceOf(SqlSyntaxError);
    expect(rejected).toMatchObject({ codeName: (thrown as SqlSyntaxError).codeName, message: (thrown as SqlSyntaxError).message, position: (thrown as SqlSyntaxError).position });
  });

  it('starts a new worker after close', async () => {
    const sql = tpchQueries()[0].sql;
    await parser.close();
    // Another text: this one's statements are kept from the first test.
    const again = `${sql} `;
    const { statements, onWorker } = await parseCounted(again);
    expect(statements).toEqual(parseSql(again));
    expect(onWorker).toBe(true);
  });

  it('answers a text it parsed before from its cache, with a copy of its own each time', async () => {
    const sql = tpchQueries()[8].sql;
    const first = await parseCounted(sql);
    const second = await parseCounted(sql);
    expect(second.onWorker).toBe(false);
    expect(second.statements).toEqual(parseSql(sql));
    // What a caller does to its statements does not reach the next caller's.
    (second.statements[0] as { kind: string }).kind = 'changed';
    const third = await parseCounted(sql);
    expect(third.statements).toEqual(first.statements);
    expect(third.statements).not.toBe(second.statements);
    expect(third.onWorker).toBe(false);
  });

  it('keeps neither a text that failed nor one longer than PARSE_CACHE_MAX_CHARS', async () => {
    const bad = `SELECT ${Array.from({ length: 200 }, (_, i) => `c${i}`).join(', ')} FROM t WHERE (a = 1`;
    await parser.parse(bad).catch(() => undefined);
    const before = parser.workerParses;
    await expect(parser.parse(bad)).rejects.toBeInstanceOf(SqlSyntaxError);
    expect(parser.workerParses).toBe(before + 1);
    const long = `SELECT 1 AS x FROM t WHERE ${Array.from({ length: PARSE_CACHE_MAX_CHARS / 10 }, (_, i) => `a <> ${i}`).join(' AND ')}`;
    expect(long.length).toBeGreaterThan(PARSE_CACHE_MAX_CHARS);
    await parser.parse(long);
    expect((await parseCounted(long)).onWorker).toBe(true);
  });
});
