import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLineitemCsv } from '../../bench/tpch/lineitem-csv.js';
import { ensureLineitemFiles, rowsInShipdateRange, type LineitemFileSet } from '../../bench/tpch/lineitem-files.js';
import {
  CURRENT_DAY,
  LINEITEM_COLUMNS,
  LineitemGenerator,
  lineitemRowCount,
  lineitemScale,
  partSupplier,
  retailPriceCents,
  SHIP_INSTRUCTIONS,
  SHIP_MODES,
  sparseOrderKey,
  START_DAY,
} from '../../bench/tpch/lineitem-generator.js';
import { readParquetFile } from '../../storage/partition/partition-reader.js';
import { FirnError } from '../../storage/errors/firn-error.js';
import type { Batch, F64Vector, I32Vector, StrVector } from '../../storage/types/vector.js';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

function allRows(sf: number, maxRows: number): Batch[] {
  const gen = new LineitemGenerator(sf);
  const batches: Batch[] = [];
  for (let b = gen.nextBatch(maxRows); b !== null; b = gen.nextBatch(maxRows)) batches.push(b);
  return batches;
}

describe('lineitem row counts', () => {
  it("matches dbgen's published counts", () => {
    expect(lineitemRowCount(0.01)).toBe(60_175);
    expect(lineitemRowCount(0.1)).toBe(600_572);
    expect(lineitemRowCount(1)).toBe(6_001_215);
  });

  it('scales tables like dbgen and rejects scale factors dbgen does not accept', () => {
    expect(lineitemScale(0.01)).toEqual({ sf: 0.01, orders: 15_000, parts: 2_000, suppliers: 100, customers: 1_500 });
    expect(lineitemScale(2)).toEqual({ sf: 2, orders: 3_000_000, parts: 400_000, suppliers: 20_000, customers: 300_000 });
    expect(() => lineitemScale(1.5)).toThrow(FirnError);
    expect(() => lineitemScale(0.0005)).toThrow(FirnError);
    expect(() => lineitemScale(0)).toThrow(FirnError);
  });

  it('generates exactly that many rows, in whole orders, never more than asked per batch', () => {
    const batches = allRows(0.01, 1000);
    expect(batches.reduce((n, b) => n + b.length, 0)).toBe(60_175);
    batches.forEach((b, i) => {
      expect(b.length).toBeLessThanOrEqual(1000);
      if (i < batches.length - 1) expect(b.length).toBeGreaterThan(1000 - 7);
      expect((b.columns[3] as F64Vector).values[0]).toBe(1);
      for (const c of b.columns) expect(c.length).toBe(b.length);
    });
  });

  it('does not depend on the batch size', () => {
    const small = allRows(0.01, 777);
    const big = allRows(0.01, 100_000);
    expect(big).toHaveLength(1);
    const rows = (bs: Batch[]) => bs.map((b) => encodeLineitemCsv(b, 0, b.length)).join('');
    expect(rows(small)).toBe(rows(big));
  });
});

