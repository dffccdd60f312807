/**
 * The Firn server process (`npm start`): reads the configuration from the environment,
 * applies the bind policy (bind-policy.ts: beyond loopback only with TLS or
 * FIRN_ALLOW_INSECURE_BIND=1, warning on stderr; a refusal exits 1 before anything is opened),
 * opens the engine on the embedded defaults (or FIRN_STORAGE_URL), serves the HTTP API on
 * 127.0.0.1:${FIRN_PORT:-8080} (HTTPS with FIRN_TLS_CERT/FIRN_TLS_KEY), and shuts down
 * cleanly on SIGINT/SIGTERM.
 *
 * First of all it lowers the OS priority of the process's helper threads (V8's garbage
 * collection and compilation threads, libuv's pool), as the warehouse workers lower their
 * own: this thread, the services, then wins a core at once while queries keep the others
 * busy (thread-priority.ts).
 *
 * Authentication (services/access/): requests are checked against the catalog's users and
 * tokens, and FIRN_ADMIN_TOKEN (when set) is a valid programmatic access token of ADMIN for
 * this process. Once listening, the first start creates ADMIN (bootstrap-admin.ts): with
 * FIRN_ADMIN_PASSWORD as its password, else with generated credentials written to
 * $FIRN_HOME/credentials (mode 0600). The server prints that file's path, never a secret.
 * The secrets are read from the environment here, not kept in FirnConfig, so they travel no
 * further than the authenticator and the bootstrap.
 */
import { loadConfig } from '../config.js';
import { FirnEngine } from '../session/firn-engine.js';
import { startHttpServer } from './http-server.js';
import { decideBind } from './bind-policy.js';
import { readTlsCredentials } from './tls-credentials.js';
import { lowerOtherThreads } from '../../warehouse/pool/thread-priority.js';
import { FirnAuthenticator } from '../access/firn-authenticator.js';
import { bootstrapAdmin } from '../access/bootstrap-admin.js';
import { SessionStore } from '../access/session-store.js';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built notebook page: dist/page beside dist/services (the build bundles page/ there). */
const PAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'page');

async function main(): Promise<void> {
  // libuv starts its whole pool at its first job, which Node 24 no longer runs before this
  // point (Node 20's module loading did): start it, so its threads are lowered with the rest.
  await stat(process.cwd());
  lowerOtherThreads();
  const config = loadConfig();
  const bind = decideBind(config);
  if (bind.kind === 'refuse') throw new Error(bind.message);
  if (bind.warning !== null) console.error(bind.warning);
  const tls = bind.tls === null ? null : await readTlsCredentials(bind.tls);
  const engine = await FirnEngine.open(config);
  const authenticator = new FirnAuthenticator({
    users: engine.users,
    grants: engine.grants,
    adminToken: process.env.FIRN_ADMIN_TOKEN || null,
    sessions: new SessionStore({ idleMs: config.sessionIdleSeconds * 1000 }),
  });
  const server = await startHttpServer({
    runner: engine,
    statements: engine.statements,
    asyncAfterMs: config.asyncAfterMs,
    authenticator,
    host: config.host,
    port: config.port,
    tls,
    maxStatementsPerUser: config.maxStatementsPerUser,
    allowedOrigins: config.allowedOrigins,
    stageFiles: { access: engine.stageFiles, maxUploadBytes: config.stageUploadMaxBytes },
    page: { dir: PAGE_DIR },
    notebooks: { store: engine.notebooks },
    log: (line) => console.error(line),
    startingUp: true,
  });
  const admin = await bootstrapAdmin({ users: engine.users, home: config.home, url: server.url, adminPassword: process.env.FIRN_ADMIN_PASSWORD });
  if (admin.created) console.log(`Created user ADMIN (role ACCOUNTADMIN)${admin.credentialsFile ? `; its credentials are in ${admin.credentialsFile} (mode 0600)` : ' with the password in FIRN_ADMIN_PASSWORD'}`);
  else if (admin.credentialsFile) console.log(`Credentials of ADMIN: ${admin.credentialsFile}`);
  // Ready only now: until ADMIN exists, FIRN_ADMIN_TOKEN (ADMIN's) cannot authenticate.
  server.markReady();
  console.log(`Firn listening on ${server.url} (data: ${config.home}, storage: ${config.storageUrl})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(`Firn failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
