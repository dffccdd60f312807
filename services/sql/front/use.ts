/** USE [DATABASE | SCHEMA | WAREHOUSE] name and USE ROLE name (USE SECONDARY ROLES is NotSupportedError). */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

export function parseUse(c: TokenCursor): Statement {
  c.expectWord('USE');
  if (c.isWord('SECONDARY')) throw new NotSupportedError('USE SECONDARY ROLES');
  if (c.acceptWord('ROLE')) {
    const name = c.objectName(1).parts[0];
    c.expectEnd();
    return { kind: 'use_role', name };
  }
  let objectType: 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | null = null;
  let maxParts = 2;
  for (const [w, parts] of [['DATABASE', 1], ['SCHEMA', 2], ['WAREHOUSE', 1]] as const) {
    if (c.acceptWord(w)) {
      objectType = w;
      maxParts = parts;
      break;
    }
  }
  const name = c.objectName(maxParts);
  c.expectEnd();
  return { kind: 'use', objectType, name };
}
