/**
 * EXPLAIN text of a physical plan: every stage, root first, with its id, its tasks and the
 * workers that run them, how its output is distributed, its estimated rows, the stages it
 * reads and its runtime filters, then its operator tree indented, each operator with its key
 * details (scan: table, columns, filter, limit, partitions scanned/total and the pruning
 * predicate; join: type, build side, keys; aggregate: phase, group keys, aggregates; sort
 * and top-N keys; limit and offset; window calls; set operation).
 *
 * Contract: expressions print as explain-plan.ts's exprText, with column positions shown by
 * the names of the operator's input columns: table column names from scans; a projected
 * column keeps its input's name when it is a plain column, else its expression's text; an
 * exchange source has the names of its producing stage's output.
 */
import type { AggregateCall, BoundExpr, SortKey } from '../../warehouse/fragment/bound-expr.js';
import { isRowFlagJoin, type JoinKey } from '../../warehouse/execute/join/join-spec.js';
import { aggregateStateTypes } from '../../warehouse/execute/aggregate/partial-state-types.js';
import type { WindowCall } from '../../warehouse/fragment/window-call.js';
import type { ExecNode, Stage, StageOutput, StagePlan } from '../../warehouse/fragment/stage-plan.js';
import { exprText, flattenOptions } from '../plan/explain-plan.js';
import { findScan } from './find-scan.js';

