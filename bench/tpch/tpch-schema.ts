/**
 * The eight TPC-H tables as Firn columns, in dbgen's column order, and their CREATE TABLE
 * statements, so the generator, the files, the integration test and the bench agree on one
 * layout.
 *
 * Contract: TPCH_TABLES lists the tables dimension first (region, nation, supplier, customer,
 * part, partsupp, orders, lineitem); keys are NUMBER(12,0), other integers NUMBER(10,0),
 * money and quantities NUMBER(15,2), dates DATE, text VARCHAR(n) with the spec's n (its
 * CHAR(n) columns too: Firn has no CHAR). createTableSql(table) is Firn's CREATE TABLE for it.
 */
import { Types, typeToSql } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import { LINEITEM_COLUMNS, ORDERS_COLUMNS } from './lineitem-generator.js';

export const TpchTable = {
  REGION: 'region',
  NATION: 'nation',
  SUPPLIER: 'supplier',
  CUSTOMER: 'customer',
  PART: 'part',
  PARTSUPP: 'partsupp',
  ORDERS: 'orders',
  LINEITEM: 'lineitem',
} as const;
export type TpchTable = (typeof TpchTable)[keyof typeof TpchTable];

const key = (name: string): Column => ({ name, type: Types.number(12, 0), nullable: false });
const int = (name: string): Column => ({ name, type: Types.number(10, 0), nullable: false });
const money = (name: string): Column => ({ name, type: Types.number(15, 2), nullable: false });
const text = (name: string, length: number): Column => ({ name, type: { kind: 'VARCHAR', length }, nullable: false });

export const TPCH_COLUMNS: Readonly<Record<TpchTable, Column[]>> = {
  region: [key('r_regionkey'), text('r_name', 25), text('r_comment', 152)],
  nation: [key('n_nationkey'), text('n_name', 25), key('n_regionkey'), text('n_comment', 152)],
  supplier: [
    key('s_suppkey'),
    text('s_name', 25),
    text('s_address', 40),
    key('s_nationkey'),
    text('s_phone', 15),
    money('s_acctbal'),
    text('s_comment', 101),
  ],
  customer: [
    key('c_custkey'),
    text('c_name', 25),
    text('c_address', 40),
    key('c_nationkey'),
    text('c_phone', 15),
    money('c_acctbal'),
    text('c_mktsegment', 10),
    text('c_comment', 117),
  ],
  part: [
    key('p_partkey'),
    text('p_name', 55),
    text('p_mfgr', 25),
    text('p_brand', 10),
    text('p_type', 25),
    int('p_size'),
    text('p_container', 10),
    money('p_retailprice'),
    text('p_comment', 23),
  ],
  partsupp: [key('ps_partkey'), key('ps_suppkey'), int('ps_availqty'), money('ps_supplycost'), text('ps_comment', 199)],
  orders: ORDERS_COLUMNS,
  lineitem: LINEITEM_COLUMNS,
};

export const TPCH_TABLES: readonly TpchTable[] = Object.values(TpchTable);

export function createTableSql(table: TpchTable, name: string = table): string {
  const cols = TPCH_COLUMNS[table].map((c) => `  ${c.name} ${typeToSql(c.type)}${c.nullable ? '' : ' NOT NULL'}`).join(',\n');
  return `CREATE TABLE ${name} (\n${cols}\n)`;
}
