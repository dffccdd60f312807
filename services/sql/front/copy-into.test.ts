import { describe, expect, it } from 'vitest';
import { SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import type { CopyFileFormat } from '../ast.js';
import { one } from './front-test-kit.js';

const CSV_DEFAULTS: CopyFileFormat = {
  type: 'CSV',
  skipHeader: 0,
  fieldDelimiter: ',',
  fieldOptionallyEnclosedBy: null,
  nullIf: ['\\N'],
  emptyFieldAsNull: true,
};

describe('COPY INTO', () => {
  it('uses Snowflake CSV defaults', () => {
    expect(one("COPY INTO t FROM 'file:///data/x.csv'")).toEqual({
      kind: 'copy_into',
      table: { parts: ['T'] },
      source: 'file:///data/x.csv',
      fileFormat: CSV_DEFAULTS,
      onError: 'ABORT_STATEMENT',
      force: false,
    });
  });

  it('reads every file format option, in any order, quoted or not, any case', () => {
    const st = one(`copy into d.s.t from 's3://bucket/prefix/'
      file_format = (skip_header = 1 null_if = ('', 'NULL') TYPE = 'csv', field_delimiter = '\\t'
                     FIELD_OPTIONALLY_ENCLOSED_BY = '"' empty_field_as_null = FALSE)
      ON_ERROR = 'continue'`);
    expect(st).toEqual({
      kind: 'copy_into',
      table: { parts: ['D', 'S', 'T'] },
      source: 's3://bucket/prefix/',
      fileFormat: { type: 'CSV', skipHeader: 1, fieldDelimiter: '\t', fieldOptionallyEnclosedBy: '"', nullIf: ['', 'NULL'], emptyFieldAsNull: false },
      onError: 'CONTINUE',
      force: false,
    });
  });

  it('reads FORCE = TRUE | FALSE among the other options', () => {
    expect(one("COPY INTO t FROM 'x.csv' FORCE = TRUE ON_ERROR = CONTINUE")).toMatchObject({ force: true, onError: 'CONTINUE' });
    expect(one("COPY INTO t FROM 'x.csv' FILE_FORMAT = (TYPE = CSV), force = 'true'")).toMatchObject({ force: true });
    expect(one("COPY INTO t FROM 'x.csv' FORCE = FALSE")).toMatchObject({ force: false });
    expect(() => one("COPY INTO t FROM 'x.csv' FORCE = maybe")).toThrow(SqlSyntaxError);
    expect(() => one("COPY INTO t FROM 'x.csv' FORCE TRUE")).toThrow(SqlSyntaxError);
  });

  it.each<[string, Partial<CopyFileFormat>, 'ABORT_STATEMENT' | 'CONTINUE']>([
    ['FILE_FORMAT = (TYPE = PARQUET)', { type: 'PARQUET' }, 'ABORT_STATEMENT'],
    ["ON_ERROR = ABORT_STATEMENT FILE_FORMAT = (TYPE = CSV FIELD_DELIMITER = '|' FIELD_OPTIONALLY_ENCLOSED_BY = NONE)", { fieldDelimiter: '|' }, 'ABORT_STATEMENT'],
    ["FILE_FORMAT = (FIELD_OPTIONALLY_ENCLOSED_BY = '\\'' SKIP_HEADER = '2' NULL_IF = ())", { fieldOptionallyEnclosedBy: "'", skipHeader: 2, nullIf: [] }, 'ABORT_STATEMENT'],
    ["FILE_FORMAT = (EMPTY_FIELD_AS_NULL = 'true' NULL_IF = ('\\\\N', 'n/a')) ON_ERROR = CONTINUE", { emptyFieldAsNull: true, nullIf: ['\\N', 'n/a'] }, 'CONTINUE'],
  ])('%s', (options, format, onError) => {
    expect(one(`COPY INTO t FROM 'x.csv' ${options}`)).toMatchObject({ fileFormat: { ...CSV_DEFAULTS, ...format }, onError });
  });
});
