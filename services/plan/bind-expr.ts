/**
 * Binds parsed expressions (services/sql/ast.ts) to typed BoundExprs over a Scope.
 *
 * Contract: names resolve in the scope; every function and operator is type-checked by the
 * function registry, and the implicit casts it asks for become explicit cast nodes, so the
 * kernels never coerce. Aggregate calls are an error here unless an `AggregateHook` (the
 * aggregate binder, bind-aggregates.ts) is installed: the hook sees every sub-expression
 * first and may bind it itself (an aggregate call, or a GROUP BY key). seq.NEXTVAL binds only
 * through a `SequenceHook` (the select list and VALUES: bind-sequences.ts); elsewhere it is
 * NEXTVAL_NOT_ALLOWED (390242), unless `t.NEXTVAL` names a column of the scope.
 */
import type { BinaryOp, Expr, ObjectName, Query } from '../sql/ast.js';
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { isSemiStructured, MAX_BINARY_LENGTH, MAX_VARCHAR_LENGTH, Types, typesEqual, type DataType } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { commonSuperType, registeredFunctionNames, resolveCast, resolveFunction } from '../../warehouse/execute/functions/function-registry.js';
import { resolveTypeName } from './resolve-type-name.js';
import type { Scope } from './scope.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { scalarFromExact } from '../../storage/types/scalar.js';
import { BinaryFormat, bytesOfHex, notLegalBinary } from '../../storage/types/binary-text.js';
import { variableNotFound } from './variable-not-found.js';
import { rowOrdinal } from './generator-row.js';
import { orderable, ORDERING_COMPARISONS } from './variant-order.js';
import { EXTENDED_AGGREGATES } from './extended-aggregate-names.js';

/** Whether a cast from `from` to the same kind `to` cuts values: to a shorter VARCHAR(n) or BINARY(n). */
function cuts(from: DataType, to: DataType): boolean {
  if ((to.kind !== 'VARCHAR' && to.kind !== 'BINARY') || to.length === undefined || from.kind !== to.kind) return false;
  const max = to.kind === 'VARCHAR' ? MAX_VARCHAR_LENGTH : MAX_BINARY_LENGTH;
  return to.length < max && (from.length ?? max) > to.length;
}

/** SEQ1/SEQ2/SEQ4/SEQ8: the bits of the integers each one counts in (wrapping past them). */
const SEQ_FUNCTIONS = new Set(['SEQ1', 'SEQ2', 'SEQ4', 'SEQ8']);

export type AggregateHook = (e: Expr, binder: ExprBinder) => BoundExpr | null;
/** Binds an uncorrelated scalar subquery (an init plan) to the BoundExpr standing for its value. */
export type SubqueryHook = (query: Query, clause: string) => BoundExpr;
/** Binds seq.NEXTVAL of the named sequence (bind-sequences.ts). */
export type SequenceHook = (name: ObjectName) => BoundExpr;

export const AGGREGATE_FUNCTIONS = new Set([
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'COUNT_IF',
  'ANY_VALUE',
  'MEDIAN',
  'STDDEV',
  'STDDEV_SAMP',
  'STDDEV_POP',
  'VARIANCE',
  'VAR_SAMP',
  'VARIANCE_SAMP',
  'VAR_POP',
  'VARIANCE_POP',
  'APPROX_COUNT_DISTINCT',
  'HLL',
  'LISTAGG',
  'ARRAY_AGG',
  'ARRAYAGG',
  'OBJECT_AGG',
  'OBJECTAGG',
  ...Object.keys(EXTENDED_AGGREGATES),
]);
/** GROUPING(k, ...) and its alias GROUPING_ID: bound by the aggregate binder only. */
export const GROUPING_FUNCTIONS = new Set(['GROUPING', 'GROUPING_ID']);
const DATE_UNIT_FUNCTIONS = new Set(['DATE_TRUNC', 'DATEADD', 'DATEDIFF', 'DATE_PART', 'TIMEADD', 'TIMEDIFF', 'TIMESTAMPADD', 'TIMESTAMPDIFF']);
/** Functions whose date part comes later than first: the argument's index (LAST_DAY(d, month)). */
const LATER_DATE_UNIT: Readonly<Record<string, number>> = { LAST_DAY: 1 };
const OPERATOR_FUNCTIONS: Record<Exclude<BinaryOp, 'AND' | 'OR'>, string> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'divide',
  '%': 'modulo',
  '||': 'concat',
  '=': 'eq',
  '<>': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  'IS DISTINCT FROM': 'is_distinct_from',
  'IS NOT DISTINCT FROM': 'is_not_distinct_from',
};

