/**
 * All eight TPC-H tables at a scale factor, as Firn batches laid out as TPCH_COLUMNS
 * (tpch-schema.ts), generated the way dbgen generates them (build.c: mk_cust, mk_supp, mk_part,
 * mk_nation, mk_region; orders and lineitem in lineitem-generator.ts).
 *
 * Why: the TPC-H benchmark and its differential test need every table, consistent with one
 * another exactly as dbgen's are (the lineitem partkey/suppkey pairs are partsupp's rows, every
 * o_custkey is a customer), deterministically and without an external dbgen binary.
 *
 * Contract: tpchBatches(table, sf, maxRows) yields the table's rows in key order, at most
 * maxRows per batch (lineitem: whole orders, maxRows >= 7). Every value except the comments is
 * dbgen's: same streams (dbgen-random.ts), same draws, same formulas, same word lists
 * (dbgen-dists.ts). Row counts: region 5, nation 25, supplier 10,000*SF, customer
 * 150,000*SF, part 200,000*SF, partsupp 4 per part, orders 1,500,000*SF, lineitem ~4 per
 * order (dbgen's fractions below SF 1). Comments (and the Customer...Complaints /
 * Recommends marks dbgen stamps into 10 of every 10,000 supplier comments, which Q16 looks
 * for) are placed as dbgen places them, in text cut from Firn's text pool (text-pool.ts).
 * Part and partsupp use disjoint streams, so generating either alone gives the same rows as
 * dbgen's combined part/partsupp pass; the same holds for orders and lineitem.
 */
import { FirnError } from '../../storage/errors/firn-error.js';
import type { Batch, F64Vector, StrVector } from '../../storage/types/vector.js';
import { COLORS, CONTAINERS, MARKET_SEGMENTS, NATIONS, PART_TYPES, REGIONS } from './dbgen-dists.js';
import { DbgenRandom, DbgenStream, LINES_PER_ORDER_MAX, SUPPLIERS_PER_PART } from './dbgen-random.js';
import { distinctStrings, LineitemGenerator, lineitemScale, partSupplier, poolText, retailPriceCents, taggedNumber } from './lineitem-generator.js';
import { TpchTable } from './tpch-schema.js';
import { textPool } from './text-pool.js';

/** dbgen's V_STR_LOW / V_STR_HGH: text and random strings run from 0.4x to 1.6x their average length. */
const lengthRange = (average: number): [number, number] => [Math.trunc(average * 0.4), Math.trunc(average * 1.6)];
const N_COMMENT = lengthRange(72);
const R_COMMENT = lengthRange(72);
const S_COMMENT = lengthRange(63);
const C_COMMENT = lengthRange(73);
const P_COMMENT = lengthRange(14);
const PS_COMMENT = lengthRange(124);
const ADDRESS = lengthRange(25);

/** dbgen's alpha_num: the 64 characters of addresses. */
const ALPHA_NUM = '0123456789abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ,';
const NAME_WORDS = 5;
const BBB_PER_10000 = 10;
const BBB_BASE = 'Customer ';
const BBB_COMPLAIN = 'Complaints';
const BBB_COMMEND = 'Recommends';
/** "Customer " + noise + "Complaints": the shortest stamp. */
const BBB_LENGTH = 19;
const BBB_DEADBEATS = 50;

/** Rows of a table at a scale factor (lineitem's count needs its lines-per-order stream: lineitemRowCount). */
export function tpchRowCount(table: Exclude<TpchTable, 'lineitem'>, sf: number): number {
  const scale = lineitemScale(sf);
  switch (table) {
    case TpchTable.REGION:
      return REGIONS.length;
    case TpchTable.NATION:
      return NATIONS.length;
    case TpchTable.SUPPLIER:
      return scale.suppliers;
    case TpchTable.CUSTOMER:
      return scale.customers;
    case TpchTable.PART:
      return scale.parts;
    case TpchTable.PARTSUPP:
      return scale.parts * SUPPLIERS_PER_PART;
    case TpchTable.ORDERS:
      return scale.orders;
  }
}

