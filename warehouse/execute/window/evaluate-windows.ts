/**
 * Window functions over one batch holding every input row (the planner gathers the input
 * first): one result column per WindowCall, in input row order.
 *
 * Contract: calls with the same PARTITION BY and ORDER BY share one layout (window-layout.ts:
 * one sort permutation, partition and peer boundaries found once); calls with the same frame
 * share its bounds (frame-bounds.ts). Each function is then one linear pass over the sorted
 * positions (ranking-functions, lag-lead, first-last-value, frame-min-max, frame-aggregate,
 * frame-collect)
 * whose results land on the input rows. Frames follow resolve-frame.ts (Snowflake's defaults;
 * bad frames are CompilationErrors). Expressions (keys and arguments) are evaluated once per
 * distinct expression through the injected ExprEvaluator. Zero rows give zero-row columns.
 * NTH_VALUE (nth-value), the CONDITIONAL_*_EVENT functions (conditional-event) and any other
 * aggregate over the whole partition (partition-aggregate) are passes of the same kind.
 */
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import type { WindowCall, WindowFrame } from '../../fragment/window-call.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { nullVector } from '../batch/null-vector.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { conditionalEvent } from './conditional-event.js';
import { firstLastValue } from './first-last-value.js';
import { frameAggregate } from './frame-aggregate.js';
import { frameCollect } from './frame-collect.js';
import { frameBounds, type FrameBounds, type RangeKey } from './frame-bounds.js';
import { frameMinMax } from './frame-min-max.js';
import { integerArgument } from './integer-argument.js';
import { lagLead } from './lag-lead.js';
import { nthValue } from './nth-value.js';
import { partitionAggregate } from './partition-aggregate.js';
import { rankingFunction } from './ranking-functions.js';
import { resolveFrame } from './resolve-frame.js';
import { windowLayout, type WindowLayout } from './window-layout.js';
import { windowResultType } from './window-result-type.js';

export function evaluateWindows(batch: Batch, calls: readonly WindowCall[], evaluate: ExprEvaluator = evaluateExpr): Vector[] {
  for (const c of calls) windowResultType(c.fn, c.args.map((a) => a.type), c.aggregate);
  const frames = calls.map(resolveFrame);
  const n = batch.length;
  if (n === 0) return calls.map((c) => nullVector(c.type, 0));
  const values = new ExprCache(batch, evaluate);
  const results = new Array<Vector>(calls.length);
  const bySpec = new Map<string, number[]>();
  calls.forEach((c, i) => {
    const key = exprKey([c.partitionBy, c.orderBy]);
    const group = bySpec.get(key);
    if (group === undefined) bySpec.set(key, [i]);
    else group.push(i);
  });
  for (const group of bySpec.values()) {
    const spec = calls[group[0]];
    const orderKeys = spec.orderBy.map((k) => values.get(k.expr));
    const layout = windowLayout(
      spec.partitionBy.map((e) => values.get(e)),
      spec.partitionBy.map((e) => e.type),
      orderKeys,
      spec.orderBy,
      n,
    );
    const rangeKey: RangeKey | null = orderKeys.length === 1 ? { vector: orderKeys[0], order: spec.orderBy[0] } : null;
    const boundsByFrame = new Map<string, FrameBounds>();
    const boundsOf = (frame: WindowFrame): FrameBounds => {
      const key = exprKey(frame);
      let b = boundsByFrame.get(key);
      if (b === undefined) boundsByFrame.set(key, (b = frameBounds(layout, frame, rangeKey)));
      return b;
    };
    for (const i of group) results[i] = evaluateCall(calls[i], frames[i], layout, values, boundsOf);
  }
  return results;
}

function evaluateCall(
  call: WindowCall,
  frame: WindowFrame | null,
  layout: WindowLayout,
  values: ExprCache,
  boundsOf: (frame: WindowFrame) => FrameBounds,
): Vector {
  const args = call.args;
  const argVector = (i: number): Vector => values.get(args[i]);
  const framed = (): FrameBounds => boundsOf(frame!);
  switch (call.fn) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
      return rankingFunction(call.fn, layout, null);
    case 'ntile':
      return rankingFunction('ntile', layout, integerArgument(argVector(0), args[0].type, 'ntile', 'bucket count'));
    case 'cume_dist':
    case 'percent_rank':
      return rankingFunction(call.fn, layout, null);
    case 'nth_value':
      return nthValue(layout, framed(), {
        arg: argVector(0),
        n: integerArgument(argVector(1), args[1].type, 'nth_value', 'n'),
        fromLast: call.fromLast === true,
        ignoreNulls: call.ignoreNulls === true,
      });
    case 'conditional_true_event':
    case 'conditional_change_event':
      return conditionalEvent(call.fn, layout, argVector(0));
    case 'aggregate':
      return partitionAggregate(call.aggregate!, layout, args.map((_, i) => argVector(i)), args);
    case 'lag':
    case 'lead':
      return lagLead(call.fn, call.type, layout, {
        arg: argVector(0),
        offsets: args.length > 1 ? integerArgument(argVector(1), args[1].type, call.fn, 'offset') : null,
        defaults: args.length > 2 ? argVector(2) : null,
        ignoreNulls: call.ignoreNulls === true,
      });
    case 'first_value':
    case 'last_value':
      return firstLastValue(call.fn, layout, argVector(0), framed(), call.ignoreNulls === true);
    case 'min':
    case 'max':
      return frameMinMax(call.fn === 'max', layout, argVector(0), framed());
    case 'count_star':
      return frameAggregate('count_star', call.type, layout, null, call.type, framed());
    case 'count':
    case 'sum':
    case 'avg':
      return frameAggregate(call.fn, call.type, layout, argVector(0), args[0].type, framed());
    case 'listagg':
    case 'array_agg':
    case 'object_agg':
      return frameCollect(call, layout, args.map((_, i) => argVector(i)), framed());
  }
}

/** Each distinct expression evaluated once over the batch. */
class ExprCache {
  private readonly cache = new Map<string, Vector>();

  constructor(
    private readonly batch: Batch,
    private readonly evaluate: ExprEvaluator,
  ) {}

  get(expr: BoundExpr): Vector {
    const key = exprKey(expr);
    let v = this.cache.get(key);
    if (v === undefined) this.cache.set(key, (v = this.evaluate(expr, this.batch)));
    return v;
  }
}

/** Structural identity of plain IR data (display names ignored, bigint literals kept apart from numbers). */
function exprKey(x: unknown): string {
  return JSON.stringify(x, (k, v) => (k === 'name' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
}
