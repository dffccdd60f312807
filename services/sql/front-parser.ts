/**
 * Firn's own recursive-descent parser for statement and query structure.
 *
 * Why: node-sql-parser's Snowflake grammar has no DATABASE/SCHEMA/WAREHOUSE DDL, SHOW, USE,
 * COPY INTO options or CLUSTER BY, and in queries it misreads NATURAL and CROSS joins as table
 * aliases, lacks INTERSECT/EXCEPT/MINUS and top-level VALUES, and cannot parse many Snowflake
 * type names. So this parser owns every statement form and the shape of queries (WITH, set
 * operations, SELECT clauses, FROM and joins, GROUP BY with ROLLUP/CUBE/GROUPING SETS, ORDER
 * BY, LIMIT/OFFSET/FETCH, VALUES (also in FROM, with column aliases on it and on derived
 * tables), and the inside of window OVER clauses), and hands each
 * expression range (select list, predicates, sort keys, cells) to convert-vendor-ast.ts, which
 * parses it with node-sql-parser.
 *
 * This file is the dispatcher: it builds the shared ParseContext and hands each statement to
 * its family in front/ (queries, COPY, database/schema/table DDL, warehouse DDL, SHOW and
 * DESCRIBE, USE, INSERT, UPDATE / DELETE / MERGE / TRUNCATE, ALTER, UNDROP, EXPLAIN, GRANT and
 * REVOKE, BEGIN / COMMIT / ROLLBACK, SET / UNSET of session variables, LIST / REMOVE and the
 * client's PUT / GET), all reading through front/token-cursor.ts.
 *
 * Contract: a FrontParser reads tokens [start, end) of one statement and must consume all of
 * them. Identifiers are resolved here (unquoted upper-cased, "quoted" verbatim). Errors:
 * SqlSyntaxError "unexpected '<token>'." at the offending token (tokens[end] when the range
 * ran out: ';', ')' or '<EOF>'); valid SQL the Firn AST cannot express -> NotSupportedError.
 */
import { NotSupportedError, statementTooComplex } from '../../storage/errors/firn-error.js';
import type { Statement } from './ast.js';
import { VendorExpressionParser, type SubParsers } from './convert-vendor-ast.js';
import { TokenKind, type Token } from './tokenizer.js';
import { parseAlter } from './front/alter.js';
import { parseCopyInto } from './front/copy-into.js';
import { parseDml } from './front/dml.js';
import { parseExplain } from './front/explain.js';
import { parseGrant } from './front/grant.js';
import { parseInsert } from './front/insert.js';
import { parseCreate, parseDrop } from './front/object-ddl.js';
import { wholeQuery } from './front/query.js';
import { parseDescribe, parseShow } from './front/show-describe.js';
import { parseSet, parseUnset } from './front/session-variables.js';
import { parseStageFiles } from './front/stage-files.js';
import { TokenCursor, isQueryGroup, unexpectedAt, type ParseContext } from './front/token-cursor.js';
import { typeName } from './front/type-name.js';
import { parseTransactionControl } from './front/transaction-control.js';
import { parseUndrop } from './front/undrop.js';
import { parseUse } from './front/use.js';
import { windowSpec } from './front/window-spec.js';

export type { ParseContext } from './front/token-cursor.js';

const UNSUPPORTED_STATEMENTS = new Set([
  'CALL', 'COMMENT', 'EXECUTE',
]);

/**
 * The deepest parenthesis nesting a statement may have (expressions, calls, subqueries all
 * count). Parsing, binding and planning recurse once or more per level on the main thread's
 * stack, and node-sql-parser overflows somewhere past 500 levels, so deeper statements are
 * refused up front with STATEMENT_TOO_COMPLEX (390305 / 54001) instead of a stack overflow.
 * Documented in README.md (SQL reference).
 */
export const MAX_NESTING_DEPTH = 256;

/** Parses one statement's tokens; see the module comment. */
export class FrontParser {
  private readonly cursor: TokenCursor;

  constructor(ctx: ParseContext, start: number, end: number) {
    this.cursor = new TokenCursor(ctx, start, end);
  }

  /** Builds the shared context for a tokenized script. */
  static createContext(tokens: Token[], source: string): ParseContext {
    const ctx = { tokens, match: new Int32Array(tokens.length).fill(-1), source } as ParseContext;
    const sub: SubParsers = {
      parseQuery: (s, e) => wholeQuery(new TokenCursor(ctx, s, e)),
      parseType: (s, e) => {
        const c = new TokenCursor(ctx, s, e);
        const type = typeName(c);
        return { type, next: c.pos };
      },
      isQueryGroup: (open) => isQueryGroup(ctx, open),
      matchOf: (open) => ctx.match[open],
      unexpected: (i) => unexpectedAt(tokens, i),
      parseWindowSpec: (open) => windowSpec(new TokenCursor(ctx, open + 1, ctx.match[open])),
    };
    ctx.vendor = new VendorExpressionParser(tokens, sub);
    return ctx;
  }

  /**
   * Records matching parentheses of tokens [start, end); unbalanced ones are syntax errors,
   * nesting deeper than MAX_NESTING_DEPTH is STATEMENT_TOO_COMPLEX (54001).
   */
  static matchParens(ctx: ParseContext, start: number, end: number): void {
    const stack: number[] = [];
    for (let i = start; i < end; i++) {
      const t = ctx.tokens[i];
      if (t.kind !== TokenKind.OP) continue;
      if (t.text === '(') {
        stack.push(i);
        if (stack.length > MAX_NESTING_DEPTH) {
          throw statementTooComplex(`parentheses nest deeper than ${MAX_NESTING_DEPTH} levels (line ${t.line} at position ${t.column})`);
        }
      } else if (t.text === ')') {
        const open = stack.pop();
        if (open === undefined) throw unexpectedAt(ctx.tokens, i);
        ctx.match[open] = i;
        ctx.match[i] = open;
      }
    }
    if (stack.length > 0) throw unexpectedAt(ctx.tokens, end);
  }

  /** Parses the whole range as one statement. */
  parseStatement(): Statement {
    return statement(this.cursor);
  }
}

function statement(c: TokenCursor): Statement {
  if (c.isOp('(')) return { kind: 'query', query: wholeQuery(c) };
  const w = c.word();
  switch (w) {
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
      return { kind: 'query', query: wholeQuery(c) };
    case 'EXPLAIN':
      return parseExplain(c, statement);
    case 'CREATE':
      return parseCreate(c);
    case 'DROP':
      return parseDrop(c);
    case 'USE':
      return parseUse(c);
    case 'SHOW':
      return parseShow(c);
    case 'DESCRIBE':
    case 'DESC':
      return parseDescribe(c);
    case 'INSERT':
      return parseInsert(c);
    case 'COPY':
      return parseCopyInto(c);
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'TRUNCATE':
      return parseDml(c);
    case 'UNDROP':
      return parseUndrop(c);
    case 'LIST':
    case 'LS':
    case 'REMOVE':
    case 'RM':
    case 'PUT':
    case 'GET':
      return parseStageFiles(c);
    case 'ALTER':
      return parseAlter(c);
    case 'SET':
      return parseSet(c);
    case 'UNSET':
      return parseUnset(c);
    case 'GRANT':
    case 'REVOKE':
      return parseGrant(c);
    case 'BEGIN':
    case 'START':
    case 'COMMIT':
    case 'ROLLBACK':
      return parseTransactionControl(c);
    default:
      if (w !== null && UNSUPPORTED_STATEMENTS.has(w)) throw new NotSupportedError(w);
      throw c.fail();
  }
}
