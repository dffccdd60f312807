/**
 * Sequence DDL, as Snowflake writes it: CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] s [WITH]
 * [START [WITH] [=] n] [INCREMENT [BY] [=] m] [ORDER | NOORDER] [COMMENT = '...'], ALTER SEQUENCE
 * [IF EXISTS] s {RENAME TO t | [SET] INCREMENT [BY] [=] m | SET [ORDER | NOORDER] [COMMENT = '...']
 * | UNSET COMMENT}, DROP SEQUENCE [IF EXISTS] s [CASCADE | RESTRICT]. Called by object-ddl.ts and
 * alter.ts after the SEQUENCE keyword. Integers are 64-bit two's complement (Snowflake's range),
 * kept as their decimal text so the AST stays plain JSON; one outside the range, or an INCREMENT of
 * 0, is INVALID_SEQUENCE_PROPERTY (390241).
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import type { AlterSequenceAction, Statement } from '../ast.js';
import { TokenKind } from '../tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** After CREATE [OR REPLACE] SEQUENCE. */
export function createSequence(c: TokenCursor, orReplace: boolean): Statement {
  const ifNotExists = c.ifNotExistsWith(orReplace);
  const name = c.objectName();
  c.acceptWord('WITH');
  let start = '1';
  let increment = '1';
  let ordered: boolean | null = null;
  let comment: string | null = null;
  const seen = new Set<string>();
  while (!c.atEnd()) {
    if (c.acceptOp(',')) continue;
    const w = c.word();
    if (w === null || seen.has(w === 'NOORDER' ? 'ORDER' : w)) throw c.fail();
    seen.add(w === 'NOORDER' ? 'ORDER' : w);
    c.pos++;
    switch (w) {
      case 'START':
        c.acceptWord('WITH');
        c.acceptOp('=');
        start = int64(c, 'START');
        break;
      case 'INCREMENT':
        increment = incrementValue(c);
        break;
      case 'ORDER':
      case 'NOORDER':
        ordered = w === 'ORDER';
        break;
      case 'COMMENT':
        c.expectOp('=');
        comment = stringValue(c);
        break;
      default:
        throw c.fail(-1);
    }
  }
  return { kind: 'create_sequence', name, orReplace, ifNotExists, start, increment, ordered, comment };
}

/** After ALTER SEQUENCE. */
export function alterSequence(c: TokenCursor): Statement {
  const ifExists = c.ifExists();
  const name = c.objectName();
  let action: AlterSequenceAction;
  if (c.acceptWord('RENAME')) {
    c.expectWord('TO');
    action = { kind: 'rename', to: c.objectName() };
  } else if (c.acceptWord('UNSET')) {
    c.expectWord('COMMENT');
    action = { kind: 'unset_comment' };
  } else {
    const set = c.acceptWord('SET');
    action = { kind: 'set' };
    while (!c.atEnd()) {
      if (c.acceptOp(',')) continue;
      const w = c.word();
      if (w === 'INCREMENT' && action.increment === undefined) {
        c.pos++;
        action.increment = incrementValue(c);
      } else if ((w === 'ORDER' || w === 'NOORDER') && set && action.ordered === undefined) {
        c.pos++;
        action.ordered = w === 'ORDER';
      } else if (w === 'COMMENT' && set && action.comment === undefined) {
        c.pos++;
        c.expectOp('=');
        action.comment = stringValue(c);
      } else {
        throw c.fail();
      }
    }
    if (action.increment === undefined && action.ordered === undefined && action.comment === undefined) throw c.fail();
  }
  c.expectEnd();
  return { kind: 'alter_sequence', name, ifExists, action };
}

/** After DROP SEQUENCE. */
export function dropSequence(c: TokenCursor): Statement {
  const ifExists = c.ifExists();
  const name = c.objectName();
  if (!c.acceptWord('CASCADE')) c.acceptWord('RESTRICT');
  c.expectEnd();
  return { kind: 'drop_sequence', name, ifExists };
}

/** `[BY] [=] m` after INCREMENT: a non-zero 64-bit integer. */
function incrementValue(c: TokenCursor): string {
  c.acceptWord('BY');
  c.acceptOp('=');
  const value = int64(c, 'INCREMENT');
  if (value === '0') throw new CompilationError('INVALID_SEQUENCE_PROPERTY', "SQL compilation error: invalid value [0] for parameter 'INCREMENT': a sequence's increment must not be 0.");
  return value;
}

/** `[+ | -] digits` in the 64-bit range, as canonical decimal text; `what` names the property in errors. */
export function int64(c: TokenCursor, what: string): string {
  const negative = c.acceptOp('-');
  if (!negative) c.acceptOp('+');
  const t = c.tok();
  if (c.atEnd() || t.kind !== TokenKind.NUMBER || !/^\d+$/.test(t.text)) throw c.fail();
  c.pos++;
  const value = negative ? -BigInt(t.text) : BigInt(t.text);
  if (value < MIN_INT64 || value > MAX_INT64) {
    throw new CompilationError('INVALID_SEQUENCE_PROPERTY', `SQL compilation error: invalid value [${value}] for parameter '${what}': it must be a 64-bit integer (-2^63 to 2^63 - 1).`);
  }
  return value.toString();
}

function stringValue(c: TokenCursor): string {
  const t = c.tok();
  if (c.atEnd() || t.kind !== TokenKind.STRING) throw c.fail();
  c.pos++;
  return t.value;
}
