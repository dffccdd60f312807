/**
 * A COPY source file's bytes as the readers parse them: fetched from its store (with the
 * stage's own credentials when it has them) and decompressed when it is gzip.
 *
 * Contract: `compression` AUTO gunzips a file whose first bytes are gzip's magic (1f 8b) and
 * passes any other through; GZIP requires gzip (LoadError FILE_CORRUPT otherwise); NONE and
 * SNAPPY pass the bytes through (a Parquet file compresses inside). A gzip stream that is
 * corrupt, or that expands past MAX_DECOMPRESSED_BYTES (a "zip bomb"), is LoadError
 * FILE_CORRUPT naming the file, never a quote of its contents.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { LoadError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import type { LoadTask } from '../fragment/fragment.js';

/** The most bytes one source file may decompress to. */
export const MAX_DECOMPRESSED_BYTES = 2 ** 31 - 1;

const gunzipAsync = promisify(gunzip);

export async function readSourceFile(task: Pick<LoadTask, 'sourceStoreUrl' | 'sourceCredentials' | 'sourceKey' | 'fileName' | 'format'>): Promise<Uint8Array> {
  const store = openObjectStore(task.sourceStoreUrl, task.sourceCredentials ? { credentials: task.sourceCredentials } : {});
  const bytes = await store.get(task.sourceKey);
  return decompress(bytes, task.format.compression, task.fileName);
}

export async function decompress(bytes: Uint8Array, compression: LoadTask['format']['compression'], fileName: string, maxBytes = MAX_DECOMPRESSED_BYTES): Promise<Uint8Array> {
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (compression === 'GZIP' && !gzip) throw new LoadError('FILE_CORRUPT', `File '${clipValue(fileName)}' is not gzip compressed (COMPRESSION = GZIP).`);
  if (!gzip || compression === 'NONE' || compression === 'SNAPPY') return bytes;
  try {
    const out = await gunzipAsync(bytes, { maxOutputLength: maxBytes });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ERR_BUFFER_TOO_LARGE' ? `it decompresses to more than ${maxBytes} bytes` : 'its gzip data is corrupt';
    throw new LoadError('FILE_CORRUPT', `File '${clipValue(fileName)}' cannot be decompressed: ${why}.`);
  }
}
