/**
 * File format options, shared by COPY INTO (FILE_FORMAT = (...)), CREATE STAGE
 * (FILE_FORMAT = (...)) and CREATE FILE FORMAT (options written bare after the name).
 *
 * Contract: fileFormatOptions reads `OPTION = value` pairs (commas optional) over Snowflake's
 * CSV defaults: TYPE (CSV | PARQUET | JSON), SKIP_HEADER, FIELD_DELIMITER, FIELD_OPTIONALLY_ENCLOSED_BY,
 * NULL_IF, EMPTY_FIELD_AS_NULL, COMPRESSION (AUTO | GZIP | NONE for CSV and JSON, AUTO | SNAPPY |
 * NONE for Parquet), BINARY_FORMAT (HEX | BASE64 | UTF8 | UTF-8: how CSV fields of BINARY columns
 * are written; absent, the session's BINARY_INPUT_FORMAT applies), and for JSON STRIP_OUTER_ARRAY and ALLOW_DUPLICATE (both FALSE by default;
 * set only on a JSON format, so a JSON-only option with another TYPE is refused, as is a CSV-only
 * option written with TYPE = JSON: INVALID_PROPERTY). Snowflake's other options are refused by
 * name (NotSupportedError), so a load never runs with an option silently ignored; AVRO, ORC and
 * XML likewise.
 * fileFormatClause reads `= ( ... )` after FILE_FORMAT: inline options, or FORMAT_NAME = 'f'
 * (a named file format, resolved when the statement runs).
 */
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { CopyFileFormat, FileFormatSpec, ObjectName } from '../ast.js';
import { parseStageLocation } from '../../stage/parse-stage-location.js';
import { TokenKind } from '../tokenizer.js';
import { binaryFormatOf } from '../../../storage/types/binary-text.js';
import type { TokenCursor } from './token-cursor.js';

export const FILE_FORMAT_OPTIONS = new Set([
  'RECORD_DELIMITER', 'PARSE_HEADER', 'SKIP_BLANK_LINES', 'DATE_FORMAT', 'TIME_FORMAT',
  'TIMESTAMP_FORMAT', 'ESCAPE', 'ESCAPE_UNENCLOSED_FIELD', 'TRIM_SPACE', 'ERROR_ON_COLUMN_COUNT_MISMATCH',
  'REPLACE_INVALID_CHARACTERS', 'SKIP_BYTE_ORDER_MARK', 'ENCODING', 'FILE_EXTENSION', 'MULTI_LINE',
  'BINARY_AS_TEXT', 'USE_LOGICAL_TYPE', 'USE_VECTORIZED_SCANNER', 'STRIP_NULL_VALUES',
  'ENABLE_OCTAL', 'IGNORE_UTF8_ERRORS', 'PRESERVE_SPACE', 'STRIP_OUTER_ELEMENT',
  'DISABLE_AUTO_CONVERT', 'DISABLE_SNOWFLAKE_DATA',
]);

const OTHER_FILE_TYPES = new Set(['AVRO', 'ORC', 'XML']);

/** Options that only a CSV file format has, and those only a JSON one has. */
const CSV_ONLY = ['SKIP_HEADER', 'FIELD_DELIMITER', 'FIELD_OPTIONALLY_ENCLOSED_BY', 'EMPTY_FIELD_AS_NULL'];
const JSON_ONLY = ['STRIP_OUTER_ARRAY', 'ALLOW_DUPLICATE'];

const COMPRESSIONS: Record<CopyFileFormat['type'], readonly string[]> = { CSV: ['AUTO', 'GZIP', 'NONE'], PARQUET: ['AUTO', 'SNAPPY', 'NONE'], JSON: ['AUTO', 'GZIP', 'NONE'] };

/** Snowflake's defaults for a CSV file format. */
export function csvDefaults(): CopyFileFormat {
  return { type: 'CSV', skipHeader: 0, fieldDelimiter: ',', fieldOptionallyEnclosedBy: null, nullIf: ['\\N'], emptyFieldAsNull: true, compression: 'AUTO' };
}

