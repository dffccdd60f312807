/**
 * Cold and warm timings of one query on one engine: one cold run (the first after loading),
 * then `warmRuns` more whose median is the reported time.
 *
 * Contract: measure(run, warmRuns) awaits run() 1 + warmRuns times in sequence (never
 * concurrently) and returns the cold time, the median warm time and the first and last
 * answers; a failing run rejects. median() of an even count is the mean of the middle two.
 * measurePaired(a, b, warmRuns) measures two variants of one query (two warehouse sizes, two
 * thread counts) alternately: a and b each run once cold, then (a, b) warmRuns times, so a
 * machine whose speed drifts over seconds (a shared VM) slows both alike instead of one.
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

export async function measurePaired<T extends { ms: number }>(a: () => Promise<T>, b: () => Promise<T>, warmRuns: number): Promise<{ a: Measured<T>; b: Measured<T> }> {
  const firstA = await a();
  const firstB = await b();
  let lastA = firstA;
  let lastB = firstB;
  const warmA: number[] = [];
  const warmB: number[] = [];
  for (let i = 0; i < warmRuns; i++) {
    lastA = await a();
    warmA.push(lastA.ms);
    lastB = await b();
    warmB.push(lastB.ms);
  }
  return {
    a: { coldMs: firstA.ms, warmMs: median(warmA), first: firstA, last: lastA },
    b: { coldMs: firstB.ms, warmMs: median(warmB), first: firstB, last: lastB },
  };
}
