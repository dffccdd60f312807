/**
 * The file piscina loads in each warehouse thread: a CommonJS shim that imports the ES module
 * warehouse-worker.js on the thread's first task and hands it every task.
 *
 * Why: piscina loads its `filename` with require() first, and on Node 20 and 22 require() of
 * an ES module graph aborts the whole process ("FATAL ERROR: v8::Module::IsGraphAsync … must
 * be used on an instantiated module") when the thread is terminated while the graph is being
 * instantiated. Warehouses end threads that have just started: a SUSPEND right after an
 * auto-resume, a resize, a cluster stopped under a burst. Node 24 reworked that path
 * (nodejs/node#59703); an asynchronous import() is cut short cleanly on every version, so
 * the shim require()s nothing but itself.
 *
 * Contract: the default export is piscina's task handler, answering what
 * warehouse-worker.js's handler answers; a module that fails to load fails every task with
 * the load error.
 */
import type { WorkerMessage } from '../pool/worker-slot.js';

type Handler = (message: WorkerMessage) => Promise<unknown>;

let handler: Handler | null = null;
let loading: Promise<Handler> | null = null;

function handle(message: WorkerMessage): Promise<unknown> {
  if (handler !== null) return handler(message);
  loading ??= import('./warehouse-worker.js').then((m: { default: Handler }) => (handler = m.default));
  return loading.then((h) => h(message));
}

export = handle;
