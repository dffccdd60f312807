/**
 * TPC-H orders and lineitem, generated the way dbgen generates them (mk_order in build.c),
 * as Firn batches (storage/types/vector.ts).
 *
 * Why: the benchmark needs lineitem and orders at any scale factor without an external dbgen
 * binary, deterministically (same bytes every run, no Math.random), and in Firn's own types.
 *
 * Contract:
 *  - Every column except the comments is dbgen's value exactly: the same random streams
 *    (dbgen-random.ts), the same per-order draws and the same formulas: orders 1..1.5M*SF with
 *    sparse keys (mk_sparse: of every 32 keys the first 8 are used, key 0 excepted), 1..7 lines
 *    per order, so the row count is dbgen's (SF1: 6,001,215; SF0.1: 600,572; SF0.01: 60,175);
 *    quantity 1..50; extendedprice = quantity * p_retailprice(partkey) with p_retailprice =
 *    900.00 + (partkey/10 mod 20001)/100 + (partkey mod 1000); suppkey from partkey by dbgen's
 *    part-supplier bridge; discount 0.00..0.10; tax 0.00..0.08; orderdate uniform in
 *    [1992-01-01, 1998-08-02]; shipdate = orderdate + 1..121 days; commitdate = orderdate +
 *    30..90; receiptdate = shipdate + 1..30; returnflag R or A (even odds) when receiptdate <=
 *    1995-06-17, else N; linestatus O when shipdate > 1995-06-17, else F; shipinstruct and
 *    shipmode from the spec's lists. Orders: custkey uniform in 1..150,000*SF, moved off
 *    multiples of 3 (dbgen's CUST_MORTALITY: a third of the customers never order); status F
 *    when every line is F, O when none is, else P; totalprice = sum over lines of
 *    extendedprice * (1 - discount) * (1 + tax), truncated to cents after each factor as dbgen's
 *    integer arithmetic does; priority from the spec's five; clerk 'Clerk#' + 9 digits, 1..1000
 *    per SF (1000 below SF 1); shippriority 0.
 *  - Comments have dbgen's lengths (same draws) but are cut from Firn's text pool
 *    (text-pool.ts, a prefix of dbgen's), so they are not dbgen's exact strings.
 *  - Scale factors follow dbgen: below 1 a multiple of 0.001, from 1 up a whole number.
 *  - nextBatch(maxRows) yields whole orders' lines, at most maxRows (>= 7) rows per batch, then
 *    null; nextOrdersBatch(maxRows) yields the same lines plus their orders (one row per order).
 *    Skipping the order-only draws in nextBatch changes nothing: each stream is skipped to its
 *    per-order boundary after every order whatever was drawn from it.
 */
import { FirnError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, F64Vector, I32Vector, StrVector } from '../../storage/types/vector.js';
import { ORDER_PRIORITIES } from './dbgen-dists.js';
import { DbgenRandom, DbgenStream, LINES_PER_ORDER_MAX } from './dbgen-random.js';
import { textPool, TEXT_POOL_SIZE } from './text-pool.js';

/** Bump whenever any generated value or the column layout changes: stored files are then regenerated (2: dbgen's text grammar). */
export const LINEITEM_GENERATOR_VERSION = 2;

/** The lineitem columns in dbgen's order, named like dbgen (lower case; Firn matches names case-insensitively). */
export const LINEITEM_COLUMNS: Column[] = [
  { name: 'l_orderkey', type: Types.number(12, 0), nullable: false },
  { name: 'l_partkey', type: Types.number(12, 0), nullable: false },
  { name: 'l_suppkey', type: Types.number(12, 0), nullable: false },
  { name: 'l_linenumber', type: Types.number(12, 0), nullable: false },
  { name: 'l_quantity', type: Types.number(15, 2), nullable: false },
  { name: 'l_extendedprice', type: Types.number(15, 2), nullable: false },
  { name: 'l_discount', type: Types.number(15, 2), nullable: false },
  { name: 'l_tax', type: Types.number(15, 2), nullable: false },
  { name: 'l_returnflag', type: { kind: 'VARCHAR', length: 1 }, nullable: false },
  { name: 'l_linestatus', type: { kind: 'VARCHAR', length: 1 }, nullable: false },
  { name: 'l_shipdate', type: Types.date, nullable: false },
  { name: 'l_commitdate', type: Types.date, nullable: false },
  { name: 'l_receiptdate', type: Types.date, nullable: false },
  { name: 'l_shipinstruct', type: { kind: 'VARCHAR', length: 25 }, nullable: false },
  { name: 'l_shipmode', type: { kind: 'VARCHAR', length: 10 }, nullable: false },
  { name: 'l_comment', type: { kind: 'VARCHAR', length: 44 }, nullable: false },
];

