import { describe, expect, it } from 'vitest';
import { DataError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { CsvEncoder } from './csv-encoder.js';

const COLUMNS: Column[] = [
  { name: 'ID', type: Types.number(38, 0), nullable: true },
  { name: 'PRICE', type: Types.number(10, 2), nullable: true },
  { name: 'NAME', type: Types.varchar, nullable: true },
  { name: 'DAY', type: Types.date, nullable: true },
  { name: 'OK', type: Types.boolean, nullable: true },
];

function batch(name: string[], nameNulls: number[] | null = null): Batch {
  return {
    length: 2,
    columns: [
      { kind: 'f64', length: 2, values: Float64Array.from([1, 2]), nulls: null },
      { kind: 'f64', length: 2, values: Float64Array.from([1999, -5]), nulls: Uint8Array.from([0, 1]) },
      { kind: 'str', length: 2, codes: Int32Array.from([0, 1]), dict: name, nulls: nameNulls ? Uint8Array.from(nameNulls) : null },
      { kind: 'i32', length: 2, values: Int32Array.from([19876, 0]), nulls: null },
      { kind: 'bool', length: 2, values: Uint8Array.from([1, 0]), nulls: null },
    ],
  };
}

const csv = { type: 'CSV' as const, fieldDelimiter: ',', fieldOptionallyEnclosedBy: null, nullText: '\\N', emptyFieldAsNull: true, header: true, gzip: false };

describe('CsvEncoder', () => {
  it('writes values as Snowflake prints them, NULL as the first NULL_IF text', () => {
    const e = new CsvEncoder(COLUMNS, csv);
    expect(e.headerLine()).toBe('ID,PRICE,NAME,DAY,OK\n');
    expect(e.encode(batch(['plain', '']))).toBe('1,19.99,plain,2024-06-02,true\n2,\\N,,1970-01-01,false\n');
  });

  it('encloses every string with FIELD_OPTIONALLY_ENCLOSED_BY, doubling the quote', () => {
    const e = new CsvEncoder(COLUMNS, { ...csv, fieldOptionallyEnclosedBy: '"' });
    expect(e.encode(batch(['has, "quotes"', '']))).toBe('1,19.99,"has, ""quotes""",2024-06-02,true\n2,\\N,"",1970-01-01,false\n');
  });

  it('refuses a value that would not read back without an enclosure, quoting at most 100 characters of it', () => {
    const e = new CsvEncoder(COLUMNS, csv);
    expect(() => e.encode(batch(['a,b', 'x']))).toThrow(DataError);
    expect(() => e.encode(batch([`${'y'.repeat(500)}\nz`, 'x']))).toThrow(new RegExp(`'${'y'.repeat(100)}…' of column NAME .*FIELD_OPTIONALLY_ENCLOSED_BY`));
  });
});
