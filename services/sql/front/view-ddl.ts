/**
 * CREATE [OR REPLACE] [SECURE] VIEW and DROP VIEW (called from object-ddl.ts once it has read
 * CREATE [OR REPLACE] or DROP).
 *
 * Contract: the view keeps its text as written: `text` is the whole statement, `queryText` the
 * query after AS (Snowflake's SHOW VIEWS `text` and INFORMATION_SCHEMA.VIEWS VIEW_DEFINITION);
 * binding re-parses `queryText` each time the view is used. A column list renames the query's
 * columns (a COMMENT on one is read and not kept). MATERIALIZED and RECURSIVE views, row access
 * policies and tags are NotSupportedError (0A000).
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { wholeQuery } from './query.js';
import type { TokenCursor } from './token-cursor.js';

/** After CREATE [OR REPLACE]: `[SECURE] VIEW ...`; `start` is the index of the CREATE token. */
export function createView(c: TokenCursor, orReplace: boolean, start: number): Statement {
  const secure = c.acceptWord('SECURE');
  if (c.isWord('MATERIALIZED')) throw new NotSupportedError('CREATE MATERIALIZED VIEW (materialized views)');
  if (c.isWord('RECURSIVE')) throw new NotSupportedError('CREATE RECURSIVE VIEW');
  c.expectWord('VIEW');
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName();
  let columns: string[] | null = null;
  if (c.isOp('(')) {
    const close = c.ctx.match[c.pos];
    columns = c.splitCommas(c.pos + 1, close).map(([s, e]) => {
      const col = c.child(s, e);
      const id = col.identifier();
      if (col.acceptWord('COMMENT')) stringLiteral(col);
      if (col.isWord('WITH') || col.isWord('MASKING')) throw new NotSupportedError('Masking policies on view columns');
      col.expectEnd();
      return id;
    });
    c.pos = close + 1;
  }
  let copyGrants = false;
  let comment: string | null = null;
  for (;;) {
    if (c.acceptWord('COPY')) {
      c.expectWord('GRANTS');
      copyGrants = true;
    } else if (c.acceptWord('COMMENT')) {
      c.expectOp('=');
      comment = stringLiteral(c);
    } else if (c.isWord('WITH') || c.isWord('ROW') || c.isWord('TAG') || c.isWord('CHANGE_TRACKING')) {
      throw new NotSupportedError(`CREATE VIEW option ${c.word()}`);
    } else {
      break;
    }
  }
  c.expectWord('AS');
  const queryStart = c.pos;
  const query = wholeQuery(c);
  c.expectEnd();
  return {
    kind: 'create_view',
    name,
    columns,
    secure,
    ifNotExists,
    orReplace,
    copyGrants,
    comment,
    query,
    text: c.sourceText(start, c.end),
    queryText: c.sourceText(queryStart, c.end),
  };
}

/** After DROP: `VIEW [IF EXISTS] name`. */
export function dropView(c: TokenCursor): Statement {
  c.expectWord('VIEW');
  const ifExists = c.ifExists();
  const name = c.objectName(3);
  c.expectEnd();
  return { kind: 'drop_view', name, ifExists };
}

function stringLiteral(c: TokenCursor): string {
  const t = c.tok();
  if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
  c.pos++;
  return t.value;
}
