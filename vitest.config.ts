import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

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

/**
 * The suite's longest files, longest first (seconds in a CI run of December 2026). Vitest orders
 * files it has no timings for (a fresh clone, as CI runs) by size, largest first, so the 100 s
 * test/sql-logic.test.ts, a small file, started last and ran alone on one of the two workers for
 * its whole length. Started first, the long files share the workers with the many short ones.
 * A file missing from the list only runs in the default order; keep the list roughly current.
 */
const LONGEST_FIRST = [
  'test/integration/differential-strategies.test.ts', // 445
  'test/integration/versioned-model.test.ts', // 206
  'test/integration/crash-commit.test.ts', // 149
  'test/sql-logic.test.ts', // 98
  'test/integration/crash-orphans.test.ts', // 38
  'test/integration/statement-survival.test.ts', // 37
  'warehouse/worker/warehouse-worker-entry.test.ts', // 36
  'test/integration/differential-dml.test.ts', // 31
  'test/integration/crash-transaction.test.ts', // 24
  'test/integration/deep-expressions.test.ts', // 24
  'test/integration/sql-api-v2.test.ts', // 23
  'test/integration/differential-duckdb.test.ts', // 20
];

/** Vitest's order (by its cached timings, else by size), with LONGEST_FIRST moved to the front. */
class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      const i = LONGEST_FIRST.indexOf(path.relative(f.project.config.root, f.moduleId).split(path.sep).join('/'));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return (await super.sort(files)).map((f, i) => ({ f, i, r: rank(f) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
  }
}

/**
 * Unit tests whose assertions need a process no other test file has run in: each reads state
 * a module keeps for the whole process (V8 flags set once, the thread's idle array pool).
 */
const NEEDS_OWN_PROCESS = ['warehouse/pool/worker-heap-flags.test.ts', 'warehouse/execute/batch/array-pool.test.ts', 'warehouse/execute/aggregate/hash-aggregate-exec.test.ts'];

const UNIT = ['page/**/*.test.ts', 'services/**/*.test.ts', 'warehouse/**/*.test.ts', 'storage/**/*.test.ts'];

// Unit tests live beside the code; integration and SQL tests under test/.
// Integration tests start their own servers (and s3rver) and stop them.
//
// The test files share their worker processes (isolate: false): a fresh process per file
// costs a fork and every module's import again. The unit files: 228 s isolated, 134 s
// shared, on this 2-core machine; 38 short integration files: 89 s and 170 CPU-seconds
// isolated, 75 s and 143 CPU-seconds shared (their servers are child processes either way).
// Only NEEDS_OWN_PROCESS files get a process of their own, as vitest's default.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: LongestFirstSequencer },
    env: tmpdir ? { TMPDIR: tmpdir } : {},
    projects: [
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'own-process', include: NEEDS_OWN_PROCESS } },
      { extends: true, test: { name: 'unit', include: UNIT, exclude: [...configDefaults.exclude, ...NEEDS_OWN_PROCESS], isolate: false } },
    ],
  },
});
