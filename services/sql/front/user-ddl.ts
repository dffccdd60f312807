/**
 * User statements, after their leading words: CREATE [OR REPLACE] USER [IF NOT EXISTS] name
 * [prop = value ...]; ALTER USER [IF EXISTS] [name] { SET prop = value ... | UNSET prop, ... |
 * ADD {PROGRAMMATIC ACCESS TOKEN | PAT} [IF NOT EXISTS] token [ROLE_RESTRICTION = 'role']
 * [DAYS_TO_EXPIRY = n] [COMMENT = '...'] | REMOVE {PROGRAMMATIC ACCESS TOKEN | PAT} token };
 * DROP USER [IF EXISTS] name; SHOW USERS [LIKE '...']; SHOW USER {PROGRAMMATIC ACCESS TOKENS |
 * PATS} [FOR USER name].
 *
 * Properties Firn has: PASSWORD = 'string', DEFAULT_ROLE, DEFAULT_WAREHOUSE (identifiers or
 * strings), DEFAULT_NAMESPACE (db or db.schema, or a string of it), DISABLED = TRUE | FALSE,
 * COMMENT = 'string'. A string naming an object is read as an identifier ('sysadmin' is
 * SYSADMIN, '"Mixed"' stays Mixed). Snowflake's other user properties are NotSupportedError
 * naming them (a script never runs with a property silently dropped); any other name is an
 * invalid property (001423). The user name may be left out of ALTER USER ... ADD | REMOVE
 * (the session's user), as in Snowflake.
 */
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { AlterUserAction, Statement, UserProperties } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

/** Snowflake's user properties Firn does not implement: valid names, refused. */
const UNIMPLEMENTED = new Set([
  'LOGIN_NAME', 'DISPLAY_NAME', 'FIRST_NAME', 'MIDDLE_NAME', 'LAST_NAME', 'EMAIL', 'MUST_CHANGE_PASSWORD', 'DAYS_TO_EXPIRY',
  'MINS_TO_UNLOCK', 'DEFAULT_SECONDARY_ROLES', 'MINS_TO_BYPASS_MFA', 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_FP', 'RSA_PUBLIC_KEY_2',
  'RSA_PUBLIC_KEY_2_FP', 'TYPE', 'NETWORK_POLICY', 'WORKLOAD_IDENTITY', 'PASSWORD_POLICY', 'SESSION_POLICY', 'AUTHENTICATION_POLICY',
  'TAG', 'EXT_AUTHN_DUO', 'EXT_AUTHN_UID',
]);

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function invalidProperty(prop: string): CompilationError {
  return new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid property '${prop}' for 'USER'`);
}

function invalidValue(prop: string): CompilationError {
  return new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid value for property '${prop}'`);
}

/** A STRING token's content, else a syntax error. */
function stringValue(c: TokenCursor): string {
  const t = c.tok();
  if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
  c.pos++;
  return t.value;
}

/** A name given as an identifier or as a string (see the module comment). */
function nameValue(c: TokenCursor): string {
  const t = c.tok();
  if (!c.atEnd() && t.kind === TokenKind.STRING) {
    c.pos++;
    const v = t.value.trim();
    if (PLAIN_IDENTIFIER.test(v)) return v.toUpperCase();
    if (/^"(?:[^"]|"")+"$/.test(v)) return v.slice(1, -1).replace(/""/g, '"');
    return t.value;
  }
  return c.identifier();
}

function namespaceValue(c: TokenCursor): string[] {
  const t = c.tok();
  if (!c.atEnd() && t.kind === TokenKind.STRING) {
    c.pos++;
    const parts = t.value.split('.').map((p) => p.trim());
    if (parts.length > 2 || !parts.every((p) => PLAIN_IDENTIFIER.test(p))) throw invalidValue('DEFAULT_NAMESPACE');
    return parts.map((p) => p.toUpperCase());
  }
  return c.objectName(2).parts;
}

function booleanValue(c: TokenCursor, prop: string): boolean {
  const t = c.tok();
  const text = c.atEnd() ? '' : (t.kind === TokenKind.STRING ? t.value : t.text).toUpperCase();
  if (text !== 'TRUE' && text !== 'FALSE') throw invalidValue(prop);
  c.pos++;
  return text === 'TRUE';
}

/** `prop = value` pairs (optionally comma-separated) to the end of the statement. */
function setProperties(c: TokenCursor): UserProperties {
  const props: UserProperties = {};
  let any = false;
  while (!c.atEnd()) {
    if (any && c.acceptOp(',')) continue;
    const prop = c.word();
    if (prop === null) throw c.fail();
    if (!c.isOp('=', 1)) {
      c.pos++;
      throw c.fail();
    }
    c.pos += 2;
    switch (prop) {
      case 'PASSWORD':
        props.password = stringValue(c);
        break;
      case 'DEFAULT_ROLE':
        props.defaultRole = nameValue(c);
        break;
      case 'DEFAULT_WAREHOUSE':
        props.defaultWarehouse = nameValue(c);
        break;
      case 'DEFAULT_NAMESPACE':
        props.defaultNamespace = namespaceValue(c);
        break;
      case 'DISABLED':
        props.disabled = booleanValue(c, prop);
        break;
      case 'COMMENT':
        props.comment = stringValue(c);
        break;
      default:
        if (UNIMPLEMENTED.has(prop)) throw new NotSupportedError(`User property ${prop}`);
        throw invalidProperty(prop);
    }
    any = true;
  }
  return props;
}

