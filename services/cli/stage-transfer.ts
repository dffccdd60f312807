/**
 * PUT and GET, run by the client as with Snowflake: `PUT file://<local path or glob>
 * @stage[/path] [AUTO_COMPRESS = TRUE | FALSE] [OVERWRITE = TRUE | FALSE] [PARALLEL = n]` and
 * `GET @stage[/path] file://<local dir> [PATTERN = '<regex>'] [PARALLEL = n]`, typed in
 * `firn sql` or the shell, or as `firn put <path> @stage` / `firn get @stage <dir>`.
 *
 * Contract:
 * - parseTransferStatement(sql) answers null for any other statement, else the command; a
 *   malformed PUT or GET is a SqlSyntaxError (printed like the server's).
 * - PUT expands a glob in the file name (`*`, `?`, `[...]`; the directory is literal), and
 *   uploads each matching file to `@stage/path/<name>` through FirnClient.uploadStageFile.
 *   With AUTO_COMPRESS (the default) a file that is not compressed already is gzipped on
 *   the way (its name gains .gz); a file already gzip, bzip2, zstd or Parquet (by its first
 *   bytes) is sent as it is, as Snowflake's PUT does. OVERWRITE = FALSE (the default) leaves
 *   an existing stage file alone (SKIPPED). Rows: source, target, source_size, target_size,
 *   source_compression, target_compression, status, message.
 * - GET lists the location (LIST through the server), then downloads each file into the
 *   local directory (created if missing) under its path relative to the location's folder,
 *   never outside that directory. Rows: file, size, status, message.
 * - The first failure ends the command with that failure; files done before it stay done.
 * - Watching (TransferWatch): PUT and GET report their progress (files done of the total,
 *   bytes sent after compression or received) to onProgress at first, at most every
 *   PROGRESS_EVERY_MS while bytes flow, and as each file is done;
 *   when `signal` fires, no further file starts, uploads in flight are dropped, and the PUT or
 *   GET fails with CANCELED (000604 "SQL execution canceled", as a canceled statement).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { ErrorCodes, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { compileGlob } from '../../storage/object-store/source-url.js';
import type { SessionContext } from '../session/statement-result.js';
import { normalizeStagePath } from '../stage/stage-path.js';
import type { FirnClient, TransferOutcome } from './firn-client.js';
import type { TransferProgress } from './format-progress.js';
import { localColumn, type RowsView } from './rows-view.js';

export type TransferCommand =
  | { kind: 'put'; source: string; location: string; autoCompress: boolean; overwrite: boolean; parallel: number }
  | { kind: 'get'; location: string; targetDir: string; pattern: string | null; parallel: number };

/** How a caller watches a PUT or GET. */
export type TransferWatch = { onProgress?: (progress: TransferProgress) => void; signal?: AbortSignal };

const DEFAULT_PARALLEL = 4;
/** PUT's progress is reported at most this often while bytes flow. */
const PROGRESS_EVERY_MS = 100;
const MAX_PARALLEL = 99;

/** Splits a client statement into words: '…' strings (with '' for a quote), '=' and runs of other characters. */
function words(sql: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new SqlSyntaxError('unterminated string in the statement');
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j];
        j++;
      }
      out.push({ text, quoted: true });
      i = j + 1;
    } else if (ch === '=') {
      out.push({ text: '=', quoted: false });
      i++;
    } else {
      let j = i;
      while (j < sql.length && !/\s/.test(sql[j]) && sql[j] !== '=') j++;
      out.push({ text: sql.slice(i, j), quoted: false });
      i = j;
    }
  }
  return out;
}

