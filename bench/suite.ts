/**
 * What a benchmark suite is and what it reports, so bench/main.ts can run any of them
 * (lineitem now, tpch later) and print and save them the same way.
 *
 * Contract: a suite runs Firn and DuckDB side by side over the same data and returns one
 * QueryReport per query (q1, q6 first when a suite has them) plus load times. Times are
 * wall-clock milliseconds measured by the bench process around each statement; null when
 * that engine failed (the error is in `error`). `ratio` = firnMs / duckdbMs.
 */
import type { BenchSection } from './bench-args.js';

export type ResultCheck = 'same' | 'DIFFERENT' | 'not compared';

/** One more table the report prints under the main one (cold runs, low memory, ...), and saves as `json`. */
export type ReportSection = { title: string; header: string[]; rows: string[][]; notes: string[]; json: object };

export type QueryReport = {
  name: string;
  firnMs: number | null;
  duckdbMs: number | null;
  ratio: number | null;
  partitionsScanned: number | null;
  partitionsTotal: number | null;
  firnColdMs: number | null;
  duckdbColdMs: number | null;
  check: ResultCheck;
  /** Why the check failed, an engine's error, or a note such as the date_range bound. */
  detail: string;
};

export type SuiteReport = {
  suite: string;
  sf: number;
  runs: number;
  rows: number;
  /** What `rows` counts, in the table's title; 'lineitem rows' when not given. */
  rowsLabel?: string;
  queries: QueryReport[];
  load: { firnMs: number | null; duckdbMs: number | null };
  /** Peak resident set of the Firn server process (VmHWM), when the OS tells. */
  firnPeakRssBytes: number | null;
  /** Extra lines worth printing under the table (clustered load time, pruning bound, ...). */
  notes: string[];
  /** Further tables, printed after the notes in this order. */
  sections: ReportSection[];
  /** True when an answer was wrong in any section: the run exits 1. */
  anyDifferent?: boolean;
};

export type SuiteContext = {
  sf: number;
  runs: number;
  /** The repository root (bench/data lives under it). */
  root: string;
  /** The parts to run (bench-args.ts); a suite runs those it has. */
  sections: readonly BenchSection[];
  log: (line: string) => void;
};

export type BenchSuite = {
  name: string;
  description: string;
  run(ctx: SuiteContext): Promise<SuiteReport>;
};
