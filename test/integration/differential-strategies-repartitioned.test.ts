/**
 * The differential suite of test/support/strategy-differential.ts on SMALL with every join
 * partitioned and every grouped aggregate two-phase (FIRN_FORCE_REPARTITION=on): every .slt
 * expectation holds and every TPC-H answer at SF 0.01 is exactly DuckDB's.
 */
import { describeStrategies, STRATEGY_CONFIGS } from '../support/strategy-differential.js';

describeStrategies([STRATEGY_CONFIGS.repartitioned]);
