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
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import type { DataType } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { WindowFn, type FrameBound, type WindowCall } from '../../warehouse/fragment/window-call.js';
import { resolveFrame } from '../../warehouse/execute/window/resolve-frame.js';
import { windowResultType } from '../../warehouse/execute/window/window-result-type.js';
import type { Expr, FrameBoundSpec } from '../sql/ast.js';
import { castTo, type AggregateHook, type ExprBinder } from './bind-expr.js';
import { exprKey } from './bound-expr-walk.js';

export class WindowBinder {
  readonly calls: WindowCall[] = [];
  private readonly keys: string[] = [];

  /** `inputWidth`: columns of the Window node's input; `inner` binds over them. */
  constructor(
    private readonly inputWidth: number,
    private readonly inner: () => ExprBinder,
  ) {}

  /** Rewrites every expression of the calls bound so far (arguments, PARTITION BY, ORDER BY). */
  mapExprs(f: (e: BoundExpr) => BoundExpr): void {
    for (let k = 0; k < this.calls.length; k++) {
      const c = this.calls[k];
      this.calls[k] = { ...c, args: c.args.map(f), partitionBy: c.partitionBy.map(f), orderBy: c.orderBy.map((o) => ({ ...o, expr: f(o.expr) })) };
    }
  }

  /** A hook for ExprBinder: binds window calls, leaves everything else alone. */
  readonly hook: AggregateHook = (e) => (e.kind === 'window' ? this.bindWindow(e) : null);

  private bindWindow(w: Extract<Expr, { kind: 'window' }>): BoundExpr {
    // WindowFn's keys are the SQL names (COUNT(*) is its own function).
    const fn: WindowFn | undefined = w.fn.star && w.fn.name === 'COUNT' ? 'count_star' : w.fn.name === 'COUNT_STAR' ? undefined : (WindowFn as Record<string, WindowFn>)[w.fn.name];
    if (!fn) throw new NotSupportedError(`Window function ${w.fn.name}`);
    if (w.fn.distinct) throw new NotSupportedError(`${w.fn.name}(DISTINCT ...) OVER`);
    const inner = this.inner();
    let args = w.fn.args.map((a) => inner.bind(a));
    const partitionBy = w.partitionBy.map((p) => inner.bind(p));
    const orderBy = w.orderBy.map((o) => ({ expr: inner.bind(o.expr), desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc }));
    if ((fn === 'lag' || fn === 'lead') && args.length === 3) args = [args[0], args[1], castTo(args[2], args[0].type)];
    const type = windowResultType(fn, args.map((a) => a.type));
    const frame = w.frame
      ? { units: w.frame.units, start: frameBound(w.frame.start, orderBy[0]?.expr.type, w.frame.units), end: frameBound(w.frame.end, orderBy[0]?.expr.type, w.frame.units) }
      : null;
    const call: WindowCall = { fn, args, partitionBy, orderBy, frame, ignoreNulls: w.ignoreNulls, type };
    resolveFrame(call);
    const key = exprKey(call);
    let k = this.keys.indexOf(key);
    if (k < 0) {
      k = this.calls.push(call) - 1;
      this.keys.push(key);
    }
    return { kind: 'column', index: this.inputWidth + k, type };
  }
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
