/**
 * Cold and warm timings of one query on one engine: one cold run (the first after loading),
 * then `warmRuns` more whose median is the reported time.
 *
 * Contract: measure(run, warmRuns) awaits run() 1 + warmRuns times in sequence (never
 * concurrently) and returns the cold time, the median warm time and the first and last
 * answers; a failing run rejects. median() of an even count is the mean of the middle two.
 */
export type Measured<T> = { coldMs: number; warmMs: number; first: T; last: T };

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function measure<T extends { ms: number }>(run: () => Promise<T>, warmRuns: number): Promise<Measured<T>> {
  const first = await run();
  let last = first;
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) {
    last = await run();
    warm.push(last.ms);
  }
  return { coldMs: first.ms, warmMs: median(warm), first, last };
}
