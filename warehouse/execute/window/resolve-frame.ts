/**
 * The frame a window call actually uses: Snowflake's defaults filled in, explicit frames
 * checked. The binder may call it to reject a bad frame at compile time; evaluate-windows
 * calls it again before computing.
 *
 * Default frames ("Usage notes for window frames",
 * https://docs.snowflake.com/en/sql-reference/functions-window-syntax, and the FIRST_VALUE /
 * LAST_VALUE pages, https://docs.snowflake.com/en/sql-reference/functions/first_value):
 *  - SUM, AVG, COUNT, MIN, MAX: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (the ANSI
 *    default; peers of the current row are included). Without ORDER BY every row of the
 *    partition is a peer, so that is the whole partition.
 *  - FIRST_VALUE, LAST_VALUE: ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING, the
 *    whole partition, even with ORDER BY. Snowflake documents this as a deliberate deviation
 *    from ANSI (DuckDB and PostgreSQL use the cumulative default here).
 *  - ROW_NUMBER, RANK, DENSE_RANK, NTILE, LAG, LEAD, CUME_DIST, PERCENT_RANK and the
 *    CONDITIONAL_*_EVENT functions take no frame: the result is null.
 *  - NTH_VALUE: as FIRST_VALUE (its page: "window_frame" as FIRST_VALUE's).
 *  - LISTAGG, OBJECT_AGG: the whole partition; Snowflake's window form is OVER ([PARTITION BY])
 *    only, so an ORDER BY or a frame in OVER is an error. ARRAY_AGG takes ORDER BY and frames
 *    with SUM's defaults (https://docs.snowflake.com/en/sql-reference/functions/array_agg).
 *  - Any other aggregate ('aggregate' calls: BOOLOR_AGG, MODE, CORR, MEDIAN, ...): the whole
 *    partition, the only form Firn computes; Snowflake documents OVER ([PARTITION BY ...]) for
 *    them, so ORDER BY or a frame is a CompilationError (VARIANCE, STDDEV and COUNT_IF, which
 *    Snowflake also runs over ordered frames, refuse them with NotSupportedError).
 *
 * Checks (CompilationError SYNTAX): a frame needs ORDER BY (Snowflake: "the ORDER BY clause
 * inside the OVER clause is required for window frame syntax"); the start may not be
 * UNBOUNDED FOLLOWING nor the end UNBOUNDED PRECEDING; the start may not come after the end
 * (`CURRENT ROW AND 1 PRECEDING`, `2 PRECEDING AND 4 PRECEDING`); offsets are finite and
 * non-negative, whole numbers for ROWS; a RANGE frame with an offset needs exactly one ORDER
 * BY key of type NUMBER, FLOAT, DATE or TIMESTAMP_NTZ.
 */
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import { typeToSql } from '../../../storage/types/data-type.js';
import type { FrameBound, WindowCall, WindowFrame } from '../../fragment/window-call.js';

const WHOLE_PARTITION: WindowFrame = { units: 'ROWS', start: { kind: 'unbounded_preceding' }, end: { kind: 'unbounded_following' } };
const CUMULATIVE: WindowFrame = { units: 'RANGE', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } };

/** Position of each bound kind along the partition, for the start <= end check. */
const BOUND_ORDER = { unbounded_preceding: 0, preceding: 1, current_row: 2, following: 3, unbounded_following: 4 } as const;

/** Aggregates Snowflake runs over ordered frames too, which Firn computes over the whole partition only. */
const FRAMED_AGGREGATES: ReadonlySet<string> = new Set(['var_samp', 'var_pop', 'stddev_samp', 'stddev_pop', 'count_if']);

