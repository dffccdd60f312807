/**
 * SHOW DATABASES | SCHEMAS | TABLES [HISTORY] | VIEWS | WAREHOUSES | STAGES | FILE FORMATS | SEQUENCES [LIKE '...']
 * [IN ...], Firn's SHOW VERSIONS IN TABLE t (the table's version log), SHOW TRANSACTIONS [IN
 * ACCOUNT], SHOW VARIABLES [LIKE '...'] (the session's), SHOW PARAMETERS [LIKE '...'] [IN SESSION],
 * SHOW USERS and SHOW USER PATS
 * (user-ddl.ts), SHOW COLUMNS (show-columns.ts), SHOW ROLES | GRANTS | FUTURE GRANTS
 * (show-access.ts), and DESCRIBE TABLE | VIEW |
 * WAREHOUSE | STAGE | SEQUENCE; Snowflake's other SHOW and DESCRIBE forms are NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { ObjectName, Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { UNSUPPORTED_OBJECTS } from './object-ddl.js';
import { showFutureGrants, showGrants, showRoles } from './show-access.js';
import { showColumns } from './show-columns.js';
import type { TokenCursor } from './token-cursor.js';
import { showUsers, showUserTokens } from './user-ddl.js';

const UNSUPPORTED_SHOW = new Set([
  'FUNCTIONS', 'PROCEDURES',
  'STREAMS', 'TASKS', 'PIPES', 'OBJECTS', 'INTEGRATIONS', 'SHARES',
  'LOCKS', 'PRIMARY', 'IMPORTED', 'EXTERNAL', 'MATERIALIZED', 'TAGS', 'ALERTS', 'SESSIONS',
]);

/** The '<pattern>' string after LIKE. */
function likePattern(c: TokenCursor): string {
  const t = c.tok();
  if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
  c.pos++;
  return t.value;
}

export function parseShow(c: TokenCursor): Statement {
  c.expectWord('SHOW');
  if (c.isWord('TERSE')) throw new NotSupportedError('SHOW TERSE');
  if (c.isWord('VERSIONS')) return showVersions(c);
  if (c.acceptWord('USERS')) return showUsers(c);
  if (c.acceptWord('USER')) return showUserTokens(c);
  if (c.acceptWord('ROLES')) return showRoles(c);
  if (c.acceptWord('COLUMNS')) return showColumns(c);
  if (c.acceptWord('GRANTS')) return showGrants(c);
  if (c.acceptWord('FUTURE')) return showFutureGrants(c);
  if (c.acceptWord('VARIABLES')) {
    const like = c.acceptWord('LIKE') ? likePattern(c) : null;
    c.expectEnd();
    return { kind: 'show_variables', like };
  }
  if (c.acceptWord('PARAMETERS')) {
    const like = c.acceptWord('LIKE') ? likePattern(c) : null;
    if (c.acceptWord('IN')) {
      const scope = c.word();
      if (scope !== 'SESSION') {
        if (scope === null) throw c.fail();
        throw new NotSupportedError(`SHOW PARAMETERS IN ${scope}`);
      }
      c.pos++;
    }
    c.expectEnd();
    return { kind: 'show_parameters', like };
  }
  if (c.acceptWord('TRANSACTIONS')) {
    const inAccount = c.acceptWord('IN');
    if (inAccount) c.expectWord('ACCOUNT');
    c.expectEnd();
    return { kind: 'show_transactions', inAccount };
  }
  let w: Extract<Statement, { kind: 'show' }>['objectType'];
  const word = c.word();
  if (word === 'FILE' && c.isWord('FORMATS', 1)) {
    w = 'FILE FORMATS';
    c.pos++;
  } else if (word === 'DATABASES' || word === 'SCHEMAS' || word === 'TABLES' || word === 'VIEWS' || word === 'WAREHOUSES' || word === 'STAGES' || word === 'SEQUENCES') {
    w = word;
  } else {
    if (word !== null && UNSUPPORTED_SHOW.has(word)) throw new NotSupportedError(`SHOW ${word}`);
    throw c.fail();
  }
  c.pos++;
  const history = w === 'TABLES' && c.acceptWord('HISTORY');
  if (!history && c.isWord('HISTORY')) throw new NotSupportedError(`SHOW ${w} HISTORY`);
  const like = c.acceptWord('LIKE') ? likePattern(c) : null;
  let inName: ObjectName | null = null;
  let scope: 'ACCOUNT' | 'DATABASE' | undefined;
  if (c.isWord('IN')) {
    if (w === 'DATABASES' || w === 'WAREHOUSES') throw c.fail();
    c.pos++;
    const scopeEnds = () => c.atEnd() || c.isWord('STARTS') || c.isWord('LIMIT');
    if (w === 'SEQUENCES' && c.acceptWord('ACCOUNT')) {
      scope = 'ACCOUNT';
    } else if (c.isWord('ACCOUNT')) {
      throw new NotSupportedError(`SHOW ${w} IN ACCOUNT`);
    } else if (c.acceptWord('DATABASE')) {
      // For TABLES a database scope (all schemas) has no form in the AST: `in` names a schema.
      if (w === 'TABLES' || w === 'VIEWS' || w === 'STAGES' || w === 'FILE FORMATS') throw new NotSupportedError(`SHOW ${w} IN DATABASE`);
      if (w === 'SEQUENCES') scope = 'DATABASE';
      inName = scopeEnds() ? null : c.objectName(1);
    } else if (c.isWord('SCHEMA')) {
      if (w === 'SCHEMAS') throw c.fail();
      c.pos++;
      inName = scopeEnds() ? null : c.objectName(2);
    } else {
      inName = c.objectName(w === 'SCHEMAS' ? 1 : 2);
    }
  }
  if (c.isWord('STARTS')) throw new NotSupportedError(`SHOW ${w} ... STARTS WITH`);
  if (c.isWord('LIMIT')) throw new NotSupportedError(`SHOW ${w} ... LIMIT`);
  c.expectEnd();
  return { kind: 'show', objectType: w, in: inName, like, history, ...(scope ? { scope } : {}) };
}

/** SHOW VERSIONS IN TABLE t. */
function showVersions(c: TokenCursor): Statement {
  c.expectWord('VERSIONS');
  c.expectWord('IN');
  c.expectWord('TABLE');
  const table = c.objectName();
  c.expectEnd();
  return { kind: 'show_versions', table };
}

export function parseDescribe(c: TokenCursor): Statement {
  c.pos++;
  if (c.acceptWord('TABLE')) {
    const name = c.objectName();
    if (c.isWord('TYPE')) throw new NotSupportedError('DESCRIBE TABLE ... TYPE');
    c.expectEnd();
    return { kind: 'describe_table', name };
  }
  if (c.acceptWord('WAREHOUSE')) {
    const name = c.objectName(1).parts[0];
    c.expectEnd();
    return { kind: 'describe_warehouse', name };
  }
  if (c.acceptWord('STAGE')) {
    const name = c.objectName();
    c.expectEnd();
    return { kind: 'describe_stage', name };
  }
  if (c.acceptWord('VIEW')) {
    const name = c.objectName();
    c.expectEnd();
    return { kind: 'describe_view', name };
  }
  if (c.acceptWord('SEQUENCE')) {
    const name = c.objectName();
    c.expectEnd();
    return { kind: 'describe_sequence', name };
  }
  const w = c.word();
  if (w !== null && (UNSUPPORTED_OBJECTS.has(w) || ['SCHEMA', 'DATABASE', 'RESULT', 'QUERY', 'USER'].includes(w))) {
    throw new NotSupportedError(`DESCRIBE ${w}`);
  }
  throw c.fail();
}
