/**
 * EXPLAIN text: the optimized logical plan as an indented tree, with each scan's pushed
 * filter, columns read, pruning predicate and partitions scanned/total, and the optimizer
 * rules that fired (by their stable names).
 */
import { hexOfBytes } from '../../storage/types/binary-text.js';
import { formatDate, formatDecimal, formatTime, formatTimestampNanos } from '../../storage/types/value-text.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { planColumns, type LogicalPlan } from './logical-plan.js';

export function explainPlan(plan: LogicalPlan, appliedRules: string[]): string[] {
  const lines: string[] = [];
  walk(plan, 0, lines);
  lines.push(`optimizer rules applied: ${appliedRules.length ? appliedRules.join(', ') : '(none)'}`);
  return lines;
}

function walk(p: LogicalPlan, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const names =
    'input' in p ? planColumns(p.input).map((c) => c.name) : p.kind === 'join' ? [...planColumns(p.left), ...planColumns(p.right)].map((c) => c.name) : [];
  switch (p.kind) {
    case 'scan': {
      const t = p.table;
      const cols = p.columns.map((i) => t.columns[i].name);
      out.push(`${pad}TableScan ${t.database}.${t.schema}.${t.name} @v${p.version} columns=[${cols.join(', ')}]${p.rowIds ? ' with row ids' : ''}`);
      if (p.filter) out.push(`${pad}  filter: ${exprText(p.filter, cols)}`);
      if (p.pruning) {
        out.push(`${pad}  pruning predicate: ${p.pruning.predicate ?? '(none)'}`);
        out.push(`${pad}  partitions: scanned=${p.pruning.partitionsScanned} total=${p.pruning.partitionsTotal}`);
      }
      return;
    }
    case 'values':
      out.push(`${pad}Values rows=${p.rows.length} columns=[${p.columns.map((c) => c.name).join(', ')}]`);
      return;
    case 'batches':
      out.push(`${pad}Batches rows=${p.batches.reduce((n, b) => n + b.length, 0)} columns=[${p.columns.map((c) => c.name).join(', ')}]`);
      return;
    case 'recursive_cte':
    case 'working_table':
      out.push(`${pad}${p.kind === 'recursive_cte' ? 'RecursiveCte' : 'WorkingTable'} ${p.name} columns=[${p.columns.map((c) => c.name).join(', ')}]`);
      return;
    case 'recursive_union':
      out.push(`${pad}RecursiveUnion ${p.name} columns=[${p.columns.map((c) => c.name).join(', ')}]`);
      out.push(`${pad}  anchor:`);
      walk(p.anchor, depth + 2, out);
      out.push(`${pad}  recursive step:`);
      walk(p.recursive, depth + 2, out);
      return;
    case 'split_to_table':
      out.push(`${pad}SplitToTable ${exprText(p.string, names)} BY ${exprText(p.delimiter, names)}`);
      break;
    case 'sequence':
      out.push(`${pad}NextVal [${p.sequences.map((s) => `${s.name}.NEXTVAL`).join(', ')}]`);
      break;
    case 'flatten':
      out.push(`${pad}Flatten ${exprText(p.expr, names)}${flattenOptions(p)}`);
      break;
    case 'generator':
      out.push(`${pad}Generator rowcount=${p.rowCount ?? '(none)'}${p.timeLimitMs !== null ? ` timelimit=${p.timeLimitMs / 1000}s` : ''}`);
      return;
    case 'filter':
      out.push(`${pad}Filter ${exprText(p.predicate, names)}`);
      break;
    case 'project':
      out.push(`${pad}Project [${p.exprs.map((e, i) => `${exprText(e, names)} AS ${p.names[i]}`).join(', ')}]`);
      break;
    case 'aggregate':
      out.push(
        `${pad}Aggregate group=[${p.groupBy.map((e) => exprText(e, names)).join(', ')}] aggregates=[${p.aggregates
          .map((a) => `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${a.arg ? exprText(a.arg, names) : a.fn === 'count_star' ? '*' : ''}${(a.args ?? []).map((e) => `, ${exprText(e, names)}`).join('')})`)
          .join(', ')}]`,
      );
      break;
    case 'sort':
      out.push(`${pad}Sort [${p.keys.map((k) => `${exprText(k.expr, names)} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}]`);
      break;
    case 'limit':
      out.push(`${pad}Limit ${p.limit ?? 'ALL'}${p.offset ? ` OFFSET ${p.offset}` : ''}`);
      break;
    case 'window':
      out.push(
        `${pad}Window [${p.calls
          .map((c) => `${c.aggregate?.fn ?? c.fn}(${c.args.map((a) => exprText(a, names)).join(', ')}) OVER (PARTITION BY ${c.partitionBy.map((e) => exprText(e, names)).join(', ') || '-'} ORDER BY ${c.orderBy.map((k) => exprText(k.expr, names)).join(', ') || '-'})`)
          .join(', ')}]`,
      );
      break;
    case 'join':
      out.push(`${pad}Join ${p.joinType}${p.condition ? ` ON ${exprText(p.condition, names)}` : ''}`);
      walk(p.left, depth + 1, out);
      walk(p.right, depth + 1, out);
      return;
    case 'set_operation':
      out.push(`${pad}${p.op}${p.all ? ' ALL' : ''}`);
      walk(p.left, depth + 1, out);
      walk(p.right, depth + 1, out);
      return;
  }
  walk(p.input, depth + 1, out);
}

/** A bound expression as SQL-ish text, with column positions shown by their input names. */
export function exprText(e: BoundExpr, names: string[]): string {
  const t = (x: BoundExpr) => exprText(x, names);
  switch (e.kind) {
    case 'column':
      return names[e.index] ?? `#${e.index}`;
    case 'literal':
      if (e.value === null) return 'NULL';
      if (e.type.kind === 'NUMBER') return formatDecimal(e.value as bigint, e.type.scale);
      if (e.type.kind === 'DATE') return `DATE '${formatDate(e.value as number)}'`;
      if (e.type.kind === 'TIMESTAMP_NTZ') return `TIMESTAMP '${formatTimestampNanos(e.value as bigint)}'`;
      if (e.type.kind === 'TIME') return `TIME '${formatTime(e.value as number)}'`;
      if (e.type.kind === 'BINARY') return `X'${hexOfBytes(e.value as string)}'`;
      if (typeof e.value === 'string') return `'${e.value.replace(/'/g, "''")}'`;
      return String(e.value).toUpperCase();
    case 'call':
      return `${e.fn}(${e.args.map(t).join(', ')})`;
    case 'cast':
      return `${e.try ? 'TRY_CAST' : 'CAST'}(${t(e.expr)} AS ${e.type.kind})`;
    case 'case':
      return `CASE${e.whens.map((w) => ` WHEN ${t(w.when)} THEN ${t(w.then)}`).join('')}${e.else ? ` ELSE ${t(e.else)}` : ''} END`;
    case 'in_list':
      return `${t(e.expr)}${e.negated ? ' NOT' : ''} IN (${e.list.map(t).join(', ')})`;
    case 'is_null':
      return `${t(e.expr)} IS${e.negated ? ' NOT' : ''} NULL`;
    case 'like':
      return `${t(e.expr)}${e.negated ? ' NOT' : ''} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${t(e.pattern)}`;
    case 'and':
    case 'or':
      return `(${e.args.map(t).join(` ${e.kind.toUpperCase()} `)})`;
    case 'not':
      return `NOT ${t(e.expr)}`;
    case 'param':
      return `$subquery${e.id}`;
    case 'nextval':
      return `${e.name}.NEXTVAL`;
  }
}

/** FLATTEN's arguments other than INPUT, as EXPLAIN shows them (only those not at their default). */
export function flattenOptions(p: { path: string; outer: boolean; recursive: boolean; mode: string }): string {
  return `${p.path !== '' ? ` path='${p.path}'` : ''}${p.outer ? ' outer' : ''}${p.recursive ? ' recursive' : ''}${p.mode !== 'BOTH' ? ` mode=${p.mode}` : ''}`;
}
