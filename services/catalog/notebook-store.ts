/**
 * The catalog's notebooks (catalog migration 11): the notebook page's saved work, per user.
 * Apart from catalog.ts so the shared interface grows by one member (`catalog.notebooks`);
 * the SQLite implementation is sqlite-notebook-store.ts, the HTTP routes
 * services/server/notebook-routes.ts.
 *
 * Contract:
 * - A notebook belongs to one user (`owner`, a resolved user name) and only its owner reads,
 *   lists, changes or deletes it: another user's notebook answers exactly as a missing one.
 * - Names are unique per owner (OBJECT_EXISTS, 002002, when taken); ids are assigned by the
 *   store and never reused.
 * - A notebook is its ordered cells: `kind` 'sql' or 'markdown', a `name` (how a later cell
 *   refers to its result: `{{name}}`), the `text`. The store keeps them as given (the routes
 *   validate); `update` replaces name and cells at once and stamps `updatedAt`.
 * - Missing ids are OBJECT_NOT_FOUND (002003). Times are epoch ms.
 */

export const NotebookCellKind = { SQL: 'sql', MARKDOWN: 'markdown' } as const;
export type NotebookCellKind = (typeof NotebookCellKind)[keyof typeof NotebookCellKind];

export type NotebookCell = { kind: NotebookCellKind; name: string; text: string };

export type NotebookSummary = { id: number; name: string; createdAt: number; updatedAt: number };

export type Notebook = NotebookSummary & { owner: string; cells: NotebookCell[] };

export interface NotebookStore {
  /** The owner's notebooks, most recently changed first. */
  list(owner: string): NotebookSummary[];
  get(owner: string, id: number): Notebook;
  create(owner: string, name: string, cells: NotebookCell[]): Notebook;
  update(owner: string, id: number, name: string, cells: NotebookCell[]): Notebook;
  delete(owner: string, id: number): void;
}
