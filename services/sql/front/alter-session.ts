/**
 * ALTER SESSION SET name = value [, | whitespace ...] and ALTER SESSION UNSET name [, ...],
 * after the ALTER SESSION words. Snowflake separates SET pairs by spaces, commas or new lines
 * and UNSET names by commas. Which names and values are valid is for the session
 * (services/session/session-parameters.ts), not the parser: a value is kept as written (a
 * string's content with its case, QUERY_TAG = 'My Tag'; a word or a number as its text).
 */
import type { Statement } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';
import { TokenKind } from '../tokenizer.js';

function rawValue(c: TokenCursor): string {
  const t = c.tok();
  if (c.atEnd() || (t.kind !== TokenKind.WORD && t.kind !== TokenKind.STRING && t.kind !== TokenKind.NUMBER)) throw c.fail();
  c.pos++;
  return t.kind === TokenKind.STRING ? t.value : t.text;
}

export function alterSession(c: TokenCursor): Statement {
  if (c.acceptWord('UNSET')) {
    const unset: string[] = [];
    do unset.push(c.identifier());
    while (c.acceptOp(','));
    c.expectEnd();
    return { kind: 'alter_session', set: [], unset };
  }
  c.expectWord('SET');
  const set: { name: string; value: string }[] = [];
  do {
    const name = c.identifier();
    c.expectOp('=');
    set.push({ name, value: rawValue(c) });
    c.acceptOp(',');
  } while (!c.atEnd());
  return { kind: 'alter_session', set, unset: [] };
}
