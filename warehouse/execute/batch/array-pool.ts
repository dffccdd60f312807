/**
 * Recycled typed arrays for the short-lived vectors of query execution.
 *
 * Why: every kernel result used to be a fresh Float64Array / Int32Array / Uint8Array. To V8
 * a fresh typed array is external memory, and every 64 MiB of it starts a full concurrent
 * GC; each first touch of a fresh page is also a page fault. On TPC-H that was a third of
 * a worker's CPU, taken from the other worker when two share two cores. Most of those
 * arrays die within one call (the intermediates of an expression, a filter's mask, an
 * aggregate's arguments), so a worker keeps their buffers and hands them out again.
 *
 * Contract:
 *  - allocF64 / allocI32 / allocU8(n): a zero-filled array of length n, a view over a
 *    recycled buffer. Inside `pooled(fn, keep)` the scope owns it; outside, the caller does
 *    (as with borrow*). allocF64Unfilled / allocI32Unfilled / allocU8Unfilled(n) are the same
 *    without the zeroing, so a recycled buffer holds old values: for kernels that write every
 *    element (a gather), which would otherwise write each element twice.
 *  - pooled(fn, keep): runs fn; afterwards every array that fn allocated goes back to the
 *    pool, except the arrays of the vector `keep(result)` returns: those now belong to the
 *    caller. Scopes nest (an inner scope's kept arrays belong to the outer scope).
 *    Nothing fn allocates may be kept anywhere but in that vector.
 *  - borrowF64 / borrowI32 / borrowU8(n): a zero-filled array of length n from the pool,
 *    in or out of a scope; the caller gives it back with recycleArray (or lets GC take it).
 *    shrink(a, m) is the first m elements of a borrowed array, itself borrowed in a's place.
 *  - recycle(v) / recycleArray(a): give back the arrays of v (or a) that the pool handed
 *    out to a caller. Only call them when nothing references those arrays any more (a mask
 *    after filtering, the arguments of an aggregate after its update). Anything else is
 *    ignored, so recycling a column of a scanned batch is harmless.
 *    recycleUnshared(v, batch) gives back only the arrays of v that no column of `batch`
 *    holds: for a vector computed from a batch that someone else may still hold.
 *  - Transient batches: markTransient(b) is a producer's promise that neither it nor
 *    anything upstream touches b's arrays again once b is yielded; a consumer that is done
 *    with such a batch (and keeps none of its arrays) gives them back with
 *    recycleTransient(b). Unmarked batches are left alone. A consumer that hands some of its
 *    vectors on in a transient batch of its own gives back the rest with
 *    recycleTransient(b, except): the vectors handed on belong to the new batch now.
 *  - Leases, for an operator's growing state (a hash table, an accumulator's per-group
 *    arrays) that lives across many calls and dies with the operator: inside
 *    `leased(lease, fn)`, leaseF64 / leaseI32 / leaseU8(n) borrow a zero-filled array and
 *    record it in the lease (outside any lease they are plain fresh arrays), and
 *    `regrow(old, grown)` gives `old` back once its values were copied into `grown`; LEASED
 *    is the same three as an allocator for concatenation.
 *    `lease.release()` gives back every array of the lease not given back yet: the operator
 *    calls it once nothing reads its state any more (after it emitted copies of it). A lease
 *    never released (a statement that failed) is left to GC like any unpooled array.
 *  - The pool keeps at most DEFAULT_POOL_BYTES of idle buffers per thread (setIdlePoolLimit:
 *    another bound for this thread; a warehouse worker sets one from its memory budget, as
 *    a join's or an aggregation's state of millions of rows is hundreds of MiB); the rest
 *    is left to GC.
 */
import type { ArrayAlloc } from '../../../storage/arrow/concat-vectors.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';

type PooledArray = Float64Array | Int32Array | Uint8Array;

