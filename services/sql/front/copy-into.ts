/**
 * COPY INTO <table> FROM '<url>' with FILE_FORMAT = (...), ON_ERROR and FORCE, over
 * Snowflake's CSV defaults. Snowflake's other copy and file-format options are recognised and
 * refused by name (NotSupportedError), so a load never runs with an option silently ignored.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { CopyFileFormat, Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

const COPY_OPTIONS = new Set([
  'PATTERN', 'FILES', 'PURGE', 'FORCE', 'MATCH_BY_COLUMN_NAME', 'SIZE_LIMIT', 'RETURN_FAILED_ONLY',
  'ENFORCE_LENGTH', 'TRUNCATECOLUMNS', 'LOAD_UNCERTAIN_FILES', 'VALIDATION_MODE', 'CREDENTIALS', 'ENCRYPTION',
  'STORAGE_INTEGRATION', 'INCLUDE_METADATA', 'LOAD_MODE', 'FILE_PROCESSOR',
]);

const FILE_FORMAT_OPTIONS = new Set([
  'COMPRESSION', 'RECORD_DELIMITER', 'PARSE_HEADER', 'SKIP_BLANK_LINES', 'DATE_FORMAT', 'TIME_FORMAT',
  'TIMESTAMP_FORMAT', 'BINARY_FORMAT', 'ESCAPE', 'ESCAPE_UNENCLOSED_FIELD', 'TRIM_SPACE', 'ERROR_ON_COLUMN_COUNT_MISMATCH',
  'REPLACE_INVALID_CHARACTERS', 'SKIP_BYTE_ORDER_MARK', 'ENCODING', 'FILE_EXTENSION', 'MULTI_LINE',
  'BINARY_AS_TEXT', 'USE_LOGICAL_TYPE', 'USE_VECTORIZED_SCANNER', 'STRIP_OUTER_ARRAY', 'STRIP_NULL_VALUES',
  'ALLOW_DUPLICATE', 'ENABLE_OCTAL', 'IGNORE_UTF8_ERRORS', 'PRESERVE_SPACE', 'STRIP_OUTER_ELEMENT',
  'DISABLE_AUTO_CONVERT', 'DISABLE_SNOWFLAKE_DATA',
]);

const OTHER_FILE_TYPES = new Set(['JSON', 'AVRO', 'ORC', 'XML']);

export function parseCopyInto(c: TokenCursor): Statement {
  c.expectWord('COPY');
  c.expectWord('INTO');
  if (c.isOp('@') || c.tok().kind === TokenKind.STRING) throw new NotSupportedError('COPY INTO <location> (unloading)');
  const table = c.objectName();
  if (c.isOp('(')) throw new NotSupportedError('COPY INTO with a column list');
  c.expectWord('FROM');
  const src = c.tok();
  if (c.isOp('@')) throw new NotSupportedError('Stages in COPY INTO');
  if (c.isOp('(')) throw new NotSupportedError('COPY transformations (FROM (SELECT ...))');
  if (c.atEnd() || src.kind !== TokenKind.STRING) throw c.fail();
  c.pos++;
  let fileFormat = fileFormatOptions(c, c.pos, c.pos);
  let onError: 'ABORT_STATEMENT' | 'CONTINUE' = 'ABORT_STATEMENT';
  let force = false;
  while (!c.atEnd()) {
    if (c.acceptOp(',')) continue;
    const opt = c.word();
    if (opt === 'FILE_FORMAT') {
      c.pos++;
      c.expectOp('=');
      if (!c.isOp('(')) throw c.fail();
      const close = c.ctx.match[c.pos];
      fileFormat = fileFormatOptions(c, c.pos + 1, close);
      c.pos = close + 1;
    } else if (opt === 'ON_ERROR') {
      c.pos++;
      c.expectOp('=');
      const v = c.optionValue();
      if (v === 'ABORT_STATEMENT' || v === 'CONTINUE') onError = v;
      else if (v.startsWith('SKIP_FILE')) throw new NotSupportedError(`ON_ERROR = ${v}`);
      else throw c.fail(-1);
    } else if (opt === 'FORCE') {
      c.pos++;
      c.expectOp('=');
      const v = c.optionValue();
      if (v !== 'TRUE' && v !== 'FALSE') throw c.fail(-1);
      force = v === 'TRUE';
    } else if (opt !== null && COPY_OPTIONS.has(opt)) {
      throw new NotSupportedError(`COPY option ${opt}`);
    } else {
      throw c.fail();
    }
  }
  return { kind: 'copy_into', table, source: src.value, fileFormat, onError, force };
}

/** FILE_FORMAT = ( ... ) options in [s, e), over Snowflake's CSV defaults. */
function fileFormatOptions(c: TokenCursor, s: number, e: number): CopyFileFormat {
  const f: CopyFileFormat = {
    type: 'CSV',
    skipHeader: 0,
    fieldDelimiter: ',',
    fieldOptionallyEnclosedBy: null,
    nullIf: ['\\N'],
    emptyFieldAsNull: true,
  };
  const p = c.child(s, e);
  while (!p.atEnd()) {
    if (p.acceptOp(',')) continue;
    const opt = p.word();
    if (opt === null) throw p.fail();
    p.pos++;
    if (!p.isOp('=')) {
      if (FILE_FORMAT_OPTIONS.has(opt) || opt === 'FORMAT_NAME') throw p.fail();
      throw p.fail(-1);
    }
    p.pos++;
    switch (opt) {
      case 'TYPE': {
        const v = p.optionValue();
        if (v === 'CSV' || v === 'PARQUET') f.type = v;
        else if (OTHER_FILE_TYPES.has(v)) throw new NotSupportedError(`FILE_FORMAT TYPE = ${v}`);
        else throw p.fail(-1);
        break;
      }
      case 'SKIP_HEADER': {
        const v = p.optionValue();
        if (!/^\d+$/.test(v)) throw p.fail(-1);
        f.skipHeader = Number(v);
        break;
      }
      case 'FIELD_DELIMITER': {
        const t = p.tok();
        if (!p.atEnd() && t.kind === TokenKind.WORD && t.text.toUpperCase() === 'NONE') throw new NotSupportedError('FIELD_DELIMITER = NONE');
        if (p.atEnd() || t.kind !== TokenKind.STRING || t.value.length === 0) throw p.fail();
        f.fieldDelimiter = t.value;
        p.pos++;
        break;
      }
      case 'FIELD_OPTIONALLY_ENCLOSED_BY': {
        const t = p.tok();
        if (p.atEnd() || (t.kind !== TokenKind.STRING && !(t.kind === TokenKind.WORD && t.text.toUpperCase() === 'NONE'))) throw p.fail();
        f.fieldOptionallyEnclosedBy = t.kind === TokenKind.STRING && t.value !== '' && t.value.toUpperCase() !== 'NONE' ? t.value : null;
        p.pos++;
        break;
      }
      case 'NULL_IF': {
        p.expectOp('(');
        const list: string[] = [];
        while (!p.isOp(')')) {
          const t = p.tok();
          if (p.atEnd() || t.kind !== TokenKind.STRING) throw p.fail();
          list.push(t.value);
          p.pos++;
          if (!p.acceptOp(',')) break;
        }
        p.expectOp(')');
        f.nullIf = list;
        break;
      }
      case 'EMPTY_FIELD_AS_NULL': {
        const v = p.optionValue();
        if (v !== 'TRUE' && v !== 'FALSE') throw p.fail(-1);
        f.emptyFieldAsNull = v === 'TRUE';
        break;
      }
      case 'FORMAT_NAME':
        throw new NotSupportedError('Named file formats (FORMAT_NAME)');
      default:
        if (FILE_FORMAT_OPTIONS.has(opt)) throw new NotSupportedError(`FILE_FORMAT option ${opt}`);
        throw p.fail(-2);
    }
  }
  return f;
}
