/**
 * The benchmark suites `npm run bench -- <suite>` can run; the first is the default. A new
 * suite (tpch: all 22 queries) is one BenchSuite module added to this list.
 */
import type { BenchSuite } from '../suite.js';
import { lineitemSuite } from './lineitem-suite.js';

export const SUITES: readonly BenchSuite[] = [lineitemSuite];
