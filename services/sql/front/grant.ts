/**
 * GRANT and REVOKE, Snowflake's forms that Firn enforces:
 *   GRANT ROLE r TO {ROLE r2 | USER u};            REVOKE ROLE r FROM {ROLE r2 | USER u}
 *   GRANT {priv [, ...] | ALL [PRIVILEGES]} ON <target> TO [ROLE] r [WITH GRANT OPTION]
 *   REVOKE [GRANT OPTION FOR] {priv [, ...] | ALL [PRIVILEGES]} ON <target> FROM [ROLE] r [RESTRICT]
 *   GRANT OWNERSHIP ON <target> TO [ROLE] r [{COPY | REVOKE} CURRENT GRANTS]
 * where <target> is ACCOUNT, {DATABASE | SCHEMA | [TABLE] | VIEW | WAREHOUSE | STAGE | FILE FORMAT | SEQUENCE} name,
 * ROLE name (for OWNERSHIP), ALL TABLES IN SCHEMA s or FUTURE TABLES IN SCHEMA s. A privilege is one or two
 * words (SELECT, CREATE TABLE, MANAGE GRANTS); each must apply to the target's kind
 * (services/access/privilege-names.ts), else a compilation error; which of USAGE, READ and WRITE
 * a stage takes depends on its type, checked when the statement runs (services/session/run-grant.ts). Snowflake's other forms
 * (database roles, shares, grants to users, other object kinds, CASCADE) are NotSupportedError.
 */
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import { OBJECT_PRIVILEGES, OWNERSHIP } from '../../access/privilege-names.js';
import type { GrantTarget, ObjectName, Statement } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

/** Kinds after ON (or after SHOW GRANTS ON) and how many name parts each takes; FILE FORMAT is two words. */
const NAMED_TARGETS = { DATABASE: 1, SCHEMA: 2, TABLE: 3, VIEW: 3, WAREHOUSE: 1, STAGE: 3, SEQUENCE: 3 } as const;

/** Securable kinds of Snowflake that Firn does not have. */
const UNSUPPORTED_TARGETS = new Set([
  'VIEWS', 'STAGES', 'FILE', 'FUNCTION', 'FUNCTIONS', 'PROCEDURE', 'PROCEDURES', 'SEQUENCES',
  'STREAM', 'STREAMS', 'TASK', 'TASKS', 'PIPE', 'PIPES', 'INTEGRATION', 'USER', 'EXTERNAL', 'MATERIALIZED', 'DYNAMIC',
  'ICEBERG', 'EVENT', 'NETWORK', 'RESOURCE', 'SHARE', 'TAG', 'MASKING', 'ROW', 'SCHEMAS', 'ALERT', 'APPLICATION',
]);

export function parseGrant(c: TokenCursor): Statement {
  const revoke = c.word() === 'REVOKE';
  c.pos++;
  if (c.isWord('DATABASE') && c.isWord('ROLE', 1)) throw new NotSupportedError(`${revoke ? 'REVOKE' : 'GRANT'} DATABASE ROLE`);
  if (c.isWord('APPLICATION') && c.isWord('ROLE', 1)) throw new NotSupportedError(`${revoke ? 'REVOKE' : 'GRANT'} APPLICATION ROLE`);
  if (c.acceptWord('ROLE')) return roleGrant(c, revoke);
  const grantOptionFor = revoke && c.acceptWord('GRANT');
  if (grantOptionFor) {
    c.expectWord('OPTION');
    c.expectWord('FOR');
  }
  const privileges = privilegeList(c);
  c.expectWord('ON');
  const on = target(c, true);
  c.expectWord(revoke ? 'FROM' : 'TO');
  const role = grantee(c, revoke);
  let grantOption = grantOptionFor;
  let currentGrants: 'COPY' | 'REVOKE' | null = null;
  if (!revoke && c.acceptWord('WITH')) {
    c.expectWord('GRANT');
    c.expectWord('OPTION');
    grantOption = true;
  }
  if (!revoke && (c.isWord('COPY') || c.isWord('REVOKE')) && c.isWord('CURRENT', 1)) {
    if (privileges === null || privileges[0] !== OWNERSHIP) throw c.fail();
    currentGrants = c.word() as 'COPY' | 'REVOKE';
    c.pos += 2;
    c.expectWord('GRANTS');
  }
  if (revoke) {
    if (c.isWord('CASCADE')) throw new NotSupportedError('REVOKE ... CASCADE');
    c.acceptWord('RESTRICT');
  }
  c.expectEnd();
  checkPrivileges(privileges, on, grantOption);
  return { kind: 'grant_privileges', revoke, privileges, on, role, grantOption, currentGrants };
}

