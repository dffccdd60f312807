/**
 * What one INFORMATION_SCHEMA view provides (see system-view.ts for how views bind): its
 * name, columns and rows, read from the catalog at bind time. Apart from system-view.ts so
 * each view file and the registry that lists them do not import each other.
 */
import type { Catalog, DatabaseInfo, RetentionContext, SchemaInfo } from '../../catalog/catalog.js';
import type { Column } from '../../../storage/types/schema.js';
import type { Scalar } from '../../../storage/types/scalar.js';

/** A cell of a view row: a scalar as scalar.ts defines it for the column's type, or a Date for a TIMESTAMP_NTZ or TIMESTAMP_LTZ column. */
export type SystemCell = Scalar | Date;

export type SystemView = {
  name: string;
  columns: Column[];
  /**
   * The view's rows in `database` (which exists), each as wide as `columns`; `retention` is
   * the statement's clock and the account's default retention. A view shows only the objects
   * `sees` (the statement's role sees: services/access/access-check.ts). `views` are the
   * INFORMATION_SCHEMA views every database has (TABLES and COLUMNS list them, as Snowflake's do).
   */
  rows(catalog: Catalog, database: string, retention: RetentionContext, sees: Sees, views: readonly SystemView[]): SystemCell[][];
};

/** Whether the statement's role sees an object (SHOW's visibility: any privilege on it, and USAGE on its containers). */
export type Sees = {
  /** A table (live or dropped), by its id and where it is. */
  table(table: { id: number; database: string; schema: string }): boolean;
  schema(schema: SchemaInfo): boolean;
  /** A view, by its id, in a live schema. */
  view(view: { id: number }, schema: SchemaInfo): boolean;
  /** Whether the role owns the view (a secure view's definition is its owner's to see). */
  ownsView(view: { id: number }): boolean;
  /**
   * How a table's or view's catalog name is listed: as it is, as the statement's session's own
   * temporary object (its user name), or not at all (another session's temporary object).
   */
  listed(name: string): { name: string; temporary: boolean } | null;
  /** A named sequence, by its id, in a live schema. */
  sequence(seq: { id: number }, schema: SchemaInfo): boolean;
  database(database: DatabaseInfo): boolean;
};
