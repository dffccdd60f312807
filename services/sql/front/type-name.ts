/**
 * Type names in column definitions and CASTs: NUMBER(10,2), DOUBLE PRECISION, VARCHAR,
 * TIMESTAMP_NTZ(9), ... Names and integer parameters only; binding checks them
 * (services/plan/resolve-type-name.ts).
 */
import { RESERVED_WORDS, TokenKind } from '../tokenizer.js';
import type { TypeName } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

/** A type name: NUMBER(10,2), DOUBLE PRECISION, VARCHAR, TIMESTAMP_NTZ(9), ... */
export function typeName(c: TokenCursor): TypeName {
  const w = c.word();
  if (w === null || RESERVED_WORDS.has(w)) throw c.fail();
  c.pos++;
  let name = w;
  if (name === 'DOUBLE' && c.acceptWord('PRECISION')) name = 'DOUBLE PRECISION';
  else if ((name === 'CHARACTER' || name === 'CHAR') && c.acceptWord('VARYING')) name = 'CHARACTER VARYING';
  const params: number[] = [];
  if (c.acceptOp('(')) {
    do {
      const t = c.tok();
      if (c.atEnd() || t.kind !== TokenKind.NUMBER || !/^\d+$/.test(t.text)) throw c.fail();
      params.push(Number(t.text));
      c.pos++;
    } while (c.acceptOp(','));
    c.expectOp(')');
  }
  return { name, params };
}
