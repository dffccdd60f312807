/**
 * Stage and file format DDL: CREATE [OR REPLACE] STAGE [IF NOT EXISTS] s [URL = '...']
 * [CREDENTIALS = (AWS_KEY_ID = '...' AWS_SECRET_KEY = '...' [AWS_TOKEN = '...'])]
 * [FILE_FORMAT = (...)] [COMMENT = '...'], DROP STAGE, DESCRIBE STAGE, and CREATE [OR REPLACE]
 * FILE FORMAT [IF NOT EXISTS] f [TYPE = CSV | PARQUET] [options] [COMMENT = '...'], DROP FILE
 * FORMAT. Called by object-ddl.ts and show-describe.ts after the object keyword.
 * Snowflake's other stage properties (STORAGE_INTEGRATION, ENCRYPTION, DIRECTORY, ...) are
 * NotSupportedError by name.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { FileFormatSpec, StageCredentials, Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { fileFormatClause, fileFormatOptions } from './file-format.js';
import type { TokenCursor } from './token-cursor.js';

const STAGE_PROPERTIES = new Set(['STORAGE_INTEGRATION', 'ENCRYPTION', 'DIRECTORY', 'COPY_OPTIONS', 'ENDPOINT', 'TAG', 'WITH', 'USE_PRIVATELINK_ENDPOINT']);

/** After CREATE [OR REPLACE] STAGE. */
export function createStage(c: TokenCursor, orReplace: boolean): Statement {
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName();
  let url: string | null = null;
  let credentials: StageCredentials | null = null;
  let fileFormat: FileFormatSpec | null = null;
  let comment: string | null = null;
  while (!c.atEnd()) {
    if (c.acceptOp(',')) continue;
    const w = c.word();
    c.pos++;
    switch (w) {
      case 'URL':
        c.expectOp('=');
        url = stringValue(c);
        break;
      case 'CREDENTIALS':
        c.expectOp('=');
        credentials = stageCredentials(c);
        break;
      case 'FILE_FORMAT':
        fileFormat = fileFormatClause(c);
        break;
      case 'COMMENT':
        c.expectOp('=');
        comment = stringValue(c);
        break;
      default:
        if (w !== null && STAGE_PROPERTIES.has(w)) throw new NotSupportedError(`Stage property ${w}`);
        throw c.fail(-1);
    }
  }
  if (credentials && url === null) throw new NotSupportedError('CREDENTIALS on an internal stage (a stage without URL)');
  return { kind: 'create_stage', name, orReplace, ifNotExists, url, credentials, fileFormat, comment };
}

/** `( AWS_KEY_ID = '...' AWS_SECRET_KEY = '...' [AWS_TOKEN = '...'] )`. */
function stageCredentials(c: TokenCursor): StageCredentials {
  c.expectOp('(');
  const got: Record<string, string> = {};
  while (!c.isOp(')')) {
    if (c.acceptOp(',')) continue;
    const w = c.word();
    if (w !== 'AWS_KEY_ID' && w !== 'AWS_SECRET_KEY' && w !== 'AWS_TOKEN') {
      if (w === 'AWS_ROLE' || w === 'AZURE_SAS_TOKEN') throw new NotSupportedError(`CREDENTIALS ${w}`);
      throw c.fail();
    }
    c.pos++;
    c.expectOp('=');
    got[w] = stringValue(c);
  }
  c.expectOp(')');
  if (got.AWS_KEY_ID === undefined || got.AWS_SECRET_KEY === undefined) throw c.fail(-1);
  return { awsKeyId: got.AWS_KEY_ID, awsSecretKey: got.AWS_SECRET_KEY, awsToken: got.AWS_TOKEN ?? null };
}

/** After CREATE [OR REPLACE] FILE FORMAT. */
export function createFileFormat(c: TokenCursor, orReplace: boolean): Statement {
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName();
  let comment: string | null = null;
  const format = fileFormatOptions(c, (opt) => {
    if (opt !== 'COMMENT') return false;
    comment = stringValue(c);
    return true;
  });
  return { kind: 'create_file_format', name, orReplace, ifNotExists, format, comment };
}

/** After DROP STAGE | DROP FILE FORMAT. */
export function dropStageObject(c: TokenCursor, kind: 'drop_stage' | 'drop_file_format'): Statement {
  const ifExists = c.ifExists();
  const name = c.objectName();
  c.expectEnd();
  return { kind, name, ifExists };
}

function stringValue(c: TokenCursor): string {
  const t = c.tok();
  if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
  c.pos++;
  return t.value;
}
