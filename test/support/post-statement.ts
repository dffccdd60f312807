/**
 * `postStatement`: one statement (or a script of several: MULTI_STATEMENT_COUNT 0) to a Firn server, for tests, benchmarks and tools that
 * want exceptions rather than the CLI's outcome values. Built on the CLI's FirnClient, so
 * there is one HTTP client of the SQL API in the code base.
 *
 * Contract: resolves with the jsonv2 body on success; throws StatementFailure (HTTP status,
 * code, SQLSTATE, message) when the statement fails, and a plain Error when the server
 * cannot be reached, refuses the credentials or answers something that is not the SQL API.
 * It authenticates as ADMIN with the test servers' FIRN_ADMIN_TOKEN (firn-process.ts) unless
 * given other `credentials`.
 */
import { FirnClient, type ClientCredentials } from '../../services/cli/firn-client.js';
import type { JsonV2ResultSet } from '../../services/result/encode-jsonv2.js';
import { TEST_ADMIN_TOKEN } from './firn-process.js';

export type StatementBody = JsonV2ResultSet;

export class StatementFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
  }
}

/** The test servers' administrator: FIRN_ADMIN_TOKEN. */
export const ADMIN_CREDENTIALS: ClientCredentials = { token: TEST_ADMIN_TOKEN, login: null, source: 'the test FIRN_ADMIN_TOKEN' };

export async function postStatement(
  url: string,
  statement: string,
  context: { database?: string | null; schema?: string | null; warehouse?: string | null } = {},
  credentials: ClientCredentials = ADMIN_CREDENTIALS,
): Promise<StatementBody> {
  // Tests send scripts too: any number of statements (MULTI_STATEMENT_COUNT 0).
  const outcome = await new FirnClient(url, credentials).execute(
    statement,
    { database: context.database ?? null, schema: context.schema ?? null, warehouse: context.warehouse ?? null },
    { multiStatementCount: 0 },
  );
  switch (outcome.kind) {
    case 'ok':
      return outcome.result;
    case 'failed':
      throw new StatementFailure(outcome.status, outcome.code, outcome.sqlState, outcome.message);
    default:
      throw new Error(outcome.message);
  }
}
