import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { ExecNode, Stage, StagePlan } from '../../warehouse/fragment/stage-plan.js';
import { addTable, checkStagePlan, execNodes, logicalPlan, shape, stageSummary, starCatalog, testCatalog, type TestPartition } from './physical-test-kit.js';
import { planPhysical } from './plan-physical.js';
import { INLINE_BUILD_ROWS, INLINE_PROBE_ROWS, SMALL_PIPELINE_ROWS, type PhysicalOptions } from './stage-planner.js';

const catalog = starCatalog();
const INT = Types.number(38, 0);
const col = (index: number, name: string) => ({ kind: 'column', index, type: INT, name });

/** The physical plan of `sql` on 2 workers broadcasting up to 1,000 rows, checked against the StagePlan contract. */
function physical(sql: string, opts: Partial<PhysicalOptions> = {}): StagePlan {
  const logical = logicalPlan(catalog, sql);
  // Tiny builds read whole in the probe stage have tests of their own: these plan every build as a stage.
  const o: PhysicalOptions = { workers: 2, broadcastRows: 1000, forceRepartition: false, inlineBuildRows: 0, ...opts };
  const plan = planPhysical(logical, o);
  checkStagePlan(plan, logical, o.workers);
  return plan;
}

function nodes<K extends ExecNode['kind']>(plan: StagePlan, kind: K): Extract<ExecNode, { kind: K }>[] {
  return plan.stages.flatMap((s) => execNodes(s.root)).filter((n): n is Extract<ExecNode, { kind: K }> => n.kind === kind);
}

const shapes = (plan: StagePlan) => plan.stages.map((s) => shape(s.root));

/** The table a stage scans, if it scans one. */
const scannedTable = (s: Stage) => execNodes(s.root).find((n) => n.kind === 'scan_exec')?.table;

describe('planPhysical: scans and the root', () => {
  it('runs a scan pipeline on every worker and gathers it into the one-task result stage', () => {
    const plan = physical('SELECT f_id, f_amount * 2 FROM fact WHERE f_day >= \'1971-12-02\'');
    expect(stageSummary(plan)).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
    // The binder's projection and the pushed-down one became one projection over the scan's columns.
    expect(shapes(plan)).toEqual([['project_exec', 'scan_exec'], 'exchange(0)']);
    expect(nodes(plan, 'project_exec')[0].exprs.map((e) => (e.kind === 'call' ? e.fn : e.kind))).toEqual(['column', 'multiply']);
    const [scan] = nodes(plan, 'scan_exec');
    expect(scan.table).toBe('FIRN.PUBLIC.FACT');
    expect(scan.filter).not.toBeNull();
    // Pruning left the one partition with days 700..799, scanned without the filter.
    expect(plan.stages[0].scan).toMatchObject({ partitionsTotal: 8, units: [{ objectKey: 'FACT/7.parquet', rowCount: 100_000, filterMode: 'all' }] });
    expect(plan.stages[0].scan!.zoneMaps[0].columns.F_DAY).toEqual({ min: 700, max: 799, nullCount: 0, exact: true });
    expect(plan.stages[0].estimatedRows).toBe(100_000);
    expect(plan.root).toBe(1);
  });

  it('puts a one-task plan (one worker, or VALUES) in the result stage itself', () => {
    expect(stageSummary(physical('SELECT f_id FROM fact', { workers: 1 }))).toEqual(['0 result x1 <- []']);
    const values = physical('SELECT column1 + 1 FROM (VALUES (1), (2))');
    expect(stageSummary(values)).toEqual(['0 result x1 <- []']);
    expect(shapes(values)).toEqual([['project_exec', 'values_exec']]);
  });

  it('refuses a plan whose scans were not pruned', () => {
    const logical = logicalPlan(catalog, 'SELECT f_id FROM fact');
    const unpruned = { ...logical, input: { ...(logical as { input: object }).input, pruning: null } } as typeof logical;
    expect(() => planPhysical(unpruned, { workers: 2, broadcastRows: 0, forceRepartition: false })).toThrow(/not pruned/);
  });
});