export function* tpchBatches(table: TpchTable, sf: number, maxRows: number): Generator<Batch> {
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new FirnError('BAD_REQUEST', `a batch needs at least one row, got ${maxRows}`);
  const scale = lineitemScale(sf);
  if (table === TpchTable.LINEITEM || table === TpchTable.ORDERS) {
    const gen = new LineitemGenerator(sf);
    if (table === TpchTable.LINEITEM) {
      for (let b = gen.nextBatch(maxRows); b !== null; b = gen.nextBatch(maxRows)) yield b;
      return;
    }
    // Orders come with their lines: room for maxRows orders of up to 7 lines each.
    const lines = maxRows * LINES_PER_ORDER_MAX;
    for (let b = gen.nextOrdersBatch(lines, maxRows); b !== null; b = gen.nextOrdersBatch(lines, maxRows)) yield b.orders;
    return;
  }
  if (table === TpchTable.PARTSUPP) {
    // Whole parts per batch, so a part's four rows stay together.
    const perBatch = Math.max(1, Math.floor(maxRows / SUPPLIERS_PER_PART));
    const gen = new RowGenerator(scale.parts, perBatch, (rng, pool, first, count) => partsuppBatch(rng, pool, first, count, scale.suppliers));
    yield* gen.batches();
    return;
  }
  const make: Record<Exclude<TpchTable, 'lineitem' | 'orders' | 'partsupp'>, BatchMaker> = {
    region: regionBatch,
    nation: nationBatch,
    supplier: supplierBatch,
    customer: customerBatch,
    part: partBatch,
  };
  yield* new RowGenerator(tpchRowCount(table, sf), maxRows, make[table]).batches();
}

/** Makes rows first..first+count-1 (1-based keys) from the table's streams. */
type BatchMaker = (rng: DbgenRandom, pool: string, first: number, count: number) => Batch;

class RowGenerator {
  constructor(
    private readonly rows: number,
    private readonly perBatch: number,
    private readonly make: BatchMaker,
  ) {}

  *batches(): Generator<Batch> {
    const rng = new DbgenRandom();
    const pool = textPool();
    for (let first = 1; first <= this.rows; first += this.perBatch) yield this.make(rng, pool, first, Math.min(this.perBatch, this.rows - first + 1));
  }
}

const REGION_STREAMS = [DbgenStream.R_CMNT];
const NATION_STREAMS = [DbgenStream.N_CMNT];
const SUPPLIER_STREAMS = [
  DbgenStream.S_ADDR,
  DbgenStream.S_NTRG,
  DbgenStream.S_PHNE,
  DbgenStream.S_ABAL,
  DbgenStream.S_CMNT,
  DbgenStream.BBB_OFFSET,
  DbgenStream.BBB_TYPE,
  DbgenStream.BBB_CMNT,
  DbgenStream.BBB_JNK,
];
const CUSTOMER_STREAMS = [DbgenStream.C_ADDR, DbgenStream.C_NTRG, DbgenStream.C_PHNE, DbgenStream.C_ABAL, DbgenStream.C_MSEG, DbgenStream.C_CMNT];
const PART_STREAMS = [DbgenStream.P_NAME, DbgenStream.P_MFG, DbgenStream.P_BRND, DbgenStream.P_TYPE, DbgenStream.P_SIZE, DbgenStream.P_CNTR, DbgenStream.P_CMNT];
const PARTSUPP_STREAMS = [DbgenStream.PS_QTY, DbgenStream.PS_SCST, DbgenStream.PS_CMNT];

function regionBatch(rng: DbgenRandom, pool: string, first: number, count: number): Batch {
  const keys = new Float64Array(count);
  const comments: string[] = [];
  for (let i = 0; i < count; i++) {
    keys[i] = first + i - 1;
    comments.push(poolText(rng, DbgenStream.R_CMNT, pool, ...R_COMMENT));
    rng.rowStop(REGION_STREAMS);
  }
  return { length: count, columns: [f64(keys), codes(keys, REGIONS), distinctStrings(comments)] };
}

function nationBatch(rng: DbgenRandom, pool: string, first: number, count: number): Batch {
  const keys = new Float64Array(count);
  const regions = new Float64Array(count);
  const comments: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = first + i - 1;
    keys[i] = key;
    regions[i] = NATIONS[key][1];
    comments.push(poolText(rng, DbgenStream.N_CMNT, pool, ...N_COMMENT));
    rng.rowStop(NATION_STREAMS);
  }
  const names = NATIONS.map(([name]) => name);
  return { length: count, columns: [f64(keys), codes(keys, names), f64(regions), distinctStrings(comments)] };
}