/** dbgen's distribution lists, in dists.dss order (the order matters: draws index them). */
export const SHIP_INSTRUCTIONS = ['DELIVER IN PERSON', 'COLLECT COD', 'TAKE BACK RETURN', 'NONE'] as const;
export const SHIP_MODES = ['REG AIR', 'AIR', 'RAIL', 'TRUCK', 'MAIL', 'FOB', 'SHIP'] as const;
export const RETURN_FLAGS = ['R', 'A', 'N'] as const;
export const LINE_STATUSES = ['O', 'F'] as const;

const DAY_MS = 86_400_000;
/** 1992-01-01 in days since 1970-01-01: dbgen's STARTDATE. */
export const START_DAY = Date.UTC(1992, 0, 1) / DAY_MS;
/** 1995-06-17: dbgen's CURRENTDATE, which decides returnflag and linestatus. */
export const CURRENT_DAY = Date.UTC(1995, 5, 17) / DAY_MS;
/** Days from 1992-01-01 to 1998-12-31: every lineitem date falls inside them. */
export const DBGEN_DAYS = Date.UTC(1999, 0, 1) / DAY_MS - START_DAY;
const SHIP_DAYS_MAX = 121;
const RECEIPT_DAYS_MAX = 30;
/** Last order day offset: 1998-08-02, so every receiptdate stays inside 1998. */
const ORDER_DAY_MAX = DBGEN_DAYS - (SHIP_DAYS_MAX + RECEIPT_DAYS_MAX) - 1;
const COMMENT_MIN = 10;
const COMMENT_MAX = 43;

export type LineitemScale = { sf: number; orders: number; parts: number; suppliers: number; customers: number };

/** dbgen's table sizes for a scale factor (fractions below 1 are applied in thousandths). */
export function lineitemScale(sf: number): LineitemScale {
  if (!(sf > 0) || !Number.isFinite(sf)) throw new FirnError('BAD_REQUEST', `scale factor must be a positive number, got ${sf}`);
  if (sf < 1) {
    const thousandths = Math.round(sf * 1000);
    if (thousandths < 1 || Math.abs(sf * 1000 - thousandths) > 1e-6) {
      throw new FirnError('BAD_REQUEST', `scale factor ${sf} below 1 must be a multiple of 0.001 (as in dbgen)`);
    }
    const part = (base: number) => Math.max(1, Math.floor((thousandths * base) / 1000));
    return { sf, orders: part(1_500_000), parts: part(200_000), suppliers: part(10_000), customers: part(150_000) };
  }
  if (!Number.isInteger(sf)) throw new FirnError('BAD_REQUEST', `scale factor ${sf} from 1 up must be a whole number (as in dbgen)`);
  return { sf, orders: 1_500_000 * sf, parts: 200_000 * sf, suppliers: 10_000 * sf, customers: 150_000 * sf };
}

/** dbgen's mk_sparse: order index 1.. -> order key, keeping 8 keys of every 32. */
export function sparseOrderKey(index: number): number {
  return Math.floor(index / 8) * 32 + (index % 8);
}

/** dbgen's p_retailprice in cents for a part key. */
export function retailPriceCents(partkey: number): number {
  return 90_000 + (Math.floor(partkey / 10) % 20_001) + 100 * (partkey % 1000);
}

