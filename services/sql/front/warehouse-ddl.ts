/**
 * CREATE [OR REPLACE] WAREHOUSE [IF NOT EXISTS] name [WITH] prop = value ..., and
 * ALTER WAREHOUSE [IF EXISTS] [name] { SET prop = value ... | UNSET prop, ... | SUSPEND |
 * RESUME [IF SUSPENDED] | ABORT ALL QUERIES | RENAME TO new_name } (DROP WAREHOUSE is read with
 * the other DROPs, object-ddl.ts; DESCRIBE WAREHOUSE with the DESCRIBEs).
 *
 * The parser names properties and keeps their literals; their values are validated in services
 * (services/scheduler/warehouse-properties.ts). Snowflake's properties Firn does not implement
 * raise NotSupportedError naming them (so a script never runs with a setting silently
 * ignored), and any other name is an invalid property (001423).
 */
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { AlterWarehouseAction, Statement, WarehouseSetting, WarehouseValue } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

const IMPLEMENTED = new Set([
  'WAREHOUSE_SIZE', 'AUTO_SUSPEND', 'AUTO_RESUME', 'MIN_CLUSTER_COUNT', 'MAX_CLUSTER_COUNT', 'SCALING_POLICY',
  'MAX_CONCURRENCY_LEVEL', 'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS', 'STATEMENT_TIMEOUT_IN_SECONDS', 'COMMENT',
]);

/** Snowflake's warehouse properties and parameters Firn does not implement: valid names, refused. */
const UNIMPLEMENTED = new Set([
  'WAREHOUSE_TYPE', 'RESOURCE_CONSTRAINT', 'GENERATION', 'RESOURCE_MONITOR', 'ENABLE_QUERY_ACCELERATION',
  'QUERY_ACCELERATION_MAX_SCALE_FACTOR',
]);

function invalidProperty(prop: string): CompilationError {
  return new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid property '${prop}' for 'WAREHOUSE'`);
}

function checkName(prop: string, extra: readonly string[]): void {
  if (IMPLEMENTED.has(prop) || extra.includes(prop)) return;
  if (UNIMPLEMENTED.has(prop)) throw new NotSupportedError(`Warehouse property ${prop}`);
  throw invalidProperty(prop);
}

function value(c: TokenCursor): WarehouseValue {
  const t = c.tok();
  if (c.atEnd()) throw c.fail();
  if (t.kind === TokenKind.STRING) {
    c.pos++;
    return { kind: 'string', text: t.value ?? t.text };
  }
  if (t.kind === TokenKind.NUMBER) {
    c.pos++;
    return { kind: 'number', text: t.text };
  }
  // A negative number: valid SQL, refused by the property's own check.
  if (c.isOp('-') && c.tok(1).kind === TokenKind.NUMBER && c.pos + 1 < c.end) {
    c.pos += 2;
    return { kind: 'number', text: `-${c.tok(-1).text}` };
  }
  if (t.kind === TokenKind.WORD) {
    c.pos++;
    const w = t.text.toUpperCase();
    return w === 'NULL' ? { kind: 'null', text: 'NULL' } : { kind: 'word', text: w };
  }
  throw c.fail();
}

/** `prop = value` pairs (optionally comma-separated) to the end; `extra`: option names the caller reads itself. */
function settings(c: TokenCursor, extra: readonly string[]): WarehouseSetting[] {
  const out: WarehouseSetting[] = [];
  while (!c.atEnd()) {
    if (c.acceptOp(',') || (out.length === 0 && c.acceptWord('WITH'))) continue;
    const prop = c.word();
    if (prop === null) throw c.fail();
    if (prop === 'TAG' && c.isOp('(', 1)) throw new NotSupportedError('WAREHOUSE ... WITH TAG');
    if (!c.isOp('=', 1)) {
      c.pos++;
      throw c.fail();
    }
    checkName(prop, extra);
    c.pos += 2;
    out.push({ name: prop, value: value(c) });
  }
  return out;
}

function bool(s: WarehouseSetting): boolean {
  const t = s.value.text.toUpperCase();
  if (s.value.kind !== 'null' && (t === 'TRUE' || t === 'FALSE')) return t === 'TRUE';
  throw new CompilationError('TYPE_MISMATCH', `invalid value '${s.value.text}' for property '${s.name}'`);
}

/** Takes the option `name` (a boolean) out of `all`: its last value, false when absent. */
function takeOption(all: WarehouseSetting[], name: string): { rest: WarehouseSetting[]; on: boolean } {
  let on = false;
  for (const s of all) if (s.name === name) on = bool(s);
  return { rest: all.filter((s) => s.name !== name), on };
}

export function createWarehouse(c: TokenCursor, orReplace: boolean): Statement {
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName(1).parts[0];
  const { rest, on } = takeOption(settings(c, ['INITIALLY_SUSPENDED']), 'INITIALLY_SUSPENDED');
  return { kind: 'create_warehouse', name, ifNotExists, orReplace, settings: rest, initiallySuspended: on };
}

/** After ALTER WAREHOUSE. */
export function alterWarehouse(c: TokenCursor): Statement {
  const ifExists = c.ifExists();
  // The name may be left out before SUSPEND, RESUME and ABORT (the session's warehouse).
  const bare = (c.isWord('SUSPEND') || c.isWord('RESUME') || c.isWord('ABORT')) && (c.pos + 1 >= c.end || c.isWord('IF', 1) || c.isWord('ALL', 1));
  const name = bare ? null : c.objectName(1).parts[0];
  const action = alterAction(c);
  c.expectEnd();
  return { kind: 'alter_warehouse', name, ifExists, action };
}

function alterAction(c: TokenCursor): AlterWarehouseAction {
  const w = c.word();
  if (w === null) throw c.fail();
  c.pos++;
  switch (w) {
    case 'SUSPEND':
      return { kind: 'suspend' };
    case 'RESUME': {
      const ifSuspended = c.acceptWord('IF');
      if (ifSuspended) c.expectWord('SUSPENDED');
      return { kind: 'resume', ifSuspended };
    }
    case 'ABORT':
      c.expectWord('ALL');
      c.expectWord('QUERIES');
      return { kind: 'abort_all_queries' };
    case 'RENAME':
      c.expectWord('TO');
      return { kind: 'rename', to: c.objectName(1).parts[0] };
    case 'SET': {
      const all = settings(c, ['WAIT_FOR_COMPLETION']);
      if (all.length === 0) throw c.fail();
      const { rest, on } = takeOption(all, 'WAIT_FOR_COMPLETION');
      return { kind: 'set', settings: rest, waitForCompletion: on };
    }
    case 'UNSET': {
      const names: string[] = [];
      do {
        const prop = c.word();
        if (prop === null) throw c.fail();
        checkName(prop, []);
        names.push(prop);
        c.pos++;
      } while (c.acceptOp(','));
      return { kind: 'unset', names };
    }
    default:
      c.pos--;
      throw new NotSupportedError(`ALTER WAREHOUSE ... ${w}`);
  }
}