/** dbgen's a_rnd via V_STR: 10..40 characters of alpha_num, six bits of one draw per character, a draw per 5 characters. */
function address(rng: DbgenRandom, stream: DbgenStream): string {
  const length = rng.unif(stream, ...ADDRESS);
  let out = '';
  let bits = 0;
  for (let i = 0; i < length; i++) {
    if (i % 5 === 0) bits = rng.unifMaxLong(stream);
    out += ALPHA_NUM[bits & 63];
    bits >>= 6;
  }
  return out;
}

/** dbgen's gen_phone: country code 10 + nation key, then three random groups. */
function phone(rng: DbgenRandom, stream: DbgenStream, nation: number): string {
  const area = rng.unif(stream, 100, 999);
  const exchange = rng.unif(stream, 100, 999);
  const number = rng.unif(stream, 1000, 9999);
  return `${10 + nation}-${area}-${exchange}-${number}`;
}

function supplierBatch(rng: DbgenRandom, pool: string, first: number, count: number): Batch {
  const keys = new Float64Array(count);
  const nations = new Float64Array(count);
  const balances = new Float64Array(count);
  const names: string[] = [];
  const addresses: string[] = [];
  const phones: string[] = [];
  const comments: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = first + i;
    keys[i] = key;
    names.push(taggedNumber('Supplier#', key));
    addresses.push(address(rng, DbgenStream.S_ADDR));
    const nation = rng.unif(DbgenStream.S_NTRG, 0, NATIONS.length - 1);
    nations[i] = nation;
    phones.push(phone(rng, DbgenStream.S_PHNE, nation));
    balances[i] = rng.unif(DbgenStream.S_ABAL, -99_999, 999_999);
    let comment = poolText(rng, DbgenStream.S_CMNT, pool, ...S_COMMENT);
    const badPress = rng.unif(DbgenStream.BBB_CMNT, 1, 10_000);
    const type = rng.unif(DbgenStream.BBB_TYPE, 0, 100);
    const noise = rng.unif(DbgenStream.BBB_JNK, 0, comment.length - BBB_LENGTH);
    const offset = rng.unif(DbgenStream.BBB_OFFSET, 0, comment.length - (BBB_LENGTH + noise));
    if (badPress <= BBB_PER_10000) {
      const verdict = type < BBB_DEADBEATS ? BBB_COMPLAIN : BBB_COMMEND;
      const at = offset + BBB_BASE.length + noise;
      comment = comment.slice(0, offset) + BBB_BASE + comment.slice(offset + BBB_BASE.length, at) + verdict + comment.slice(at + verdict.length);
    }
    comments.push(comment);
    rng.rowStop(SUPPLIER_STREAMS);
  }
  return {
    length: count,
    columns: [f64(keys), distinctStrings(names), distinctStrings(addresses), f64(nations), distinctStrings(phones), f64(balances), distinctStrings(comments)],
  };
}

function customerBatch(rng: DbgenRandom, pool: string, first: number, count: number): Batch {
  const keys = new Float64Array(count);
  const nations = new Float64Array(count);
  const balances = new Float64Array(count);
  const segments = new Int32Array(count);
  const names: string[] = [];
  const addresses: string[] = [];
  const phones: string[] = [];
  const comments: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = first + i;
    keys[i] = key;
    names.push(taggedNumber('Customer#', key));
    addresses.push(address(rng, DbgenStream.C_ADDR));
    const nation = rng.unif(DbgenStream.C_NTRG, 0, NATIONS.length - 1);
    nations[i] = nation;
    phones.push(phone(rng, DbgenStream.C_PHNE, nation));
    balances[i] = rng.unif(DbgenStream.C_ABAL, -99_999, 999_999);
    segments[i] = rng.unif(DbgenStream.C_MSEG, 1, MARKET_SEGMENTS.length) - 1;
    comments.push(poolText(rng, DbgenStream.C_CMNT, pool, ...C_COMMENT));
    rng.rowStop(CUSTOMER_STREAMS);
  }
  return {
    length: count,
    columns: [
      f64(keys),
      distinctStrings(names),
      distinctStrings(addresses),
      f64(nations),
      distinctStrings(phones),
      f64(balances),
      str(segments, MARKET_SEGMENTS),
      distinctStrings(comments),
    ],
  };
}

