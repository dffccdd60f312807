import { describe, expect, it } from 'vitest';
import { planColumns } from '../plan/logical-plan.js';
import { checkStagePlan, logicalPlan, shape, stageSummary, starCatalog } from './physical-test-kit.js';
import { planWrite } from './plan-write.js';
import { explainPhysical } from './explain-physical.js';

const catalog = starCatalog();

function write(sql: string, workers = 2) {
  const logical = logicalPlan(catalog, sql);
  const columns = planColumns(logical);
  const plan = planWrite(logical, { columns, clusterBy: [0], partitionRows: 5000, keyPrefix: 'tables/9/q1' }, { workers, broadcastRows: 1000, forceRepartition: false });
  checkStagePlan(plan, null, workers);
  return plan;
}

describe('planWrite', () => {
  it('writes in the scan pipeline itself when it runs on every worker', () => {
    const plan = write('SELECT f_id, f_amount FROM fact WHERE f_dim = 3');
    expect(stageSummary(plan)).toEqual(['0 written x2 <- []']);
    expect(shape(plan.stages[0].root)).toEqual(['write_exec', ['project_exec', 'scan_exec']]);
    expect(plan.stages[0].root).toMatchObject({ kind: 'write_exec', clusterBy: [0], partitionRows: 5000, keyPrefix: 'tables/9/q1', types: [] });
  });

  it('spreads a one-task plan round robin to the writing tasks', () => {
    const plan = write('SELECT f_id FROM fact ORDER BY f_id LIMIT 100000');
    expect(stageSummary(plan)).toEqual(['0 gather x2 <- []', '1 round_robin x1 <- [0]', '2 written x2 <- [1]']);
    expect(shape(plan.stages[2].root)).toEqual(['write_exec', 'exchange(1)']);
    expect(explainPhysical(plan)[0]).toBe('Stage 2 tasks=2 on workers 0-1 output=written estimated rows=100000 inputs=[1]');
    expect(explainPhysical(plan)[1]).toBe('  WriteExec columns=[F_ID] clusterBy=[F_ID] partitionRows=5000');
  });

  it('writes VALUES in place on one worker', () => {
    const plan = write('SELECT * FROM (VALUES (1, 2), (3, 4))', 1);
    expect(stageSummary(plan)).toEqual(['0 written x1 <- []']);
    expect(shape(plan.stages[0].root)).toEqual(['write_exec', ['project_exec', 'values_exec']]);
  });
});
