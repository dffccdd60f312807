/**
 * Expressions and select lists through node-sql-parser, converted to Firn's AST.
 *
 * Why: node-sql-parser (dialect 'snowflake', the one that parses most of what we need: `::`,
 * ILIKE, QUALIFY, `||`, NULLS FIRST/LAST, CASE, CAST/TRY_CAST, IFF, DATE '...') is the base
 * grammar for expressions. The front parser (front-parser.ts and front/) owns statement and query
 * structure and hands this module token ranges: a select list, a WHERE/ON/HAVING/QUALIFY
 * predicate, a GROUP BY/ORDER BY item, a VALUES cell.
 *
 * The vendor grammar loses or breaks things, so the range is rewritten before it sees it and
 * every literal comes back from our own tokens:
 *   - "quoted" identifiers become placeholder words (the vendor drops the quoting, and parses
 *     "X" in a select list as a string); unquoted words are upper-cased on the way back;
 *     unquoted words with non-ASCII letters (`café`, which the vendor cannot read) become
 *     placeholders too, already upper-cased;
 *   - numbers become placeholder integers (the vendor turns `12.50` into 12.5 and cannot
 *     read `.5`); strings become placeholder strings (we decode Snowflake's escapes);
 *   - type names become `VARCHAR(<placeholder>)` (the vendor rejects many Snowflake types),
 *     typed literals (DATE '...') and INTERVAL '...' become placeholder words;
 *   - `$name` session variables become placeholder words standing for a `variable` node;
 *   - subqueries `( SELECT ... )` and EXISTS (...) are parsed by the front parser and become
 *     placeholder words (so set operations, VALUES and CTEs work inside them);
 *   - f(DISTINCT x) becomes a placeholder function name (the vendor only knows COUNT DISTINCT);
 *   - `IS [NOT] DISTINCT FROM` becomes the vendor's `IS [NOT] <expr>` with the negation flipped
 *     (every other IS form but IS [NOT] NULL is refused first, so the two cannot be confused);
 *   - Snowflake's semi-structured paths `v:a.b[0]`, `v:"Key"`, `v['a']`, `v[0]` become
 *     placeholders for nested GET calls (semiPath; the vendor reads `v:a.b` as schema.table.column);
 *   - SUBSTRING(x FROM a [FOR b]) becomes SUBSTRING(x, a[, b]) (the vendor has no FROM/FOR form);
 *   - window calls `f(args) [IGNORE|RESPECT NULLS] OVER (...)` become placeholder words: the
 *     call alone (without OVER, and without an `IGNORE NULLS` written inside its parentheses)
 *     is parsed by the vendor, the OVER clause (PARTITION BY, ORDER BY, ROWS/RANGE frame) by
 *     the front parser. The vendor's own OVER support drops frames and IGNORE NULLS, so it
 *     never sees OVER; windows therefore nest in any expression (`SUM(x) OVER () / 2`).
 * The rewrite also refuses what the vendor would misread: clause keywords inside an expression,
 * infix keywords without a left operand (`a = AND b`), IGNORE NULLS outside a window call,
 * FILTER/COLLATE. Every vendor AST is read through VendorAstTracker: a part of it the conversion
 * did not read is a construct we would drop, and raises 0A000 instead. On the way back AND/OR
 * chains are re-associated with AND binding tighter than OR (the vendor ignores their
 * precedence), and `NOT (x)` parsed as a function becomes NOT. VALUES cells are parsed in one
 * vendor call; single-token literals never reach the vendor.
 *
 * Contract: the vendor AST never leaves this module. Syntax errors are SqlSyntaxError at the
 * source token the vendor stopped at (tokens[end] when it ran out of input); valid SQL that
 * the Firn AST cannot express is NotSupportedError naming the construct.
 */
import nodeSqlParser from 'node-sql-parser/build/snowflake.js';
import { InternalError, NotSupportedError, SqlSyntaxError, isStackOverflow, statementTooComplex } from '../../storage/errors/firn-error.js';
import type { BinaryOp, ComparisonOp, Expr, Query, SelectItem, StarItem, TypeName } from './ast.js';
import { balancedChain } from './logical-chain.js';
import { RESERVED_WORDS, TokenKind, type Token } from './tokenizer.js';
import { VendorAstTracker } from './vendor-ast-tracker.js';
import { clipValue } from '../../storage/errors/clip-value.js';

/** What this module needs from the front parser, which owns the token stream. */
export interface SubParsers {
  /** Parses tokens [start, end) as one complete query. */
  parseQuery(start: number, end: number): Query;
  /** Parses a type name starting at `start` (not reaching `end`); returns it and the index after it. */
  parseType(start: number, end: number): { type: TypeName; next: number };
  /** Whether the '(' at index `open` encloses a query (SELECT/WITH/VALUES or a parenthesized one). */
  isQueryGroup(open: number): boolean;
  /** Index of the ')' matching the '(' at `open`. */
  matchOf(open: number): number;
  /** A syntax error naming tokens[index] ('<EOF>' at the end). */
  unexpected(index: number): SqlSyntaxError;
  /** Parses the window specification inside the OVER parentheses opened at `open`. */
  parseWindowSpec(open: number): WindowSpec;
}

type WindowExpr = Extract<Expr, { kind: 'window' }>;
type FunctionExpr = Extract<Expr, { kind: 'function' }>;

/** What `OVER ( ... )` holds: the window node without its function. */
export type WindowSpec = Pick<WindowExpr, 'partitionBy' | 'orderBy' | 'frame'>;

// The vendor AST is untyped JSON; every access below checks the shape it relies on.
type VNode = any;

type Piece = { text: string; token: number };

const vendor = new nodeSqlParser.Parser();
const VENDOR_OPTIONS = { database: 'snowflake', parseOptions: { includeLocations: true } };

/**
 * AND/OR chains with at least this many operands are split by us before the vendor sees them
 * (see longChain); shorter ones go to the vendor whole, as they always did.
 */
const LONG_CHAIN = 64;

/** Placeholder integers are NUMBER_BASE + index: 10 digits, exact in a double. */
const NUMBER_BASE = 1_000_000_000;

/** X'48656C6C6F': a BINARY literal in hex, the X written right against the quote (typed_literal 'X'). */
function isHexLiteral(t: Token, next: Token): boolean {
  return t.kind === TokenKind.WORD && (t.text === 'X' || t.text === 'x') && next.kind === TokenKind.STRING && next.start === t.end && next.text.startsWith("'");
}

const TYPED_LITERAL_TYPES = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ', 'DATETIME']);

/** Snowflake's date/time part spellings accepted in INTERVAL literals, by canonical part. */
const INTERVAL_PARTS: Record<string, string[]> = {
  YEAR: ['YEAR', 'YEARS', 'Y', 'YY', 'YYY', 'YYYY', 'YR', 'YRS'],
  QUARTER: ['QUARTER', 'QUARTERS', 'Q', 'QTR', 'QTRS'],
  MONTH: ['MONTH', 'MONTHS', 'MM', 'MON', 'MONS'],
  WEEK: ['WEEK', 'WEEKS', 'W', 'WK', 'WEEKOFYEAR', 'WOY', 'WY'],
  DAY: ['DAY', 'DAYS', 'D', 'DD', 'DAYOFMONTH'],
  HOUR: ['HOUR', 'HOURS', 'H', 'HH', 'HR', 'HRS'],
  MINUTE: ['MINUTE', 'MINUTES', 'M', 'MI', 'MIN', 'MINS'],
  SECOND: ['SECOND', 'SECONDS', 'S', 'SEC', 'SECS'],
  MILLISECOND: ['MILLISECOND', 'MILLISECONDS', 'MS', 'MSEC'],
  MICROSECOND: ['MICROSECOND', 'MICROSECONDS', 'US', 'USEC'],
  NANOSECOND: ['NANOSECOND', 'NANOSECONDS', 'NS', 'NSEC', 'NANOSEC', 'NSECOND', 'NANOSECS', 'NSECONDS'],
};
const INTERVAL_UNITS = new Map(Object.entries(INTERVAL_PARTS).flatMap(([part, names]) => names.map((n) => [n, part] as const)));

/** Words that end an expression: seeing one at depth 0 inside a range is a syntax error there. */
const CLAUSE_WORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH',
  'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'WINDOW', 'INTO', 'JOIN', 'ON', 'USING',
]);

/** Infix keywords: they need an operand before them (the vendor reads `a = AND b` as a name). */
const INFIX_WORDS = new Set(['AND', 'OR', 'IS', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'ESCAPE']);

const PASS_THROUGH_BINARY = new Set(['+', '-', '*', '/', '%', '||', '=', '<', '<=', '>', '>=']);
const COMPARISON_OPS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

