/**
 * The inside of a window function's `OVER ( ... )`: `[PARTITION BY e, ...] [ORDER BY item,
 * ...] [ROWS|RANGE frame]`. The expression parser (convert-vendor-ast.ts) calls back into it
 * through SubParsers.parseWindowSpec. A frame may not start after its end (BOUND_ORDER).
 */
import { NotSupportedError, SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import type { FrameBoundSpec, WindowFrameSpec } from '../ast.js';
import type { WindowSpec } from '../convert-vendor-ast.js';
import { TokenKind } from '../tokenizer.js';
import { orderItem } from './order-item.js';
import { upperWord, type TokenCursor } from './token-cursor.js';

/** Words that may open a window frame after PARTITION BY / ORDER BY (ROWS is reserved; the others only before a bound). */
const FRAME_UNITS = new Set(['ROWS', 'RANGE', 'GROUPS']);

const FRAME_BOUND_STARTS = new Set(['BETWEEN', 'UNBOUNDED', 'CURRENT']);

/** Frame bounds in window order: a frame may not start at a later kind than it ends. */
const BOUND_ORDER: Record<FrameBoundSpec['kind'], number> = {
  unbounded_preceding: 0,
  preceding: 1,
  current_row: 2,
  following: 3,
  unbounded_following: 4,
};

/** The whole range (inside `OVER ( ... )`): `[PARTITION BY e, ...] [ORDER BY item, ...] [frame]`. */
export function windowSpec(c: TokenCursor): WindowSpec {
  const spec: WindowSpec = { partitionBy: [], orderBy: [], frame: null };
  if (c.acceptWord('PARTITION')) {
    c.expectWord('BY');
    const e = c.scanTo((w, i) => w === 'ORDER' || opensFrame(c, w, i));
    spec.partitionBy = c.splitCommas(c.pos, e).map(([a, b]) => c.expr(a, b));
    c.pos = e;
  }
  if (c.acceptWord('ORDER')) {
    c.expectWord('BY');
    const e = c.scanTo((w, i) => opensFrame(c, w, i));
    spec.orderBy = c.splitCommas(c.pos, e).map(([a, b]) => orderItem(c, a, b));
    c.pos = e;
  }
  const units = c.word();
  if (units === 'GROUPS') throw new NotSupportedError('GROUPS window frames');
  if (units === 'ROWS' || units === 'RANGE') {
    c.pos++;
    spec.frame = windowFrame(c, units);
  }
  if (c.isWord('EXCLUDE')) throw new NotSupportedError('EXCLUDE in window frames');
  c.expectEnd();
  return spec;
}

/** Whether the depth-0 word at i starts the frame: ROWS, or RANGE/GROUPS before a bound. */
function opensFrame(c: TokenCursor, w: string, i: number): boolean {
  if (!FRAME_UNITS.has(w)) return false;
  if (w === 'ROWS') return true;
  const next = i + 1 < c.end ? c.tokens[i + 1] : null;
  return next !== null && (next.kind === TokenKind.NUMBER || FRAME_BOUND_STARTS.has(upperWord(next) ?? ''));
}

/** `BETWEEN bound AND bound`, or one bound meaning `BETWEEN bound AND CURRENT ROW`. */
function windowFrame(c: TokenCursor, units: 'ROWS' | 'RANGE'): WindowFrameSpec {
  const between = c.acceptWord('BETWEEN');
  const startAt = c.pos;
  const start = frameBound(c, units);
  let end: FrameBoundSpec = { kind: 'current_row' };
  let endAt = startAt;
  if (between) {
    c.expectWord('AND');
    endAt = c.pos;
    end = frameBound(c, units);
  }
  const at = (i: number) => ({ line: c.tokens[i].line, column: c.tokens[i].column });
  if (start.kind === 'unbounded_following') throw new SqlSyntaxError('a window frame cannot start at UNBOUNDED FOLLOWING.', at(startAt));
  if (end.kind === 'unbounded_preceding') throw new SqlSyntaxError('a window frame cannot end at UNBOUNDED PRECEDING.', at(endAt));
  if (BOUND_ORDER[start.kind] > BOUND_ORDER[end.kind]) throw new SqlSyntaxError('a window frame cannot start after its end.', at(startAt));
  return { units, start, end };
}

/** `UNBOUNDED PRECEDING|FOLLOWING`, `CURRENT ROW` or `<n> PRECEDING|FOLLOWING` (ROWS: n an integer). */
function frameBound(c: TokenCursor, units: 'ROWS' | 'RANGE'): FrameBoundSpec {
  if (c.acceptWord('UNBOUNDED')) {
    if (c.acceptWord('PRECEDING')) return { kind: 'unbounded_preceding' };
    c.expectWord('FOLLOWING');
    return { kind: 'unbounded_following' };
  }
  if (c.acceptWord('CURRENT')) {
    c.expectWord('ROW');
    return { kind: 'current_row' };
  }
  const t = c.tok();
  if (c.isWord('INTERVAL')) throw new NotSupportedError('INTERVAL offsets in window frames');
  if (c.atEnd() || t.kind !== TokenKind.NUMBER || (units === 'ROWS' && !/^\d+$/.test(t.text))) throw c.fail();
  c.pos++;
  if (c.acceptWord('PRECEDING')) return { kind: 'preceding', offset: t.text };
  c.expectWord('FOLLOWING');
  return { kind: 'following', offset: t.text };
}
