/**
 * What one INFORMATION_SCHEMA table function provides (`TABLE(INFORMATION_SCHEMA.f(args))`,
 * bound by bind-table-function.ts): its name, its parameters in positional order, its columns,
 * and its rows for the given arguments, read from the catalog at bind time (a VALUES plan, as a
 * system view's: system-view.ts). Apart from the registry so each function's module and the
 * registry do not import each other.
 */
import type { Column } from '../../../storage/types/schema.js';
import type { BindContext } from '../bind-context.js';
import type { SystemCell } from './system-view-contract.js';
import type { TableFunctionArgs } from './table-function-args.js';

export type InformationSchemaFunction = {
  name: string;
  params: readonly string[];
  columns: Column[];
  /**
   * The rows, each as wide as `columns`, that the statement's role may see. `database` is the
   * database the call names (`db.INFORMATION_SCHEMA.f`) or else the session's, null when neither
   * is known; a function that reads a database checks it (system-view.ts's usableDatabase).
   */
  rows(ctx: BindContext, args: TableFunctionArgs, database: string | null): SystemCell[][];
};