export function isAggregateCall(e: Expr): e is Extract<Expr, { kind: 'function' }> {
  return e.kind === 'function' && AGGREGATE_FUNCTIONS.has(e.name);
}

export function containsAggregate(e: Expr): boolean {
  if (isAggregateCall(e)) return true;
  return childExprs(e).some(containsAggregate);
}

export function containsSubquery(e: Expr): boolean {
  if (e.kind === 'subquery' || e.kind === 'exists' || e.kind === 'in_subquery' || e.kind === 'quantified') return true;
  return childExprs(e).some(containsSubquery);
}

export function containsWindow(e: Expr): boolean {
  return e.kind === 'window' || childExprs(e).some(containsWindow);
}

export function containsNextval(e: Expr): boolean {
  return e.kind === 'nextval' || childExprs(e).some(containsNextval);
}

export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case 'binary':
      return [e.left, e.right];
    case 'unary':
    case 'cast':
    case 'is_null':
      return [e.expr];
    case 'function':
      return e.args;
    case 'case':
      return [...(e.operand ? [e.operand] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'in_list':
      return [e.expr, ...e.list];
    case 'between':
      return [e.expr, e.low, e.high];
    case 'like':
      return [e.expr, e.pattern, ...(e.escape ? [e.escape] : [])];
    case 'like_quantified':
      return [e.expr, ...e.patterns, ...(e.escape ? [e.escape] : [])];
    case 'in_subquery':
    case 'quantified':
      return [e.expr];
    default:
      return [];
  }
}

/** `expr` as `type`: unchanged when already of it, a typed NULL for NULL, else a cast node. */
export function castTo(expr: BoundExpr, type: DataType): BoundExpr {
  if (typesEqual(expr.type, type)) return expr;
  if (expr.kind === 'literal' && expr.value === null) return { kind: 'literal', value: null, type };
  resolveCast(expr.type, type);
  return { kind: 'cast', expr, type, try: false };
}

/** A number literal's exact type: '12.50' is NUMBER(4,2) holding 1250; '1e3' is FLOAT. */
export function numberLiteral(text: string): BoundExpr {
  if (/[eE]/.test(text)) return { kind: 'literal', value: Number(text), type: Types.float };
  const [intPart, frac = ''] = text.split('.');
  const intDigits = intPart.replace(/^0+/, '').length;
  const precision = Math.max(1, intDigits + frac.length);
  if (precision > 38) return { kind: 'literal', value: Number(text), type: Types.float };
  return { kind: 'literal', value: BigInt((intPart || '0') + frac), type: Types.number(precision, frac.length) };
}

export class ExprBinder {
  constructor(
    readonly scope: Scope,
    readonly hook: AggregateHook | null = null,
    readonly clause = 'this clause',
    readonly subquery: SubqueryHook | null = null,
    readonly sequences: SequenceHook | null = null,
  ) {}