export function parseTransferStatement(sql: string): TransferCommand | null {
  const first = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  if (first !== 'PUT' && first !== 'GET') return null;
  const w = words(sql.trim()).slice(1);
  const localArg = (i: number): string => {
    const t = w[i];
    if (!t || !/^file:\/\//i.test(t.text)) throw new SqlSyntaxError(`${first} needs a local location written file://<path>${t ? `, got '${t.text.slice(0, 100)}'` : ''}`);
    const p = t.text.slice('file://'.length);
    if (p === '') throw new SqlSyntaxError(`${first}: the local path after file:// is empty`);
    return path.resolve(p);
  };
  const stageArg = (i: number): string => {
    const t = w[i];
    if (!t || !t.text.startsWith('@')) throw new SqlSyntaxError(`${first} needs a stage location such as @mystage/path${t ? `, got '${t.text.slice(0, 100)}'` : ''}`);
    return t.text;
  };
  const options = new Map<string, string>();
  for (let i = 2; i < w.length; i += 3) {
    const name = w[i].text.toUpperCase();
    if (w[i + 1]?.text !== '=' || w[i + 2] === undefined) throw new SqlSyntaxError(`${first}: option ${w[i].text.slice(0, 100)} needs '= value'`);
    options.set(name, w[i + 2].text);
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const v = options.get(name);
    if (v === undefined) return fallback;
    if (!/^(TRUE|FALSE)$/i.test(v)) throw new SqlSyntaxError(`${first}: ${name} must be TRUE or FALSE`);
    return v.toUpperCase() === 'TRUE';
  };
  const parallelOption = (): number => {
    const v = options.get('PARALLEL');
    if (v === undefined) return DEFAULT_PARALLEL;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARALLEL) throw new SqlSyntaxError(`${first}: PARALLEL must be an integer from 1 to ${MAX_PARALLEL}`);
    return n;
  };
  const known = first === 'PUT' ? ['AUTO_COMPRESS', 'OVERWRITE', 'PARALLEL', 'SOURCE_COMPRESSION'] : ['PATTERN', 'PARALLEL'];
  for (const name of options.keys()) if (!known.includes(name)) throw new SqlSyntaxError(`${first}: unknown option ${name.slice(0, 100)}`);
  if (first === 'PUT') {
    const source = options.get('SOURCE_COMPRESSION');
    if (source !== undefined && source.toUpperCase() !== 'AUTO_DETECT') throw new SqlSyntaxError('PUT: only SOURCE_COMPRESSION = AUTO_DETECT is supported');
    return { kind: 'put', source: localArg(0), location: stageArg(1), autoCompress: bool('AUTO_COMPRESS', true), overwrite: bool('OVERWRITE', false), parallel: parallelOption() };
  }
  return { kind: 'get', location: stageArg(0), targetDir: localArg(1), pattern: options.get('PATTERN') ?? null, parallel: parallelOption() };
}

export async function runTransfer(client: FirnClient, cmd: TransferCommand, context: SessionContext, watch: TransferWatch = {}): Promise<TransferOutcome<RowsView>> {
  const done = cmd.kind === 'put' ? await runPut(client, cmd, context, watch) : await runGet(client, cmd, context, watch);
  return watch.signal?.aborted && done.kind !== 'ok' ? canceled() : done;
}

function canceled(): TransferOutcome<never> {
  return { kind: 'failed', status: 0, code: ErrorCodes.CANCELED.code, sqlState: ErrorCodes.CANCELED.sqlState, message: 'SQL execution canceled' };
}

const COMPRESSED = { GZIP: [0x1f, 0x8b], BZIP2: [0x42, 0x5a, 0x68], ZSTD: [0x28, 0xb5, 0x2f, 0xfd], PARQUET: [0x50, 0x41, 0x52, 0x31] } as const;

/** The compression a file's first bytes show, as Snowflake's PUT names it; NONE for plain files. */
async function sourceCompression(file: string): Promise<string> {
  const h = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await h.read(head, 0, 4, 0);
    for (const [name, magic] of Object.entries(COMPRESSED)) if (bytesRead >= magic.length && magic.every((b, i) => head[i] === b)) return name;
    return 'NONE';
  } finally {
    await h.close();
  }
}

/** The local files a PUT source names: one file, or the files of its directory its name's glob matches. */
async function localFiles(source: string): Promise<string[]> {
  const dir = path.dirname(source);
  const glob = compileGlob(path.basename(source));
  if (!glob.hasGlob) {
    const st = await stat(source).catch(() => null);
    return st?.isFile() ? [source] : [];
  }
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && glob.matches(e.name)).map((e) => path.join(dir, e.name)).sort();
}

/** `location` as a folder for a file name: `@s` and `@s/dir` both hold files directly below. */
function inFolder(location: string, name: string): string {
  return location.endsWith('/') ? `${location}${name}` : `${location}/${name}`;
}

async function runPut(client: FirnClient, cmd: Extract<TransferCommand, { kind: 'put' }>, context: SessionContext, watch: TransferWatch): Promise<TransferOutcome<RowsView>> {
  const files = await localFiles(cmd.source);
  if (files.length === 0) return { kind: 'failed', status: 0, code: '390101', sqlState: '58030', message: `File doesn't exist: ${cmd.source}` };
  const rows: (string | null)[][] = new Array(files.length);
  const progress = progressReporter('put', files.length, watch.onProgress);
  const results = await eachLimited(files, cmd.parallel, watch.signal, async (file, i): Promise<TransferOutcome<null>> => {
    const name = path.basename(file);
    const size = (await stat(file)).size;
    const compression = await sourceCompression(file);
    const gzip = cmd.autoCompress && compression === 'NONE';
    const target = gzip ? `${name}.gz` : name;
    const raw = createReadStream(file);
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        progress.bytes(chunk.length);
        callback(null, chunk);
      },
    });
    raw.on('error', (err) => counted.destroy(err));
    const body: Readable = (gzip ? raw.pipe(createGzip()) : raw).pipe(counted);
    const done = await client.uploadStageFile(inFolder(cmd.location, target), context, body, { overwrite: cmd.overwrite, signal: watch.signal });
    if (done.kind !== 'ok') return done;
    progress.fileDone();
    const a = done.value;
    rows[i] = [name, target, String(size), a.size === null ? null : String(a.size), compression, gzip ? 'GZIP' : compression, a.status, a.status === 'SKIPPED' ? 'the file exists in the stage (OVERWRITE = FALSE)' : ''];
    return { kind: 'ok', value: null };
  });
  for (const r of results) if (r !== undefined && r.kind !== 'ok') return r;
  const columns = [localColumn('source'), localColumn('target'), localColumn('source_size', true), localColumn('target_size', true), localColumn('source_compression'), localColumn('target_compression'), localColumn('status'), localColumn('message')];
  return { kind: 'ok', value: { resultSetMetaData: { numRows: rows.length, rowType: columns }, data: rows } };
}

