/**
 * How a real server process is tuned, read back from /proc (Linux only):
 *  - its threads run at the priorities thread-priority.ts sets (issue 8's event-loop bar):
 *    the services (main) thread keeps the default priority; V8's and libuv's helpers run at
 *    HELPER_NICE from the start, the SMALL warehouse's two workers at BACKGROUND_NICE once
 *    they run a query, and answers are unchanged;
 *  - it starts with the glibc malloc tunables of malloc-tunables.ts, the same ones
 *    `npm start` sets in package.json, unless the caller set GLIBC_TUNABLES itself, and
 *    with the node flags of server-node-flags.ts, which the start script spells out too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKGROUND_NICE, HELPER_NICE } from '../../warehouse/pool/thread-priority.js';
import { MALLOC_TUNABLES, withMallocTunables } from '../../services/server/malloc-tunables.js';
import { SERVER_NODE_FLAGS } from '../../services/server/server-node-flags.js';
import { SERVER_ENTRY, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

/** Nice value of each thread of process `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNices(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      out.set(Number(t), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** The environment process `pid` started with. */
function startEnv(pid: number): Map<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

describe('malloc tunables', () => {
  it('npm start sets the same GLIBC_TUNABLES as the process harness, and a caller\'s own setting wins', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    expect(pkg.scripts.start).toBe(`GLIBC_TUNABLES=\${GLIBC_TUNABLES:-${MALLOC_TUNABLES}} node ${SERVER_NODE_FLAGS.join(' ')} dist/services/server/main.js`);
    expect(withMallocTunables({ A: '1' })).toEqual({ A: '1', GLIBC_TUNABLES: MALLOC_TUNABLES });
    expect(withMallocTunables({ GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' })).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' });
    // Four malloc arenas, not 8 per core: each keeps up to 1 GiB of free memory (malloc-tunables.ts).
    expect(MALLOC_TUNABLES.split(':')).toContain('glibc.malloc.arena_max=4');
  });
});

describe.runIf(process.platform === 'linux')('a server process', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-nice-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the services thread keeps its priority; warehouse workers run lower, and V8\'s and libuv\'s helpers lower still', async () => {
    const pid = server.child.pid!;
    const atStart = threadNices(pid);
    expect(atStart.get(pid)).toBe(0);
    expect(atStart.size).toBeGreaterThan(1);
    // V8's and libuv's helpers (libuv's pool alone has four threads); threads Firn started since (the catalog's WAL checkpointer) at BACKGROUND_NICE.
    const helpers = [...atStart].filter(([tid, nice]) => tid !== pid && nice === HELPER_NICE).map(([tid]) => tid);
    expect(helpers.length).toBeGreaterThanOrEqual(4);
    for (const [tid, nice] of atStart) if (tid !== pid && nice !== HELPER_NICE) expect({ tid, nice }).toEqual({ tid, nice: BACKGROUND_NICE });

    await postStatement(server.url, 'CREATE WAREHOUSE NICE_WH WAREHOUSE_SIZE = SMALL');
    await postStatement(server.url, 'CREATE TABLE t (x INTEGER)');
    for (const v of [1, 2, 3, 4]) await postStatement(server.url, `INSERT INTO t VALUES (${v})`, { warehouse: 'NICE_WH' });
    const body = await postStatement(server.url, 'SELECT SUM(x) FROM t', { warehouse: 'NICE_WH' });
    expect(body.data).toEqual([['10']]);

    const after = threadNices(pid);
    expect(after.get(pid)).toBe(0);
    const started = [...after.keys()].filter((tid) => !atStart.has(tid));
    // At least NICE_WH's two workers: below the services thread, above the helpers.
    expect(started.length).toBeGreaterThanOrEqual(2);
    for (const tid of started) expect({ tid, nice: after.get(tid) }).toEqual({ tid, nice: BACKGROUND_NICE });
    for (const tid of helpers) if (after.has(tid)) expect({ tid, nice: after.get(tid) }).toEqual({ tid, nice: HELPER_NICE });
  });

  it('starts with the server\'s node flags: each isolate collects its own garbage, the old generation starts at 64 MiB (server-node-flags.ts)', () => {
    const argv = readFileSync(`/proc/${server.child.pid!}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv.slice(1)).toEqual([...SERVER_NODE_FLAGS, SERVER_ENTRY]);
    expect(SERVER_NODE_FLAGS).toEqual(['--single-threaded-gc', '--initial-old-space-size=64']);
  });

  it('starts with the malloc tunables', () => {
    // glibc parses GLIBC_TUNABLES in place at startup, so /proc may show only its first tunable.
    const seen = startEnv(server.child.pid!).get('GLIBC_TUNABLES') ?? '';
    expect(seen).toMatch(/^glibc\.malloc\.mmap_threshold=33554432/);
    expect(MALLOC_TUNABLES.startsWith(seen)).toBe(true);
  });
});
