/**
 * CREATE and DROP of databases, schemas and [TRANSIENT | TEMPORARY] tables (columns, CLUSTER BY, CREATE TABLE AS),
 * and CREATE ... CLONE of all three (with time travel on the source, and Firn's
 * EXPIRES_AFTER = <seconds> lifetime for table clones); CREATE WAREHOUSE is handed to
 * warehouse-ddl.ts, CREATE and DROP USER to user-ddl.ts, CREATE and DROP ROLE to role-ddl.ts, stages
 * and file formats to stage-ddl.ts, views to view-ddl.ts, sequences to sequence-ddl.ts; a column's
 * definition is column-definition.ts's. Snowflake objects Firn does not have yet (functions, streams, ...)
 * are NotSupportedError, also for DESCRIBE (show-describe.ts).
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { ColumnDef, ObjectName, Query, Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { wholeQuery } from './query.js';
import { atTimeTravel, timeTravel } from './time-travel.js';
import type { TokenCursor } from './token-cursor.js';
import { createUser, dropUser } from './user-ddl.js';
import { createWarehouse } from './warehouse-ddl.js';
import { createRole, dropRole } from './role-ddl.js';
import { createFileFormat, createStage, dropStageObject } from './stage-ddl.js';
import { createView, dropView } from './view-ddl.js';
import { createSequence, dropSequence } from './sequence-ddl.js';
import { columnDefinition } from './column-definition.js';

export const UNSUPPORTED_OBJECTS = new Set([
  'MATERIALIZED', 'RECURSIVE', 'FUNCTION', 'PROCEDURE',
  'STREAM', 'TASK', 'PIPE', 'EXTERNAL', 'TAG', 'INTEGRATION', 'DYNAMIC', 'ICEBERG', 'HYBRID', 'EVENT',
  'NETWORK', 'RESOURCE', 'SHARE', 'ALERT', 'MASKING', 'ROW', 'API', 'STORAGE', 'NOTIFICATION', 'SECURITY',
  'VOLATILE',
]);

export function parseCreate(c: TokenCursor): Statement {
  const start = c.pos;
  c.expectWord('CREATE');
  let orReplace = false;
  if (c.acceptWord('OR')) {
    c.expectWord('REPLACE');
    orReplace = true;
  }
  const w = c.word();
  switch (w) {
    case 'DATABASE': {
      c.pos++;
      const ifNotExists = c.ifNotExistsWith(orReplace);
      const name = c.objectName(1);
      if (c.isWord('CLONE')) return clone(c, 'DATABASE', name, orReplace, ifNotExists);
      noObjectOptions(c, 'CREATE DATABASE');
      return { kind: 'create_database', name: name.parts[0], ifNotExists, orReplace };
    }
    case 'SCHEMA': {
      c.pos++;
      const ifNotExists = c.ifNotExistsWith(orReplace);
      const name = c.objectName(2);
      if (c.isWord('CLONE')) return clone(c, 'SCHEMA', name, orReplace, ifNotExists);
      noObjectOptions(c, 'CREATE SCHEMA');
      return { kind: 'create_schema', name, ifNotExists, orReplace };
    }
    case 'TABLE':
      c.pos++;
      return createTable(c, orReplace, false);
    case 'TRANSIENT':
      c.pos++;
      if (!c.isWord('TABLE')) throw new NotSupportedError(`CREATE TRANSIENT ${c.word() ?? ''}`.trimEnd());
      c.pos++;
      return createTable(c, orReplace, true);
    case 'LOCAL':
    case 'GLOBAL':
    case 'TEMP':
    case 'TEMPORARY':
    case 'VOLATILE':
      return createTemporary(c, orReplace, start);
    case 'WAREHOUSE':
      c.pos++;
      return createWarehouse(c, orReplace);
    case 'USER':
      c.pos++;
      return createUser(c, orReplace);
    case 'ROLE':
      c.pos++;
      return createRole(c, orReplace);
    case 'STAGE':
      c.pos++;
      return createStage(c, orReplace);
    case 'FILE':
      c.pos++;
      c.expectWord('FORMAT');
      return createFileFormat(c, orReplace);
    case 'SEQUENCE':
      c.pos++;
      return createSequence(c, orReplace);
    case 'VIEW':
    case 'SECURE':
    case 'MATERIALIZED':
    case 'RECURSIVE':
      return createView(c, orReplace, start);
    default:
      if (w !== null && UNSUPPORTED_OBJECTS.has(w)) throw new NotSupportedError(`CREATE ${w}`);
      throw c.fail();
  }
}

/** Anything after a database or schema name (but CLONE): properties are not supported. */
function noObjectOptions(c: TokenCursor, what: string): void {
  if (c.atEnd()) return;
  const w = c.word();
  if (w === 'WITH') throw new NotSupportedError(`${what} ... WITH`);
  if (w !== null && c.isOp('=', 1)) throw new NotSupportedError(`${what} option ${w}`);
  throw c.fail();
}

