import { describe, expect, it } from 'vitest';
import { IDLE_POOL_BYTES, idlePoolLimit } from './idle-pool-limit.js';

describe('idlePoolLimit', () => {
  it('keeps IDLE_POOL_BYTES, at most a quarter of the memory cache budget', () => {
    expect(idlePoolLimit(8 * 2 ** 30)).toBe(IDLE_POOL_BYTES);
    expect(idlePoolLimit(64 * 2 ** 20)).toBe(16 * 2 ** 20);
    expect(idlePoolLimit(0)).toBe(0);
  });
});
