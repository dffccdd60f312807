/**
 * CREATE [OR REPLACE] WAREHOUSE [IF NOT EXISTS] name [WITH] [WAREHOUSE_SIZE = size] ...
 * (DROP WAREHOUSE is read with the other DROPs, object-ddl.ts).
 */
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

/** Snowflake's warehouse properties and parameters other than WAREHOUSE_SIZE: valid, not implemented yet. */
const UNIMPLEMENTED_WAREHOUSE_PROPERTIES = new Set([
  'WAREHOUSE_TYPE', 'RESOURCE_CONSTRAINT', 'GENERATION', 'MAX_CLUSTER_COUNT', 'MIN_CLUSTER_COUNT', 'SCALING_POLICY',
  'AUTO_SUSPEND', 'AUTO_RESUME', 'INITIALLY_SUSPENDED', 'RESOURCE_MONITOR', 'COMMENT', 'ENABLE_QUERY_ACCELERATION',
  'QUERY_ACCELERATION_MAX_SCALE_FACTOR', 'MAX_CONCURRENCY_LEVEL', 'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS',
  'STATEMENT_TIMEOUT_IN_SECONDS',
]);

/**
 * CREATE WAREHOUSE properties: WAREHOUSE_SIZE is the one Firn implements; Snowflake's other
 * properties and parameters raise NotSupportedError naming them (so a script is never run
 * with a setting silently ignored), and any other name is an invalid property (001423).
 */
export function createWarehouse(c: TokenCursor, orReplace: boolean): Statement {
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName(1).parts[0];
  let size: string | null = null;
  while (!c.atEnd()) {
    if (c.acceptOp(',') || c.acceptWord('WITH')) continue;
    const prop = c.word();
    if (prop === null) throw c.fail();
    if (prop === 'TAG' && c.isOp('(', 1)) throw new NotSupportedError('CREATE WAREHOUSE ... WITH TAG');
    if (!c.isOp('=', 1)) {
      c.pos++;
      throw c.fail();
    }
    if (prop !== 'WAREHOUSE_SIZE') {
      if (UNIMPLEMENTED_WAREHOUSE_PROPERTIES.has(prop)) throw new NotSupportedError(`Warehouse property ${prop}`);
      throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid property '${prop}' for 'WAREHOUSE'`);
    }
    c.pos += 2;
    const v = c.tok();
    if (c.atEnd() || (v.kind !== TokenKind.WORD && v.kind !== TokenKind.STRING && v.kind !== TokenKind.NUMBER)) throw c.fail();
    c.pos++;
    size = (v.kind === TokenKind.STRING ? v.value : v.text).toUpperCase();
  }
  return { kind: 'create_warehouse', name, ifNotExists, orReplace, size };
}
