import { describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError, SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import type { CopyFileFormat } from '../ast.js';
import { one } from './front-test-kit.js';

const CSV_DEFAULTS: CopyFileFormat = {
  type: 'CSV',
  skipHeader: 0,
  fieldDelimiter: ',',
  fieldOptionallyEnclosedBy: null,
  nullIf: ['\\N'],
  emptyFieldAsNull: true,
  compression: 'AUTO',
};

const inline = (format: Partial<CopyFileFormat>) => ({ kind: 'inline', format: { ...CSV_DEFAULTS, ...format } });

describe('COPY INTO', () => {
  it('reads a URL source without options: no file format of its own, no FILES or PATTERN', () => {
    expect(one("COPY INTO t FROM 'file:///data/x.csv'")).toEqual({
      kind: 'copy_into',
      table: { parts: ['T'] },
      source: { kind: 'url', url: 'file:///data/x.csv' },
      fileFormat: null,
      onError: 'ABORT_STATEMENT',
      force: false,
      files: null,
      pattern: null,
      matchByColumnName: 'NONE',
    });
  });

  it('reads every file format option, in any order, quoted or not, any case', () => {
    const st = one(`copy into d.s.t from 's3://bucket/prefix/'
      file_format = (skip_header = 1 null_if = ('', 'NULL') TYPE = 'csv', field_delimiter = '\\t'
                     FIELD_OPTIONALLY_ENCLOSED_BY = '"' empty_field_as_null = FALSE compression = gzip)
      ON_ERROR = 'continue'`);
    expect(st).toEqual({
      kind: 'copy_into',
      table: { parts: ['D', 'S', 'T'] },
      source: { kind: 'url', url: 's3://bucket/prefix/' },
      fileFormat: inline({ skipHeader: 1, fieldDelimiter: '\t', fieldOptionallyEnclosedBy: '"', nullIf: ['', 'NULL'], emptyFieldAsNull: false, compression: 'GZIP' }),
      onError: 'CONTINUE',
      force: false,
      files: null,
      pattern: null,
      matchByColumnName: 'NONE',
    });
  });

  it('reads a stage source with its path, FILES and PATTERN', () => {
    expect(one("COPY INTO t FROM @db.sch.\"My Stage\"/2024/jan/ FILES = ('a.csv.gz', 'b.csv') PATTERN = '.*[.]csv'")).toMatchObject({
      source: { kind: 'stage', location: { kind: 'named', name: { parts: ['DB', 'SCH', 'My Stage'] }, path: '2024/jan/' } },
      files: ['a.csv.gz', 'b.csv'],
      pattern: '.*[.]csv',
    });
    expect(one("COPY INTO t FROM '@s/dir with space/'")).toMatchObject({ source: { kind: 'stage', location: { kind: 'named', name: { parts: ['S'] }, path: 'dir with space/' } } });
    expect(one('COPY INTO t FROM @~/x.csv')).toMatchObject({ source: { kind: 'stage', location: { kind: 'user', path: 'x.csv' } } });
    expect(one('COPY INTO t FROM @%t')).toMatchObject({ source: { kind: 'stage', location: { kind: 'table', table: { parts: ['T'] }, path: '' } } });
  });

  it('reads FILE_FORMAT = (FORMAT_NAME = ...) as a named file format', () => {
    expect(one("COPY INTO t FROM @s FILE_FORMAT = (FORMAT_NAME = 'sch.f')")).toMatchObject({ fileFormat: { kind: 'named', name: { parts: ['SCH', 'F'] } } });
    expect(one('COPY INTO t FROM @s FILE_FORMAT = (FORMAT_NAME = f)')).toMatchObject({ fileFormat: { kind: 'named', name: { parts: ['F'] } } });
  });

  it('refuses a stage path that leaves the stage', () => {
    for (const sql of ['COPY INTO t FROM @s/../../etc/', 'COPY INTO t FROM @s/a/%2e%2e/b', 'COPY INTO t FROM @s//etc/passwd', "COPY INTO t FROM '@s/a\\\\b'"]) {
      expect(() => one(sql), sql).toThrow(CompilationError);
      expect(() => one(sql), sql).toThrow(/Invalid stage path/);
    }
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
    ['FILE_FORMAT = (TYPE = PARQUET COMPRESSION = SNAPPY)', { type: 'PARQUET', compression: 'SNAPPY' }, 'ABORT_STATEMENT'],
  ])('%s', (options, format, onError) => {
    expect(one(`COPY INTO t FROM 'x.csv' ${options}`)).toMatchObject({ fileFormat: inline(format), onError });
  });

  it('reads TYPE = JSON with its options, defaults FALSE, in any order', () => {
    expect(one("COPY INTO t FROM @s FILE_FORMAT = (TYPE = JSON)")).toMatchObject({ fileFormat: { kind: 'inline', format: { type: 'JSON', stripOuterArray: false, allowDuplicate: false, compression: 'AUTO' } } });
    expect(one("COPY INTO t FROM @s FILE_FORMAT = (strip_outer_array = true, TYPE = 'json' COMPRESSION = GZIP ALLOW_DUPLICATE = TRUE)")).toMatchObject({
      fileFormat: { kind: 'inline', format: { type: 'JSON', stripOuterArray: true, allowDuplicate: true, compression: 'GZIP' } },
    });
  });

  it('refuses an option of another file type: JSON options with CSV, CSV options with JSON', () => {
    expect(() => one("COPY INTO t FROM @s FILE_FORMAT = (STRIP_OUTER_ARRAY = TRUE)")).toThrow(/invalid file format option STRIP_OUTER_ARRAY for TYPE = CSV/);
    expect(() => one("COPY INTO t FROM @s FILE_FORMAT = (TYPE = JSON SKIP_HEADER = 1)")).toThrow(/invalid file format option SKIP_HEADER for TYPE = JSON/);
    expect(() => one("COPY INTO t FROM @s FILE_FORMAT = (TYPE = JSON STRIP_OUTER_ARRAY = maybe)")).toThrow(SqlSyntaxError);
  });

  it('reads MATCH_BY_COLUMN_NAME; refuses it when unloading', () => {
    expect(one('COPY INTO t FROM @s MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE')).toMatchObject({ matchByColumnName: 'CASE_INSENSITIVE' });
    expect(one("COPY INTO t FROM @s match_by_column_name = 'case_sensitive' ON_ERROR = CONTINUE")).toMatchObject({ matchByColumnName: 'CASE_SENSITIVE', onError: 'CONTINUE' });
    expect(one('COPY INTO t FROM @s MATCH_BY_COLUMN_NAME = NONE')).toMatchObject({ matchByColumnName: 'NONE' });
    expect(() => one('COPY INTO t FROM @s MATCH_BY_COLUMN_NAME = SOMETIMES')).toThrow(SqlSyntaxError);
    expect(() => one('COPY INTO @s FROM t MATCH_BY_COLUMN_NAME = CASE_SENSITIVE')).toThrow(NotSupportedError);
  });

  it('refuses a compression the file type does not have', () => {
    expect(() => one("COPY INTO t FROM 'x' FILE_FORMAT = (TYPE = PARQUET COMPRESSION = GZIP)")).toThrow(NotSupportedError);
  });
});

describe('COPY INTO @stage (unloading)', () => {
  it('reads a query source and the unload options', () => {
    expect(one("COPY INTO @s/out/ FROM (SELECT a FROM t) FILE_FORMAT = (TYPE = PARQUET) HEADER = TRUE OVERWRITE = TRUE SINGLE = TRUE MAX_FILE_SIZE = 1000")).toMatchObject({
      kind: 'unload',
      location: { kind: 'named', name: { parts: ['S'] }, path: 'out/' },
      source: { body: { kind: 'select', from: { kind: 'table', name: { parts: ['T'] } } } },
      fileFormat: inline({ type: 'PARQUET' }),
      header: true,
      overwrite: true,
      single: true,
      maxFileSize: 1000,
    });
  });

  it('reads FROM table as SELECT * FROM table, with defaults', () => {
    expect(one('COPY INTO @s FROM d.s.t')).toEqual({
      kind: 'unload',
      location: { kind: 'named', name: { parts: ['S'] }, path: '' },
      source: {
        with: [],
        body: { kind: 'select', distinct: false, items: [{ kind: 'star', table: null, exclude: [], rename: [] }], from: { kind: 'table', name: { parts: ['D', 'S', 'T'] }, alias: null }, where: null, groupBy: [], groupingSets: null, having: null, qualify: null },
        orderBy: [],
        limit: null,
        offset: null,
      },
      fileFormat: null,
      header: false,
      overwrite: false,
      single: false,
      maxFileSize: null,
    });
  });
});
