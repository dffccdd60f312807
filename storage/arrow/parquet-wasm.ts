/**
 * The one place parquet-wasm is loaded and initialised.
 *
 * Why: parquet-wasm 0.7.1's 'node' build is CommonJS inside an ESM package and fails to load
 * under Node ESM, so Firn uses its 'esm' build and instantiates the wasm synchronously from
 * the .wasm file shipped in the package (no fetch, no network). Each worker thread compiles
 * its own instance on first use.
 *
 * Contract: parquetWasm() returns the initialised module; call it on every use (cheap).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as wasm from 'parquet-wasm/esm';

let ready = false;

export type ParquetWasm = typeof wasm;

export function parquetWasm(): ParquetWasm {
  if (!ready) {
    const require = createRequire(import.meta.url);
    const path = require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
    wasm.initSync({ module: readFileSync(path) });
    ready = true;
  }
  return wasm;
}
