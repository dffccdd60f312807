/**
 * CREATE [OR REPLACE] ROLE [IF NOT EXISTS] name [COMMENT = '...'] and DROP ROLE [IF EXISTS]
 * name (after CREATE [OR REPLACE] / DROP, which object-ddl.ts reads). Snowflake's database
 * roles and TAG are NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

/** After CREATE [OR REPLACE] ROLE. */
export function createRole(c: TokenCursor, orReplace: boolean): Statement {
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName(1).parts[0];
  let comment: string | null = null;
  while (!c.atEnd()) {
    if (c.acceptWord('COMMENT')) {
      c.expectOp('=');
      const t = c.tok();
      if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
      comment = t.value;
      c.pos++;
    } else if (c.isWord('WITH') || c.isWord('TAG')) {
      throw new NotSupportedError('CREATE ROLE ... TAG');
    } else {
      throw c.fail();
    }
  }
  return { kind: 'create_role', name, ifNotExists, orReplace, comment };
}

/** After DROP ROLE. */
export function dropRole(c: TokenCursor): Statement {
  const ifExists = c.ifExists();
  const name = c.objectName(1).parts[0];
  c.expectEnd();
  return { kind: 'drop_role', name, ifExists };
}
