/**
 * One column of CREATE TABLE or ALTER TABLE ... ADD COLUMN: `name type` then, in any order,
 * NOT NULL | NULL, DEFAULT expr, and AUTOINCREMENT | IDENTITY [(start, step) | START n INCREMENT m]
 * [ORDER | NOORDER] (Snowflake's spellings; START / INCREMENT also take WITH / BY and `=`). The
 * DEFAULT expression is handed to the expression parser as written: it ends at NOT NULL, NULL or
 * another column option word. DEFAULT together with AUTOINCREMENT, or either twice, is a syntax
 * error; the other column options (PRIMARY KEY, COLLATE, COMMENT, ...) are NotSupportedError.
 */
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { ColumnDef, IdentitySpec } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import { int64 } from './sequence-ddl.js';
import { upperWord, type TokenCursor } from './token-cursor.js';
import { typeName } from './type-name.js';

/** Words that start a column option (they end a DEFAULT expression). */
export const COLUMN_OPTIONS = new Set([
  'DEFAULT', 'PRIMARY', 'UNIQUE', 'REFERENCES', 'FOREIGN', 'AUTOINCREMENT', 'IDENTITY', 'COLLATE', 'COMMENT',
  'CONSTRAINT', 'MASKING', 'WITH', 'TAG', 'CHECK', 'AS', 'PROJECTION',
]);

/** `name type [options]` filling the cursor's range. */
export function columnDefinition(c: TokenCursor): ColumnDef {
  const name = c.identifier();
  const type = typeName(c);
  const def: ColumnDef = { name, type, nullable: true };
  while (!c.atEnd()) {
    if (c.acceptWord('NOT')) {
      c.expectWord('NULL');
      def.nullable = false;
    } else if (c.acceptWord('NULL')) {
      def.nullable = true;
    } else if (c.isWord('DEFAULT')) {
      if (def.default !== undefined || def.identity !== undefined) throw c.fail();
      c.pos++;
      const end = defaultEnd(c);
      def.default = c.expr(c.pos, end);
      c.pos = end;
    } else if (c.isWord('AUTOINCREMENT') || c.isWord('IDENTITY')) {
      if (def.default !== undefined || def.identity !== undefined) throw c.fail();
      c.pos++;
      def.identity = identity(c);
    } else {
      const w = c.word();
      if (w !== null && COLUMN_OPTIONS.has(w)) throw new NotSupportedError(`Column option ${w}`);
      throw c.fail();
    }
  }
  return def;
}

/** After AUTOINCREMENT | IDENTITY: `[(start, step) | START [WITH] [=] n INCREMENT [BY] [=] m] [ORDER | NOORDER]`; default (1, 1). */
function identity(c: TokenCursor): IdentitySpec {
  let start = '1';
  let increment = '1';
  if (c.acceptOp('(')) {
    start = int64(c, 'START');
    c.expectOp(',');
    increment = step(c);
    c.expectOp(')');
  } else if (c.acceptWord('START')) {
    c.acceptWord('WITH');
    c.acceptOp('=');
    start = int64(c, 'START');
    c.expectWord('INCREMENT');
    c.acceptWord('BY');
    c.acceptOp('=');
    increment = step(c);
  }
  let ordered: boolean | null = null;
  if (c.isWord('ORDER') || c.isWord('NOORDER')) {
    ordered = c.word() === 'ORDER';
    c.pos++;
  }
  return { start, increment, ordered };
}

function step(c: TokenCursor): string {
  const value = int64(c, 'INCREMENT');
  if (value === '0') throw new CompilationError('INVALID_SEQUENCE_PROPERTY', "SQL compilation error: invalid value [0] for parameter 'INCREMENT': an identity column's increment must not be 0.");
  return value;
}

/** Where a DEFAULT expression starting at the cursor ends: at NOT NULL, NULL (after the first token) or a column option word. */
function defaultEnd(c: TokenCursor): number {
  const start = c.pos;
  for (let i = start; i < c.end; i++) {
    const t = c.tokens[i];
    if (t.kind === TokenKind.OP && t.text === '(') {
      i = c.ctx.match[i];
      continue;
    }
    const w = upperWord(t);
    if (w === null) continue;
    const prev = i > start ? upperWord(c.tokens[i - 1]) : null;
    if (w === 'NOT' && i + 1 < c.end && upperWord(c.tokens[i + 1]) === 'NULL' && prev !== 'IS') return i;
    if (w === 'NULL' && i > start && prev !== 'IS' && prev !== 'NOT') return i;
    if (COLUMN_OPTIONS.has(w) && w !== 'AS') return i;
  }
  return c.end;
}
