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
 * Contract: a FrontParser reads tokens [start, end) of one statement and must consume all of
 * them. Identifiers are resolved here (unquoted upper-cased, "quoted" verbatim). Errors:
 * SqlSyntaxError "unexpected '<token>'." at the offending token (tokens[end] when the range
 * ran out: ';', ')' or '<EOF>'); valid SQL the Firn AST cannot express -> NotSupportedError.
 */
import { CompilationError, NotSupportedError, SqlSyntaxError, statementTooComplex } from '../../storage/errors/firn-error.js';
import type {
  ColumnDef,
  CopyFileFormat,
  Expr,
  FrameBoundSpec,
  GroupingSets,
  ObjectName,
  OrderItem,
  Query,
  QueryBody,
  Select,
  Statement,
  TableRef,
  TypeName,
  WindowFrameSpec,
} from './ast.js';
import { VendorExpressionParser, type SubParsers, type WindowSpec } from './convert-vendor-ast.js';
import { RESERVED_WORDS, TokenKind, type Token } from './tokenizer.js';
import { clipValue } from '../../storage/errors/clip-value.js';


/** Words that may not be an implicit (AS-less) table alias because they continue the FROM clause. */
const NOT_AN_ALIAS = new Set([
  ...RESERVED_WORDS, 'LIMIT', 'OFFSET', 'FETCH', 'EXCEPT', 'WINDOW', 'ASOF', 'MATCH_CONDITION', 'AT', 'BEFORE',
  'CHANGES', 'PIVOT', 'UNPIVOT', 'MATCH_RECOGNIZE', 'OUTER',
]);

const SET_OPS = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);
const QUERY_TAIL = new Set(['ORDER', 'LIMIT', 'OFFSET', 'FETCH']);
const SELECT_CLAUSES = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY'];
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

const UNSUPPORTED_STATEMENTS = new Set([
  'ALTER', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'UNDROP', 'GRANT', 'REVOKE', 'BEGIN', 'START', 'COMMIT',
  'ROLLBACK', 'SET', 'UNSET', 'CALL', 'PUT', 'GET', 'LIST', 'LS', 'REMOVE', 'RM', 'COMMENT', 'EXECUTE',
]);
const UNSUPPORTED_OBJECTS = new Set([
  'VIEW', 'MATERIALIZED', 'SECURE', 'RECURSIVE', 'STAGE', 'FILE', 'SEQUENCE', 'FUNCTION', 'PROCEDURE', 'ROLE',
  'USER', 'STREAM', 'TASK', 'PIPE', 'EXTERNAL', 'TAG', 'INTEGRATION', 'DYNAMIC', 'ICEBERG', 'HYBRID', 'EVENT',
  'NETWORK', 'RESOURCE', 'SHARE', 'ALERT', 'MASKING', 'ROW', 'API', 'STORAGE', 'NOTIFICATION', 'SECURITY',
  'TEMP', 'TEMPORARY', 'TRANSIENT', 'VOLATILE', 'LOCAL', 'GLOBAL',
]);
const UNSUPPORTED_SHOW = new Set([
  'COLUMNS', 'VIEWS', 'USERS', 'ROLES', 'GRANTS', 'STAGES', 'FUNCTIONS', 'USER', 'PROCEDURES', 'SEQUENCES',
  'STREAMS', 'TASKS', 'PIPES', 'PARAMETERS', 'VARIABLES', 'OBJECTS', 'FILE', 'INTEGRATIONS', 'SHARES',
  'TRANSACTIONS', 'LOCKS', 'PRIMARY', 'IMPORTED', 'EXTERNAL', 'MATERIALIZED', 'TAGS', 'ALERTS', 'SESSIONS',
]);
/** Snowflake's warehouse properties and parameters other than WAREHOUSE_SIZE: valid, not implemented yet. */
const UNIMPLEMENTED_WAREHOUSE_PROPERTIES = new Set([
  'WAREHOUSE_TYPE', 'RESOURCE_CONSTRAINT', 'GENERATION', 'MAX_CLUSTER_COUNT', 'MIN_CLUSTER_COUNT', 'SCALING_POLICY',
  'AUTO_SUSPEND', 'AUTO_RESUME', 'INITIALLY_SUSPENDED', 'RESOURCE_MONITOR', 'COMMENT', 'ENABLE_QUERY_ACCELERATION',
  'QUERY_ACCELERATION_MAX_SCALE_FACTOR', 'MAX_CONCURRENCY_LEVEL', 'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS',
  'STATEMENT_TIMEOUT_IN_SECONDS',
]);
const COLUMN_OPTIONS = new Set([
  'DEFAULT', 'PRIMARY', 'UNIQUE', 'REFERENCES', 'FOREIGN', 'AUTOINCREMENT', 'IDENTITY', 'COLLATE', 'COMMENT',
  'CONSTRAINT', 'MASKING', 'WITH', 'TAG', 'CHECK', 'AS', 'PROJECTION',
]);
const COPY_OPTIONS = new Set([
  'PATTERN', 'FILES', 'PURGE', 'FORCE', 'MATCH_BY_COLUMN_NAME', 'SIZE_LIMIT', 'RETURN_FAILED_ONLY',
  'ENFORCE_LENGTH', 'TRUNCATECOLUMNS', 'LOAD_UNCERTAIN_FILES', 'VALIDATION_MODE', 'CREDENTIALS', 'ENCRYPTION',
  'STORAGE_INTEGRATION', 'INCLUDE_METADATA', 'LOAD_MODE', 'FILE_PROCESSOR',
]);
const FILE_FORMAT_OPTIONS = new Set([
  'COMPRESSION', 'RECORD_DELIMITER', 'PARSE_HEADER', 'SKIP_BLANK_LINES', 'DATE_FORMAT', 'TIME_FORMAT',
  'TIMESTAMP_FORMAT', 'BINARY_FORMAT', 'ESCAPE', 'ESCAPE_UNENCLOSED_FIELD', 'TRIM_SPACE', 'ERROR_ON_COLUMN_COUNT_MISMATCH',
  'REPLACE_INVALID_CHARACTERS', 'SKIP_BYTE_ORDER_MARK', 'ENCODING', 'FILE_EXTENSION', 'MULTI_LINE',
  'BINARY_AS_TEXT', 'USE_LOGICAL_TYPE', 'USE_VECTORIZED_SCANNER', 'STRIP_OUTER_ARRAY', 'STRIP_NULL_VALUES',
  'ALLOW_DUPLICATE', 'ENABLE_OCTAL', 'IGNORE_UTF8_ERRORS', 'PRESERVE_SPACE', 'STRIP_OUTER_ELEMENT',
  'DISABLE_AUTO_CONVERT', 'DISABLE_SNOWFLAKE_DATA',
]);
const OTHER_FILE_TYPES = new Set(['JSON', 'AVRO', 'ORC', 'XML']);

type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

