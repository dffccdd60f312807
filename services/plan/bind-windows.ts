/**
 * The window binder: binds `fn(...) OVER (...)` calls found in the select list, QUALIFY and
 * ORDER BY of a query, over the columns the Window node reads (the aggregate's output in an
 * aggregate query, else the FROM/WHERE columns).
 *
 * Contract: the Window node outputs its input columns followed by one column per call, so
 * every expression bound before windows keeps its column positions; a window call becomes
 * a reference to its own column (identical calls are shared). Arguments, PARTITION BY and
 * ORDER BY are bound by `inner` (the binder of the Window node's input); ORDER BY gets
 * Snowflake's NULL placement defaults; frame offsets become the ORDER BY key's physical unit.
 * LISTAGG, ARRAY_AGG and OBJECT_AGG bind as their aggregates do (collectCall).
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { WindowFn, type FrameBound, type WindowCall } from '../../warehouse/fragment/window-call.js';
import { resolveFrame } from '../../warehouse/execute/window/resolve-frame.js';
import { windowResultType } from '../../warehouse/execute/window/window-result-type.js';
import type { Expr, FrameBoundSpec } from '../sql/ast.js';
import { castTo, type AggregateHook, type ExprBinder } from './bind-expr.js';
import { bindExtraWindow } from './bind-window-extras.js';
import { exprKey } from '../../warehouse/fragment/bound-expr-walk.js';
import { exprText } from './expr-text.js';
import { orderable } from './variant-order.js';

export class WindowBinder {
  readonly calls: WindowCall[] = [];
  private readonly keys: string[] = [];

  /**
   * `inputWidth`: columns of the Window node's input; `inner` binds over them. `nested`: the
   * binder of the window calls inside a CONDITIONAL_*_EVENT argument (Snowflake's LAG / LEAD
   * there), a Window node of their own below this one (bind-query.ts); null: none allowed.
   */
  constructor(
    private readonly inputWidth: number,
    private readonly inner: () => ExprBinder,
    readonly nested: WindowBinder | null = null,
  ) {}

  /** Rewrites every expression of the calls bound so far (arguments, PARTITION BY, ORDER BY), nested calls too. */
  mapExprs(f: (e: BoundExpr) => BoundExpr): void {
    this.nested?.mapExprs(f);
    for (let k = 0; k < this.calls.length; k++) {
      const c = this.calls[k];
      this.calls[k] = { ...c, args: c.args.map(f), partitionBy: c.partitionBy.map(f), orderBy: c.orderBy.map((o) => ({ ...o, expr: f(o.expr) })) };
    }
  }

  /** A window call, its frame checked, shared with an identical call, as a column reference. */
  private register(call: WindowCall): BoundExpr {
    resolveFrame(call);
    const key = exprKey(call);
    let k = this.keys.indexOf(key);
    if (k < 0) {
      k = this.calls.push(call) - 1;
      this.keys.push(key);
    }
    return { kind: 'column', index: this.inputWidth + k, type: call.type };
  }

  /** A hook for ExprBinder: binds window calls, leaves everything else alone. */
  readonly hook: AggregateHook = (e, outer) => (e.kind === 'window' ? this.bindWindow(e, outer) : null);

  private bindWindow(w: Extract<Expr, { kind: 'window' }>, outer: ExprBinder): BoundExpr {
    const extra = bindExtraWindow(w, this.inner(), (f, t) => ({ units: f.units, start: frameBound(f.start, t, f.units), end: frameBound(f.end, t, f.units) }), this.nested?.hook ?? null);
    if (extra !== null) return extra.kind === 'rewrite' ? outer.bind(extra.expr) : this.register(extra.call);
    // WindowFn's keys are the SQL names (COUNT(*) is its own function).
    const fn: WindowFn | undefined = w.fn.star && w.fn.name === 'COUNT' ? 'count_star' : w.fn.name === 'COUNT_STAR' ? undefined : (WindowFn as Record<string, WindowFn>)[w.fn.name];
    if (!fn) throw new NotSupportedError(`Window function ${w.fn.name}`);
    const collect = fn === 'listagg' || fn === 'array_agg' || fn === 'object_agg';
    if (w.fn.distinct && !collect) throw new NotSupportedError(`${w.fn.name}(DISTINCT ...) OVER`);
    const inner = this.inner();
    const partitionBy = w.partitionBy.map((p) => inner.bind(p));
    const orderBy = w.orderBy.map((o) => ({ expr: orderable(inner.bind(o.expr)), desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc }));
    const frame = w.frame
      ? { units: w.frame.units, start: frameBound(w.frame.start, orderBy[0]?.expr.type, w.frame.units), end: frameBound(w.frame.end, orderBy[0]?.expr.type, w.frame.units) }
      : null;
    let call: WindowCall;
    if (collect) {
      call = { ...collectCall(w, fn, inner), partitionBy, orderBy, frame };
    } else {
      if (w.fn.withinGroup) throw new NotSupportedError(`WITHIN GROUP on ${w.fn.name}`);
      let args = w.fn.args.map((a) => inner.bind(a));
      if ((fn === 'lag' || fn === 'lead') && args.length === 3) args = [args[0], args[1], castTo(args[2], args[0].type)];
      call = { fn, args, partitionBy, orderBy, frame, ignoreNulls: w.ignoreNulls, type: windowResultType(fn, args.map((a) => a.type)) };
    }
    return this.register(call);
  }
}

