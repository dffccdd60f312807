/**
 * Name resolution for column references: the columns visible to an expression, each with
 * the table qualifier it can be reached by (the alias, or the table's name).
 *
 * Contract: an unqualified name must match exactly one visible column, else it is
 * ambiguous; a `merged` column (the right-hand copy of a USING/NATURAL join column) is
 * reachable only by its qualifier, so `id` means the join column once. `SELECT *` skips
 * merged columns. An `outer` column (an enclosing query's, seen by a correlated subquery)
 * loses to a local column of the same name, as SQL scoping says.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import type { DataType } from '../../storage/types/data-type.js';
import { clipValue } from '../../storage/errors/clip-value.js';

export type ScopeColumn = { qualifier: string | null; name: string; type: DataType; merged?: boolean; outer?: boolean };

export class Scope {
  constructor(readonly columns: ScopeColumn[]) {}

  /** Position of the column `table.name` (table optional); throws INVALID_IDENTIFIER. */
  resolve(table: string | null, name: string): number {
    const found = this.find(table, name);
    if (found === -2) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: ambiguous column name '${clipValue(name)}'`);
    if (found < 0) {
      const shown = table ? `${table}.${name}` : name;
      throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${clipValue(shown)}'`);
    }
    return found;
  }

  has(table: string | null, name: string): boolean {
    return this.find(table, name) !== -1;
  }

  /** The position, -1 when absent, -2 when ambiguous; local columns shadow outer ones. */
  private find(table: string | null, name: string): number {
    for (const outer of [false, true]) {
      let found = -1;
      for (let i = 0; i < this.columns.length; i++) {
        const c = this.columns[i];
        if (!!c.outer !== outer || c.name !== name || (table !== null && c.qualifier !== table) || (table === null && c.merged)) continue;
        if (found >= 0) return -2;
        found = i;
      }
      if (found >= 0) return found;
    }
    return -1;
  }

  /** True when `table.name` resolves to an outer column (a correlated reference). */
  isOuter(table: string | null, name: string): boolean {
    const i = this.find(table, name);
    return i >= 0 && !!this.columns[i].outer;
  }

  /** The columns of two scopes side by side (a join's inputs). */
  concat(other: Scope): Scope {
    return new Scope([...this.columns, ...other.columns]);
  }
}
