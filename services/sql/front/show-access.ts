/**
 * SHOW ROLES [LIKE '...'], SHOW GRANTS [TO ROLE r | TO USER u | OF ROLE r | ON <object>] and
 * SHOW FUTURE GRANTS IN SCHEMA s (after SHOW, which show-describe.ts reads). <object> is ACCOUNT,
 * ROLE name or {DATABASE | SCHEMA | TABLE | WAREHOUSE | STAGE | FILE FORMAT} name, as GRANT names
 * it (grant.ts).
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { target } from './grant.js';
import type { TokenCursor } from './token-cursor.js';

/** After SHOW ROLES. */
export function showRoles(c: TokenCursor): Statement {
  let like: string | null = null;
  if (c.acceptWord('LIKE')) {
    const t = c.tok();
    if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
    like = t.value;
    c.pos++;
  }
  if (c.isWord('STARTS') || c.isWord('LIMIT')) throw new NotSupportedError(`SHOW ROLES ... ${c.word()}`);
  c.expectEnd();
  return { kind: 'show_roles', like };
}

/** After SHOW GRANTS. */
export function showGrants(c: TokenCursor): Statement {
  if (c.atEnd()) return { kind: 'show_grants', of: { kind: 'CURRENT_USER' } };
  let st: Statement;
  if (c.acceptWord('TO')) {
    const w = c.word();
    if (w === 'ROLE') {
      c.pos++;
      st = { kind: 'show_grants', of: { kind: 'TO_ROLE', role: c.identifier() } };
    } else if (w === 'USER') {
      c.pos++;
      st = { kind: 'show_grants', of: { kind: 'TO_USER', user: c.identifier() } };
    } else {
      if (w === 'SHARE' || w === 'DATABASE' || w === 'APPLICATION') throw new NotSupportedError(`SHOW GRANTS TO ${w}`);
      throw c.fail();
    }
  } else if (c.acceptWord('OF')) {
    if (c.word() !== 'ROLE') {
      if (c.word() !== null) throw new NotSupportedError(`SHOW GRANTS OF ${c.word()}`);
      throw c.fail();
    }
    c.pos++;
    st = { kind: 'show_grants', of: { kind: 'OF_ROLE', role: c.identifier() } };
  } else if (c.acceptWord('ON')) {
    const on = target(c, false);
    if (on.kind === 'ALL_TABLES' || on.kind === 'FUTURE_TABLES') throw c.fail();
    st = { kind: 'show_grants', of: { kind: 'ON', target: on } };
  } else {
    throw c.fail();
  }
  c.expectEnd();
  return st;
}

/** After SHOW FUTURE. */
export function showFutureGrants(c: TokenCursor): Statement {
  c.expectWord('GRANTS');
  c.expectWord('IN');
  if (c.isWord('DATABASE')) throw new NotSupportedError('SHOW FUTURE GRANTS IN DATABASE');
  c.expectWord('SCHEMA');
  const schema = c.objectName(2);
  c.expectEnd();
  return { kind: 'show_future_grants', schema };
}