  bind(e: Expr): BoundExpr {
    if (this.hook) {
      const hooked = this.hook(e, this);
      if (hooked) return hooked;
    }
    switch (e.kind) {
      case 'column': {
        const index = this.scope.resolve(e.table, e.name);
        return { kind: 'column', index, type: this.scope.columns[index].type, name: e.name };
      }
      case 'star':
        throw new CompilationError('INVALID_IDENTIFIER', 'SQL compilation error: * is not allowed here');
      case 'number':
        return numberLiteral(e.text);
      case 'string':
        return { kind: 'literal', value: e.value, type: { kind: 'VARCHAR', length: Math.max(1, e.value.length) } };
      case 'boolean':
        return { kind: 'literal', value: e.value, type: Types.boolean };
      case 'null':
        return { kind: 'literal', value: null, type: Types.null };
      case 'typed_literal': {
        if (e.type.name === 'X') {
          // X'...' is hex whatever BINARY_INPUT_FORMAT says: decoded here, a BINARY constant.
          const bytes = bytesOfHex(e.value);
          if (bytes === null) throw notLegalBinary(e.value, BinaryFormat.HEX);
          return { kind: 'literal', value: bytes, type: Types.binary };
        }
        const type = resolveTypeName(e.type);
        const text: BoundExpr = { kind: 'literal', value: e.value, type: Types.varchar };
        return castTo(text, type);
      }
      case 'binary':
        return this.bindBinary(e.op, e.left, e.right);
      case 'unary':
        if (e.op === 'NOT') return { kind: 'not', expr: this.bindBoolean(e.expr), type: Types.boolean };
        if (e.op === '+') return this.bind(e.expr);
        return this.negate(this.bind(e.expr));
      case 'function':
        return this.bindFunction(e);
      case 'case':
        return this.bindCase(e);
      case 'cast': {
        const type = resolveTypeName(e.type);
        const inner = this.bind(e.expr);
        if (typesEqual(inner.type, type) && !cuts(inner.type, type)) return inner;
        if (inner.kind === 'literal' && inner.value === null) return { kind: 'literal', value: null, type };
        resolveCast(inner.type, type);
        return { kind: 'cast', expr: inner, type, try: e.try };
      }
      case 'in_list': {
        const items = [this.bind(e.expr), ...e.list.map((x) => this.bind(x))];
        const type = this.commonType(items.map((x) => x.type), 'IN');
        const [head, ...list] = items.map((x) => castTo(x, type));
        return { kind: 'in_list', expr: head, list, negated: e.negated, type: Types.boolean };
      }
      case 'between': {
        const x = this.bind(e.expr);
        const both: BoundExpr = {
          kind: 'and',
          args: [this.call('ge', [x, this.bind(e.low)]), this.call('le', [x, this.bind(e.high)])],
          type: Types.boolean,
        };
        return e.negated ? { kind: 'not', expr: both, type: Types.boolean } : both;
      }
      case 'like': {
        const expr = castTo(this.bind(e.expr), Types.varchar);
        const pattern = castTo(this.bind(e.pattern), Types.varchar);
        if (e.escape) return this.likeEscape(expr, pattern, this.bind(e.escape), e.caseInsensitive, e.negated);
        return { kind: 'like', expr, pattern, caseInsensitive: e.caseInsensitive, negated: e.negated, type: Types.boolean };
      }
      case 'like_quantified':
        return this.likeQuantified(e);
      case 'is_null':
        return { kind: 'is_null', expr: this.bind(e.expr), negated: e.negated, type: Types.boolean };
      case 'interval':
        throw new NotSupportedError('INTERVAL values outside date +/- INTERVAL arithmetic');
      case 'subquery':
        if (this.subquery) return this.subquery(e.query, this.clause);
        throw new NotSupportedError(`Subqueries in ${this.clause}`);
      case 'exists':
      case 'in_subquery':
      case 'quantified':
        throw new NotSupportedError(`${e.kind === 'exists' ? 'EXISTS' : e.kind === 'quantified' ? `${e.op} ${e.quantifier}` : 'IN'} subqueries in ${this.clause}`);
      case 'window':
        throw new NotSupportedError(`Window function ${e.fn.name} in ${this.clause}`);
      case 'variable_value':
        // The session variable's value, put in by the engine: a constant of the variable's type.
        return { kind: 'literal', value: scalarFromExact(e.type, e.value), type: e.type };
      case 'variable':
        // Every `$name` the session has is replaced before binding (session-variables.ts): this one it has not.
        throw variableNotFound(e);
      case 'nextval': {
        // `t.nextval` of a table with a column named NEXTVAL reads the column.
        const parts = e.sequence.parts;
        if (parts.length === 1 && this.scope.has(parts[0], 'NEXTVAL')) return this.bind({ kind: 'column', table: parts[0], name: 'NEXTVAL' });
        if (this.sequences) return this.sequences(e.sequence);
        throw new CompilationError('NEXTVAL_NOT_ALLOWED', `SQL compilation error: ${clipValue(parts.join('.'))}.NEXTVAL is not allowed in ${this.clause}: a sequence's values are taken in a SELECT list, VALUES, UPDATE ... SET, MERGE and column defaults.`);
      }
    }
  }

