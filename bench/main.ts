/**
 * `npm run bench -- [suite] [--sf 0.1] [--out file.json] [--runs 3] [--sections ...]`: runs one benchmark suite
 * (default lineitem), Firn side by side with DuckDB, prints the table and optionally writes
 * the JSON report. Exit code 1 when the run failed or the engines disagreed on an answer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from './bench-args.js';
import { formatReport, reportJson } from './report.js';
import { SUITES } from './suites/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '..', '..') : path.resolve(here, '..');

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2), SUITES.map((s) => s.name));
  const suite = SUITES.find((s) => s.name === args.suite)!;
  const started = Date.now();
  const log = (line: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
  log(`suite ${suite.name}: ${suite.description}`);
  const report = await suite.run({ sf: args.sf, runs: args.runs, sections: args.sections, root, log });
  console.log(formatReport(report));
  if (args.out) {
    mkdirSync(path.dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(reportJson(report), null, 2)}\n`);
    log(`wrote ${args.out}`);
  }
  return report.anyDifferent || report.queries.some((q) => q.check === 'DIFFERENT') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