function partBatch(rng: DbgenRandom, pool: string, first: number, count: number): Batch {
  const keys = new Float64Array(count);
  const mfgrs = new Int32Array(count);
  const brands = new Int32Array(count);
  const types = new Int32Array(count);
  const sizes = new Float64Array(count);
  const containers = new Int32Array(count);
  const prices = new Float64Array(count);
  const names: string[] = [];
  const comments: string[] = [];
  const permutation = new Int32Array(COLORS.length);
  for (let i = 0; i < count; i++) {
    const key = first + i;
    keys[i] = key;
    // dbgen's agg_str over permute_dist: shuffle all 92 colours (one draw each), take the first five.
    for (let c = 0; c < permutation.length; c++) permutation[c] = c;
    for (let c = 0; c < permutation.length; c++) {
      const source = rng.unif(DbgenStream.P_NAME, c, permutation.length - 1);
      const t = permutation[source];
      permutation[source] = permutation[c];
      permutation[c] = t;
    }
    let name = COLORS[permutation[0]];
    for (let w = 1; w < NAME_WORDS; w++) name += ` ${COLORS[permutation[w]]}`;
    names.push(name);
    const mfgr = rng.unif(DbgenStream.P_MFG, 1, 5);
    mfgrs[i] = mfgr - 1;
    // Brand#MB: the manufacturer's digit, then 1..5; codes index BRANDS below.
    brands[i] = (mfgr - 1) * 5 + rng.unif(DbgenStream.P_BRND, 1, 5) - 1;
    types[i] = rng.unif(DbgenStream.P_TYPE, 1, PART_TYPES.length) - 1;
    sizes[i] = rng.unif(DbgenStream.P_SIZE, 1, 50);
    containers[i] = rng.unif(DbgenStream.P_CNTR, 1, CONTAINERS.length) - 1;
    prices[i] = retailPriceCents(key);
    comments.push(poolText(rng, DbgenStream.P_CMNT, pool, ...P_COMMENT));
    rng.rowStop(PART_STREAMS);
  }
  return {
    length: count,
    columns: [
      f64(keys),
      distinctStrings(names),
      str(mfgrs, MANUFACTURERS),
      str(brands, BRANDS),
      str(types, PART_TYPES),
      f64(sizes),
      str(containers, CONTAINERS),
      f64(prices),
      distinctStrings(comments),
    ],
  };
}

const MANUFACTURERS = [1, 2, 3, 4, 5].map((m) => `Manufacturer#${m}`);
const BRANDS = [1, 2, 3, 4, 5].flatMap((m) => [1, 2, 3, 4, 5].map((b) => `Brand#${m}${b}`));

function partsuppBatch(rng: DbgenRandom, pool: string, firstPart: number, parts: number, suppliers: number): Batch {
  const n = parts * SUPPLIERS_PER_PART;
  const partkeys = new Float64Array(n);
  const suppkeys = new Float64Array(n);
  const quantities = new Float64Array(n);
  const costs = new Float64Array(n);
  const comments: string[] = [];
  let r = 0;
  for (let p = 0; p < parts; p++) {
    const part = firstPart + p;
    for (let s = 0; s < SUPPLIERS_PER_PART; s++, r++) {
      partkeys[r] = part;
      suppkeys[r] = partSupplier(part, s, suppliers);
      quantities[r] = rng.unif(DbgenStream.PS_QTY, 1, 9999);
      costs[r] = rng.unif(DbgenStream.PS_SCST, 100, 100_000);
      comments.push(poolText(rng, DbgenStream.PS_CMNT, pool, ...PS_COMMENT));
    }
    rng.rowStop(PARTSUPP_STREAMS);
  }
  return { length: n, columns: [f64(partkeys), f64(suppkeys), f64(quantities), f64(costs), distinctStrings(comments)] };
}

function f64(values: Float64Array): F64Vector {
  return { kind: 'f64', length: values.length, values, nulls: null };
}

function str(codes: Int32Array, dict: readonly string[]): StrVector {
  return { kind: 'str', length: codes.length, codes, dict: [...dict], nulls: null };
}

/** A dictionary column whose codes are the keys themselves (region and nation names by key). */
function codes(keys: Float64Array, dict: readonly string[]): StrVector {
  return str(Int32Array.from(keys), dict);
}
