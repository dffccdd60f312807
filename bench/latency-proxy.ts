/**
 * A loopback TCP proxy that adds a fixed latency to every request, for benchmarks that need an
 * object store as far away as a real one (the elastic suite's cold runs put it in front of
 * s3rver with 20 ms). Each chunk a client sends reaches the server `delayMs` later; chunks keep
 * their order (timers of one delay fire in order), so a request is delayed once, not once per
 * chunk, and answers flow back undelayed. Fault injection for benchmarks only.
 *
 * Contract: `startLatencyProxy(target, delayMs)` listens on 127.0.0.1 with a free port and
 * resolves with its `endpoint` (http://127.0.0.1:<port>); `close()` ends every connection.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export type LatencyProxy = { endpoint: string; close(): Promise<void> };

export async function startLatencyProxy(target: string, delayMs: number): Promise<LatencyProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port) });
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      setTimeout(() => {
        if (!upstream.destroyed) upstream.write(chunk);
      }, delayMs);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', () => setTimeout(end, delayMs));
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('latency proxy: no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
