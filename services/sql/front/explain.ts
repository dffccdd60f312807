/**
 * EXPLAIN <statement>: the explained statement is read by the dispatcher, passed in as
 * `statement` (front-parser.ts), so this file and the dispatcher do not import each other.
 * EXPLAIN prints the physical plan; EXPLAIN LOGICAL <statement> the logical one. EXPLAIN USING
 * (Snowflake's TABULAR / JSON / TEXT output choice) is NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

export function parseExplain(c: TokenCursor, statement: (c: TokenCursor) => Statement): Statement {
  c.expectWord('EXPLAIN');
  if (c.isWord('USING')) throw new NotSupportedError('EXPLAIN USING');
  const logical = c.isWord('LOGICAL');
  if (logical) c.expectWord('LOGICAL');
  if (c.atEnd()) throw c.fail();
  return logical ? { kind: 'explain', statement: statement(c), logical: true } : { kind: 'explain', statement: statement(c) };
}