/** Per-call placeholder tables: what each placeholder in the vendor text stands for. */
class Placeholders {
  readonly idents: string[] = [];
  readonly numbers: ({ kind: 'number'; text: string } | { kind: 'type'; type: TypeName })[] = [];
  readonly strings: string[] = [];
  /** Indexes into `strings` that stand for a NULL literal (ESCAPE NULL). */
  readonly nullStrings = new Set<number>();
  readonly exprs: Expr[] = [];
  readonly functions: string[] = [];
  /** The quantifier of each `[I]LIKE ANY|ALL (...)` list, which reaches the vendor as a call to a placeholder name. */
  readonly likeLists: ('ANY' | 'ALL')[] = [];
  /** The vendor text's pieces and their offsets in it, to map vendor locations to tokens. */
  pieces: Piece[] = [];
  offsets: number[] = [];
  /** The token range being parsed. */
  start = 0;
  end = 0;
  /** Records which parts of the vendor ASTs (`roots`) the conversion read. */
  readonly tracker = new VendorAstTracker();
  readonly roots: object[] = [];
  /** A call's name token whose OVER is parsed elsewhere: here it is a plain call. */
  bareCall = -1;
  /** An `IGNORE|RESPECT` token inside a window call's parentheses, dropped with its `NULLS`. */
  droppedNulls = -1;
}

/** Parses token ranges as expressions or select lists with node-sql-parser; see module comment. */
export class VendorExpressionParser {
  private readonly identRe: RegExp;
  private readonly exprRe: RegExp;
  private readonly funcRe: RegExp;
  private readonly likeRe: RegExp;
  private readonly stringRe: RegExp;
  private readonly prefix: string;
  private ph = new Placeholders();

  constructor(
    private readonly tokens: Token[],
    private readonly sub: SubParsers,
  ) {
    this.prefix = choosePrefix(tokens);
    this.identRe = new RegExp(`^${this.prefix}q(\\d+)$`, 'i');
    this.exprRe = new RegExp(`^${this.prefix}e(\\d+)$`, 'i');
    this.funcRe = new RegExp(`^${this.prefix}f(\\d+)$`, 'i');
    this.likeRe = new RegExp(`^${this.prefix}l(\\d+)$`, 'i');
    this.stringRe = new RegExp(`^${this.prefix}s(\\d+)$`);
  }

  /** Parses tokens [start, end) as one expression. */
  parseExpression(start: number, end: number): Expr {
    const chain = this.longChain(start, end);
    if (chain) return chain;
    const simple = this.simpleExpression(start, end);
    if (simple) return simple;
    const saved = this.ph;
    this.ph = new Placeholders();
    try {
      const ast = this.runVendor('SELECT 1 FROM t WHERE ', start, end);
      if (!ast.where) throw this.sub.unexpected(start);
      this.ph.tracker.skip(ast, 'columns', 'from');
      return this.consumed(this.expr(ast.where));
    } finally {
      this.ph = saved;
    }
  }

  /**
   * Parses several ranges as one expression each (VALUES cells): literals directly, the rest
   * in one vendor call as a select list, so a long VALUES list costs one parse, not one per cell.
   */
  parseExpressions(ranges: [number, number][]): Expr[] {
    const out = ranges.map(([s, e]) => this.simpleExpression(s, e));
    const pending = out.flatMap((x, k) => (x === null ? [k] : []));
    if (pending.length === 0) return out as Expr[];
    const saved = this.ph;
    this.ph = new Placeholders();
    try {
      const pieces: Piece[] = [];
      pending.forEach((k, n) => {
        const [s, e] = ranges[k];
        if (n > 0) pieces.push({ text: ',', token: s });
        this.rewrite(s, e, pieces, true);
      });
      const first = ranges[pending[0]][0];
      const last = ranges[pending[pending.length - 1]][1];
      const columns: VNode[] = this.vendorParse('SELECT ', pieces, first, last).columns;
      if (!Array.isArray(columns) || columns.length !== pending.length) throw this.sub.unexpected(first);
      pending.forEach((k, n) => {
        const [s, e] = ranges[k];
        const c = columns[n];
        if (c.as !== null && c.as !== undefined) throw this.sub.unexpected(e - 1);
        const item = this.selectItem(c);
        if (item.kind !== 'expr') throw this.sub.unexpected(s);
        out[k] = item.expr;
      });
      return this.consumed(out as Expr[]);
    } finally {
      this.ph = saved;
    }
  }

  /**
   * Parses tokens [start, end) as a select list (expressions with aliases, *, t.*). A star's
   * Snowflake modifiers `EXCLUDE a | (a, ...)` and `RENAME a AS b | (a AS b, ...)` (in that
   * order) are parsed here, not by the vendor (which has no RENAME): it sees the bare star.
   */
  parseSelectList(start: number, end: number): SelectItem[] {
    const saved = this.ph;
    this.ph = new Placeholders();
    try {
      const pieces: Piece[] = [];
      const modifiers = new Map<number, Pick<StarItem, 'exclude' | 'rename'>>();
      let item = 0;
      let from = start;
      for (let k = start; k < end; k++) {
        const t = this.tokens[k];
        if (t.kind !== TokenKind.OP) continue;
        if (t.text === '(') k = this.sub.matchOf(k);
        else if (t.text === ',') item++;
        else if (t.text === '*' && this.startsStarItem(start, k)) {
          const { exclude, rename, next } = this.starModifiers(k + 1, end);
          if (next === k + 1) continue;
          if (next < end && this.tokens[next].text !== ',') throw this.sub.unexpected(next);
          modifiers.set(item, { exclude, rename });
          this.rewrite(from, k + 1, pieces, true);
          from = next;
          k = next - 1;
        }
      }
      this.rewrite(from, end, pieces, true);
      const ast = this.vendorParse('SELECT ', pieces, start, end);
      const columns: VNode[] = Array.isArray(ast.columns) ? ast.columns : [{ expr: { type: 'column_ref', table: null, column: '*' }, as: null }];
      return this.consumed(
        columns.map((c, n) => {
          const out = this.selectItem(c);
          const m = modifiers.get(n);
          if (m && out.kind !== 'star') throw new InternalError('star modifiers on a select item that is not a star');
          return m && out.kind === 'star' ? { ...out, ...m } : out;
        }),
      );
    } finally {
      this.ph = saved;
    }
  }

  /** Whether the `*` at `k` is a whole star item's star: `*` or `name.*` after `,` or the list start. */
  private startsStarItem(start: number, k: number): boolean {
    const toks = this.tokens;
    const itemStart = (i: number) => i === start || (toks[i - 1].kind === TokenKind.OP && toks[i - 1].text === ',');
    if (itemStart(k)) return true;
    let i = k;
    while (i - 2 >= start && toks[i - 1].kind === TokenKind.OP && toks[i - 1].text === '.' && (toks[i - 2].kind === TokenKind.WORD || toks[i - 2].kind === TokenKind.QUOTED)) {
      i -= 2;
      if (itemStart(i)) return true;
    }
    return false;
  }

  /** `EXCLUDE ...` then `RENAME ...` from `k`; `next` is the index after them (k for none). */
  private starModifiers(k: number, end: number): Pick<StarItem, 'exclude' | 'rename'> & { next: number } {
    const exclude: string[] = [];
    const rename: { from: string; to: string }[] = [];
    if (this.isWordAt(k, end, 'ILIKE')) throw new NotSupportedError('SELECT * ILIKE');
    if (this.isWordAt(k, end, 'EXCLUDE')) {
      k = this.nameList(k + 1, end, (i) => {
        exclude.push(this.plainName(i, end));
        return i + 1;
      });
    }
    if (this.isWordAt(k, end, 'REPLACE') && k + 1 < end && this.tokens[k + 1].text === '(') throw new NotSupportedError('SELECT * REPLACE');
    if (this.isWordAt(k, end, 'RENAME')) {
      k = this.nameList(k + 1, end, (i) => {
        const from = this.plainName(i, end);
        if (!this.isWordAt(i + 1, end, 'AS')) throw this.sub.unexpected(i + 1);
        rename.push({ from, to: this.plainName(i + 2, end) });
        return i + 3;
      });
    }
    return { exclude, rename, next: k };
  }

  /** One item at `k` (parsed by `item`, which returns the index after it) or `(item, ...)`. */
  private nameList(k: number, end: number, item: (i: number) => number): number {
    const t = k < end ? this.tokens[k] : null;
    if (t === null || t.kind !== TokenKind.OP || t.text !== '(') return item(k);
    const close = this.sub.matchOf(k);
    let i = k + 1;
    for (;;) {
      i = item(i);
      if (i === close) return close + 1;
      if (this.tokens[i].kind !== TokenKind.OP || this.tokens[i].text !== ',') throw this.sub.unexpected(i);
      i++;
    }
  }

  /** The one-part column name at `i` (unquoted: upper-cased, never a reserved word). */
  private plainName(i: number, end: number): string {
    const t = i < end ? this.tokens[i] : null;
    if (t?.kind === TokenKind.QUOTED) return t.value;
    if (t?.kind === TokenKind.WORD && !RESERVED_WORDS.has(t.text.toUpperCase())) return t.text.toUpperCase();
    throw this.sub.unexpected(i);
  }

