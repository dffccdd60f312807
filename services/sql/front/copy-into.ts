/**
 * COPY INTO in both directions.
 *
 * Loading: COPY INTO <table> FROM '<url>' | @<stage>[/path] [FILES = ('a.csv', ...)]
 * [PATTERN = '<regex>'] [FILE_FORMAT = (...)] [ON_ERROR = ...] [FORCE = ...]
 * [MATCH_BY_COLUMN_NAME = CASE_SENSITIVE | CASE_INSENSITIVE | NONE].
 * Unloading: COPY INTO @<stage>[/path] FROM (<query>) | <table> [FILE_FORMAT = (...)]
 * [HEADER = TRUE | FALSE] [OVERWRITE = ...] [SINGLE = ...] [MAX_FILE_SIZE = n].
 * File format options: file-format.ts. Snowflake's other copy options are recognised and
 * refused by name (NotSupportedError), so a load never runs with an option silently ignored.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { CopySource, FileFormatSpec, MatchByColumnName, Query, Select, Statement } from '../ast.js';
import { parseStageLocation } from '../../stage/parse-stage-location.js';
import { TokenKind } from '../tokenizer.js';
import { fileFormatClause } from './file-format.js';
import { wholeQuery } from './query.js';
import type { TokenCursor } from './token-cursor.js';

const COPY_OPTIONS = new Set([
  'PURGE', 'SIZE_LIMIT', 'RETURN_FAILED_ONLY',
  'ENFORCE_LENGTH', 'TRUNCATECOLUMNS', 'LOAD_UNCERTAIN_FILES', 'VALIDATION_MODE', 'CREDENTIALS', 'ENCRYPTION',
  'STORAGE_INTEGRATION', 'INCLUDE_METADATA', 'LOAD_MODE', 'FILE_PROCESSOR', 'PARTITION', 'INCLUDE_QUERY_ID',
  'DETAILED_OUTPUT',
]);

export function parseCopyInto(c: TokenCursor): Statement {
  c.expectWord('COPY');
  c.expectWord('INTO');
  if (!c.atEnd() && c.tok().kind === TokenKind.STAGE) return parseUnload(c);
  if (!c.atEnd() && c.tok().kind === TokenKind.STRING) throw new NotSupportedError('COPY INTO <url> (unloading to a URL: unload into a stage instead)');
  const table = c.objectName();
  if (c.isOp('(')) throw new NotSupportedError('COPY INTO with a column list');
  c.expectWord('FROM');
  const source = copySource(c);
  let fileFormat: FileFormatSpec | null = null;
  let onError: 'ABORT_STATEMENT' | 'CONTINUE' = 'ABORT_STATEMENT';
  let force = false;
  let files: string[] | null = null;
  let pattern: string | null = null;
  let matchByColumnName: MatchByColumnName = 'NONE';
  while (!c.atEnd()) {
    if (c.acceptOp(',')) continue;
    const opt = c.word();
    if (opt === 'FILE_FORMAT') {
      c.pos++;
      fileFormat = fileFormatClause(c);
    } else if (opt === 'ON_ERROR') {
      c.pos++;
      c.expectOp('=');
      const v = c.optionValue();
      if (v === 'ABORT_STATEMENT' || v === 'CONTINUE') onError = v;
      else if (v.startsWith('SKIP_FILE')) throw new NotSupportedError(`ON_ERROR = ${v}`);
      else throw c.fail(-1);
    } else if (opt === 'FORCE') {
      c.pos++;
      force = booleanOption(c);
    } else if (opt === 'FILES') {
      c.pos++;
      c.expectOp('=');
      files = stringList(c);
    } else if (opt === 'PATTERN') {
      c.pos++;
      c.expectOp('=');
      pattern = stringValue(c);
    } else if (opt === 'MATCH_BY_COLUMN_NAME') {
      c.pos++;
      c.expectOp('=');
      const v = c.optionValue();
      if (v !== 'CASE_SENSITIVE' && v !== 'CASE_INSENSITIVE' && v !== 'NONE') throw c.fail(-1);
      matchByColumnName = v;
    } else if (opt !== null && COPY_OPTIONS.has(opt)) {
      throw new NotSupportedError(`COPY option ${opt}`);
    } else {
      throw c.fail();
    }
  }
  return { kind: 'copy_into', table, source, fileFormat, onError, force, files, pattern, matchByColumnName };
}

function copySource(c: TokenCursor): CopySource {
  const src = c.tok();
  if (c.isOp('(')) throw new NotSupportedError('COPY transformations (FROM (SELECT ...))');
  if (c.atEnd()) throw c.fail();
  if (src.kind === TokenKind.STAGE) {
    c.pos++;
    return { kind: 'stage', location: parseStageLocation(src.value) };
  }
  if (src.kind !== TokenKind.STRING) throw c.fail();
  c.pos++;
  // A quoted stage location ('@s/dir with space/') is a stage too.
  return src.value.startsWith('@') ? { kind: 'stage', location: parseStageLocation(src.value) } : { kind: 'url', url: src.value };
}

/** COPY INTO @stage[/path] FROM (query) | table [options]. */
function parseUnload(c: TokenCursor): Statement {
  const location = parseStageLocation(c.tok().value);
  c.pos++;
  c.expectWord('FROM');
  let source: Query;
  if (c.isOp('(')) {
    const close = c.ctx.match[c.pos];
    source = wholeQuery(c.child(c.pos + 1, close));
    c.pos = close + 1;
  } else {
    const name = c.objectName();
    // FROM t is SELECT * FROM t.
    const body: Select = { kind: 'select', distinct: false, items: [{ kind: 'star', table: null, exclude: [], rename: [] }], from: { kind: 'table', name, alias: null }, where: null, groupBy: [], groupingSets: null, having: null, qualify: null };
    source = { with: [], body, orderBy: [], limit: null, offset: null };
  }
  let fileFormat: FileFormatSpec | null = null;
  let header = false;
  let overwrite = false;
  let single = false;
  let maxFileSize: number | null = null;
  while (!c.atEnd()) {
    if (c.acceptOp(',')) continue;
    const opt = c.word();
    c.pos++;
    switch (opt) {
      case 'FILE_FORMAT':
        fileFormat = fileFormatClause(c);
        break;
      case 'HEADER':
        header = booleanOption(c);
        break;
      case 'OVERWRITE':
        overwrite = booleanOption(c);
        break;
      case 'SINGLE':
        single = booleanOption(c);
        break;
      case 'MAX_FILE_SIZE': {
        c.expectOp('=');
        const v = c.optionValue();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw c.fail(-1);
        maxFileSize = Number(v);
        break;
      }
      default:
        if (opt !== null && (COPY_OPTIONS.has(opt) || opt === 'MATCH_BY_COLUMN_NAME' || opt === 'PATTERN' || opt === 'FILES' || opt === 'ON_ERROR' || opt === 'FORCE')) {
          throw new NotSupportedError(`COPY option ${opt} when unloading`);
        }
        throw c.fail(-1);
    }
  }
  return { kind: 'unload', location, source, fileFormat, header, overwrite, single, maxFileSize };
}

function booleanOption(c: TokenCursor): boolean {
  c.expectOp('=');
  const v = c.optionValue();
  if (v !== 'TRUE' && v !== 'FALSE') throw c.fail(-1);
  return v === 'TRUE';
}

function stringValue(c: TokenCursor): string {
  const t = c.tok();
  if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
  c.pos++;
  return t.value;
}

/** `( 'a', 'b', ... )`: at least one string. */
function stringList(c: TokenCursor): string[] {
  c.expectOp('(');
  const out = [stringValue(c)];
  while (c.acceptOp(',')) out.push(stringValue(c));
  c.expectOp(')');
  return out;
}
