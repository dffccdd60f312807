/**
 * How a worker's answer crosses the thread boundary. An answer that carries rows is ONE
 * transferable byte array (Piscina.move transfers only a top-level buffer): a 4-byte
 * little-endian length, the JSON of the answer's metadata (scan stats, a file's load
 * result), then the Arrow IPC stream of the rows. A failure is `{ error: PlainError }`,
 * rebuilt into its FirnError class by the caller.
 */
import { fromPlain, type PlainError } from '../../storage/errors/firn-error.js';

export type WorkerFailure = { error: PlainError };

export function packReply(meta: unknown, ipc: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const out = new Uint8Array(4 + json.length + ipc.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  out.set(ipc, 4 + json.length);
  return out;
}

export function unpackReply<M>(bytes: Uint8Array): { meta: M; ipc: Uint8Array } {
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as M;
  return { meta, ipc: bytes.subarray(4 + n) };
}

/** Throws the rebuilt FirnError when a worker answered with a failure. */
export function throwIfFailure<T>(reply: T | WorkerFailure): T {
  if (reply && typeof reply === 'object' && 'error' in reply && (reply as WorkerFailure).error?.codeName) {
    throw fromPlain((reply as WorkerFailure).error);
  }
  return reply as T;
}