  /**
   * `x [NOT] [I]LIKE p ESCAPE e` as a call to like/ilike with three arguments (so pruning, which
   * reads the pattern of `like` nodes, never misreads an escaped pattern). A constant escape
   * must be one character, checked here; a computed one is checked per row by the kernel.
   */
  private likeEscape(expr: BoundExpr, pattern: BoundExpr, escape: BoundExpr, caseInsensitive: boolean, negated: boolean): BoundExpr {
    if (escape.kind === 'literal' && typeof escape.value === 'string' && [...escape.value].length !== 1) {
      throw new CompilationError('INVALID_ESCAPE', `SQL compilation error: the ESCAPE of LIKE must be a single character, got '${clipValue(escape.value)}'`);
    }
    const match = this.call(caseInsensitive ? 'ilike' : 'like', [expr, pattern, escape]);
    return negated ? { kind: 'not', expr: match, type: Types.boolean } : match;
  }

  /**
   * `x [I]LIKE ANY (p1, ...)` is `x LIKE p1 OR x LIKE p2 ...`, ALL the AND of them, each with the
   * ESCAPE (three-valued: a NULL pattern makes ANY NULL unless another pattern matches). The
   * subject is bound once and shared by every comparison (a bound expression is pure).
   */
  private likeQuantified(e: Extract<Expr, { kind: 'like_quantified' }>): BoundExpr {
    const expr = castTo(this.bind(e.expr), Types.varchar);
    const escape = e.escape ? this.bind(e.escape) : null;
    const matches = e.patterns.map((p): BoundExpr => {
      const pattern = castTo(this.bind(p), Types.varchar);
      if (escape) return this.likeEscape(expr, pattern, escape, e.caseInsensitive, false);
      return { kind: 'like', expr, pattern, caseInsensitive: e.caseInsensitive, negated: false, type: Types.boolean };
    });
    if (matches.length === 1) return matches[0];
    return { kind: e.quantifier === 'ANY' ? 'or' : 'and', args: matches, type: Types.boolean };
  }

  /** -x; a negative number literal stays a literal (so ROUND(x, -2) sees a constant). */
  private negate(x: BoundExpr): BoundExpr {
    if (x.kind === 'literal' && (typeof x.value === 'bigint' || typeof x.value === 'number')) {
      return { ...x, value: -x.value as bigint | number };
    }
    return this.call('negate', [x]);
  }