/**
 * `[LOCAL | GLOBAL] TEMP | TEMPORARY | VOLATILE` then TABLE or [SECURE] VIEW: objects of the session
 * alone (services/session/temporary-objects.ts). Snowflake reads all these spellings as TEMPORARY.
 */
function createTemporary(c: TokenCursor, orReplace: boolean, start: number): Statement {
  if (c.acceptWord('LOCAL') || c.acceptWord('GLOBAL')) {
    if (!c.isWord('TEMP') && !c.isWord('TEMPORARY')) throw c.fail();
  }
  c.pos++;
  if (c.acceptWord('TABLE')) {
    const st = createTable(c, orReplace, false, true);
    if (st.kind !== 'create_table') throw new NotSupportedError('CREATE TEMPORARY TABLE ... CLONE');
    return st;
  }
  if (c.isWord('VIEW') || c.isWord('SECURE')) {
    const st = createView(c, orReplace, start);
    return st.kind === 'create_view' ? { ...st, temporary: true } : st;
  }
  throw new NotSupportedError(`CREATE TEMPORARY ${c.word() ?? ''}`.trimEnd());
}

function createTable(c: TokenCursor, orReplace: boolean, transient: boolean, temporary = false): Statement {
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName();
  if (c.isWord('CLONE')) {
    const st = clone(c, 'TABLE', name, orReplace, ifNotExists);
    return transient && st.kind === 'create_clone' ? { ...st, transient: true } : st;
  }
  for (const w of ['LIKE', 'USING']) if (c.isWord(w)) throw new NotSupportedError(`CREATE TABLE ... ${w}`);
  const columns = c.isOp('(') ? columnDefs(c) : [];
  let clusterBy: string[] = [];
  if (c.acceptWord('CLUSTER')) {
    c.expectWord('BY');
    clusterBy = clusterKeys(c);
  }
  const w = c.word();
  if (w !== null && w !== 'AS' && (c.isOp('=', 1) || w === 'COPY' || w === 'WITH')) throw new NotSupportedError(`CREATE TABLE option ${w}`);
  let asQuery: Query | null = null;
  if (c.acceptWord('AS')) asQuery = wholeQuery(c);
  else if (columns.length === 0) throw c.fail();
  c.expectEnd();
  return { kind: 'create_table', name, columns, ifNotExists, orReplace, clusterBy, asQuery, ...(transient ? { transient: true as const } : {}), ...(temporary ? { temporary: true as const } : {}) };
}

/** How many parts the name of each clonable object may have. */
const NAME_PARTS = { TABLE: 3, SCHEMA: 2, DATABASE: 1 } as const;

