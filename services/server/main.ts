/**
 * The Firn server process (`npm start`): reads the configuration from the environment,
 * opens the engine on the embedded defaults (or FIRN_STORAGE_URL), serves the HTTP API on
 * 127.0.0.1:${FIRN_PORT:-8080}, and shuts down cleanly on SIGINT/SIGTERM.
 *
 * First of all it lowers the OS priority of the process's helper threads (V8's garbage
 * collection and compilation threads, libuv's pool), as the warehouse workers lower their
 * own: this thread, the services, then wins a core at once while queries keep the others
 * busy (thread-priority.ts).
 */
import { loadConfig } from '../config.js';
import { FirnEngine } from '../session/firn-engine.js';
import { startHttpServer } from './http-server.js';
import { lowerOtherThreads } from '../../warehouse/pool/thread-priority.js';

async function main(): Promise<void> {
  lowerOtherThreads();
  const config = loadConfig();
  const engine = await FirnEngine.open(config);
  const server = await startHttpServer({
    runner: engine,
    host: config.host,
    port: config.port,
    allowedOrigins: config.allowedOrigins,
    stageFiles: { access: engine.stageFiles, maxUploadBytes: config.stageUploadMaxBytes },
    log: (line) => console.error(line),
  });
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
