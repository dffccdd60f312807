/**
 * The catalog's record of views (catalog migration 12). Apart from catalog.ts so the shared
 * interface grows by one member (`catalog.views`); the SQLite implementation is
 * sqlite-view-store.ts.
 *
 * Contract:
 * - A view lives in a schema (by its id, so it follows the schema through UNDROP) and shares
 *   the schema's namespace with its tables, as in Snowflake: `createView` refuses a name a live
 *   table has (OBJECT_EXISTS, 002002), and SqliteCatalog.createTable, renameTable and
 *   undropTable refuse a name a view has.
 * - `createView` with `orReplace` replaces an existing view of the same name in the same
 *   transaction and answers the record it replaced. `keepId` (COPY GRANTS) gives the new view
 *   the replaced one's id, so the grants kept by id stay on it; otherwise the new view gets a
 *   new id. Without `orReplace` an existing name is OBJECT_EXISTS.
 * - `columns` are the view's columns as its query produced them when it was created (names
 *   after the column list, types); binding checks the query still produces as many.
 * - Views have no versions and no time travel: DROP deletes the row (Snowflake has no UNDROP
 *   VIEW either).
 */
import type { DataType } from '../../storage/types/data-type.js';

export type ViewColumn = { name: string; type: DataType };

export type ViewRecord = {
  id: number;
  schemaId: number;
  name: string;
  /** The whole CREATE statement as written. */
  text: string;
  /** The query after AS, as written: what binding parses. */
  query: string;
  columns: ViewColumn[];
  /** The column list of CREATE VIEW v (a, b), or null (the query's own names). */
  columnNames: string[] | null;
  secure: boolean;
  comment: string | null;
  /** The role that created it (its owner now is the grant store's: GRANT OWNERSHIP moves it). */
  owner: string;
  createdAt: Date;
};

export type NewView = Omit<ViewRecord, 'id' | 'createdAt'>;

export interface ViewStore {
  createView(view: NewView, opts: { orReplace: boolean; keepId: boolean }): { created: ViewRecord; replaced: ViewRecord | null };
  getView(schemaId: number, name: string): ViewRecord | null;
  getViewById(id: number): ViewRecord | null;
  listViews(schemaId: number): ViewRecord[];
  dropView(schemaId: number, name: string): ViewRecord | null;
}
