/**
 * The SQL text of an expression, used to name unaliased result columns the way Snowflake
 * does (`SELECT COUNT(*), SUM(fare)` gives columns "COUNT(*)" and "SUM(FARE)").
 */
import type { Expr } from '../sql/ast.js';

const PRECEDENCE: Record<string, number> = {
  OR: 1, AND: 2, '=': 3, '<>': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, 'IS DISTINCT FROM': 3, 'IS NOT DISTINCT FROM': 3,
  '||': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};

/** An operand of `op`, parenthesized when it binds looser (or equally, on the right). */
function operand(e: Expr, op: string, right: boolean): string {
  const text = exprText(e);
  if (e.kind !== 'binary') return text;
  const inner = PRECEDENCE[e.op];
  const outer = PRECEDENCE[op];
  return inner < outer || (right && inner === outer) ? `(${text})` : text;
}

export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'column':
      return e.table ? `${e.table}.${e.name}` : e.name;
    case 'star':
      return e.table ? `${e.table}.*` : '*';
    case 'number':
      return e.text;
    case 'string':
      return `'${e.value.replace(/'/g, "''")}'`;
    case 'boolean':
      return e.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'typed_literal':
      return e.type.name === 'X' ? `X'${e.value}'` : `${e.type.name} '${e.value}'`;
    case 'binary':
      return `${operand(e.left, e.op, false)} ${e.op} ${operand(e.right, e.op, true)}`;
    case 'unary':
      return e.op === 'NOT' ? `NOT ${exprText(e.expr)}` : `${e.op}${exprText(e.expr)}`;
    case 'function':
      return `${e.name}(${e.distinct ? 'DISTINCT ' : ''}${e.star ? '*' : e.args.map(exprText).join(', ')})`;
    case 'case':
      return `CASE${e.operand ? ` ${exprText(e.operand)}` : ''}${e.whens.map((w) => ` WHEN ${exprText(w.when)} THEN ${exprText(w.then)}`).join('')}${e.else ? ` ELSE ${exprText(e.else)}` : ''} END`;
    case 'cast':
      return `${e.try ? 'TRY_CAST' : 'CAST'}(${exprText(e.expr)} AS ${e.type.name}${e.type.params.length ? `(${e.type.params.join(',')})` : ''})`;
    case 'in_list':
      return `${exprText(e.expr)}${e.negated ? ' NOT' : ''} IN (${e.list.map(exprText).join(', ')})`;
    case 'between':
      return `${exprText(e.expr)}${e.negated ? ' NOT' : ''} BETWEEN ${exprText(e.low)} AND ${exprText(e.high)}`;
    case 'like':
      return `${exprText(e.expr)}${e.negated ? ' NOT' : ''} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${exprText(e.pattern)}${e.escape ? ` ESCAPE ${exprText(e.escape)}` : ''}`;
    case 'like_quantified':
      return `${exprText(e.expr)} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${e.quantifier} (${e.patterns.map(exprText).join(', ')})${e.escape ? ` ESCAPE ${exprText(e.escape)}` : ''}`;
    case 'is_null':
      return `${exprText(e.expr)} IS${e.negated ? ' NOT' : ''} NULL`;
    case 'interval':
      return `INTERVAL '${e.value} ${e.unit}'`;
    case 'variable':
    case 'variable_value':
      return `$${e.name}`;
    case 'nextval':
      return `${e.sequence.parts.join('.')}.NEXTVAL`;
    case 'subquery':
      return '(subquery)';
    case 'exists':
      return `${e.negated ? 'NOT ' : ''}EXISTS (subquery)`;
    case 'in_subquery':
      return `${exprText(e.expr)}${e.negated ? ' NOT' : ''} IN (subquery)`;
    case 'quantified':
      return `${exprText(e.expr)} ${e.op} ${e.quantifier} (subquery)`;
    case 'window': {
      const parts = [
        ...(e.partitionBy.length ? [`PARTITION BY ${e.partitionBy.map(exprText).join(', ')}`] : []),
        ...(e.orderBy.length ? [`ORDER BY ${e.orderBy.map((o) => `${exprText(o.expr)}${o.desc ? ' DESC' : ''}`).join(', ')}`] : []),
      ];
      return `${exprText(e.fn)} OVER (${parts.join(' ')})`;
    }
  }
}