/**
 * LISTAGG, ARRAY_AGG and OBJECT_AGG over a window (frame-collect.ts): the argument cast to its
 * text form as the aggregates bind it (bind-aggregates.ts), LISTAGG's constant delimiter, and
 * the WITHIN GROUP keys appended to the arguments. As in Snowflake, DISTINCT and WITHIN GROUP
 * come only with an OVER clause without ORDER BY (ARRAY_AGG's ORDER BY orders its values).
 */
function collectCall(w: Extract<Expr, { kind: 'window' }>, fn: 'listagg' | 'array_agg' | 'object_agg', inner: ExprBinder): Omit<WindowCall, 'partitionBy' | 'orderBy' | 'frame'> {
  const e = w.fn;
  const max = fn === 'array_agg' ? 1 : 2;
  const min = fn === 'object_agg' ? 2 : 1;
  if (e.args.length < min || e.args.length > max) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name} takes ${min === max ? min : `${min} or ${max}`} arguments, got ${e.args.length}`);
  }
  if (w.ignoreNulls) throw new NotSupportedError(`IGNORE NULLS on ${e.name}`);
  if (fn === 'object_agg' && e.withinGroup) throw new NotSupportedError('WITHIN GROUP on OBJECT_AGG');
  if (w.orderBy.length > 0 && (e.distinct || e.withinGroup)) {
    throw new CompilationError('SYNTAX', `SQL compilation error: ${e.name} with ${e.distinct ? 'DISTINCT' : 'WITHIN GROUP'} as a window function takes no ORDER BY in OVER`);
  }
  const keys = e.withinGroup ?? [];
  const args = fn === 'object_agg'
    ? [castTo(inner.bind(e.args[0]), Types.varchar), castTo(inner.bind(e.args[1]), Types.variant)]
    : [castTo(inner.bind(e.args[0]), fn === 'array_agg' ? Types.variant : Types.varchar), ...keys.map((k) => orderable(inner.bind(k.expr)))];
  let delimiter: string | undefined;
  if (fn === 'listagg') {
    const d = e.args.length > 1 ? inner.bind(e.args[1]) : null;
    if (d !== null && d.kind !== 'literal') throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: the delimiter of LISTAGG must be a constant: ${exprText(e)}`);
    delimiter = d === null || d.value === null ? '' : String(d.value);
  }
  return {
    fn,
    args,
    type: windowResultType(fn, args.map((a) => a.type)),
    distinct: e.distinct,
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(keys.length > 0 ? { withinGroup: keys.map((k) => ({ desc: k.desc, nullsFirst: k.nullsFirst ?? k.desc })) } : {}),
  };
}

/** A frame bound with its offset in the ORDER BY key's physical unit (see window-call.ts). */
function frameBound(b: FrameBoundSpec, orderType: DataType | undefined, units: 'ROWS' | 'RANGE'): FrameBound {
  if (b.kind !== 'preceding' && b.kind !== 'following') return b;
  const n = Number(b.offset);
  if (!Number.isFinite(n) || n < 0) throw new CompilationError('SYNTAX', `SQL compilation error: invalid window frame offset ${b.offset}`);
  let offset = n;
  if (units === 'RANGE' && orderType?.kind === 'NUMBER') offset = Math.round(n * 10 ** orderType.scale);
  if (units === 'RANGE' && orderType?.kind === 'TIMESTAMP_NTZ') throw new NotSupportedError('RANGE frames with numeric offsets over TIMESTAMP_NTZ (use INTERVAL)');
  return { kind: b.kind, offset };
}
