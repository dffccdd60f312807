/**
 * A minimal client of Firn's SQL API v2 (POST /api/v2/statements), for tests, benchmarks
 * and tools. Returns the parsed body on 200 and throws an Error carrying code/sqlState on
 * 422 and other failures.
 */
export type StatementBody = {
  resultSetMetaData: { numRows: number; rowType: { name: string; type: string; precision: number | null; scale: number | null; nullable: boolean }[] };
  data: (string | null)[][];
  statementHandle: string;
  code: string;
  stats: { partitionsTotal: number; partitionsScanned: number; bytesScanned: number; cacheHitRatio: number; elapsedMs: number; warehouse: string | null };
  context: { database: string | null; schema: string | null; warehouse: string | null };
};

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
  const res = await fetch(`${url}/api/v2/statements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ statement, ...Object.fromEntries(Object.entries(context).filter(([, v]) => v)) }),
  });
  const body = (await res.json()) as StatementBody & { message?: string; sqlState?: string };
  if (res.status !== 200) throw new StatementFailure(res.status, body.code, body.sqlState ?? '', body.message ?? `HTTP ${res.status}`);
  return body;
}