/** Idle buffers kept per thread, at most, until setIdlePoolLimit says otherwise. */
const DEFAULT_POOL_BYTES = 64 * 2 ** 20;
let poolBytes = DEFAULT_POOL_BYTES;
/** Buffers are sized in classes: at most 1/8 bigger than asked, at least this many bytes. */
const MIN_CLASS_BYTES = 4096;

/** Idle buffers by class size. */
const idle = new Map<number, ArrayBuffer[]>();
let idleBytes = 0;
/** Arrays handed out and not yet given back (by a scope's end or by recycle). */
const outstanding = new WeakSet<PooledArray>();
/** Arrays allocated by each open scope, innermost last. */
const scopes: PooledArray[][] = [];

function classBytes(bytes: number): number {
  if (bytes <= MIN_CLASS_BYTES) return MIN_CLASS_BYTES;
  const step = 2 ** Math.floor(Math.log2(bytes)) / 8;
  return Math.ceil(bytes / step) * step;
}

function take(bytes: number, zero = true): ArrayBuffer {
  const size = classBytes(bytes);
  const list = idle.get(size);
  const buffer = list?.pop();
  if (buffer === undefined) return new ArrayBuffer(size);
  idleBytes -= size;
  if (zero) new Uint8Array(buffer, 0, bytes).fill(0);
  return buffer;
}

function giveBack(a: PooledArray): void {
  if (!outstanding.has(a)) return;
  outstanding.delete(a);
  const buffer = a.buffer as ArrayBuffer;
  const size = buffer.byteLength;
  if (idleBytes + size > poolBytes) return;
  let list = idle.get(size);
  if (list === undefined) idle.set(size, (list = []));
  list.push(buffer);
  idleBytes += size;
}

function track<T extends PooledArray>(a: T): T {
  scopes[scopes.length - 1].push(a);
  return a;
}

export function borrowF64(n: number, zero = true): Float64Array {
  const a = new Float64Array(take(n * 8, zero), 0, n);
  outstanding.add(a);
  return a;
}

export function borrowI32(n: number, zero = true): Int32Array {
  const a = new Int32Array(take(n * 4, zero), 0, n);
  outstanding.add(a);
  return a;
}

export function borrowU8(n: number, zero = true): Uint8Array {
  const a = new Uint8Array(take(n, zero), 0, n);
  outstanding.add(a);
  return a;
}

export function shrink<T extends PooledArray>(a: T, m: number): T {
  if (m === a.length || !outstanding.has(a)) return m === a.length ? a : (a.subarray(0, m) as T);
  outstanding.delete(a);
  const view = new (a.constructor as new (b: ArrayBuffer, offset: number, length: number) => T)(a.buffer as ArrayBuffer, 0, m);
  outstanding.add(view);
  return view;
}

export function allocF64(n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  return scopes.length === 0 ? borrowF64(n) : track(borrowF64(n));
}

export function allocI32(n: number): Int32Array {
  if (n === 0) return new Int32Array(0);
  return scopes.length === 0 ? borrowI32(n) : track(borrowI32(n));
}

export function allocU8(n: number): Uint8Array {
  if (n === 0) return new Uint8Array(0);
  return scopes.length === 0 ? borrowU8(n) : track(borrowU8(n));
}

export function allocF64Unfilled(n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  return scopes.length === 0 ? borrowF64(n, false) : track(borrowF64(n, false));
}

export function allocI32Unfilled(n: number): Int32Array {
  if (n === 0) return new Int32Array(0);
  return scopes.length === 0 ? borrowI32(n, false) : track(borrowI32(n, false));
}

export function allocU8Unfilled(n: number): Uint8Array {
  if (n === 0) return new Uint8Array(0);
  return scopes.length === 0 ? borrowU8(n, false) : track(borrowU8(n, false));
}

/** The typed arrays a vector holds. */
function arraysOf(v: Vector): PooledArray[] {
  const out: PooledArray[] = [];
  if (v.nulls !== null) out.push(v.nulls);
  switch (v.kind) {
    case 'f64':
    case 'i32':
    case 'bool':
      out.push(v.values);
      break;
    case 'str':
      out.push(v.codes);
      break;
    case 'ts':
      out.push(v.secs, v.nanos);
      break;
    case 'dec':
      break;
  }
  return out;
}

