/**
 * TIMESTAMP_NTZ(p) keeps p fraction digits: truncateTs cuts a 'ts' vector's nanoseconds to
 * p digits, as Snowflake does when a value is cast or stored to a lower precision (the extra
 * digits are dropped, never rounded up, so a value never moves into the next second).
 * Returns the vector itself when nothing changes (p = 9, or every value already fits).
 */
import type { TsVector } from './vector.js';

const UNIT = Array.from({ length: 10 }, (_, p) => 10 ** (9 - p));

export function truncateTs(vec: TsVector, p: number): TsVector {
  if (p >= 9) return vec;
  const unit = UNIT[Math.max(0, p)];
  const { nanos, length } = vec;
  let i = 0;
  while (i < length && nanos[i] % unit === 0) i++;
  if (i === length) return vec;
  const out = nanos.slice(0, length);
  for (; i < length; i++) out[i] -= out[i] % unit;
  return { ...vec, nanos: out };
}
