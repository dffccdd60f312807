/** UNDROP {TABLE | SCHEMA | DATABASE} name: restores the most recently dropped object of that name. */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

const NAME_PARTS = { TABLE: 3, SCHEMA: 2, DATABASE: 1 } as const;

/** Objects Snowflake can UNDROP that Firn does not have. */
const UNSUPPORTED_UNDROP = new Set(['ACCOUNT', 'DYNAMIC', 'ICEBERG', 'EXTERNAL', 'TAG', 'NOTEBOOK']);

export function parseUndrop(c: TokenCursor): Statement {
  c.expectWord('UNDROP');
  const w = c.word();
  if (w !== 'TABLE' && w !== 'SCHEMA' && w !== 'DATABASE') {
    if (w !== null && UNSUPPORTED_UNDROP.has(w)) throw new NotSupportedError(`UNDROP ${w}`);
    throw c.fail();
  }
  c.pos++;
  if (c.isWord('IDENTIFIER') && c.isOp('(', 1)) throw new NotSupportedError(`UNDROP ${w} IDENTIFIER(...)`);
  const name = c.objectName(NAME_PARTS[w]);
  c.expectEnd();
  return { kind: 'undrop', objectType: w, name };
}