describe('planPhysical: joins', () => {
  it('broadcasts the small build side into the probe scan pipeline', () => {
    const plan = physical('SELECT d_name, f_amount FROM fact JOIN dim ON f_dim = d_id');
    expect(stageSummary(plan)).toEqual(['0 broadcast x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
    expect(shapes(plan)[1]).toEqual(['project_exec', ['hash_join_exec', 'scan_exec', 'exchange(0)']]);
    const [join] = nodes(plan, 'hash_join_exec');
    expect(join.spec).toMatchObject({ type: 'INNER', buildSide: 'right' });
    expect(plan.stages[0].estimatedRows).toBe(100);
  });

  it('partitions both sides by the join keys when the smaller side is past broadcastRows', () => {
    const plan = physical('SELECT f_id, m_id FROM fact JOIN mid ON f_id = m_fact');
    // The build side (MID, 100,000 rows) is planned first, then the probe side, then the join on every worker.
    expect(stageSummary(plan)).toEqual(['0 hash x2 <- []', '1 hash x2 <- []', '2 gather x2 <- [0,1]', '3 result x1 <- [2]']);
    expect(plan.stages[0].scan!.units).toHaveLength(2);
    expect(plan.stages[0].output).toEqual({ kind: 'hash', keys: [col(1, 'M_FACT')] });
    expect(plan.stages[1].output).toEqual({ kind: 'hash', keys: [col(0, 'F_ID')] });
    const [join] = nodes(plan, 'hash_join_exec');
    expect(join.left).toMatchObject({ kind: 'exchange_source_exec', stage: 1 });
    expect(join.right).toMatchObject({ kind: 'exchange_source_exec', stage: 0 });
    expect(join.spec.buildSide).toBe('right');
    // With a higher threshold the same join broadcasts MID.
    expect(stageSummary(physical('SELECT f_id, m_id FROM fact JOIN mid ON f_id = m_fact', { broadcastRows: 100_000 }))).toEqual(['0 broadcast x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
  });

  it('partitions every equi-join under forceRepartition, and still broadcasts a join without keys', () => {
    const plan = physical('SELECT d_name, f_amount FROM fact JOIN dim ON f_dim = d_id', { forceRepartition: true });
    expect(stageSummary(plan)).toEqual(['0 hash x2 <- []', '1 hash x2 <- []', '2 gather x2 <- [0,1]', '3 result x1 <- [2]']);
    const cross = physical('SELECT d_name, f_amount FROM fact CROSS JOIN dim', { forceRepartition: true });
    expect(stageSummary(cross)).toEqual(['0 broadcast x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
  });

  it('never broadcasts a side whose unmatched rows the join outputs', () => {
    // LEFT with the small side on the left: DIM cannot be broadcast, so both sides are partitioned.
    const left = physical('SELECT d_name, f_amount FROM dim LEFT JOIN fact ON f_dim = d_id');
    expect(nodes(left, 'hash_join_exec')[0].spec).toMatchObject({ type: 'LEFT', buildSide: 'left' });
    expect(stageSummary(left)).toEqual(['0 hash x2 <- []', '1 hash x2 <- []', '2 gather x2 <- [0,1]', '3 result x1 <- [2]']);
    // RIGHT with the small side on the left: it may be broadcast.
    const right = physical('SELECT d_name, f_amount FROM dim RIGHT JOIN fact ON f_dim = d_id');
    expect(nodes(right, 'hash_join_exec')[0].spec).toMatchObject({ type: 'RIGHT', buildSide: 'left' });
    expect(stageSummary(right)).toEqual(['0 broadcast x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
    expect(shapes(right)[1]).toEqual(['project_exec', ['hash_join_exec', 'exchange(0)', 'scan_exec']]);
    // FULL never broadcasts.
    const full = physical('SELECT d_name, f_amount FROM fact FULL JOIN dim ON f_dim = d_id');
    expect(stageSummary(full)).toEqual(['0 hash x2 <- []', '1 hash x2 <- []', '2 gather x2 <- [0,1]', '3 result x1 <- [2]']);
  });

  it('gathers both sides of a join without keys that cannot broadcast into one task', () => {
    const plan = physical('SELECT f_id, m_id FROM fact JOIN mid ON f_id < m_fact');
    expect(stageSummary(plan)).toEqual(['0 gather x2 <- []', '1 gather x2 <- []', '2 result x1 <- [0,1]']);
    const [join] = nodes(plan, 'hash_join_exec');
    expect(join.spec.keys).toEqual([]);
    expect(join.spec.residual).not.toBeNull();
    expect(join.spec.buildSide).toBe('right');
  });

  it('broadcasts a small left input of IN to the right pipeline, marks there and combines the marks in one task', () => {
    const plan = physical('SELECT d_id FROM dim WHERE d_id IN (SELECT f_dim FROM fact WHERE f_amount > 5)');
    expect(stageSummary(plan)).toEqual(['0 broadcast x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [0,1]']);
    expect(shapes(plan)[1]).toEqual(['mark_join_exec', 'exchange(0)', ['project_exec', 'scan_exec']]);
    expect(shapes(plan)[2]).toEqual(['project_exec', ['mark_combine_exec', 'exchange(0)', 'exchange(1)']]);
    const [mark] = nodes(plan, 'mark_join_exec');
    expect(mark.spec).toMatchObject({ type: 'MARK', buildSide: 'left', inKey: null });
    expect(mark.spec.keys).toHaveLength(1);
    expect(nodes(plan, 'mark_combine_exec')[0].joinType).toBe('SEMI');
    // Each task marks every left row: 100 rows x 2 tasks.
    expect(plan.stages[1].estimatedRows).toBe(200);
  });

  it('marks NOT IN the same way, with its IN key', () => {
    const plan = physical('SELECT d_id FROM dim WHERE d_id NOT IN (SELECT f_dim FROM fact)');
    const [mark] = nodes(plan, 'mark_join_exec');
    expect(mark.spec.keys).toEqual([]);
    expect(mark.spec.inKey).not.toBeNull();
    expect(nodes(plan, 'mark_combine_exec')[0].joinType).toBe('NULL_AWARE_ANTI');
    // A large left side of NOT IN builds on the right and broadcasts it.
    const big = physical('SELECT f_id FROM fact WHERE f_dim NOT IN (SELECT d_id FROM dim)');
    expect(stageSummary(big)).toEqual(['0 broadcast x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
    expect(nodes(big, 'hash_join_exec')[0].spec).toMatchObject({ type: 'NULL_AWARE_ANTI', buildSide: 'right' });
    // NOT IN between two large inputs has no key to partition by: both meet in one task.
    const large = physical('SELECT f_id FROM fact WHERE f_id NOT IN (SELECT m_fact FROM mid)');
    expect(stageSummary(large)).toEqual(['0 gather x2 <- []', '1 gather x2 <- []', '2 result x1 <- [0,1]']);
    expect(nodes(large, 'hash_join_exec')[0].spec).toMatchObject({ type: 'NULL_AWARE_ANTI', buildSide: 'right', keys: [] });
  });

  it('co-locates a large build side with a probe scan stored in ranges of the probe key: fixed stretches, build routed by their bounds', () => {
    const cat = testCatalog();
    const big = [['0', '99'], ['100', '199'], ['200', '299'], ['300', '399']].map(([lo, hi]): TestPartition => ({ rows: 1000, zones: { K: [lo, hi], V: ['0', '9'] } }));
    addTable(cat, 'BIG', [['K', INT], ['V', INT]], big);
    addTable(cat, 'SIDE', [['S_K', INT], ['S_V', INT]], [{ rows: 2000, zones: { S_K: ['0', '399'], S_V: ['0', '9'] } }]);
    const plan = (sql: string, opts: Partial<PhysicalOptions>) => {
      const logical = logicalPlan(cat, sql);
      const o: PhysicalOptions = { workers: 2, broadcastRows: 100_000, rangeJoinRows: 1000, forceRepartition: false, ...opts };
      const p = planPhysical(logical, o);
      checkStagePlan(p, logical, o.workers);
      return p;
    };
    const colocated = plan('SELECT v, s_v FROM big JOIN side ON k = s_k', {});
    expect(stageSummary(colocated)).toEqual(['0 range x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
    expect(colocated.stages[0].output).toEqual({ kind: 'range', key: col(0, 'S_K'), bounds: [200] });
    expect(colocated.stages[1].scan!.assign).toEqual({ column: 'K', runs: [0, 1, 2, 3], tasks: [0, 0, 1, 1] });
    // SIDE is whole (2,000 rows, 400 keys): its keys would drop no BIG row, so they filter nothing.
    expect(colocated.stages.flatMap((s) => s.runtimeFilters)).toEqual([]);
    const filtered = plan('SELECT v, s_v FROM big JOIN side ON k = s_k WHERE s_v = 3', { rangeJoinRows: 100 });
    expect(filtered.stages[0].output).toEqual({ kind: 'range', key: col(0, 'S_K'), bounds: [200] });
    expect(filtered.stages[0].runtimeFilters.map((f) => f.probeStage)).toEqual([1]);
    // Four workers: a stretch per partition.
    expect(plan('SELECT v, s_v FROM big JOIN side ON k = s_k', { workers: 4 }).stages[0].output).toMatchObject({ bounds: [100, 200, 300] });
    // Smaller than rangeJoinRows, one worker, or a probe key not stored in ranges: broadcast.
    for (const [sql, opts] of [
      ['SELECT v, s_v FROM big JOIN side ON k = s_k', { rangeJoinRows: 2001 }],
      ['SELECT v, s_v FROM big JOIN side ON v = s_v', {}],
    ] as const) {
      expect(plan(sql, opts).stages[0].output, sql).toEqual({ kind: 'broadcast' });
    }
    expect(stageSummary(plan('SELECT v, s_v FROM big JOIN side ON k = s_k', { workers: 1 }))).toEqual(['0 broadcast x1 <- []', '1 result x1 <- [0]']);
  });
});

describe('planPhysical: tiny build sides read in the probe stage', () => {
  const cat = testCatalog();
  addTable(cat, 'REGION', [['R_ID', INT], ['R_NAME', Types.varchar]], [{ rows: 5, zones: { R_ID: ['0', '4'], R_NAME: ['A', 'E'] } }]);
  addTable(cat, 'NATION', [['N_ID', INT], ['N_REGION', INT]], [{ rows: 25, zones: { N_ID: ['0', '24'], N_REGION: ['0', '4'] } }]);
  const supplier = (parts: number, rows: number) => Array.from({ length: parts }, (_, i): TestPartition => ({ rows, zones: { S_ID: [String(i * rows), String(i * rows + rows - 1)], S_NATION: ['0', '24'] } }));
  addTable(cat, 'SUPPLIER', [['S_ID', INT], ['S_NATION', INT]], supplier(1, 10_000));
  addTable(cat, 'BIG_SUPPLIER', [['S_ID', INT], ['S_NATION', INT]], supplier(1, 400_000));
  addTable(cat, 'SPLIT_SUPPLIER', [['S_ID', INT], ['S_NATION', INT]], supplier(2, 5000));
  addTable(cat, 'WIDE_NATION', [['N_ID', INT], ['N_REGION', INT]], [{ rows: 2000, zones: { N_ID: ['0', '1999'], N_REGION: ['0', '4'] } }]);
  const plan = (sql: string, opts: Partial<PhysicalOptions> = {}) => {
    const logical = logicalPlan(cat, sql);
    const o: PhysicalOptions = { workers: 2, broadcastRows: 100_000, forceRepartition: false, ...opts };
    const p = planPhysical(logical, o);
    checkStagePlan(p, logical, o.workers);
    return p;
  };
  const everyScans = (p: StagePlan) => p.stages.flatMap((s) => execNodes(s.root).flatMap((n) => (n.kind === 'scan_exec' && n.every ? [`${s.id}:${n.table}`] : [])));
  const q = (s: string, n: string) => `SELECT s_id FROM ${s} JOIN ${n} ON s_nation = n_id JOIN region ON n_region = r_id WHERE r_name = 'B'`;

  it('reads region and nation whole in every task of the supplier stage, in one stage', () => {
    const p = plan(q('supplier', 'nation'));
    expect(stageSummary(p)).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
    expect(everyScans(p).sort()).toEqual(['0:FIRN.PUBLIC.NATION', '0:FIRN.PUBLIC.REGION']);
    const every = execNodes(p.stages[0].root).filter((n) => n.kind === 'scan_exec' && n.every);
    // Each carries its whole pruned scan; the stage's own scan stays the supplier's, its units shared by the tasks.
    expect(every.map((n) => (n.kind === 'scan_exec' ? n.every!.units.length : 0))).toEqual([1, 1]);
    expect(p.stages[0].scan!.units).toHaveLength(1);
    expect(p.stages.flatMap((s) => s.runtimeFilters)).toEqual([]);
  });

  it('reads a whole build in every task whatever the probe when it would filter nothing there', () => {
    // Region's filtered keys filter nation; nation with region (its keys span SUPPLIER's S_NATION) would not filter supplier.
    const p = plan('SELECT s_id FROM big_supplier JOIN nation ON s_nation = n_id');
    expect(everyScans(p)).toEqual(['0:FIRN.PUBLIC.NATION']);
  });

  it('keeps a stage for a build table over INLINE_BUILD_ROWS rows, a runtime filter that may prune or drop many rows, or forced strategies', () => {
    expect(INLINE_BUILD_ROWS).toBe(1000);
    expect(INLINE_PROBE_ROWS).toBe(100_000);
    // WIDE_NATION (2,000 rows) is a stage; the region under it is read whole by its tasks.
    expect(everyScans(plan(q('supplier', 'wide_nation')))).toEqual(['0:FIRN.PUBLIC.REGION']);
    // The region-filtered nation keys filter supplier's rows: past INLINE_PROBE_ROWS, or over two partitions it might prune, nation is a stage.
    for (const s of ['big_supplier', 'split_supplier']) {
      const p = plan(q(s, 'nation'));
      expect(everyScans(p), s).toEqual(['0:FIRN.PUBLIC.REGION']);
      expect(p.stages[0].runtimeFilters.map((f) => f.probeStage), s).toEqual([1]);
    }
    expect(everyScans(plan(q('supplier', 'nation'), { forceRepartition: true }))).toEqual([]);
  });
});

describe('planPhysical: runtime filters', () => {
  it('filters the probe scan of a broadcast INNER join by the build keys', () => {
    const plan = physical("SELECT d_name, f_amount FROM fact JOIN dim ON f_dim = d_id WHERE d_name <> 'none'");
    // DIM's D_ID (its output column 0) prunes FACT's scan column F_DIM (scan output 0) in stage 1.
    expect(plan.stages[0].runtimeFilters).toEqual([{ key: col(0, 'D_ID'), probeStage: 1, probeColumn: 0 }]);
    expect(nodes(plan, 'scan_exec')[1].scanColumns).toEqual([1, 2]);
  });

  it('filters the probe stage of a partitioned join, planned after its build stage', () => {
    const plan = physical('SELECT f_id, m_id FROM fact JOIN mid ON f_id = m_fact WHERE m_id <> 7');
    expect(plan.stages[0].runtimeFilters).toEqual([{ key: col(1, 'M_FACT'), probeStage: 1, probeColumn: 0 }]);
  });

  it('filters the right pipeline of a marked IN, not of NOT IN', () => {
    expect(physical("SELECT d_id FROM dim WHERE d_id IN (SELECT f_dim FROM fact) AND d_name <> 'none'").stages[0].runtimeFilters).toEqual([
      { key: col(0, 'D_ID'), probeStage: 1, probeColumn: 0 },
    ]);
    expect(physical('SELECT d_id FROM dim WHERE d_id NOT IN (SELECT f_dim FROM fact)').stages[0].runtimeFilters).toEqual([]);
  });

  it('adds none from a build side that keeps every key of its table: a whole dimension, alone or joined to another whole one', () => {
    expect(physical('SELECT d_name, f_amount FROM fact JOIN dim ON f_dim = d_id').stages.flatMap((s) => s.runtimeFilters)).toEqual([]);
    expect(physical('SELECT d_id FROM dim WHERE d_id IN (SELECT f_dim FROM fact)').stages.flatMap((s) => s.runtimeFilters)).toEqual([]);
    // A filter on the dimension, or LIMIT, makes its keys worth a filter.
    expect(physical('SELECT d_name, f_amount FROM fact JOIN (SELECT * FROM dim LIMIT 10) d ON f_dim = d_id').stages.flatMap((s) => s.runtimeFilters)).toHaveLength(1);
    expect(physical('SELECT d_name, f_amount FROM fact JOIN dim ON f_dim = d_id WHERE d_id < 50').stages.flatMap((s) => s.runtimeFilters)).toHaveLength(1);
    // A whole table whose keys span less than the probe column's (two holidays, a year of trips) filters too.
    const cat = testCatalog();
    addTable(cat, 'DAYS', [['K', INT], ['V', INT]], [0, 1, 2, 3].map((i): TestPartition => ({ rows: 100_000, zones: { K: [String(i * 100), String(i * 100 + 99)], V: ['0', '9'] } })));
    addTable(cat, 'FEW', [['S_K', INT]], [{ rows: 11, zones: { S_K: ['10', '20'] } }]);
    addTable(cat, 'ALL_DAYS', [['S_K', INT]], [{ rows: 400, zones: { S_K: ['0', '399'] } }]);
    const filters = (t: string) => planPhysical(logicalPlan(cat, `SELECT v FROM days JOIN ${t} ON k = s_k`), { workers: 2, broadcastRows: 100_000, forceRepartition: false }).stages.flatMap((s) => s.runtimeFilters);
    expect(filters('FEW')).toHaveLength(1);
    expect(filters('ALL_DAYS')).toEqual([]);
  });

  it('adds none where unmatched probe rows are output, or where the probe key is computed', () => {
    expect(physical('SELECT d_name, f_amount FROM fact LEFT JOIN dim ON f_dim = d_id').stages[0].runtimeFilters).toEqual([]);
    expect(physical('SELECT d_name, f_amount FROM fact JOIN dim ON f_dim + 1 = d_id').stages.every((s) => s.runtimeFilters.length === 0)).toBe(true);
  });

  it('passes a filter of the probe pipeline on to the build scan of a later join on the same column, broadcast or partitioned', () => {
    // DIM's keys filter FACT.F_DIM; F_DIM = M_FACT, so they filter MID's scan column M_FACT too (TPC-H Q9's part keys on partsupp).
    for (const broadcastRows of [1000, 1_000_000]) {
      const plan = physical("SELECT d_name, m_id, f_amount FROM fact JOIN dim ON f_dim = d_id JOIN mid ON f_dim = m_fact WHERE d_name <> 'none'", { broadcastRows });
      const midStage = plan.stages.findIndex((s) => scannedTable(s) === 'FIRN.PUBLIC.MID');
      const factStage = plan.stages.findIndex((s) => scannedTable(s) === 'FIRN.PUBLIC.FACT');
      expect(plan.stages[0].runtimeFilters).toEqual([
        { key: col(0, 'D_ID'), probeStage: midStage, probeColumn: 1 },
        { key: col(0, 'D_ID'), probeStage: factStage, probeColumn: 0 },
      ]);
    }
  });

  it('passes none on to a build side whose unmatched rows the join outputs', () => {
    const plan = physical("SELECT m_id, d_name FROM mid LEFT JOIN (SELECT f_dim, d_name FROM fact JOIN dim ON f_dim = d_id WHERE d_name <> 'none') j ON j.f_dim = m_fact", { broadcastRows: 1_000_000 });
    const dimFilters = plan.stages.flatMap((s) => s.runtimeFilters).filter((f) => (f.key as { name?: string }).name === 'D_ID');
    expect(dimFilters.map((f) => scannedTable(plan.stages[f.probeStage]))).toEqual(['FIRN.PUBLIC.FACT']);
  });

  it('traces the probe key through an aggregate in the probe stage to its scan', () => {
    const plan = physical("SELECT s.f_dim, s.total, d_name FROM (SELECT f_dim, SUM(f_amount) AS total FROM fact GROUP BY f_dim) s JOIN dim ON s.f_dim = d_id WHERE d_name <> 'none'", { workers: 1 });
    const filters = plan.stages.flatMap((s) => s.runtimeFilters);
    expect(filters).toHaveLength(1);
    expect(plan.stages[filters[0].probeStage].scan).toBeDefined();
    expect(nodes(plan, 'hash_aggregate_exec').map((a) => a.phase)).toEqual(['single']);
  });
});

describe('planPhysical: aggregates', () => {
  it('aggregates partially in the scan stage, hashes by the group keys and finishes on every worker', () => {
    // F_DIM's 100 values would be few enough to finish in one task (next test).
    const plan = physical('SELECT f_dim, SUM(f_amount), AVG(f_amount) FROM fact GROUP BY f_dim', { gatherFinalGroups: 0 });
    expect(stageSummary(plan)).toEqual(['0 hash x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
    expect(shapes(plan).slice(0, 2)).toEqual([['hash_aggregate_exec', 'scan_exec'], ['project_exec', ['hash_aggregate_exec', 'exchange(0)']]]);
    const [partial, final] = nodes(plan, 'hash_aggregate_exec').sort((a, b) => a.id - b.id);
    expect([partial.phase, final.phase]).toEqual(['partial', 'final']);
    // Partial states: the key, then SUM's (sum, count) and AVG's (sum, count).
    expect(partial.types.map((t) => t.kind)).toEqual(['NUMBER', 'NUMBER', 'NUMBER', 'NUMBER', 'NUMBER']);
    expect(plan.stages[0].output).toEqual({ kind: 'hash', keys: [{ kind: 'column', index: 0, type: Types.number(38, 0) }] });
    // 100 groups per task at most: 2 tasks.
    expect(plan.stages[0].estimatedRows).toBe(200);
    expect(plan.stages[1].estimatedRows).toBe(100);
  });

  it('gathers the partial states of an aggregate with few groups into one task, which finishes, sorts and answers', () => {
    // F_DIM's zone maps span 1..100: at most 101 groups with a NULL; F_DAY's span 800 days, about 3 years.
    const plan = physical('SELECT f_dim, YEAR(f_day), SUM(f_amount) FROM fact GROUP BY f_dim, YEAR(f_day) ORDER BY 3 DESC');
    expect(stageSummary(plan)).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
    expect(shapes(plan)[1]).toEqual(['sort_exec', ['project_exec', ['hash_aggregate_exec', 'exchange(0)']]]);
    expect(nodes(plan, 'hash_aggregate_exec').map((a) => a.phase).sort()).toEqual(['final', 'partial']);
    // Past the bound the final phase hashes to every worker again.
    expect(stageSummary(physical('SELECT f_dim, YEAR(f_day), SUM(f_amount) FROM fact GROUP BY f_dim, YEAR(f_day)', { gatherFinalGroups: 101 * 4 - 1 }))[0]).toBe('0 hash x2 <- []');
    expect(stageSummary(physical('SELECT f_dim, YEAR(f_day), SUM(f_amount) FROM fact GROUP BY f_dim, YEAR(f_day)', { gatherFinalGroups: 101 * 4 }))[0]).toBe('0 gather x2 <- []');
    // A key with no bound (an expression over two columns) hashes.
    expect(stageSummary(physical('SELECT f_dim + f_id, COUNT(*) FROM fact GROUP BY f_dim + f_id'))[0]).toBe('0 hash x2 <- []');
  });

  it('gathers the partial states of an aggregate without GROUP BY into one final task', () => {
    const plan = physical('SELECT SUM(f_amount), COUNT(*) FROM fact');
    expect(stageSummary(plan)).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
    expect(nodes(plan, 'hash_aggregate_exec').map((a) => a.phase).sort()).toEqual(['final', 'partial']);
  });

  it('aggregates in a single phase over a one-task input, unless forceRepartition', () => {
    expect(nodes(physical('SELECT f_dim, SUM(f_amount) FROM fact GROUP BY f_dim', { workers: 1 }), 'hash_aggregate_exec').map((a) => a.phase)).toEqual(['single']);
    const forced = physical('SELECT f_dim, SUM(f_amount) FROM fact GROUP BY f_dim', { workers: 1, forceRepartition: true });
    expect(stageSummary(forced)).toEqual(['0 hash x1 <- []', '1 result x1 <- [0]']);
    expect(nodes(forced, 'hash_aggregate_exec').map((a) => a.phase).sort()).toEqual(['final', 'partial']);
  });

  it('aggregates in one phase in the scan stage when a group key\'s partitions hold increasing ranges, assigned by those ranges', () => {
    // F_ID: partition i holds i*100,000 .. i*100,000+99,999 (ids 1..8 in catalog order).
    const plan = physical('SELECT f_id, COUNT(DISTINCT f_day), SUM(f_amount) FROM fact WHERE f_amount > 5 GROUP BY f_id');
    expect(stageSummary(plan)).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
    expect(nodes(plan, 'hash_aggregate_exec').map((a) => a.phase)).toEqual(['single']);
    expect(plan.stages[0].scan!.assign).toEqual({ column: 'F_ID', runs: [0, 1, 2, 3, 4, 5, 6, 7] });
    // A group key after the range key, or traced through a projection, qualifies too; F_DIM (1..100 everywhere) does not.
    expect(physical('SELECT f_dim, f_id, COUNT(*) FROM fact GROUP BY f_dim, f_id').stages[0].scan!.assign?.column).toBe('F_ID');
    expect(physical('SELECT f_dim, COUNT(*) FROM fact GROUP BY f_dim').stages[0].scan!.assign).toBeUndefined();
    // An aggregate over a range-assigned aggregate: one phase only by the same column.
    const nested = physical('SELECT f_day, COUNT(*) FROM (SELECT f_id, f_day FROM fact GROUP BY f_id, f_day) GROUP BY f_day');
    expect(nested.stages[0].scan!.assign?.column).toBe('F_ID');
    expect(nodes(nested, 'hash_aggregate_exec').map((a) => a.phase).sort()).toEqual(['final', 'partial', 'single']);
    const same = physical('SELECT f_id, COUNT(*) FROM (SELECT f_id, f_day FROM fact GROUP BY f_id, f_day) GROUP BY f_id');
    expect(nodes(same, 'hash_aggregate_exec').map((a) => a.phase)).toEqual(['single', 'single']);
    // forceRepartition keeps every grouped aggregate two-phase.
    expect(nodes(physical('SELECT f_id, COUNT(*) FROM fact GROUP BY f_id', { forceRepartition: true }), 'hash_aggregate_exec').map((a) => a.phase).sort()).toEqual(['final', 'partial']);
  });

  it('range-assigns partitions in range order whose bounds only touch (one run), never overlapping, NULL or inexact ones', () => {
    const cat = testCatalog();
    const parts = (ranges: [string, string][]): TestPartition[] => ranges.map(([lo, hi]) => ({ rows: 1000, zones: { K: [lo, hi], V: ['0', '9'] } }));
    // Stored out of order; 10 is the max of one partition and the min of the next.
    addTable(cat, 'TOUCH', [['K', INT], ['V', INT]], parts([['31', '40'], ['0', '10'], ['10', '30'], ['41', '50']]));
    addTable(cat, 'CHAIN', [['K', INT], ['V', INT]], parts([['0', '10'], ['10', '10'], ['10', '20'], ['21', '30']]));
    addTable(cat, 'OVERLAP', [['K', INT], ['V', INT]], parts([['0', '10'], ['9', '20'], ['21', '30']]));
    addTable(cat, 'ONE_RUN', [['K', INT], ['V', INT]], parts([['0', '10'], ['10', '20']]));
    const plan = (t: string) => {
      const logical = logicalPlan(cat, `SELECT k, SUM(v) FROM ${t} GROUP BY k`);
      const p = planPhysical(logical, { workers: 2, broadcastRows: 1000, forceRepartition: false });
      checkStagePlan(p, logical, 2);
      return p.stages[0].scan!;
    };
    const touch = plan('TOUCH');
    expect(touch.units.map((u) => u.objectKey)).toEqual(['TOUCH/1.parquet', 'TOUCH/2.parquet', 'TOUCH/0.parquet', 'TOUCH/3.parquet']);
    expect(touch.assign).toEqual({ column: 'K', runs: [0, 0, 1, 2] });
    const chain = plan('CHAIN');
    expect(chain.units.map((u) => u.objectKey)).toEqual(['CHAIN/0.parquet', 'CHAIN/1.parquet', 'CHAIN/2.parquet', 'CHAIN/3.parquet']);
    expect(chain.assign).toEqual({ column: 'K', runs: [0, 0, 0, 1] });
    expect(plan('OVERLAP').assign).toBeUndefined();
    // One run: nothing to split between tasks.
    expect(plan('ONE_RUN').assign).toBeUndefined();

    const zone = (min: string | null, max: string | null, nullCount: number, exact: boolean) => ({ min, max, nullCount, exact });
    const withZones = (zs: ReturnType<typeof zone>[]) => {
      const c = testCatalog();
      c.createTable('FIRN', 'PUBLIC', 'Z', [{ name: 'K', type: INT, nullable: true }, { name: 'V', type: INT, nullable: true }], {
        queryId: 'create-z',
        data: { operation: 'INSERT', added: zs.map((z, i) => ({ objectKey: `Z/${i}.parquet`, rowCount: 10, byteSize: 160, zoneMap: { rowCount: 10, byteSize: 160, columns: { K: z, V: zone('0', '9', 0, true) } } })) },
      });
      return planPhysical(logicalPlan(c, 'SELECT k, SUM(v) FROM z GROUP BY k'), { workers: 2, broadcastRows: 1000, forceRepartition: false }).stages[0].scan!.assign;
    };
    expect(withZones([zone('0', '10', 0, true), zone('11', '20', 0, true)])).toEqual({ column: 'K', runs: [0, 1] });
    expect(withZones([zone('0', '10', 1, true), zone('11', '20', 0, true)])).toBeUndefined();
    expect(withZones([zone('0', '10', 0, false), zone('11', '20', 0, true)])).toBeUndefined();
    expect(withZones([zone(null, null, 10, true), zone('11', '20', 0, true)])).toBeUndefined();
  });

  it('keeps DISTINCT aggregates two-phase: every row of a group meets in one task', () => {
    const plan = physical('SELECT f_dim, COUNT(DISTINCT f_day) FROM fact GROUP BY f_dim', { gatherFinalGroups: 0 });
    expect(stageSummary(plan)[0]).toBe('0 hash x2 <- []');
    expect(nodes(plan, 'hash_aggregate_exec').map((a) => a.phase).sort()).toEqual(['final', 'partial']);
    // Few groups: the partial states all meet in the one final task.
    const few = physical('SELECT f_dim, COUNT(DISTINCT f_day) FROM fact GROUP BY f_dim');
    expect(stageSummary(few)[0]).toBe('0 gather x2 <- []');
    expect(nodes(few, 'hash_aggregate_exec').map((a) => a.phase).sort()).toEqual(['final', 'partial']);
  });
});

describe('planPhysical: small scans in one task', () => {
  // MID: 100,000 rows in 2 partitions; DIM: 100 rows; FACT: 800,000 rows.
  it('finishes an aggregate, sort or LIMIT over a scan of at most smallScanRows rows in one task, with no exchange after it', () => {
    const small = { smallScanRows: 100_000 };
    expect(stageSummary(physical('SELECT m_fact, COUNT(*) FROM mid GROUP BY m_fact', small))).toEqual(['0 result x1 <- []']);
    expect(nodes(physical('SELECT m_fact, COUNT(*) FROM mid GROUP BY m_fact', small), 'hash_aggregate_exec').map((n) => n.phase)).toEqual(['single']);
    expect(stageSummary(physical('SELECT m_id FROM mid ORDER BY m_fact', small))).toEqual(['0 result x1 <- []']);
    expect(stageSummary(physical('SELECT m_id FROM mid LIMIT 5', small))).toEqual(['0 result x1 <- []']);
    // TPC-H Q18's last stage: the small scan probes a broadcast build, and its top-N is the answer.
    const topN = physical('SELECT m_id, d_name FROM mid JOIN dim ON m_fact = d_id ORDER BY m_id DESC LIMIT 10', small);
    expect(stageSummary(topN)).toEqual(['0 broadcast x2 <- []', '1 result x1 <- [0]']);
    expect(shapes(topN)[1]).toEqual(['limit_exec', ['top_n_exec', ['project_exec', ['hash_join_exec', 'scan_exec', 'exchange(0)']]]]);
  });

  it('keeps every worker for a larger scan, for a scan routed by ranges, and without smallScanRows', () => {
    // Partial in both tasks, hashed by M_FACT (up to 100,000 groups), final in both, gathered.
    const split = ['0 hash x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]'];
    expect(stageSummary(physical('SELECT m_fact, COUNT(*) FROM mid GROUP BY m_fact', { smallScanRows: 99_999 }))).toEqual(split);
    expect(stageSummary(physical('SELECT m_fact, COUNT(*) FROM mid GROUP BY m_fact'))).toEqual(split);
    expect(stageSummary(physical('SELECT f_id FROM fact ORDER BY f_amount LIMIT 3', { smallScanRows: 100_000 }))).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
    // MID probing a broadcast of FACT's first partition (100,000 rows, past SMALL_PIPELINE_ROWS): two tasks share the probing.
    const wide = physical("SELECT m_id, f_amount FROM mid JOIN fact ON m_fact = f_id WHERE f_day <= '1970-04-10' ORDER BY f_amount LIMIT 3", { smallScanRows: 100_000, broadcastRows: 1_000_000 });
    expect(stageSummary(wide)).toEqual(['0 broadcast x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
    expect([scannedTable(wide.stages[0]), scannedTable(wide.stages[1])]).toEqual(['FIRN.PUBLIC.FACT', 'FIRN.PUBLIC.MID']);
    expect(wide.stages[0].estimatedRows).toBeGreaterThan(SMALL_PIPELINE_ROWS);
    const cat = testCatalog();
    const big = [['0', '99'], ['100', '199'], ['200', '299'], ['300', '399']].map(([lo, hi]): TestPartition => ({ rows: 1000, zones: { K: [lo, hi], V: ['0', '9'] } }));
    addTable(cat, 'BIG', [['K', INT], ['V', INT]], big);
    addTable(cat, 'SIDE', [['S_K', INT], ['S_V', INT]], [{ rows: 2000, zones: { S_K: ['0', '399'], S_V: ['0', '9'] } }]);
    const logical = logicalPlan(cat, 'SELECT v, COUNT(*) FROM big JOIN side ON k = s_k GROUP BY v');
    const o: PhysicalOptions = { workers: 2, broadcastRows: 100_000, rangeJoinRows: 1000, smallScanRows: 100_000, forceRepartition: false };
    const colocated = planPhysical(logical, o);
    checkStagePlan(colocated, logical, 2);
    expect(stageSummary(colocated)).toEqual(['0 range x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
  });
});

describe('planPhysical: sorts and limits', () => {
  it('sorts per task and k-way merges the sorted runs in one task', () => {
    const plan = physical('SELECT f_id, f_amount FROM fact ORDER BY f_amount DESC, f_id');
    expect(stageSummary(plan)).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
    expect(shapes(plan)).toEqual([['sort_exec', ['project_exec', 'scan_exec']], 'exchange(0 merge)']);
    const [sort] = nodes(plan, 'sort_exec');
    const [merge] = nodes(plan, 'exchange_source_exec');
    expect(merge.merge).toEqual(sort.keys);
    expect(sort.keys.map((k) => [k.desc, k.nullsFirst])).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it('keeps a top-N of offset+limit rows per task, merges and cuts with the offset in one task', () => {
    const plan = physical('SELECT f_id FROM fact ORDER BY f_amount DESC LIMIT 10 OFFSET 5');
    expect(shapes(plan)).toEqual([['top_n_exec', ['project_exec', 'scan_exec']], ['project_exec', ['limit_exec', 'exchange(0 merge)']]]);
    expect(nodes(plan, 'top_n_exec')[0].limit).toBe(15);
    expect(nodes(plan, 'limit_exec')[0]).toMatchObject({ offset: 5, limit: 10 });
    expect(nodes(plan, 'scan_exec')[0].limit).toBeNull();
    expect(plan.stages.map((s) => s.estimatedRows)).toEqual([30, 10]);
  });

  it('pushes LIMIT into the scan when only projections lie between', () => {
    const plan = physical('SELECT f_id FROM fact LIMIT 10');
    expect(shapes(plan)).toEqual([['project_exec', 'scan_exec'], ['limit_exec', 'exchange(0)']]);
    expect(nodes(plan, 'scan_exec')[0].limit).toBe(10);
    expect(nodes(plan, 'limit_exec')[0]).toMatchObject({ offset: 0, limit: 10 });
    // The scan's own filter is applied before its limit counts rows.
    expect(nodes(physical('SELECT f_id FROM fact WHERE f_amount > 5 LIMIT 3 OFFSET 2'), 'scan_exec')[0].limit).toBe(5);
  });

  it('limits each task locally when a join lies between the limit and the scan', () => {
    const plan = physical('SELECT f_id, d_name FROM fact JOIN dim ON f_dim = d_id LIMIT 7');
    expect(shapes(plan)[1]).toEqual(['limit_exec', ['project_exec', ['hash_join_exec', 'scan_exec', 'exchange(0)']]]);
    expect(nodes(plan, 'scan_exec').every((s) => s.limit === null)).toBe(true);
    expect(nodes(plan, 'limit_exec').map((l) => [l.offset, l.limit]).sort()).toEqual([
      [0, 7],
      [0, 7],
    ]);
  });

  it('cuts in place over a one-task input', () => {
    const plan = physical('SELECT f_id FROM fact ORDER BY f_id LIMIT 4', { workers: 1 });
    expect(shapes(plan)).toEqual([['limit_exec', ['top_n_exec', ['project_exec', 'scan_exec']]]]);
  });
});

describe('planPhysical: windows and set operations', () => {
  it('hashes by the PARTITION BY keys all window calls share', () => {
    const plan = physical('SELECT f_id, ROW_NUMBER() OVER (PARTITION BY f_dim ORDER BY f_day), SUM(f_amount) OVER (PARTITION BY f_dim) FROM fact');
    expect(stageSummary(plan)).toEqual(['0 hash x2 <- []', '1 gather x2 <- [0]', '2 result x1 <- [1]']);
    expect(shapes(plan)[1]).toEqual(['project_exec', ['window_exec', 'exchange(0)']]);
    const [window] = nodes(plan, 'window_exec');
    expect(plan.stages[0].output).toEqual({ kind: 'hash', keys: window.calls[0].partitionBy });
  });

  it('gathers windows with different or no partition keys into one task', () => {
    expect(stageSummary(physical('SELECT f_id, ROW_NUMBER() OVER (PARTITION BY f_dim ORDER BY f_day), RANK() OVER (PARTITION BY f_day ORDER BY f_id) FROM fact'))).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
    expect(stageSummary(physical('SELECT f_id, ROW_NUMBER() OVER (ORDER BY f_day) FROM fact'))).toEqual(['0 gather x2 <- []', '1 result x1 <- [0]']);
  });

  it('hashes both sides of UNION, INTERSECT and EXCEPT by all columns', () => {
    for (const op of ['UNION', 'INTERSECT', 'EXCEPT']) {
      const plan = physical(`SELECT f_id, f_dim FROM fact ${op} SELECT m_id, m_fact FROM mid`);
      expect(stageSummary(plan), op).toEqual(['0 hash x2 <- []', '1 hash x2 <- []', '2 gather x2 <- [0,1]', '3 result x1 <- [2]']);
      const cols = [0, 1].map((index) => ({ kind: 'column', index, type: INT }));
      expect(plan.stages[0].output).toEqual({ kind: 'hash', keys: cols });
      expect(plan.stages[1].output).toEqual({ kind: 'hash', keys: cols });
      expect(nodes(plan, 'set_op_exec')[0]).toMatchObject({ op, all: false });
    }
  });

  it('spreads both sides of UNION ALL round robin into one stage', () => {
    const plan = physical('SELECT f_id FROM fact UNION ALL SELECT m_id FROM mid');
    expect(stageSummary(plan)).toEqual(['0 round_robin x2 <- []', '1 round_robin x2 <- []', '2 gather x2 <- [0,1]', '3 result x1 <- [2]']);
    expect(nodes(plan, 'set_op_exec')[0]).toMatchObject({ op: 'UNION', all: true });
  });
});

describe('planPhysical: the whole plan', () => {
  it('numbers stages children first and nodes uniquely in a plan that uses every strategy', () => {
    const sql = `
      WITH j AS (SELECT d_name, f_amount, m_id FROM fact JOIN dim ON f_dim = d_id JOIN mid ON f_id = m_fact)
      SELECT d_name, SUM(f_amount) AS s, ROW_NUMBER() OVER (ORDER BY SUM(f_amount)) FROM j
      WHERE m_id IN (SELECT m_id FROM mid WHERE m_id < 10)
      GROUP BY d_name
      UNION ALL SELECT 'x', 1, 1
      ORDER BY 2 DESC LIMIT 5`;
    for (const workers of [1, 2, 4]) {
      for (const forceRepartition of [false, true]) {
        const plan = physical(sql, { workers, forceRepartition });
        expect(plan.stages.length).toBeGreaterThan(1);
      }
    }
  });
});
