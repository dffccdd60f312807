/**
 * DuckDB's text of the TPC-H queries whose Snowflake answer has another type than DuckDB's.
 *
 * Why: Firn follows Snowflake, where AVG and division of NUMBERs are exact NUMBERs rounded
 * half away from zero at a scale of max(s1, min(s1 + 6, 12)); DuckDB answers a DOUBLE. The
 * comparison (bench/compare-results.ts) is exact in type and value, so DuckDB is given a text
 * that computes Snowflake's type and value exactly, in integer arithmetic, with the macros of
 * bench/engines/duckdb-exact-macros.ts. Nothing is computed as a double and rounded afterwards.
 *
 * Contract: duckdbQueryText(number, sql) rewrites the listed parts of a query and throws when one of
 * them is missing from the text, so a query edit cannot silently skip the rewrite.
 */

import { snowflakeAvg2 as avg2 } from '../engines/duckdb-exact-macros.js';

const REWRITES: Record<number, [string, string][]> = {
  1: [
    ['avg(l_quantity)', avg2('l_quantity')],
    ['avg(l_extendedprice)', avg2('l_extendedprice')],
    ['avg(l_discount)', avg2('l_discount')],
  ],
  // Scale 4 / scale 4: the scaled integers' quotient is the value's, at scale min(4 + 6, 12).
  8: [
    ['\tsum(case\n\t\twhen nation = ', '\tsf_div10(sf_scaled(sum(case\n\t\twhen nation = '],
    ['\tend) / sum(volume) as mkt_share', '\tend)), sf_scaled(sum(volume))) as mkt_share'],
  ],
  // 100.00 * n / d for two scale-4 sums n, d is 100 * N / D of their scaled integers, at scale min(6 + 6, 12).
  14: [
    [
      "100.00 * sum(case\n\t\twhen p_type like 'PROMO%'\n\t\t\tthen l_extendedprice * (1 - l_discount)\n\t\telse 0\n\tend) / sum(l_extendedprice * (1 - l_discount))",
      "sf_div12(100 * sf_scaled(sum(case\n\t\twhen p_type like 'PROMO%'\n\t\t\tthen l_extendedprice * (1 - l_discount)\n\t\telse 0\n\tend)), sf_scaled(sum(l_extendedprice * (1 - l_discount))))",
    ],
  ],
  // sum(scale 2) / 7.0: 7.0 is 700 at scale 2; the subquery's AVG is Snowflake's NUMBER(38,8).
  17: [
    ['sum(l_extendedprice) / 7.0', 'sf_div8(sf_scaled(sum(l_extendedprice)), 700)'],
    ['0.2 * avg(l_quantity)', `0.2 * ${avg2('l_quantity')}`],
  ],
};

export function duckdbQueryText(number: number, sql: string): string {
  return (REWRITES[number] ?? []).reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`TPC-H q${number} has no "${from}" to rewrite for DuckDB`);
    return text.replaceAll(from, to);
  }, sql);
}
