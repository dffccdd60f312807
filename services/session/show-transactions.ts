/**
 * SHOW TRANSACTIONS [IN ACCOUNT], as Snowflake's: the explicit transactions open now
 * (open-transactions.ts), the current user's, or with IN ACCOUNT every user's, which only a role
 * that is or inherits ACCOUNTADMIN may ask for (003001 on the account otherwise).
 *
 * Contract: columns id (NUMBER), user, session, name, started_on (TIMESTAMP_NTZ, UTC), state
 * ('running') and scope (0: Firn has no stored procedures, so no scoped transactions), oldest
 * first.
 */
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import { ACCOUNT_NAME } from '../access/privilege-names.js';
import { insufficientPrivileges } from '../access/access-errors.js';
import { privilegesOf } from '../access/access-check.js';
import type { Catalog } from '../catalog/catalog.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Statement } from '../sql/ast.js';
import type { Answer } from './answer.js';
import type { OpenTransactions } from './open-transactions.js';
import type { SessionContext } from './statement-result.js';

const COLUMNS: Column[] = [
  { name: 'id', type: Types.number(19, 0), nullable: false },
  { name: 'user', type: Types.varchar, nullable: false },
  { name: 'session', type: Types.varchar, nullable: false },
  { name: 'name', type: Types.varchar, nullable: false },
  { name: 'started_on', type: Types.timestampNtz, nullable: false },
  { name: 'state', type: Types.varchar, nullable: false },
  { name: 'scope', type: Types.number(19, 0), nullable: false },
];

export function runShowTransactions(
  st: Extract<Statement, { kind: 'show_transactions' }>,
  ctx: { catalog: Catalog; session: SessionContext },
  transactions: OpenTransactions,
): Answer {
  if (st.inAccount && !(privilegesOf(ctx)?.inherits('ACCOUNTADMIN') ?? true)) throw insufficientPrivileges('ACCOUNT', ACCOUNT_NAME);
  const rows = transactions
    .list()
    .filter((t) => st.inAccount || t.user === ctx.session.user)
    .map((t) => [BigInt(t.id), t.user, t.session, t.name, BigInt(t.startedAt.getTime()) * 1_000_000n, 'running', 0n]);
  return { columns: COLUMNS, batch: rowsToBatch(COLUMNS, rows) };
}
