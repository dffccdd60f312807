/**
 * Starts the loop section's event-loop probes in a process of their own (loop-probe-child.ts
 * says why) and collects their samples.
 *
 * Contract: startLoopProbes(url, intervalMs) resolves once the child has opened its
 * connections and started polling; `stop()` ends the polling and resolves with every sample.
 * A child that exits early rejects `stop()` with why.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoopProbeSamples } from './loop-probe-child.js';

export type LoopProbes = { stop(): Promise<LoopProbeSamples> };

const CHILD = fileURLToPath(new URL('./loop-probe-child.js', import.meta.url));

export async function startLoopProbes(url: string, intervalMs: number): Promise<LoopProbes> {
  const child = fork(CHILD, [url, String(intervalMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`the loop probe process exited (${signal ?? `code ${code}`})`)));
    child.once('error', reject);
  });
  exited.catch(() => {});
  const message = <T>(pick: (m: unknown) => T | null) =>
    Promise.race([
      new Promise<T>((resolve) => {
        const on = (m: unknown) => {
          const v = pick(m);
          if (v === null) return;
          child.off('message', on);
          resolve(v);
        };
        child.on('message', on);
      }),
      exited,
    ]);
  await message((m) => ((m as { ready?: boolean }).ready === true ? true : null));
  return {
    stop: async () => {
      const samples = message((m) => ((m as Partial<LoopProbeSamples>).healthz ? (m as LoopProbeSamples) : null));
      child.send('stop');
      return samples;
    },
  };
}
