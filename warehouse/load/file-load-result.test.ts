import { describe, expect, test } from 'vitest';
import { COPY_RESULT_COLUMNS, copyResultBatch, fileLoadResult } from './file-load-result.js';
import { scalarAt } from '../../storage/types/scalar-at.js';

describe('fileLoadResult', () => {
  test('status follows the counts', () => {
    expect(fileLoadResult('a.csv', 'CONTINUE', 3, 3, 0, null).status).toBe('LOADED');
    expect(fileLoadResult('a.csv', 'CONTINUE', 3, 2, 1, { message: 'm', line: 2, character: 1, columnName: '"T"["A":1]' }).status).toBe('PARTIALLY_LOADED');
    expect(fileLoadResult('a.csv', 'CONTINUE', 3, 0, 3, { message: 'm', line: 1, character: 1, columnName: null }).status).toBe('LOAD_FAILED');
    expect(fileLoadResult('a.csv', 'CONTINUE', 0, 0, 0, null).status).toBe('LOADED');
  });

  test('error_limit is 1 for ABORT_STATEMENT and rows_parsed for CONTINUE', () => {
    expect(fileLoadResult('a.csv', 'ABORT_STATEMENT', 7, 7, 0, null).errorLimit).toBe(1);
    expect(fileLoadResult('a.csv', 'CONTINUE', 7, 6, 1, null).errorLimit).toBe(7);
  });
});

describe('copyResultBatch', () => {
  test("one row per file with Snowflake's columns; first_* NULL without errors", () => {
    expect(COPY_RESULT_COLUMNS.map((c) => c.name)).toEqual([
      'file',
      'status',
      'rows_parsed',
      'rows_loaded',
      'error_limit',
      'errors_seen',
      'first_error',
      'first_error_line',
      'first_error_character',
      'first_error_column_name',
    ]);
    const batch = copyResultBatch([
      fileLoadResult('s3://b/a.csv', 'CONTINUE', 10, 8, 2, { message: "Numeric value 'x' is not recognized", line: 4, character: 7, columnName: '"T"["N":2]' }),
      fileLoadResult('s3://b/b.csv', 'CONTINUE', 5, 5, 0, null),
    ]);
    expect(batch.length).toBe(2);
    expect(batch.columns).toHaveLength(COPY_RESULT_COLUMNS.length);
    const row = (i: number) => COPY_RESULT_COLUMNS.map((c, k) => scalarAt(batch.columns[k], i, c.type));
    expect(row(0)).toEqual(['s3://b/a.csv', 'PARTIALLY_LOADED', 10n, 8n, 10n, 2n, "Numeric value 'x' is not recognized", 4n, 7n, '"T"["N":2]']);
    expect(row(1)).toEqual(['s3://b/b.csv', 'LOADED', 5n, 5n, 5n, 0n, null, null, null, null]);
  });

  test('no files, no rows', () => {
    const batch = copyResultBatch([]);
    expect(batch.length).toBe(0);
    expect(batch.columns.every((c) => c.length === 0)).toBe(true);
  });
});
