/**
 * Binding of the aggregates beyond SUM/COUNT/MIN/MAX that Snowflake pipelines use: the Boolean
 * and bitwise aggregates, MIN_BY / MAX_BY, MODE, the percentiles, the co-moment statistics
 * (CORR, COVAR_*, REGR_*), KURTOSIS / SKEW, HASH_AGG and ARRAY_UNIQUE_AGG / ARRAY_UNION_AGG.
 *
 * Why its own module: each has its own argument rules (constants, WITHIN GROUP, casts), and
 * both the aggregate binder (bind-aggregates.ts) and the window binder (their OVER
 * (PARTITION BY ...) forms, bind-windows.ts) build the same AggregateCall from a call.
 * Contract: `bindExtendedAggregate` (for a name in EXTENDED_AGGREGATES, extended-aggregate-names.ts) returns the AggregateCall of a call, with its arguments
 * bound by `bind` (over the aggregate's input) and cast as its accumulator needs:
 *   BOOL*_AGG(b)        b cast to BOOLEAN (numbers: non-zero is TRUE; text must read as a Boolean)
 *   BIT*_AGG(n)         n rounded to NUMBER(38,0); text read as FLOAT first, NULL when it is not a number
 *   MIN_BY/MAX_BY(x, k [, count])   count a constant integer 1..1000 (then the result is an ARRAY
 *                       and `args` also carries x as VARIANT); a semi-structured k by its order key
 *   MODE(x)             x not ARRAY or OBJECT
 *   PERCENTILE_CONT/DISC(p) WITHIN GROUP (ORDER BY x [DESC]), APPROX_PERCENTILE(x, p)
 *                       p a constant in [0, 1]; x a number
 *   CORR, COVAR_*, REGR_*(y, x)     y and x numbers, cast to FLOAT
 *   KURTOSIS(x), SKEW(x)            x a number, cast to FLOAT (the result type follows x's type)
 *   HASH_AGG(e, ... | *)            the argument is HASH(e, ...) (`*`: every column in scope)
 *   ARRAY_UNIQUE_AGG(x) is ARRAY_AGG(DISTINCT x); ARRAY_UNION_AGG(a) takes an ARRAY (a VARIANT is cast).
 * Errors: a wrong argument count or type is TYPE_MISMATCH; a percentile or count that is not a
 * constant is CONSTANT_ARGUMENT_REQUIRED, one out of range INVALID_ARGUMENT_VALUE; DISTINCT where
 * Snowflake does not take it (MIN_BY, MODE, the percentiles, the co-moments) and WITHIN GROUP on
 * another function are NotSupportedError.
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { isNumeric, MAX_PRECISION, Types, typeToSql, type DataType } from '../../storage/types/data-type.js';
import type { AggregateCall, AggregateFn, BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { aggregateResultType } from '../../warehouse/execute/aggregate/aggregate-result-type.js';
import { CO_MOMENT_FNS, isCoMomentFn } from '../../warehouse/execute/aggregate/co-moment-fns.js';
import type { Expr } from '../sql/ast.js';
import { castTo } from './bind-expr.js';
import { foldConstants } from './fold-constants.js';
import { EXTENDED_AGGREGATES } from './extended-aggregate-names.js';
import type { Scope } from './scope.js';
import { orderable } from './variant-order.js';

/** Most values MIN_BY / MAX_BY return in their ARRAY form (Snowflake's limit). */
export const MAX_BY_COUNT = 1000;

/** Aggregates whose DISTINCT Snowflake refuses ("DISTINCT is not supported for this function"). */
const NO_DISTINCT: ReadonlySet<string> = new Set([
  'min_by',
  'max_by',
  'mode',
  'percentile_cont',
  'percentile_disc',
  'approx_percentile',
  ...CO_MOMENT_FNS,
]);

type FunctionExpr = Extract<Expr, { kind: 'function' }>;

