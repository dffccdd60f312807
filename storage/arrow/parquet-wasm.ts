/**
 * The one place parquet-wasm is loaded and initialised.
 *
 * Why: parquet-wasm 0.7.1's 'node' build is CommonJS inside an ESM package and fails to load
 * under Node ESM, so Firn uses its 'esm' build and instantiates the wasm synchronously from
 * the .wasm file shipped in the package (no fetch, no network). Each worker thread compiles
 * its own instance on first use.
 *
 * Contract: parquetWasm() returns the initialised module; call it on every use (cheap).
 * reserveParquetHeap(bytes) has the instance's allocator take `bytes` more of wasm memory,
 * touch every page and free them again: wasm memory never shrinks, so later decodes and
 * encodes reuse those pages instead of faulting fresh ones (the first decode of a 13 MB
 * Parquet file in a new thread grows the heap to ~137 MiB: ~650 ms against ~130 ms for the
 * second, on the dev VM where a fresh MiB costs ~3 ms). It answers the wasm memory's size.
 * reserveParquetHeapOnFirstUse(bytes) defers that reservation to the thread's first
 * parquetWasm() call, i.e. right before the first decode or encode, which would fault those
 * pages in anyway: a warehouse worker's start (a resumed warehouse's first task) does not wait
 * for it, and a worker whose tasks are all served from its column cache never pays it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as wasm from 'parquet-wasm/esm';

let instance: wasm.InitOutput | null = null;
/** Bytes to reserve at the first parquetWasm() call (reserveParquetHeapOnFirstUse). */
let reserveOnFirstUse = 0;

export type ParquetWasm = typeof wasm;

export function parquetWasm(): ParquetWasm {
  instanceExports();
  if (reserveOnFirstUse > 0) {
    const bytes = reserveOnFirstUse;
    reserveOnFirstUse = 0;
    reserveParquetHeap(bytes);
  }
  return wasm;
}

export function reserveParquetHeapOnFirstUse(bytes: number): void {
  reserveOnFirstUse = Math.max(0, bytes);
}

function instanceExports(): wasm.InitOutput {
  if (instance === null) {
    const require = createRequire(import.meta.url);
    const path = require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
    instance = wasm.initSync({ module: readFileSync(path) });
  }
  return instance;
}

export function reserveParquetHeap(bytes: number): number {
  const exports = instanceExports();
  if (bytes > 0) {
    const at = exports.__wbindgen_malloc(bytes, 8) >>> 0;
    new Uint8Array(exports.memory.buffer, at, bytes).fill(0);
    exports.__wbindgen_free(at, bytes, 8);
  }
  return exports.memory.buffer.byteLength;
}