function roleGrant(c: TokenCursor, revoke: boolean): Statement {
  const role = c.identifier();
  c.expectWord(revoke ? 'FROM' : 'TO');
  const w = c.word();
  if (w !== 'ROLE' && w !== 'USER') {
    if (w === 'DATABASE' || w === 'APPLICATION' || w === 'SHARE') throw new NotSupportedError(`${revoke ? 'REVOKE' : 'GRANT'} ROLE ... ${revoke ? 'FROM' : 'TO'} ${w}`);
    throw c.fail();
  }
  c.pos++;
  const name = c.identifier();
  c.expectEnd();
  return { kind: 'grant_role', revoke, role, grantee: { kind: w, name } };
}

/** `priv [, priv ...]` up to ON, or null for ALL [PRIVILEGES]. */
function privilegeList(c: TokenCursor): string[] | null {
  if (c.acceptWord('ALL')) {
    c.acceptWord('PRIVILEGES');
    return null;
  }
  const out: string[] = [];
  for (;;) {
    const words: string[] = [];
    while (!c.atEnd() && !c.isWord('ON') && !c.isOp(',')) {
      const w = c.word();
      if (w === null) throw c.fail();
      words.push(w);
      c.pos++;
    }
    if (words.length === 0) throw c.fail();
    out.push(words.join(' '));
    if (!c.acceptOp(',')) return out;
  }
}

/**
 * The object after ON: ACCOUNT, a kind and its name, ROLE name, or (`bulk`: GRANT and REVOKE)
 * ALL | FUTURE TABLES IN SCHEMA s. A bare name is a table, as in Snowflake.
 */
export function target(c: TokenCursor, bulk: boolean): GrantTarget {
  const w = c.word();
  if (w === 'ACCOUNT') {
    c.pos++;
    return { kind: 'ACCOUNT' };
  }
  if (w === 'ROLE') {
    c.pos++;
    return { kind: 'ROLE', name: c.identifier() };
  }
  if (bulk && (w === 'ALL' || w === 'FUTURE')) {
    c.pos++;
    const what = c.word();
    if (what !== 'TABLES') {
      if (what !== null) throw new NotSupportedError(`${w} ${what}`);
      throw c.fail();
    }
    c.pos++;
    c.expectWord('IN');
    if (c.isWord('DATABASE')) throw new NotSupportedError(`${w} TABLES IN DATABASE`);
    c.expectWord('SCHEMA');
    const schema = c.objectName(2);
    return w === 'ALL' ? { kind: 'ALL_TABLES', schema } : { kind: 'FUTURE_TABLES', schema };
  }
  if (w === 'FILE' && c.isWord('FORMAT', 1)) {
    c.pos += 2;
    return { kind: 'FILE_FORMAT', name: c.objectName(3) };
  }
  if (w !== null && w in NAMED_TARGETS) {
    const kind = w as keyof typeof NAMED_TARGETS;
    c.pos++;
    return { kind, name: c.objectName(NAMED_TARGETS[kind]) };
  }
  if (w !== null && UNSUPPORTED_TARGETS.has(w)) throw new NotSupportedError(`Grants on ${w}`);
  const name: ObjectName = c.objectName(3);
  return { kind: 'TABLE', name };
}

/** `[ROLE] name` after TO or FROM; grants to users, shares and database roles are not supported. */
function grantee(c: TokenCursor, revoke: boolean): string {
  const w = c.word();
  if (w === 'USER' || w === 'SHARE' || w === 'APPLICATION' || (w === 'DATABASE' && c.isWord('ROLE', 1))) {
    throw new NotSupportedError(`${revoke ? 'REVOKE' : 'GRANT'} <privileges> ${revoke ? 'FROM' : 'TO'} ${w}`);
  }
  c.acceptWord('ROLE');
  return c.identifier();
}

/** Each privilege must apply to the target's kind; OWNERSHIP stands alone. */
function checkPrivileges(privileges: string[] | null, on: GrantTarget, grantOption: boolean): void {
  const kind = on.kind === 'ALL_TABLES' || on.kind === 'FUTURE_TABLES' ? 'TABLE' : on.kind;
  if (privileges?.includes(OWNERSHIP)) {
    if (privileges.length > 1) throw new CompilationError('SYNTAX', 'SQL compilation error: OWNERSHIP cannot be granted together with other privileges.');
    if (kind === 'ACCOUNT') throw invalidPrivilege(OWNERSHIP, kind);
    if (grantOption) throw new CompilationError('SYNTAX', 'SQL compilation error: OWNERSHIP cannot be granted WITH GRANT OPTION.');
    return;
  }
  if (kind === 'ROLE') throw invalidPrivilege(privileges?.[0] ?? 'ALL', kind);
  for (const p of privileges ?? []) if (!OBJECT_PRIVILEGES[kind].includes(p)) throw invalidPrivilege(p, kind);
}

function invalidPrivilege(privilege: string, kind: string): CompilationError {
  return new CompilationError('SYNTAX', `SQL compilation error: Invalid privilege ${clipValue(privilege)} on ${kind}.`);
}
