/**
 * Lineitem on disk for the benchmarks: <root>/sf<sf>/lineitem-NNN.parquet (Firn's own
 * micro-partition writer, storage/partition/partition-writer.ts) and lineitem-NNN.csv
 * (lineitem-csv.ts), one file of each per ~1M rows, generated batch by batch so memory stays
 * bounded by one file's rows.
 *
 * Contract: ensureLineitemFiles(opts) returns the file set for (sf, formats), reusing what is
 * on disk when manifest.json there names the same generator version, scale factor, file
 * layout and (at least) the formats asked for; otherwise it deletes the directory's old
 * lineitem files and writes them again. Files are written under a temporary name and renamed,
 * and manifest.json is written last, so an interrupted run is never reused. The manifest also
 * keeps a per-file, per-day histogram of l_shipdate, so callers know how many rows of each
 * file any date range holds without reading the data (rowsInShipdateRange).
 * Parquet row groups hold 122,880 rows (DuckDB's own row-group size), so DuckDB can scan
 * one file with several threads.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { writePartition } from '../../storage/partition/partition-writer.js';
import type { I32Vector } from '../../storage/types/vector.js';
import { encodeLineitemCsv, lineitemCsvHeader } from './lineitem-csv.js';
import { DBGEN_DAYS, LINEITEM_COLUMNS, LINEITEM_GENERATOR_VERSION, LineitemGenerator, START_DAY } from './lineitem-generator.js';

export const LineitemFormat = { CSV: 'csv', PARQUET: 'parquet' } as const;
export type LineitemFormat = (typeof LineitemFormat)[keyof typeof LineitemFormat];

export const DEFAULT_ROWS_PER_FILE = 1_000_000;
export const PARQUET_ROW_GROUP_ROWS = 122_880;
const CSV_SLICE_ROWS = 65_536;
const MANIFEST = 'manifest.json';
const FILE_PREFIX = 'lineitem-';

export type LineitemManifest = {
  generator: 'firn-lineitem';
  version: number;
  sf: number;
  rows: number;
  rowsPerFile: number;
  rowGroupRows: number;
  formats: LineitemFormat[];
  /**
   * File stems (lineitem-000, ...; each exists once per format) with their row counts and
   * their rows per l_shipdate day: shipdateCounts[i] rows ship on day shipdateFirstDay + i.
   */
  files: { stem: string; rows: number; shipdateCounts: number[] }[];
  /** Days since 1970-01-01 of shipdateCounts[0]. */
  shipdateFirstDay: number;
};

export type LineitemFileSet = {
  dir: string;
  manifest: LineitemManifest;
  reused: boolean;
  /** Absolute paths, in file order. */
  parquetFiles: string[];
  csvFiles: string[];
};

export type LineitemFilesOptions = {
  sf: number;
  /** Parent of the sf<sf> directories (the bench uses bench/data). */
  root: string;
  formats?: LineitemFormat[];
  rowsPerFile?: number;
  log?: (line: string) => void;
};

export function lineitemDir(root: string, sf: number): string {
  return path.join(root, `sf${sf}`);
}

export async function ensureLineitemFiles(opts: LineitemFilesOptions): Promise<LineitemFileSet> {
  const formats = [...new Set(opts.formats ?? [LineitemFormat.PARQUET, LineitemFormat.CSV])].sort();
  const rowsPerFile = opts.rowsPerFile ?? DEFAULT_ROWS_PER_FILE;
  const dir = lineitemDir(opts.root, opts.sf);
  const existing = readManifest(dir);
  if (existing && reusable(existing, dir, opts.sf, rowsPerFile, formats)) {
    return fileSet(dir, existing, true);
  }
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (name === MANIFEST || name.startsWith(FILE_PREFIX)) rmSync(path.join(dir, name), { force: true });
  }
  const manifest = generate(dir, opts.sf, rowsPerFile, formats, opts.log ?? (() => {}));
  writeFileSync(path.join(dir, `${MANIFEST}.tmp`), `${JSON.stringify(manifest)}\n`);
  renameSync(path.join(dir, `${MANIFEST}.tmp`), path.join(dir, MANIFEST));
  return fileSet(dir, manifest, false);
}

