/**
 * `postStatement`: one statement to a Firn server, for tests, benchmarks and tools that
 * want exceptions rather than the CLI's outcome values. Built on the CLI's FirnClient, so
 * there is one HTTP client of the SQL API in the code base.
 *
 * Contract: resolves with the jsonv2 body on success; throws StatementFailure (HTTP status,
 * code, SQLSTATE, message) when the statement fails, and a plain Error when the server
 * cannot be reached or answers something that is not the SQL API.
 */
import { FirnClient } from '../../services/cli/firn-client.js';
import type { JsonV2ResultSet } from '../../services/result/encode-jsonv2.js';

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

export async function postStatement(
  url: string,
  statement: string,
  context: { database?: string | null; schema?: string | null; warehouse?: string | null } = {},
): Promise<StatementBody> {
  const outcome = await new FirnClient(url).execute(statement, {
    database: context.database ?? null,
    schema: context.schema ?? null,
    warehouse: context.warehouse ?? null,
  });
  switch (outcome.kind) {
    case 'ok':
      return outcome.result;
    case 'failed':
      throw new StatementFailure(outcome.status, outcome.code, outcome.sqlState, outcome.message);
    default:
      throw new Error(outcome.message);
  }
}
