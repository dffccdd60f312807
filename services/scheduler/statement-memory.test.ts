import { describe, expect, it } from 'vitest';
import { MIN_STATEMENT_MEMORY_BYTES, StatementMemory } from './statement-memory.js';

const MiB = 2 ** 20;

describe('StatementMemory', () => {
  it('grants a statement alone the whole per-statement budget, the same for every call, and takes it back at release', () => {
    const memory = new StatementMemory(1024 * MiB, 512 * MiB);
    expect(memory.grant('a')).toBe(512 * MiB);
    expect(memory.grant('a')).toBe(512 * MiB);
    expect(memory.grantedBytes).toBe(512 * MiB);
    memory.release('a');
    memory.release('a');
    memory.release('never');
    expect(memory.grantedBytes).toBe(0);
    expect(memory.grant('b')).toBe(512 * MiB);
  });

  it('grants each statement admitted while others run half of what is free, never under the floor', () => {
    const memory = new StatementMemory(1024 * MiB, 512 * MiB);
    const grants = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => memory.grant(id) / MiB);
    expect(grants).toEqual([512, 256, 128, 64, 64, 64]);
    // Past the total only the floor is added per statement.
    expect(memory.grantedBytes).toBe(1088 * MiB);
    expect(memory.grantedBytes).toBeLessThanOrEqual(memory.totalBytes + 2 * MIN_STATEMENT_MEMORY_BYTES);
    memory.release('a');
    expect(memory.grant('g') / MiB).toBe(224);
  });

  it('keeps a per-statement budget below the floor as it is', () => {
    const memory = new StatementMemory(64 * MiB, 32 * MiB);
    expect([memory.grant('a'), memory.grant('b'), memory.grant('c')].map((b) => b / MiB)).toEqual([32, 32, 32]);
  });
});