/** `UNSET prop, ...`: each property back to none (DISABLED to FALSE). */
function unsetProperties(c: TokenCursor): UserProperties {
  const props: UserProperties = {};
  do {
    const prop = c.word();
    if (prop === null) throw c.fail();
    c.pos++;
    switch (prop) {
      case 'PASSWORD':
        props.password = null;
        break;
      case 'DEFAULT_ROLE':
        props.defaultRole = null;
        break;
      case 'DEFAULT_WAREHOUSE':
        props.defaultWarehouse = null;
        break;
      case 'DEFAULT_NAMESPACE':
        props.defaultNamespace = null;
        break;
      case 'DISABLED':
        props.disabled = false;
        break;
      case 'COMMENT':
        props.comment = null;
        break;
      default:
        if (UNIMPLEMENTED.has(prop)) throw new NotSupportedError(`User property ${prop}`);
        throw invalidProperty(prop);
    }
  } while (c.acceptOp(','));
  c.expectEnd();
  return props;
}

/** After CREATE [OR REPLACE] USER. */
export function createUser(c: TokenCursor, orReplace: boolean): Statement {
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName(1).parts[0];
  c.acceptWord('WITH');
  return { kind: 'create_user', name, ifNotExists, orReplace, properties: setProperties(c) };
}

/** After DROP USER. */
export function dropUser(c: TokenCursor): Statement {
  const ifExists = c.ifExists();
  const name = c.objectName(1).parts[0];
  c.expectEnd();
  return { kind: 'drop_user', name, ifExists };
}

/** `PROGRAMMATIC ACCESS TOKEN` or `PAT` at k tokens ahead: how many words it takes (0: not there). */
function patWords(c: TokenCursor, k = 0): number {
  if (c.isWord('PAT', k)) return 1;
  return c.isWord('PROGRAMMATIC', k) && c.isWord('ACCESS', k + 1) && c.isWord('TOKEN', k + 2) ? 3 : 0;
}

/** After ALTER USER. */
export function alterUser(c: TokenCursor): Statement {
  const ifExists = c.ifExists();
  const bare = (c.isWord('ADD') || c.isWord('REMOVE') || c.isWord('ROTATE') || c.isWord('MODIFY')) && patWords(c, 1) > 0;
  const name = bare ? null : c.objectName(1).parts[0];
  const action = alterAction(c);
  c.expectEnd();
  return { kind: 'alter_user', name, ifExists, action };
}

function alterAction(c: TokenCursor): AlterUserAction {
  const w = c.word();
  if (w === null) throw c.fail();
  if (w === 'SET') {
    c.pos++;
    const properties = setProperties(c);
    if (Object.keys(properties).length === 0) throw c.fail();
    return { kind: 'set', properties };
  }
  if (w === 'UNSET') {
    c.pos++;
    return { kind: 'set', properties: unsetProperties(c) };
  }
  const words = patWords(c, 1);
  if ((w === 'ADD' || w === 'REMOVE') && words > 0) {
    c.pos += 1 + words;
    if (w === 'REMOVE') return { kind: 'remove_token', token: c.identifier() };
    const ifNotExists = c.ifNotExists();
    return { kind: 'add_token', token: c.identifier(), ifNotExists, ...tokenOptions(c) };
  }
  if ((w === 'ROTATE' || w === 'MODIFY') && words > 0) throw new NotSupportedError(`ALTER USER ... ${w} PROGRAMMATIC ACCESS TOKEN`);
  throw new NotSupportedError(`ALTER USER ... ${w}`);
}

function tokenOptions(c: TokenCursor): { roleRestriction: string | null; daysToExpiry: number | null; comment: string | null } {
  const out: { roleRestriction: string | null; daysToExpiry: number | null; comment: string | null } = { roleRestriction: null, daysToExpiry: null, comment: null };
  while (!c.atEnd()) {
    const opt = c.word();
    if (opt === null || !c.isOp('=', 1)) throw c.fail();
    c.pos += 2;
    switch (opt) {
      case 'ROLE_RESTRICTION':
        out.roleRestriction = nameValue(c);
        break;
      case 'DAYS_TO_EXPIRY':
        out.daysToExpiry = c.unsignedInteger();
        break;
      case 'COMMENT':
        out.comment = stringValue(c);
        break;
      case 'MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT':
        throw new NotSupportedError(`Programmatic access token option ${opt}`);
      default:
        throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid property '${opt}' for 'PROGRAMMATIC ACCESS TOKEN'`);
    }
  }
  return out;
}

/** After SHOW USERS. */
export function showUsers(c: TokenCursor): Statement {
  let like: string | null = null;
  if (c.acceptWord('LIKE')) like = stringValue(c);
  if (c.isWord('STARTS')) throw new NotSupportedError('SHOW USERS ... STARTS WITH');
  if (c.isWord('LIMIT')) throw new NotSupportedError('SHOW USERS ... LIMIT');
  c.expectEnd();
  return { kind: 'show_users', like };
}

/** After SHOW USER. */
export function showUserTokens(c: TokenCursor): Statement {
  if (!c.acceptWord('PATS')) {
    c.expectWord('PROGRAMMATIC');
    c.expectWord('ACCESS');
    c.expectWord('TOKENS');
  }
  let user: string | null = null;
  if (c.acceptWord('FOR')) {
    c.expectWord('USER');
    user = c.objectName(1).parts[0];
  }
  c.expectEnd();
  return { kind: 'show_user_tokens', user };
}
