import { describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import { addTable, INT, testCatalog } from '../physical/physical-test-kit.js';
import { parseSql } from '../sql/parse-sql.js';
import type { Query } from '../sql/ast.js';
import { bindQuery } from './bind-query.js';
import { refersTo } from './bind-recursive-cte.js';
import type { LogicalPlan } from './logical-plan.js';

const catalog = testCatalog();
addTable(catalog, 'T', [['ID', INT], ['UP', INT], ['NAME', Types.varchar]], [{ rows: 10, zones: { ID: ['1', '10'], UP: ['1', '10'], NAME: ['a', 'z'] } }]);

function parse(sql: string): Query {
  const [st] = parseSql(sql);
  if (st.kind !== 'query') throw new Error(`not a query: ${sql}`);
  return st.query;
}

function bind(sql: string): { plan: LogicalPlan; initPlans: LogicalPlan[] } {
  const initPlans: LogicalPlan[] = [];
  const plan = bindQuery({ catalog, session: { database: 'FIRN', schema: 'PUBLIC', warehouse: null }, initPlans }, parse(sql));
  return { plan, initPlans };
}

/** Every node of a plan, parents first (into a recursive CTE's anchor and step too). */
function nodes(p: LogicalPlan): LogicalPlan[] {
  const kids = 'input' in p ? [p.input] : p.kind === 'join' || p.kind === 'set_operation' ? [p.left, p.right] : p.kind === 'recursive_union' ? [p.anchor, p.recursive] : [];
  return [p, ...kids.flatMap(nodes)];
}

describe('recursive CTEs, bound', () => {
  it('finds a reference to the CTE anywhere in its query unless an inner WITH shadows the name', () => {
    const cte = (sql: string) => parse(sql).with[0].query;
    expect(refersTo(cte('WITH r AS (SELECT 1 UNION ALL SELECT n FROM t JOIN (SELECT * FROM r) x ON 1 = 1) SELECT 1'), 'R')).toBe(true);
    expect(refersTo(cte('WITH r AS (SELECT 1 WHERE EXISTS (SELECT 1 FROM r)) SELECT 1'), 'R')).toBe(true);
    expect(refersTo(cte('WITH r AS (WITH r AS (SELECT 2) SELECT * FROM r) SELECT 1'), 'R')).toBe(false);
    expect(refersTo(cte('WITH r AS (SELECT * FROM db.s.r) SELECT 1'), 'R')).toBe(false);
  });

  it('makes one init plan of a recursive CTE, however often it is referenced, whose leaves read it', () => {
    const { plan, initPlans } = bind('WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT a.n FROM r a JOIN r b ON a.n = b.n');
    expect(initPlans.map((p) => p.kind)).toEqual(['recursive_union']);
    const leaves = nodes(plan).filter((p) => p.kind === 'recursive_cte');
    expect(leaves).toHaveLength(2);
    expect(leaves.every((l) => l.kind === 'recursive_cte' && l.id === 0 && l.name === 'R')).toBe(true);
    const def = initPlans[0];
    if (def.kind !== 'recursive_union') throw new Error(def.kind);
    expect(def.columns).toEqual([{ name: 'N', type: Types.number(38, 0), nullable: true }]);
    expect(nodes(def.recursive).filter((p) => p.kind === 'working_table')).toHaveLength(1);
    expect(nodes(def.anchor).some((p) => p.kind === 'working_table')).toBe(false);
  });

  it('puts the init plans a recursive CTE needs before it, and a second recursive CTE over the first after both', () => {
    const { initPlans } = bind(
      'WITH RECURSIVE a (n) AS (SELECT MIN(id) FROM t UNION ALL SELECT n + 1 FROM a WHERE n < (SELECT MAX(id) FROM t)), b (n) AS (SELECT n FROM a UNION ALL SELECT n - 1 FROM b WHERE n > 0) SELECT * FROM b',
    );
    expect(initPlans.map((p) => (p.kind === 'recursive_union' ? `cte ${p.name}` : 'scalar'))).toEqual(['scalar', 'cte A', 'cte B']);
    const b = initPlans[2];
    if (b.kind !== 'recursive_union') throw new Error(b.kind);
    expect(nodes(b.anchor).filter((p) => p.kind === 'recursive_cte').map((p) => (p.kind === 'recursive_cte' ? p.id : -1))).toEqual([1]);
  });

  it('types the columns as the anchor widens them, casting the recursive clause', () => {
    const { initPlans } = bind("WITH RECURSIVE r AS (SELECT 1.5 AS x, 'a' AS s, NULL AS z UNION ALL SELECT x + 1, s || 'b', z FROM r WHERE x < 3) SELECT * FROM r");
    const def = initPlans[0];
    if (def.kind !== 'recursive_union') throw new Error(def.kind);
    expect(def.columns.map((c) => [c.name, c.type])).toEqual([
      ['X', Types.number(38, 1)],
      ['S', Types.varchar],
      ['Z', Types.varchar],
    ]);
  });

  it('refuses mutual recursion and a recursive CTE where the statement plans no init plans', () => {
    expect(() => bind('WITH a AS (SELECT 1 AS n UNION ALL SELECT n FROM b), b AS (SELECT n FROM a) SELECT * FROM a')).toThrow(NotSupportedError);
    const q = parse('WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r');
    expect(() => bindQuery({ catalog, session: { database: 'FIRN', schema: 'PUBLIC', warehouse: null } }, q)).toThrow(NotSupportedError);
    expect(() => bind('WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r a FULL JOIN t ON a.n = t.id) SELECT * FROM r')).toThrow(CompilationError);
  });
});
