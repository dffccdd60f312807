/**
 * A real S3-protocol server for tests: s3rver on 127.0.0.1 with a random port, a fresh temp
 * directory, silent logging and one bucket already created. `env` holds the variables a Firn
 * process (or S3ObjectStore / openObjectStore) needs to use it; `stop` stops the server and
 * removes its directory. Nothing here talks to anything but loopback.
 *
 * s3rver runs in a child Node process started with --openssl-legacy-provider: it encrypts its
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17+) only has in the legacy
 * provider, so in-process every truncated listing would fail with a 500. The child reports its
 * port over IPC and exits by itself if the test process goes away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type S3rverHandle = {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. */
  env: Record<string, string>;
  stop(): Promise<void>;
};

/** s3rver's default credentials; it checks signatures made with them. */
const ACCESS_KEY = 'S3RVER';
const START_TIMEOUT_MS = 30_000;

/** Runs in the child: argv[1] is the s3rver module path, argv[2] its options as JSON. */
const CHILD_SCRIPT = `
const S3rver = require(process.argv[1]);
const server = new S3rver(JSON.parse(process.argv[2]));
process.on('disconnect', () => process.exit(0));
server.run().then(
  (address) => process.send({ port: address.port }),
  (err) => { console.error(err && err.stack || String(err)); process.exit(1); },
);
`;

export async function startS3rver(bucket = 'firn-test'): Promise<S3rverHandle> {
  const directory = await mkdtemp(join(tmpdir(), 'firn-s3rver-'));
  const modulePath = createRequire(import.meta.url).resolve('s3rver');
  const options = {
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: false,
    configureBuckets: [{ name: bucket }],
  };
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD_SCRIPT, modulePath, JSON.stringify(options)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let port: number;
  try {
    port = await waitForPort(child);
  } catch (err) {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  // A test that forgets stop() must not keep its process alive; the child then exits on disconnect.
  child.unref();
  child.channel?.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    bucket,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: ACCESS_KEY,
    },
    stop() {
      stopping ??= (async () => {
        await stopChild(child);
        await rm(directory, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => fail(new Error(`s3rver did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(new Error(`s3rver exited with code ${code} before starting: ${stderr.trim()}`));
    function fail(err: Error): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(err);
    }
    child.once('exit', onExit);
    child.once('error', fail);
    child.once('message', (msg: unknown) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      const port = (msg as { port?: unknown } | null)?.port;
      if (typeof port === 'number') resolve(port);
      else reject(new Error(`s3rver sent an unexpected start message: ${JSON.stringify(msg)}`));
    });
  });
}

/** Stops the child we started (by its own handle) and waits until it has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
