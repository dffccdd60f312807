/**
 * glibc malloc settings for the server process.
 *
 * Warehouse operators allocate and free large typed arrays all the time (hash tables,
 * gathered columns, exchange buffers). By default glibc maps every allocation above a
 * dynamic threshold with mmap and unmaps it on free, and gives the heap top back to the
 * kernel past 128 KiB, so each new array page-faults fresh memory. On the 2-core dev VM a
 * fresh MiB costs about 3 ms, and the TPC-H SF1 suite spent ~20% of its process CPU there.
 * These tunables keep freed memory in the process for the next array:
 *  - mmap_threshold = 32 MiB: arrays up to 32 MiB come from the heap, not from fresh maps;
 *  - trim_threshold = 1 GiB: up to 1 GiB of free heap top per arena stays mapped;
 *  - arena_max = 4: every thread that allocates gets a malloc arena of its own, up to 8 per
 *    core, and each arena keeps up to the trim threshold of free memory; warehouse threads
 *    come and go (resize, suspend, clusters under load), so the retained memory grew with
 *    them. Under 5 minutes of 200-session bursts on a two-cluster warehouse with resizes,
 *    suspends and SF1 self-joins, the server's RSS climbed from 4.2 to 11.3 GB with glibc's
 *    default (in a longer run malloc_trim gave 7 of 13 GB back) and stayed at 4.5-5.2 GB with
 *    four arenas; TPC-H SF1 on SMALL ran the same (seven queries, three alternations:
 *    1,270 ms in sum either way).
 *
 * No glibc.malloc.hugetlb: it was here (malloc asking for transparent huge pages, so one
 * fault maps 2 MiB) until it proved to be the cause of runs several times slower than usual.
 * Once the machine's free memory is fragmented (this VM after hours of work, with GBs in the
 * page cache), the kernel compacts memory inside the page fault to find each huge page (THP
 * defrag "madvise", this machine's setting). The XSMALL stage of TPC-H Q9 that scans ORDERS
 * into an 18 MiB broadcast then took 44-97 ms of CPU instead of 9-13, and the server stayed
 * in that state: Q9 on XSMALL ran 237-292 ms in two server runs against 172-219 ms in two
 * runs without huge pages, after the same queries in each.
 *
 * Contract: GLIBC_TUNABLES is read by the dynamic loader when a process starts, so it must
 * be in the environment the server starts with. `npm start` sets MALLOC_TUNABLES in
 * package.json (a test checks they agree) and startFirnProcess (tests, bench) uses
 * `withMallocTunables`. A GLIBC_TUNABLES the user set wins as a whole. Other C libraries
 * and platforms ignore the variable.
 */
export const MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=4';

/** `env` with GLIBC_TUNABLES set to MALLOC_TUNABLES unless it is set already. */
export function withMallocTunables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.GLIBC_TUNABLES === undefined ? { ...env, GLIBC_TUNABLES: MALLOC_TUNABLES } : env;
}
