/**
 * EXPLAIN <statement>: the explained statement is read by the dispatcher, passed in as
 * `statement` (front-parser.ts), so this file and the dispatcher do not import each other.
 * EXPLAIN LOGICAL <statement> asks for the logical plan instead of the physical one.
 * EXPLAIN USING (Snowflake's TABULAR / JSON / TEXT output choice) is NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

export function parseExplain(c: TokenCursor, statement: (c: TokenCursor) => Statement): Statement {
  c.expectWord('EXPLAIN');
  if (c.isWord('USING')) throw new NotSupportedError('EXPLAIN USING');
  if (c.acceptWord('LOGICAL')) {
    if (c.atEnd()) throw c.fail();
    return { kind: 'explain', statement: statement(c), logical: true };
  }
  if (c.atEnd()) throw c.fail();
  return { kind: 'explain', statement: statement(c) };
}