export function pooled<T>(fn: () => T, keep: (result: T) => Vector | null): T {
  const mine: PooledArray[] = [];
  scopes.push(mine);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    scopes.pop();
    for (const a of mine) giveBack(a);
    throw err;
  }
  scopes.pop();
  const kept = keep(result);
  const keptArrays = kept === null ? [] : arraysOf(kept);
  const outer = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const a of mine) {
    if (keptArrays.includes(a)) outer?.push(a);
    else giveBack(a);
  }
  return result;
}

export function recycle(v: Vector | null | undefined): void {
  if (v === null || v === undefined) return;
  for (const a of arraysOf(v)) giveBack(a);
}

export function recycleArray(a: PooledArray): void {
  giveBack(a);
}

export function recycleUnshared(v: Vector | null | undefined, batch: Batch): void {
  if (v === null || v === undefined || batch.columns.includes(v)) return;
  const held = batch.columns.flatMap(arraysOf);
  for (const a of arraysOf(v)) if (!held.includes(a)) giveBack(a);
}

const transient = new WeakSet<Batch>();

export function markTransient(b: Batch): Batch {
  transient.add(b);
  return b;
}

export function isTransient(b: Batch): boolean {
  return transient.has(b);
}

export function recycleTransient(b: Batch, except?: ReadonlySet<Vector>): void {
  if (!transient.has(b)) return;
  transient.delete(b);
  if (except === undefined || except.size === 0) {
    for (const v of b.columns) recycle(v);
    return;
  }
  // A vector may share an array with another (a cast keeps its input's NULL mask).
  const held = [...except].flatMap(arraysOf);
  for (const v of b.columns) if (!except.has(v)) for (const a of arraysOf(v)) if (!held.includes(a)) giveBack(a);
}

/** Bytes of idle buffers the pool holds (for tests). */
export function setIdlePoolLimit(bytes: number): void {
  poolBytes = Math.max(0, bytes);
}

export function idlePoolBytes(): number {
  return idleBytes;
}

/** Overwrites every idle buffer with `byte`: in tests, memory given back while still in use shows. */
export function fillIdle(byte: number): void {
  for (const list of idle.values()) for (const buffer of list) new Uint8Array(buffer).fill(byte);
}

/** The state arrays of one operator; see the module comment. */
export class ArrayLease {
  private arrays: PooledArray[] = [];

  /** Records a borrowed array as part of this lease. */
  hold<T extends PooledArray>(a: T): T {
    this.arrays.push(a);
    return a;
  }

  /** Gives back every array of the lease (those already given back are skipped). */
  release(): void {
    for (const a of this.arrays) giveBack(a);
    this.arrays = [];
  }
}

let currentLease: ArrayLease | null = null;

export function leased<T>(lease: ArrayLease, fn: () => T): T {
  const outer = currentLease;
  currentLease = lease;
  try {
    return fn();
  } finally {
    currentLease = outer;
  }
}

export function leaseF64(n: number): Float64Array {
  return currentLease === null ? new Float64Array(n) : currentLease.hold(borrowF64(n));
}

export function leaseI32(n: number): Int32Array {
  return currentLease === null ? new Int32Array(n) : currentLease.hold(borrowI32(n));
}

export function leaseU8(n: number): Uint8Array {
  return currentLease === null ? new Uint8Array(n) : currentLease.hold(borrowU8(n));
}

/** leaseF64 / leaseI32 / leaseU8 as a concatenation's allocator. */
export const LEASED: ArrayAlloc = { f64: leaseF64, i32: leaseI32, u8: leaseU8 };

/** `grown`, after giving back `old` (whose values were copied into it) when it was leased. */
export function regrow<T extends PooledArray>(old: PooledArray, grown: T): T {
  giveBack(old);
  return grown;
}