/**
 * The deepest parenthesis nesting a statement may have (expressions, calls, subqueries all
 * count). Parsing, binding and planning recurse once or more per level on the main thread's
 * stack, and node-sql-parser overflows somewhere past 500 levels, so deeper statements are
 * refused up front with STATEMENT_TOO_COMPLEX (390305 / 54001) instead of a stack overflow.
 * Documented in README.md (SQL reference).
 */
export const MAX_NESTING_DEPTH = 256;

/** Shared state of one script: its tokens, matching parentheses and the expression parser. */
export type ParseContext = { tokens: Token[]; match: Int32Array; vendor: VendorExpressionParser };

function unexpectedAt(tokens: Token[], i: number): SqlSyntaxError {
  const t = tokens[Math.min(i, tokens.length - 1)];
  const text = t.kind === TokenKind.EOF ? '<EOF>' : t.text;
  return new SqlSyntaxError(`unexpected '${clipValue(text)}'.`, { line: t.line, column: t.column });
}

function upperWord(t: Token): string | null {
  return t.kind === TokenKind.WORD ? t.text.toUpperCase() : null;
}

function isQueryGroup(ctx: ParseContext, open: number): boolean {
  const toks = ctx.tokens;
  const close = ctx.match[open];
  if (close < 0 || open + 1 >= close) return false;
  const first = toks[open + 1];
  const w = upperWord(first);
  if (w !== null) return w === 'SELECT' || w === 'WITH' || w === 'VALUES';
  if (first.kind !== TokenKind.OP || first.text !== '(' || !isQueryGroup(ctx, open + 1)) return false;
  const after = ctx.match[open + 1] + 1;
  if (after === close) return true;
  const aw = upperWord(toks[after]);
  return aw !== null && (SET_OPS.has(aw) || QUERY_TAIL.has(aw));
}

/** Parses one statement's tokens; see the module comment. */
export class FrontParser {
  private pos: number;

  constructor(
    private readonly ctx: ParseContext,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  /** Builds the shared context for a tokenized script. */
  static createContext(tokens: Token[]): ParseContext {
    const ctx = { tokens, match: new Int32Array(tokens.length).fill(-1) } as ParseContext;
    const sub: SubParsers = {
      parseQuery: (s, e) => new FrontParser(ctx, s, e).wholeQuery(),
      parseType: (s, e) => {
        const p = new FrontParser(ctx, s, e);
        const type = p.typeName();
        return { type, next: p.pos };
      },
      isQueryGroup: (open) => isQueryGroup(ctx, open),
      matchOf: (open) => ctx.match[open],
      unexpected: (i) => unexpectedAt(tokens, i),
      parseWindowSpec: (open) => new FrontParser(ctx, open + 1, ctx.match[open]).windowSpec(),
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
    if (this.isOp('(')) return { kind: 'query', query: this.wholeQuery() };
    const w = this.word();
    switch (w) {
      case 'SELECT':
      case 'WITH':
      case 'VALUES':
        return { kind: 'query', query: this.wholeQuery() };
      case 'EXPLAIN':
        this.pos++;
        if (this.isWord('USING')) throw new NotSupportedError('EXPLAIN USING');
        if (this.isWord('LOGICAL')) {
          this.pos++;
          if (this.atEnd()) throw this.fail();
          return { kind: 'explain', statement: this.parseStatement(), logical: true };
        }
        if (this.atEnd()) throw this.fail();
        return { kind: 'explain', statement: this.parseStatement() };
      case 'CREATE':
        return this.create();
      case 'DROP':
        return this.drop();
      case 'USE':
        return this.use();
      case 'SHOW':
        return this.show();
      case 'DESCRIBE':
      case 'DESC':
        return this.describe();
      case 'INSERT':
        return this.insert();
      case 'COPY':
        return this.copy();
      default:
        if (w === 'ALTER' && this.word(1) !== null) throw new NotSupportedError(`ALTER ${this.word(1)}`);
        if (w !== null && UNSUPPORTED_STATEMENTS.has(w)) throw new NotSupportedError(w);
        throw this.fail();
    }
  }

  // ---- token helpers ----

  private get tokens(): Token[] {
    return this.ctx.tokens;
  }

  private atEnd(): boolean {
    return this.pos >= this.end;
  }

  private tok(k = 0): Token {
    const i = this.pos + k;
    return this.tokens[i < this.end ? i : this.end];
  }

  private word(k = 0): string | null {
    return this.pos + k < this.end ? upperWord(this.tokens[this.pos + k]) : null;
  }

  private isWord(w: string, k = 0): boolean {
    return this.word(k) === w;
  }

  private acceptWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.pos++;
    return true;
  }

  private expectWord(w: string): void {
    if (!this.acceptWord(w)) throw this.fail();
  }

  private isOp(op: string, k = 0): boolean {
    const i = this.pos + k;
    return i < this.end && this.tokens[i].kind === TokenKind.OP && this.tokens[i].text === op;
  }

  private acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }

