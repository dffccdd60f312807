/**
 * DuckDB macros that compute Snowflake's exact NUMBER results where DuckDB would answer a
 * DOUBLE (AVG and division of NUMBERs), so differential comparisons can be exact in type and
 * value (bench/compare-results.ts).
 *
 * Contract: run every statement of DUCKDB_EXACT_MACROS once per DuckDB connection. Then
 * sf_div<S>(n, d), S in 8, 10, 12, is n / d for integers n and d rounded half away from zero
 * (Snowflake's rounding) to DECIMAL(38, S), NULL when d = 0; sf_scaled(v) is a DECIMAL's
 * scaled integer (its digits without the point). snowflakeAvg2(col) is AVG of a NUMBER(p,2)
 * column as Snowflake types it: NUMBER(38,8).
 */
function divisionMacro(scale: number): string {
  const twice = `2${'0'.repeat(scale)}`;
  return (
    `CREATE OR REPLACE MACRO sf_div${scale}(n, d) AS CAST(CASE WHEN d = 0 THEN NULL ELSE ` +
    `(CASE WHEN (n < 0) <> (d < 0) THEN -1 ELSE 1 END) * ((abs(n::HUGEINT) * ${twice} + abs(d::HUGEINT)) // (2 * abs(d::HUGEINT))) END ` +
    `AS DECIMAL(${38 - scale},0)) * CAST('1e-${scale}' AS DECIMAL(${scale + 1},${scale}))`
  );
}

export const DUCKDB_EXACT_MACROS: readonly string[] = [
  "CREATE OR REPLACE MACRO sf_scaled(v) AS CAST(replace(CAST(v AS VARCHAR), '.', '') AS HUGEINT)",
  divisionMacro(8),
  divisionMacro(10),
  divisionMacro(12),
];

/** AVG of a NUMBER(p,2) column as Snowflake computes it: NUMBER(38,8). */
export const snowflakeAvg2 = (col: string): string => `sf_div8(sf_scaled(sum(${col})), count(${col}) * 100)`;

