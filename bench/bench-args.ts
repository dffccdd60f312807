/**
 * Command line of `npm run bench -- [suite] [--sf 0.1] [--out file.json] [--runs 3]
 * [--sections warm,cold,...]`.
 *
 * Contract: parseBenchArgs(argv, suiteNames) returns the suite (default the first name, i.e.
 * 'lineitem'), the scale factor (default 0.1: a casual run is quick; SF 1 is the reported
 * one), the JSON output path (resolved against the working directory, or null) and the
 * number of warm runs per query (default 3) and the sections to run (default all of
 * BENCH_SECTIONS, in that order; a suite runs those it has). Anything else is a FirnError
 * BAD_REQUEST naming the argument, with the usage line.
 */
import path from 'node:path';
import { FirnError } from '../storage/errors/firn-error.js';

/**
 * The parts of a run (the tpch suite has them all): warm timings, cold runs after a restart,
 * the low-memory run, the event-loop probe, XSMALL against SMALL, and the load times.
 */
export const BENCH_SECTIONS = ['warm', 'cold', 'lowmem', 'loop', 'scaling', 'load'] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

export type BenchArgs = { suite: string; sf: number; out: string | null; runs: number; sections: BenchSection[] };

export const DEFAULT_SF = 0.1;
export const DEFAULT_RUNS = 3;

export function benchUsage(suiteNames: readonly string[]): string {
  return `usage: npm run bench -- [${suiteNames.join('|')}] [--sf ${DEFAULT_SF}] [--out file.json] [--runs ${DEFAULT_RUNS}] [--sections ${BENCH_SECTIONS.join(',')}]`;
}

export function parseBenchArgs(argv: readonly string[], suiteNames: readonly string[]): BenchArgs {
  const fail = (msg: string): never => {
    throw new FirnError('BAD_REQUEST', `${msg}\n${benchUsage(suiteNames)}`);
  };
  const args: BenchArgs = { suite: suiteNames[0], sf: DEFAULT_SF, out: null, runs: DEFAULT_RUNS, sections: [...BENCH_SECTIONS] };
  let suiteGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') fail(`${flag} needs a value`);
      return v as string;
    };
    switch (flag) {
      case '--sf': {
        const text = value();
        const sf = Number(text);
        if (!Number.isFinite(sf) || sf <= 0) fail(`--sf must be a positive number, got '${text}'`);
        args.sf = sf;
        break;
      }
      case '--runs': {
        const text = value();
        const runs = Number(text);
        if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a whole number >= 1, got '${text}'`);
        args.runs = runs;
        break;
      }
      case '--sections': {
        const names = value().split(',').map((n) => n.trim()).filter(Boolean);
        for (const n of names) if (!(BENCH_SECTIONS as readonly string[]).includes(n)) fail(`unknown section '${n}' (sections: ${BENCH_SECTIONS.join(', ')})`);
        if (names.length === 0) fail('--sections needs at least one section');
        args.sections = BENCH_SECTIONS.filter((n) => names.includes(n));
        break;
      }
      case '--out':
        args.out = path.resolve(value());
        break;
      default:
        if (arg.startsWith('-')) fail(`unknown option '${arg}'`);
        if (suiteGiven) fail(`one suite per run, got '${args.suite}' and '${arg}'`);
        if (!suiteNames.includes(arg)) fail(`unknown suite '${arg}'`);
        args.suite = arg;
        suiteGiven = true;
    }
  }
  return args;
}
