import { describe, expect, it } from 'vitest';
import { COLORS, CONTAINERS, MARKET_SEGMENTS, NATIONS, ORDER_PRIORITIES, PART_TYPES, pickIndex, REGIONS, TextDists } from '../../bench/tpch/dbgen-dists.js';
import { DbgenRandom, DbgenStream } from '../../bench/tpch/dbgen-random.js';
import { CURRENT_DAY, LineitemGenerator, lineitemScale, partSupplier, retailPriceCents, sparseOrderKey } from '../../bench/tpch/lineitem-generator.js';
import { encodeCsv } from '../../bench/tpch/tpch-csv.js';
import { tpchBatches, tpchRowCount } from '../../bench/tpch/tpch-generator.js';
import { TPCH_COLUMNS, TPCH_TABLES, TpchTable } from '../../bench/tpch/tpch-schema.js';
import { textPool, TEXT_POOL_SIZE } from '../../bench/tpch/text-pool.js';
import { FirnError } from '../../storage/errors/firn-error.js';
import type { Batch, F64Vector, I32Vector, StrVector } from '../../storage/types/vector.js';

const tables = new Map<string, Batch>();
/** Every row of a table as one batch (generated once per table and scale factor). */
function table(t: TpchTable, sf: number): Batch {
  const key = `${t}@${sf}`;
  if (!tables.has(key)) {
    const batches = [...tpchBatches(t, sf, 10_000_000)];
    expect(batches).toHaveLength(1);
    tables.set(key, batches[0]);
  }
  return tables.get(key)!;
}

const f64 = (b: Batch, i: number) => (b.columns[i] as F64Vector).values;
const i32 = (b: Batch, i: number) => (b.columns[i] as I32Vector).values;
const strs = (b: Batch, i: number) => {
  const v = b.columns[i] as StrVector;
  return Array.from(v.codes, (c) => v.dict[c]);
};

/** The first rows of a table at `sf` as dbgen's .tbl lines, each comment (the last column) replaced by its length. */
function firstRows(t: TpchTable, sf: number, n: number): string[] {
  const b = tpchBatches(t, sf, t === TpchTable.LINEITEM ? 7 : n).next().value as Batch;
  return encodeCsv(TPCH_COLUMNS[t], b, 0, n)
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const fields = line.split('|');
      return [...fields.slice(0, -1), String(fields[fields.length - 1].length)].join('|');
    });
}

