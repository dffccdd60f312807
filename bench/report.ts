/**
 * A suite's report as the table the bench prints and as the JSON `--out` writes.
 *
 * Contract: formatReport(report) is the text table (name | firn ms | duckdb ms | ratio |
 * partitions scanned/total | result | cold runs), then load times, Firn's peak RSS and the
 * suite's notes, then each further section (title, table, notes); a wrong answer shows as
 * 'DIFFERENT !!!'. reportJson(report) is
 * {"queries": [{"name", "firnMs", "duckdbMs", "ratio", "partitionsScanned",
 * "partitionsTotal"}, ...], "load": {"firnMs", "duckdbMs"}, "meta": {...}, "sections": {title:
 * json}} with times in ms
 * rounded to 0.1 and ratios to 0.001; null where an engine failed.
 */
import type { SuiteReport } from './suite.js';
import { formatTable } from './text-table.js';

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));
const ms = (v: number | null) => (v === null ? 'error' : v.toFixed(1));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export function reportJson(r: SuiteReport): object {
  return {
    queries: r.queries.map((q) => ({
      name: q.name,
      firnMs: round(q.firnMs, 1),
      duckdbMs: round(q.duckdbMs, 1),
      ratio: round(q.ratio, 3),
      partitionsScanned: q.partitionsScanned,
      partitionsTotal: q.partitionsTotal,
    })),
    load: { firnMs: round(r.load.firnMs, 1), duckdbMs: round(r.load.duckdbMs, 1) },
    meta: {
      suite: r.suite,
      sf: r.sf,
      rows: r.rows,
      warmRuns: r.runs,
      firnPeakRssBytes: r.firnPeakRssBytes,
      checks: Object.fromEntries(r.queries.map((q) => [q.name, q.check])),
    },
    sections: Object.fromEntries(r.sections.map((s) => [s.title, s.json])),
  };
}

export function formatReport(r: SuiteReport): string {
  const header = ['name', 'firn ms', 'duckdb ms', 'ratio', 'partitions scanned/total', 'result', 'cold firn/duckdb ms'];
  const rows = r.queries.map((q) => [
    q.name,
    ms(q.firnMs),
    ms(q.duckdbMs),
    q.ratio === null ? '-' : q.ratio.toFixed(2),
    q.partitionsScanned === null ? '-' : `${q.partitionsScanned}/${q.partitionsTotal}`,
    q.check === 'DIFFERENT' ? 'DIFFERENT !!!' : q.check,
    `${ms(q.firnColdMs)} / ${ms(q.duckdbColdMs)}`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ');
  const out = [
    `${r.suite} suite, SF ${r.sf} (${r.rows.toLocaleString('en-US')} ${r.rowsLabel ?? 'lineitem rows'}): median of ${r.runs} warm run(s) after 1 first run`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    '',
    `load: firn ${ms(r.load.firnMs)} ms | duckdb ${ms(r.load.duckdbMs)} ms | ratio ${
      r.load.firnMs !== null && r.load.duckdbMs ? (r.load.firnMs / r.load.duckdbMs).toFixed(2) : '-'
    }`,
    `firn server peak RSS (VmHWM): ${r.firnPeakRssBytes === null ? 'unknown' : mb(r.firnPeakRssBytes)}`,
  ];
  const problems = r.queries.filter((q) => q.check !== 'same');
  for (const q of problems) out.push(`${q.check === 'DIFFERENT' ? '!!! ' : ''}${q.name}: ${q.check}${q.detail ? ` (${q.detail})` : ''}`);
  for (const n of r.notes) out.push(n);
  for (const s of r.sections) out.push('', `== ${s.title}`, formatTable(s.header, s.rows), ...s.notes);
  return out.join('\n');
}
