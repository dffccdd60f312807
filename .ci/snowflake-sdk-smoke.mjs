/**
 * The snowflake-sdk part of .ci/node-smoke.sh: the official driver, unmodified, logs in to the
 * Firn server at FIRN_URL as the bootstrap administrator (password from $FIRN_HOME/credentials),
 * runs one query, inserts 100,001 rows with one array bind (enough allocation to run the garbage
 * collector over the server's catalog, which once aborted the process on Node 24) and logs out. Exits non-zero with the driver's error when a step fails. Platform
 * detection is off and proxies are ignored before the driver loads, so it talks to loopback only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[name];
const { default: snowflake } = await import('snowflake-sdk');
snowflake.configure({ logLevel: 'ERROR' });

const credentials = JSON.parse(readFileSync(path.join(process.env.FIRN_HOME, 'credentials'), 'utf8'));
const connection = snowflake.createConnection({
  accessUrl: process.env.FIRN_URL,
  account: 'firn',
  username: credentials.user,
  password: credentials.password,
  database: 'FIRN',
  schema: 'PUBLIC',
  warehouse: 'COMPUTE_WH',
});
await new Promise((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
const rows = await new Promise((resolve, reject) =>
  connection.execute({ sqlText: 'SELECT COUNT(*) AS N, CURRENT_USER() AS U FROM trips', complete: (err, _st, r) => (err ? reject(err) : resolve(r)) }),
);
const expected = JSON.stringify([{ N: 3, U: credentials.user }]);
if (JSON.stringify(rows) !== expected) throw new Error(`snowflake-sdk read ${JSON.stringify(rows)}, expected ${expected}`);
const run = (sqlText, binds) =>
  new Promise((resolve, reject) => connection.execute({ sqlText, binds, complete: (err, _st, r) => (err ? reject(err) : resolve(r)) }));
await run('CREATE TABLE smoke_binds (v INTEGER)');
await run('INSERT INTO smoke_binds VALUES (?)', Array.from({ length: 100_001 }, (_, i) => [i]));
const sums = JSON.stringify(await run('SELECT COUNT(*) AS N, SUM(v) AS S FROM smoke_binds'));
if (sums !== JSON.stringify([{ N: 100_001, S: 5_000_050_000 }])) throw new Error(`snowflake-sdk array bind read back ${sums}`);
await new Promise((resolve, reject) => connection.destroy((err) => (err ? reject(err) : resolve())));
console.log('snowflake-sdk: connected, queried, inserted 100,001 bound rows and logged out');
