/**
 * The differential suite of test/support/strategy-differential.ts on SMALL (2 workers) and
 * MEDIUM (4 workers, every join that can be co-located by ranges): every .slt expectation
 * holds and every TPC-H answer at SF 0.01 is exactly DuckDB's.
 */
import { describeStrategies, STRATEGY_CONFIGS } from '../support/strategy-differential.js';

describeStrategies([STRATEGY_CONFIGS.small, STRATEGY_CONFIGS.medium]);
