import { describe, expect, it } from 'vitest';
import { NotSupportedError, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import type { BinaryOp, Expr, Query, Select, SelectItem } from './ast.js';
import { parseSql } from './parse-sql.js';

const col = (name: string, table: string | null = null): Expr => ({ kind: 'column', table, name });
const num = (text: string): Expr => ({ kind: 'number', text });
const str = (value: string): Expr => ({ kind: 'string', value });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const neg = (e: Expr): Expr => ({ kind: 'unary', op: '-', expr: e });
const not = (e: Expr): Expr => ({ kind: 'unary', op: 'NOT', expr: e });
const fn = (name: string, args: Expr[], more: { distinct?: boolean; star?: boolean } = {}): Expr => ({
  kind: 'function',
  name,
  args,
  distinct: more.distinct ?? false,
  star: more.star ?? false,
});
const cast = (e: Expr, name: string, params: number[] = [], isTry = false): Expr => ({ kind: 'cast', expr: e, type: { name, params }, try: isTry });

function select(sql: string): Select {
  const [st] = parseSql(sql);
  if (st.kind !== 'query' || st.query.body.kind !== 'select') throw new Error(`not a plain select: ${sql}`);
  return st.query.body;
}

/** The expression of `SELECT <e>`. */
function expr(e: string): Expr {
  const item = select(`SELECT ${e}`).items[0];
  if (item.kind !== 'expr') throw new Error('not an expression item');
  return item.expr;
}

/** The WHERE predicate of `SELECT 1 FROM t WHERE <e>`. */
function where(e: string): Expr {
  const w = select(`SELECT 1 FROM t WHERE ${e}`).where;
  if (!w) throw new Error('no WHERE');
  return w;
}

function subquery(sql: string): Query {
  const [st] = parseSql(sql);
  if (st.kind !== 'query') throw new Error('not a query');
  return st.query;
}

describe('expressions: literals keep their source', () => {
  it.each<[string, Expr]>([
    ['12.50', num('12.50')],
    ['007', num('007')],
    ['.5', num('.5')],
    ['1e10', num('1e10')],
    ['1.5E-3', num('1.5E-3')],
    ['123456789012345678901234567890.123456789', num('123456789012345678901234567890.123456789')],
    ['-12.50', neg(num('12.50'))],
    ['- 4', neg(num('4'))],
    ['-(3)', neg(num('3'))],
    ['+7', { kind: 'unary', op: '+', expr: num('7') }],
    ["'it''s'", str("it's")],
    ["'a\\nb'", str('a\nb')],
    ['$$x;y$$', str('x;y')],
    ['TRUE', { kind: 'boolean', value: true }],
    ['false', { kind: 'boolean', value: false }],
    ['NULL', { kind: 'null' }],
    ["DATE '2024-01-01'", { kind: 'typed_literal', type: { name: 'DATE', params: [] }, value: '2024-01-01' }],
    ["timestamp '2024-01-01 10:00:00'", { kind: 'typed_literal', type: { name: 'TIMESTAMP', params: [] }, value: '2024-01-01 10:00:00' }],
    ["TIMESTAMP_NTZ '2024-01-01'", { kind: 'typed_literal', type: { name: 'TIMESTAMP_NTZ', params: [] }, value: '2024-01-01' }],
    ["INTERVAL '3 days'", { kind: 'interval', value: '3', unit: 'DAY' }],
    ["interval '2' HOUR", { kind: 'interval', value: '2', unit: 'HOUR' }],
    ["INTERVAL '1.5 min'", { kind: 'interval', value: '1.5', unit: 'MINUTE' }],
    ["INTERVAL '10'", { kind: 'interval', value: '10', unit: 'SECOND' }],
  ])('%s', (sql, expected) => {
    expect(expr(sql)).toEqual(expected);
  });

  it('keeps number text inside arithmetic, IN lists and LIMIT', () => {
    expect(expr('1-1')).toEqual(bin('-', num('1'), num('1')));
    expect(expr('a * -0.10')).toEqual(bin('*', col('A'), neg(num('0.10'))));
    expect(where('x IN (1.0, 2.50)')).toEqual({ kind: 'in_list', expr: col('X'), list: [num('1.0'), num('2.50')], negated: false });
  });
});

describe('expressions: identifiers', () => {
  it('upper-cases unquoted names and keeps quoted ones verbatim', () => {
    expect(expr('MixedCase')).toEqual(col('MIXEDCASE'));
    expect(expr('"MixedCase"')).toEqual(col('MixedCase'));
    expect(expr('t.MixedCase')).toEqual(col('MIXEDCASE', 'T'));
    expect(expr('"t"."Mixed Case"')).toEqual(col('Mixed Case', 't'));
    expect(expr('"select"')).toEqual(col('select'));
    expect(expr('"My""Col"')).toEqual(col('My"Col'));
  });

  it('resolves aliases the same way', () => {
    expect(select('SELECT a AS x, b "Y y", c z, d AS "w" FROM t').items).toEqual<SelectItem[]>([
      { kind: 'expr', expr: col('A'), alias: 'X' },
      { kind: 'expr', expr: col('B'), alias: 'Y y' },
      { kind: 'expr', expr: col('C'), alias: 'Z' },
      { kind: 'expr', expr: col('D'), alias: 'w' },
    ]);
  });

  it('reads * and t.* select items', () => {
    expect(select('SELECT *, t.*, "T".* FROM t').items).toEqual<SelectItem[]>([
      { kind: 'star', table: null, exclude: [], rename: [] },
      { kind: 'star', table: 'T', exclude: [], rename: [] },
      { kind: 'star', table: 'T', exclude: [], rename: [] },
    ]);
  });

  it('never confuses a user word with a placeholder', () => {
    expect(expr('firn0_q0 + "firn0_q0"')).toEqual(bin('+', col('FIRN0_Q0'), col('firn0_q0')));
  });
});

describe('expressions: operators and precedence', () => {
  it.each<[string, Expr]>([
    ['a + b * c', bin('+', col('A'), bin('*', col('B'), col('C')))],
    ['a - b - c', bin('-', bin('-', col('A'), col('B')), col('C'))],
    ['a / b % c', bin('%', bin('/', col('A'), col('B')), col('C'))],
    ['(a + b) * c', bin('*', bin('+', col('A'), col('B')), col('C'))],
    ['a || b || c', bin('||', bin('||', col('A'), col('B')), col('C'))],
    ['a != b', bin('<>', col('A'), col('B'))],
    ['a <> b', bin('<>', col('A'), col('B'))],
    ['a <= b', bin('<=', col('A'), col('B'))],
    ['a >= b', bin('>=', col('A'), col('B'))],
    ['-a * b', bin('*', neg(col('A')), col('B'))],
    ['a = 1 AND b = 2 OR c = 3', bin('OR', bin('AND', bin('=', col('A'), num('1')), bin('=', col('B'), num('2'))), bin('=', col('C'), num('3')))],
    ['a OR b AND c', bin('OR', col('A'), bin('AND', col('B'), col('C')))],
    ['a AND b OR c AND d', bin('OR', bin('AND', col('A'), col('B')), bin('AND', col('C'), col('D')))],
    ['a OR b OR c', bin('OR', bin('OR', col('A'), col('B')), col('C'))],
    ['a AND b AND c', bin('AND', bin('AND', col('A'), col('B')), col('C'))],
    ['(a OR b) AND c', bin('AND', bin('OR', col('A'), col('B')), col('C'))],
    ['a AND (b OR c)', bin('AND', col('A'), bin('OR', col('B'), col('C')))],
    ['NOT a AND b', bin('AND', not(col('A')), col('B'))],
    ['NOT a = 1', not(bin('=', col('A'), num('1')))],
    ['NOT (a OR b) AND c', bin('AND', not(bin('OR', col('A'), col('B'))), col('C'))],
    ['NOT NOT a', not(not(col('A')))],
  ])('%s', (sql, expected) => {
    // The vendor builds AND/OR chains differently in select lists and predicates; both must agree.
    expect(expr(sql)).toEqual(expected);
    expect(where(sql)).toEqual(expected);
  });

  it('parses comparison predicates', () => {
    expect(where('a IS NULL')).toEqual({ kind: 'is_null', expr: col('A'), negated: false });
    expect(where('a IS NOT NULL')).toEqual({ kind: 'is_null', expr: col('A'), negated: true });
    expect(where('a BETWEEN 1 AND b + 2 AND c')).toEqual(
      bin('AND', { kind: 'between', expr: col('A'), low: num('1'), high: bin('+', col('B'), num('2')), negated: false }, col('C')),
    );
    expect(where('a NOT BETWEEN 1 AND 2')).toEqual({ kind: 'between', expr: col('A'), low: num('1'), high: num('2'), negated: true });
    expect(where("a IN ('x', 'y')")).toEqual({ kind: 'in_list', expr: col('A'), list: [str('x'), str('y')], negated: false });
    expect(where('a NOT IN (1)')).toEqual({ kind: 'in_list', expr: col('A'), list: [num('1')], negated: true });
  });

  it('parses LIKE, ILIKE, NOT and ESCAPE', () => {
    expect(where("a LIKE 'x%'")).toEqual({ kind: 'like', expr: col('A'), pattern: str('x%'), caseInsensitive: false, negated: false, escape: null });
    expect(where("a NOT ILIKE 'X%'")).toEqual({ kind: 'like', expr: col('A'), pattern: str('X%'), caseInsensitive: true, negated: true, escape: null });
    expect(where("a LIKE 'x!%' ESCAPE '!'")).toEqual({ kind: 'like', expr: col('A'), pattern: str('x!%'), caseInsensitive: false, negated: false, escape: str('!') });
    expect(where("a ILIKE b || '%'")).toMatchObject({ kind: 'like', pattern: bin('||', col('B'), str('%')), caseInsensitive: true });
    expect(where("a NOT LIKE 'x' ESCAPE NULL")).toEqual({ kind: 'like', expr: col('A'), pattern: str('x'), caseInsensitive: false, negated: true, escape: { kind: 'null' } });
  });

  it('parses [I]LIKE ANY | ALL | SOME pattern lists, with ESCAPE', () => {
    const lq = (quantifier: 'ANY' | 'ALL', patterns: Expr[], caseInsensitive = false, escape: Expr | null = null): Expr => ({
      kind: 'like_quantified', expr: col('A'), quantifier, patterns, caseInsensitive, escape,
    });
    expect(where("a LIKE ANY ('x%', 'y')")).toEqual(lq('ANY', [str('x%'), str('y')]));
    expect(where("a ilike all ('X%')")).toEqual(lq('ALL', [str('X%')], true));
    expect(where("a LIKE SOME (b || '%', NULL)")).toEqual(lq('ANY', [bin('||', col('B'), str('%')), { kind: 'null' }]));
    expect(where("a ILIKE ANY ('x!%', 'y') ESCAPE '!' AND b = 1")).toEqual(bin('AND', lq('ANY', [str('x!%'), str('y')], true, str('!')), bin('=', col('B'), num('1'))));
    expect(where("NOT a LIKE ALL ('x', 'y')")).toEqual(not(lq('ALL', [str('x'), str('y')])));
    expect(() => where('a LIKE ANY ()')).toThrow(SqlSyntaxError);
    expect(() => where("a LIKE ANY 'x'")).toThrow(SqlSyntaxError);
  });

  it('parses [NOT] RLIKE and [NOT] REGEXP as REGEXP_LIKE calls, and RLIKE(...) as a function', () => {
    const like = (x: Expr, p: Expr) => fn('REGEXP_LIKE', [x, p]);
    expect(where("a RLIKE 'x.*'")).toEqual(like(col('A'), str('x.*')));
    expect(where("a rlike 'x.*'")).toEqual(like(col('A'), str('x.*')));
    expect(where("a REGEXP b || '%'")).toEqual(like(col('A'), bin('||', col('B'), str('%'))));
    expect(where("a NOT RLIKE 'x'")).toEqual(not(like(col('A'), str('x'))));
    expect(where("a NOT REGEXP 'x' AND b = 1")).toEqual(bin('AND', not(like(col('A'), str('x'))), bin('=', col('B'), num('1'))));
    expect(expr("RLIKE(a, 'x', 'i')")).toEqual(fn('RLIKE', [col('A'), str('x'), str('i')]));
  });

  it('parses IS [NOT] DISTINCT FROM as a comparison, with NULL operands and around AND/NOT', () => {
    expect(where('a IS DISTINCT FROM b')).toEqual(bin('IS DISTINCT FROM', col('A'), col('B')));
    expect(where('a IS NOT DISTINCT FROM b + 1')).toEqual(bin('IS NOT DISTINCT FROM', col('A'), bin('+', col('B'), num('1'))));
    expect(where('a IS DISTINCT FROM NULL')).toEqual(bin('IS DISTINCT FROM', col('A'), { kind: 'null' }));
    expect(where('NULL IS NOT DISTINCT FROM NULL || a')).toEqual(bin('IS NOT DISTINCT FROM', { kind: 'null' }, bin('||', { kind: 'null' }, col('A'))));
    expect(where('a IS NOT DISTINCT FROM b AND c IS NULL')).toEqual(
      bin('AND', bin('IS NOT DISTINCT FROM', col('A'), col('B')), { kind: 'is_null', expr: col('C'), negated: false }),
    );
    expect(where('NOT a IS DISTINCT FROM b')).toEqual(not(bin('IS DISTINCT FROM', col('A'), col('B'))));
    expect(where('a IS NOT NULL')).toEqual({ kind: 'is_null', expr: col('A'), negated: true });
    expect(select('SELECT a IS DISTINCT FROM b FROM t WHERE c IS NOT DISTINCT FROM d').from).toEqual({ kind: 'table', name: { parts: ['T'] }, alias: null });
  });

  it('refuses a DISTINCT without FROM and a DISTINCT FROM without an operand', () => {
    expect(() => where('a IS DISTINCT b')).toThrow(SqlSyntaxError);
    expect(() => where('a IS NOT DISTINCT FROM')).toThrow(SqlSyntaxError);
  });
});

describe('expressions: SUBSTRING (x FROM a [FOR b])', () => {
  it('reads FROM / FOR as the second and third arguments', () => {
    expect(expr('SUBSTRING(a FROM 2 FOR 3)')).toEqual(fn('SUBSTRING', [col('A'), num('2'), num('3')]));
    expect(expr('SUBSTRING(a || b FROM LENGTH(a) - 1)')).toEqual(fn('SUBSTRING', [bin('||', col('A'), col('B')), bin('-', fn('LENGTH', [col('A')]), num('1'))]));
    expect(expr('substr(a from (1) for f(2, 3))')).toEqual(fn('SUBSTR', [col('A'), num('1'), fn('F', [num('2'), num('3')])]));
    expect(expr('SUBSTRING(a, 2, 3)')).toEqual(fn('SUBSTRING', [col('A'), num('2'), num('3')]));
  });

  it('refuses FROM without an operand around it and FOR without FROM', () => {
    expect(() => expr('SUBSTRING(FROM 2)')).toThrow(SqlSyntaxError);
    expect(() => expr('SUBSTRING(a FROM)')).toThrow(SqlSyntaxError);
    expect(() => expr('SUBSTRING(a FROM 1 FOR)')).toThrow(SqlSyntaxError);
    expect(() => expr('SUBSTRING(a FOR 2)')).toThrow(NotSupportedError);
    expect(() => expr('SUBSTRING(a, b FROM 2)')).toThrow(SqlSyntaxError);
  });
});

describe('expressions: CASE, CAST, functions', () => {
  it('parses searched and simple CASE', () => {
    expect(expr("CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END")).toEqual({
      kind: 'case',
      operand: null,
      whens: [
        { when: bin('>', col('A'), num('0')), then: str('pos') },
        { when: bin('<', col('A'), num('0')), then: str('neg') },
      ],
      else: str('zero'),
    });
    expect(expr("CASE a WHEN 1 THEN 'x' END")).toEqual({ kind: 'case', operand: col('A'), whens: [{ when: num('1'), then: str('x') }], else: null });
  });

  it.each<[string, Expr]>([
    ['CAST(a AS NUMBER(10,2))', cast(col('A'), 'NUMBER', [10, 2])],
    ['a::number(38, 0)', cast(col('A'), 'NUMBER', [38, 0])],
    ['a::INT::VARCHAR', cast(cast(col('A'), 'INT'), 'VARCHAR')],
    ['TRY_CAST(a AS DATE)', cast(col('A'), 'DATE', [], true)],
    ['CAST(a AS double precision)', cast(col('A'), 'DOUBLE PRECISION')],
    ['a::timestamp_ntz(9)', cast(col('A'), 'TIMESTAMP_NTZ', [9])],
    ['CAST(a AS string)', cast(col('A'), 'STRING')],
    ['a::varchar(10) || b', bin('||', cast(col('A'), 'VARCHAR', [10]), col('B'))],
    ["'2024-01-01'::date", cast(str('2024-01-01'), 'DATE')],
    ['-1::int', neg(cast(num('1'), 'INT'))],
    ['a :: int :: varchar(3)', cast(cast(col('A'), 'INT'), 'VARCHAR', [3])],
    ['CAST(CAST(a AS INT) AS TEXT)', cast(cast(col('A'), 'INT'), 'TEXT')],
  ])('%s', (sql, expected) => {
    expect(expr(sql)).toEqual(expected);
  });

  it.each<[string, Expr]>([
    ['IFF(a > 1, 1, 2)', fn('IFF', [bin('>', col('A'), num('1')), num('1'), num('2')])],
    ['coalesce(a, b, 0)', fn('COALESCE', [col('A'), col('B'), num('0')])],
    ['NULLIF(a, 0)', fn('NULLIF', [col('A'), num('0')])],
    ['COUNT(*)', fn('COUNT', [], { star: true })],
    ['count(1)', fn('COUNT', [num('1')])],
    ['COUNT(DISTINCT x)', fn('COUNT', [col('X')], { distinct: true })],
    ['count(distinct a, b)', fn('COUNT', [col('A'), col('B')], { distinct: true })],
    ['SUM(DISTINCT a)', fn('SUM', [col('A')], { distinct: true })],
    ['avg(ALL a)', fn('AVG', [col('A')])],
    ['max(a + 1)', fn('MAX', [bin('+', col('A'), num('1'))])],
    ['"myFunc"(1)', fn('myFunc', [num('1')])],
    ['"myAgg"(DISTINCT a)', fn('myAgg', [col('A')], { distinct: true })],
    ['upper(trim(a))', fn('UPPER', [fn('TRIM', [col('A')])])],
    ['CURRENT_DATE', fn('CURRENT_DATE', [])],
    ['current_timestamp()', fn('CURRENT_TIMESTAMP', [])],
    ['LOCALTIMESTAMP', fn('LOCALTIMESTAMP', [])],
    ['localtimestamp()', fn('LOCALTIMESTAMP', [])],
    ['DATEDIFF(day, LOCALTIMESTAMP, d)', fn('DATEDIFF', [col('DAY'), fn('LOCALTIMESTAMP', []), col('D')])],
    ['dateadd(day, 1, d)', fn('DATEADD', [col('DAY'), num('1'), col('D')])],
    ['EXTRACT(year FROM d)', fn('DATE_PART', [str('year'), col('D')])],
    ['EXTRACT(epoch_millisecond FROM d + 1)', fn('DATE_PART', [str('epoch_millisecond'), { kind: 'binary', op: '+', left: col('D'), right: num('1') }])],
    ["POSITION('a' IN b)", fn('POSITION', [str('a'), col('B')])],
    ["LISTAGG(a, ',')", fn('LISTAGG', [col('A'), str(',')])],
    ['left(a, 2)', fn('LEFT', [col('A'), num('2')])],
    ['NOT(a)', not(col('A'))],
  ])('%s', (sql, expected) => {
    expect(expr(sql)).toEqual(expected);
  });
});

describe('expressions: subqueries', () => {
  const inner = (sql: string) => subquery(sql);

  it('parses scalar subqueries, IN (subquery) and [NOT] EXISTS', () => {
    expect(expr('(SELECT max(a) FROM u)')).toEqual({ kind: 'subquery', query: inner('SELECT max(a) FROM u') });
    expect(where('x IN (SELECT y FROM u)')).toEqual({ kind: 'in_subquery', expr: col('X'), query: inner('SELECT y FROM u'), negated: false });
    expect(where('x NOT IN (SELECT y FROM u)')).toEqual({ kind: 'in_subquery', expr: col('X'), query: inner('SELECT y FROM u'), negated: true });
    expect(where('EXISTS (SELECT 1 FROM u WHERE u.x = t.x)')).toEqual({ kind: 'exists', query: inner('SELECT 1 FROM u WHERE u.x = t.x'), negated: false });
    expect(where('NOT EXISTS (SELECT 1)')).toEqual({ kind: 'exists', query: inner('SELECT 1'), negated: true });
    expect(where('a = 1 AND NOT EXISTS (SELECT 1)')).toEqual(bin('AND', bin('=', col('A'), num('1')), { kind: 'exists', query: inner('SELECT 1'), negated: true }));
  });

  it('parses set operations, CTEs and VALUES inside subqueries', () => {
    expect(where('x IN (SELECT a FROM u EXCEPT SELECT b FROM v)')).toEqual({
      kind: 'in_subquery',
      expr: col('X'),
      query: inner('SELECT a FROM u EXCEPT SELECT b FROM v'),
      negated: false,
    });
    expect(expr('(WITH c AS (SELECT 1 AS n) SELECT n FROM c)')).toEqual({ kind: 'subquery', query: inner('WITH c AS (SELECT 1 AS n) SELECT n FROM c') });
    expect(where('x IN (VALUES (1), (2))')).toMatchObject({ kind: 'in_subquery', query: { body: { kind: 'values', rows: [[num('1')], [num('2')]] } } });
    expect(expr('a + ((SELECT 1) UNION (SELECT 2))')).toMatchObject(bin('+', col('A'), { kind: 'subquery', query: inner('(SELECT 1) UNION (SELECT 2)') }));
  });

  it('reads quantified comparisons <op> ANY | SOME | ALL (subquery)', () => {
    const q = inner('SELECT y FROM u');
    expect(where('x > ANY (SELECT y FROM u)')).toEqual({ kind: 'quantified', op: '>', quantifier: 'ANY', expr: col('X'), query: q });
    expect(where('x <= SOME (SELECT y FROM u)')).toEqual({ kind: 'quantified', op: '<=', quantifier: 'ANY', expr: col('X'), query: q });
    expect(where('x + 1 != ALL (SELECT y FROM u)')).toEqual({ kind: 'quantified', op: '<>', quantifier: 'ALL', expr: bin('+', col('X'), num('1')), query: q });
    expect(where('a = 1 OR x = ALL (SELECT y FROM u)')).toEqual(bin('OR', bin('=', col('A'), num('1')), { kind: 'quantified', op: '=', quantifier: 'ALL', expr: col('X'), query: q }));
    expect(() => where('x + ANY (SELECT y FROM u)')).toThrow(NotSupportedError);
    expect(() => expr('ANY (SELECT y FROM u) + 1')).toThrow(/ANY \(subquery\) other than on the right of a comparison/);
  });
});

describe('semi-structured paths become GET calls', () => {
  const get = (base: Expr, key: Expr): Expr => fn('GET', [base, key]);
  it('reads v:a.b[0], quoted keys, brackets and casts', () => {
    expect(expr('v:a')).toEqual(get(col('V'), str('a')));
    // Keys keep their case, as written; the base name is an ordinary (upper-cased) column.
    expect(expr('v:Name.First')).toEqual(get(get(col('V'), str('Name')), str('First')));
    expect(expr('v:a.b[0]')).toEqual(get(get(get(col('V'), str('a')), str('b')), num('0')));
    expect(expr('v:"Quoted Key"')).toEqual(get(col('V'), str('Quoted Key')));
    expect(expr("v['a']")).toEqual(get(col('V'), str('a')));
    expect(expr('v[0]')).toEqual(get(col('V'), num('0')));
    expect(expr("t.v['a'][1]")).toEqual(get(get(col('V', 'T'), str('a')), num('1')));
    expect(expr('v[i + 1]')).toEqual(get(col('V'), bin('+', col('I'), num('1'))));
    expect(expr('v:name::string')).toEqual(cast(get(col('V'), str('name')), 'STRING'));
    expect(expr('v:price::number(10,2)')).toEqual(cast(get(col('V'), str('price')), 'NUMBER', [10, 2]));
  });

  it('applies to calls and parenthesized expressions, inside larger expressions', () => {
    expect(expr("PARSE_JSON('{}'):a")).toEqual(get(fn('PARSE_JSON', [str('{}')]), str('a')));
    expect(expr('(v):a[2]')).toEqual(get(get(col('V'), str('a')), num('2')));
    expect(where("v:a = 'x' AND w[0] > 1")).toEqual(
      bin('AND', bin('=', get(col('V'), str('a')), str('x')), bin('>', get(col('W'), num('0')), num('1'))),
    );
    expect(expr('upper(v:name)')).toEqual(fn('UPPER', [get(col('V'), str('name'))]));
  });

  it('refuses malformed paths as syntax errors', () => {
    expect(() => expr('v:')).toThrow(SqlSyntaxError);
    expect(() => expr('v:a.')).toThrow(SqlSyntaxError);
    expect(() => expr('v[]')).toThrow(SqlSyntaxError);
  });
});

describe('expressions: what Firn cannot express is NotSupportedError', () => {
  it.each([
    ['sum(a) FILTER (WHERE b)', /FILTER/],
    ["a COLLATE 'en'", /COLLATE/],
    ['a IS TRUE', /IS TRUE/],
    ['a IS NOT FALSE', /IS NOT FALSE/],
    ['a IS b', /IS B/],
    ['a = ANY (1, 2)', /ANY/],
    ["a NOT LIKE ANY ('x', 'y')", /NOT LIKE ANY/],
    ["a NOT ILIKE ALL ('x')", /NOT ILIKE ALL/],
    ['a LIKE ANY (SELECT b FROM t)', /LIKE ANY \(subquery\)/],
    ["'x':field", /Semi-structured paths/],
    ["'x'[0]", /subscripts/],
    ['[1, 2]', /Array constants/],
    ['a = ?', /Bind variables/],
    ['db.s.t.c', /more than two parts/],
    ['s.fn(1)', /Qualified function names/],
    ['(a, b)', /Row value constructors/],
    ["INTERVAL '1 day, 2 hours'", /several parts/],
    ["listagg(a, ',') WITHIN GROUP (ORDER BY a) OVER w", /Named windows/],
    ['count(a ORDER BY b)', /ORDER BY inside an aggregate/],
  ])('%s', (sql, message) => {
    expect(() => expr(sql)).toThrow(NotSupportedError);
    expect(() => expr(sql)).toThrow(message);
  });
});

describe('expressions: syntax errors point at the offending token', () => {
  const positionOf = (sql: string) => {
    try {
      parseSql(sql);
    } catch (e) {
      if (e instanceof SqlSyntaxError) return { position: e.position, message: e.message };
      throw e;
    }
    throw new Error(`no error for ${sql}`);
  };

  it.each([
    ['SELECT a FROM t WHERE a = = 1', 1, 27, "unexpected '='."],
    ['SELECT a +', 1, 11, "unexpected '<EOF>'."],
    ['SELECT f(DISTINCT) FROM t', 1, 18, "unexpected ')'."],
    ['SELECT CAST(a AS) FROM t', 1, 17, "unexpected ')'."],
    ['SELECT CAST(a) FROM t', 1, 14, "unexpected ')'."],
    ['SELECT a:: FROM t', 1, 12, "unexpected 'FROM'."],
    ['SELECT a::number(1.5) FROM t', 1, 18, "unexpected '1.5'."],
    ['SELECT a FROM t WHERE x IN ()', 1, 29, "unexpected ')'."],
    ['SELECT a FROM t WHERE a = 1 b', 1, 29, "unexpected 'b'."],
    ['SELECT a FROM t\nWHERE a =\n  AND b', 3, 3, "unexpected 'AND'."],
    ["SELECT INTERVAL '3 fortnights'", 1, 17, "invalid interval '3 fortnights'."],
    ['SELECT and FROM t', 1, 8, "unexpected 'and'."],
    ['SELECT a AS and FROM t', 1, 13, "unexpected 'and'."],
  ])('%j', (sql, line, column, message) => {
    const { position, message: full } = positionOf(sql);
    expect(position).toEqual({ line, column });
    expect(full).toBe(`SQL compilation error: syntax error line ${line} at position ${column}: ${message}`);
  });
});

type WindowNode = Extract<Expr, { kind: 'window' }>;
type FunctionNode = Extract<Expr, { kind: 'function' }>;
const win = (call: Expr, more: Partial<Omit<WindowNode, 'kind' | 'fn'>> = {}): Expr => ({
  kind: 'window',
  fn: call as FunctionNode,
  ignoreNulls: false,
  partitionBy: [],
  orderBy: [],
  frame: null,
  ...more,
});
const asc = (e: Expr) => ({ expr: e, desc: false, nullsFirst: null });
const desc = (e: Expr) => ({ expr: e, desc: true, nullsFirst: null });

describe('window calls: any function with OVER becomes a window node', () => {
  it.each<[string, Expr]>([
    ['ROW_NUMBER()', fn('ROW_NUMBER', [])],
    ['rank()', fn('RANK', [])],
    ['Dense_Rank()', fn('DENSE_RANK', [])],
    ['NTILE(4)', fn('NTILE', [num('4')])],
    ['LAG(x, 2, 0.5)', fn('LAG', [col('X'), num('2'), num('0.5')])],
    ['LEAD(x)', fn('LEAD', [col('X')])],
    ['FIRST_VALUE(x)', fn('FIRST_VALUE', [col('X')])],
    ['LAST_VALUE(t.x)', fn('LAST_VALUE', [col('X', 'T')])],
    ['SUM(x * 2)', fn('SUM', [bin('*', col('X'), num('2'))])],
    ['AVG(x)', fn('AVG', [col('X')])],
    ['COUNT(x)', fn('COUNT', [col('X')])],
    ['COUNT(*)', fn('COUNT', [], { star: true })],
    ['COUNT(DISTINCT x)', fn('COUNT', [col('X')], { distinct: true })],
    ['MIN(x)', fn('MIN', [col('X')])],
    ['MAX(x)', fn('MAX', [col('X')])],
    ['my_udf(x, \'s\')', fn('MY_UDF', [col('X'), str('s')])],
    ['"MixedFn"(x)', fn('MixedFn', [col('X')])],
  ])('%s OVER (PARTITION BY g ORDER BY o)', (call, expected) => {
    expect(expr(`${call} OVER (PARTITION BY g ORDER BY o)`)).toEqual(win(expected, { partitionBy: [col('G')], orderBy: [asc(col('O'))] }));
  });

  it('reads an empty OVER ()', () => {
    expect(expr('SUM(x) OVER ()')).toEqual(win(fn('SUM', [col('X')])));
    expect(expr('count(*) over( )')).toEqual(win(fn('COUNT', [], { star: true })));
  });

  it('reads fn(...) WITHIN GROUP (ORDER BY ...) OVER (...) as a window call whose function carries the WITHIN GROUP keys', () => {
    const listagg = { ...(fn('LISTAGG', [col('A'), str(',')], { distinct: true }) as FunctionNode), withinGroup: [desc(col('B'))] };
    expect(expr("LISTAGG(DISTINCT a, ',') WITHIN GROUP (ORDER BY b DESC) OVER (PARTITION BY p)")).toEqual(win(listagg, { partitionBy: [col('P')] }));
    const arrayAgg = { ...(fn('ARRAY_AGG', [col('A')]) as FunctionNode), withinGroup: [asc(col('A'))] };
    expect(expr('array_agg(a) within group (order by a) over ()')).toEqual(win(arrayAgg));
    expect(expr('ARRAY_AGG(a) WITHIN GROUP (ORDER BY a) OVER () || 1')).toEqual(bin('||', win(arrayAgg), num('1')));
  });
});

describe('window calls: IGNORE NULLS / RESPECT NULLS', () => {
  it.each<[string, boolean]>([
    ['LAG(x) IGNORE NULLS OVER (ORDER BY o)', true],
    ['LAG(x) ignore nulls OVER (ORDER BY o)', true],
    ['LAG(x IGNORE NULLS) OVER (ORDER BY o)', true],
    ['LAG(x) RESPECT NULLS OVER (ORDER BY o)', false],
    ['LAG(x RESPECT NULLS) OVER (ORDER BY o)', false],
    ['LAG(x) OVER (ORDER BY o)', false],
  ])('%s', (sql, ignoreNulls) => {
    expect(expr(sql)).toEqual(win(fn('LAG', [col('X')]), { ignoreNulls, orderBy: [asc(col('O'))] }));
  });

  it('keeps every argument when IGNORE NULLS is written inside the parentheses', () => {
    expect(expr('LEAD(x, 1, 0 IGNORE NULLS) OVER (ORDER BY o)')).toEqual(
      win(fn('LEAD', [col('X'), num('1'), num('0')]), { ignoreNulls: true, orderBy: [asc(col('O'))] }),
    );
    expect(expr('FIRST_VALUE(a + b) IGNORE NULLS OVER (ORDER BY o)')).toEqual(
      win(fn('FIRST_VALUE', [bin('+', col('A'), col('B'))]), { ignoreNulls: true, orderBy: [asc(col('O'))] }),
    );
  });
});

describe("window calls: NTH_VALUE's FROM FIRST / FROM LAST", () => {
  it('reads FROM FIRST|LAST before the NULLS treatment, only when OVER follows', () => {
    const nth = fn('NTH_VALUE', [col('X'), num('2')]);
    expect(expr('NTH_VALUE(x, 2) FROM FIRST OVER (ORDER BY o)')).toEqual(win(nth, { orderBy: [asc(col('O'))] }));
    expect(expr('NTH_VALUE(x, 2) FROM LAST OVER (ORDER BY o)')).toEqual(win(nth, { orderBy: [asc(col('O'))], fromLast: true }));
    expect(expr('nth_value(x, 2) from last ignore nulls over (order by o)')).toEqual(win(nth, { orderBy: [asc(col('O'))], fromLast: true, ignoreNulls: true }));
    expect(select('SELECT NTH_VALUE(x, 2) FROM LAST OVER (ORDER BY o) FROM t').from).not.toBeNull();
    // Without OVER, FROM is the FROM clause (a table may be called FIRST or LAST).
    expect(select('SELECT MAX(x) FROM last').items).toHaveLength(1);
    expect(select('SELECT MAX(x) FROM first').from).not.toBeNull();
  });
});

describe('window calls nest in expressions and clauses', () => {
  it('parses several windows in one arithmetic expression', () => {
    expect(expr('SUM(x) OVER () / COUNT(*) OVER ()')).toEqual(bin('/', win(fn('SUM', [col('X')])), win(fn('COUNT', [], { star: true }))));
    expect(expr('100 * x / SUM(x) OVER (PARTITION BY g)')).toEqual(
      bin('/', bin('*', num('100'), col('X')), win(fn('SUM', [col('X')]), { partitionBy: [col('G')] })),
    );
  });

  it('parses windows as function arguments, in CASE and in casts', () => {
    expect(expr('ROUND(AVG(x) OVER (), 2)')).toEqual(fn('ROUND', [win(fn('AVG', [col('X')])), num('2')]));
    expect(expr('CASE WHEN ROW_NUMBER() OVER (ORDER BY o) = 1 THEN 1 ELSE 0 END')).toEqual({
      kind: 'case',
      operand: null,
      whens: [{ when: bin('=', win(fn('ROW_NUMBER', []), { orderBy: [asc(col('O'))] }), num('1')), then: num('1') }],
      else: num('0'),
    });
    expect(expr('RANK() OVER (ORDER BY o)::VARCHAR')).toEqual(cast(win(fn('RANK', []), { orderBy: [asc(col('O'))] }), 'VARCHAR'));
  });

  it('parses windows over aggregates in a grouped query', () => {
    const s = select('SELECT g, SUM(x) AS total, RANK() OVER (ORDER BY SUM(x) DESC) AS r FROM t GROUP BY g');
    expect(s.items).toEqual<SelectItem[]>([
      { kind: 'expr', expr: col('G'), alias: null },
      { kind: 'expr', expr: fn('SUM', [col('X')]), alias: 'TOTAL' },
      { kind: 'expr', expr: win(fn('RANK', []), { orderBy: [desc(fn('SUM', [col('X')]))] }), alias: 'R' },
    ]);
    expect(s.groupBy).toEqual([col('G')]);
    expect(expr('SUM(SUM(x)) OVER (PARTITION BY MAX(y))')).toEqual(win(fn('SUM', [fn('SUM', [col('X')])]), { partitionBy: [fn('MAX', [col('Y')])] }));
  });

  it('parses windows in QUALIFY, ORDER BY and inside subqueries', () => {
    const rn = win(fn('ROW_NUMBER', []), { partitionBy: [col('A')], orderBy: [desc(col('B'))] });
    expect(select('SELECT a, b FROM t QUALIFY ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC) = 1').qualify).toEqual(bin('=', rn, num('1')));
    expect(select('SELECT a FROM t QUALIFY ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC) = 1 AND a > 0').qualify).toEqual(
      bin('AND', bin('=', rn, num('1')), bin('>', col('A'), num('0'))),
    );
    expect(subquery('SELECT a FROM t ORDER BY SUM(x) OVER (ORDER BY y) DESC NULLS FIRST, a').orderBy).toEqual([
      { expr: win(fn('SUM', [col('X')]), { orderBy: [asc(col('Y'))] }), desc: true, nullsFirst: true },
      asc(col('A')),
    ]);
    expect(expr('(SELECT MAX(r) FROM (SELECT RANK() OVER (ORDER BY a) AS r FROM t))')).toMatchObject({
      kind: 'subquery',
      query: { body: { from: { kind: 'derived', query: { body: { items: [{ expr: { kind: 'window', fn: { name: 'RANK' } }, alias: 'R' }] } } } } },
    });
  });

  it('parses subqueries and windows inside an OVER clause', () => {
    expect(expr('SUM(x) OVER (PARTITION BY (SELECT 1))')).toEqual(
      win(fn('SUM', [col('X')]), { partitionBy: [{ kind: 'subquery', query: subquery('SELECT 1') }] }),
    );
  });

  it('reads GROUPING(...) as an ordinary function call', () => {
    expect(expr('GROUPING(a, b)')).toEqual(fn('GROUPING', [col('A'), col('B')]));
    expect(select('SELECT a FROM t GROUP BY ROLLUP (a) HAVING GROUPING(a) = 0').having).toEqual(bin('=', fn('GROUPING', [col('A')]), num('0')));
  });

  it('still reads OVER as a plain name when no call precedes it', () => {
    expect(expr('over')).toEqual(col('OVER'));
  });
});

describe('window calls: errors', () => {
  const failure = (sql: string) => {
    try {
      parseSql(sql);
    } catch (e) {
      if (e instanceof SqlSyntaxError) return { position: e.position, message: e.message };
      throw e;
    }
    throw new Error(`no error for ${sql}`);
  };

  it.each([
    ['SELECT LAG(x) IGNORE NULLS FROM t', 1, 28, "unexpected 'FROM'."],
    ['SELECT LAG(x) IGNORE NULLS', 1, 27, "unexpected '<EOF>'."],
    ['SELECT LAG(x IGNORE NULLS) IGNORE NULLS OVER (ORDER BY o) FROM t', 1, 28, "unexpected 'IGNORE'."],
    ['SELECT ARRAY_AGG(x IGNORE NULLS) FROM t', 1, 20, "unexpected 'IGNORE'."],
    ['SELECT LAG(IGNORE NULLS) OVER () FROM t', 1, 12, "unexpected 'IGNORE'."],
    ['SELECT x IGNORE NULLS FROM t', 1, 10, "unexpected 'IGNORE'."],
    ['SELECT SUM(x) OVER FROM t', 1, 20, "unexpected 'FROM'."],
    ['SELECT SUM(x) OVER', 1, 19, "unexpected '<EOF>'."],
    ['SELECT (a) OVER (ORDER BY b) FROM t', 1, 12, "unexpected 'OVER'."],
    ['SELECT CAST(a AS INT) OVER (ORDER BY b) FROM t', 1, 23, "unexpected 'OVER'."],
    ['SELECT SUM(x) OVER (ORDER BY a) OVER (ORDER BY b) FROM t', 1, 33, "unexpected 'OVER'."],
    ['SELECT a,\n  SUM(x) OVER (ORDER BY a) ROWS\nFROM t', 2, 28, "unexpected 'ROWS'."],
  ])('%j', (sql, line, column, message) => {
    const { position, message: full } = failure(sql);
    expect(position).toEqual({ line, column });
    expect(full).toBe(`SQL compilation error: syntax error line ${line} at position ${column}: ${message}`);
  });

  it.each([
    ['SUM(x) OVER w', /Named windows/],
    ['s.fn(x) OVER ()', /Qualified function names/],
  ])('%s is NotSupportedError', (sql, message) => {
    expect(() => expr(sql)).toThrow(NotSupportedError);
    expect(() => expr(sql)).toThrow(message);
  });
});
