import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../catalog/catalog.js';
import { physicalColumns } from './physical-columns.js';

const num = { kind: 'NUMBER', precision: 38, scale: 0 } as const;
const col = (id: number, name: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  id,
  name,
  physicalName: name,
  type: num,
  nullable: true,
  default: null,
  ...extra,
});

describe('physicalColumns', () => {
  it('leaves a table never altered as it is: no physical names, nothing absent', () => {
    expect(physicalColumns([col(1, 'A'), col(2, 'B', { nullable: false })])).toEqual({
      columns: [
        { name: 'A', type: num, nullable: true },
        { name: 'B', type: num, nullable: false },
      ],
      physicalNames: null,
      absent: null,
    });
  });

  it('names renamed and re-added columns by their physical names and lets added columns be absent with their defaults', () => {
    const columns = [
      col(1, 'ID'),
      col(2, 'LABEL', { physicalName: 'NAME' }),
      col(4, 'QTY', { default: '7', addedByAlter: true }),
      col(5, 'NOTE', { physicalName: 'NOTE#5', addedByAlter: true }),
    ];
    expect(physicalColumns(columns)).toEqual({
      columns: [
        { name: 'ID', type: num, nullable: true },
        { name: 'NAME', type: num, nullable: true },
        { name: 'QTY', type: num, nullable: true },
        { name: 'NOTE#5', type: num, nullable: true },
      ],
      physicalNames: ['ID', 'NAME', 'QTY', 'NOTE#5'],
      absent: [null, null, { value: '7' }, { value: null }],
    });
  });
});