  /** Binds a predicate: it must be BOOLEAN (a NULL literal is a BOOLEAN NULL). */
  bindBoolean(e: Expr): BoundExpr {
    const b = this.bind(e);
    if (b.type.kind === 'BOOLEAN') return b;
    if (b.type.kind === 'NULL') return castTo(b, Types.boolean);
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${this.clause} requires a BOOLEAN expression, got ${b.type.kind}`);
  }

  call(name: string, argsIn: BoundExpr[]): BoundExpr {
    // < <= > >= between two VARIANTs compare their order keys (variant-order.ts).
    const args = ORDERING_COMPARISONS.has(name) && argsIn.length === 2 && argsIn.every((a) => isSemiStructured(a.type)) ? argsIn.map(orderable) : argsIn;
    // Literal arguments let the registry type ROUND(x, 2) at scale 2 and check date parts now.
    const constants = args.map((a) => (a.kind === 'literal' ? a.value : undefined));
    const r = resolveFunction(name, args.map((a) => a.type), constants);
    return { kind: 'call', fn: r.fn, args: args.map((a, i) => castTo(a, r.argTypes[i])), type: r.returnType };
  }

  private bindBinary(op: BinaryOp, left: Expr, right: Expr): BoundExpr {
    if (op === 'AND' || op === 'OR') {
      const kind = op === 'AND' ? 'and' : 'or';
      const args: BoundExpr[] = [];
      for (const side of [left, right]) {
        const b = this.bindBoolean(side);
        if (b.kind === kind) args.push(...b.args);
        else args.push(b);
      }
      return { kind, args, type: Types.boolean };
    }
    // date +/- INTERVAL 'n unit' is DATEADD(unit, +/-n, date).
    if ((op === '+' || op === '-') && right.kind === 'interval') return this.addInterval(left, right, op === '-');
    if (op === '+' && left.kind === 'interval') return this.addInterval(right, left, false);
    return this.call(OPERATOR_FUNCTIONS[op], [this.bind(left), this.bind(right)]);
  }

  private addInterval(date: Expr, interval: Extract<Expr, { kind: 'interval' }>, subtract: boolean): BoundExpr {
    if (!/^-?\d+$/.test(interval.value.trim())) throw new NotSupportedError(`INTERVAL '${interval.value} ${interval.unit}' (only whole numbers of one unit)`);
    const n = BigInt(interval.value.trim()) * (subtract ? -1n : 1n);
    return this.call('dateadd', [
      { kind: 'literal', value: interval.unit.toLowerCase(), type: Types.varchar },
      { kind: 'literal', value: n, type: Types.number(38, 0) },
      this.bind(date),
    ]);
  }

  private bindFunction(e: Extract<Expr, { kind: 'function' }>): BoundExpr {
    if (GROUPING_FUNCTIONS.has(e.name)) {
      throw new CompilationError('AGGREGATE_MISUSE', `SQL compilation error: ${e.name} needs a GROUP BY and belongs in its select list, HAVING or ORDER BY, not in ${this.clause}`);
    }
    if (AGGREGATE_FUNCTIONS.has(e.name)) {
      throw new CompilationError('AGGREGATE_MISUSE', `SQL compilation error: aggregate function ${e.name} is not allowed in ${this.clause}`);
    }
    if (e.distinct || e.star) {
      if (!registeredFunctionNames().includes(e.name.toLowerCase())) throw new CompilationError('UNKNOWN_FUNCTION', `SQL compilation error: Unknown function ${e.name}`);
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name} does not take ${e.star ? '*' : 'DISTINCT'}`);
    }
    const args = e.args.map((a, i) => {
      const unitAt = DATE_UNIT_FUNCTIONS.has(e.name) ? 0 : LATER_DATE_UNIT[e.name];
      if (i === unitAt && a.kind === 'column' && a.table === null) {
        return { kind: 'literal', value: a.name.toLowerCase(), type: Types.varchar } as BoundExpr;
      }
      return this.bind(a);
    });
    if (SEQ_FUNCTIONS.has(e.name) || (e.name === 'RANDOM' && args.length === 1)) return this.bindOrdinalFunction(e.name, args);
    if (e.name === 'RANDOM' && args.length > 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: function 'RANDOM' takes 0 to 1 arguments, got ${args.length}`);
    return this.call(e.name.toLowerCase(), args);
  }

  /**
   * SEQn([sign]) and RANDOM(seed): computed from the generator's row ordinal (generator-row.ts),
   * appended as their last argument, so a row's value does not depend on the worker that made it.
   */
  private bindOrdinalFunction(name: string, args: BoundExpr[]): BoundExpr {
    const ordinal = rowOrdinal(this.scope);
    const what = name === 'RANDOM' ? 'RANDOM with a seed' : `${name}()`;
    if (ordinal === null) throw new NotSupportedError(`${what} outside a query FROM TABLE(GENERATOR(...))`);
    if (name === 'RANDOM') return this.call('random', [args[0], ordinal]);
    if (args.length > 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: function '${name}' takes 0 to 1 arguments, got ${args.length}`);
    const sign = args[0] ?? { kind: 'literal', value: 0n, type: Types.number(1, 0) };
    if (sign.kind !== 'literal' || (sign.value !== 0n && sign.value !== 1n)) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: the argument of ${name} must be the constant 0 (unsigned) or 1 (signed)`);
    }
    return this.call(name.toLowerCase(), [sign, ordinal]);
  }

  private bindCase(e: Extract<Expr, { kind: 'case' }>): BoundExpr {
    const operand = e.operand ? this.bind(e.operand) : null;
    const conditions = e.whens.map((w) => (operand ? this.call('eq', [operand, this.bind(w.when)]) : this.bindBoolean(w.when)));
    const results = e.whens.map((w) => this.bind(w.then));
    const otherwise = e.else ? this.bind(e.else) : null;
    const type = this.commonType([...results, ...(otherwise ? [otherwise] : [])].map((r) => r.type), 'CASE');
    return {
      kind: 'case',
      whens: conditions.map((when, i) => ({ when, then: castTo(results[i], type) })),
      else: otherwise ? castTo(otherwise, type) : null,
      type,
    };
  }

  private commonType(types: DataType[], what: string): DataType {
    let t: DataType = Types.null;
    for (const u of types) {
      const c = commonSuperType(t, u);
      if (!c) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: incompatible types in ${what}: ${t.kind} and ${u.kind}`);
      t = c;
    }
    return t;
  }
}
