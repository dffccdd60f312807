import { describe, expect, it } from 'vitest';
import { CellReferenceError, expandReferences, referencedNames, type ReferencedCell } from './cell-references.js';

const sql = (name: string, text: string): ReferencedCell => ({ kind: 'sql', name, text });

describe('expandReferences', () => {
  it('replaces {{name}} with the earlier cell\'s query as a derived table, transitively', () => {
    const cells = [sql('trips', 'SELECT * FROM trips;'), { kind: 'markdown', name: 'notes', text: 'x' } as ReferencedCell, sql('big', 'SELECT city FROM {{ trips }} WHERE fare > 10'), sql('out', 'SELECT COUNT(*) FROM {{big}} b')];
    expect(expandReferences(cells, 2)).toBe('SELECT city FROM (SELECT * FROM trips) AS trips WHERE fare > 10');
    expect(expandReferences(cells, 3)).toBe('SELECT COUNT(*) FROM (SELECT city FROM (SELECT * FROM trips) AS trips WHERE fare > 10) AS big b');
  });

  it("reads a cell that ran with its current text by its run's query id (RESULT_SCAN), others as derived tables", () => {
    const ran = { ...sql('trips', 'SELECT * FROM trips'), resultQueryId: '01b2c3d4-0000-4000-8000-000000000001' };
    const cells = [ran, sql('big', 'SELECT city FROM {{trips}}'), sql('out', 'SELECT COUNT(*) FROM {{big}}')];
    expect(expandReferences(cells, 1)).toBe("SELECT city FROM TABLE(RESULT_SCAN('01b2c3d4-0000-4000-8000-000000000001')) AS trips");
    expect(expandReferences(cells, 2)).toBe("SELECT COUNT(*) FROM (SELECT city FROM TABLE(RESULT_SCAN('01b2c3d4-0000-4000-8000-000000000001')) AS trips) AS big");
  });

  it('leaves a cell without references as it is', () => {
    expect(expandReferences([sql('a', 'SELECT 1')], 0)).toBe('SELECT 1');
  });

  it('refuses unknown, later, markdown, self and empty references with the name', () => {
    const cells = [sql('a', ''), { kind: 'markdown', name: 'm', text: '# t' } as ReferencedCell, sql('b', 'SELECT * FROM {{c}}'), sql('c', 'SELECT 1')];
    const fail = (i: number, text: string) => {
      const all = cells.map((c, k) => (k === i ? { ...c, text } : c));
      try {
        expandReferences(all, i);
      } catch (err) {
        expect(err).toBeInstanceOf(CellReferenceError);
        return (err as Error).message;
      }
      return 'no error';
    };
    expect(fail(2, 'SELECT * FROM {{nope}}')).toBe('{{nope}}: no earlier SQL cell is named nope');
    expect(fail(2, 'SELECT * FROM {{c}}')).toBe('{{c}} refers to a cell below this one: only earlier cells can be referenced');
    expect(fail(2, 'SELECT * FROM {{m}}')).toBe('{{m}}: no earlier SQL cell is named m');
    expect(fail(2, 'SELECT * FROM {{b}}')).toBe('{{b}} refers to a cell below this one: only earlier cells can be referenced');
    expect(fail(2, 'SELECT * FROM {{a}}')).toBe('{{a}}: cell a is empty');
  });

  it('lists the names a text refers to', () => {
    expect(referencedNames('SELECT * FROM {{a}} JOIN {{ b }} USING (id)')).toEqual(['a', 'b']);
  });
});
