/**
 * The event-loop probe of the tpch bench's loop section, run as its own process
 * (loop-probes.ts forks it): every `intervalMs` it times `GET /healthz`, and on a second
 * loop `SELECT 1`, against the Firn server at `url`.
 *
 * Why a process of its own: the bench process also sends the queries, decodes their answers
 * and hosts DuckDB, and its own event loop stalled up to 36-52 ms during the loop section
 * (monitorEventLoopDelay, TPC-H SF1). A probe timed on that loop counted the bench's stalls
 * as the server's.
 *
 * Contract: argv is `url intervalMs`. The child sends each probe once untimed (opening its
 * connections), then `{ ready: true }` over IPC, and polls until the parent sends 'stop';
 * then it sends `{ healthz, select1, failures }` (milliseconds per probe, messages of failed
 * probes) and exits.
 */
import { performance } from 'node:perf_hooks';
import { postStatement } from '../test/support/post-statement.js';

export type LoopProbeSamples = { healthz: number[]; select1: number[]; failures: string[] };

const [url, intervalText] = process.argv.slice(2);
const intervalMs = Number(intervalText);
const samples: LoopProbeSamples = { healthz: [], select1: [], failures: [] };
let stopping = false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function healthz(): Promise<void> {
  const res = await fetch(`${url}/healthz`);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

async function select1(): Promise<void> {
  await postStatement(url, 'SELECT 1');
}

async function poll(name: 'healthz' | 'select1', probe: () => Promise<void>): Promise<void> {
  while (!stopping) {
    const started = performance.now();
    try {
      await probe();
    } catch (err) {
      samples.failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const ms = performance.now() - started;
    samples[name].push(ms);
    await sleep(Math.max(0, intervalMs - ms));
  }
}

process.on('message', (m) => {
  if (m === 'stop') stopping = true;
});
await healthz();
await select1();
process.send!({ ready: true });
await Promise.all([poll('healthz', healthz), poll('select1', select1)]);
process.send!(samples, () => process.exit(0));
