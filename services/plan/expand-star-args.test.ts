import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { parseSql } from '../sql/parse-sql.js';
import type { BindContext } from './bind-context.js';
import { bindQuery } from './bind-query.js';
import { planColumns } from './logical-plan.js';
import { exprText } from './expr-text.js';
import { expandStarArgs } from './expand-star-args.js';
import { Scope } from './scope.js';
import { Types } from '../../storage/types/data-type.js';

let catalog: SqliteCatalog;
let ctx: BindContext;
beforeEach(() => {
  catalog = new SqliteCatalog(':memory:');
  ctx = { catalog, session: { database: null, schema: null, warehouse: null } };
});
afterEach(() => catalog.close());

const select = (sql: string) => {
  const st = parseSql(sql)[0];
  if (st.kind !== 'query' || st.query.body.kind !== 'select') throw new Error('not a select');
  return st.query;
};

describe('OBJECT_CONSTRUCT(*)', () => {
  it('writes the star out as key, column pairs of the FROM scope (SELECT *\'s columns, t.* one table\'s)', () => {
    const scope = new Scope([
      { qualifier: 'A', name: 'ID', type: Types.number(38, 0) },
      { qualifier: 'B', name: 'ID', type: Types.number(38, 0), merged: true },
      { qualifier: 'B', name: 'tag', type: Types.varchar },
      { qualifier: 'O', name: 'X', type: Types.varchar, outer: true },
    ]);
    const q = select('SELECT OBJECT_CONSTRUCT(*), OBJECT_CONSTRUCT_KEEP_NULL(b.*), ARRAY_CONSTRUCT(*) FROM a ORDER BY OBJECT_CONSTRUCT(*)');
    const out = expandStarArgs(q.body as never, q.orderBy, scope);
    expect(out.select.items.map((i) => (i.kind === 'expr' ? exprText(i.expr) : '*'))).toEqual([
      "OBJECT_CONSTRUCT('ID', A.ID, 'tag', B.tag)",
      "OBJECT_CONSTRUCT_KEEP_NULL('ID', B.ID, 'tag', B.tag)",
      'ARRAY_CONSTRUCT(*)',
    ]);
    expect(exprText(out.orderBy[0].expr)).toBe("OBJECT_CONSTRUCT('ID', A.ID, 'tag', B.tag)");
  });

  it('keeps the column name as written, and binds to an OBJECT', () => {
    const plan = bindQuery(ctx, select('SELECT OBJECT_CONSTRUCT(*), OBJECT_CONSTRUCT(x.*) AS o FROM (SELECT 1 AS a, \'s\' AS b) x'));
    expect(planColumns(plan).map((c) => [c.name, c.type.kind])).toEqual([
      ['OBJECT_CONSTRUCT(*)', 'OBJECT'],
      ['O', 'OBJECT'],
    ]);
  });
});