export function bindExtendedAggregate(e: FunctionExpr, bind: (x: Expr) => BoundExpr, scope: Scope): AggregateCall {
  const fn = EXTENDED_AGGREGATES[e.name];
  const star = e.star ? { kind: 'star' as const, table: null } : e.args.length === 1 && e.args[0].kind === 'star' ? e.args[0] : null;
  if (star !== null && fn !== 'hash_agg') throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name}(*) is not valid`);
  if (e.distinct && NO_DISTINCT.has(fn)) throw new NotSupportedError(`DISTINCT on ${e.name}`);
  const isPercentile = fn === 'percentile_cont' || fn === 'percentile_disc';
  if (e.withinGroup && !isPercentile) throw new NotSupportedError(`WITHIN GROUP on ${e.name}`);
  const arity = (min: number, max = min): void => {
    if (e.args.length < min || e.args.length > max) {
      const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name} takes ${want} argument${want === '1' ? '' : 's'}, got ${e.args.length}`);
    }
  };
  const make = (fn2: AggregateFn, arg: BoundExpr, type: DataType = aggregateResultType(fn2, arg.type)): AggregateCall => ({ fn: fn2, arg, distinct: e.distinct, type });
  if (isCoMomentFn(fn)) {
    arity(2);
    const y = castTo(numericArgument(e.name, bind(e.args[0])), Types.float);
    const x = castTo(numericArgument(e.name, bind(e.args[1])), Types.float);
    return { ...make(fn, y), args: [x] };
  }
  switch (fn) {
    case 'boolor_agg':
    case 'booland_agg':
    case 'boolxor_agg':
      arity(1);
      return make(fn, castTo(bind(e.args[0]), Types.boolean));
    case 'bitand_agg':
    case 'bitor_agg':
    case 'bitxor_agg': {
      arity(1);
      let x = bind(e.args[0]);
      if (x.type.kind === 'VARCHAR') x = { kind: 'cast', expr: x, type: Types.float, try: true };
      if (!isNumeric(x.type) && x.type.kind !== 'NULL') throw notDefined(e.name, x.type);
      return make(fn, castTo(x, Types.number(MAX_PRECISION, 0)));
    }
    case 'min_by':
    case 'max_by': {
      arity(2, 3);
      const x = bind(e.args[0]);
      // A semi-structured key sorts by its order key (variant-order.ts), as ORDER BY does.
      const key = orderable(bind(e.args[1]));
      if (e.args.length === 2) return { ...make(fn, x, x.type), args: [key] };
      const limit = constantNumber(e.name, bind(e.args[2]), 'count');
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BY_COUNT) {
        throw new CompilationError('INVALID_ARGUMENT_VALUE', `SQL compilation error: the count of ${e.name} must be an integer from 1 to ${MAX_BY_COUNT}, got ${limit}`);
      }
      return { ...make(fn, x, Types.array), args: [key, castTo(x, Types.variant)], limit };
    }
    case 'mode': {
      arity(1);
      const x = bind(e.args[0]);
      if (x.type.kind === 'ARRAY' || x.type.kind === 'OBJECT') throw notDefined(e.name, x.type);
      return make(fn, x);
    }
    case 'percentile_cont':
    case 'percentile_disc': {
      arity(1);
      const order = e.withinGroup ?? [];
      if (order.length !== 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name} requires WITHIN GROUP (ORDER BY <expression>) with one expression`);
      const x = numericArgument(e.name, bind(order[0].expr));
      return { ...make(fn, x), fraction: percentile(e.name, bind(e.args[0])), desc: order[0].desc };
    }
    case 'approx_percentile': {
      arity(2);
      const x = numericArgument(e.name, bind(e.args[0]));
      return { ...make(fn, x), fraction: percentile(e.name, bind(e.args[1])) };
    }
    case 'kurtosis':
    case 'skew': {
      arity(1);
      const x = numericArgument(e.name, bind(e.args[0]));
      return make(fn, castTo(x, Types.float), aggregateResultType(fn, x.type));
    }
    case 'hash_agg': {
      if (star === null) {
        arity(1, Infinity);
        return make(fn, bind({ kind: 'function', name: 'HASH', args: e.args, distinct: false, star: false }));
      }
      const columns = starColumns(scope, star.table);
      if (columns.length === 0) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: no columns for ${star.table === null ? '*' : `${star.table}.*`} in ${e.name}`);
      return make(fn, { kind: 'call', fn: 'hash', args: columns, type: Types.number(19, 0) });
    }
    case 'array_unique_agg': {
      arity(1);
      return { fn: 'array_agg', arg: castTo(bind(e.args[0]), Types.variant), distinct: true, type: Types.array };
    }
    case 'array_union_agg': {
      arity(1);
      const a = bind(e.args[0]);
      if (a.type.kind !== 'ARRAY' && a.type.kind !== 'VARIANT' && a.type.kind !== 'NULL') throw notDefined(e.name, a.type);
      return make(fn, castTo(a, Types.array));
    }
  }
}

/** Every column `*` (or `table.*`) names in this scope: not an enclosing query's, not a USING join's right-hand copy. */
function starColumns(scope: Scope, table: string | null): BoundExpr[] {
  const out: BoundExpr[] = [];
  scope.columns.forEach((c, index) => {
    if (!c.outer && !c.merged && (table === null || c.qualifier === table)) out.push({ kind: 'column', index, type: c.type, name: c.name });
  });
  return out;
}

function numericArgument(name: string, x: BoundExpr): BoundExpr {
  if (x.type.kind === 'NULL') return castTo(x, Types.number(MAX_PRECISION, 0));
  if (!isNumeric(x.type)) throw notDefined(name, x.type);
  return x;
}

/** The value of a constant numeric argument (CONSTANT_ARGUMENT_REQUIRED when it is not one). */
export function constantNumber(name: string, x: BoundExpr, what: string): number {
  const folded = foldConstants(x);
  if (folded.kind !== 'literal' || folded.value === null || !isNumeric(folded.type)) {
    throw new CompilationError('CONSTANT_ARGUMENT_REQUIRED', `SQL compilation error: the ${what} of ${name} must be a numeric constant`);
  }
  const v = folded.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return folded.type.kind === 'NUMBER' ? Number(v) / 10 ** folded.type.scale : Number(v);
  throw new CompilationError('CONSTANT_ARGUMENT_REQUIRED', `SQL compilation error: the ${what} of ${name} must be a numeric constant`);
}

function percentile(name: string, x: BoundExpr): number {
  const p = constantNumber(name, x, 'percentile');
  if (!(p >= 0 && p <= 1)) throw new CompilationError('INVALID_ARGUMENT_VALUE', `SQL compilation error: the percentile of ${name} must be between 0 and 1, got ${p}`);
  return p;
}

function notDefined(name: string, t: DataType): CompilationError {
  return new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${name} is not defined for an argument of type ${typeToSql(t)}`);
}
