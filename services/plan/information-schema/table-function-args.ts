/**
 * The arguments of an INFORMATION_SCHEMA table function (`TABLE(INFORMATION_SCHEMA.f(...))`),
 * read as Snowflake reads them: positional in the function's parameter order, or `NAME => expr`
 * in any order, each a constant (bound with no columns in scope and folded).
 *
 * Contract: every reader throws TYPE_MISMATCH (001044) naming the function and the parameter
 * for an unknown, repeated, missing required, non-constant or NULL argument. Times are
 * instants: a TIMESTAMP_LTZ / TIMESTAMP_TZ is its instant, a TIMESTAMP_NTZ, DATE or string
 * without an offset is read as UTC (as time travel reads them: resolve-time-travel.ts), so a
 * function's range does not move with the session's TIMEZONE. Names ('mywh', '"My Wh"') follow
 * Snowflake's identifier rules: unquoted upper-cased, double-quoted verbatim.
 */
import { CompilationError, FirnError } from '../../../storage/errors/firn-error.js';
import { Types, typeToSql, type DataType } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { DEFAULT_TIMEZONE } from '../../../storage/types/time-zone.js';
import type { Expr, TableFunctionArg } from '../../sql/ast.js';
import { objectNameFromText } from '../../sql/object-name-text.js';
import { castTo, ExprBinder } from '../bind-expr.js';
import { foldConstants } from '../fold-constants.js';
import { Scope } from '../scope.js';
import { stampExprZone } from '../stamp-zone.js';

/** A function's arguments by parameter name, and how to read each. */
export class TableFunctionArgs {
  private readonly byName = new Map<string, Expr>();

  constructor(
    readonly fn: string,
    params: readonly string[],
    args: readonly TableFunctionArg[],
    private readonly sessionZone: string | undefined,
  ) {
    args.forEach((a, i) => {
      const name = a.name ?? params[i];
      if (name === undefined || !params.includes(name)) {
        throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid argument ${a.name ?? i + 1} for function ${fn}; it takes ${params.join(', ')}`);
      }
      if (this.byName.has(name)) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ${name} of function ${fn} is given twice`);
      this.byName.set(name, a.expr);
    });
  }

  has(param: string): boolean {
    return this.byName.has(param);
  }

  /** The argument as a constant of `type`; undefined when it is not given. */
  constant(param: string, type: DataType): Scalar | undefined {
    const e = this.byName.get(param);
    if (e === undefined) return undefined;
    const inner = new ExprBinder(new Scope([]), null, `${this.fn} (${param} => ...)`).bind(e);
    const bound = foldConstants(stampExprZone(castTo(stampExprZone(inner, this.sessionZone ?? DEFAULT_TIMEZONE), type), 'UTC'));
    if (bound.kind !== 'literal' || bound.value === null) throw this.invalid(param, `a non-NULL constant ${typeToSql(type)}`);
    return bound.value;
  }

  /** An instant in epoch ms (see the module comment); undefined when not given. */
  instantMs(param: string): number | undefined {
    const ns = this.constant(param, Types.timestampLtz) as bigint | undefined;
    if (ns === undefined) return undefined;
    return Number(ns >= 0n ? ns / 1_000_000n : -((-ns + 999_999n) / 1_000_000n));
  }

  /** A whole number; undefined when not given. */
  integer(param: string): number | undefined {
    const v = this.constant(param, Types.number(38, 0)) as bigint | undefined;
    return v === undefined ? undefined : Number(v);
  }

  /** An object name given as a string, by Snowflake's identifier rules, of 1 to `maxParts` parts; undefined when not given. */
  name(param: string, maxParts = 1): string[] | undefined {
    const text = this.constant(param, Types.varchar) as string | undefined;
    if (text === undefined) return undefined;
    try {
      return objectNameFromText(text, maxParts).parts;
    } catch (err) {
      if (err instanceof FirnError) throw this.invalid(param, maxParts === 1 ? 'a name' : `a name of at most ${maxParts} parts`);
      throw err;
    }
  }

  /** Fails unless `param` is given. */
  require(param: string): void {
    if (!this.byName.has(param)) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: function ${this.fn} requires argument ${param}`);
  }

  invalid(param: string, what: string): CompilationError {
    return new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ${param} of function ${this.fn} must be ${what}`);
  }
}
