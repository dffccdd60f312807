/**
 * All eight TPC-H tables on disk for the benchmarks and the differential test:
 * <root>/sf<sf>/<table>-NNN.parquet (Firn's micro-partition writer) and <table>-NNN.csv
 * (tpch-csv.ts), one file of each per ~rowsPerFile rows. Lineitem is lineitem-files.ts's file
 * set in the same directory (so the lineitem suite and this one share it); the other seven
 * tables are written here, batch by batch, so memory stays bounded by one file's rows.
 *
 * Contract: ensureTpchFiles(opts) returns the file set for (sf, formats), reusing what is on
 * disk when tpch-manifest.json there names the same generator versions, scale factor, file
 * layout and (at least) the formats asked for, and lineitem's own manifest does likewise;
 * otherwise it deletes the directory's old files of those seven tables and writes them again.
 * Files are written under a temporary name and renamed, and the manifest is written last, so
 * an interrupted run is never reused. Parquet row groups hold PARQUET_ROW_GROUP_ROWS rows.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writePartition } from '../../storage/partition/partition-writer.js';
import { LINEITEM_GENERATOR_VERSION } from './lineitem-generator.js';
import {
  DEFAULT_ROWS_PER_FILE,
  ensureLineitemFiles,
  LineitemFormat,
  lineitemDir,
  PARQUET_ROW_GROUP_ROWS,
  writeAtomically,
  type LineitemFileSet,
} from './lineitem-files.js';
import { csvHeader, encodeCsv } from './tpch-csv.js';
import { tpchBatches } from './tpch-generator.js';
import { TPCH_COLUMNS, TPCH_TABLES, TpchTable } from './tpch-schema.js';

/** Bump whenever a generated value or the layout of a table other than lineitem changes. */
export const TPCH_GENERATOR_VERSION = 1;

const MANIFEST = 'tpch-manifest.json';
const CSV_SLICE_ROWS = 65_536;

type OtherTable = Exclude<TpchTable, 'lineitem'>;
const OTHER_TABLES = TPCH_TABLES.filter((t): t is OtherTable => t !== TpchTable.LINEITEM);

export type TpchManifest = {
  generator: 'firn-tpch';
  version: number;
  /** Orders come from the lineitem generator: its version decides them too. */
  lineitemVersion: number;
  sf: number;
  rowsPerFile: number;
  rowGroupRows: number;
  formats: LineitemFormat[];
  tables: Record<OtherTable, { stem: string; rows: number }[]>;
};

export type TpchTableFiles = { rows: number; parquetFiles: string[]; csvFiles: string[] };

export type TpchFileSet = {
  dir: string;
  sf: number;
  /** True when every table's files were already on disk. */
  reused: boolean;
  tables: Record<TpchTable, TpchTableFiles>;
  lineitem: LineitemFileSet;
};

export type TpchFilesOptions = {
  sf: number;
  /** Parent of the sf<sf> directories (the bench uses bench/data). */
  root: string;
  formats?: LineitemFormat[];
  rowsPerFile?: number;
  log?: (line: string) => void;
};