  private expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.fail();
  }

  /** A syntax error at the token k positions ahead (negative: behind). */
  private fail(k = 0): SqlSyntaxError {
    return unexpectedAt(this.tokens, Math.min(this.pos + k, this.end));
  }

  private expectEnd(): void {
    if (!this.atEnd()) throw this.fail();
  }

  private child(start: number, end: number): FrontParser {
    return new FrontParser(this.ctx, start, end);
  }

  /** Index of the first depth-0 word in [pos, end) for which `stop` holds, else end. */
  private scanTo(stop: (word: string, i: number) => boolean): number {
    for (let i = this.pos; i < this.end; i++) {
      const t = this.tokens[i];
      if (t.kind === TokenKind.OP && t.text === '(') i = this.ctx.match[i];
      else if (t.kind === TokenKind.WORD && stop(t.text.toUpperCase(), i)) return i;
    }
    return this.end;
  }

  /** Splits [s, e) at depth-0 commas; an empty part is a syntax error. */
  private splitCommas(s: number, e: number): [number, number][] {
    const parts: [number, number][] = [];
    let from = s;
    for (let i = s; i < e; i++) {
      const t = this.tokens[i];
      if (t.kind !== TokenKind.OP) continue;
      if (t.text === '(') i = this.ctx.match[i];
      else if (t.text === ',') {
        if (i === from) throw unexpectedAt(this.tokens, i);
        parts.push([from, i]);
        from = i + 1;
      }
    }
    if (from === e) throw unexpectedAt(this.tokens, e);
    parts.push([from, e]);
    return parts;
  }

  /** An identifier: unquoted -> upper-cased (reserved words refused), "quoted" -> verbatim. */
  private identifier(): string {
    const t = this.tok();
    if (!this.atEnd()) {
      if (t.kind === TokenKind.QUOTED) {
        this.pos++;
        return t.value;
      }
      if (t.kind === TokenKind.WORD && !RESERVED_WORDS.has(t.text.toUpperCase())) {
        this.pos++;
        return t.text.toUpperCase();
      }
    }
    throw this.fail();
  }

  /** `[db.][schema.]name` with at most `maxParts` parts. */
  private objectName(maxParts = 3): ObjectName {
    const parts = [this.identifier()];
    while (this.isOp('.')) {
      if (parts.length === maxParts) throw this.fail();
      this.pos++;
      parts.push(this.identifier());
    }
    return { parts };
  }

  /** `( ident, ... )` */
  private identList(): string[] {
    this.expectOp('(');
    const names = [this.identifier()];
    while (this.acceptOp(',')) names.push(this.identifier());
    this.expectOp(')');
    return names;
  }

  private ifNotExists(): boolean {
    if (!this.acceptWord('IF')) return false;
    this.expectWord('NOT');
    this.expectWord('EXISTS');
    return true;
  }

  private ifExists(): boolean {
    if (!this.acceptWord('IF')) return false;
    this.expectWord('EXISTS');
    return true;
  }

  private expr(s: number, e: number): Expr {
    if (s >= e) throw unexpectedAt(this.tokens, e);
    return this.ctx.vendor.parseExpression(s, e);
  }

  /** A type name: NUMBER(10,2), DOUBLE PRECISION, VARCHAR, TIMESTAMP_NTZ(9), ... */
  typeName(): TypeName {
    const w = this.word();
    if (w === null || RESERVED_WORDS.has(w)) throw this.fail();
    this.pos++;
    let name = w;
    if (name === 'DOUBLE' && this.acceptWord('PRECISION')) name = 'DOUBLE PRECISION';
    else if ((name === 'CHARACTER' || name === 'CHAR') && this.acceptWord('VARYING')) name = 'CHARACTER VARYING';
    const params: number[] = [];
    if (this.acceptOp('(')) {
      do {
        const t = this.tok();
        if (this.atEnd() || t.kind !== TokenKind.NUMBER || !/^\d+$/.test(t.text)) throw this.fail();
        params.push(Number(t.text));
        this.pos++;
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    return { name, params };
  }

  // ---- queries ----

  /** A query that must fill the whole range. */
  wholeQuery(): Query {
    const q = this.query();
    this.expectEnd();
    return q;
  }

  private query(): Query {
    const withs: Query['with'] = [];
    if (this.acceptWord('WITH')) {
      if (this.isWord('RECURSIVE')) throw new NotSupportedError('WITH RECURSIVE');
      do {
        const name = this.identifier();
        const columns = this.isOp('(') ? this.identList() : null;
        this.expectWord('AS');
        withs.push({ name, columns, query: this.parenQuery() });
      } while (this.acceptOp(','));
    }
    const body = this.unionLevel();
    const orderBy = this.isWord('ORDER') ? this.orderBy() : [];
    const { limit, offset } = this.limitClause();
    return { with: withs, body, orderBy, limit, offset };
  }

  /** `( query )` at pos. */
  private parenQuery(): Query {
    if (!this.isOp('(')) throw this.fail();
    if (!isQueryGroup(this.ctx, this.pos)) throw this.fail(1);
    const close = this.ctx.match[this.pos];
    const q = this.child(this.pos + 1, close).wholeQuery();
    this.pos = close + 1;
    return q;
  }

  /** UNION / EXCEPT / MINUS: left-associative, below INTERSECT. */
  private unionLevel(): QueryBody {
    let left = this.intersectLevel();
    for (;;) {
      if (this.acceptWord('UNION')) {
        const all = this.acceptWord('ALL');
        if (!all) this.acceptWord('DISTINCT');
        if (this.isWord('BY')) throw new NotSupportedError('UNION BY NAME');
        left = { kind: 'set_operation', op: 'UNION', all, left, right: this.intersectLevel() };
      } else if (this.acceptWord('EXCEPT') || this.acceptWord('MINUS')) {
        if (this.isWord('ALL')) throw new NotSupportedError('EXCEPT ALL');
        left = { kind: 'set_operation', op: 'EXCEPT', all: false, left, right: this.intersectLevel() };
      } else {
        return left;
      }
    }
  }

  private intersectLevel(): QueryBody {
    let left = this.queryPrimary();
    while (this.acceptWord('INTERSECT')) {
      if (this.isWord('ALL')) throw new NotSupportedError('INTERSECT ALL');
      left = { kind: 'set_operation', op: 'INTERSECT', all: false, left, right: this.queryPrimary() };
    }
    return left;
  }

  private queryPrimary(): QueryBody {
    if (this.isWord('SELECT')) return this.selectCore();
    if (this.isWord('VALUES')) return this.values();
    if (this.isOp('(')) {
      const q = this.parenQuery();
      if (q.with.length === 0 && q.orderBy.length === 0 && q.limit === null && q.offset === null) return q.body;
      // A parenthesized query with its own WITH/ORDER BY/LIMIT becomes SELECT * FROM (query).
      return {
        kind: 'select',
        distinct: false,
        items: [{ kind: 'star', table: null, exclude: [], rename: [] }],
        from: { kind: 'derived', query: q, alias: null },
        where: null,
        groupBy: [],
        groupingSets: null,
        having: null,
        qualify: null,
      };
    }
    throw this.fail();
  }

  private selectCore(): Select {
    const coreEnd = this.scanTo((w) => SET_OPS.has(w) || QUERY_TAIL.has(w));
    this.expectWord('SELECT');
    const distinct = this.acceptWord('DISTINCT');
    if (!distinct) this.acceptWord('ALL');
    if (this.isWord('TOP')) throw new NotSupportedError('SELECT TOP');

    const clauses: { word: string; at: number }[] = [];
    const core = this.child(this.pos, coreEnd);
    core.scanTo((w, i) => {
      if (w === 'WINDOW') throw new NotSupportedError('The WINDOW clause');
      if (!SELECT_CLAUSES.includes(w)) return false;
      if (w === 'FROM' && this.endsDistinctFrom(i)) return false;
      if (w === 'GROUP' && i > 0 && upperWord(this.tokens[i - 1]) === 'WITHIN') throw new NotSupportedError('WITHIN GROUP');
      const last = clauses[clauses.length - 1];
      if (last && SELECT_CLAUSES.indexOf(last.word) >= SELECT_CLAUSES.indexOf(w)) throw unexpectedAt(this.tokens, i);
      clauses.push({ word: w, at: i });
      return false;
    });

    const listEnd = clauses.length > 0 ? clauses[0].at : coreEnd;
    if (listEnd === this.pos) throw this.fail();
    const select: Select = {
      kind: 'select',
      distinct,
      items: this.ctx.vendor.parseSelectList(this.pos, listEnd),
      from: null,
      where: null,
      groupBy: [],
      groupingSets: null,
      having: null,
      qualify: null,
    };
    clauses.forEach((c, k) => {
      const e = k + 1 < clauses.length ? clauses[k + 1].at : coreEnd;
      let s = c.at + 1;
      if (c.word === 'GROUP') {
        if (upperWord(this.tokens[s]) !== 'BY' || s >= e) throw unexpectedAt(this.tokens, s);
        s++;
      }
      if (s >= e) throw unexpectedAt(this.tokens, e);
      switch (c.word) {
        case 'FROM':
          select.from = this.child(s, e).fromClause();
          break;
        case 'WHERE':
          select.where = this.expr(s, e);
          break;
        case 'GROUP':
          this.groupBy(s, e, select);
          break;
        case 'HAVING':
          select.having = this.expr(s, e);
          break;
        case 'QUALIFY':
          select.qualify = this.expr(s, e);
          break;
      }
    });
    this.pos = coreEnd;
    return select;
  }

  /** Whether the FROM at `i` ends an `IS [NOT] DISTINCT FROM` operator (not a FROM clause). */
  private endsDistinctFrom(i: number): boolean {
    const at = (k: number) => (k >= 0 ? upperWord(this.tokens[k]) : null);
    return at(i - 1) === 'DISTINCT' && (at(i - 2) === 'IS' || (at(i - 2) === 'NOT' && at(i - 3) === 'IS'));
  }

  /**
   * GROUP BY items [s, e): plain items go to `groupBy`, one ROLLUP / CUBE / GROUPING SETS to
   * `groupingSets` (Snowflake: `GROUP BY a, b, ROLLUP (c, d)` groups by a, b plus each set).
   */
  private groupBy(s: number, e: number, select: Select): void {
    for (const [a, b] of this.splitCommas(s, e)) {
      const sets = this.groupingSets(a, b);
      if (sets === null) {
        select.groupBy.push(this.groupItem(a, b));
      } else {
        if (select.groupingSets !== null) throw new NotSupportedError('More than one ROLLUP, CUBE or GROUPING SETS in a GROUP BY');
        select.groupingSets = sets;
      }
    }
  }

  /** The `ROLLUP (...)`, `CUBE (...)` or `GROUPING SETS (...)` filling [s, e), else null. */
  private groupingSets(s: number, e: number): GroupingSets | null {
    const w = upperWord(this.tokens[s]);
    const isOpen = (i: number) => i < e && this.tokens[i].kind === TokenKind.OP && this.tokens[i].text === '(';
    let open: number;
    if ((w === 'ROLLUP' || w === 'CUBE') && isOpen(s + 1)) open = s + 1;
    else if (w === 'GROUPING' && s + 1 < e && upperWord(this.tokens[s + 1]) === 'SETS') open = s + 2;
    else return null;
    if (!isOpen(open)) throw unexpectedAt(this.tokens, open);
    const close = this.ctx.match[open];
    if (close + 1 < e) throw unexpectedAt(this.tokens, close + 1);
    const parts = this.splitCommas(open + 1, close);
    if (w === 'ROLLUP' || w === 'CUBE') return { kind: w === 'ROLLUP' ? 'rollup' : 'cube', exprs: parts.map(([a, b]) => this.groupItem(a, b)) };
    return { kind: 'grouping_sets', sets: parts.map(([a, b]) => this.groupingSet(a, b)) };
  }

  /** One grouping set [s, e): `()`, `(a, b)` or a single item `a` (= `(a)`). */
  private groupingSet(s: number, e: number): Expr[] {
    const t = this.tokens[s];
    if (t.kind === TokenKind.OP && t.text === '(' && this.ctx.match[s] === e - 1 && !isQueryGroup(this.ctx, s)) {
      if (s + 1 === e - 1) return [];
      return this.splitCommas(s + 1, e - 1).map(([a, b]) => this.groupItem(a, b));
    }
    return [this.groupItem(s, e)];
  }

  /** One grouping expression; nested ROLLUP / CUBE / GROUPING SETS have no form in the AST. */
  private groupItem(s: number, e: number): Expr {
    const w = upperWord(this.tokens[s]);
    if (w === 'ALL' && e - s === 1) throw new NotSupportedError('GROUP BY ALL');
    const nested = s + 1 < e ? this.tokens[s + 1] : null;
    if (((w === 'ROLLUP' || w === 'CUBE') && nested?.text === '(') || (w === 'GROUPING' && nested !== null && upperWord(nested) === 'SETS')) {
      throw new NotSupportedError(`${w === 'GROUPING' ? 'GROUPING SETS' : w} nested in another grouping construct`);
    }
    return this.expr(s, e);
  }

  /** `VALUES (...), (...)`; `inFrom`: a comma not followed by '(' ends the rows (it separates FROM items). */
  private values(inFrom = false): QueryBody {
    this.expectWord('VALUES');
    const rows: [number, number][][] = [];
    do {
      if (!this.isOp('(')) throw this.fail();
      const close = this.ctx.match[this.pos];
      const cells = this.splitCommas(this.pos + 1, close);
      for (const [s, e] of cells) {
        if (e - s === 1 && upperWord(this.tokens[s]) === 'DEFAULT') throw new NotSupportedError('DEFAULT in VALUES');
      }
      rows.push(cells);
      this.pos = close + 1;
    } while ((!inFrom || this.isOp('(', 1)) && this.acceptOp(','));
    // One expression-parser call for all cells: long VALUES lists parse in one vendor pass.
    const exprs = this.ctx.vendor.parseExpressions(rows.flat());
    let k = 0;
    return { kind: 'values', rows: rows.map((r) => r.map(() => exprs[k++])) };
  }

  private orderBy(): OrderItem[] {
    this.expectWord('ORDER');
    this.expectWord('BY');
    const end = this.scanTo((w) => w === 'LIMIT' || w === 'OFFSET' || w === 'FETCH');
    const items = this.splitCommas(this.pos, end).map(([s, e]) => this.orderItem(s, e));
    this.pos = end;
    return items;
  }

  /** `expr [ASC|DESC] [NULLS FIRST|LAST]` filling [s, e). */
  private orderItem(s: number, e: number): OrderItem {
    const wordAt = (i: number) => (i >= s ? upperWord(this.tokens[i]) : null);
    let j = e;
    let nullsFirst: boolean | null = null;
    if (wordAt(j - 2) === 'NULLS' && (wordAt(j - 1) === 'FIRST' || wordAt(j - 1) === 'LAST')) {
      nullsFirst = wordAt(j - 1) === 'FIRST';
      j -= 2;
    } else if (wordAt(j - 1) === 'NULLS' && (wordAt(j - 2) === 'ASC' || wordAt(j - 2) === 'DESC')) {
      // `a DESC NULLS`: FIRST or LAST is missing at the end.
      throw unexpectedAt(this.tokens, e);
    }
    let desc = false;
    if (wordAt(j - 1) === 'ASC' || wordAt(j - 1) === 'DESC') {
      desc = wordAt(j - 1) === 'DESC';
      j--;
    }
    return { expr: this.expr(s, j), desc, nullsFirst };
  }

  // ---- window OVER clauses ----

  /** The whole range (inside `OVER ( ... )`): `[PARTITION BY e, ...] [ORDER BY item, ...] [frame]`. */
  windowSpec(): WindowSpec {
    const spec: WindowSpec = { partitionBy: [], orderBy: [], frame: null };
    if (this.acceptWord('PARTITION')) {
      this.expectWord('BY');
      const e = this.scanTo((w, i) => w === 'ORDER' || this.opensFrame(w, i));
      spec.partitionBy = this.splitCommas(this.pos, e).map(([a, b]) => this.expr(a, b));
      this.pos = e;
    }
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      const e = this.scanTo((w, i) => this.opensFrame(w, i));
      spec.orderBy = this.splitCommas(this.pos, e).map(([a, b]) => this.orderItem(a, b));
      this.pos = e;
    }
    const units = this.word();
    if (units === 'GROUPS') throw new NotSupportedError('GROUPS window frames');
    if (units === 'ROWS' || units === 'RANGE') {
      this.pos++;
      spec.frame = this.windowFrame(units);
    }
    if (this.isWord('EXCLUDE')) throw new NotSupportedError('EXCLUDE in window frames');
    this.expectEnd();
    return spec;
  }

  /** Whether the depth-0 word at i starts the frame: ROWS, or RANGE/GROUPS before a bound. */
  private opensFrame(w: string, i: number): boolean {
    if (!FRAME_UNITS.has(w)) return false;
    if (w === 'ROWS') return true;
    const next = i + 1 < this.end ? this.tokens[i + 1] : null;
    return next !== null && (next.kind === TokenKind.NUMBER || FRAME_BOUND_STARTS.has(upperWord(next) ?? ''));
  }

  /** `BETWEEN bound AND bound`, or one bound meaning `BETWEEN bound AND CURRENT ROW`. */
  private windowFrame(units: 'ROWS' | 'RANGE'): WindowFrameSpec {
    const between = this.acceptWord('BETWEEN');
    const startAt = this.pos;
    const start = this.frameBound(units);
    let end: FrameBoundSpec = { kind: 'current_row' };
    let endAt = startAt;
    if (between) {
      this.expectWord('AND');
      endAt = this.pos;
      end = this.frameBound(units);
    }
    const at = (i: number) => ({ line: this.tokens[i].line, column: this.tokens[i].column });
    if (start.kind === 'unbounded_following') throw new SqlSyntaxError('a window frame cannot start at UNBOUNDED FOLLOWING.', at(startAt));
    if (end.kind === 'unbounded_preceding') throw new SqlSyntaxError('a window frame cannot end at UNBOUNDED PRECEDING.', at(endAt));
    if (BOUND_ORDER[start.kind] > BOUND_ORDER[end.kind]) throw new SqlSyntaxError('a window frame cannot start after its end.', at(startAt));
    return { units, start, end };
  }

  /** `UNBOUNDED PRECEDING|FOLLOWING`, `CURRENT ROW` or `<n> PRECEDING|FOLLOWING` (ROWS: n an integer). */
  private frameBound(units: 'ROWS' | 'RANGE'): FrameBoundSpec {
    if (this.acceptWord('UNBOUNDED')) {
      if (this.acceptWord('PRECEDING')) return { kind: 'unbounded_preceding' };
      this.expectWord('FOLLOWING');
      return { kind: 'unbounded_following' };
    }
    if (this.acceptWord('CURRENT')) {
      this.expectWord('ROW');
      return { kind: 'current_row' };
    }
    const t = this.tok();
    if (this.isWord('INTERVAL')) throw new NotSupportedError('INTERVAL offsets in window frames');
    if (this.atEnd() || t.kind !== TokenKind.NUMBER || (units === 'ROWS' && !/^\d+$/.test(t.text))) throw this.fail();
    this.pos++;
    if (this.acceptWord('PRECEDING')) return { kind: 'preceding', offset: t.text };
    this.expectWord('FOLLOWING');
    return { kind: 'following', offset: t.text };
  }

  private limitClause(): { limit: Expr | null; offset: Expr | null } {
    let limit: Expr | null = null;
    let offset: Expr | null = null;
    if (this.acceptWord('LIMIT')) {
      const e = this.scanTo((w) => w === 'OFFSET' || w === 'FETCH');
      limit = this.expr(this.pos, e);
      this.pos = e;
      if (this.acceptWord('OFFSET')) {
        offset = this.expr(this.pos, this.end);
        this.pos = this.end;
      }
    } else if (this.acceptWord('OFFSET')) {
      const e = this.scanTo((w) => w === 'ROW' || w === 'ROWS' || w === 'FETCH');
      offset = this.expr(this.pos, e);
      this.pos = e;
      if (!this.acceptWord('ROW')) this.acceptWord('ROWS');
      if (this.isWord('FETCH')) limit = this.fetch();
    } else if (this.isWord('FETCH')) {
      limit = this.fetch();
    }
    return { limit, offset };
  }

  /** FETCH {FIRST|NEXT} [n] {ROW|ROWS} [ONLY] */
  private fetch(): Expr {
    this.expectWord('FETCH');
    if (!this.acceptWord('FIRST')) this.expectWord('NEXT');
    const e = this.scanTo((w) => w === 'ROW' || w === 'ROWS' || w === 'ONLY');
    const count: Expr = e > this.pos ? this.expr(this.pos, e) : { kind: 'number', text: '1' };
    this.pos = e;
    if (!this.acceptWord('ROW')) this.expectWord('ROWS');
    this.acceptWord('ONLY');
    return count;
  }

  // ---- FROM ----

  /** The whole range as a FROM list: comma-separated items are CROSS joins. */
  fromClause(): TableRef {
    let left = this.joinedTable();
    while (this.acceptOp(',')) {
      left = { kind: 'join', joinType: 'CROSS', left, right: this.joinedTable(), on: null, using: null, natural: false };
    }
    this.expectEnd();
    return left;
  }

  private joinedTable(): TableRef {
    let left = this.tablePrimary();
    for (;;) {
      const natural = this.acceptWord('NATURAL');
      let joinType: JoinType | null = null;
      if (this.acceptWord('INNER')) joinType = 'INNER';
      else if (this.isWord('LEFT') || this.isWord('RIGHT') || this.isWord('FULL')) {
        joinType = this.word() as JoinType;
        this.pos++;
        this.acceptWord('OUTER');
      } else if (this.isWord('CROSS')) {
        if (natural) throw this.fail();
        this.pos++;
        joinType = 'CROSS';
      } else if (this.isWord('ASOF')) {
        throw new NotSupportedError('ASOF JOIN');
      }
      if (joinType === null && !this.isWord('JOIN')) {
        if (natural) throw this.fail();
        return left;
      }
      this.expectWord('JOIN');
      const right = this.tablePrimary();
      let on: Expr | null = null;
      let using: string[] | null = null;
      if (joinType !== 'CROSS' && !natural) {
        if (this.acceptWord('ON')) {
          const stop = Math.min(this.scanTo((w, i) => this.endsJoinCondition(w, i)), this.nextDepth0Comma());
          on = this.expr(this.pos, stop);
          this.pos = stop;
        } else if (this.acceptWord('USING')) {
          using = this.identList();
        } else if (joinType !== null && joinType !== 'INNER') {
          throw this.fail();
        }
      }
      left = { kind: 'join', joinType: joinType ?? 'INNER', left, right, on, using, natural };
    }
  }

  private endsJoinCondition(w: string, i: number): boolean {
    if (w === 'JOIN' || w === 'INNER' || w === 'CROSS' || w === 'NATURAL' || w === 'FULL' || w === 'ASOF') return true;
    if (w === 'LEFT' || w === 'RIGHT') {
      const n = i + 1 < this.end ? upperWord(this.tokens[i + 1]) : null;
      return n === 'JOIN' || n === 'OUTER';
    }
    return false;
  }

  private nextDepth0Comma(): number {
    for (let i = this.pos; i < this.end; i++) {
      const t = this.tokens[i];
      if (t.kind !== TokenKind.OP) continue;
      if (t.text === '(') i = this.ctx.match[i];
      else if (t.text === ',') return i;
    }
    return this.end;
  }

  private tablePrimary(): TableRef {
    if (this.isOp('(')) {
      if (isQueryGroup(this.ctx, this.pos)) {
        const query = this.parenQuery();
        return this.derivedAlias(query);
      }
      const close = this.ctx.match[this.pos];
      const inner = this.child(this.pos + 1, close).fromClause();
      this.pos = close + 1;
      return inner;
    }
    if (this.isWord('VALUES')) {
      // FROM VALUES (...), (...) [AS] v(a, b): the rows end at a comma not followed by '('.
      const body = this.values(true);
      return this.derivedAlias({ with: [], body, orderBy: [], limit: null, offset: null });
    }
    if (this.isWord('LATERAL')) throw new NotSupportedError('LATERAL');
    if (this.isWord('TABLE') && this.isOp('(', 1)) throw new NotSupportedError('Table functions');
    if (this.isOp('@')) throw new NotSupportedError('Stages in FROM');
    const name = this.objectName();
    if (this.isOp('(')) throw new NotSupportedError('Table functions');
    if ((this.isWord('AT') || this.isWord('BEFORE')) && this.isOp('(', 1)) throw new NotSupportedError('Time travel (AT | BEFORE)');
    if (this.isWord('CHANGES')) throw new NotSupportedError('CHANGES');
    if (this.isWord('SAMPLE') || this.isWord('TABLESAMPLE')) throw new NotSupportedError('SAMPLE');
    const alias = this.alias();
    if (this.isOp('(')) throw new NotSupportedError('Column aliases in FROM');
    for (const w of ['PIVOT', 'UNPIVOT', 'MATCH_RECOGNIZE']) if (this.isWord(w)) throw new NotSupportedError(w);
    return { kind: 'table', name, alias };
  }

  /** The `[AS] alias [(c1, ...)]` after a derived table or VALUES in FROM. */
  private derivedAlias(query: Query): TableRef {
    const alias = this.alias();
    if (!this.isOp('(')) return { kind: 'derived', query, alias };
    if (alias === null) throw this.fail();
    return { kind: 'derived', query, alias, columns: this.identList() };
  }

  private alias(): string | null {
    if (this.acceptWord('AS')) return this.identifier();
    if (this.atEnd()) return null;
    const t = this.tok();
    if (t.kind === TokenKind.QUOTED) {
      this.pos++;
      return t.value;
    }
    if (t.kind === TokenKind.WORD && !NOT_AN_ALIAS.has(t.text.toUpperCase())) {
      this.pos++;
      return t.text.toUpperCase();
    }
    return null;
  }

  // ---- DDL ----

  private create(): Statement {
    this.expectWord('CREATE');
    let orReplace = false;
    if (this.acceptWord('OR')) {
      this.expectWord('REPLACE');
      orReplace = true;
    }
    const w = this.word();
    switch (w) {
      case 'DATABASE': {
        this.pos++;
        const ifNotExists = this.ifNotExistsWith(orReplace);
        const name = this.objectName(1).parts[0];
        this.noObjectOptions('CREATE DATABASE');
        return { kind: 'create_database', name, ifNotExists, orReplace };
      }
      case 'SCHEMA': {
        this.pos++;
        const ifNotExists = this.ifNotExistsWith(orReplace);
        const name = this.objectName(2);
        this.noObjectOptions('CREATE SCHEMA');
        return { kind: 'create_schema', name, ifNotExists, orReplace };
      }
      case 'TABLE':
        this.pos++;
        return this.createTable(orReplace);
      case 'WAREHOUSE':
        this.pos++;
        return this.createWarehouse(orReplace);
      default:
        if (w !== null && UNSUPPORTED_OBJECTS.has(w)) throw new NotSupportedError(`CREATE ${w}`);
        throw this.fail();
    }
  }

  private ifNotExistsWith(orReplace: boolean): boolean {
    const ifNotExists = this.ifNotExists();
    if (ifNotExists && orReplace) throw new CompilationError('SYNTAX', 'SQL compilation error: OR REPLACE and IF NOT EXISTS are incompatible.');
    return ifNotExists;
  }

  /** Anything after a database or schema name: CLONE and properties are not supported. */
  private noObjectOptions(what: string): void {
    if (this.atEnd()) return;
    const w = this.word();
    if (w === 'CLONE') throw new NotSupportedError(`${what} ... CLONE`);
    if (w === 'WITH') throw new NotSupportedError(`${what} ... WITH`);
    if (w !== null && this.isOp('=', 1)) throw new NotSupportedError(`${what} option ${w}`);
    throw this.fail();
  }

  private createTable(orReplace: boolean): Statement {
    const ifNotExists = this.ifNotExistsWith(orReplace);
    const name = this.objectName();
    for (const w of ['LIKE', 'CLONE', 'USING']) if (this.isWord(w)) throw new NotSupportedError(`CREATE TABLE ... ${w}`);
    const columns = this.isOp('(') ? this.columnDefs() : [];
    let clusterBy: string[] = [];
    if (this.acceptWord('CLUSTER')) {
      this.expectWord('BY');
      clusterBy = this.clusterKeys();
    }
    const w = this.word();
    if (w !== null && w !== 'AS' && (this.isOp('=', 1) || w === 'COPY' || w === 'WITH')) throw new NotSupportedError(`CREATE TABLE option ${w}`);
    let asQuery: Query | null = null;
    if (this.acceptWord('AS')) asQuery = this.wholeQuery();
    else if (columns.length === 0) throw this.fail();
    this.expectEnd();
    return { kind: 'create_table', name, columns, ifNotExists, orReplace, clusterBy, asQuery };
  }

  private columnDefs(): ColumnDef[] {
    const close = this.ctx.match[this.pos];
    const defs = this.splitCommas(this.pos + 1, close).map(([s, e]) => this.child(s, e).columnDef());
    this.pos = close + 1;
    return defs;
  }

  private columnDef(): ColumnDef {
    const first = this.word();
    if (first === 'CONSTRAINT' || first === 'PRIMARY' || first === 'UNIQUE' || first === 'FOREIGN' || first === 'CHECK') {
      throw new NotSupportedError('Table constraints');
    }
    const name = this.identifier();
    const type = this.typeName();
    let nullable = true;
    while (!this.atEnd()) {
      if (this.acceptWord('NOT')) {
        this.expectWord('NULL');
        nullable = false;
      } else if (this.acceptWord('NULL')) {
        nullable = true;
      } else {
        const w = this.word();
        if (w !== null && COLUMN_OPTIONS.has(w)) throw new NotSupportedError(`Column option ${w}`);
        throw this.fail();
      }
    }
    return { name, type, nullable };
  }

  /** CLUSTER BY ( col, ... ): plain column names; expressions are not supported. */
  private clusterKeys(): string[] {
    if (!this.isOp('(')) throw this.fail();
    const close = this.ctx.match[this.pos];
    const keys = this.splitCommas(this.pos + 1, close).map(([s, e]) => {
      const t = this.tokens[s];
      if (e - s === 1 && (t.kind === TokenKind.WORD || t.kind === TokenKind.QUOTED)) return this.child(s, e).identifier();
      this.expr(s, e);
      throw new NotSupportedError('CLUSTER BY expressions');
    });
    this.pos = close + 1;
    return keys;
  }

  /**
   * CREATE WAREHOUSE properties: WAREHOUSE_SIZE is the one Firn implements; Snowflake's other
   * properties and parameters raise NotSupportedError naming them (so a script is never run
   * with a setting silently ignored), and any other name is an invalid property (001423).
   */
  private createWarehouse(orReplace: boolean): Statement {
    const ifNotExists = this.ifNotExistsWith(orReplace);
    const name = this.objectName(1).parts[0];
    let size: string | null = null;
    while (!this.atEnd()) {
      if (this.acceptOp(',') || this.acceptWord('WITH')) continue;
      const prop = this.word();
      if (prop === null) throw this.fail();
      if (prop === 'TAG' && this.isOp('(', 1)) throw new NotSupportedError('CREATE WAREHOUSE ... WITH TAG');
      if (!this.isOp('=', 1)) {
        this.pos++;
        throw this.fail();
      }
      if (prop !== 'WAREHOUSE_SIZE') {
        if (UNIMPLEMENTED_WAREHOUSE_PROPERTIES.has(prop)) throw new NotSupportedError(`Warehouse property ${prop}`);
        throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid property '${prop}' for 'WAREHOUSE'`);
      }
      this.pos += 2;
      const v = this.tok();
      if (this.atEnd() || (v.kind !== TokenKind.WORD && v.kind !== TokenKind.STRING && v.kind !== TokenKind.NUMBER)) throw this.fail();
      this.pos++;
      size = (v.kind === TokenKind.STRING ? v.value : v.text).toUpperCase();
    }
    return { kind: 'create_warehouse', name, ifNotExists, orReplace, size };
  }

  private drop(): Statement {
    this.expectWord('DROP');
    const w = this.word();
    let st: Statement;
    switch (w) {
      case 'DATABASE':
        this.pos++;
        st = { kind: 'drop_database', ifExists: this.ifExists(), name: this.objectName(1).parts[0] };
        break;
      case 'SCHEMA':
        this.pos++;
        st = { kind: 'drop_schema', ifExists: this.ifExists(), name: this.objectName(2) };
        break;
      case 'TABLE':
        this.pos++;
        st = { kind: 'drop_table', ifExists: this.ifExists(), name: this.objectName(3) };
        break;
      case 'WAREHOUSE':
        this.pos++;
        st = { kind: 'drop_warehouse', ifExists: this.ifExists(), name: this.objectName(1).parts[0] };
        this.expectEnd();
        return st;
      default:
        if (w !== null && UNSUPPORTED_OBJECTS.has(w)) throw new NotSupportedError(`DROP ${w}`);
        throw this.fail();
    }
    // CASCADE is Snowflake's default for databases and schemas; RESTRICT is not supported.
    if (!this.acceptWord('CASCADE') && this.isWord('RESTRICT')) throw new NotSupportedError(`DROP ${w} ... RESTRICT`);
    this.expectEnd();
    return st;
  }

  private use(): Statement {
    this.expectWord('USE');
    if (this.isWord('ROLE') || this.isWord('SECONDARY')) throw new NotSupportedError(`USE ${this.word()}`);
    let objectType: 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | null = null;
    let maxParts = 2;
    for (const [w, parts] of [['DATABASE', 1], ['SCHEMA', 2], ['WAREHOUSE', 1]] as const) {
      if (this.acceptWord(w)) {
        objectType = w;
        maxParts = parts;
        break;
      }
    }
    const name = this.objectName(maxParts);
    this.expectEnd();
    return { kind: 'use', objectType, name };
  }

  private show(): Statement {
    this.expectWord('SHOW');
    if (this.isWord('TERSE')) throw new NotSupportedError('SHOW TERSE');
    const w = this.word();
    if (w !== 'DATABASES' && w !== 'SCHEMAS' && w !== 'TABLES' && w !== 'WAREHOUSES') {
      if (w !== null && UNSUPPORTED_SHOW.has(w)) throw new NotSupportedError(`SHOW ${w}`);
      throw this.fail();
    }
    this.pos++;
    if (this.isWord('HISTORY')) throw new NotSupportedError(`SHOW ${w} HISTORY`);
    let like: string | null = null;
    if (this.acceptWord('LIKE')) {
      const t = this.tok();
      if (this.atEnd() || t.kind !== TokenKind.STRING) throw this.fail();
      like = t.value;
      this.pos++;
    }
    let inName: ObjectName | null = null;
    if (this.isWord('IN')) {
      if (w === 'DATABASES' || w === 'WAREHOUSES') throw this.fail();
      this.pos++;
      const scopeEnds = () => this.atEnd() || this.isWord('STARTS') || this.isWord('LIMIT');
      if (this.isWord('ACCOUNT')) throw new NotSupportedError(`SHOW ${w} IN ACCOUNT`);
      if (this.acceptWord('DATABASE')) {
        // For TABLES a database scope (all schemas) has no form in the AST: `in` names a schema.
        if (w === 'TABLES') throw new NotSupportedError('SHOW TABLES IN DATABASE');
        inName = scopeEnds() ? null : this.objectName(1);
      } else if (this.isWord('SCHEMA')) {
        if (w === 'SCHEMAS') throw this.fail();
        this.pos++;
        inName = scopeEnds() ? null : this.objectName(2);
      } else {
        inName = this.objectName(w === 'SCHEMAS' ? 1 : 2);
      }
    }
    if (this.isWord('STARTS')) throw new NotSupportedError(`SHOW ${w} ... STARTS WITH`);
    if (this.isWord('LIMIT')) throw new NotSupportedError(`SHOW ${w} ... LIMIT`);
    this.expectEnd();
    return { kind: 'show', objectType: w, in: inName, like };
  }

  private describe(): Statement {
    this.pos++;
    if (this.acceptWord('TABLE')) {
      const name = this.objectName();
      if (this.isWord('TYPE')) throw new NotSupportedError('DESCRIBE TABLE ... TYPE');
      this.expectEnd();
      return { kind: 'describe_table', name };
    }
    const w = this.word();
    if (w !== null && (UNSUPPORTED_OBJECTS.has(w) || ['SCHEMA', 'DATABASE', 'WAREHOUSE', 'RESULT', 'VIEW', 'QUERY'].includes(w))) {
      throw new NotSupportedError(`DESCRIBE ${w}`);
    }
    throw this.fail();
  }

  // ---- DML ----

  private insert(): Statement {
    this.expectWord('INSERT');
    if (this.isWord('OVERWRITE')) throw new NotSupportedError('INSERT OVERWRITE');
    if (this.isWord('ALL') || this.isWord('FIRST')) throw new NotSupportedError('Multi-table INSERT');
    this.expectWord('INTO');
    const table = this.objectName();
    const columns = this.isOp('(') && !isQueryGroup(this.ctx, this.pos) ? this.identList() : null;
    if (!(this.isWord('VALUES') || this.isWord('SELECT') || this.isWord('WITH') || this.isOp('('))) throw this.fail();
    return { kind: 'insert', table, columns, source: this.wholeQuery() };
  }

  private copy(): Statement {
    this.expectWord('COPY');
    this.expectWord('INTO');
    if (this.isOp('@') || this.tok().kind === TokenKind.STRING) throw new NotSupportedError('COPY INTO <location> (unloading)');
    const table = this.objectName();
    if (this.isOp('(')) throw new NotSupportedError('COPY INTO with a column list');
    this.expectWord('FROM');
    const src = this.tok();
    if (this.isOp('@')) throw new NotSupportedError('Stages in COPY INTO');
    if (this.isOp('(')) throw new NotSupportedError('COPY transformations (FROM (SELECT ...))');
    if (this.atEnd() || src.kind !== TokenKind.STRING) throw this.fail();
    this.pos++;
    let fileFormat = this.fileFormatOptions(this.pos, this.pos);
    let onError: 'ABORT_STATEMENT' | 'CONTINUE' = 'ABORT_STATEMENT';
    let force = false;
    while (!this.atEnd()) {
      if (this.acceptOp(',')) continue;
      const opt = this.word();
      if (opt === 'FILE_FORMAT') {
        this.pos++;
        this.expectOp('=');
        if (!this.isOp('(')) throw this.fail();
        const close = this.ctx.match[this.pos];
        fileFormat = this.fileFormatOptions(this.pos + 1, close);
        this.pos = close + 1;
      } else if (opt === 'ON_ERROR') {
        this.pos++;
        this.expectOp('=');
        const v = this.optionValue();
        if (v === 'ABORT_STATEMENT' || v === 'CONTINUE') onError = v;
        else if (v.startsWith('SKIP_FILE')) throw new NotSupportedError(`ON_ERROR = ${v}`);
        else throw this.fail(-1);
      } else if (opt === 'FORCE') {
        this.pos++;
        this.expectOp('=');
        const v = this.optionValue();
        if (v !== 'TRUE' && v !== 'FALSE') throw this.fail(-1);
        force = v === 'TRUE';
      } else if (opt !== null && COPY_OPTIONS.has(opt)) {
        throw new NotSupportedError(`COPY option ${opt}`);
      } else {
        throw this.fail();
      }
    }
    return { kind: 'copy_into', table, source: src.value, fileFormat, onError, force };
  }

  /** A word, string or number option value, upper-cased (strings keep their content). */
  private optionValue(): string {
    const t = this.tok();
    if (this.atEnd() || (t.kind !== TokenKind.WORD && t.kind !== TokenKind.STRING && t.kind !== TokenKind.NUMBER)) throw this.fail();
    this.pos++;
    return (t.kind === TokenKind.STRING ? t.value : t.text).toUpperCase();
  }

  /** FILE_FORMAT = ( ... ) options in [s, e), over Snowflake's CSV defaults. */
  private fileFormatOptions(s: number, e: number): CopyFileFormat {
    const f: CopyFileFormat = {
      type: 'CSV',
      skipHeader: 0,
      fieldDelimiter: ',',
      fieldOptionallyEnclosedBy: null,
      nullIf: ['\\N'],
      emptyFieldAsNull: true,
    };
    const p = this.child(s, e);
    while (!p.atEnd()) {
      if (p.acceptOp(',')) continue;
      const opt = p.word();
      if (opt === null) throw p.fail();
      p.pos++;
      if (!p.isOp('=')) {
        if (FILE_FORMAT_OPTIONS.has(opt) || opt === 'FORMAT_NAME') throw p.fail();
        throw p.fail(-1);
      }
      p.pos++;
      switch (opt) {
        case 'TYPE': {
          const v = p.optionValue();
          if (v === 'CSV' || v === 'PARQUET') f.type = v;
          else if (OTHER_FILE_TYPES.has(v)) throw new NotSupportedError(`FILE_FORMAT TYPE = ${v}`);
          else throw p.fail(-1);
          break;
        }
        case 'SKIP_HEADER': {
          const v = p.optionValue();
          if (!/^\d+$/.test(v)) throw p.fail(-1);
          f.skipHeader = Number(v);
          break;
        }
        case 'FIELD_DELIMITER': {
          const t = p.tok();
          if (!p.atEnd() && t.kind === TokenKind.WORD && t.text.toUpperCase() === 'NONE') throw new NotSupportedError('FIELD_DELIMITER = NONE');
          if (p.atEnd() || t.kind !== TokenKind.STRING || t.value.length === 0) throw p.fail();
          f.fieldDelimiter = t.value;
          p.pos++;
          break;
        }
        case 'FIELD_OPTIONALLY_ENCLOSED_BY': {
          const t = p.tok();
          if (p.atEnd() || (t.kind !== TokenKind.STRING && !(t.kind === TokenKind.WORD && t.text.toUpperCase() === 'NONE'))) throw p.fail();
          f.fieldOptionallyEnclosedBy = t.kind === TokenKind.STRING && t.value !== '' && t.value.toUpperCase() !== 'NONE' ? t.value : null;
          p.pos++;
          break;
        }
        case 'NULL_IF': {
          p.expectOp('(');
          const list: string[] = [];
          while (!p.isOp(')')) {
            const t = p.tok();
            if (p.atEnd() || t.kind !== TokenKind.STRING) throw p.fail();
            list.push(t.value);
            p.pos++;
            if (!p.acceptOp(',')) break;
          }
          p.expectOp(')');
          f.nullIf = list;
          break;
        }
        case 'EMPTY_FIELD_AS_NULL': {
          const v = p.optionValue();
          if (v !== 'TRUE' && v !== 'FALSE') throw p.fail(-1);
          f.emptyFieldAsNull = v === 'TRUE';
          break;
        }
        case 'FORMAT_NAME':
          throw new NotSupportedError('Named file formats (FORMAT_NAME)');
        default:
          if (FILE_FORMAT_OPTIONS.has(opt)) throw new NotSupportedError(`FILE_FORMAT option ${opt}`);
          throw p.fail(-2);
      }
    }
    return f;
  }
}
