/**
 * The one line of text the CLI shows on a terminal while a statement runs: how long it has
 * run and what it has done so far, from the server's progress (a statement's `stats` while
 * polling) or, for PUT and GET, from the client's own count of files and bytes transferred.
 *
 * Contract: pure functions of their input; the text is one line (no newline), short enough
 * for an 80-column terminal in the usual cases. Sizes are in bytes, KB, MB, GB or TB (1024
 * apart); counts are grouped by thousands; elapsed time is in seconds with one decimal
 * (minutes and seconds from a minute on).
 */
import type { StatementProgress } from '../statements/statement-store.js';

/** What a PUT has uploaded, or a GET downloaded, so far. */
export type TransferProgress = { kind: 'put' | 'get'; elapsedMs: number; filesDone: number; filesTotal: number; bytes: number };

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(n: number): string {
  let v = n;
  let unit = 0;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${v.toFixed(1)} ${UNITS[unit]}`;
}

export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatElapsed(ms: number): string {
  const tenths = Math.floor(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** e.g. "Running 3.2 s · 1,204 rows · 45.6 MB scanned · partitions 12/40", and for a COPY "… · files 3/8 · 600,000 rows loaded". */
export function formatStatementProgress(p: StatementProgress): string {
  const parts = [`Running ${formatElapsed(p.elapsedMs)}`, `${formatCount(p.rowsProduced)} ${p.rowsProduced === 1 ? 'row' : 'rows'}`, `${formatBytes(p.bytesScanned)} scanned`];
  if (p.partitionsTotal > 0) parts.push(`partitions ${formatCount(p.partitionsScanned)}/${formatCount(p.partitionsTotal)}`);
  // A COPY INTO: files loaded of those to load, and their rows.
  if (p.filesTotal > 0) parts.push(`files ${formatCount(p.filesDone)}/${formatCount(p.filesTotal)}`, `${formatCount(p.rowsLoaded)} ${p.rowsLoaded === 1 ? 'row' : 'rows'} loaded`);
  return parts.join(' · ');
}

/** e.g. "PUT 1.5 s · 3/10 files · 12.3 MB uploaded", "GET 0.2 s · 1/2 files · 10 bytes downloaded". */
export function formatTransferProgress(p: TransferProgress): string {
  const done = p.kind === 'put' ? 'uploaded' : 'downloaded';
  return `${p.kind.toUpperCase()} ${formatElapsed(p.elapsedMs)} · ${formatCount(p.filesDone)}/${formatCount(p.filesTotal)} files · ${formatBytes(p.bytes)} ${done}`;
}
