/**
 * The lineitem suite's queries, one SQL text run unchanged on Firn and on DuckDB, except where
 * Snowflake's type differs from DuckDB's: then `duckdb` computes Snowflake's exact NUMBER
 * (bench/engines/duckdb-exact-macros.ts), as the comparison is exact in type and value.
 *
 * Contract: q1 and q6 come first (TPC-H Q1 and Q6 with their default substitution
 * parameters written as literal dates: Q1's DATE '1998-12-01' - 90 days is '1998-09-02');
 * count_sum scans every partition (SUM over a product cannot come from zone maps);
 * date_range reads one month of the shipdate-clustered table; point_lookup finds one line
 * of an order that exists at every scale factor. `ordered` says whether row order is part
 * of the answer.
 */
import { snowflakeAvg2 } from '../engines/duckdb-exact-macros.js';
import { sparseOrderKey, lineitemScale } from '../tpch/lineitem-generator.js';

export type BenchQuery = { name: string; sql: string; duckdb?: string; ordered: boolean };

export const DATE_RANGE = { from: '1995-03-01', to: '1995-03-31' } as const;

const Q1 = `SELECT l_returnflag, l_linestatus,
  SUM(l_quantity) AS sum_qty,
  SUM(l_extendedprice) AS sum_base_price,
  SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
  SUM(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  AVG(l_quantity) AS avg_qty,
  AVG(l_extendedprice) AS avg_price,
  AVG(l_discount) AS avg_disc,
  COUNT(*) AS count_order
FROM lineitem
WHERE l_shipdate <= DATE '1998-09-02'
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus`;

export function lineitemQueries(sf: number): BenchQuery[] {
  // An order in the last part of the key range, so a lookup cannot stop at the first partition.
  const orderkey = sparseOrderKey(Math.floor(lineitemScale(sf).orders * 0.618) + 1);
  return [
    {
      name: 'q1',
      ordered: true,
      sql: Q1,
      duckdb: Q1.replace('AVG(l_quantity)', snowflakeAvg2('l_quantity')).replace('AVG(l_extendedprice)', snowflakeAvg2('l_extendedprice')).replace('AVG(l_discount)', snowflakeAvg2('l_discount')),
    },
    {
      name: 'q6',
      ordered: true,
      sql: `SELECT SUM(l_extendedprice * l_discount) AS revenue
FROM lineitem
WHERE l_shipdate >= DATE '1994-01-01'
  AND l_shipdate < DATE '1995-01-01'
  AND l_discount BETWEEN 0.05 AND 0.07
  AND l_quantity < 24`,
    },
    {
      name: 'count_sum',
      ordered: true,
      sql: `SELECT COUNT(*) AS n, SUM(l_extendedprice) AS sum_price, SUM(l_quantity * l_discount) AS sum_qty_disc
FROM lineitem`,
    },
    {
      name: 'date_range',
      ordered: true,
      sql: `SELECT COUNT(*) AS n, SUM(l_extendedprice) AS sum_price
FROM lineitem_by_shipdate
WHERE l_shipdate BETWEEN DATE '${DATE_RANGE.from}' AND DATE '${DATE_RANGE.to}'`,
    },
    {
      name: 'point_lookup',
      ordered: false,
      sql: `SELECT * FROM lineitem WHERE l_orderkey = ${orderkey} AND l_linenumber = 1`,
    },
  ];
}
