/**
 * ALTER TABLE [IF EXISTS] t <action> for the schema changes Firn versions (ADD COLUMN with
 * DEFAULT and NOT NULL, DROP COLUMN, RENAME COLUMN, RENAME TO, SWAP WITH, CLUSTER BY) and
 * the retention property, and ALTER {DATABASE | SCHEMA} [IF EXISTS] x {SET | UNSET}
 * DATA_RETENTION_TIME_IN_DAYS, ALTER SESSION (alter-session.ts), ALTER WAREHOUSE
 * (warehouse-ddl.ts) and ALTER USER (user-ddl.ts). Each statement holds one action. The DEFAULT expression is handed to the
 * expression parser as written (it ends at NOT NULL, NULL or another column option). Other
 * ALTER forms, several columns in one ADD / DROP, IF [NOT] EXISTS on a column,
 * and other properties are NotSupportedError.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { AlterTableAction, Expr, SetRetention, Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { alterSession } from './alter-session.js';
import { clusterKeys } from './object-ddl.js';
import { columnDefinition } from './column-definition.js';
import { alterSequence } from './sequence-ddl.js';
import { upperWord, type TokenCursor } from './token-cursor.js';
import { typeName } from './type-name.js';
import { alterUser } from './user-ddl.js';
import { alterWarehouse } from './warehouse-ddl.js';

const RETENTION = 'DATA_RETENTION_TIME_IN_DAYS';

/** ALTER TABLE | DATABASE | SCHEMA | SESSION | WAREHOUSE | USER ...; any other ALTER is NotSupportedError. */
export function parseAlter(c: TokenCursor): Statement {
  c.expectWord('ALTER');
  const w = c.word();
  if (w === null) throw c.fail();
  c.pos++;
  switch (w) {
    case 'TABLE': {
      const ifExists = c.ifExists();
      const name = c.objectName();
      const action = tableAction(c);
      c.expectEnd();
      return { kind: 'alter_table', name, ifExists, action };
    }
    case 'DATABASE':
    case 'SCHEMA': {
      const ifExists = c.ifExists();
      const name = c.objectName(w === 'DATABASE' ? 1 : 2);
      if (!c.isWord('SET') && !c.isWord('UNSET')) {
        if (c.word() !== null) throw new NotSupportedError(`ALTER ${w} ... ${c.word()}`);
        throw c.fail();
      }
      return { kind: 'alter_container', objectType: w, name, ifExists, action: retention(c, `ALTER ${w}`) };
    }
    case 'SESSION':
      return alterSession(c);
    case 'WAREHOUSE':
      return alterWarehouse(c);
    case 'USER':
      return alterUser(c);
    case 'SEQUENCE':
      return alterSequence(c);
    default:
      throw new NotSupportedError(`ALTER ${w}`);
  }
}

function tableAction(c: TokenCursor): AlterTableAction {
  const w = c.word();
  switch (w) {
    case 'ADD':
      c.pos++;
      return addColumn(c);
    case 'DROP': {
      c.pos++;
      if (c.isWord('CLUSTERING') || c.isWord('PRIMARY') || c.isWord('CONSTRAINT') || c.isWord('UNIQUE') || c.isWord('FOREIGN') || c.isWord('ROW')) {
        throw new NotSupportedError(`ALTER TABLE ... DROP ${c.word()}`);
      }
      c.acceptWord('COLUMN');
      if (c.isWord('IF') && c.isWord('EXISTS', 1)) throw new NotSupportedError('ALTER TABLE ... DROP COLUMN IF EXISTS');
      const name = c.identifier();
      if (c.isOp(',')) throw new NotSupportedError('ALTER TABLE ... DROP of several columns');
      return { kind: 'drop_column', name };
    }
    case 'RENAME':
      c.pos++;
      if (c.acceptWord('COLUMN')) {
        const from = c.identifier();
        c.expectWord('TO');
        return { kind: 'rename_column', from, to: c.identifier() };
      }
      c.expectWord('TO');
      return { kind: 'rename', to: c.objectName() };
    case 'SWAP':
      c.pos++;
      c.expectWord('WITH');
      return { kind: 'swap', with: c.objectName() };
    case 'CLUSTER':
      c.pos++;
      c.expectWord('BY');
      return { kind: 'cluster_by', keys: clusterKeys(c) };
    case 'SET':
    case 'UNSET':
      return retention(c, 'ALTER TABLE');
    default:
      if (w !== null) throw new NotSupportedError(`ALTER TABLE ... ${w}`);
      throw c.fail();
  }
}

/** `[COLUMN] name type [DEFAULT expr | AUTOINCREMENT ...] [NOT NULL | NULL]` (column-definition.ts). */
function addColumn(c: TokenCursor): AlterTableAction {
  const first = c.word();
  if (first === 'CONSTRAINT' || first === 'PRIMARY' || first === 'UNIQUE' || first === 'FOREIGN' || first === 'CHECK' || first === 'ROW' || first === 'SEARCH') {
    throw new NotSupportedError(`ALTER TABLE ... ADD ${first}`);
  }
  c.acceptWord('COLUMN');
  if (c.isWord('IF') && c.isWord('NOT', 1)) throw new NotSupportedError('ALTER TABLE ... ADD COLUMN IF NOT EXISTS');
  if (c.splitCommas(c.pos, c.end).length > 1) throw new NotSupportedError('ALTER TABLE ... ADD of several columns');
  const { default: dflt, ...column } = columnDefinition(c.child(c.pos, c.end));
  c.pos = c.end;
  return { kind: 'add_column', column, default: dflt ?? null };
}

/** `SET DATA_RETENTION_TIME_IN_DAYS = n` or `UNSET DATA_RETENTION_TIME_IN_DAYS`, ending the statement. */
function retention(c: TokenCursor, what: string): SetRetention {
  const unset = c.acceptWord('UNSET');
  if (!unset) c.expectWord('SET');
  const property = c.word();
  if (property !== RETENTION) {
    if (property !== null) throw new NotSupportedError(`${what} ... ${unset ? 'UNSET' : 'SET'} ${property}`);
    throw c.fail();
  }
  c.pos++;
  let days: number | null = null;
  if (!unset) {
    c.expectOp('=');
    days = c.unsignedInteger();
  }
  if (c.isOp(',') || (c.word() !== null && (c.isOp('=', 1) || unset))) throw new NotSupportedError(`${what} ... ${unset ? 'UNSET' : 'SET'} of several properties`);
  c.expectEnd();
  return { kind: 'set_retention', days };
}
