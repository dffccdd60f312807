/**
 * Name resolution for column references: the columns visible to an expression, each with
 * the table qualifier it can be reached by (the alias, or the table's name).
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import type { DataType } from '../../storage/types/data-type.js';

export type ScopeColumn = { qualifier: string | null; name: string; type: DataType };

export class Scope {
  constructor(readonly columns: ScopeColumn[]) {}

  /** Position of the column `table.name` (table optional); throws INVALID_IDENTIFIER. */
  resolve(table: string | null, name: string): number {
    let found = -1;
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i];
      if (c.name !== name || (table !== null && c.qualifier !== table)) continue;
      if (found >= 0) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: ambiguous column name '${name}'`);
      found = i;
    }
    if (found < 0) {
      const shown = table ? `${table}.${name}` : name;
      throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${shown}'`);
    }
    return found;
  }

  has(table: string | null, name: string): boolean {
    return this.columns.some((c) => c.name === name && (table === null || c.qualifier === table));
  }
}
