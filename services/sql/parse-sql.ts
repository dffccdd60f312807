/**
 * The SQL entry point of the services tier: script text in, Firn AST statements out.
 *
 * Contract: `parseSql(sql)` splits the script on top-level semicolons (a semicolon inside a
 * string, a comment or a quoted identifier is just text, because splitting happens on tokens)
 * and parses every statement; empty statements (`;;`, trailing `;`, comments only) are
 * skipped, so a blank script gives []. The whole script is parsed before anything runs: the
 * first error throws. Syntax errors are SqlSyntaxError with the 1-based {line, column} of
 * the offending token in the script, valid SQL Firn cannot express is NotSupportedError,
 * a statement nested too deeply (or that overflows the stack anyway) is STATEMENT_TOO_COMPLEX.
 * The vendor AST of node-sql-parser never leaves services/sql.
 */
import { isStackOverflow, statementTooComplex } from '../../storage/errors/firn-error.js';
import type { Statement } from './ast.js';
import { FrontParser } from './front-parser.js';
import { TokenKind, tokenize } from './tokenizer.js';

/** Parses a script of one or more `;`-separated statements. */
export function parseSql(sql: string): Statement[] {
  try {
    return parseScript(sql);
  } catch (err) {
    // Last resort behind the nesting limit (front-parser.ts): a statement deep in some other way.
    if (isStackOverflow(err)) throw statementTooComplex('it nests too deeply to parse');
    throw err;
  }
}

function parseScript(sql: string): Statement[] {
  const tokens = tokenize(sql);
  const ctx = FrontParser.createContext(tokens, sql);
  const statements: Statement[] = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== TokenKind.EOF && !(t.kind === TokenKind.OP && t.text === ';')) continue;
    if (i > start) {
      FrontParser.matchParens(ctx, start, i);
      statements.push(new FrontParser(ctx, start, i).parseStatement());
    }
    start = i + 1;
  }
  return statements;
}