  /**
   * A long AND/OR chain (LONG_CHAIN operands or more outside parentheses and CASE, possibly
   * inside enclosing parentheses) parsed operand by operand: the vendor's grammar recurses
   * once per operator and overflows the stack on a 10,000-term OR. Null for anything else.
   */
  private longChain(start: number, end: number): Expr | null {
    const toks = this.tokens;
    const isOpen = (k: number) => toks[k].kind === TokenKind.OP && toks[k].text === '(';
    while (end - start > 2 && isOpen(start) && this.sub.matchOf(start) === end - 1 && !this.sub.isQueryGroup(start)) {
      start++;
      end--;
    }
    const at: number[] = [];
    let caseDepth = 0;
    let betweens = 0;
    for (let k = start; k < end; k++) {
      const t = toks[k];
      if (isOpen(k)) {
        k = this.sub.matchOf(k);
        continue;
      }
      // A list (`f(a OR b, c)`) is not one chain.
      if (t.kind === TokenKind.OP && t.text === ',' && caseDepth === 0) return null;
      if (t.kind !== TokenKind.WORD || (k > start && toks[k - 1].kind === TokenKind.OP && toks[k - 1].text === '.')) continue;
      const w = t.text.toUpperCase();
      if (w === 'CASE') caseDepth++;
      else if (w === 'END' && caseDepth > 0) caseDepth--;
      else if (caseDepth > 0) continue;
      else if (w === 'BETWEEN') betweens++;
      else if (w === 'AND' && betweens > 0) betweens--;
      else if (w === 'AND' || w === 'OR') at.push(k);
    }
    if (at.length + 1 < LONG_CHAIN) return null;
    const ranges: [number, number][] = [];
    let from = start;
    for (const k of [...at, end]) {
      if (k === from) throw this.sub.unexpected(k);
      ranges.push([from, k]);
      from = k + 1;
    }
    // One vendor call for all operands (as a select list), not one per operand.
    return this.chain(this.parseExpressions(ranges), at.map((k) => toks[k].text.toUpperCase()));
  }

  /** Returns `result` once every part of this call's vendor ASTs was read (else 0A000, see vendor-ast-tracker.ts). */
  private consumed<T>(result: T): T {
    for (const root of this.ph.roots) this.ph.tracker.assertConsumed(root);
    return result;
  }

  /** Single-token literals (and signed numbers) skip the vendor: VALUES lists are mostly these. */
  private simpleExpression(start: number, end: number): Expr | null {
    const n = end - start;
    const t = this.tokens[start];
    if (n === 1) {
      if (t.kind === TokenKind.NUMBER) return { kind: 'number', text: t.text };
      if (t.kind === TokenKind.STRING) return { kind: 'string', value: t.value };
      if (t.kind === TokenKind.VARIABLE) return variableRef(t);
      if (t.kind === TokenKind.WORD) {
        const w = t.text.toUpperCase();
        if (w === 'NULL') return { kind: 'null' };
        if (w === 'TRUE' || w === 'FALSE') return { kind: 'boolean', value: w === 'TRUE' };
      }
      return null;
    }
    if (n === 2) {
      const u = this.tokens[start + 1];
      if (t.kind === TokenKind.OP && (t.text === '-' || t.text === '+') && u.kind === TokenKind.NUMBER) {
        return { kind: 'unary', op: t.text, expr: { kind: 'number', text: u.text } };
      }
      if (t.kind === TokenKind.WORD && u.kind === TokenKind.STRING && TYPED_LITERAL_TYPES.has(t.text.toUpperCase())) {
        return { kind: 'typed_literal', type: { name: t.text.toUpperCase(), params: [] }, value: u.value };
      }
      if (isHexLiteral(t, u)) return { kind: 'typed_literal', type: { name: 'X', params: [] }, value: u.value };
    }
    return null;
  }

  private runVendor(head: string, start: number, end: number): VNode {
    const pieces: Piece[] = [];
    this.rewrite(start, end, pieces, true);
    return this.vendorParse(head, pieces, start, end);
  }

  /** Runs the vendor over `head` + pieces (built from tokens [start, end)); maps its errors to tokens. */
  private vendorParse(head: string, pieces: Piece[], start: number, end: number): VNode {
    // One space between pieces (gluing could fuse them: `1-1` would read as two numbers),
    // except around `::`, which the vendor only chains (a::x::y) when glued.
    const offsets: number[] = [];
    let text = head;
    for (let k = 0; k < pieces.length; k++) {
      if (pieces[k].text !== '::' && (k === 0 || pieces[k - 1].text !== '::')) text += ' ';
      offsets.push(text.length);
      text += pieces[k].text;
    }
    this.ph.pieces = pieces;
    this.ph.offsets = offsets;
    this.ph.start = start;
    this.ph.end = end;
    try {
      const ast = vendor.astify(text, VENDOR_OPTIONS);
      const stmt = Array.isArray(ast) ? ast[0] : ast;
      if (!stmt || typeof stmt !== 'object' || (Array.isArray(ast) && ast.length > 1)) throw this.sub.unexpected(start);
      this.ph.roots.push(stmt);
      const tracked = this.ph.tracker.track(stmt);
      if (tracked.type !== 'select') throw this.sub.unexpected(start);
      return tracked;
    } catch (err) {
      if (err instanceof SqlSyntaxError || err instanceof NotSupportedError) throw err;
      // The vendor grammar recurses per operator: a long non-AND/OR chain can overflow it.
      if (isStackOverflow(err)) throw statementTooComplex('an expression is too long or nests too deeply');
      const offset: number | undefined = (err as VNode)?.location?.start?.offset;
      throw this.sub.unexpected(typeof offset === 'number' ? this.tokenAt(offset, end) : start);
    }
  }

  /** The source token of the piece at (or after) `offset` in the current vendor text, else `end`. */
  private tokenAt(offset: number, end: number): number {
    const { pieces, offsets } = this.ph;
    let k = 0;
    while (k < pieces.length && offsets[k] + pieces[k].text.length <= offset) k++;
    return k < pieces.length ? pieces[k].token : end;
  }

  /** Appends the vendor text for tokens [start, end) to `out`, filling the placeholder tables. */
  /** Whether the call opened at `open` reads `(word FROM ...)`. */
  private isExtractFrom(open: number, end: number): boolean {
    const part = this.tokens[open + 1];
    const from = this.tokens[open + 2];
    return open + 3 < end && part?.kind === TokenKind.WORD && from?.kind === TokenKind.WORD && from.text.toUpperCase() === 'FROM';
  }

