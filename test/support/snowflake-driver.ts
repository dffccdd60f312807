/**
 * The official snowflake-sdk driver, loaded for tests against a Firn server on loopback, with
 * promise wrappers for its callback API.
 *
 * Contract: `loadSnowflakeSdk` sets SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true (the driver
 * probes cloud metadata addresses at load time otherwise) and clears the proxy variables
 * before it imports the driver, so it sends nothing but to the server it is given.
 * `connectDriver` resolves with the connection or rejects with the driver's error (its
 * connectAsync() does not reject on a failed login). `execute` resolves with the rows and the
 * statement, or rejects with the driver's error (code, sqlState, data).
 */
import type * as Snowflake from 'snowflake-sdk';

type Sdk = typeof Snowflake;
export type DriverConnection = Snowflake.Connection;
export type DriverStatement = Snowflake.RowStatement;

let sdk: Sdk | null = null;

export async function loadSnowflakeSdk(): Promise<Sdk> {
  if (sdk) return sdk;
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) delete process.env[name];
  const loaded = (await import('snowflake-sdk')) as unknown as Sdk & { default?: Sdk };
  sdk = loaded.default ?? loaded;
  sdk.configure({ logLevel: 'OFF' as never });
  return sdk;
}

export async function connectDriver(url: string, options: Record<string, unknown>): Promise<DriverConnection> {
  const snowflake = await loadSnowflakeSdk();
  const conn = snowflake.createConnection({ accessUrl: url, account: 'firn', sfRetryMaxLoginRetries: 0, ...options } as Snowflake.ConnectionOptions);
  return new Promise((resolve, reject) => conn.connect((err, c) => (err ? reject(err) : resolve(c))));
}

export function execute(conn: DriverConnection, sqlText: string, extra: Record<string, unknown> = {}): Promise<{ rows: Record<string, unknown>[]; statement: DriverStatement }> {
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      ...extra,
      complete: (err, statement, rows) => (err ? reject(err) : resolve({ rows: (rows ?? []) as Record<string, unknown>[], statement: statement as DriverStatement })),
    } as Snowflake.StatementOption);
  });
}

/** The driver's heartbeat (POST /session/heartbeat): its public heartbeatAsync(), which its type declarations omit. */
export function heartbeat(conn: DriverConnection): Promise<unknown> {
  return (conn as unknown as { heartbeatAsync(): Promise<unknown> }).heartbeatAsync();
}

export function destroy(conn: DriverConnection): Promise<void> {
  return new Promise((resolve, reject) => conn.destroy((err) => (err ? reject(err) : resolve())));
}
