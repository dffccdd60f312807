/**
 * `{{cell_name}}` references between notebook cells, as Snowflake notebooks have them: a SQL
 * cell may read an earlier SQL cell's result by its name.
 *
 * Contract: `expandReferences(cells, index)` answers cell `index`'s SQL with each
 * `{{name}}` replaced by the named earlier cell's result: `TABLE(RESULT_SCAN('<query id>')) AS
 * name` when that cell ran in this page with its current text (`resultQueryId`), so the
 * reference reads exactly the rows shown above it, as in Snowflake notebooks; otherwise (never
 * run, edited since, or a notebook just reopened) its query as a derived table,
 * `(<its SQL, its own references expanded>) AS name`, which runs over current data.
 * A name that is not an earlier SQL cell's (so there are no cycles), or an earlier cell that is
 * empty, is a CellReferenceError naming it. Trailing semicolons of the referenced SQL are dropped.
 */
export type ReferencedCell = { kind: 'sql' | 'markdown'; name: string; text: string; resultQueryId?: string | null };

export class CellReferenceError extends Error {}

const REFERENCE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function expandReferences(cells: readonly ReferencedCell[], index: number): string {
  return cells[index]!.text.replace(REFERENCE, (_all, name: string) => {
    const target = cells.findIndex((c, i) => i < index && c.kind === 'sql' && c.name === name);
    if (target < 0) {
      const later = cells.some((c, i) => i >= index && c.name === name);
      throw new CellReferenceError(later ? `{{${name}}} refers to a cell below this one: only earlier cells can be referenced` : `{{${name}}}: no earlier SQL cell is named ${name}`);
    }
    const queryId = cells[target]!.resultQueryId;
    if (queryId) return `TABLE(RESULT_SCAN('${queryId.replace(/'/g, "''")}')) AS ${name}`;
    const sql = expandReferences(cells, target).trim().replace(/;+\s*$/, '').trim();
    if (sql === '') throw new CellReferenceError(`{{${name}}}: cell ${name} is empty`);
    return `(${sql}) AS ${name}`;
  });
}

/** The names a cell's text refers to, in order of appearance (for display). */
export function referencedNames(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1]!);
}