  private rewrite(start: number, end: number, out: Piece[], top: boolean): void {
    const toks = this.tokens;
    const ph = this.ph;
    let i = start;
    while (i < end) {
      const t = toks[i];
      const next = i + 1 < end ? toks[i + 1] : null;
      const prevIsDot = i > start && toks[i - 1].kind === TokenKind.OP && toks[i - 1].text === '.';
      if (!prevIsDot) {
        const seq = this.sequenceRef(i, end);
        if (seq !== null) {
          out.push({ text: this.exprPlaceholder(seq.expr), token: i });
          i = seq.next;
          continue;
        }
        const path = this.semiPath(i, end);
        if (path !== null) {
          out.push({ text: this.exprPlaceholder(path.expr), token: i });
          i = path.next;
          continue;
        }
      }
      switch (t.kind) {
        case TokenKind.NUMBER:
          out.push({ text: String(NUMBER_BASE + ph.numbers.length), token: i });
          ph.numbers.push({ kind: 'number', text: t.text });
          i++;
          continue;
        case TokenKind.STRING:
          out.push({ text: `'${this.prefix}s${ph.strings.length}'`, token: i });
          ph.strings.push(t.value);
          i++;
          continue;
        case TokenKind.VARIABLE:
          out.push({ text: this.exprPlaceholder(variableRef(t)), token: i });
          i++;
          continue;
        case TokenKind.QUOTED:
        case TokenKind.WORD: {
          this.checkNameParts(i, end);
          const word = t.kind === TokenKind.WORD ? t.text.toUpperCase() : null;
          const callOpen = next && next.kind === TokenKind.OP && next.text === '(' ? i + 1 : -1;
          if (word !== null && top && CLAUSE_WORDS.has(word)) throw this.sub.unexpected(i);
          if (callOpen > 0 && i !== ph.bareCall) {
            const within = this.withinGroupCall(i, callOpen, end, prevIsDot);
            if (within !== null) {
              out.push({ text: this.exprPlaceholder(within.expr), token: i });
              i = within.next;
              continue;
            }
            const win = this.windowCall(i, callOpen, end, prevIsDot);
            if (win !== null) {
              out.push({ text: this.exprPlaceholder(win.expr), token: i });
              i = win.next;
              continue;
            }
          }
          if (word === 'OVER' && callOpen > 0) throw this.sub.unexpected(i);
          if (word === 'EXTRACT' && callOpen > 0 && !prevIsDot && this.isExtractFrom(callOpen, end)) {
            // EXTRACT(part FROM x) is DATE_PART('part', x): the vendor grammar knows only some parts (not EPOCH_MILLISECOND).
            const close = this.sub.matchOf(callOpen);
            out.push({ text: 'DATE_PART', token: i }, { text: '(', token: callOpen });
            out.push({ text: `'${this.prefix}s${ph.strings.length}'`, token: callOpen + 1 }, { text: ',', token: callOpen + 2 });
            ph.strings.push(toks[callOpen + 1].text);
            this.rewrite(callOpen + 3, close, out, false);
            out.push({ text: ')', token: close });
            i = close + 1;
            continue;
          }
          // LOCALTIMESTAMP without parentheses, as Snowflake takes it (CURRENT_TIMESTAMP's are the vendor grammar's).
          if (word === 'LOCALTIMESTAMP' && callOpen < 0 && !prevIsDot) {
            out.push({ text: this.exprPlaceholder({ kind: 'function', name: word, args: [], distinct: false, star: false }), token: i });
            i++;
            continue;
          }
          if (word !== null && INFIX_WORDS.has(word) && (i === start || (toks[i - 1].kind === TokenKind.OP && toks[i - 1].text !== ')'))) {
            throw this.sub.unexpected(i);
          }
          if (word === 'IS' && !prevIsDot) {
            i = this.isPredicate(i, end, out);
            continue;
          }
          if (!prevIsDot && next !== null && isHexLiteral(t, next)) {
            out.push({ text: this.exprPlaceholder({ kind: 'typed_literal', type: { name: 'X', params: [] }, value: next.value }), token: i });
            i += 2;
            continue;
          }
          if (word !== null && !prevIsDot && next?.kind === TokenKind.STRING && TYPED_LITERAL_TYPES.has(word)) {
            out.push({ text: this.exprPlaceholder({ kind: 'typed_literal', type: { name: word, params: [] }, value: next.value }), token: i });
            i += 2;
            continue;
          }
          if (word === 'INTERVAL' && !prevIsDot && next?.kind === TokenKind.STRING) {
            i = this.interval(i, end, out);
            continue;
          }
          if (word === 'EXISTS' && callOpen > 0 && this.sub.isQueryGroup(callOpen)) {
            const close = this.sub.matchOf(callOpen);
            const query = this.sub.parseQuery(callOpen + 1, close);
            out.push({ text: this.exprPlaceholder({ kind: 'exists', query, negated: false }), token: i });
            i = close + 1;
            continue;
          }
          if ((word === 'ANY' || word === 'ALL' || word === 'SOME') && callOpen > 0) {
            if (!this.sub.isQueryGroup(callOpen)) throw new NotSupportedError(`${word} (...) comparisons with a list`);
            // A quantified set; binary() takes it as the right operand of a comparison.
            const close = this.sub.matchOf(callOpen);
            const query = this.sub.parseQuery(callOpen + 1, close);
            const quantifier = word === 'ALL' ? 'ALL' : 'ANY';
            out.push({ text: this.exprPlaceholder({ kind: 'quantified', op: '=', quantifier, expr: { kind: 'null' }, query }), token: i });
            i = close + 1;
            continue;
          }
          if ((word === 'LIKE' || word === 'ILIKE') && (this.isWordAt(i + 1, end, 'ANY') || this.isWordAt(i + 1, end, 'ALL') || this.isWordAt(i + 1, end, 'SOME'))) {
            i = this.likeList(i, end, word, out);
            continue;
          }
          if ((word === 'RLIKE' || word === 'REGEXP') && callOpen < 0) {
            // The vendor knows `x [NOT] REGEXP p` only; binary() makes it REGEXP_LIKE(x, p).
            out.push({ text: 'REGEXP', token: i });
            i++;
            continue;
          }
          if (word === 'WITHIN' && this.isWordAt(i + 1, end, 'GROUP')) throw new NotSupportedError('WITHIN GROUP');
          if (word === 'ESCAPE' && this.isWordAt(i + 1, end, 'NULL')) {
            // The vendor takes only a string after ESCAPE; NULL goes as a string standing for NULL.
            out.push({ text: 'ESCAPE', token: i });
            out.push({ text: `'${this.prefix}s${ph.strings.length}'`, token: i + 1 });
            ph.nullStrings.add(ph.strings.length);
            ph.strings.push('');
            i += 2;
            continue;
          }
          if ((word === 'IGNORE' || word === 'RESPECT') && this.isWordAt(i + 1, end, 'NULLS')) {
            if (i !== ph.droppedNulls) throw this.sub.unexpected(i);
            i += 2;
            continue;
          }
          if ((word === 'SUBSTRING' || word === 'SUBSTR') && callOpen > 0 && !prevIsDot) {
            const next = this.substringFromFor(i, callOpen, out);
            if (next > 0) {
              i = next;
              continue;
            }
          }
          if ((word === 'CAST' || word === 'TRY_CAST') && callOpen > 0 && !prevIsDot) {
            i = this.cast(i, out);
            continue;
          }
          if (callOpen > 0 && this.isWordAt(callOpen + 1, end, 'DISTINCT')) {
            if (callOpen + 2 === this.sub.matchOf(callOpen)) throw this.sub.unexpected(callOpen + 2);
            const name = t.kind === TokenKind.QUOTED ? t.value : t.text.toUpperCase();
            out.push({ text: `${this.prefix}f${ph.functions.length}`, token: i });
            ph.functions.push(name);
            i = this.group(callOpen, callOpen + 2, out);
            continue;
          }
          if (callOpen > 0 && this.isWordAt(callOpen + 1, end, 'ALL')) {
            if (callOpen + 2 === this.sub.matchOf(callOpen)) throw this.sub.unexpected(callOpen + 2);
            out.push({ text: this.identText(i), token: i });
            i = this.group(callOpen, callOpen + 2, out);
            continue;
          }
          out.push({ text: this.identText(i), token: i });
          i++;
          continue;
        }
        case TokenKind.OP:
          switch (t.text) {
            case '(':
              if (this.sub.isQueryGroup(i)) {
                const close = this.sub.matchOf(i);
                const query = this.sub.parseQuery(i + 1, close);
                out.push({ text: `(${this.exprPlaceholder({ kind: 'subquery', query })})`, token: i });
                i = close + 1;
              } else {
                // A long AND/OR chain in parentheses anywhere (select list, call argument) is ours too.
                const chain = this.longChain(i, this.sub.matchOf(i) + 1);
                if (chain) {
                  out.push({ text: `(${this.exprPlaceholder(chain)})`, token: i });
                  i = this.sub.matchOf(i) + 1;
                } else {
                  i = this.group(i, i + 1, out);
                }
              }
              continue;
            case '::': {
              out.push({ text: '::', token: i });
              const { type, next: after } = this.sub.parseType(i + 1, end);
              out.push({ text: this.typePlaceholder(type), token: i + 1 });
              i = after;
              continue;
            }
            case '?':
              throw new NotSupportedError('Bind variables (?)');
            case ':':
              throw new NotSupportedError('Semi-structured paths (:) after this expression');
            case '[':
              throw new NotSupportedError('Array constants and subscripts ([]) after this expression');
            case '=>':
              throw new NotSupportedError('Named function arguments (=>)');
            case '->':
            case '@':
            case '{':
            case '}':
            case ';':
              throw this.sub.unexpected(i);
            default:
              out.push({ text: t.text, token: i });
              i++;
              continue;
          }
        default:
          throw this.sub.unexpected(i);
      }
    }
  }