export async function ensureTpchFiles(opts: TpchFilesOptions): Promise<TpchFileSet> {
  const formats = [...new Set(opts.formats ?? [LineitemFormat.PARQUET, LineitemFormat.CSV])].sort();
  const rowsPerFile = opts.rowsPerFile ?? DEFAULT_ROWS_PER_FILE;
  const log = opts.log ?? (() => {});
  const lineitem = await ensureLineitemFiles({ sf: opts.sf, root: opts.root, formats, rowsPerFile, log });
  const dir = lineitemDir(opts.root, opts.sf);
  const existing = readManifest(dir);
  const reused = existing !== null && reusable(existing, dir, opts.sf, rowsPerFile, formats);
  let manifest: TpchManifest;
  if (existing !== null && reused) {
    manifest = existing;
  } else {
    rmSync(path.join(dir, MANIFEST), { force: true });
    for (const name of readdirSync(dir)) {
      if (OTHER_TABLES.some((t) => name.startsWith(`${t}-`))) rmSync(path.join(dir, name), { force: true });
    }
    manifest = generate(dir, opts.sf, rowsPerFile, formats, log);
    writeFileSync(path.join(dir, `${MANIFEST}.tmp`), `${JSON.stringify(manifest)}\n`);
    renameSync(path.join(dir, `${MANIFEST}.tmp`), path.join(dir, MANIFEST));
  }
  const tables = {} as Record<TpchTable, TpchTableFiles>;
  for (const t of OTHER_TABLES) {
    const files = manifest.tables[t];
    const paths = (fmt: LineitemFormat) => (manifest.formats.includes(fmt) ? files.map((f) => path.join(dir, `${f.stem}.${fmt}`)) : []);
    tables[t] = { rows: files.reduce((n, f) => n + f.rows, 0), parquetFiles: paths(LineitemFormat.PARQUET), csvFiles: paths(LineitemFormat.CSV) };
  }
  tables.lineitem = { rows: lineitem.manifest.rows, parquetFiles: lineitem.parquetFiles, csvFiles: lineitem.csvFiles };
  return { dir, sf: opts.sf, reused: reused && lineitem.reused, tables, lineitem };
}

function generate(dir: string, sf: number, rowsPerFile: number, formats: LineitemFormat[], log: (line: string) => void): TpchManifest {
  mkdirSync(dir, { recursive: true });
  const tables = {} as TpchManifest['tables'];
  for (const table of OTHER_TABLES) {
    const columns = TPCH_COLUMNS[table];
    const files: { stem: string; rows: number }[] = [];
    for (const batch of tpchBatches(table, sf, rowsPerFile)) {
      const stem = `${table}-${String(files.length).padStart(3, '0')}`;
      if (formats.includes(LineitemFormat.PARQUET)) {
        const { bytes } = writePartition(columns, batch, { rowGroupRows: PARQUET_ROW_GROUP_ROWS });
        writeAtomically(path.join(dir, `${stem}.parquet`), (fd) => writeSync(fd, bytes));
      }
      if (formats.includes(LineitemFormat.CSV)) {
        writeAtomically(path.join(dir, `${stem}.csv`), (fd) => {
          writeSync(fd, csvHeader(columns));
          for (let start = 0; start < batch.length; start += CSV_SLICE_ROWS) {
            writeSync(fd, encodeCsv(columns, batch, start, Math.min(batch.length, start + CSV_SLICE_ROWS)));
          }
        });
      }
      files.push({ stem, rows: batch.length });
    }
    tables[table] = files;
    log(`tpch sf${sf}: wrote ${table} (${files.reduce((n, f) => n + f.rows, 0).toLocaleString('en-US')} rows in ${files.length} file(s))`);
  }
  return {
    generator: 'firn-tpch',
    version: TPCH_GENERATOR_VERSION,
    lineitemVersion: LINEITEM_GENERATOR_VERSION,
    sf,
    rowsPerFile,
    rowGroupRows: PARQUET_ROW_GROUP_ROWS,
    formats,
    tables,
  };
}

function readManifest(dir: string): TpchManifest | null {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TpchManifest;
  } catch {
    return null;
  }
}

function reusable(m: TpchManifest, dir: string, sf: number, rowsPerFile: number, formats: LineitemFormat[]): boolean {
  return (
    m.generator === 'firn-tpch' &&
    m.version === TPCH_GENERATOR_VERSION &&
    m.lineitemVersion === LINEITEM_GENERATOR_VERSION &&
    m.sf === sf &&
    m.rowsPerFile === rowsPerFile &&
    m.rowGroupRows === PARQUET_ROW_GROUP_ROWS &&
    formats.every((f) => m.formats.includes(f)) &&
    OTHER_TABLES.every((t) => Array.isArray(m.tables?.[t]) && m.tables[t].every((f) => m.formats.every((fmt) => existsSync(path.join(dir, `${f.stem}.${fmt}`)))))
  );
}
