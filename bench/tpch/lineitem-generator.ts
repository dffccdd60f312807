/**
 * TPC-H lineitem, generated the way dbgen generates it, as Firn batches (storage/types/vector.ts).
 *
 * Why: the benchmark needs lineitem at any scale factor without an external dbgen binary,
 * deterministically (same bytes every run, no Math.random), and in Firn's own types.
 *
 * Contract:
 *  - Every column except l_comment is dbgen's value exactly: the same random streams
 *    (dbgen-random.ts), the same per-order draw order and the same formulas (mk_order in
 *    dbgen's build.c): orders 1..1.5M*SF with sparse keys (mk_sparse: of every 32 keys the
 *    first 8 are used, key 0 excepted), 1..7 lines per order, so the row count is dbgen's
 *    (SF1: 6,001,215; SF0.1: 600,572; SF0.01: 60,175); quantity 1..50; extendedprice =
 *    quantity * p_retailprice(partkey) with p_retailprice = 900.00 + (partkey/10 mod 20001)/100
 *    + (partkey mod 1000); suppkey from partkey by dbgen's part-supplier bridge; discount
 *    0.00..0.10; tax 0.00..0.08; orderdate uniform in [1992-01-01, 1998-08-02]; shipdate =
 *    orderdate + 1..121 days; commitdate = orderdate + 30..90; receiptdate = shipdate + 1..30;
 *    returnflag R or A (even odds) when receiptdate <= 1995-06-17, else N; linestatus O when
 *    shipdate > 1995-06-17, else F; shipinstruct and shipmode from the spec's lists.
 *  - l_comment has dbgen's length (10..43 characters, same draw) but is cut from Firn's own
 *    text pool (text-pool.ts), not dbgen's 300 MB one.
 *  - Scale factors follow dbgen: below 1 a multiple of 0.001, from 1 up a whole number.
 *  - nextBatch(maxRows) yields whole orders, at most maxRows (>= 7) rows per batch, then null.
 */
