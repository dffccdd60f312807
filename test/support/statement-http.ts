/**
 * SQL API calls for integration tests that look at what a plain client sees: the raw HTTP
 * status and JSON body of one request, or the failure a statement is expected to end in.
 * Both go through the real server over real HTTP, as ADMIN (the test FIRN_ADMIN_TOKEN).
 */
import { ADMIN_AUTH_HEADERS } from './firn-process.js';
import { postStatement, StatementFailure } from './post-statement.js';

export type RawAnswer = { status: number; body: Record<string, unknown> };

/**
 * POSTs one statement (with `timeout` in seconds and the body's `parameters` when given, e.g.
 * MULTI_STATEMENT_COUNT for several) and returns the status and body as they came.
 */
export async function postRaw(url: string, statement: string, timeout?: number, parameters?: Record<string, unknown>): Promise<RawAnswer> {
  const res = await fetch(`${url}/api/v2/statements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ADMIN_AUTH_HEADERS },
    body: JSON.stringify({ statement, ...(timeout === undefined ? {} : { timeout }), ...(parameters === undefined ? {} : { parameters }) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The StatementFailure `sql` ends in; throws when it succeeds. */
export async function expectFailure(url: string, sql: string): Promise<StatementFailure> {
  try {
    await postStatement(url, sql);
  } catch (err) {
    if (err instanceof StatementFailure) return err;
    throw err;
  }
  throw new Error(`expected ${sql} to fail`);
}
