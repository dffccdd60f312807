/**
 * Transaction control, as Snowflake writes it: BEGIN [ WORK | TRANSACTION ] [ NAME n ],
 * START TRANSACTION [ NAME n ], COMMIT [ WORK ], ROLLBACK [ WORK ]. What they do is the
 * session's transaction (services/session/session-transaction.ts); here they are only read.
 *
 * Contract: BEGIN and START TRANSACTION give `{kind: 'begin', name}` (name: the resolved
 * identifier or null); COMMIT and ROLLBACK give `{kind: 'commit' | 'rollback'}`. Anything after
 * them is a syntax error at that token.
 */
import type { Statement } from '../ast.js';
import type { TokenCursor } from './token-cursor.js';

export function parseTransactionControl(c: TokenCursor): Statement {
  const first = c.word();
  if (first === 'COMMIT' || first === 'ROLLBACK') {
    c.expectWord(first);
    c.acceptWord('WORK');
    const kind = first === 'COMMIT' ? 'commit' : 'rollback';
    c.expectEnd();
    return { kind };
  }
  if (c.acceptWord('START')) c.expectWord('TRANSACTION');
  else {
    c.expectWord('BEGIN');
    if (!c.acceptWord('WORK')) c.acceptWord('TRANSACTION');
  }
  const name = c.acceptWord('NAME') ? c.identifier() : null;
  c.expectEnd();
  return { kind: 'begin', name };
}
