import { statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultSpillBytes, loadConfig, MAX_DEFAULT_SPILL_BYTES } from './config.js';

describe('loadConfig', () => {
  it('reads FIRN_ALLOWED_ORIGINS as normalized origins, none by default', () => {
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    expect(loadConfig({ FIRN_ALLOWED_ORIGINS: ' https://App.Example.com/ ,,http://localhost:3000, https://x.example:443' }).allowedOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
      'https://x.example',
    ]);
  });

  it('refuses FIRN_ALLOWED_ORIGINS entries that are not bare http(s) origins', () => {
    for (const bad of ['*', 'app.example.com', 'ftp://x.example', 'https://x.example/path', 'https://u:p@x.example', 'https://x.example?q=1', 'null']) {
      expect(() => loadConfig({ FIRN_ALLOWED_ORIGINS: bad }), bad).toThrow(/FIRN_ALLOWED_ORIGINS must list origins/);
    }
  });

  it('reads FIRN_TLS_CERT and FIRN_TLS_KEY as paths resolved against the working directory, none by default', () => {
    const none = loadConfig({});
    expect([none.tlsCertPath, none.tlsKeyPath]).toEqual([null, null]);
    const set = loadConfig({ FIRN_TLS_CERT: 'certs/firn.pem', FIRN_TLS_KEY: ' /etc/firn/key.pem ' });
    expect([set.tlsCertPath, set.tlsKeyPath]).toEqual([path.resolve('certs/firn.pem'), '/etc/firn/key.pem']);
    expect(loadConfig({ FIRN_TLS_CERT: '' }).tlsCertPath).toBe(null);
  });

  it('reads FIRN_ALLOW_INSECURE_BIND as 1 or 0, 0 by default', () => {
    expect(loadConfig({}).allowInsecureBind).toBe(false);
    expect(loadConfig({ FIRN_ALLOW_INSECURE_BIND: '0' }).allowInsecureBind).toBe(false);
    expect(loadConfig({ FIRN_ALLOW_INSECURE_BIND: '1' }).allowInsecureBind).toBe(true);
    for (const bad of ['yes', 'true', '2']) {
      expect(() => loadConfig({ FIRN_ALLOW_INSECURE_BIND: bad }), bad).toThrow(`FIRN_ALLOW_INSECURE_BIND must be 1 or 0, got '${bad}'`);
    }
  });

  it('reads FIRN_MAX_STATEMENTS_PER_USER, 64 by default, at least 1', () => {
    expect(loadConfig({}).maxStatementsPerUser).toBe(256);
    expect(loadConfig({ FIRN_MAX_STATEMENTS_PER_USER: '3' }).maxStatementsPerUser).toBe(3);
    for (const bad of ['0', '-2', '1.5', 'many']) {
      expect(() => loadConfig({ FIRN_MAX_STATEMENTS_PER_USER: bad }), bad).toThrow(`FIRN_MAX_STATEMENTS_PER_USER must be a positive integer, got '${bad}'`);
    }
  });

  it('reads FIRN_QUERY_SPILL_BYTES; by default 10% of the free disk under FIRN_HOME, at most 32 GiB', () => {
    expect(loadConfig({ FIRN_QUERY_SPILL_BYTES: '12345' }).querySpillBytes).toBe(12345);
    const free = statfsSync(os.tmpdir());
    const tenth = Math.floor(Number(free.bavail) * Number(free.bsize) * 0.1);
    // A home that does not exist yet is measured on its nearest existing directory.
    const fallback = defaultSpillBytes(path.join(os.tmpdir(), 'no-such-firn-home', 'deeper'));
    expect(fallback).toBeLessThanOrEqual(MAX_DEFAULT_SPILL_BYTES);
    expect(Math.abs(fallback - Math.min(MAX_DEFAULT_SPILL_BYTES, tenth))).toBeLessThan(2 ** 30);
    expect(() => loadConfig({ FIRN_QUERY_SPILL_BYTES: '-1' })).toThrow(/FIRN_QUERY_SPILL_BYTES must be a non-negative integer/);
  });

  it('reads FIRN_GC_INTERVAL_SECONDS and FIRN_GC_GRACE_SECONDS, 300 s and 3600 s by default', () => {
    const defaults = loadConfig({});
    expect([defaults.gcIntervalSeconds, defaults.gcGraceSeconds]).toEqual([300, 3600]);
    const set = loadConfig({ FIRN_GC_INTERVAL_SECONDS: '0', FIRN_GC_GRACE_SECONDS: '60' });
    expect([set.gcIntervalSeconds, set.gcGraceSeconds]).toEqual([0, 60]);
    for (const name of ['FIRN_GC_INTERVAL_SECONDS', 'FIRN_GC_GRACE_SECONDS']) {
      expect(() => loadConfig({ [name]: '1.5' })).toThrow(new RegExp(`${name} must be a non-negative integer`));
      expect(() => loadConfig({ [name]: '-1' })).toThrow(new RegExp(`${name} must be a non-negative integer`));
    }
  });

  it('reads FIRN_COMPACT_INTERVAL_SECONDS, 60 by default, 0 turns compaction off', () => {
    expect(loadConfig({}).compactIntervalSeconds).toBe(60);
    expect(loadConfig({ FIRN_COMPACT_INTERVAL_SECONDS: '0' }).compactIntervalSeconds).toBe(0);
    expect(() => loadConfig({ FIRN_COMPACT_INTERVAL_SECONDS: '-1' })).toThrow(/FIRN_COMPACT_INTERVAL_SECONDS must be a non-negative integer/);
  });

  it('reads FIRN_RESULT_CACHE_BYTES (256 MiB by default, 0: off) and FIRN_RESULT_CACHE_MAX_RESULT_BYTES (16 MiB)', () => {
    expect([loadConfig({}).resultCacheBytes, loadConfig({}).resultCacheMaxResultBytes]).toEqual([268_435_456, 16_777_216]);
    const set = loadConfig({ FIRN_RESULT_CACHE_BYTES: '0', FIRN_RESULT_CACHE_MAX_RESULT_BYTES: '1024' });
    expect([set.resultCacheBytes, set.resultCacheMaxResultBytes]).toEqual([0, 1024]);
    expect(() => loadConfig({ FIRN_RESULT_CACHE_BYTES: '-1' })).toThrow(/FIRN_RESULT_CACHE_BYTES must be a non-negative integer/);
  });

  it('reads FIRN_QUERY_MEMORY_BYTES (25% of RAM) and FIRN_TOTAL_QUERY_MEMORY_BYTES (half of RAM, at least twice the first)', () => {
    const total = os.totalmem();
    expect([loadConfig({}).queryMemoryBytes, loadConfig({}).totalQueryMemoryBytes]).toEqual([Math.floor(total * 0.25), Math.floor(total * 0.5)]);
    expect(loadConfig({ FIRN_QUERY_MEMORY_BYTES: String(total) }).totalQueryMemoryBytes).toBe(2 * total);
    expect(loadConfig({ FIRN_TOTAL_QUERY_MEMORY_BYTES: '1073741824' }).totalQueryMemoryBytes).toBe(1073741824);
  });

  it('reads FIRN_DML_RETRIES, 3 by default', () => {
    expect(loadConfig({}).dmlRetries).toBe(3);
    expect(loadConfig({ FIRN_DML_RETRIES: '0' }).dmlRetries).toBe(0);
    expect(() => loadConfig({ FIRN_DML_RETRIES: 'x' })).toThrow(/FIRN_DML_RETRIES must be a non-negative integer/);
  });

  it('reads FIRN_FORCE_REPARTITION as on or off, off by default', () => {
    expect(loadConfig({}).forceRepartition).toBe(false);
    expect(loadConfig({ FIRN_FORCE_REPARTITION: 'on' }).forceRepartition).toBe(true);
    expect(loadConfig({ FIRN_FORCE_REPARTITION: 'OFF' }).forceRepartition).toBe(false);
    expect(() => loadConfig({ FIRN_FORCE_REPARTITION: 'yes' })).toThrow(/FIRN_FORCE_REPARTITION must be on or off/);
  });

  it('reads FIRN_DATA_RETENTION_DAYS, 1 day by default, 0 allowed', () => {
    expect(loadConfig({}).dataRetentionDays).toBe(1);
    expect(loadConfig({ FIRN_DATA_RETENTION_DAYS: '0' }).dataRetentionDays).toBe(0);
    expect(loadConfig({ FIRN_DATA_RETENTION_DAYS: '90' }).dataRetentionDays).toBe(90);
    expect(() => loadConfig({ FIRN_DATA_RETENTION_DAYS: '1.5' })).toThrow(/FIRN_DATA_RETENTION_DAYS must be a non-negative integer/);
  });

  it('puts the default object store under FIRN_HOME', () => {
    const home = path.resolve('some-home');
    expect(loadConfig({ FIRN_HOME: home }).storageUrl).toBe(pathToFileURL(path.join(home, 'data')).href);
  });
});
