import { accessSync, constants, statSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Where tests make their homes, spill and data directories (os.tmpdir() reads TMPDIR):
 * FIRN_TEST_TMPDIR when set, else /dev/shm where the machine has it (a tmpfs on Linux), else
 * the system's. On tmpfs every file, rename and fsync is the same call as on disk but never
 * waits for the device: the suite's many small commits and partition writes (the versioned
 * model's 300 steps took 33 s on ext4 and 22 s there) then cost CPU only, within the CI
 * budget. Durability across power loss is not what these tests check (a kill -9 leaves the
 * page cache as a disk would); the benches run on disk.
 */
function testTmpdir(): string | undefined {
  if (process.env.FIRN_TEST_TMPDIR) return process.env.FIRN_TEST_TMPDIR;
  try {
    if (!statSync('/dev/shm').isDirectory()) return undefined;
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}

const tmpdir = testTmpdir();

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
    env: tmpdir ? { TMPDIR: tmpdir } : {},
  },
});
