import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';
import type { ResultColumn } from './result-columns.js';

describe('toCsv', () => {
  it('writes a header, rows in the given order, quotes what needs it and NULL as empty', () => {
    const columns: ResultColumn[] = [
      { name: 'ID', typeLabel: 'NUMBER(10,2)', kind: 'decimal', values: [150n, -5n, null], scale: 2, unitsPerSecond: 1 },
      { name: 'NOTE, "Q"', typeLabel: 'VARCHAR', kind: 'text', values: ['a,b', 'say "hi"', 'line\nbreak'], scale: 0, unitsPerSecond: 1 },
    ];
    expect(toCsv(columns, [2, 0, 1])).toBe('ID,"NOTE, ""Q"""\n,"line\nbreak"\n1.50,"a,b"\n-0.05,"say ""hi"""\n');
  });
});
