/**
 * INSERT [OVERWRITE] INTO t [(columns)] <query> (VALUES, SELECT, WITH or a parenthesized
 * query). Multi-table INSERT (ALL / FIRST) is NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { wholeQuery } from './query.js';
import { isQueryGroup, type TokenCursor } from './token-cursor.js';

export function parseInsert(c: TokenCursor): Statement {
  c.expectWord('INSERT');
  const overwrite = c.acceptWord('OVERWRITE');
  if (c.isWord('ALL') || c.isWord('FIRST')) throw new NotSupportedError('Multi-table INSERT');
  c.expectWord('INTO');
  const table = c.objectName();
  const columns = c.isOp('(') && !isQueryGroup(c.ctx, c.pos) ? c.identList() : null;
  if (!(c.isWord('VALUES') || c.isWord('SELECT') || c.isWord('WITH') || c.isOp('('))) throw c.fail();
  return { kind: 'insert', table, columns, source: wholeQuery(c), overwrite };
}