describe("lineitem values are dbgen's", () => {
  it("reproduces the first rows of dbgen's SF1 lineitem.tbl (all columns but the comment text)", () => {
    const b = new LineitemGenerator(1).nextBatch(13)!;
    const text = encodeLineitemCsv(b, 0, b.length)
      .trimEnd()
      .split('\n')
      .map((line) => {
        const fields = line.split('|');
        return [...fields.slice(0, 15), String(fields[15].length)].join('|');
      });
    // dbgen -s 1 lineitem.tbl, with each comment replaced by its length.
    expect(text).toEqual([
      '1|155190|7706|1|17.00|21168.23|0.04|0.02|N|O|1996-03-13|1996-02-12|1996-03-22|DELIVER IN PERSON|TRUCK|23',
      '1|67310|7311|2|36.00|45983.16|0.09|0.06|N|O|1996-04-12|1996-02-28|1996-04-20|TAKE BACK RETURN|MAIL|34',
      '1|63700|3701|3|8.00|13309.60|0.10|0.02|N|O|1996-01-29|1996-03-05|1996-01-31|TAKE BACK RETURN|REG AIR|29',
      '1|2132|4633|4|28.00|28955.64|0.09|0.06|N|O|1996-04-21|1996-03-30|1996-05-16|NONE|AIR|23',
      '1|24027|1534|5|24.00|22824.48|0.10|0.04|N|O|1996-03-30|1996-03-14|1996-04-01|NONE|FOB|24',
      '1|15635|638|6|32.00|49620.16|0.07|0.02|N|O|1996-01-30|1996-02-07|1996-02-03|DELIVER IN PERSON|MAIL|17',
      '2|106170|1191|1|38.00|44694.46|0.00|0.05|N|O|1997-01-28|1997-01-14|1997-02-02|TAKE BACK RETURN|RAIL|31',
      '3|4297|1798|1|45.00|54058.05|0.06|0.00|R|F|1994-02-02|1994-01-04|1994-02-23|NONE|AIR|35',
      '3|19036|6540|2|49.00|46796.47|0.10|0.00|R|F|1993-11-09|1993-12-20|1993-11-24|TAKE BACK RETURN|RAIL|22',
      '3|128449|3474|3|27.00|39890.88|0.06|0.07|A|F|1994-01-16|1993-11-22|1994-01-23|DELIVER IN PERSON|SHIP|16',
      '3|29380|1883|4|2.00|2618.76|0.01|0.06|A|F|1993-12-04|1994-01-07|1994-01-01|NONE|TRUCK|21',
      '3|183095|650|5|28.00|32986.52|0.04|0.00|R|F|1993-12-14|1994-01-10|1994-01-01|TAKE BACK RETURN|FOB|22',
      '3|62143|9662|6|26.00|28733.64|0.10|0.02|A|F|1993-10-29|1993-12-18|1993-11-04|TAKE BACK RETURN|RAIL|25',
    ]);
  });

  it('uses sparse order keys: 8 of every 32, starting at 1', () => {
    expect([1, 7, 8, 9, 15, 16].map(sparseOrderKey)).toEqual([1, 7, 32, 33, 39, 64]);
  });

  it('keeps every column in its TPC-H domain (SF 0.01, every row)', () => {
    const [b] = allRows(0.01, 100_000);
    const f = (i: number) => (b.columns[i] as F64Vector).values;
    const d = (i: number) => (b.columns[i] as I32Vector).values;
    const s = (i: number) => b.columns[i] as StrVector;
    const [orderkey, partkey, suppkey, linenumber, quantity, price, discount, tax] = [0, 1, 2, 3, 4, 5, 6, 7].map(f);
    const [rflag, lstatus, instruct, mode, comment] = [s(8), s(9), s(13), s(14), s(15)];
    const [ship, commit, receipt] = [d(10), d(11), d(12)];
    const orderFirst = day('1992-01-01');
    const orderLast = day('1998-08-02');
    const violations = new Map<string, number>();
    const check = (ok: boolean, rule: string) => {
      if (!ok) violations.set(rule, (violations.get(rule) ?? 0) + 1);
    };
    const seen = { flags: new Set<string>(), instruct: new Set<string>(), modes: new Set<string>() };
    let orders = 0;
    let orderDayMin = 0;
    let orderDayMax = 0;
    for (let i = 0; i < b.length; i++) {
      const line = linenumber[i];
      if (line === 1) {
        orders++;
        orderDayMin = Number.NEGATIVE_INFINITY;
        orderDayMax = Number.POSITIVE_INFINITY;
      } else {
        check(orderkey[i] === orderkey[i - 1], 'lines of one order are adjacent');
        check(line === linenumber[i - 1] + 1, 'linenumber counts 1, 2, ...');
        check(orderkey[i] > 0, 'orderkey positive');
      }
      if (line === 1 && i > 0) check(orderkey[i] > orderkey[i - 1], 'orderkeys ascend');
      check(line <= 7, 'at most 7 lines');
      check(orderkey[i] % 32 < 8, 'sparse orderkey');
      check(partkey[i] >= 1 && partkey[i] <= 2000, 'partkey in 1..2000');
      check([0, 1, 2, 3].some((k) => partSupplier(partkey[i], k, 100) === suppkey[i]), 'suppkey supplies the part');
      check(quantity[i] % 100 === 0 && quantity[i] >= 100 && quantity[i] <= 5000, 'quantity in 1..50');
      check(price[i] === (quantity[i] / 100) * retailPriceCents(partkey[i]), 'extendedprice = quantity * retailprice');
      check(Number.isInteger(discount[i]) && discount[i] >= 0 && discount[i] <= 10, 'discount in 0.00..0.10');
      check(Number.isInteger(tax[i]) && tax[i] >= 0 && tax[i] <= 8, 'tax in 0.00..0.08');
      // The order date is hidden, but shipdate - 1..121 and commitdate - 30..90 bound it.
      orderDayMin = Math.max(orderDayMin, ship[i] - 121, commit[i] - 90);
      orderDayMax = Math.min(orderDayMax, ship[i] - 1, commit[i] - 30);
      check(orderDayMin <= orderDayMax, 'one orderdate fits every line of the order');
      check(orderDayMax >= orderFirst && orderDayMin <= orderLast, 'orderdate in 1992-01-01..1998-08-02');
      check(receipt[i] - ship[i] >= 1 && receipt[i] - ship[i] <= 30, 'receiptdate = shipdate + 1..30');
      const flag = rflag.dict[rflag.codes[i]];
      seen.flags.add(flag);
      check((flag === 'N') === receipt[i] > CURRENT_DAY, 'returnflag N exactly when received after 1995-06-17');
      check(lstatus.dict[lstatus.codes[i]] === (ship[i] > CURRENT_DAY ? 'O' : 'F'), 'linestatus from shipdate');
      seen.instruct.add(instruct.dict[instruct.codes[i]]);
      seen.modes.add(mode.dict[mode.codes[i]]);
      const text = comment.dict[comment.codes[i]];
      check(text.length >= 10 && text.length <= 43, 'comment 10..43 characters');
      check(/^[A-Za-z ,.;:?!-]+$/.test(text), 'comment is plain text');
    }
    expect(Object.fromEntries(violations)).toEqual({});
    expect(orders).toBe(15_000);
    expect([...seen.flags].sort()).toEqual(['A', 'N', 'R']);
    expect([...seen.instruct].sort()).toEqual([...SHIP_INSTRUCTIONS].sort());
    expect([...seen.modes].sort()).toEqual([...SHIP_MODES].sort());
    expect(Math.min(...ship)).toBeGreaterThanOrEqual(START_DAY + 1);
  });

  it('computes p_retailprice like dbgen', () => {
    expect(retailPriceCents(155190)).toBe(124519);
    expect(retailPriceCents(1)).toBe(90100);
    expect(retailPriceCents(200000)).toBe(90000 + 20000);
  });
});

