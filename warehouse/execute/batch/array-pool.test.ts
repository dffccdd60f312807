import { describe, expect, it } from 'vitest';
import type { Batch, BoolVector, F64Vector, Vector } from '../../../storage/types/vector.js';
import { allocF64, allocF64Unfilled, allocU8, ArrayLease, borrowF64, borrowI32, idlePoolBytes, leased, leaseF64, leaseI32, markTransient, pooled, recycle, recycleTransient, recycleUnshared, recycleArray, regrow, shrink } from './array-pool.js';

const f64 = (values: Float64Array): F64Vector => ({ kind: 'f64', length: values.length, values, nulls: null });

/** Allocates and scribbles over every idle buffer of the pool's classes used here, so reused memory would show. */
function scribble(): void {
  pooled(
    () => {
      for (let k = 0; k < 8; k++) allocF64(1000).fill(7);
      for (let k = 0; k < 8; k++) allocU8(1000).fill(7);
    },
    () => null,
  );
}

describe('array pool', () => {
  it('gives back what a scope allocated except the kept vector, whose arrays stay intact', () => {
    const before = idlePoolBytes();
    const kept = pooled(
      () => {
        const tmp = allocF64(1000);
        tmp.fill(3);
        const out = allocF64(1000);
        for (let i = 0; i < 1000; i++) out[i] = tmp[i] + i;
        return f64(out);
      },
      (v) => v,
    );
    expect(idlePoolBytes()).toBeGreaterThan(before);
    scribble();
    expect(kept.values[0]).toBe(3);
    expect(kept.values[999]).toBe(1002);
  });

  it('hands out zero-filled arrays even from dirty buffers', () => {
    scribble();
    pooled(
      () => {
        expect(allocF64(1000).every((x) => x === 0)).toBe(true);
        expect(allocU8(1000).every((x) => x === 0)).toBe(true);
      },
      () => null,
    );
  });

  it('hands out unfilled arrays from the same buffers, without zeroing them, and zeroes them again for allocF64', () => {
    scribble();
    pooled(
      () => {
        const dirty = allocF64Unfilled(1000);
        expect(dirty.length).toBe(1000);
        // A recycled buffer keeps what was written into it: the kernel writes every element.
        expect(dirty.some((x) => x === 7)).toBe(true);
        dirty.fill(9);
      },
      () => null,
    );
    pooled(
      () => {
        for (let k = 0; k < 8; k++) expect(allocF64(1000).every((x) => x === 0)).toBe(true);
      },
      () => null,
    );
  });

  it("an inner scope's kept arrays belong to the outer scope", () => {
    let inner: F64Vector | null = null;
    const outer = pooled(
      () => {
        inner = pooled(() => f64(allocF64(1000).fill(5)), (v) => v);
        scribble();
        expect(inner.values[0]).toBe(5);
        return f64(allocF64(10));
      },
      (v) => v,
    );
    expect(outer.length).toBe(10);
    // The outer scope did not keep inner's arrays, so they went back to the pool.
    scribble();
    expect(inner!.values[0]).toBe(7);
  });

  it('gives everything back when the scope throws', () => {
    const before = idlePoolBytes();
    expect(() =>
      pooled(
        () => {
          allocF64(5000);
          throw new Error('boom');
        },
        () => null,
      ),
    ).toThrow('boom');
    expect(idlePoolBytes()).toBeGreaterThan(before);
  });

  it('recycleUnshared leaves arrays a batch column still holds', () => {
    const shared = pooled(() => f64(allocF64(1000).fill(9)), (v) => v);
    const mask = pooled((): Vector => ({ kind: 'bool', length: 1000, values: allocU8(1000), nulls: null }), (v) => v);
    // Shares the column's values, owns its NULL mask.
    const derived: Vector = { ...shared, nulls: (mask as BoolVector).values };
    recycleUnshared(derived, { length: 1000, columns: [shared] });
    scribble();
    expect(shared.values[0]).toBe(9);
    expect(derived.nulls![0]).toBe(7);
  });

  it('recycleTransient recycles only batches their producer marked', () => {
    const v = pooled(() => f64(allocF64(1000).fill(4)), (x) => x);
    const plain: Batch = { length: 1000, columns: [v] };
    recycleTransient(plain);
    scribble();
    expect(v.values[0]).toBe(4);
    recycleTransient(markTransient({ length: 1000, columns: [v] }));
    scribble();
    expect(v.values[0]).toBe(7);
  });

  it("shrink keeps a borrowed array's buffer and its ownership", () => {
    const a = borrowI32(1000);
    a.fill(1);
    const b = shrink(a, 10);
    expect(b.length).toBe(10);
    expect(b.buffer).toBe(a.buffer);
    recycle({ kind: 'i32', length: 10, values: b, nulls: null });
    const c = borrowI32(1000);
    expect(c.buffer).toBe(a.buffer);
    expect(c[5]).toBe(0);
  });

  it('a lease holds what was leased inside it until release; outside a lease, leasing is a plain allocation', () => {
    const plain = leaseF64(2000);
    recycleArray(plain);
    expect(borrowF64(2000).buffer).not.toBe(plain.buffer);
    const lease = new ArrayLease();
    const [a, grown] = leased(lease, () => {
      const small = leaseI32(1500);
      small[0] = 9;
      const big = leaseI32(3000);
      big.set(small);
      return [small, regrow(small, big)];
    });
    // regrow gave the small array back at once: the next borrow of its class reuses it, zeroed.
    const again = borrowI32(1500);
    expect(again.buffer).toBe(a.buffer);
    expect(again[0]).toBe(0);
    expect(grown[0]).toBe(9);
    const idle = idlePoolBytes();
    lease.release();
    expect(idlePoolBytes()).toBe(idle + grown.buffer.byteLength);
    lease.release();
    expect(idlePoolBytes()).toBe(idle + grown.buffer.byteLength);
    expect(borrowI32(3000).buffer).toBe(grown.buffer);
  });
});