describe("TPC-H tables hold dbgen's values", () => {
  // dbgen -s 1 (TPC-H 2.x/3.x), every column but the comment text; each comment's length is dbgen's.
  it('region and nation', () => {
    expect(firstRows(TpchTable.REGION, 1, 1)).toEqual(['0|AFRICA|115']);
    expect(firstRows(TpchTable.NATION, 1, 2)).toEqual(['0|ALGERIA|0|51', '1|ARGENTINA|1|76']);
  });

  it('supplier', () => {
    expect(firstRows(TpchTable.SUPPLIER, 1, 2)).toEqual([
      '1|Supplier#000000001| N kD4on9OM Ipw3,gf0JBoQDd7tgrzrddZ|17|27-918-335-1736|5755.94|28',
      '2|Supplier#000000002|89eJ5ksX3ImxJQBvxObC,|5|15-679-861-2259|4032.68|39',
    ]);
  });

  it('customer', () => {
    expect(firstRows(TpchTable.CUSTOMER, 1, 3).map((r) => r.slice(0, r.lastIndexOf('|')))).toEqual([
      '1|Customer#000000001|IVhzIApeRb ot,c,E|15|25-989-741-2988|711.56|BUILDING',
      '2|Customer#000000002|XSTf4,NCwDVaWNe6tEgvwfmRchLXak|13|23-768-687-3665|121.65|AUTOMOBILE',
      '3|Customer#000000003|MG9kdTD2WBHm|1|11-719-748-3364|7498.12|AUTOMOBILE',
    ]);
    expect(firstRows(TpchTable.CUSTOMER, 1, 2).map((r) => r.slice(r.lastIndexOf('|') + 1))).toEqual(['62', '63']);
  });

  it('part and partsupp', () => {
    expect(firstRows(TpchTable.PART, 1, 3).map((r) => r.slice(0, r.lastIndexOf('|')))).toEqual([
      '1|goldenrod lavender spring chocolate lace|Manufacturer#1|Brand#13|PROMO BURNISHED COPPER|7|JUMBO PKG|901.00',
      '2|blush thistle blue yellow saddle|Manufacturer#1|Brand#13|LARGE BRUSHED BRASS|1|LG CASE|902.00',
      '3|spring green yellow purple cornsilk|Manufacturer#4|Brand#42|STANDARD POLISHED BRASS|21|WRAP CASE|903.00',
    ]);
    expect(firstRows(TpchTable.PART, 1, 1)).toEqual(['1|goldenrod lavender spring chocolate lace|Manufacturer#1|Brand#13|PROMO BURNISHED COPPER|7|JUMBO PKG|901.00|15']);
    expect(firstRows(TpchTable.PARTSUPP, 1, 4).map((r) => r.slice(0, r.lastIndexOf('|')))).toEqual(['1|2|3325|771.64', '1|2502|8076|993.49', '1|5002|3956|337.09', '1|7502|4069|357.84']);
    expect(firstRows(TpchTable.PARTSUPP, 1, 1)).toEqual(['1|2|3325|771.64|192']);
  });

  it('orders, whose lines are lineitem', () => {
    expect(firstRows(TpchTable.ORDERS, 1, 3).map((r) => r.slice(0, r.lastIndexOf('|')))).toEqual([
      '1|36901|O|173665.47|1996-01-02|5-LOW|Clerk#000000951|0',
      '2|78002|O|46929.18|1996-12-01|1-URGENT|Clerk#000000880|0',
      '3|123314|F|193846.25|1993-10-14|5-LOW|Clerk#000000955|0',
    ]);
    expect(firstRows(TpchTable.ORDERS, 1, 2).map((r) => r.slice(r.lastIndexOf('|') + 1))).toEqual(['34', '56']);
    expect(firstRows(TpchTable.LINEITEM, 1, 1)).toEqual(['1|155190|7706|1|17.00|21168.23|0.04|0.02|N|O|1996-03-13|1996-02-12|1996-03-22|DELIVER IN PERSON|TRUCK|23']);
  });
});

