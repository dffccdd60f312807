/**
 * Latency summaries for the bench's event-loop probe: how long /healthz and `SELECT 1` took
 * while queries ran.
 *
 * Contract: percentile(values, p) is the nearest-rank p-th percentile (0 < p <= 100): the
 * smallest value with at least p% of the values at or below it; NaN for no values.
 * summarize(values) gives the count, p50, p99 and max.
 */
export type LatencySummary = { count: number; p50: number; p99: number; max: number };

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(values: readonly number[]): LatencySummary {
  return { count: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values.length === 0 ? Number.NaN : Math.max(...values) };
}