/** Rows of each file whose l_shipdate lies in [fromDay, toDay] (days since 1970-01-01, both inclusive). */
export function rowsInShipdateRange(manifest: LineitemManifest, fromDay: number, toDay: number): number[] {
  const first = manifest.shipdateFirstDay;
  return manifest.files.map(({ shipdateCounts }) => {
    let rows = 0;
    for (let d = Math.max(fromDay, first); d <= toDay && d - first < shipdateCounts.length; d++) rows += shipdateCounts[d - first];
    return rows;
  });
}

function generate(dir: string, sf: number, rowsPerFile: number, formats: LineitemFormat[], log: (line: string) => void): LineitemManifest {
  const gen = new LineitemGenerator(sf);
  const files: LineitemManifest['files'] = [];
  for (let batch = gen.nextBatch(rowsPerFile); batch !== null; batch = gen.nextBatch(rowsPerFile)) {
    const stem = `${FILE_PREFIX}${String(files.length).padStart(3, '0')}`;
    if (formats.includes(LineitemFormat.PARQUET)) {
      const { bytes } = writePartition(LINEITEM_COLUMNS, batch, { rowGroupRows: PARQUET_ROW_GROUP_ROWS });
      writeAtomically(path.join(dir, `${stem}.parquet`), (fd) => writeSync(fd, bytes));
    }
    if (formats.includes(LineitemFormat.CSV)) {
      const b = batch;
      writeAtomically(path.join(dir, `${stem}.csv`), (fd) => {
        writeSync(fd, lineitemCsvHeader());
        for (let start = 0; start < b.length; start += CSV_SLICE_ROWS) {
          writeSync(fd, encodeLineitemCsv(b, start, Math.min(b.length, start + CSV_SLICE_ROWS)));
        }
      });
    }
    // Every shipdate lies in [1992-01-02, 1998-12-01]: a histogram over dbgen's 7 years holds them all.
    const perDay = new Float64Array(DBGEN_DAYS);
    const ship = (batch.columns[10] as I32Vector).values;
    for (let i = 0; i < ship.length; i++) perDay[ship[i] - START_DAY]++;
    files.push({ stem, rows: batch.length, shipdateCounts: Array.from(perDay) });
    log(`lineitem sf${sf}: wrote ${stem} (${gen.rowsGenerated.toLocaleString('en-US')} rows so far)`);
  }
  return {
    generator: 'firn-lineitem',
    version: LINEITEM_GENERATOR_VERSION,
    sf,
    rows: gen.rowsGenerated,
    rowsPerFile,
    rowGroupRows: PARQUET_ROW_GROUP_ROWS,
    formats,
    files,
    shipdateFirstDay: START_DAY,
  };
}

/** Writes `file` through a temporary name and a rename, so a reader never sees half a file. */
export function writeAtomically(file: string, write: (fd: number) => void): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    write(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function readManifest(dir: string): LineitemManifest | null {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LineitemManifest;
  } catch {
    return null;
  }
}

function reusable(m: LineitemManifest, dir: string, sf: number, rowsPerFile: number, formats: LineitemFormat[]): boolean {
  return (
    m.generator === 'firn-lineitem' &&
    m.version === LINEITEM_GENERATOR_VERSION &&
    m.sf === sf &&
    m.rowsPerFile === rowsPerFile &&
    m.rowGroupRows === PARQUET_ROW_GROUP_ROWS &&
    formats.every((f) => m.formats.includes(f)) &&
    m.files.every((f) => m.formats.every((fmt) => existsSync(path.join(dir, `${f.stem}.${fmt}`))))
  );
}

function fileSet(dir: string, manifest: LineitemManifest, reused: boolean): LineitemFileSet {
  const paths = (fmt: LineitemFormat) => (manifest.formats.includes(fmt) ? manifest.files.map((f) => path.join(dir, `${f.stem}.${fmt}`)) : []);
  return { dir, manifest, reused, parquetFiles: paths(LineitemFormat.PARQUET), csvFiles: paths(LineitemFormat.CSV) };
}
