import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatElapsed, formatStatementProgress, formatTransferProgress } from './format-progress.js';

describe('progress text', () => {
  it('formats sizes, counts and elapsed time', () => {
    expect([0, 1023, 1024, 1536, 5 * 1024 * 1024, 3 * 1024 ** 4, 2048 * 1024 ** 4].map(formatBytes)).toEqual(['0 bytes', '1023 bytes', '1.0 KB', '1.5 KB', '5.0 MB', '3.0 TB', '2048.0 TB']);
    expect([0, 999, 1000, 1234567, 12345678901].map(formatCount)).toEqual(['0', '999', '1,000', '1,234,567', '12,345,678,901']);
    expect([0, 49, 1250, 59_999, 60_000, 61_500, 3_725_000].map(formatElapsed)).toEqual(['0.0 s', '0.0 s', '1.2 s', '59.9 s', '1 min 00 s', '1 min 01 s', '62 min 05 s']);
  });

  it("shows a statement's elapsed time, rows, bytes and partitions", () => {
    expect(formatStatementProgress({ elapsedMs: 3250, rowsProduced: 1204, bytesScanned: 47_815_065, partitionsScanned: 12, partitionsTotal: 40, filesTotal: 0, filesDone: 0, rowsLoaded: 0 })).toBe(
      'Running 3.2 s · 1,204 rows · 45.6 MB scanned · partitions 12/40',
    );
    expect(formatStatementProgress({ elapsedMs: 12, rowsProduced: 1, bytesScanned: 0, partitionsScanned: 0, partitionsTotal: 0, filesTotal: 0, filesDone: 0, rowsLoaded: 0 })).toBe('Running 0.0 s · 1 row · 0 bytes scanned');
  });

  it("shows a COPY's files loaded of those to load, and the rows they loaded", () => {
    expect(formatStatementProgress({ elapsedMs: 4100, rowsProduced: 0, bytesScanned: 0, partitionsScanned: 0, partitionsTotal: 0, filesTotal: 8, filesDone: 3, rowsLoaded: 600_000 })).toBe(
      'Running 4.1 s · 0 rows · 0 bytes scanned · files 3/8 · 600,000 rows loaded',
    );
  });

  it("shows a PUT's or GET's files done of the total and bytes transferred", () => {
    expect(formatTransferProgress({ kind: 'put', elapsedMs: 1500, filesDone: 3, filesTotal: 10, bytes: 12_897_485 })).toBe('PUT 1.5 s · 3/10 files · 12.3 MB uploaded');
    expect(formatTransferProgress({ kind: 'get', elapsedMs: 200, filesDone: 1, filesTotal: 2, bytes: 10 })).toBe('GET 0.2 s · 1/2 files · 10 bytes downloaded');
  });
});
