/**
 * A database, schema or warehouse name sent by a client (the SQL API's body fields, the stage
 * file endpoint's query parameters) as a resolved identifier, by Snowflake's rules: plain
 * names upper-cased, "quoted" names kept verbatim, blank or absent -> null. A non-string or a
 * name with control characters is RequestError BAD_REQUEST (HTTP 400).
 */
import { RequestError } from '../../storage/errors/firn-error.js';

/** A context field as a resolved identifier: plain names upper-cased, "quoted" kept verbatim. */
export function contextName(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new RequestError('BAD_REQUEST', `"${field}" must be a string`);
  const t = v.trim();
  if (/[\u0000-\u001f\u007f-\u009f]/.test(t)) throw new RequestError('BAD_REQUEST', `"${field}" must not contain control characters`);
  if (t === '') return null;
  if (/^"(?:[^"]|"")+"$/.test(t)) return t.slice(1, -1).replace(/""/g, '"');
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(t)) return t.toUpperCase();
  return t;
}
