/**
 * SHOW COLUMNS [LIKE '<pattern>'] [IN {ACCOUNT | DATABASE [db] | SCHEMA [[db.]s] | [TABLE] t |
 * VIEW v}] (after SHOW COLUMNS, which show-describe.ts reads), as Snowflake writes it. Without
 * IN the scope is the session's current database (the engine falls back to the account when
 * there is none), as in Snowflake. Firn has no views: IN VIEW is NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { ShowColumnsScope, Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

/** After SHOW COLUMNS. */
export function showColumns(c: TokenCursor): Statement {
  let like: string | null = null;
  if (c.acceptWord('LIKE')) {
    const t = c.tok();
    if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
    like = t.value;
    c.pos++;
  }
  let scope: ShowColumnsScope = { kind: 'CURRENT' };
  if (c.acceptWord('IN')) {
    if (c.acceptWord('ACCOUNT')) scope = { kind: 'ACCOUNT' };
    else if (c.acceptWord('DATABASE')) scope = { kind: 'DATABASE', name: c.atEnd() ? null : c.objectName(1) };
    else if (c.acceptWord('SCHEMA')) scope = { kind: 'SCHEMA', name: c.atEnd() ? null : c.objectName(2) };
    else if (c.isWord('VIEW') || c.isWord('APPLICATION')) throw new NotSupportedError(`SHOW COLUMNS IN ${c.word()}`);
    else {
      c.acceptWord('TABLE');
      scope = { kind: 'TABLE', name: c.objectName() };
    }
  }
  if (c.isWord('STARTS') || c.isWord('LIMIT')) throw new NotSupportedError(`SHOW COLUMNS ... ${c.word()}`);
  c.expectEnd();
  return { kind: 'show_columns', like, scope };
}