describe('TPC-H tables at SF 0.01', () => {
  const sf = 0.01;
  const { parts, suppliers, customers, orders: orderCount } = lineitemScale(sf);
  const region = table(TpchTable.REGION, sf);
  const nation = table(TpchTable.NATION, sf);
  const supplier = table(TpchTable.SUPPLIER, sf);
  const customer = table(TpchTable.CUSTOMER, sf);
  const part = table(TpchTable.PART, sf);
  const partsupp = table(TpchTable.PARTSUPP, sf);
  const orders = table(TpchTable.ORDERS, sf);
  const lineitem = table(TpchTable.LINEITEM, sf);

  it("have the spec's row counts", () => {
    expect([region, nation, supplier, customer, part, partsupp, orders, lineitem].map((b) => b.length)).toEqual([5, 25, 100, 1500, 2000, 8000, 15000, 60175]);
    for (const t of TPCH_TABLES.filter((x) => x !== TpchTable.LINEITEM)) expect(tpchRowCount(t as Exclude<TpchTable, 'lineitem'>, sf), t).toBe(table(t, sf).length);
    for (const t of TPCH_TABLES) {
      const b = table(t, sf);
      expect(b.columns.map((c) => c.length), t).toEqual(TPCH_COLUMNS[t].map(() => b.length));
    }
  });

  it('region and nation: the spec\'s names, nation keys mapped to their regions', () => {
    expect(strs(region, 1)).toEqual([...REGIONS]);
    expect(Array.from(f64(region, 0))).toEqual([0, 1, 2, 3, 4]);
    expect(strs(nation, 1)).toEqual(NATIONS.map(([n]) => n));
    expect(Array.from(f64(nation, 2))).toEqual(NATIONS.map(([, r]) => r));
    const regionOf = Object.fromEntries(NATIONS);
    expect([regionOf.GERMANY, regionOf.JAPAN, regionOf['UNITED STATES'], regionOf.EGYPT, regionOf.KENYA]).toEqual([3, 2, 1, 4, 0]);
    for (const c of [...strs(region, 2), ...strs(nation, 3)]) expect(c.length >= 28 && c.length <= 115).toBe(true);
  });

  it('supplier and customer: names, addresses, phones by nation, balances, segments, comments in their domains', () => {
    for (const [b, tag, commentMin, commentMax] of [
      [supplier, 'Supplier#', 25, 100],
      [customer, 'Customer#', 29, 116],
    ] as const) {
      const keys = f64(b, 0);
      const names = strs(b, 1);
      const addresses = strs(b, 2);
      const nations = f64(b, 3);
      const phones = strs(b, 4);
      const balances = f64(b, 5);
      const comments = strs(b, b.columns.length - 1);
      for (let i = 0; i < b.length; i++) {
        expect(keys[i]).toBe(i + 1);
        expect(names[i]).toBe(`${tag}${String(i + 1).padStart(9, '0')}`);
        expect(addresses[i]).toMatch(/^[0-9a-zA-Z ,]{10,40}$/);
        expect(nations[i] >= 0 && nations[i] <= 24).toBe(true);
        expect(phones[i]).toMatch(new RegExp(`^${10 + nations[i]}-[1-9]\\d\\d-[1-9]\\d\\d-[1-9]\\d{3}$`));
        expect(balances[i] >= -99_999 && balances[i] <= 999_999 && Number.isInteger(balances[i])).toBe(true);
        expect(comments[i].length >= commentMin && comments[i].length <= commentMax).toBe(true);
      }
    }
    expect(new Set(strs(customer, 6))).toEqual(new Set(MARKET_SEGMENTS));
  });

  it('part: five distinct colours, manufacturer and its brand, type, size, container, dbgen retail price', () => {
    const names = strs(part, 1);
    const mfgr = strs(part, 2);
    const brand = strs(part, 3);
    const types = strs(part, 4);
    const sizes = f64(part, 5);
    const containers = strs(part, 6);
    const prices = f64(part, 7);
    const comments = strs(part, 8);
    for (let i = 0; i < part.length; i++) {
      const words = names[i].split(' ');
      expect(words).toHaveLength(5);
      expect(new Set(words).size).toBe(5);
      for (const w of words) expect(COLORS).toContain(w);
      const m = /^Manufacturer#([1-5])$/.exec(mfgr[i]);
      expect(m).not.toBeNull();
      expect(brand[i]).toMatch(new RegExp(`^Brand#${m![1]}[1-5]$`));
      expect(PART_TYPES).toContain(types[i]);
      expect(sizes[i] >= 1 && sizes[i] <= 50).toBe(true);
      expect(CONTAINERS).toContain(containers[i]);
      expect(prices[i]).toBe(retailPriceCents(i + 1));
      expect(comments[i].length >= 5 && comments[i].length <= 22).toBe(true);
    }
    expect(names.filter((n) => n.includes('green')).length).toBeGreaterThan(0);
  });

  it('partsupp: four distinct suppliers per part by the bridge, quantities and costs in range', () => {
    const pk = f64(partsupp, 0);
    const sk = f64(partsupp, 1);
    const qty = f64(partsupp, 2);
    const cost = f64(partsupp, 3);
    const comments = strs(partsupp, 4);
    for (let p = 1; p <= parts; p++) {
      const rows = [0, 1, 2, 3].map((s) => (p - 1) * 4 + s);
      expect(rows.map((r) => pk[r])).toEqual([p, p, p, p]);
      expect(rows.map((r) => sk[r])).toEqual([0, 1, 2, 3].map((s) => partSupplier(p, s, suppliers)));
      expect(new Set(rows.map((r) => sk[r])).size).toBe(4);
    }
    for (let i = 0; i < partsupp.length; i++) {
      expect(qty[i] >= 1 && qty[i] <= 9999).toBe(true);
      expect(cost[i] >= 100 && cost[i] <= 100_000).toBe(true);
      expect(comments[i].length >= 49 && comments[i].length <= 198).toBe(true);
    }
  });

  it('orders agree with their lines: keys, status, total price, dates; customers are never multiples of 3', () => {
    const ok = f64(orders, 0);
    const cust = f64(orders, 1);
    const status = strs(orders, 2);
    const total = f64(orders, 3);
    const odate = i32(orders, 4);
    const prio = strs(orders, 5);
    const clerk = strs(orders, 6);
    const shipprio = f64(orders, 7);
    const comments = strs(orders, 8);
    const lok = f64(lineitem, 0);
    const price = f64(lineitem, 5);
    const disc = f64(lineitem, 6);
    const tax = f64(lineitem, 7);
    const lstatus = strs(lineitem, 9);
    const ship = i32(lineitem, 10);
    let line = 0;
    for (let o = 0; o < orders.length; o++) {
      expect(ok[o]).toBe(sparseOrderKey(o + 1));
      expect(cust[o] >= 1 && cust[o] <= customers && cust[o] % 3 !== 0).toBe(true);
      expect(ORDER_PRIORITIES).toContain(prio[o]);
      expect(clerk[o]).toMatch(/^Clerk#\d{9}$/);
      const clerkNo = Number(clerk[o].slice(6));
      expect(clerkNo >= 1 && clerkNo <= 1000).toBe(true);
      expect(shipprio[o]).toBe(0);
      expect(comments[o].length >= 19 && comments[o].length <= 78).toBe(true);
      let sum = 0;
      let shipped = 0;
      let lines = 0;
      for (; line < lineitem.length && lok[line] === ok[o]; line++, lines++) {
        sum += Math.floor((Math.floor((price[line] * (100 - disc[line])) / 100) * (100 + tax[line])) / 100);
        if (lstatus[line] === 'F') shipped++;
        const days = ship[line] - odate[o];
        expect(days >= 1 && days <= 121).toBe(true);
        expect(lstatus[line] === 'F').toBe(ship[line] <= CURRENT_DAY);
      }
      expect(lines >= 1 && lines <= 7).toBe(true);
      expect(total[o]).toBe(sum);
      expect(status[o]).toBe(shipped === lines ? 'F' : shipped === 0 ? 'O' : 'P');
    }
    expect(line).toBe(lineitem.length);
    expect(orders.length).toBe(orderCount);
    expect(new Set(status)).toEqual(new Set(['F', 'O', 'P']));
  });

  it('are consistent with one another: every line is a partsupp row, every key has its row', () => {
    const ps = new Set<string>();
    for (let i = 0; i < partsupp.length; i++) ps.add(`${f64(partsupp, 0)[i]}|${f64(partsupp, 1)[i]}`);
    const lpk = f64(lineitem, 1);
    const lsk = f64(lineitem, 2);
    for (let i = 0; i < lineitem.length; i++) expect(ps.has(`${lpk[i]}|${lsk[i]}`)).toBe(true);
    expect(Math.max(...f64(supplier, 3))).toBeLessThan(nation.length);
    expect(Math.max(...f64(customer, 0))).toBe(customers);
    expect(Math.max(...f64(part, 0))).toBe(parts);
  });

  it('do not depend on the batch size, and orders do not change lineitem', () => {
    for (const t of TPCH_TABLES) {
      const csv = (maxRows: number) => [...tpchBatches(t, sf, maxRows)].map((b) => encodeCsv(TPCH_COLUMNS[t], b, 0, b.length)).join('');
      const small = t === TpchTable.LINEITEM ? 997 : 7;
      expect(csv(small), t).toBe(encodeCsv(TPCH_COLUMNS[t], table(t, sf), 0, table(t, sf).length));
    }
    const lines = new LineitemGenerator(sf);
    const both = new LineitemGenerator(sf);
    for (let a = lines.nextBatch(5000); a !== null; a = lines.nextBatch(5000)) {
      const b = both.nextOrdersBatch(5000)!;
      expect(encodeCsv(TPCH_COLUMNS.lineitem, b.lineitem, 0, b.lineitem.length)).toBe(encodeCsv(TPCH_COLUMNS.lineitem, a, 0, a.length));
    }
    expect(both.nextOrdersBatch(5000)).toBeNull();
    for (const b of tpchBatches(TpchTable.ORDERS, sf, 100)) expect(b.length).toBeLessThanOrEqual(100);
  });

  it('rejects batches too small to hold a row', () => {
    expect(() => tpchBatches(TpchTable.REGION, sf, 0).next()).toThrow(FirnError);
    expect(() => tpchBatches(TpchTable.LINEITEM, sf, 6).next()).toThrow(FirnError);
  });
});

describe("dbgen's random streams and word lists", () => {
  it('keep streams apart and skip each to its per-row boundary', () => {
    const a = new DbgenRandom();
    const b = new DbgenRandom();
    a.unif(DbgenStream.C_ADDR, 1, 100);
    a.rowStop([DbgenStream.C_ADDR]);
    for (let i = 0; i < 9; i++) b.unif(DbgenStream.C_ADDR, 1, 100);
    b.rowStop([DbgenStream.C_ADDR]);
    expect(a.unif(DbgenStream.C_ADDR, 1, 1_000_000)).toBe(b.unif(DbgenStream.C_ADDR, 1, 1_000_000));
    expect(a.unif(DbgenStream.C_NTRG, 0, 24)).toBe(new DbgenRandom().unif(DbgenStream.C_NTRG, 0, 24));
  });

  it("draws UnifInt(0, MAX_LONG) in dbgen's wrapped range (-2^31, 0]", () => {
    const r = new DbgenRandom();
    for (let i = 0; i < 1000; i++) {
      const v = r.unifMaxLong(DbgenStream.S_ADDR);
      expect(Number.isInteger(v) && v <= 0 && v > -(2 ** 31)).toBe(true);
    }
  });

  it("lists dists.dss's members, and pick_str follows the weights", () => {
    expect([COLORS.length, PART_TYPES.length, CONTAINERS.length, NATIONS.length]).toEqual([92, 150, 40, 25]);
    expect([TextDists.nouns, TextDists.verbs, TextDists.adjectives, TextDists.adverbs, TextDists.prepositions, TextDists.auxillaries].map((d) => d.members.length)).toEqual([
      45, 40, 29, 28, 47, 18,
    ]);
    expect(PART_TYPES[0]).toBe('STANDARD ANODIZED TIN');
    expect(PART_TYPES[149]).toBe('PROMO BRUSHED COPPER');
    const r = new DbgenRandom();
    const counts = new Array<number>(TextDists.terminators.members.length).fill(0);
    for (let i = 0; i < 55_000; i++) counts[pickIndex(r, DbgenStream.TEXT, TextDists.terminators)]++;
    // '.' has weight 50 of 55; the five others 1 each.
    expect(counts[0] / 55_000).toBeGreaterThan(0.88);
    expect(counts[0] / 55_000).toBeLessThan(0.94);
    for (const c of counts.slice(1)) expect(c).toBeGreaterThan(700);
  });

  it('builds the text pool from the grammar, the same every time', () => {
    const pool = textPool();
    expect(pool).toHaveLength(TEXT_POOL_SIZE);
    expect(textPool()).toBe(pool);
    expect(pool).toMatch(/^[A-Za-z ,.;:?!-]+$/);
    const words = pool.split(/[ ,.;:?!]+/).filter((w) => w !== '' && !w.includes('-'));
    const vocabulary = new Set(Object.values(TextDists).flatMap((d) => d.members.flatMap((m) => m.split(' '))));
    // Only the last word may be cut short by the pool's end.
    for (const w of words.slice(0, -1)) expect(vocabulary.has(w), w).toBe(true);
    expect(pool.includes('special') && pool.includes('requests')).toBe(true);
  });
});
