import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback-host.js';

describe('isLoopbackHost', () => {
  it('is true for 127.0.0.0/8, ::1 and localhost in any case and form', () => {
    for (const host of ['127.0.0.1', '127.255.0.9', 'localhost', 'LocalHost', '::1', '[::1]', ' 127.0.0.1 ']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('is false for every other address, all interfaces, and look-alikes', () => {
    for (const host of ['0.0.0.0', '::', '', '192.168.1.5', '10.0.0.1', '127.0.0.256', '127.0.0', '127.0.0.1.evil.example', 'localhost.evil.example', 'firn.example', '::ffff:8.8.8.8']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});