/** `CLONE source [AT | BEFORE (...)] [EXPIRES_AFTER = seconds]` after the new object's name. */
function clone(c: TokenCursor, objectType: 'TABLE' | 'SCHEMA' | 'DATABASE', name: ObjectName, orReplace: boolean, ifNotExists: boolean): Statement {
  c.expectWord('CLONE');
  const source = c.objectName(NAME_PARTS[objectType]);
  const at = atTimeTravel(c) ? timeTravel(c) : null;
  let expiresAfterSeconds: number | null = null;
  if (c.isWord('EXPIRES_AFTER')) {
    if (objectType !== 'TABLE') throw new NotSupportedError(`CREATE ${objectType} ... CLONE ... EXPIRES_AFTER`);
    c.pos++;
    c.expectOp('=');
    expiresAfterSeconds = c.unsignedInteger();
  }
  if (c.isWord('COPY') || c.isWord('IGNORE')) throw new NotSupportedError(`CREATE ${objectType} ... CLONE ... ${c.word()}`);
  c.expectEnd();
  return { kind: 'create_clone', objectType, name, source, at, orReplace, ifNotExists, expiresAfterSeconds };
}

function columnDefs(c: TokenCursor): ColumnDef[] {
  const close = c.ctx.match[c.pos];
  const defs = c.splitCommas(c.pos + 1, close).map(([s, e]) => columnDef(c.child(s, e)));
  c.pos = close + 1;
  return defs;
}

function columnDef(c: TokenCursor): ColumnDef {
  const first = c.word();
  if (first === 'CONSTRAINT' || first === 'PRIMARY' || first === 'UNIQUE' || first === 'FOREIGN' || first === 'CHECK') {
    throw new NotSupportedError('Table constraints');
  }
  return columnDefinition(c);
}

/** CLUSTER BY ( col, ... ): plain column names; expressions are not supported. */
export function clusterKeys(c: TokenCursor): string[] {
  if (!c.isOp('(')) throw c.fail();
  const close = c.ctx.match[c.pos];
  const keys = c.splitCommas(c.pos + 1, close).map(([s, e]) => {
    const t = c.tokens[s];
    if (e - s === 1 && (t.kind === TokenKind.WORD || t.kind === TokenKind.QUOTED)) return c.child(s, e).identifier();
    c.expr(s, e);
    throw new NotSupportedError('CLUSTER BY expressions');
  });
  c.pos = close + 1;
  return keys;
}

export function parseDrop(c: TokenCursor): Statement {
  c.expectWord('DROP');
  const w = c.word();
  let st: Statement;
  switch (w) {
    case 'DATABASE':
      c.pos++;
      st = { kind: 'drop_database', ifExists: c.ifExists(), name: c.objectName(1).parts[0] };
      break;
    case 'SCHEMA':
      c.pos++;
      st = { kind: 'drop_schema', ifExists: c.ifExists(), name: c.objectName(2) };
      break;
    case 'TABLE':
      c.pos++;
      st = { kind: 'drop_table', ifExists: c.ifExists(), name: c.objectName(3) };
      break;
    case 'WAREHOUSE':
      c.pos++;
      st = { kind: 'drop_warehouse', ifExists: c.ifExists(), name: c.objectName(1).parts[0] };
      c.expectEnd();
      return st;
    case 'USER':
      c.pos++;
      return dropUser(c);
    case 'ROLE':
      c.pos++;
      return dropRole(c);
    case 'STAGE':
      c.pos++;
      return dropStageObject(c, 'drop_stage');
    case 'FILE':
      c.pos++;
      c.expectWord('FORMAT');
      return dropStageObject(c, 'drop_file_format');
    case 'SEQUENCE':
      c.pos++;
      return dropSequence(c);
    case 'VIEW':
      return dropView(c);
    case 'MATERIALIZED':
      throw new NotSupportedError('DROP MATERIALIZED VIEW (materialized views)');
    default:
      if (w !== null && UNSUPPORTED_OBJECTS.has(w)) throw new NotSupportedError(`DROP ${w}`);
      throw c.fail();
  }
  // CASCADE is Snowflake's default for databases and schemas; RESTRICT is not supported.
  if (!c.acceptWord('CASCADE') && c.isWord('RESTRICT')) throw new NotSupportedError(`DROP ${w} ... RESTRICT`);
  c.expectEnd();
  return st;
}
