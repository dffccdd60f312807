/**
 * ROW_NUMBER, RANK, DENSE_RANK and NTILE over a window layout: one linear pass per partition
 * over sorted positions, results written straight to the input rows (out[perm[p]]).
 *
 * Contract: results are NUMBER(18,0) 'f64' vectors in input row order. RANK is 1 + the
 * number of rows before the current row's peer group; DENSE_RANK counts peer groups; without
 * ORDER BY every row of a partition ranks 1. NTILE(b) splits a partition of m rows into
 * min(b, m) buckets whose sizes differ by at most one, the larger buckets first (m mod b
 * buckets of ceil(m/b) rows, then buckets of floor(m/b) rows); the bucket count is read per
 * row (the binder normally passes a constant), NULL gives NULL and b <= 0 is a DataError.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import type { Vector } from '../../../storage/types/vector.js';
import type { IntegerArgument } from './integer-argument.js';
import type { WindowLayout } from './window-layout.js';

export type RankingFn = 'row_number' | 'rank' | 'dense_rank' | 'ntile' | 'cume_dist' | 'percent_rank';

export function rankingFunction(fn: RankingFn, layout: WindowLayout, buckets: IntegerArgument | null): Vector {
  const { n, perm, partitionStarts, peerStart, peerEnd } = layout;
  const out = new Float64Array(n);
  let nulls: Uint8Array | null = null;
  const parts = partitionStarts.length - 1;
  for (let k = 0; k < parts; k++) {
    const ps = partitionStarts[k];
    const pe = partitionStarts[k + 1];
    switch (fn) {
      case 'row_number':
        for (let p = ps; p < pe; p++) out[perm[p]] = p - ps + 1;
        break;
      case 'rank':
        for (let p = ps; p < pe; p++) out[perm[p]] = peerStart[p] - ps + 1;
        break;
      case 'cume_dist':
        for (let p = ps; p < pe; p++) out[perm[p]] = (peerEnd[p] - ps) / (pe - ps);
        break;
      case 'percent_rank':
        // out is zero-filled: a one-row partition keeps 0.
        if (pe - ps > 1) for (let p = ps; p < pe; p++) out[perm[p]] = (peerStart[p] - ps) / (pe - ps - 1);
        break;
      case 'dense_rank': {
        let rank = 0;
        for (let p = ps; p < pe; p++) {
          if (peerStart[p] === p) rank++;
          out[perm[p]] = rank;
        }
        break;
      }
      case 'ntile': {
        const b = buckets!;
        const m = pe - ps;
        for (let p = ps; p < pe; p++) {
          const r = perm[p];
          if (b.nulls !== null && b.nulls[r] !== 0) {
            (nulls ??= new Uint8Array(n))[r] = 1;
            continue;
          }
          out[r] = ntileBucket(p - ps, m, b.values[r]);
        }
        break;
      }
    }
  }
  return { kind: 'f64', length: n, values: out, nulls };
}

/** 1-based bucket of the k-th (0-based) row of m rows split into b buckets. */
function ntileBucket(k: number, m: number, b: number): number {
  if (b <= 0) throw new DataError('NUMERIC_OUT_OF_RANGE', `NTILE bucket count must be positive, got ${b}`);
  const small = Math.floor(m / b);
  const large = small + 1;
  const bigBuckets = m % b;
  if (k < bigBuckets * large) return Math.floor(k / large) + 1;
  return bigBuckets + Math.floor((k - bigBuckets * large) / small) + 1;
}
