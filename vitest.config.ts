import { defineConfig } from 'vitest/config';

// Unit tests live beside the code; integration and SQL tests under test/.
// Integration tests start their own servers (and s3rver) and stop them.
export default defineConfig({
  test: {
    include: ['page/**/*.test.ts', 'services/**/*.test.ts', 'warehouse/**/*.test.ts', 'storage/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
