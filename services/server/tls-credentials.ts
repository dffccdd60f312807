/**
 * Reads the certificate and private key the bind policy chose (FIRN_TLS_CERT, FIRN_TLS_KEY)
 * before the server opens anything, so a wrong path or a key that does not match its
 * certificate stops the start with a message naming the variable, not a TLS stack trace at
 * the first connection.
 *
 * Contract: resolves with both files' bytes (PEM) once node:tls accepted them together;
 * throws an Error naming FIRN_TLS_CERT / FIRN_TLS_KEY and the path otherwise. The key's
 * contents never appear in a message.
 */
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { TlsFiles } from './bind-policy.js';

export type TlsCredentials = { cert: Buffer; key: Buffer };

export async function readTlsCredentials(files: TlsFiles): Promise<TlsCredentials> {
  const read = async (variable: string, file: string): Promise<Buffer> => {
    try {
      return await readFile(file);
    } catch (err) {
      throw new Error(`cannot read ${variable} '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const cert = await read('FIRN_TLS_CERT', files.certPath);
  const key = await read('FIRN_TLS_KEY', files.keyPath);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'not a PEM certificate and private key';
    throw new Error(
      `FIRN_TLS_CERT '${files.certPath}' and FIRN_TLS_KEY '${files.keyPath}' are not a usable certificate and matching private key in PEM (${reason})`,
    );
  }
  return { cert, key };
}
