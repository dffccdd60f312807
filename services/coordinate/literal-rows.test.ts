import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { ExecNode, StagePlan } from '../../warehouse/fragment/stage-plan.js';
import { literalRows, MAX_LITERAL_ROWS } from './literal-rows.js';

const N = Types.number(38, 0);
const lit = (value: bigint | string): BoundExpr => ({ kind: 'literal', value, type: typeof value === 'string' ? Types.varchar : N });
const plan = (root: ExecNode): StagePlan => ({ stages: [{ id: 0, tasks: 1, root, output: { kind: 'result' }, inputs: [], estimatedRows: 1, runtimeFilters: [] }], root: 0 });
const values = (rows: BoundExpr[][], types = [N]): ExecNode => ({ kind: 'values_exec', id: 0, types, rows });

describe('literalRows: plans answered from their literals, without a task', () => {
  it('reads a VALUES of literals, and literal projections over any VALUES', () => {
    expect(literalRows(plan(values([[lit(1n)], [lit(2n)]])))).toEqual([[1n], [2n]]);
    const project: ExecNode = { kind: 'project_exec', id: 1, types: [N, Types.varchar], input: values([[], []], []), exprs: [lit(1n), lit('a')] };
    expect(literalRows(plan(project))).toEqual([
      [1n, 'a'],
      [1n, 'a'],
    ]);
  });

  it('reads columns of literal VALUES cells through a projection (an aggregate answered from the zone maps)', () => {
    const col = (index: number): BoundExpr => ({ kind: 'column', index, type: N });
    const project: ExecNode = { kind: 'project_exec', id: 1, types: [N, N, Types.varchar], input: values([[lit(7n), lit(8n)], [lit(9n), lit(10n)]], [N, N]), exprs: [col(1), col(0), lit('a')] };
    expect(literalRows(plan(project))).toEqual([
      [8n, 7n, 'a'],
      [10n, 9n, 'a'],
    ]);
    const computed: ExecNode = { kind: 'project_exec', id: 1, types: [N], input: values([[{ kind: 'call', fn: 'add', args: [lit(1n), lit(2n)], type: N }]]), exprs: [col(0)] };
    expect(literalRows(plan(computed))).toBeNull();
  });

  it('leaves anything computed to the workers: an expression, a scan, several stages, too many rows', () => {
    const sum: BoundExpr = { kind: 'call', fn: 'add', args: [lit(1n), lit(2n)], type: N };
    expect(literalRows(plan(values([[sum]])))).toBeNull();
    expect(literalRows(plan({ kind: 'scan_exec', id: 0, types: [N], table: 'T', tableColumns: [{ name: 'X', type: N, nullable: true }], scanColumns: [0], filter: null, limit: null }))).toBeNull();
    const two = plan(values([[lit(1n)]]));
    two.stages.unshift({ ...two.stages[0], id: 1, output: { kind: 'gather' } });
    expect(literalRows(two)).toBeNull();
    expect(literalRows(plan(values(Array.from({ length: MAX_LITERAL_ROWS + 1 }, () => [lit(1n)]))))).toBeNull();
  });
});