/** dbgen's PART_SUPP_BRIDGE: the i-th (0..3) supplier of a part. */
export function partSupplier(partkey: number, i: number, suppliers: number): number {
  return ((partkey + i * (Math.floor(suppliers / 4) + Math.floor((partkey - 1) / suppliers))) % suppliers) + 1;
}

/** Rows lineitem has at a scale factor (runs only the lines-per-order stream). */
export function lineitemRowCount(sf: number): number {
  const { orders } = lineitemScale(sf);
  const rng = new DbgenRandom();
  let rows = 0;
  for (let o = 0; o < orders; o++) rows += rng.unif(DbgenStream.O_LCNT, 1, LINES_PER_ORDER_MAX);
  return rows;
}

/** Every stream of dbgen's ORDER and LINE tables: row_stop(ORDER_LINE) advances all of them. */
const ORDER_STREAMS: readonly DbgenStream[] = [
  DbgenStream.O_CKEY,
  DbgenStream.O_ODATE,
  DbgenStream.O_PRIO,
  DbgenStream.O_CLRK,
  DbgenStream.O_CMNT,
  DbgenStream.O_LCNT,
  DbgenStream.L_QTY,
  DbgenStream.L_DCNT,
  DbgenStream.L_TAX,
  DbgenStream.L_SHIP,
  DbgenStream.L_SMODE,
  DbgenStream.L_PKEY,
  DbgenStream.L_SKEY,
  DbgenStream.L_SDTE,
  DbgenStream.L_CDTE,
  DbgenStream.L_RDTE,
  DbgenStream.L_RFLG,
  DbgenStream.L_CMNT,
];

/** The orders columns in dbgen's order. */
export const ORDERS_COLUMNS: Column[] = [
  { name: 'o_orderkey', type: Types.number(12, 0), nullable: false },
  { name: 'o_custkey', type: Types.number(12, 0), nullable: false },
  { name: 'o_orderstatus', type: { kind: 'VARCHAR', length: 1 }, nullable: false },
  { name: 'o_totalprice', type: Types.number(15, 2), nullable: false },
  { name: 'o_orderdate', type: Types.date, nullable: false },
  { name: 'o_orderpriority', type: { kind: 'VARCHAR', length: 15 }, nullable: false },
  { name: 'o_clerk', type: { kind: 'VARCHAR', length: 15 }, nullable: false },
  { name: 'o_shippriority', type: Types.number(10, 0), nullable: false },
  { name: 'o_comment', type: { kind: 'VARCHAR', length: 79 }, nullable: false },
];

export const ORDER_STATUSES = ['F', 'O', 'P'] as const;
/** dbgen's CUST_MORTALITY: customer keys divisible by it never place an order. */
const CUST_MORTALITY = 3;
const O_COMMENT_MIN = 19;
const O_COMMENT_MAX = 78;

/** dbgen's TEXT(): a comment of min..max characters from the text pool (offset drawn first, then length). */
export function poolText(rng: DbgenRandom, stream: DbgenStream, pool: string, min: number, max: number): string {
  const offset = rng.unif(stream, 0, TEXT_POOL_SIZE - max);
  return pool.slice(offset, offset + rng.unif(stream, min, max));
}

/** 'Clerk#' / 'Customer#' / 'Supplier#' + the number in 9 digits, as dbgen prints them. */
export function taggedNumber(tag: string, n: number): string {
  return `${tag}${String(n).padStart(9, '0')}`;
}

type OrderColumns = {
  custkey: Float64Array;
  status: Int32Array;
  totalprice: Float64Array;
  orderdate: Int32Array;
  priority: Int32Array;
  clerk: string[];
  comment: string[];
};

export class LineitemGenerator {
  readonly scale: LineitemScale;
  private readonly rng = new DbgenRandom();
  private readonly pool = textPool();
  /** Index (1-based) of the next order to generate. */
  private nextOrder = 1;
  /** The next order's index, once its line count was drawn but it did not fit into the previous batch. */
  private pendingLines = 0;
  private generated = 0;

  constructor(sf: number) {
    this.scale = lineitemScale(sf);
  }

  /** Rows produced so far. */
  get rowsGenerated(): number {
    return this.generated;
  }

