import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { prng } from '../../../test/support/prng.js';
import { JoinKeyIds, MISSING_KEY, NULL_KEY } from './join-key-ids.js';
import { vectorOf } from './join-test-kit.js';

const TYPES: DataType[] = [Types.number(38, 0), Types.varchar, Types.date];
const BIG = 2n ** 60n;

function columns(rows: Scalar[][], rand: () => number, wide: boolean) {
  return TYPES.map((t, c) => vectorOf(t, rows.map((r) => r[c]), rand, wide));
}

describe('JoinKeyIds', () => {
  it('gives build tuples dense ids and answers probes with ids, NULL_KEY or MISSING_KEY', () => {
    const rand = prng(4);
    const keys = new JoinKeyIds(TYPES);
    const build: Scalar[][] = [
      [1n, 'a', 10],
      [BIG, 'b', 11],
      [1n, 'a', 10],
      [2n, null, 12],
      [1n, 'a', 11],
    ];
    keys.addBuild(columns(build, rand, false).map((v, c) => (c === 0 ? vectorOf(TYPES[0], build.map((r) => r[0]), rand, true) : v)), build.length);
    expect([...keys.seal().subarray(0, build.length)]).toEqual([0, 1, 0, NULL_KEY, 3]);
    const probe: Scalar[][] = [
      [1n, 'a', 11],
      [BIG, 'b', 11],
      [3n, 'a', 10],
      [1n, null, 10],
      [1n, 'a', 10],
    ];
    const out = new Int32Array(probe.length);
    keys.lookup(columns(probe, rand, false), probe.length, out);
    expect([...out]).toEqual([3, 1, MISSING_KEY, NULL_KEY, 0]);
  });

  it('answers unseen probe keys as missing without adding them to its table', () => {
    const rand = prng(8);
    const keys = new JoinKeyIds(TYPES);
    const build: Scalar[][] = Array.from({ length: 40 }, (_, i) => [i % 3 === 0 ? BIG + BigInt(i) : BigInt(i), `s${i % 7}`, 100 + (i % 5)]);
    build.push([null, 'x', 1]);
    keys.addBuild(columns(build, rand, true), build.length);
    const ids = keys.seal().slice(0, build.length);
    const size = keys.size;
    const bytes = keys.bytes;
    for (let round = 0; round < 30; round++) {
      // Mostly unseen tuples, plus every build tuple again.
      const unseen: Scalar[][] = Array.from({ length: 50 }, (_, i) => [BigInt(1000 + round * 50 + i), `n${round}-${i}`, i]);
      const probe = [...unseen, ...build];
      const out = new Int32Array(probe.length);
      keys.lookup(columns(probe, rand, round % 2 === 0), probe.length, out);
      expect([...out.subarray(0, 50)].every((id) => id === MISSING_KEY)).toBe(true);
      expect([...out.subarray(50)]).toEqual([...ids]);
      expect(keys.size).toBe(size);
    }
    expect(keys.bytes).toBe(bytes);
  });

  it('answers one integer key the same whether its build range is dense (array index) or sparse (hash)', () => {
    const rand = prng(12);
    for (const type of [Types.number(12, 2), Types.date]) {
      for (const [spread, wideBuild] of [
        [1, false],
        // 300 keys over 100,000 values: within DENSE_SLACK, still an array index.
        [401, false],
        // 300 keys over a million values: hashed (a dense range's chain heads would touch a fresh page per few keys).
        [4001, false],
        [1_000_003, false],
        [1, true],
      ] as const) {
        const keys = new JoinKeyIds([type]);
        const build: Scalar[] = Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? null : toKey(type, (i % 250) * spread - 40)));
        keys.addBuild([vectorOf(type, build.slice(0, 100), rand)], 100);
        // A 'dec' batch (NUMBER only) switches a buffered key to hashing mid-build.
        keys.addBuild([vectorOf(type, build.slice(100), rand, wideBuild)], 200);
        const ids = keys.seal().slice(0, build.length);
        const dense = spread <= 401 && !(wideBuild && type.kind === 'NUMBER');
        // Dense: one id per value of the range -40..249*spread-40; hashed: one per distinct value and NULL.
        expect(keys.size, `${type.kind} spread ${spread}`).toBe(dense ? 249 * spread + 1 : 239);
        const probe: Scalar[] = Array.from({ length: 500 }, (_, i) => (i % 23 === 0 ? null : toKey(type, (i - 100) * spread - 40)));
        const out = new Int32Array(probe.length);
        for (const wide of [false, true]) {
          keys.lookup([vectorOf(type, probe, rand, wide)], probe.length, out);
          probe.forEach((p, i) => {
            const at = build.indexOf(p);
            const what = `${type.kind} spread ${spread} probe ${String(p)}`;
            if (p === null) expect(out[i], what).toBe(NULL_KEY);
            else if (at >= 0) expect(out[i], what).toBe(ids[at]);
            // A value the build lacks: MISSING_KEY, or (dense) an id in range that no build row has.
            else expect(out[i] === MISSING_KEY || (out[i] >= 0 && out[i] < keys.size && !ids.includes(out[i])), what).toBe(true);
          });
        }
      }
    }
  });
});