describe('lineitem files', () => {
  let root: string;
  let first: LineitemFileSet;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'firn-lineitem-'));
    first = await ensureLineitemFiles({ sf: 0.01, root: path.join(root, 'a'), rowsPerFile: 25_000 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes CSV and Parquet per ~rowsPerFile rows, with a manifest', () => {
    expect(first.reused).toBe(false);
    expect(first.manifest.rows).toBe(60_175);
    expect(first.parquetFiles.map((p) => path.basename(p))).toEqual(['lineitem-000.parquet', 'lineitem-001.parquet', 'lineitem-002.parquet']);
    expect(first.csvFiles).toHaveLength(3);
    expect(first.manifest.files.reduce((n, f) => n + f.rows, 0)).toBe(60_175);
    const csv = readFileSync(first.csvFiles[0], 'utf8').split('\n');
    expect(csv[0]).toBe(LINEITEM_COLUMNS.map((c) => c.name).join('|'));
    expect(csv.length - 2).toBe(first.manifest.files[0].rows);
    expect(csv[1].split('|')).toHaveLength(16);
    expect(csv[csv.length - 1]).toBe('');
  });

  it('writes identical bytes on a second, independent run', async () => {
    const second = await ensureLineitemFiles({ sf: 0.01, root: path.join(root, 'b'), rowsPerFile: 25_000 });
    expect(second.reused).toBe(false);
    for (const [a, b] of [...first.parquetFiles.map((p, i) => [p, second.parquetFiles[i]]), ...first.csvFiles.map((p, i) => [p, second.csvFiles[i]])]) {
      expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    }
  });

  it('Parquet files read back as Firn-typed lineitem with the same rows as the CSV', async () => {
    const file = await readParquetFile(new Uint8Array(readFileSync(first.parquetFiles[1])), 'lineitem-001');
    expect(file.columns.map((c) => c.name)).toEqual(LINEITEM_COLUMNS.map((c) => c.name));
    expect(file.columns.map((c) => c.type)).toEqual(LINEITEM_COLUMNS.map((c) => c.type));
    expect(file.rowCount).toBe(first.manifest.files[1].rows);
    const text: string[] = [];
    for await (const b of file.batches()) text.push(encodeLineitemCsv(b, 0, b.length));
    const csv = readFileSync(first.csvFiles[1], 'utf8');
    expect(csv.slice(csv.indexOf('\n') + 1)).toBe(text.join(''));
  });

  it('reuses files whose manifest matches, and regenerates when it does not', async () => {
    const again = await ensureLineitemFiles({ sf: 0.01, root: path.join(root, 'a'), rowsPerFile: 25_000 });
    expect(again.reused).toBe(true);
    expect(again.parquetFiles).toEqual(first.parquetFiles);
    const manifestFile = path.join(first.dir, 'manifest.json');
    writeFileSync(manifestFile, JSON.stringify({ ...first.manifest, version: first.manifest.version - 1 }));
    const regenerated = await ensureLineitemFiles({ sf: 0.01, root: path.join(root, 'a'), rowsPerFile: 25_000 });
    expect(regenerated.reused).toBe(false);
    expect(JSON.parse(readFileSync(manifestFile, 'utf8')).version).toBe(first.manifest.version);
  });

  it('counts the rows of each file in a shipdate range from the manifest', () => {
    const from = day('1995-03-01');
    const to = day('1995-03-31');
    const expected = allRows(0.01, 25_000).map((b) => (b.columns[10] as I32Vector).values.filter((d) => d >= from && d <= to).length);
    expect(expected.every((n) => n > 0)).toBe(true);
    expect(rowsInShipdateRange(first.manifest, from, to)).toEqual(expected);
    expect(rowsInShipdateRange(first.manifest, day('1990-01-01'), day('2000-01-01'))).toEqual(first.manifest.files.map((f) => f.rows));
  });
});
