import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_SECTIONS, parseBenchArgs } from '../../bench/bench-args.js';
import { measurePaired, median } from '../../bench/measure.js';
import { FirnError } from '../../storage/errors/firn-error.js';

const suites = ['lineitem', 'tpch'];

describe('parseBenchArgs', () => {
  it('defaults to the first suite, SF 0.1, 3 warm runs and no JSON file', () => {
    expect(parseBenchArgs([], suites)).toEqual({ suite: 'lineitem', sf: 0.1, out: null, runs: 3, sections: [...BENCH_SECTIONS] });
  });

  it('reads the suite, --sf, --runs and --out (also as --flag=value)', () => {
    expect(parseBenchArgs(['tpch', '--sf', '1', '--runs=5', '--out', 'x/r.json'], suites)).toEqual({
      suite: 'tpch',
      sf: 1,
      runs: 5,
      out: path.resolve('x/r.json'),
      sections: [...BENCH_SECTIONS],
    });
  });

  it('reads --sections as a comma list, in the bench\'s order, without repeats', () => {
    expect(parseBenchArgs(['tpch', '--sections', 'load,warm,load'], suites).sections).toEqual(['warm', 'load']);
    expect(parseBenchArgs(['--sections=loop'], suites).sections).toEqual(['loop']);
    expect(BENCH_SECTIONS).toEqual(['warm', 'cold', 'lowmem', 'loop', 'scaling', 'load']);
  });

  it('rejects bad values, unknown options and unknown or repeated suites', () => {
    for (const argv of [['--sf', '0'], ['--sf'], ['--runs', '0'], ['--runs', '1.5'], ['--fast'], ['nope'], ['lineitem', 'tpch'], ['--sections', 'warm,fast'], ['--sections', ','], ['--sections']]) {
      expect(() => parseBenchArgs(argv, suites)).toThrow(FirnError);
    }
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('measurePaired', () => {
  it('runs each side once cold, then alternates them, and reports each side\'s warm median', async () => {
    const order: string[] = [];
    let t = 0;
    const side = (name: string, base: number) => async () => {
      order.push(name);
      t++;
      return { ms: base + t };
    };
    const m = await measurePaired(side('a', 100), side('b', 1000), 3);
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(m.a.coldMs).toBe(101);
    expect(m.b.coldMs).toBe(1002);
    expect(m.a.warmMs).toBe(105);
    expect(m.b.warmMs).toBe(1006);
  });
});
