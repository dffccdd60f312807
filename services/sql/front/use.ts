/** USE [DATABASE | SCHEMA | WAREHOUSE] name (USE ROLE / SECONDARY ROLES are NotSupportedError). */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

export function parseUse(c: TokenCursor): Statement {
  c.expectWord('USE');
  if (c.isWord('ROLE') || c.isWord('SECONDARY')) throw new NotSupportedError(`USE ${c.word()}`);
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
