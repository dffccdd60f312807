/**
 * The files of a stage location, as LIST, REMOVE, COPY INTO and the CLI's GET see them.
 *
 * Contract:
 * - listStageFiles(stage, {pattern, files}) lists the keys under the location's path (a prefix,
 *   as in Snowflake: `@s/data` matches data.csv and data/x.csv), checked by checkStageFiles,
 *   sorted. `pattern` is a regular expression that must match a file's whole path inside the
 *   stage; `files` (COPY's FILES = (...)) names files relative to the location instead, each
 *   one checked like a stage path, and a missing one is FILE_NOT_FOUND.
 * - fileMd5 answers the hex MD5 of a file as LIST shows it: computed by reading the file
 *   (streamed) in a local stage, S3's ETag (the MD5 of a single-part upload) in an S3 one.
 * - An invalid PATTERN is a compilation error quoting it clipped.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilationError, StorageError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { ObjectInfo, ObjectStore } from '../../storage/object-store/object-store.js';
import type { LocalPathPolicy } from './raw-location-policy.js';
import { checkStageFiles, openStageStore, type ResolvedStage } from './resolve-stage.js';
import { joinStagePath } from './stage-path.js';

export type StageFile = ObjectInfo;

export async function listStageFiles(stage: ResolvedStage, opts: { pattern: string | null; files?: string[] | null }, policy: LocalPathPolicy): Promise<{ store: ObjectStore; files: StageFile[] }> {
  const store = await openStageStore(stage);
  let files: StageFile[];
  if (opts.files) {
    const folder = stage.path === '' || stage.path.endsWith('/') ? stage.path : `${stage.path}/`;
    files = [];
    for (const name of opts.files) {
      const key = joinStagePath(folder, name);
      const info = await store.head(key);
      if (!info) throw new StorageError('FILE_NOT_FOUND', `Remote file '${clipValue(stage.display + key)}' was not found.`);
      files.push(info);
    }
  } else {
    files = await store.list(stage.path);
  }
  if (opts.pattern !== null) {
    const regex = compilePattern(opts.pattern);
    files = files.filter((f) => regex.test(f.key));
  }
  await checkStageFiles(stage, files.map((f) => f.key), policy);
  return { store, files };
}

/** PATTERN = '<regex>' as a RegExp that must match a whole path. */
export function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (err) {
    throw new CompilationError('SYNTAX', `SQL compilation error: invalid PATTERN '${clipValue(pattern)}': ${err instanceof Error ? clipValue(err.message) : 'not a regular expression'}`);
  }
}

export async function fileMd5(stage: ResolvedStage, f: StageFile): Promise<string> {
  const root = stage.localRoot ?? (stage.localPolicy ? fileURLToPath(stage.storeUrl) : null);
  // S3: the ETag, which is the MD5 for a single-part upload (a multipart one shows its ETag as is).
  if (root === null) return (f.etag ?? '').replace(/"/g, '').toLowerCase();
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path.join(root, ...f.key.split('/')))) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
