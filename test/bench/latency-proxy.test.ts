import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLatencyProxy, type LatencyProxy } from '../../bench/latency-proxy.js';

describe('latency proxy', () => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString('base64').length}`));
  });
  let proxy: LatencyProxy;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = await startLatencyProxy(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 50);
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes requests and large bodies through unchanged, each delayed by the injected latency', async () => {
    const body = Buffer.alloc(3 << 20, 7);
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const res = await fetch(`${proxy.endpoint}/k${i}?x=1`, { method: 'PUT', body });
      expect(await res.text()).toBe(`PUT /k${i}?x=1 ${body.toString('base64').length}`);
      // The injected delay is a lower bound by construction (a property of the proxy, not a speed).
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    }
  });
});
