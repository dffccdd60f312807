/**
 * The differential suite of test/support/strategy-differential.ts on SMALL with a broadcast
 * threshold of 0 (FIRN_BROADCAST_ROWS=0): every .slt expectation holds and every TPC-H answer
 * at SF 0.01 is exactly DuckDB's.
 */
import { describeStrategies, STRATEGY_CONFIGS } from '../support/strategy-differential.js';

describeStrategies([STRATEGY_CONFIGS.broadcastZero]);
