/**
 * The token cursor every part of the front parser (front-parser.ts and this folder) reads
 * with: a position in tokens [start, end) of one statement, the shared ParseContext (tokens,
 * matching parentheses, the vendor expression parser), and the helpers that accept, expect
 * and split tokens. Each statement family (one file here) is a set of functions taking a
 * cursor; `child` makes a cursor over a sub-range, which must be consumed the same way.
 *
 * Contract: identifiers are resolved here (unquoted upper-cased, "quoted" verbatim); `fail`
 * is SqlSyntaxError "unexpected '<token>'." at the offending token (tokens[end] when the
 * range ran out: ';', ')' or '<EOF>').
 */
import { CompilationError, SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { Expr, ObjectName } from '../ast.js';
import type { VendorExpressionParser } from '../convert-vendor-ast.js';
import { objectNameFromText } from '../object-name-text.js';
import { RESERVED_WORDS, TokenKind, type Token } from '../tokenizer.js';

/** Shared state of one script: its tokens, matching parentheses and the expression parser. */
/** `source`: the script the tokens came from (statements that keep their own text, CREATE VIEW, slice it). */
export type ParseContext = { tokens: Token[]; match: Int32Array; vendor: VendorExpressionParser; source: string };

/** Words that end a query body: set operations, and the ORDER BY / LIMIT tail. */
export const SET_OPS = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);
export const QUERY_TAIL = new Set(['ORDER', 'LIMIT', 'OFFSET', 'FETCH']);

/** A syntax error at token i: "unexpected '<token>'." ('<EOF>' past the end). */
export function unexpectedAt(tokens: Token[], i: number): SqlSyntaxError {
  const t = tokens[Math.min(i, tokens.length - 1)];
  const text = t.kind === TokenKind.EOF ? '<EOF>' : t.text;
  return new SqlSyntaxError(`unexpected '${clipValue(text)}'.`, { line: t.line, column: t.column });
}

/** The upper-cased text of a WORD token, else null. */
export function upperWord(t: Token): string | null {
  return t.kind === TokenKind.WORD ? t.text.toUpperCase() : null;
}

/** Whether the parenthesis at `open` holds a query (SELECT, WITH, VALUES, or a parenthesized query with a set operation or tail after it). */
export function isQueryGroup(ctx: ParseContext, open: number): boolean {
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

export class TokenCursor {
  constructor(
    readonly ctx: ParseContext,
    public pos: number,
    readonly end: number,
  ) {}

  get tokens(): Token[] {
    return this.ctx.tokens;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  tok(k = 0): Token {
    const i = this.pos + k;
    return this.tokens[i < this.end ? i : this.end];
  }

  word(k = 0): string | null {
    return this.pos + k < this.end ? upperWord(this.tokens[this.pos + k]) : null;
  }

  isWord(w: string, k = 0): boolean {
    return this.word(k) === w;
  }

  acceptWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.pos++;
    return true;
  }

  expectWord(w: string): void {
    if (!this.acceptWord(w)) throw this.fail();
  }

  isOp(op: string, k = 0): boolean {
    const i = this.pos + k;
    return i < this.end && this.tokens[i].kind === TokenKind.OP && this.tokens[i].text === op;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }

  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.fail();
  }

  /** A syntax error at the token k positions ahead (negative: behind). */
  fail(k = 0): SqlSyntaxError {
    return unexpectedAt(this.tokens, Math.min(this.pos + k, this.end));
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.fail();
  }

  /** The script's text of tokens [from, to), as written (comments and spacing inside kept). */
  sourceText(from: number, to: number): string {
    if (to <= from) return '';
    return this.ctx.source.slice(this.tokens[from].start, this.tokens[to - 1].end);
  }

  /** A cursor over [start, end) of the same script. */
  child(start: number, end: number): TokenCursor {
    return new TokenCursor(this.ctx, start, end);
  }

  /** Index of the first depth-0 word in [pos, end) for which `stop` holds, else end. */
  scanTo(stop: (word: string, i: number) => boolean): number {
    for (let i = this.pos; i < this.end; i++) {
      const t = this.tokens[i];
      if (t.kind === TokenKind.OP && t.text === '(') i = this.ctx.match[i];
      else if (t.kind === TokenKind.WORD && stop(t.text.toUpperCase(), i)) return i;
    }
    return this.end;
  }

  /** Splits [s, e) at depth-0 commas; an empty part is a syntax error. */
  splitCommas(s: number, e: number): [number, number][] {
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
  identifier(): string {
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

  /**
   * `[db.][schema.]name` with at most `maxParts` parts, or IDENTIFIER('<name>'): the name the
   * string holds, read by the same rules (object-name-text.ts).
   */
  objectName(maxParts = 3): ObjectName {
    const literal = this.identifierCall(TokenKind.STRING);
    if (literal) return objectNameFromText(literal.value, maxParts);
    const parts = [this.identifier()];
    while (this.isOp('.')) {
      if (parts.length === maxParts) throw this.fail();
      this.pos++;
      parts.push(this.identifier());
    }
    return { parts };
  }

  /**
   * `IDENTIFIER ( <token> )` at the cursor with a single token of `kind` inside (a string, or a
   * `$variable`): that token, and the cursor after the ')'; otherwise null and the cursor stays
   * (so a table named IDENTIFIER followed by a column list is still a name).
   */
  identifierCall(kind: TokenKind): Token | null {
    if (!this.isWord('IDENTIFIER') || !this.isOp('(', 1) || !this.isOp(')', 3) || this.tokens[this.pos + 2].kind !== kind) return null;
    const inner = this.tokens[this.pos + 2];
    this.pos += 4;
    return inner;
  }

  /** `( ident, ... )` */
  identList(): string[] {
    this.expectOp('(');
    const names = [this.identifier()];
    while (this.acceptOp(',')) names.push(this.identifier());
    this.expectOp(')');
    return names;
  }

  ifNotExists(): boolean {
    if (!this.acceptWord('IF')) return false;
    this.expectWord('NOT');
    this.expectWord('EXISTS');
    return true;
  }

  ifExists(): boolean {
    if (!this.acceptWord('IF')) return false;
    this.expectWord('EXISTS');
    return true;
  }

  /** `IF NOT EXISTS` after CREATE [OR REPLACE] <object>; with OR REPLACE a compilation error, as in Snowflake. */
  ifNotExistsWith(orReplace: boolean): boolean {
    const ifNotExists = this.ifNotExists();
    if (ifNotExists && orReplace) throw new CompilationError('SYNTAX', 'SQL compilation error: OR REPLACE and IF NOT EXISTS are incompatible.');
    return ifNotExists;
  }

  /** The expression filling [s, e), parsed by the vendor expression parser. */
  expr(s: number, e: number): Expr {
    if (s >= e) throw unexpectedAt(this.tokens, e);
    return this.ctx.vendor.parseExpression(s, e);
  }

  /** An unsigned integer literal (digits only) small enough to be exact in a double. */
  unsignedInteger(): number {
    const t = this.tok();
    if (this.atEnd() || t.kind !== TokenKind.NUMBER || !/^\d+$/.test(t.text) || !Number.isSafeInteger(Number(t.text))) throw this.fail();
    this.pos++;
    return Number(t.text);
  }

  /** A word, string or number option value, upper-cased (strings keep their content). */
  optionValue(): string {
    const t = this.tok();
    if (this.atEnd() || (t.kind !== TokenKind.WORD && t.kind !== TokenKind.STRING && t.kind !== TokenKind.NUMBER)) throw this.fail();
    this.pos++;
    return (t.kind === TokenKind.STRING ? t.value : t.text).toUpperCase();
  }
}