  /**
   * `name(args) [FROM FIRST|LAST] [IGNORE|RESPECT NULLS] OVER (spec)` with the name at `i` and its '(' at `open`,
   * also with the Snowflake/standard placement `name(args IGNORE NULLS) OVER (spec)`. Returns
   * the window expression and the index after its OVER clause, or null for a call without OVER.
   */
  private windowCall(i: number, open: number, end: number, prevIsDot: boolean): { expr: Expr; next: number } | null {
    const close = this.sub.matchOf(open);
    const nullsAt = (k: number) => (this.isWordAt(k, end, 'IGNORE') || this.isWordAt(k, end, 'RESPECT')) && this.isWordAt(k + 1, end, 'NULLS');
    const inner = close - 2 > open + 1 && nullsAt(close - 2) ? close - 2 : -1;
    // NTH_VALUE's `FROM {FIRST | LAST}` comes before the NULLS treatment; only OVER makes it so.
    const from = this.isWordAt(close + 1, end, 'FROM') && (this.isWordAt(close + 2, end, 'FIRST') || this.isWordAt(close + 2, end, 'LAST')) ? close + 1 : -1;
    const afterFrom = from >= 0 ? from + 2 : close + 1;
    const outer = nullsAt(afterFrom) ? afterFrom : -1;
    const over = outer >= 0 ? outer + 2 : afterFrom;
    if (!this.isWordAt(over, end, 'OVER')) {
      // IGNORE NULLS belongs to window calls only: OVER must follow.
      if (inner >= 0) throw this.sub.unexpected(inner);
      if (outer >= 0) throw this.sub.unexpected(over);
      return null;
    }
    if (inner >= 0 && outer >= 0) throw this.sub.unexpected(outer);
    if (prevIsDot) throw new NotSupportedError('Qualified function names');
    const overOpen = over + 1;
    const t = overOpen < end ? this.tokens[overOpen] : null;
    if (t === null || t.kind !== TokenKind.OP || t.text !== '(') {
      if (t !== null && (t.kind === TokenKind.WORD || t.kind === TokenKind.QUOTED)) throw new NotSupportedError('Named windows (OVER <name>)');
      throw this.sub.unexpected(overOpen);
    }
    const fn = this.windowFunction(i, close, inner, over);
    const spec = this.sub.parseWindowSpec(overOpen);
    const nulls = inner >= 0 ? inner : outer;
    const ignoreNulls = nulls >= 0 && this.tokens[nulls].text.toUpperCase() === 'IGNORE';
    const expr: WindowExpr = { kind: 'window', fn, ignoreNulls, partitionBy: spec.partitionBy, orderBy: spec.orderBy, frame: spec.frame };
    if (from >= 0 && this.isWordAt(from + 1, end, 'LAST')) expr.fromLast = true;
    return { expr, next: this.sub.matchOf(overOpen) + 1 };
  }

  /**
   * `name(args) WITHIN GROUP (ORDER BY ...)` at `i` (LISTAGG, ARRAY_AGG): the vendor grammar
   * does not take it, so the call is parsed alone and the ORDER BY items ride on it as
   * `withinGroup`. Returns null for a call without WITHIN GROUP; OVER (...) after it makes it a
   * window call.
   */
  private withinGroupCall(i: number, open: number, end: number, prevIsDot: boolean): { expr: Expr; next: number } | null {
    const close = this.sub.matchOf(open);
    if (!this.isWordAt(close + 1, end, 'WITHIN') || !this.isWordAt(close + 2, end, 'GROUP')) return null;
    if (prevIsDot) throw new NotSupportedError('Qualified function names');
    const specOpen = close + 3;
    const t = specOpen < end ? this.tokens[specOpen] : null;
    if (t === null || t.kind !== TokenKind.OP || t.text !== '(' || !this.isWordAt(specOpen + 1, end, 'ORDER')) throw this.sub.unexpected(specOpen);
    const fn = this.windowFunction(i, close, -1, close + 1);
    const spec = this.sub.parseWindowSpec(specOpen);
    if (spec.partitionBy.length > 0 || spec.frame !== null || spec.orderBy.length === 0) throw this.sub.unexpected(specOpen + 1);
    const next = this.sub.matchOf(specOpen) + 1;
    const call = { ...fn, withinGroup: spec.orderBy };
    if (!this.isWordAt(next, end, 'OVER')) return { expr: call, next };
    // `... WITHIN GROUP (ORDER BY ...) OVER (...)`: the window form of LISTAGG and ARRAY_AGG.
    const overOpen = next + 1;
    const t2 = overOpen < end ? this.tokens[overOpen] : null;
    if (t2 === null || t2.kind !== TokenKind.OP || t2.text !== '(') {
      if (t2 !== null && (t2.kind === TokenKind.WORD || t2.kind === TokenKind.QUOTED)) throw new NotSupportedError('Named windows (OVER <name>)');
      throw this.sub.unexpected(overOpen);
    }
    const over = this.sub.parseWindowSpec(overOpen);
    const expr: WindowExpr = { kind: 'window', fn: call, ignoreNulls: false, partitionBy: over.partitionBy, orderBy: over.orderBy, frame: over.frame };
    return { expr, next: this.sub.matchOf(overOpen) + 1 };
  }

  /** The call [i, close] of a window, parsed without its OVER (at `over`) and inner IGNORE NULLS. */
  private windowFunction(i: number, close: number, droppedNulls: number, over: number): FunctionExpr {
    const saved = this.ph;
    this.ph = new Placeholders();
    this.ph.bareCall = i;
    this.ph.droppedNulls = droppedNulls;
    try {
      const ast = this.runVendor('SELECT 1 FROM t WHERE ', i, close + 1);
      this.ph.tracker.skip(ast, 'columns', 'from');
      const e = this.consumed(this.expr(ast.where));
      // CAST(...), NOT(...), EXISTS(...) and the like read as calls but take no OVER.
      if (e.kind !== 'function') throw this.sub.unexpected(over);
      return e;
    } finally {
      this.ph = saved;
    }
  }

  /**
   * `[I]LIKE {ANY | ALL | SOME} ( p1, ... )` at `i`: the list reaches the vendor as a call to a
   * placeholder name (`LIKE <l-placeholder>(p1, ...)`), so ESCAPE after it parses as for one
   * pattern; binary() turns it into a like_quantified node. NOT LIKE ANY and a subquery list are refused.
   */
  private likeList(i: number, end: number, word: string, out: Piece[]): number {
    const quantifier = this.tokens[i + 1].text.toUpperCase();
    if (this.isWordAt(i - 1, end, 'NOT')) throw new NotSupportedError(`NOT ${word} ${quantifier}`);
    const open = i + 2;
    const t = open < end ? this.tokens[open] : null;
    if (t === null || t.kind !== TokenKind.OP || t.text !== '(') throw this.sub.unexpected(open);
    if (this.sub.isQueryGroup(open)) throw new NotSupportedError(`${word} ${quantifier} (subquery)`);
    if (this.sub.matchOf(open) === open + 1) throw this.sub.unexpected(open + 1);
    out.push({ text: word, token: i });
    out.push({ text: `${this.prefix}l${this.ph.likeLists.length}`, token: i + 1 });
    this.ph.likeLists.push(quantifier === 'ALL' ? 'ALL' : 'ANY');
    return this.group(open, open + 1, out);
  }

  /** Emits '(' + rewritten [from, close) + ')' for the group opened at `open`; returns close + 1. */
  private group(open: number, from: number, out: Piece[]): number {
    const close = this.sub.matchOf(open);
    out.push({ text: '(', token: open });
    this.rewrite(from, close, out, false);
    out.push({ text: ')', token: close });
    return close + 1;
  }

  /**
   * `IS` at `i`: `IS [NOT] NULL` passes through; `IS [NOT] DISTINCT FROM` becomes the vendor's
   * `IS [NOT] <expr>` with the negation flipped (`IS NOT DISTINCT FROM` is `IS`), which the
   * vendor parses at the same place as IS NULL. Every other `IS` form is refused here, so a
   * vendor IS whose right side is not NULL always came from DISTINCT FROM (see binary()).
   * Returns the index after the consumed words.
   */
  private isPredicate(i: number, end: number, out: Piece[]): number {
    const not = this.isWordAt(i + 1, end, 'NOT') ? 1 : 0;
    const k = i + 1 + not;
    if (this.isWordAt(k, end, 'DISTINCT')) {
      if (!this.isWordAt(k + 1, end, 'FROM')) throw this.sub.unexpected(k + 1);
      if (k + 2 >= end) throw this.sub.unexpected(end);
      out.push({ text: not ? 'IS' : 'IS NOT', token: i });
      // A NULL operand goes as an expression, so the vendor does not read `IS [NOT] NULL`.
      if (this.isWordAt(k + 2, end, 'NULL')) {
        out.push({ text: this.exprPlaceholder({ kind: 'null' }), token: k + 2 });
        return k + 3;
      }
      return k + 2;
    }
    if (this.isWordAt(k, end, 'NULL')) {
      out.push({ text: not ? 'IS NOT' : 'IS', token: i });
      return k;
    }
    if (k < end && this.tokens[k].kind === TokenKind.WORD) throw new NotSupportedError(`IS ${not ? 'NOT ' : ''}${this.tokens[k].text.toUpperCase()}`);
    throw this.sub.unexpected(k);
  }

  /**
   * `SUBSTRING(x FROM a [FOR b])` (also SUBSTR) with the name at `i` and its '(' at `open`:
   * emitted as `SUBSTRING(x, a[, b])`. Returns the index after ')', or -1 when the call has
   * no depth-0 FROM (an ordinary call).
   */
  private substringFromFor(i: number, open: number, out: Piece[]): number {
    const close = this.sub.matchOf(open);
    const from = this.findDepth0(open + 1, close, (t) => t.kind === TokenKind.WORD && t.text.toUpperCase() === 'FROM');
    if (from < 0) {
      if (this.findDepth0(open + 1, close, (t) => t.kind === TokenKind.WORD && t.text.toUpperCase() === 'FOR') >= 0) {
        throw new NotSupportedError('SUBSTRING(... FOR ...) without FROM');
      }
      return -1;
    }
    const comma = this.findDepth0(open + 1, close, (t) => t.kind === TokenKind.OP && t.text === ',');
    if (comma >= 0) throw this.sub.unexpected(comma);
    const forAt = this.findDepth0(from + 1, close, (t) => t.kind === TokenKind.WORD && t.text.toUpperCase() === 'FOR');
    const stop = forAt >= 0 ? forAt : close;
    if (from === open + 1) throw this.sub.unexpected(from);
    if (from + 1 === stop) throw this.sub.unexpected(stop);
    if (forAt >= 0 && forAt + 1 === close) throw this.sub.unexpected(close);
    out.push({ text: this.identText(i), token: i });
    out.push({ text: '(', token: open });
    this.rewrite(open + 1, from, out, false);
    out.push({ text: ',', token: from });
    this.rewrite(from + 1, stop, out, false);
    if (forAt >= 0) {
      out.push({ text: ',', token: forAt });
      this.rewrite(forAt + 1, close, out, false);
    }
    out.push({ text: ')', token: close });
    return close + 1;
  }

