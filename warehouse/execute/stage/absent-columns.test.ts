import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import { absentColumns } from './absent-columns.js';

describe('absentColumns', () => {
  it("turns the plan's JSON defaults into Scalars of each column's type, keeping columns that must be present as null", () => {
    const columns = [
      { name: 'ID', type: Types.number(38, 0), nullable: true },
      { name: 'QTY', type: Types.number(10, 2), nullable: true },
      { name: 'AT', type: Types.timestampNtz, nullable: true },
      { name: 'NOTE#4', type: Types.varchar, nullable: true },
      { name: 'DAY', type: Types.date, nullable: true },
    ];
    expect(absentColumns([null, { value: '150' }, { value: '1000000000' }, { value: null }, { value: 19000 }], columns)).toEqual([
      null,
      { value: 150n },
      { value: 1_000_000_000n },
      { value: null },
      { value: 19000 },
    ]);
  });
});
