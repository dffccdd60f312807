/**
 * The Arrow schema that Arrow-based Parquet writers keep in the file's 'ARROW:schema'
 * key-value entry (base64 of one IPC schema message): read it, and re-encode a projection of
 * it so a sliced file keeps its Arrow types (e.g. Dictionary<Utf8> VARCHAR columns).
 *
 * Contract: decodeArrowSchema returns null for an entry apache-arrow cannot read;
 * projectArrowSchema(entry, fields) keeps the top-level fields at the given indices (in
 * order) and returns the new entry, or null when the entry cannot be read.
 */
import { Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';

export const ARROW_SCHEMA_KEY = 'ARROW:schema';

export function decodeArrowSchema(entry: string): Schema | null {
  try {
    return tableFromIPC(Buffer.from(entry, 'base64')).schema;
  } catch {
    return null;
  }
}

export function encodeArrowSchema(schema: Schema): string {
  const stream = tableToIPC(new Table(schema), 'stream');
  // The stream is <0xFFFFFFFF><length><schema message> then end-of-stream; keep the message.
  const length = new DataView(stream.buffer, stream.byteOffset, stream.byteLength).getInt32(4, true);
  return Buffer.from(stream.subarray(0, 8 + length)).toString('base64');
}

export function projectArrowSchema(entry: string, fields: number[]): string | null {
  const schema = decodeArrowSchema(entry);
  if (schema === null || fields.some((i) => i < 0 || i >= schema.fields.length)) return null;
  return encodeArrowSchema(new Schema(fields.map((i) => schema.fields[i]), schema.metadata));
}
