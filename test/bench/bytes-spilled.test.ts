import { describe, expect, it } from 'vitest';
import { bytesSpilled } from '../../bench/engines/firn-side.js';
import type { StatementBody } from '../support/post-statement.js';

const stats = (extra: object) => ({ partitionsTotal: 1, partitionsScanned: 1, bytesScanned: 10, cacheHitRatio: 0, elapsedMs: 1, warehouse: 'W', partitionedJoins: 0, ...extra }) as StatementBody['stats'];

describe('bytesSpilled', () => {
  it("reads the stats' bytesSpilled, and counts 0 when the server does not report it", () => {
    expect(bytesSpilled(stats({ bytesSpilled: 4096 }))).toBe(4096);
    expect(bytesSpilled(stats({}))).toBe(0);
    expect(bytesSpilled(stats({ bytesSpilled: null }))).toBe(0);
  });
});
