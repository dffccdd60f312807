/**
 * Statements about the files in a stage: LIST | LS @location [PATTERN = '<regex>'] and
 * REMOVE | RM @location [PATTERN = '<regex>']. PUT and GET move files between the client's
 * disk and a stage, so the client runs them (the firn CLI: services/cli/stage-transfer.ts),
 * as with Snowflake, whose SQL API does not run PUT or GET either: sent to the server they
 * are a NOT_SUPPORTED error that says where to run them.
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { parseStageLocation } from '../../stage/parse-stage-location.js';
import { TokenKind } from '../tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

/** What the server answers a PUT or GET: they run in the client. */
export function clientCommandError(command: 'PUT' | 'GET'): CompilationError {
  const how = command === 'PUT' ? 'upload files with `npx firn put <local file or glob> @stage[/path]`' : 'download files with `npx firn get @stage[/path] <local directory>`';
  return new CompilationError(
    'NOT_SUPPORTED',
    `${command} is executed by the client, not by the SQL API (as in Snowflake's SQL API): ${how}, or type the ${command} statement in \`npx firn sql\` or the firn shell.`,
  );
}

/** LIST | LS | REMOVE | RM | PUT | GET, the cursor on the command word. */
export function parseStageFiles(c: TokenCursor): Statement {
  const w = c.word();
  c.pos++;
  if (w === 'PUT' || w === 'GET') throw clientCommandError(w);
  const t = c.tok();
  if (c.atEnd() || (t.kind !== TokenKind.STAGE && !(t.kind === TokenKind.STRING && t.value.startsWith('@')))) throw c.fail();
  const location = parseStageLocation(t.value);
  c.pos++;
  let pattern: string | null = null;
  if (c.acceptWord('PATTERN')) {
    c.expectOp('=');
    const p = c.tok();
    if (c.atEnd() || p.kind !== TokenKind.STRING) throw c.fail();
    pattern = p.value;
    c.pos++;
  }
  c.expectEnd();
  return { kind: w === 'LIST' || w === 'LS' ? 'list_stage' : 'remove_stage', location, pattern };
}