export function explainPhysical(plan: StagePlan): string[] {
  const names = new Map<number, string[]>();
  for (const s of plan.stages) names.set(s.id, columnNames(s.root, names));
  const lines: string[] = [];
  for (let i = plan.stages.length - 1; i >= 0; i--) {
    const s = plan.stages[i];
    lines.push(stageHeader(s, names.get(s.id)!));
    for (const f of s.runtimeFilters) {
      const probe = plan.stages[f.probeStage];
      const scan = probe ? findScan(probe.root) : null;
      const column = scan ? scan.tableColumns[scan.scanColumns[f.probeColumn]]?.name : undefined;
      lines.push(`  runtime filter: ${exprText(f.key, names.get(s.id)!)} -> stage ${f.probeStage} scan column ${column ?? `#${f.probeColumn}`}`);
    }
    operator(s.root, s, 1, names, lines);
  }
  return lines;
}

function stageHeader(s: Stage, out: string[]): string {
  const workers = s.tasks === 1 ? 'worker 0' : `workers 0-${s.tasks - 1}`;
  const inputs = s.inputs.length > 0 ? ` inputs=[${s.inputs.join(', ')}]` : '';
  return `Stage ${s.id} tasks=${s.tasks} on ${workers} output=${outputText(s.output, out)} estimated rows=${s.estimatedRows}${inputs}`;
}

function outputText(o: StageOutput, names: string[]): string {
  if (o.kind === 'hash') return `hash(${o.keys.map((k) => exprText(k, names)).join(', ')})`;
  if (o.kind === 'range') return `range(${exprText(o.key, names)} from ${o.bounds.join(', ')})`;
  return o.kind;
}

function children(n: ExecNode): ExecNode[] {
  switch (n.kind) {
    case 'hash_join_exec':
    case 'mark_join_exec':
    case 'set_op_exec':
      return [n.left, n.right];
    case 'mark_combine_exec':
      return [n.left, n.marks];
    case 'scan_exec':
    case 'values_exec':
    case 'batches_exec':
    case 'generator_exec':
    case 'exchange_source_exec':
      return [];
    default:
      return [n.input];
  }
}

/** The display names of a node's output columns. */
function columnNames(n: ExecNode, stages: Map<number, string[]>): string[] {
  const of = (c: ExecNode) => columnNames(c, stages);
  switch (n.kind) {
    case 'scan_exec': {
      const read = n.scanColumns.map((i) => n.tableColumns[i].name);
      const out = n.output === undefined ? read : n.output.map((i) => read[i]);
      return n.rowIds ? [...out, '$partition', '$row'] : out;
    }
    case 'batches_exec':
      return n.source?.names ?? n.types.map((_, i) => `COLUMN${i + 1}`);
    case 'values_exec':
      return n.types.map((_, i) => `COLUMN${i + 1}`);
    case 'generator_exec':
      return ['$ROW'];
    case 'split_to_table_exec':
      return [...of(n.input), 'SEQ', 'INDEX', 'VALUE'];
    case 'nextval_exec':
      return [...of(n.input), ...n.names.map((name) => `${name}.NEXTVAL`)];
    case 'flatten_exec':
      return [...of(n.input), 'SEQ', 'KEY', 'PATH', 'INDEX', 'VALUE', 'THIS'];
    case 'exchange_source_exec':
      return stages.get(n.stage) ?? n.types.map((_, i) => `#${i}`);
    case 'filter_exec':
    case 'sort_exec':
    case 'top_n_exec':
    case 'limit_exec':
      return of(n.input);
    case 'project_exec': {
      const input = of(n.input);
      return n.exprs.map((e) => (e.kind === 'column' ? (input[e.index] ?? `#${e.index}`) : exprText(e, input)));
    }
    case 'hash_join_exec': {
      const left = of(n.left);
      if (n.spec.type === 'MARK') return [...left, '$mark'];
      return isRowFlagJoin(n.spec.type) ? left : [...left, ...of(n.right)];
    }
    case 'mark_join_exec':
      return ['$mark'];
    case 'mark_combine_exec': {
      const left = of(n.left);
      return n.joinType === 'MARK' || n.joinType === 'NULL_AWARE_MARK' ? [...left, '$mark'] : left;
    }
    case 'hash_aggregate_exec': {
      const input = of(n.input);
      const groups = n.groupBy.map((g) => (g.kind === 'column' ? (input[g.index] ?? `#${g.index}`) : exprText(g, input)));
      if (n.phase === 'partial') return [...groups, ...n.aggregates.flatMap((a) => aggregateStateTypes(a).map((_, j) => `${aggregateText(a, input)}[${j}]`))];
      return [...groups, ...aggregateTexts(n, input)];
    }
    case 'window_exec': {
      const input = of(n.input);
      return [...input, ...n.calls.map((c) => windowText(c, input))];
    }
    case 'set_op_exec':
      return of(n.left);
    case 'write_exec':
    case 'rewrite_exec':
    case 'unload_exec':
      return [];
  }
}

function operator(n: ExecNode, stage: Stage, depth: number, stages: Map<number, string[]>, out: string[]): void {
  const pad = '  '.repeat(depth);
  const input = (c: ExecNode) => columnNames(c, stages);
  const sortText = (keys: SortKey[], names: string[]) => `[${keys.map((k) => `${exprText(k.expr, names)} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}]`;
  switch (n.kind) {
    case 'scan_exec': {
      const names = n.scanColumns.map((i) => n.tableColumns[i].name);
      const output = n.output === undefined ? '' : ` output=[${input(n).join(', ')}]`;
      out.push(`${pad}ScanExec ${n.table} columns=[${names.join(', ')}]${n.filter ? ` filter=${exprText(n.filter, names)}` : ''}${output}${n.limit !== null ? ` limit=${n.limit}` : ''}${n.rowIds ? ' with row ids' : ''}`);
      const scan = n.every ?? stage.scan;
      if (scan) {
        const assign = n.every ? ', read whole by every task' : scan.assign ? ` assigned by ranges of ${scan.assign.column}` : '';
        out.push(`${pad}  partitions: scanned=${scan.units.length} total=${scan.partitionsTotal}${assign}`);
        if (scan.predicate !== null) out.push(`${pad}  pruning predicate: ${scan.predicate}`);
      }
      break;
    }
    case 'values_exec':
      out.push(`${pad}ValuesExec rows=${n.rows.length}`);
      break;
    case 'batches_exec':
      out.push(n.source ? `${pad}BatchesExec ${n.source.kind} ${n.source.name}` : `${pad}BatchesExec rows=${n.batches.reduce((r, b) => r + b.length, 0)}`);
      break;
    case 'split_to_table_exec':
      out.push(`${pad}SplitToTableExec ${exprText(n.string, input(n.input))} BY ${exprText(n.delimiter, input(n.input))}`);
      break;
    case 'flatten_exec':
      out.push(`${pad}FlattenExec ${exprText(n.expr, input(n.input))}${flattenOptions(n)}`);
      break;
    case 'nextval_exec':
      out.push(`${pad}NextValExec [${n.names.map((name) => `${name}.NEXTVAL`).join(', ')}]`);
      break;
    case 'generator_exec':
      out.push(`${pad}GeneratorExec rowcount=${n.rowCount ?? '(none)'}${n.timeLimitMs !== null ? ` timelimit=${n.timeLimitMs / 1000}s` : ''}`);
      break;
    case 'exchange_source_exec':
      out.push(`${pad}ExchangeSourceExec stage=${n.stage}${n.merge ? ` merge=${sortText(n.merge, input(n))}` : ''}`);
      break;
    case 'filter_exec':
      out.push(`${pad}FilterExec ${exprText(n.predicate, input(n.input))}`);
      break;
    case 'project_exec': {
      const names = input(n.input);
      out.push(`${pad}ProjectExec [${n.exprs.map((e) => exprText(e, names)).join(', ')}]`);
      break;
    }
    case 'hash_join_exec':
    case 'mark_join_exec': {
      const left = input(n.left);
      const right = input(n.right);
      const both = [...left, ...right];
      const s = n.spec;
      const key = (k: JoinKey) => `${exprText(k.left, left)} = ${exprText(k.right, right)}`;
      const label = n.kind === 'hash_join_exec' ? `HashJoinExec ${s.type}` : 'MarkJoinExec';
      const keys = s.keys.length > 0 ? ` keys=[${s.keys.map(key).join(', ')}]` : '';
      const inKey = s.inKey ? ` in=${key(s.inKey)}` : '';
      const residual = s.residual ? ` residual=${exprText(s.residual, both)}` : '';
      out.push(`${pad}${label} build=${s.buildSide}${keys}${inKey}${residual}`);
      break;
    }
    case 'mark_combine_exec':
      out.push(`${pad}MarkCombineExec ${n.joinType}`);
      break;
    case 'hash_aggregate_exec': {
      const names = input(n.input);
      out.push(`${pad}HashAggregateExec phase=${n.phase} group=[${n.groupBy.map((g) => exprText(g, names)).join(', ')}] aggregates=[${aggregateTexts(n, names).join(', ')}]`);
      break;
    }
    case 'sort_exec':
      out.push(`${pad}SortExec ${sortText(n.keys, input(n.input))}`);
      break;
    case 'top_n_exec':
      out.push(`${pad}TopNExec limit=${n.limit} ${sortText(n.keys, input(n.input))}`);
      break;
    case 'limit_exec':
      out.push(`${pad}LimitExec limit=${n.limit ?? 'ALL'}${n.offset ? ` offset=${n.offset}` : ''}`);
      break;
    case 'window_exec': {
      const names = input(n.input);
      out.push(`${pad}WindowExec [${n.calls.map((c) => windowText(c, names)).join(', ')}]`);
      break;
    }
    case 'set_op_exec':
      out.push(`${pad}SetOpExec ${n.op}${n.all ? ' ALL' : ''}`);
      break;
    case 'write_exec':
      out.push(`${pad}WriteExec columns=[${n.columns.map((c) => c.name).join(', ')}] clusterBy=[${n.clusterBy.map((i) => n.columns[i]?.name ?? `#${i}`).join(', ')}] partitionRows=${n.partitionRows}`);
      break;
    case 'rewrite_exec':
      out.push(`${pad}RewriteExec ${n.mode} candidates=${n.candidates.length} clusterBy=[${n.clusterBy.map((i) => n.columns[i]?.name ?? `#${i}`).join(', ')}]${n.clusterKeyChanged ? ' resort' : ''}`);
      break;
    case 'unload_exec':
      out.push(`${pad}UnloadExec ${n.target.format.type} columns=[${n.columns.map((c) => c.name).join(', ')}]${n.target.singleName !== null ? ' single' : ''}`);
      break;
  }
  for (const c of children(n)) operator(c, stage, depth + 1, stages, out);
}

/** `fn([DISTINCT ]arg)` over the input's names; a partial state column is named by its aggregate's text and `[state index]`. */
function aggregateText(a: AggregateCall, input: string[]): string {
  const arg = a.fn === 'count_star' ? '*' : a.arg ? exprText(a.arg, input) : '';
  const more = (a.args ?? []).map((e) => `, ${exprText(e, input)}`).join('');
  return `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${arg}${more})`;
}

/** The aggregates' texts; a final phase reads them off its input's partial state names (its calls' arguments are over the raw rows). */
function aggregateTexts(n: Extract<ExecNode, { kind: 'hash_aggregate_exec' }>, input: string[]): string[] {
  if (n.phase !== 'final') return n.aggregates.map((a) => aggregateText(a, input));
  let at = n.groupBy.length;
  return n.aggregates.map((a) => {
    const state = input[at];
    at += aggregateStateTypes(a).length;
    return state !== undefined && state.endsWith('[0]') ? state.slice(0, -3) : `${a.fn}(…)`;
  });
}

function windowText(c: WindowCall, names: string[]): string {
  const part = (e: BoundExpr) => exprText(e, names);
  const over = [
    ...(c.partitionBy.length ? [`PARTITION BY ${c.partitionBy.map(part).join(', ')}`] : []),
    ...(c.orderBy.length ? [`ORDER BY ${c.orderBy.map((k) => `${part(k.expr)}${k.desc ? ' DESC' : ''}`).join(', ')}`] : []),
  ];
  return `${c.aggregate?.fn ?? c.fn}(${c.args.map(part).join(', ')}) OVER (${over.join(' ')})`;
}
