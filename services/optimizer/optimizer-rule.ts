/**
 * The optimizer-rule contract: one rule per file (services/optimizer/rules/), each with a
 * stable snake_case `name` that EXPLAIN prints. `apply` returns the same object when it
 * changed nothing, so the optimizer can report which rules fired.
 */
import type { LogicalPlan } from '../plan/logical-plan.js';

export type OptimizerRule = { name: string; apply(plan: LogicalPlan): LogicalPlan };