  /** The first token in [from, to) outside any parentheses for which `is` holds, or -1. */
  private findDepth0(from: number, to: number, is: (t: Token) => boolean): number {
    for (let k = from; k < to; k++) {
      const t = this.tokens[k];
      if (t.kind === TokenKind.OP && t.text === '(') k = this.sub.matchOf(k);
      else if (is(t)) return k;
    }
    return -1;
  }

  /** CAST(x AS type) / TRY_CAST(...): the type is parsed by us and passed as a placeholder. */
  private cast(i: number, out: Piece[]): number {
    const open = i + 1;
    const close = this.sub.matchOf(open);
    let as = -1;
    for (let k = open + 1; k < close; k++) {
      const t = this.tokens[k];
      if (t.kind === TokenKind.OP && t.text === '(') k = this.sub.matchOf(k);
      else if (t.kind === TokenKind.WORD && t.text.toUpperCase() === 'AS') {
        as = k;
        break;
      }
    }
    if (as < 0) throw this.sub.unexpected(close);
    if (as === open + 1) throw this.sub.unexpected(as);
    out.push({ text: this.tokens[i].text, token: i });
    out.push({ text: '(', token: open });
    this.rewrite(open + 1, as, out, false);
    out.push({ text: 'AS', token: as });
    const { type, next } = this.sub.parseType(as + 1, close);
    if (next !== close) throw this.sub.unexpected(next);
    out.push({ text: this.typePlaceholder(type), token: as + 1 });
    out.push({ text: ')', token: close });
    return close + 1;
  }

