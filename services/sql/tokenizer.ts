/**
 * The SQL tokenizer: turns a script into tokens with exact source positions.
 *
 * Why our own: the parser needs things node-sql-parser loses or gets wrong: whether an
 * identifier was "quoted" (case kept) or not (upper-cased), the exact source text of number
 * literals, Snowflake's string escapes and $$dollar$$ strings, `$name` session variables, comments (`--`, `//`, `/* *\/`)
 * and 1-based line/column positions for syntax errors. Every later stage works on these
 * tokens, so semicolons inside strings, comments and quoted identifiers never split a script.
 *
 * Contract: `tokenize(sql)` returns the tokens in order, always ending with one EOF token
 * (kind 'eof') positioned just after the last character. Words keep their source text (the
 * parser upper-cases them); quoted identifiers and strings carry their decoded `value`.
 * Characters that start no token throw SqlSyntaxError naming them. A quoted identifier holding
 * a control character (NUL, newline, ...) throws CompilationError INVALID_IDENTIFIER (000904),
 * as names become catalog keys, messages and file listings.
 */
import { CompilationError, SqlSyntaxError, type SqlPosition } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';

/** C0 controls (NUL, tab, newline, ...), DEL and C1 controls: never part of a name, even a "quoted" one. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_CHARS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

export const TokenKind = {
  /** Unquoted identifier or keyword: `select`, `my_col`, `t$1`. */
  WORD: 'word',
  /** Double-quoted identifier; `value` is the name with `""` undoubled. */
  QUOTED: 'quoted',
  /** Numeric literal; `text` is the exact source spelling. */
  NUMBER: 'number',
  /** Single-quoted or $$-quoted string; `value` is the decoded content. */
  STRING: 'string',
  /**
   * A stage location: `@` and everything up to the next whitespace, `;`, `,`, `(` or `)`
   * outside "double quotes" (`@s/a/b.csv`, `@db.sch."My Stage"/x/`, `@~`, `@%t`): one token,
   * so a path's `//`, `--` or `%` never reads as a comment or an operator. `value` = `text`;
   * services/stage/parse-stage-location.ts reads it.
   */
  STAGE: 'stage',
  /**
   * A session variable: `$` and a name (`$min`, `$my_var`); `value` is the name upper-cased
   * (variable names are case-insensitive). `$$` strings and `$1` are not variables.
   */
  VARIABLE: 'variable',
  /** Operator or punctuation: `(`, `::`, `<>`, `||`, ... */
  OP: 'op',
  EOF: 'eof',
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export type Token = {
  kind: TokenKind;
  /** Exact source text of the token. */
  text: string;
  /** Decoded value: string content, quoted identifier name, otherwise the source text. */
  value: string;
  /** Offset of the first character in the script. */
  start: number;
  /** Offset just after the last character. */
  end: number;
  /** 1-based line and column of the first character. */
  line: number;
  column: number;
};