import { FirnError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { DbgenRandom, DbgenStream, LINES_PER_ORDER_MAX } from './dbgen-random.js';
import { textPool, TEXT_POOL_SIZE } from './text-pool.js';

/** Bump whenever any generated value or the column layout changes: stored files are then regenerated. */
export const LINEITEM_GENERATOR_VERSION = 1;

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

export type LineitemScale = { sf: number; orders: number; parts: number; suppliers: number };

/** dbgen's table sizes for a scale factor (fractions below 1 are applied in thousandths). */
export function lineitemScale(sf: number): LineitemScale {
  if (!(sf > 0) || !Number.isFinite(sf)) throw new FirnError('BAD_REQUEST', `scale factor must be a positive number, got ${sf}`);
  if (sf < 1) {
    const thousandths = Math.round(sf * 1000);
    if (thousandths < 1 || Math.abs(sf * 1000 - thousandths) > 1e-6) {
      throw new FirnError('BAD_REQUEST', `scale factor ${sf} below 1 must be a multiple of 0.001 (as in dbgen)`);
    }
    const part = (base: number) => Math.max(1, Math.floor((thousandths * base) / 1000));
    return { sf, orders: part(1_500_000), parts: part(200_000), suppliers: part(10_000) };
  }
  if (!Number.isInteger(sf)) throw new FirnError('BAD_REQUEST', `scale factor ${sf} from 1 up must be a whole number (as in dbgen)`);
  return { sf, orders: 1_500_000 * sf, parts: 200_000 * sf, suppliers: 10_000 * sf };
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

const ORDER_STREAMS: readonly DbgenStream[] = [
  DbgenStream.O_ODATE,
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

export class LineitemGenerator {
  readonly scale: LineitemScale;
  private readonly rng = new DbgenRandom();
  private readonly pool = textPool();
  /** Index (1-based) of the next order to generate. */
  private nextOrder = 1;
  /** An order whose header was drawn but did not fit into the previous batch. */
  private pending: { orderDay: number; lines: number } | null = null;
  private generated = 0;

  constructor(sf: number) {
    this.scale = lineitemScale(sf);
  }

  /** Rows produced so far. */
  get rowsGenerated(): number {
    return this.generated;
  }

  nextBatch(maxRows: number): Batch | null {
    if (maxRows < LINES_PER_ORDER_MAX) throw new FirnError('BAD_REQUEST', `a lineitem batch needs room for ${LINES_PER_ORDER_MAX} rows, got ${maxRows}`);
    if (this.nextOrder > this.scale.orders) return null;
    const { orders, parts, suppliers } = this.scale;
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
    let n = 0;
    while (this.nextOrder <= orders) {
      const header = this.pending ?? {
        orderDay: rng.unif(DbgenStream.O_ODATE, 0, ORDER_DAY_MAX),
        lines: rng.unif(DbgenStream.O_LCNT, 1, LINES_PER_ORDER_MAX),
      };
      if (n + header.lines > maxRows) {
        this.pending = header;
        break;
      }
      this.pending = null;
      const key = sparseOrderKey(this.nextOrder);
      const orderDay = START_DAY + header.orderDay;
      for (let line = 1; line <= header.lines; line++, n++) {
        orderkey[n] = key;
        linenumber[n] = line;
        const qty = rng.unif(DbgenStream.L_QTY, 1, 50);
        quantity[n] = qty * 100;
        discount[n] = rng.unif(DbgenStream.L_DCNT, 0, 10);
        tax[n] = rng.unif(DbgenStream.L_TAX, 0, 8);
        shipinstruct[n] = rng.unif(DbgenStream.L_SHIP, 1, SHIP_INSTRUCTIONS.length) - 1;
        shipmode[n] = rng.unif(DbgenStream.L_SMODE, 1, SHIP_MODES.length) - 1;
        const offset = rng.unif(DbgenStream.L_CMNT, 0, TEXT_POOL_SIZE - COMMENT_MAX);
        comments.push(pool.slice(offset, offset + rng.unif(DbgenStream.L_CMNT, COMMENT_MIN, COMMENT_MAX)));
        const part = rng.unif(DbgenStream.L_PKEY, 1, parts);
        partkey[n] = part;
        extendedprice[n] = retailPriceCents(part) * qty;
        suppkey[n] = partSupplier(part, rng.unif(DbgenStream.L_SKEY, 0, 3), suppliers);
        const ship = orderDay + rng.unif(DbgenStream.L_SDTE, 1, SHIP_DAYS_MAX);
        shipdate[n] = ship;
        commitdate[n] = orderDay + rng.unif(DbgenStream.L_CDTE, 30, 90);
        const receipt = ship + rng.unif(DbgenStream.L_RDTE, 1, RECEIPT_DAYS_MAX);
        receiptdate[n] = receipt;
        returnflag[n] = receipt <= CURRENT_DAY ? rng.unif(DbgenStream.L_RFLG, 1, 2) - 1 : 2;
        linestatus[n] = ship > CURRENT_DAY ? 0 : 1;
      }
      rng.rowStop(ORDER_STREAMS);
      this.nextOrder++;
    }
    this.generated += n;
    const f64 = (values: Float64Array) => ({ kind: 'f64' as const, length: n, values: values.slice(0, n), nulls: null });
    const i32 = (values: Int32Array) => ({ kind: 'i32' as const, length: n, values: values.slice(0, n), nulls: null });
    const str = (codes: Int32Array, dict: readonly string[]) => ({ kind: 'str' as const, length: n, codes: codes.slice(0, n), dict: [...dict], nulls: null });
    const commentCodes = new Int32Array(n);
    for (let i = 0; i < n; i++) commentCodes[i] = i;
    return {
      length: n,
      columns: [
        f64(orderkey),
        f64(partkey),
        f64(suppkey),
        f64(linenumber),
        f64(quantity),
        f64(extendedprice),
        f64(discount),
        f64(tax),
        str(returnflag, RETURN_FLAGS),
        str(linestatus, LINE_STATUSES),
        i32(shipdate),
        i32(commitdate),
        i32(receiptdate),
        str(shipinstruct, SHIP_INSTRUCTIONS),
        str(shipmode, SHIP_MODES),
        { kind: 'str', length: n, codes: commentCodes, dict: comments, nulls: null },
      ],
    };
  }
}