/** Counts a transfer's files and bytes, reporting them at first, as each file is done, and at most every PROGRESS_EVERY_MS in between. */
function progressReporter(kind: TransferProgress['kind'], filesTotal: number, onProgress: TransferWatch['onProgress']): { bytes(n: number): void; fileDone(): void } {
  const started = performance.now();
  const progress: TransferProgress = { kind, elapsedMs: 0, filesDone: 0, filesTotal, bytes: 0 };
  let reportedAt = -Infinity;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!onProgress || (!force && now - reportedAt < PROGRESS_EVERY_MS)) return;
    reportedAt = now;
    onProgress({ ...progress, elapsedMs: now - started });
  };
  report(true);
  return {
    bytes(n) {
      progress.bytes += n;
      report(false);
    },
    fileDone() {
      progress.filesDone++;
      report(true);
    },
  };
}

async function runGet(client: FirnClient, cmd: Extract<TransferCommand, { kind: 'get' }>, context: SessionContext, watch: TransferWatch): Promise<TransferOutcome<RowsView>> {
  const signal = watch.signal;
  const listSql = `LIST '${cmd.location.replace(/'/g, "''")}'${cmd.pattern === null ? '' : ` PATTERN = '${cmd.pattern.replace(/'/g, "''")}'`}`;
  const listed = await client.execute(listSql, context, { signal });
  if (listed.kind === 'unauthenticated') return { kind: 'failed', status: 401, code: '390303', sqlState: '08001', message: listed.message };
  if (listed.kind !== 'ok') return listed;
  const { stagePart, folder, named } = splitLocation(cmd.location);
  const keys = listed.result.data.map((row) => {
    const name = row[0] ?? '';
    return named ? name.slice(name.indexOf('/') + 1) : name;
  });
  await mkdir(cmd.targetDir, { recursive: true });
  const rows: (string | null)[][] = new Array(keys.length);
  const progress = progressReporter('get', keys.length, watch.onProgress);
  const results = await eachLimited(keys, cmd.parallel, signal, async (key, i): Promise<TransferOutcome<null>> => {
    // The file's path below the location's folder, checked like a stage path: never outside the target directory.
    const relative = normalizeStagePath(key.startsWith(folder) ? key.slice(folder.length) : path.posix.basename(key));
    const local = path.join(cmd.targetDir, ...relative.split('/'));
    await mkdir(path.dirname(local), { recursive: true });
    const done = await client.downloadStageFile(`${stagePart}/${key}`, context, local, { signal, onBytes: (n) => progress.bytes(n) });
    if (done.kind !== 'ok') return done;
    progress.fileDone();
    rows[i] = [relative, String(done.value), 'DOWNLOADED', ''];
    return { kind: 'ok', value: null };
  });
  for (const r of results) if (r !== undefined && r.kind !== 'ok') return r;
  const columns = [localColumn('file'), localColumn('size', true), localColumn('status'), localColumn('message')];
  return { kind: 'ok', value: { resultSetMetaData: { numRows: rows.length, rowType: columns }, data: rows } };
}

/**
 * `@s/dir/x` -> the stage part `@s`, the folder of the path `dir/`, and whether LIST names
 * start with the stage's name (a named stage; not `@~` or `@%t`).
 */
function splitLocation(location: string): { stagePart: string; folder: string; named: boolean } {
  let quoted = false;
  let cut = location.length;
  for (let i = 1; i < location.length; i++) {
    if (location[i] === '"') quoted = !quoted;
    else if (location[i] === '/' && !quoted) {
      cut = i;
      break;
    }
  }
  const stagePart = location.slice(0, cut);
  const pathPart = location.slice(cut + 1);
  const folder = pathPart.includes('/') ? pathPart.slice(0, pathPart.lastIndexOf('/') + 1) : '';
  return { stagePart, folder, named: !stagePart.startsWith('@~') && !/^@([^%]*\.)?%/.test(stagePart) };
}

/** Runs `fn` over `items` with at most `limit` at once, starting none after a failed one or once `signal` fired; answers the results in order. */
async function eachLimited<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, fn: (item: T, i: number) => Promise<TransferOutcome<null>>): Promise<TransferOutcome<null>[]> {
  const out: TransferOutcome<null>[] = [];
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      if (signal?.aborted) {
        out[next++] = canceled();
        failed = true;
        break;
      }
      const i = next++;
      out[i] = await fn(items[i], i);
      if (out[i].kind !== 'ok') failed = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