  /** The next lineitem rows (whole orders, at most maxRows), or null when every order was generated. */
  nextBatch(maxRows: number): Batch | null {
    return this.generate(maxRows, false)?.lineitem ?? null;
  }

  /** The next lineitem rows (as nextBatch, and at most maxOrders orders' lines) and those orders, in order-key order. */
  nextOrdersBatch(maxRows: number, maxOrders: number = maxRows): { orders: Batch; lineitem: Batch } | null {
    const out = this.generate(maxRows, true, maxOrders);
    return out && { orders: out.orders!, lineitem: out.lineitem };
  }

  private generate(maxRows: number, withOrders: boolean, maxOrders: number = maxRows): { orders: Batch | null; lineitem: Batch } | null {
    if (maxRows < LINES_PER_ORDER_MAX) throw new FirnError('BAD_REQUEST', `a lineitem batch needs room for ${LINES_PER_ORDER_MAX} rows, got ${maxRows}`);
    if (this.nextOrder > this.scale.orders) return null;
    const { parts, suppliers, customers } = this.scale;
    const clerks = Math.max(1000, 1000 * Math.floor(this.scale.sf));
    const rng = this.rng;
    const pool = this.pool;
    const orderkey = new Float64Array(maxRows);
    const partkey = new Float64Array(maxRows);
    const suppkey = new Float64Array(maxRows);
    const linenumber = new Float64Array(maxRows);
    const quantity = new Float64Array(maxRows);
    const extendedprice = new Float64Array(maxRows);
    const discount = new Float64Array(maxRows);
    const tax = new Float64Array(maxRows);
    const returnflag = new Int32Array(maxRows);
    const linestatus = new Int32Array(maxRows);
    const shipdate = new Int32Array(maxRows);
    const commitdate = new Int32Array(maxRows);
    const receiptdate = new Int32Array(maxRows);
    const shipinstruct = new Int32Array(maxRows);
    const shipmode = new Int32Array(maxRows);
    const comments: string[] = [];
    // An order has at least one line, so maxRows bounds the order count too.
    const orderRoom = Math.min(maxRows, maxOrders);
    const o: OrderColumns | null = withOrders
      ? {
          custkey: new Float64Array(orderRoom),
          status: new Int32Array(orderRoom),
          totalprice: new Float64Array(orderRoom),
          orderdate: new Int32Array(orderRoom),
          priority: new Int32Array(orderRoom),
          clerk: [],
          comment: [],
        }
      : null;
    const orderKeys = new Float64Array(orderRoom);
    let n = 0;
    let orderCount = 0;
    while (this.nextOrder <= this.scale.orders && orderCount < maxOrders) {
      // O_LCNT is drawn before anything else of the order is needed, so an order that does not
      // fit is left whole for the next batch; its count is kept and not drawn again.
      const lines = this.pendingLines || rng.unif(DbgenStream.O_LCNT, 1, LINES_PER_ORDER_MAX);
      if (n + lines > maxRows) {
        this.pendingLines = lines;
        break;
      }
      this.pendingLines = 0;
      const key = sparseOrderKey(this.nextOrder);
      const orderDay = START_DAY + rng.unif(DbgenStream.O_ODATE, 0, ORDER_DAY_MAX);
      let total = 0;
      let shipped = 0;
      for (let line = 1; line <= lines; line++, n++) {
        orderkey[n] = key;
        linenumber[n] = line;
        const qty = rng.unif(DbgenStream.L_QTY, 1, 50);
        quantity[n] = qty * 100;
        const disc = rng.unif(DbgenStream.L_DCNT, 0, 10);
        discount[n] = disc;
        const tx = rng.unif(DbgenStream.L_TAX, 0, 8);
        tax[n] = tx;
        shipinstruct[n] = rng.unif(DbgenStream.L_SHIP, 1, SHIP_INSTRUCTIONS.length) - 1;
        shipmode[n] = rng.unif(DbgenStream.L_SMODE, 1, SHIP_MODES.length) - 1;
        comments.push(poolText(rng, DbgenStream.L_CMNT, pool, COMMENT_MIN, COMMENT_MAX));
        const part = rng.unif(DbgenStream.L_PKEY, 1, parts);
        partkey[n] = part;
        const price = retailPriceCents(part) * qty;
        extendedprice[n] = price;
        total += Math.floor((Math.floor((price * (100 - disc)) / 100) * (100 + tx)) / 100);
        suppkey[n] = partSupplier(part, rng.unif(DbgenStream.L_SKEY, 0, 3), suppliers);
        const ship = orderDay + rng.unif(DbgenStream.L_SDTE, 1, SHIP_DAYS_MAX);
        shipdate[n] = ship;
        commitdate[n] = orderDay + rng.unif(DbgenStream.L_CDTE, 30, 90);
        const receipt = ship + rng.unif(DbgenStream.L_RDTE, 1, RECEIPT_DAYS_MAX);
        receiptdate[n] = receipt;
        returnflag[n] = receipt <= CURRENT_DAY ? rng.unif(DbgenStream.L_RFLG, 1, 2) - 1 : 2;
        linestatus[n] = ship > CURRENT_DAY ? 0 : 1;
        if (ship <= CURRENT_DAY) shipped++;
      }
      if (o !== null) {
        let cust = rng.unif(DbgenStream.O_CKEY, 1, customers);
        for (let delta = 1; cust % CUST_MORTALITY === 0; delta = -delta) cust = Math.min(cust + delta, customers);
        o.custkey[orderCount] = cust;
        o.status[orderCount] = shipped === lines ? 0 : shipped === 0 ? 1 : 2;
        o.totalprice[orderCount] = total;
        o.orderdate[orderCount] = orderDay;
        o.priority[orderCount] = rng.unif(DbgenStream.O_PRIO, 1, ORDER_PRIORITIES.length) - 1;
        o.clerk.push(taggedNumber('Clerk#', rng.unif(DbgenStream.O_CLRK, 1, clerks)));
        o.comment.push(poolText(rng, DbgenStream.O_CMNT, pool, O_COMMENT_MIN, O_COMMENT_MAX));
      }
      orderKeys[orderCount++] = key;
      rng.rowStop(ORDER_STREAMS);
      this.nextOrder++;
    }
    this.generated += n;
    const lineitem: Batch = {
      length: n,
      columns: [
        f64(orderkey, n),
        f64(partkey, n),
        f64(suppkey, n),
        f64(linenumber, n),
        f64(quantity, n),
        f64(extendedprice, n),
        f64(discount, n),
        f64(tax, n),
        str(returnflag, RETURN_FLAGS, n),
        str(linestatus, LINE_STATUSES, n),
        i32(shipdate, n),
        i32(commitdate, n),
        i32(receiptdate, n),
        str(shipinstruct, SHIP_INSTRUCTIONS, n),
        str(shipmode, SHIP_MODES, n),
        distinctStrings(comments),
      ],
    };
    if (o === null) return { orders: null, lineitem };
    const m = orderCount;
    const orders: Batch = {
      length: m,
      columns: [
        f64(orderKeys, m),
        f64(o.custkey, m),
        str(o.status, ORDER_STATUSES, m),
        f64(o.totalprice, m),
        i32(o.orderdate, m),
        str(o.priority, ORDER_PRIORITIES, m),
        distinctStrings(o.clerk),
        f64(new Float64Array(m), m),
        distinctStrings(o.comment),
      ],
    };
    return { orders, lineitem };
  }
}

function f64(values: Float64Array, n: number): F64Vector {
  return { kind: 'f64', length: n, values: values.slice(0, n), nulls: null };
}

function i32(values: Int32Array, n: number): I32Vector {
  return { kind: 'i32', length: n, values: values.slice(0, n), nulls: null };
}

function str(codes: Int32Array, dict: readonly string[], n: number): StrVector {
  return { kind: 'str', length: n, codes: codes.slice(0, n), dict: [...dict], nulls: null };
}

/** A string column whose dictionary is the values themselves, row i -> dict[i] (duplicates allowed). */
export function distinctStrings(values: string[]): StrVector {
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = i;
  return { kind: 'str', length: values.length, codes, dict: values, nulls: null };
}