  /** INTERVAL '<n> <unit>' or INTERVAL '<n>' <unit>; the unit is canonical (DAYS -> DAY, default SECOND). */
  private interval(i: number, end: number, out: Piece[]): number {
    const str = this.tokens[i + 1].value;
    const unitTok = i + 2 < end ? this.tokens[i + 2] : null;
    let value: string;
    let unit: string;
    let next = i + 2;
    const unitWord = unitTok && unitTok.kind === TokenKind.WORD ? INTERVAL_UNITS.get(unitTok.text.toUpperCase()) : undefined;
    if (unitWord !== undefined) {
      if (!/^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/.test(str)) throw new SqlSyntaxError(`invalid interval '${clipValue(str)}'.`, positionOf(this.tokens[i + 1]));
      value = str.trim();
      unit = unitWord;
      next = i + 3;
    } else {
      if (str.includes(',')) throw new NotSupportedError('INTERVAL literals with several parts');
      const m = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z_]*)\s*$/.exec(str);
      const part = m && (m[2] ? INTERVAL_UNITS.get(m[2].toUpperCase()) : 'SECOND');
      if (!m || !part) throw new SqlSyntaxError(`invalid interval '${clipValue(str)}'.`, positionOf(this.tokens[i + 1]));
      value = m[1];
      unit = part;
    }
    out.push({ text: this.exprPlaceholder({ kind: 'interval', value, unit }), token: i });
    return next;
  }

  /** Column references have at most two parts (table.column); function names one. */
  private checkNameParts(i: number, end: number): void {
    const toks = this.tokens;
    const isDot = (k: number) => k < end && toks[k].kind === TokenKind.OP && toks[k].text === '.';
    const isName = (k: number) => k < end && (toks[k].kind === TokenKind.WORD || toks[k].kind === TokenKind.QUOTED);
    if (i > 0 && isDot(i - 1)) return;
    if (isDot(i + 1) && isName(i + 2) && isDot(i + 3) && (isName(i + 4) || (i + 4 < end && toks[i + 4].text === '*'))) {
      throw new NotSupportedError('Names with more than two parts in expressions');
    }
  }

  private isOpAt(k: number, end: number, op: string): boolean {
    return k < end && this.tokens[k].kind === TokenKind.OP && this.tokens[k].text === op;
  }

  private isNameAt(k: number, end: number): boolean {
    return k < end && (this.tokens[k].kind === TokenKind.WORD || this.tokens[k].kind === TokenKind.QUOTED);
  }

  /**
   * `[[db.]schema.]seq.NEXTVAL` at `i`: up to three name parts (unquoted upper-cased, "quoted"
   * verbatim), then `.NEXTVAL` unquoted and not followed by '(', '.', ':' or '['. Answers the
   * nextval expression and the index after it, or null (a column `t.nextval` is bound as one
   * when the binder finds no sequence: bind-expr.ts).
   */
  private sequenceRef(i: number, end: number): { expr: Expr; next: number } | null {
    const parts: string[] = [];
    let k = i;
    while (this.isNameAt(k, end) && this.isOpAt(k + 1, end, '.') && parts.length < 3) {
      const t = this.tokens[k];
      parts.push(t.kind === TokenKind.QUOTED ? t.value : t.text.toUpperCase());
      if (this.isWordAt(k + 2, end, 'NEXTVAL')) {
        const after = k + 3;
        if (this.isOpAt(after, end, '(') || this.isOpAt(after, end, '.') || this.isOpAt(after, end, ':') || this.isOpAt(after, end, '[')) return null;
        return { expr: { kind: 'nextval', sequence: { parts } }, next: after };
      }
      k += 2;
    }
    return null;
  }

  /**
   * Snowflake's semi-structured access after a primary at `i` (a name `t.v`, a call `f(...)`
   * or a parenthesized expression): `base:key.key[0]['key']`, `base:"Quoted Key"`, `base[0]`,
   * `base['key']`, `base[expr]`. Each step becomes a GET(value, key | index) call, so
   * `v:a.b[0]` is GET(GET(GET(v, 'a'), 'b'), 0), what GET_PATH(v, 'a.b[0]') returns. Keys
   * after ':' and '.' are case-sensitive, as written (a "quoted" key keeps its spaces).
   * Returns null when no ':' or '[' follows the primary.
   */
  private semiPath(i: number, end: number): { expr: Expr; next: number } | null {
    const toks = this.tokens;
    let j: number;
    if (this.isNameAt(i, end)) {
      j = i + 1;
      if (this.isOpAt(j, end, '(')) j = this.sub.matchOf(j) + 1;
      else while (this.isOpAt(j, end, '.') && this.isNameAt(j + 1, end)) j += 2;
    } else if (this.isOpAt(i, end, '(') && !this.sub.isQueryGroup(i)) {
      j = this.sub.matchOf(i) + 1;
    } else {
      return null;
    }
    if (!this.isOpAt(j, end, ':') && !this.isOpAt(j, end, '[')) return null;
    let expr = this.parseExpression(i, j);
    const get = (key: Expr): Expr => ({ kind: 'function', name: 'GET', args: [expr, key], distinct: false, star: false });
    let k = j;
    for (;;) {
      if ((k === j && this.isOpAt(k, end, ':')) || (k > j && this.isOpAt(k, end, '.'))) {
        if (!this.isNameAt(k + 1, end)) throw this.sub.unexpected(k + 1);
        const name = toks[k + 1];
        expr = get({ kind: 'string', value: name.kind === TokenKind.QUOTED ? name.value : name.text });
        k += 2;
      } else if (this.isOpAt(k, end, '[')) {
        let depth = 0;
        let close = k;
        for (; close < end; close++) {
          if (this.isOpAt(close, end, '[')) depth++;
          else if (this.isOpAt(close, end, ']') && --depth === 0) break;
        }
        if (close >= end || close === k + 1) throw this.sub.unexpected(close);
        const inner = toks[k + 1];
        if (close === k + 2 && inner.kind === TokenKind.NUMBER) expr = get({ kind: 'number', text: inner.text });
        else if (close === k + 2 && inner.kind === TokenKind.STRING) expr = get({ kind: 'string', value: inner.value });
        else expr = get(this.parseExpression(k + 1, close));
        k = close + 1;
      } else {
        return { expr, next: k };
      }
    }
  }

  private isWordAt(k: number, end: number, word: string): boolean {
    return k < end && this.tokens[k].kind === TokenKind.WORD && this.tokens[k].text.toUpperCase() === word;
  }

  private identText(i: number): string {
    const t = this.tokens[i];
    // Unquoted non-ASCII names (`naïve`): the vendor grammar knows only ASCII words, so they
    // go as placeholders resolved like every unquoted name (upper-cased, as the front parser does).
    if (t.kind === TokenKind.WORD && !/[^\x00-\x7f]/.test(t.text)) return t.text;
    this.ph.idents.push(t.kind === TokenKind.WORD ? t.text.toUpperCase() : t.value);
    return `${this.prefix}q${this.ph.idents.length - 1}`;
  }

  private exprPlaceholder(e: Expr): string {
    this.ph.exprs.push(e);
    return `${this.prefix}e${this.ph.exprs.length - 1}`;
  }

  private typePlaceholder(type: TypeName): string {
    this.ph.numbers.push({ kind: 'type', type });
    return `VARCHAR(${NUMBER_BASE + this.ph.numbers.length - 1})`;
  }

  // ---- vendor AST -> Firn AST ----

  private ident(name: unknown): string {
    if (typeof name !== 'string') throw new InternalError(`unexpected identifier shape ${JSON.stringify(name)}`);
    const m = this.identRe.exec(name);
    return m ? this.ph.idents[Number(m[1])] : name.toUpperCase();
  }

  private selectItem(c: VNode): SelectItem {
    // The vendor sometimes hangs a trailing `::type` on the select item itself.
    const e = c.type === 'cast' ? { type: 'cast', expr: c.expr, symbol: c.symbol, target: c.target } : c.expr;
    if (e && e.type === 'column_ref' && columnName(e) === '*') {
      return { kind: 'star', table: e.table ? this.ident(e.table) : null, exclude: [], rename: [] };
    }
    const rawAlias: unknown = c.as === null || c.as === undefined ? null : typeof c.as === 'string' ? c.as : c.as?.value;
    if (typeof rawAlias === 'string' && RESERVED_WORDS.has(rawAlias.toUpperCase()) && typeof c.loc?.end?.offset === 'number') {
      throw this.sub.unexpected(this.tokenAt(c.loc.end.offset - 1, this.ph.end));
    }
    return { kind: 'expr', expr: this.expr(e), alias: rawAlias === null ? null : this.ident(rawAlias) };
  }

  private expr(n: VNode): Expr {
    switch (n?.type) {
      case 'column_ref':
        return this.columnRef(n);
      case 'number':
      case 'bigint':
        return this.number(n.value);
      case 'single_quote_string': {
        const m = typeof n.value === 'string' ? this.stringRe.exec(n.value) : null;
        if (!m) throw new InternalError(`string literal ${JSON.stringify(n.value)} has no source token`);
        if (this.ph.nullStrings.has(Number(m[1]))) return { kind: 'null' };
        return { kind: 'string', value: this.ph.strings[Number(m[1])] };
      }
      case 'bool':
        return { kind: 'boolean', value: n.value === true };
      case 'null':
        return { kind: 'null' };
      case 'binary_expr':
        return this.binary(n);
      case 'unary_expr':
        return this.unary(n);
      case 'function':
        return this.func(n);
      case 'aggr_func':
        return this.aggregate(n);
      case 'case':
        return this.caseExpr(n);
      case 'cast':
        return this.castExpr(n);
      case 'extract':
        return {
          kind: 'function',
          name: 'DATE_PART',
          args: [{ kind: 'column', table: null, name: String(n.args?.field ?? '').toUpperCase() }, this.expr(n.args?.source)],
          distinct: false,
          star: false,
        };
      case 'expr_list':
        throw new NotSupportedError('Row value constructors');
      case 'default': {
        // A bare keyword where a value belongs (`a = AND`): a syntax error at that word.
        const word = String(n.value).toUpperCase();
        let k = this.ph.start;
        while (k < this.ph.end && !(this.tokens[k].kind === TokenKind.WORD && this.tokens[k].text.toUpperCase() === word)) k++;
        throw this.sub.unexpected(k);
      }
      case 'window_func':
        throw new NotSupportedError('OVER on this expression');
      case 'interval':
        throw new NotSupportedError('INTERVAL without a quoted value');
      default:
        throw new NotSupportedError(`The expression kind '${String(n?.type ?? 'unknown')}'`);
    }
  }

  private columnRef(n: VNode): Expr {
    if (n.collate) throw new NotSupportedError('COLLATE');
    // `t.x` carries notations ['.']; any other separator is a path Firn does not have.
    if (Array.isArray(n.notations) && n.notations.some((x: unknown) => x !== '.')) throw new NotSupportedError('Semi-structured paths');
    const column = columnName(n);
    if (n.schema || n.db) throw new NotSupportedError('Names with more than two parts in expressions');
    if (column === '*') return { kind: 'star', table: n.table ? this.ident(n.table) : null };
    if (!n.table) {
      const m = this.exprRe.exec(column);
      if (m) {
        const e = this.ph.exprs[Number(m[1])];
        if (e.kind === 'quantified') throw new NotSupportedError(`${e.quantifier} (subquery) other than on the right of a comparison`);
        return e;
      }
    }
    // The vendor takes some reserved words for column names (`a = AND b`); Snowflake does not.
    if (RESERVED_WORDS.has(column.toUpperCase()) && typeof n.loc?.start?.offset === 'number') {
      throw this.sub.unexpected(this.tokenAt(n.loc.start.offset, this.tokens.length - 1));
    }
    return { kind: 'column', table: n.table ? this.ident(n.table) : null, name: this.ident(column) };
  }

  private number(value: unknown): Expr {
    const v = typeof value === 'number' ? value : Number(value);
    const negative = v < 0;
    const index = Math.abs(v) - NUMBER_BASE;
    const entry = Number.isInteger(index) ? this.ph.numbers[index] : undefined;
    if (!entry || entry.kind !== 'number') throw new InternalError(`number literal ${String(value)} has no source token`);
    const lit: Expr = { kind: 'number', text: entry.text };
    return negative ? { kind: 'unary', op: '-', expr: lit } : lit;
  }

  private typeOf(target: VNode): TypeName {
    // Every cast target reaches the vendor as VARCHAR(<placeholder>) (see typePlaceholder).
    if (target?.dataType !== 'VARCHAR') throw new InternalError(`cast target ${JSON.stringify(target)} is not a placeholder`);
    const index = Number(target?.length) - NUMBER_BASE;
    const entry = Number.isInteger(index) ? this.ph.numbers[index] : undefined;
    if (!entry || entry.kind !== 'type') throw new InternalError(`cast target ${JSON.stringify(target)} has no source type`);
    return entry.type;
  }

  private binary(n: VNode): Expr {
    const op: string = String(n.operator).toUpperCase();
    if (op === 'AND' || op === 'OR') return this.logical(n);
    const quantified = this.quantifiedSet(n.right);
    if (quantified && COMPARISON_OPS.has(op)) {
      return { ...quantified, op: (op === '!=' ? '<>' : op) as ComparisonOp, expr: this.expr(n.left) };
    }
    if (PASS_THROUGH_BINARY.has(op)) {
      return { kind: 'binary', op: op as BinaryOp, left: this.expr(n.left), right: this.expr(n.right) };
    }
    switch (op) {
      case '!=':
      case '<>':
        return { kind: 'binary', op: '<>', left: this.expr(n.left), right: this.expr(n.right) };
      case 'IN':
      case 'NOT IN': {
        const negated = op === 'NOT IN';
        const expr = this.expr(n.left);
        if (n.right?.type !== 'expr_list' || !Array.isArray(n.right.value)) throw new NotSupportedError('IN without a parenthesized list');
        const list = n.right.value.map((x: VNode) => this.expr(x));
        if (list.length === 1 && list[0].kind === 'subquery') return { kind: 'in_subquery', expr, query: list[0].query, negated };
        return { kind: 'in_list', expr, list, negated };
      }
      case 'BETWEEN':
      case 'NOT BETWEEN': {
        const bounds = n.right?.value;
        if (!Array.isArray(bounds) || bounds.length !== 2) throw new InternalError('BETWEEN without two bounds');
        return { kind: 'between', expr: this.expr(n.left), low: this.expr(bounds[0]), high: this.expr(bounds[1]), negated: op === 'NOT BETWEEN' };
      }
      case 'LIKE':
      case 'NOT LIKE':
      case 'ILIKE':
      case 'NOT ILIKE': {
        // The vendor hangs ESCAPE on the pattern node.
        const escape = n.right?.escape;
        const list = this.likePatterns(n.right);
        if (list) {
          // NOT [I]LIKE ANY is refused before the vendor sees it (likeList).
          if (op.startsWith('NOT')) throw new InternalError('NOT LIKE ANY reached the vendor');
          return {
            kind: 'like_quantified',
            expr: this.expr(n.left),
            quantifier: list.quantifier,
            patterns: list.patterns,
            caseInsensitive: op.endsWith('ILIKE'),
            escape: escape && escape.type === 'ESCAPE' ? this.expr(escape.value) : null,
          };
        }
        return {
          kind: 'like',
          expr: this.expr(n.left),
          pattern: this.expr(n.right),
          caseInsensitive: op.endsWith('ILIKE'),
          negated: op.startsWith('NOT'),
          escape: escape && escape.type === 'ESCAPE' ? this.expr(escape.value) : null,
        };
      }
      case 'REGEXP':
      case 'NOT REGEXP': {
        // Snowflake's `x [NOT] RLIKE p` / `x [NOT] REGEXP p`: the whole subject matches the pattern.
        const match: Expr = { kind: 'function', name: 'REGEXP_LIKE', args: [this.expr(n.left), this.expr(n.right)], distinct: false, star: false };
        return op === 'NOT REGEXP' ? { kind: 'unary', op: 'NOT', expr: match } : match;
      }
      case 'IS':
      case 'IS NOT':
        if (n.right?.type === 'null') return { kind: 'is_null', expr: this.expr(n.left), negated: op === 'IS NOT' };
        // Only `IS [NOT] DISTINCT FROM` reaches the vendor as IS <expr>, negation flipped (see isPredicate).
        return { kind: 'binary', op: op === 'IS' ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', left: this.expr(n.left), right: this.expr(n.right) };
      default:
        throw new NotSupportedError(`The operator ${op}`);
    }
  }

  /** The pattern list of `[I]LIKE ANY|ALL (...)` when `n` is its placeholder call (see likeList), else null. */
  private likePatterns(n: VNode): { quantifier: 'ANY' | 'ALL'; patterns: Expr[] } | null {
    if (n?.type !== 'function') return null;
    const parts: VNode[] = n.name?.name ?? [];
    const m = parts.length === 1 && !n.name?.schema && parts[0].type === 'default' ? this.likeRe.exec(String(parts[0].value)) : null;
    if (!m) return null;
    if (n.over) throw new NotSupportedError('OVER on this expression');
    const args: VNode[] = n.args?.type === 'expr_list' && Array.isArray(n.args.value) ? n.args.value : [n.args];
    return { quantifier: this.ph.likeLists[Number(m[1])], patterns: args.map((a) => this.expr(a)) };
  }

  /** The `ANY|ALL (subquery)` placeholder `n` stands for (see rewrite), else null. */
  private quantifiedSet(n: VNode): Extract<Expr, { kind: 'quantified' }> | null {
    if (n?.type !== 'column_ref' || n.table || n.parentheses) return null;
    const m = this.exprRe.exec(columnName(n));
    const e = m ? this.ph.exprs[Number(m[1])] : null;
    return e?.kind === 'quantified' ? e : null;
  }

  /** AND/OR chains: flattened in source order (iteratively), then rebuilt with AND above OR. */
  private logical(root: VNode): Expr {
    const operands: VNode[] = [];
    const ops: string[] = [];
    // Pending work in source order: a node to flatten, or an operator between two of them.
    const stack: (VNode | string)[] = [root];
    let isRoot = true;
    while (stack.length > 0) {
      const n = stack.pop();
      if (typeof n === 'string') {
        ops.push(n);
        continue;
      }
      const op = n?.type === 'binary_expr' ? String(n.operator).toUpperCase() : '';
      if ((op === 'AND' || op === 'OR') && (isRoot || !n.parentheses)) stack.push(n.right, op, n.left);
      else operands.push(n);
      isRoot = false;
    }
    return this.chain(operands.map((o) => this.expr(o)), ops);
  }

  /** `operands[0] ops[0] operands[1] ...` with AND binding tighter than OR, as balanced trees. */
  private chain(operands: Expr[], ops: string[]): Expr {
    const disjuncts: Expr[] = [];
    let run: Expr[] = [operands[0]];
    for (let k = 0; k < ops.length; k++) {
      if (ops[k] === 'OR') {
        disjuncts.push(balancedChain('AND', run));
        run = [];
      }
      run.push(operands[k + 1]);
    }
    disjuncts.push(balancedChain('AND', run));
    return balancedChain('OR', disjuncts);
  }

  private unary(n: VNode): Expr {
    const op = String(n.operator).toUpperCase();
    const inner = this.expr(n.expr);
    if (op === 'NOT') {
      if (inner.kind === 'exists' && !inner.negated && !n.expr?.parentheses) return { ...inner, negated: true };
      return { kind: 'unary', op: 'NOT', expr: inner };
    }
    if (op === '-' || op === '+') return { kind: 'unary', op, expr: inner };
    throw new NotSupportedError(`The unary operator ${op}`);
  }

  private func(n: VNode): Expr {
    const parts: VNode[] = n.name?.name ?? [];
    if (n.name?.schema || parts.length !== 1) throw new NotSupportedError('Qualified function names');
    if (n.over) throw new NotSupportedError('OVER on this expression');
    if (parts[0].type !== 'default' && parts[0].type !== 'origin') throw new NotSupportedError(`Function names of the form ${String(parts[0].type)}`);
    const raw: string = String(parts[0].value);
    let args: VNode[] = n.args?.type === 'expr_list' && Array.isArray(n.args.value) ? n.args.value : n.args ? [n.args] : [];
    const fm = this.funcRe.exec(raw);
    const name = fm ? this.ph.functions[Number(fm[1])] : this.ident(raw);
    const upper = fm ? name : raw.toUpperCase();
    if (!fm && upper === 'NOT' && !this.identRe.test(raw) && args.length === 1) {
      return { kind: 'unary', op: 'NOT', expr: this.expr(args[0]) };
    }
    if (args.some((a) => a?.type === 'origin')) {
      // The vendor reads POSITION(a IN b) as three arguments, the middle one the keyword IN.
      if (upper === 'POSITION' && args.length === 3 && args[1].type === 'origin' && String(args[1].value).toUpperCase() === 'IN' && n.separator === ' ') {
        args = [args[0], args[2]];
      } else {
        throw new NotSupportedError(`${upper} with keyword arguments`);
      }
    }
    const star = args.length === 1 && args[0]?.type === 'star' && args[0].value === '*';
    return { kind: 'function', name, args: star ? [] : args.map((a) => this.expr(a)), distinct: fm !== null, star };
  }

  private aggregate(n: VNode): Expr {
    if (n.over) throw new NotSupportedError('OVER on this expression');
    const a = n.args ?? {};
    if (a.orderby) throw new NotSupportedError('ORDER BY inside an aggregate');
    if (n.within_group_orderby) throw new NotSupportedError('WITHIN GROUP');
    const name = String(n.name).toUpperCase();
    const star = a.expr?.type === 'star' && a.expr.value === '*';
    const args: Expr[] = star ? [] : a.expr?.type === 'expr_list' ? a.expr.value.map((x: VNode) => this.expr(x)) : [this.expr(a.expr)];
    if (a.separator?.delimiter) {
      if (a.separator.symbol !== ',') throw new NotSupportedError(`${name} with a '${String(a.separator.symbol)}' before its delimiter`);
      args.push(this.expr(a.separator.delimiter));
    }
    return { kind: 'function', name, args, distinct: Boolean(a.distinct), star };
  }

  private caseExpr(n: VNode): Expr {
    const whens: { when: Expr; then: Expr }[] = [];
    let otherwise: Expr | null = null;
    for (const arm of n.args ?? []) {
      if (arm.type === 'when') whens.push({ when: this.expr(arm.cond), then: this.expr(arm.result) });
      else otherwise = this.expr(arm.result);
    }
    return { kind: 'case', operand: n.expr ? this.expr(n.expr) : null, whens, else: otherwise };
  }

  private castExpr(n: VNode): Expr {
    const targets: VNode[] = Array.isArray(n.target) ? n.target : [n.target];
    if (n.symbol !== '::' && String(n.symbol).toUpperCase() !== 'AS') throw new InternalError(`cast symbol ${String(n.symbol)}`);
    let e = this.expr(n.expr);
    const isTry = String(n.keyword).toUpperCase() === 'TRY_CAST';
    for (const t of targets) e = { kind: 'cast', expr: e, type: this.typeOf(t), try: isTry };
    return e;
  }
}

function positionOf(t: Token): { line: number; column: number } {
  return { line: t.line, column: t.column };
}

function columnName(n: VNode): string {
  const c = n.column;
  if (typeof c === 'string') return c;
  const v = c?.expr?.value;
  if (typeof v === 'string') return v;
  throw new InternalError(`unexpected column shape ${JSON.stringify(c)}`);
}

/** A placeholder prefix no word of the script starts with, so placeholders never collide. */
function choosePrefix(tokens: Token[]): string {
  const words = tokens.filter((t) => t.kind === TokenKind.WORD).map((t) => t.text.toLowerCase());
  for (let k = 0; ; k++) {
    const prefix = `firn${k}_`;
    if (!words.some((w) => w.startsWith(prefix))) return prefix;
  }
}

/** A `$name` token as the AST's session variable reference. */
function variableRef(t: Token): Expr {
  return { kind: 'variable', name: t.value, line: t.line, column: t.column };
}
