/**
 * Node/V8 flags the server process starts with (`npm start`, and startFirnProcess for tests
 * and the bench), beside its malloc tunables (malloc-tunables.ts).
 *
 * --single-threaded-gc: every isolate (each warehouse worker, and the services thread)
 * collects its own garbage on its own thread, with no parallel scavenging and no concurrent
 * marking or sweeping on V8's shared helper threads.
 *
 * Why: a warehouse's size is its worker count, and a worker's garbage collection is part of
 * its work. With V8's helper threads a worker's collection ran on whatever core was free: an
 * XSMALL warehouse on a 2-core machine had its second core do it, while a SMALL warehouse's
 * two workers found no free core and the helpers took theirs (run-queue waits of 5-75 ms per
 * task of TPC-H Q9's main stage, /proc/thread-self/schedstat). Collected on their own
 * threads, the work is where the size says it is and costs no synchronisation between
 * threads. TPC-H SF1, SMALL warehouse (npm run bench -- tpch, sections warm and scaling,
 * three runs each way): Q9 126-163 ms against 123-180 ms, Q18 98-134 ms against 114-166 ms;
 * the warm geometric mean against DuckDB 1.23-1.25 either way; under load the event loop's
 * p99 stayed at 7.2 ms (/healthz) and 10.5 ms (SELECT 1). XSMALL loses its free helper core
 * for garbage collection and ran Q9 in 161-184 ms against 173-177 ms.
 *
 * --initial-old-space-size=64: the old generation of every isolate may reach 64 MiB before its
 * first full collection (workers' heap limits, at least 64 MiB, still bound them).
 *
 * Why: the services thread keeps a small heap (about 18 MiB live) and allocates slowly, so V8
 * set its next limit only ~23 MiB above it, below its young generation's capacity, and started
 * the next incremental marking as soon as the last one finished: a mark-compact every 0.3-0.5 s,
 * 15-25 ms of marking steps each, on the thread that answers /healthz and plans statements.
 * TPC-H Q18 run 40 times on SMALL (--trace-gc): the services isolate's mark-compacts went from
 * 8-9 to 2 and its collection time from 140-170 ms to about 55 ms; the workers' were unchanged.
 *
 * V8 reads these flags when it starts: they cannot be set later from inside the process
 * (v8.setFlagsFromString of this one crashed V8 once a concurrent marking had begun).
 *
 * Contract: SERVER_NODE_FLAGS go on the node command line before the server's entry point;
 * package.json's start script spells them out (a test checks they agree).
 */
export const SERVER_NODE_FLAGS = ['--single-threaded-gc', '--initial-old-space-size=64'] as const;