/** Snowflake's reserved words: never unquoted identifiers (the parsers refuse them as names). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'ACCOUNT', 'ALL', 'ALTER', 'AND', 'ANY', 'AS', 'BETWEEN', 'BY', 'CASE', 'CAST', 'CHECK', 'COLUMN', 'CONNECT',
  'CONNECTION', 'CONSTRAINT', 'CREATE', 'CROSS', 'CURRENT', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP',
  'CURRENT_USER', 'DATABASE', 'DELETE', 'DISTINCT', 'DROP', 'ELSE', 'EXISTS', 'FALSE', 'FOLLOWING', 'FOR', 'FROM',
  'FULL', 'GRANT', 'GROUP', 'GSCLUSTER', 'HAVING', 'ILIKE', 'IN', 'INCREMENT', 'INNER', 'INSERT', 'INTERSECT',
  'INTO', 'IS', 'ISSUE', 'JOIN', 'LATERAL', 'LEFT', 'LIKE', 'LOCALTIME', 'LOCALTIMESTAMP', 'MINUS', 'NATURAL',
  'NOT', 'NULL', 'OF', 'ON', 'OR', 'ORDER', 'ORGANIZATION', 'QUALIFY', 'REGEXP', 'REVOKE', 'RIGHT', 'RLIKE',
  'ROW', 'ROWS', 'SAMPLE', 'SCHEMA', 'SELECT', 'SET', 'SOME', 'START', 'TABLE', 'TABLESAMPLE', 'THEN', 'TO',
  'TRIGGER', 'TRUE', 'TRY_CAST', 'UNION', 'UNIQUE', 'UPDATE', 'USING', 'VALUES', 'VIEW', 'WHEN', 'WHENEVER',
  'WHERE', 'WITH',
]);


const MULTI_CHAR_OPS = ['::', '||', '<>', '!=', '<=', '>=', '=>', '->'];
const SINGLE_CHAR_OPS = new Set(['(', ')', ',', '.', ';', '+', '-', '*', '/', '%', '=', '<', '>', '[', ']', ':', '?', '@', '{', '}']);

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  "'": "'",
  '"': '"',
  '\\': '\\',
};

function isWordStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || (c > '\x7f' && /\p{L}/u.test(c));
}

function isWordPart(c: string): boolean {
  return isWordStart(c) || (c >= '0' && c <= '9') || c === '$' || (c > '\x7f' && /[\p{L}\p{N}]/u.test(c));
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Splits `sql` into tokens; see the module comment for the contract. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const positionOf = (offset: number): SqlPosition => {
    let l = line;
    let ls = lineStart;
    for (let k = ls; k < offset; k++) {
      if (sql.charCodeAt(k) === 10) {
        l++;
        ls = k + 1;
      }
    }
    return { line: l, column: offset - ls + 1 };
  };

  // Advances over sql[from, to), keeping `line` and `lineStart` current.
  const advance = (to: number): void => {
    for (let k = i; k < to; k++) {
      if (sql.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    i = to;
  };

  const push = (kind: TokenKind, end: number, value?: string): void => {
    const text = sql.slice(i, end);
    tokens.push({ kind, text, value: value ?? text, start: i, end, line, column: i - lineStart + 1 });
    advance(end);
  };

  const fail = (offset: number, message: string): never => {
    throw new SqlSyntaxError(message, positionOf(offset));
  };

  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1] ?? '';

    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      advance(i + 1);
      continue;
    }
    if ((c === '-' && next === '-') || (c === '/' && next === '/')) {
      const nl = sql.indexOf('\n', i);
      advance(nl < 0 ? sql.length : nl + 1);
      continue;
    }
    if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) fail(i, "unexpected '<EOF>' in a comment.");
      advance(close + 2);
      continue;
    }

    if (isWordStart(c)) {
      let j = i + 1;
      while (j < sql.length && isWordPart(sql[j])) j++;
      push(TokenKind.WORD, j);
      continue;
    }

    if (isDigit(c) || (c === '.' && isDigit(next))) {
      let j = i;
      while (isDigit(sql[j] ?? '')) j++;
      if (sql[j] === '.') {
        j++;
        while (isDigit(sql[j] ?? '')) j++;
      }
      if (sql[j] === 'e' || sql[j] === 'E') {
        let k = j + 1;
        if (sql[k] === '+' || sql[k] === '-') k++;
        if (isDigit(sql[k] ?? '')) {
          while (isDigit(sql[k] ?? '')) k++;
          j = k;
        }
      }
      if (isWordStart(sql[j] ?? '')) fail(i, `unexpected '${clipValue(sql.slice(i, j + 1))}'.`);
      push(TokenKind.NUMBER, j);
      continue;
    }

    if (c === "'") {
      // Snowflake strings: '' is a quote, backslash escapes as in Snowflake's docs.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) fail(i, "unexpected '<EOF>' in a string literal.");
        const ch = sql[j];
        if (ch === "'") {
          if (sql[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          j++;
          break;
        }
        if (ch === '\\' && j + 1 < sql.length) {
          const e = sql[j + 1];
          if (e in SIMPLE_ESCAPES) {
            value += SIMPLE_ESCAPES[e];
            j += 2;
          } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(sql.slice(j + 2, j + 4))) {
            value += String.fromCharCode(parseInt(sql.slice(j + 2, j + 4), 16));
            j += 4;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(sql.slice(j + 2, j + 6))) {
            value += String.fromCharCode(parseInt(sql.slice(j + 2, j + 6), 16));
            j += 6;
          } else if (/^[0-7]{3}$/.test(sql.slice(j + 1, j + 4))) {
            value += String.fromCharCode(parseInt(sql.slice(j + 1, j + 4), 8));
            j += 4;
          } else {
            value += e;
            j += 2;
          }
          continue;
        }
        value += ch;
        j++;
      }
      push(TokenKind.STRING, j, value);
      continue;
    }

    if (c === '$' && next === '$') {
      const close = sql.indexOf('$$', i + 2);
      if (close < 0) fail(i, "unexpected '<EOF>' in a $$ string literal.");
      push(TokenKind.STRING, close + 2, sql.slice(i + 2, close));
      continue;
    }

    if (c === '$' && isWordStart(next)) {
      let j = i + 2;
      while (j < sql.length && isWordPart(sql[j])) j++;
      push(TokenKind.VARIABLE, j, sql.slice(i + 1, j).toUpperCase());
      continue;
    }

    if (c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) fail(i, "unexpected '<EOF>' in a quoted identifier.");
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          j++;
          break;
        }
        value += sql[j];
        j++;
      }
      if (value.length === 0) fail(i, `unexpected '""'.`);
      if (CONTROL_CHARS.test(value)) {
        const shown = clipValue(value).replace(CONTROL_CHARS_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '"${shown}"': identifiers must not contain control characters`);
      }
      push(TokenKind.QUOTED, j, value);
      continue;
    }

    if (c === '@') {
      push(TokenKind.STAGE, stageLocationEnd(sql, i));
      continue;
    }

    const two = sql.slice(i, i + 2);
    if (MULTI_CHAR_OPS.includes(two)) {
      push(TokenKind.OP, i + 2);
      continue;
    }
    if (SINGLE_CHAR_OPS.has(c)) {
      push(TokenKind.OP, i + 1);
      continue;
    }
    const cp = sql.codePointAt(i) ?? 0;
    fail(i, `unexpected '${String.fromCodePoint(cp)}'.`);
  }

  tokens.push({ kind: TokenKind.EOF, text: '', value: '', start: sql.length, end: sql.length, line, column: sql.length - lineStart + 1 });
  return tokens;
}

/** The end of the stage location starting with the '@' at `at` (see TokenKind.STAGE). */
function stageLocationEnd(sql: string, at: number): number {
  let j = at + 1;
  let quoted = false;
  for (; j < sql.length; j++) {
    const ch = sql[j];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (/\s/.test(ch) || ch === ';' || ch === ',' || ch === '(' || ch === ')')) break;
  }
  return j;
}