export function resolveFrame(call: WindowCall): WindowFrame | null {
  if (call.fn === 'aggregate') {
    if (call.frame === null && call.orderBy.length === 0) return WHOLE_PARTITION;
    const name = (call.aggregate?.fn ?? call.fn).toUpperCase();
    if (FRAMED_AGGREGATES.has(call.aggregate?.fn ?? '')) throw new NotSupportedError(`${name} as a window function with ORDER BY or a window frame (only OVER ([PARTITION BY ...]))`);
    throw frameError(`${name} as a window function takes no ORDER BY and no window frame in OVER`);
  }
  switch (call.fn) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
    case 'ntile':
    case 'lag':
    case 'lead':
    case 'cume_dist':
    case 'percent_rank':
    case 'conditional_true_event':
    case 'conditional_change_event':
      return null;
    case 'nth_value':
    case 'first_value':
    case 'last_value':
      if (call.frame === null) return WHOLE_PARTITION;
      break;
    case 'listagg':
    case 'object_agg':
      // OVER ([PARTITION BY ...]) only, as in Snowflake: the whole partition.
      if (call.frame !== null || call.orderBy.length > 0) throw frameError(`${call.fn.toUpperCase()} as a window function takes no ORDER BY and no window frame in OVER`);
      return WHOLE_PARTITION;
    default:
      if (call.frame === null) return call.orderBy.length > 0 ? CUMULATIVE : WHOLE_PARTITION;
  }
  checkFrame(call, call.frame);
  return call.frame;
}

function checkFrame(call: WindowCall, frame: WindowFrame): void {
  const fn = call.fn.toUpperCase();
  if (call.orderBy.length === 0) throw frameError(`window frame of ${fn} requires an ORDER BY clause in the window`);
  const { start, end } = frame;
  if (start.kind === 'unbounded_following') throw frameError('a window frame cannot start at UNBOUNDED FOLLOWING');
  if (end.kind === 'unbounded_preceding') throw frameError('a window frame cannot end at UNBOUNDED PRECEDING');
  checkOffset(frame, start);
  checkOffset(frame, end);
  if (signedOffset(start) > signedOffset(end) || BOUND_ORDER[start.kind] > BOUND_ORDER[end.kind]) {
    throw frameError(`window frame ${boundText(start)} AND ${boundText(end)} of ${fn} starts after it ends`);
  }
  const hasOffset = start.kind === 'preceding' || start.kind === 'following' || end.kind === 'preceding' || end.kind === 'following';
  if (frame.units === 'RANGE' && hasOffset) {
    if (call.orderBy.length !== 1) throw frameError(`a RANGE window frame with an offset requires exactly one ORDER BY expression, got ${call.orderBy.length}`);
    const t = call.orderBy[0].expr.type;
    if (t.kind !== 'NUMBER' && t.kind !== 'FLOAT' && t.kind !== 'DATE' && t.kind !== 'TIMESTAMP_NTZ') {
      throw frameError(`a RANGE window frame with an offset cannot order by ${typeToSql(t)}`);
    }
  }
}

function checkOffset(frame: WindowFrame, b: FrameBound): void {
  if (b.kind !== 'preceding' && b.kind !== 'following') return;
  if (!Number.isFinite(b.offset) || b.offset < 0) throw frameError(`window frame offset must be a non-negative number, got ${b.offset}`);
  if (frame.units === 'ROWS' && !Number.isInteger(b.offset)) throw frameError(`ROWS window frame offset must be a whole number, got ${b.offset}`);
}

/** The bound as a signed distance from the current row (0 for the unbounded kinds, ordered by BOUND_ORDER). */
function signedOffset(b: FrameBound): number {
  if (b.kind === 'preceding') return -b.offset;
  if (b.kind === 'following') return b.offset;
  if (b.kind === 'unbounded_preceding') return -Infinity;
  if (b.kind === 'unbounded_following') return Infinity;
  return 0;
}

function boundText(b: FrameBound): string {
  switch (b.kind) {
    case 'unbounded_preceding':
      return 'UNBOUNDED PRECEDING';
    case 'preceding':
      return `${b.offset} PRECEDING`;
    case 'current_row':
      return 'CURRENT ROW';
    case 'following':
      return `${b.offset} FOLLOWING`;
    case 'unbounded_following':
      return 'UNBOUNDED FOLLOWING';
  }
}

function frameError(message: string): CompilationError {
  return new CompilationError('SYNTAX', `SQL compilation error: ${message}`);
}