/** `= ( ... )` after the word FILE_FORMAT (the cursor is on '='). */
export function fileFormatClause(c: TokenCursor): FileFormatSpec {
  c.expectOp('=');
  if (!c.isOp('(')) throw c.fail();
  const close = c.ctx.match[c.pos];
  const p = c.child(c.pos + 1, close);
  c.pos = close + 1;
  if (p.isWord('FORMAT_NAME')) {
    p.pos++;
    p.expectOp('=');
    const t = p.tok();
    let name: ObjectName;
    if (!p.atEnd() && t.kind === TokenKind.STRING) {
      name = formatNameText(t.value, () => p.fail());
      p.pos++;
    } else {
      name = p.objectName();
    }
    p.acceptOp(',');
    if (!p.atEnd()) throw new NotSupportedError('FORMAT_NAME together with other file format options');
    return { kind: 'named', name };
  }
  return { kind: 'inline', format: fileFormatOptions(p) };
}

/** A FORMAT_NAME given as a string ('f', 'db.sch."My Format"'): read as a stage name is, without a path. */
function formatNameText(text: string, fail: () => Error): ObjectName {
  const at = parseStageLocation(`@${text}`);
  if (at.kind !== 'named' || at.path !== '' || text.endsWith('/')) throw fail();
  return at.name;
}

/**
 * Options until the cursor's end, over the CSV defaults. `other(opt)` may read an option of
 * the caller's (cursor after its '='; CREATE FILE FORMAT's COMMENT) and answer true.
 */
export function fileFormatOptions(p: TokenCursor, other: (opt: string) => boolean = () => false): CopyFileFormat {
  const f = csvDefaults();
  let compression: string | null = null;
  const given = new Set<string>();
  let stripOuterArray = false;
  let allowDuplicate = false;
  while (!p.atEnd()) {
    if (p.acceptOp(',')) continue;
    const opt = p.word();
    if (opt === null) throw p.fail();
    p.pos++;
    if (!p.isOp('=')) throw p.fail(FILE_FORMAT_OPTIONS.has(opt) || opt === 'FORMAT_NAME' ? 0 : -1);
    p.pos++;
    given.add(opt);
    switch (opt) {
      case 'TYPE': {
        const v = p.optionValue();
        if (v === 'CSV' || v === 'PARQUET' || v === 'JSON') f.type = v;
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
      case 'COMPRESSION':
        compression = p.optionValue();
        break;
      case 'BINARY_FORMAT': {
        const v = binaryFormatOf(p.optionValue());
        if (v === null) throw p.fail(-1);
        f.binaryFormat = v;
        break;
      }
      case 'STRIP_OUTER_ARRAY':
        stripOuterArray = booleanValue(p);
        break;
      case 'ALLOW_DUPLICATE':
        allowDuplicate = booleanValue(p);
        break;
      case 'FORMAT_NAME':
        throw new NotSupportedError('FORMAT_NAME together with other file format options');
      default:
        if (other(opt)) break;
        if (FILE_FORMAT_OPTIONS.has(opt)) throw new NotSupportedError(`FILE_FORMAT option ${opt}`);
        throw p.fail(-2);
    }
  }
  const misplaced = (f.type === 'JSON' ? CSV_ONLY : JSON_ONLY).find((o) => given.has(o));
  if (misplaced !== undefined) throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid file format option ${misplaced} for TYPE = ${f.type}`);
  if (f.type === 'JSON') {
    // A JSON format has NULL_IF too (for MATCH_BY_COLUMN_NAME loads); Firn does not apply it yet.
    if (given.has('NULL_IF')) throw new NotSupportedError('NULL_IF for JSON files');
    f.stripOuterArray = stripOuterArray;
    f.allowDuplicate = allowDuplicate;
  }
  if (compression !== null) {
    if (!COMPRESSIONS[f.type].includes(compression)) throw new NotSupportedError(`COMPRESSION = ${compression} for ${f.type} files`);
    f.compression = compression as CopyFileFormat['compression'];
  }
  return f;
}

function booleanValue(p: TokenCursor): boolean {
  const v = p.optionValue();
  if (v !== 'TRUE' && v !== 'FALSE') throw p.fail(-1);
  return v === 'TRUE';
}
