/**
 * The benchmark suites `npm run bench -- <suite>` can run; the first is the default. A new
 * suite is one BenchSuite module added to this list.
 */
import type { BenchSuite } from '../suite.js';
import { dmlSuite } from './dml-suite.js';
import { elasticSuite } from './elastic-suite.js';
import { lineitemSuite } from './lineitem-suite.js';
import { semiSuite } from './semi-suite.js';
import { tpchSuite } from './tpch-suite.js';

export const SUITES: readonly BenchSuite[] = [lineitemSuite, tpchSuite, dmlSuite, elasticSuite, semiSuite];
