import { describe, expect, it } from 'vitest';
import type { ExecNode, StagePlan } from '../../warehouse/fragment/stage-plan.js';
import { optimize } from '../optimizer/optimize.js';
import { bindDml } from '../plan/bind-dml.js';
import { prunePlan } from '../pruning/prune-plan.js';
import { parseSql } from '../sql/parse-sql.js';
import { checkStagePlan, execNodes, starCatalog, stageSummary } from './physical-test-kit.js';
import { planDml } from './plan-dml.js';

const catalog = starCatalog();
const session = { database: 'FIRN', schema: 'PUBLIC', warehouse: null };

/** The physical plan of a DML on 2 workers, checked against the StagePlan contract. */
function physical(sql: string): StagePlan {
  const [st] = parseSql(sql);
  if (st.kind !== 'update' && st.kind !== 'delete' && st.kind !== 'merge') throw new Error(`not a DML: ${sql}`);
  const bound = bindDml({ catalog, session, initPlans: [] }, st);
  const logical = prunePlan(optimize(bound.plan).plan, true);
  const plan = planDml(logical, { mode: bound.mode, candidates: [], columns: bound.table.columns, clusterBy: [], clusterKeyChanged: false, partitionRows: 100, keyPrefix: 'k' }, { workers: 2, broadcastRows: 1000, forceRepartition: false });
  checkStagePlan(plan, logical, 2);
  return plan;
}

const nodes = (plan: StagePlan) => plan.stages.flatMap((s) => execNodes(s.root));
const scans = (plan: StagePlan) => nodes(plan).filter((n): n is Extract<ExecNode, { kind: 'scan_exec' }> => n.kind === 'scan_exec');

describe('planDml', () => {
  it('hashes the change rows by $partition (NULLs round robin) to a rewrite stage on every worker that sorts them first', () => {
    const plan = physical("UPDATE fact SET f_amount = 0 WHERE f_day BETWEEN '1970-01-01' AND '1970-01-10'");
    expect(stageSummary(plan)).toEqual(['0 hash x2 <- []', '1 written x2 <- [0]']);
    expect(plan.stages[0].output).toEqual({ kind: 'hash', keys: [{ kind: 'column', index: 0, type: { kind: 'NUMBER', precision: 18, scale: 0 } }], nullsRoundRobin: true });
    const root = plan.stages[1].root;
    expect(root.kind).toBe('rewrite_exec');
    const sort = (root as Extract<ExecNode, { kind: 'rewrite_exec' }>).input;
    expect(sort).toMatchObject({ kind: 'sort_exec', keys: [{ expr: { index: 0 }, desc: false, nullsFirst: false }, { expr: { index: 1 }, desc: false, nullsFirst: false }] });
    // The target is read with row addresses, pruned to the days' partition, and only the columns the SET and WHERE need.
    const [scan] = scans(plan);
    expect(scan).toMatchObject({ table: 'FIRN.PUBLIC.FACT', rowIds: true });
    expect(plan.stages[0].scan!.units).toHaveLength(1);
    // $partition, $row, then one value per table column.
    expect(plan.stages[0].root.types).toHaveLength(2 + 4);
  });

  it('answers only the addresses for DELETE, and joins USING and MERGE sources like any join', () => {
    const del = physical('DELETE FROM fact USING dim WHERE f_dim = d_id AND d_name = \'x\'');
    const change = del.stages.find((s) => s.output.kind === 'hash' && s.output.nullsRoundRobin)!;
    expect(change.root.types).toHaveLength(2);
    expect(scans(del).map((s) => [s.table, s.rowIds ?? false])).toEqual([
      ['FIRN.PUBLIC.DIM', false],
      ['FIRN.PUBLIC.FACT', true],
    ]);
    const merge = physical('MERGE INTO dim d USING mid m ON d.d_id = m.m_id WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT (d_id) VALUES (m.m_id)');
    const rewrite = merge.stages[merge.root].root as Extract<ExecNode, { kind: 'rewrite_exec' }>;
    expect(rewrite.mode).toBe('merge');
    // $partition, $row, $action, D_ID, D_NAME.
    expect(rewrite.input.types).toHaveLength(5);
  });
});
