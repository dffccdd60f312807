/**
 * The differential suite of test/support/strategy-differential.ts on SMALL with a 1 MiB query
 * memory budget, so sorts, hash aggregates and hash joins spill: every .slt expectation holds
 * and every TPC-H answer at SF 0.01 is exactly DuckDB's.
 */
import { describeStrategies, STRATEGY_CONFIGS } from '../support/strategy-differential.js';

describeStrategies([STRATEGY_CONFIGS.spilling]);
