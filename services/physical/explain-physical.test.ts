import { describe, expect, it } from 'vitest';
import { logicalPlan, starCatalog } from './physical-test-kit.js';
import { explainPhysical } from './explain-physical.js';
import { planPhysical } from './plan-physical.js';

const catalog = starCatalog();
const explain = (sql: string, workers = 2, gatherFinalGroups?: number) => explainPhysical(planPhysical(logicalPlan(catalog, sql), { workers, broadcastRows: 1000, forceRepartition: false, gatherFinalGroups }));

describe('explainPhysical', () => {
  it('prints stages root first with tasks, workers, distribution, estimated rows, runtime filters and operators', () => {
    // DIM filtered: its keys filter FACT's scan (a whole DIM would not, see stage-planner.ts).
    // D_NAME's groups (at most DIM's 100 rows) go to every worker, not to one (GATHER_FINAL_GROUPS).
    expect(explain("SELECT d_name, SUM(f_amount) FROM fact JOIN dim ON f_dim = d_id WHERE f_day < '1970-07-19' AND d_name <> 'none' GROUP BY d_name", 2, 0)).toEqual([
      'Stage 3 tasks=1 on worker 0 output=result estimated rows=31227 inputs=[2]',
      '  ExchangeSourceExec stage=2',
      'Stage 2 tasks=2 on workers 0-1 output=gather estimated rows=31227 inputs=[1]',
      '  ProjectExec [D_NAME, sum(F_AMOUNT)]',
      '    HashAggregateExec phase=final group=[D_NAME] aggregates=[sum(F_AMOUNT)]',
      '      ExchangeSourceExec stage=1',
      'Stage 1 tasks=2 on workers 0-1 output=hash(D_NAME) estimated rows=31227 inputs=[0]',
      '  HashAggregateExec phase=partial group=[D_NAME] aggregates=[sum(F_AMOUNT)]',
      '    ProjectExec [F_AMOUNT, D_NAME]',
      '      HashJoinExec INNER build=right keys=[F_DIM = D_ID]',
      '        ProjectExec [F_DIM, F_AMOUNT]',
      "          ScanExec FIRN.PUBLIC.FACT columns=[F_DIM, F_AMOUNT, F_DAY] filter=lt(F_DAY, DATE '1970-07-19') output=[F_DIM, F_AMOUNT]",
      '            partitions: scanned=2 total=8',
      "            pruning predicate: F_DAY < '1970-07-19'",
      '        ExchangeSourceExec stage=0',
      'Stage 0 tasks=2 on workers 0-1 output=broadcast estimated rows=25',
      '  runtime filter: D_ID -> stage 1 scan column F_DIM',
      "  ScanExec FIRN.PUBLIC.DIM columns=[D_ID, D_NAME] filter=ne(D_NAME, 'none')",
      '    partitions: scanned=1 total=1',
      "    pruning predicate: D_NAME <> 'none'",
    ]);
  });

  it('prints a tiny build side read whole by every task of its probe stage', () => {
    // FACT scans one partition (100,000 rows) and DIM is 100 rows: no stage of its own.
    expect(explain("SELECT d_name, f_amount FROM fact JOIN dim ON f_dim = d_id WHERE f_day < '1970-04-11' AND d_name <> 'none'")).toEqual([
      'Stage 1 tasks=1 on worker 0 output=result estimated rows=25000 inputs=[0]',
      '  ExchangeSourceExec stage=0',
      'Stage 0 tasks=2 on workers 0-1 output=gather estimated rows=25000',
      '  ProjectExec [D_NAME, F_AMOUNT]',
      '    HashJoinExec INNER build=right keys=[F_DIM = D_ID]',
      '      ProjectExec [F_DIM, F_AMOUNT]',
      "        ScanExec FIRN.PUBLIC.FACT columns=[F_DIM, F_AMOUNT, F_DAY] filter=lt(F_DAY, DATE '1970-04-11') output=[F_DIM, F_AMOUNT]",
      '          partitions: scanned=1 total=8',
      "          pruning predicate: F_DAY < '1970-04-11'",
      "      ScanExec FIRN.PUBLIC.DIM columns=[D_ID, D_NAME] filter=ne(D_NAME, 'none')",
      '        partitions: scanned=1 total=1, read whole by every task',
      "        pruning predicate: D_NAME <> 'none'",
    ]);
  });

  it('prints top-N, merge keys, limits, windows, set operations and mark joins', () => {
    expect(explain('SELECT f_id FROM fact ORDER BY f_amount DESC LIMIT 10 OFFSET 5')).toEqual([
      'Stage 1 tasks=1 on worker 0 output=result estimated rows=10 inputs=[0]',
      '  ProjectExec [F_ID]',
      '    LimitExec limit=10 offset=5',
      '      ExchangeSourceExec stage=0 merge=[F_AMOUNT DESC NULLS FIRST]',
      'Stage 0 tasks=2 on workers 0-1 output=gather estimated rows=30',
      '  TopNExec limit=15 [F_AMOUNT DESC NULLS FIRST]',
      '    ProjectExec [F_ID, F_AMOUNT]',
      '      ScanExec FIRN.PUBLIC.FACT columns=[F_ID, F_AMOUNT]',
      '        partitions: scanned=8 total=8',
    ]);
    expect(explain('SELECT f_id FROM fact LIMIT 3')).toContain('    ScanExec FIRN.PUBLIC.FACT columns=[F_ID] limit=3');
    expect(explain('SELECT ROW_NUMBER() OVER (PARTITION BY f_dim ORDER BY f_day DESC) FROM fact')).toContain('Stage 0 tasks=2 on workers 0-1 output=hash(F_DIM) estimated rows=800000');
    expect(explain('SELECT ROW_NUMBER() OVER (PARTITION BY f_dim ORDER BY f_day DESC) FROM fact')).toContain('    WindowExec [row_number() OVER (PARTITION BY F_DIM ORDER BY F_DAY DESC)]');
    expect(explain('SELECT f_id FROM fact INTERSECT SELECT m_id FROM mid').slice(2, 5)).toEqual([
      'Stage 2 tasks=2 on workers 0-1 output=gather estimated rows=900000 inputs=[0, 1]',
      '  SetOpExec INTERSECT',
      '    ExchangeSourceExec stage=0',
    ]);
    expect(explain('SELECT d_id FROM dim WHERE d_id NOT IN (SELECT f_dim FROM fact)').slice(0, 7)).toEqual([
      'Stage 2 tasks=1 on worker 0 output=result estimated rows=100 inputs=[0, 1]',
      '  ProjectExec [D_ID]',
      '    MarkCombineExec NULL_AWARE_ANTI',
      '      ExchangeSourceExec stage=0',
      '      ExchangeSourceExec stage=1',
      'Stage 1 tasks=2 on workers 0-1 output=gather estimated rows=200 inputs=[0]',
      '  MarkJoinExec build=left in=D_ID = F_DIM',
    ]);
  });

  it('runs a lateral FLATTEN in its input\'s stage, under the filters on the input\'s columns', () => {
    expect(explain("SELECT f_dim, f.value FROM fact, LATERAL FLATTEN(input => ARRAY_CONSTRUCT(f_amount, f_day), outer => true) f WHERE f_day < '1970-04-11'")).toEqual([
      'Stage 1 tasks=1 on worker 0 output=result estimated rows=400000 inputs=[0]',
      '  ExchangeSourceExec stage=0',
      'Stage 0 tasks=2 on workers 0-1 output=gather estimated rows=400000',
      '  ProjectExec [F_DIM, VALUE]',
      '    FlattenExec array_construct(CAST(F_AMOUNT AS VARIANT), CAST(F_DAY AS VARIANT)) outer',
      "      ScanExec FIRN.PUBLIC.FACT columns=[F_DIM, F_AMOUNT, F_DAY] filter=lt(F_DAY, DATE '1970-04-11')",
      '        partitions: scanned=1 total=8',
      "        pruning predicate: F_DAY < '1970-04-11'",
    ]);
  });

  it('prints a one-worker plan as one single-phase stage', () => {
    expect(explain('SELECT f_dim, COUNT(*) FROM fact GROUP BY f_dim HAVING COUNT(*) > 1', 1)).toEqual([
      'Stage 0 tasks=1 on worker 0 output=result estimated rows=10',
      '  ProjectExec [F_DIM, count_star(*)]',
      '    FilterExec gt(count_star(*), 1)',
      '      HashAggregateExec phase=single group=[F_DIM] aggregates=[count_star(*)]',
      '        ScanExec FIRN.PUBLIC.FACT columns=[F_DIM]',
      '          partitions: scanned=8 total=8',
    ]);
  });
});