describe('JoinKeyIds over several integer keys', () => {
  it('numbers the same tuples alike whether a dense lead column chains them, many tuples per lead value force hashing, or a wide batch does', () => {
    const rand = prng(21);
    const types: DataType[] = [Types.number(38, 0), Types.date, Types.number(12, 2)];
    // [lead values, tuples per lead value, lead spread]: a dense lead (4 tuples per part key),
    // a lead with 40 tuples per value (hashed), and no dense column at all (hashed).
    for (const [leads, perLead, spread] of [
      [500, 4, 1],
      [50, 40, 1],
      [300, 2, 100_000],
    ] as const) {
      for (const wideBatch of [false, true]) {
        const rows = leads * perLead * 2;
        // Every tuple twice, in a scrambled order, and every 97th row with a NULL key.
        const build: Scalar[][] = Array.from({ length: rows }, (_, i) => {
          const j = (i * 7919) % rows;
          const lead = Math.floor(j / perLead) % leads;
          const k = j % perLead;
          return i % 97 === 0 ? [BigInt(lead * spread), null, 1n] : [BigInt(lead * spread), 19000 + (k % 4), BigInt(k)];
        });
        const keys = new JoinKeyIds(types);
        const cols = (rs: Scalar[][], wide: boolean) => types.map((t, c) => vectorOf(t, rs.map((r) => r[c]), rand, wide && c === 0));
        keys.addBuild(cols(build.slice(0, rows / 2), false), rows / 2);
        keys.addBuild(cols(build.slice(rows / 2), wideBatch), rows / 2);
        const ids = keys.seal().slice(0, rows);
        const tupleKey = (r: Scalar[]) => r.map(String).join('|');
        const firstOf = new Map<string, number>();
        build.forEach((r, i) => {
          if (r.includes(null)) return expect(ids[i]).toBe(NULL_KEY);
          const first = firstOf.get(tupleKey(r));
          if (first === undefined) firstOf.set(tupleKey(r), i);
          else expect(ids[i]).toBe(ids[first]);
        });
        expect(new Set([...firstOf.values()].map((i) => ids[i])).size).toBe(firstOf.size);
        // Only the lead numbering leaves tuples with a NULL unnumbered: hashing gives them ids too.
        const chained = perLead === 4 && !wideBatch;
        if (chained) expect(keys.size).toBe(firstOf.size);
        else expect(keys.size).toBeGreaterThan(firstOf.size);
        const probe: Scalar[][] = [...build.slice(0, 400), ...Array.from({ length: 100 }, (_, i): Scalar[] => [BigInt(i * spread), 19000 + (i % 5), BigInt(i % 41)]), [null, 19000, 1n]];
        const out = new Int32Array(probe.length);
        for (const wide of [false, true]) {
          keys.lookup(cols(probe, wide), probe.length, out);
          probe.forEach((r, i) => {
            const what = `leads ${leads} x ${perLead} probe ${tupleKey(r)}`;
            if (r.includes(null)) return expect(out[i], what).toBe(NULL_KEY);
            const first = firstOf.get(tupleKey(r));
            expect(out[i], what).toBe(first === undefined ? MISSING_KEY : ids[first]);
          });
        }
        const emitted = keys.emitKeys(Int32Array.from([...firstOf.values()].map((i) => ids[i])), firstOf.size);
        const back = [...firstOf.keys()].map((_, k) => emitted.map((v) => (v.kind === 'i32' ? String(v.values[k]) : v.kind === 'f64' ? String(BigInt(v.values[k])) : `a ${v.kind} vector`)).join('|'));
        expect(back).toEqual([...firstOf.keys()]);
      }
    }
  });
});

describe('JoinKeyIds over several integer keys, some of them NULL throughout', () => {
  it('numbers every build row NULL_KEY when a key column has no value, and finds no probe row', () => {
    const types: DataType[] = [Types.number(38, 0), Types.date];
    const rand = prng(5);
    for (const build of [
      [
        [1n, null],
        [2n, null],
      ],
      [],
    ] as Scalar[][][]) {
      const keys = new JoinKeyIds(types);
      keys.addBuild(types.map((t, c) => vectorOf(t, build.map((r) => r[c]), rand)), build.length);
      expect([...keys.seal().subarray(0, build.length)]).toEqual(build.map(() => NULL_KEY));
      expect(keys.size).toBe(0);
      const out = new Int32Array(2);
      keys.lookup([vectorOf(types[0], [1n, 1n], rand), vectorOf(types[1], [5, null], rand)], 2, out);
      expect([...out]).toEqual([MISSING_KEY, NULL_KEY]);
    }
  });
});

describe('JoinKeyIds dense numbering within a memory limit', () => {
  it('hashes a range that would be dense when its chain heads do not fit the ids the caller allows', () => {
    const build = (maxDenseIds: number) => {
      const keys = new JoinKeyIds([Types.number(38, 0)]);
      keys.addBuild([{ kind: 'f64', length: 3, values: new Float64Array([5, 50_005, 100_005]), nulls: null }], 3);
      keys.seal(maxDenseIds);
      return keys.size;
    };
    expect(build(Infinity)).toBe(100_001);
    expect(build(100_001)).toBe(100_001);
    expect(build(100_000)).toBe(3);
  });
});

function toKey(type: DataType, v: number): Scalar {
  return type.kind === 'NUMBER' ? BigInt(v) : v;
}
