/**
 * A context name sent by a client (the SQL API body's database, schema, warehouse, role; the
 * login's query string) as a resolved identifier, by Snowflake's rules: plain names are
 * upper-cased, "quoted" ones kept verbatim (quotes undoubled), anything else kept as sent;
 * empty or absent is none (null). Control characters are refused: `invalid(message)` is
 * thrown, so each caller answers in its own error shape.
 */
export function contextName(v: string, field: string, invalid: (message: string) => Error): string | null {
  const t = v.trim();
  if (/[\u0000-\u001f\u007f-\u009f]/.test(t)) throw invalid(`"${field}" must not contain control characters`);
  if (t === '') return null;
  if (/^"(?:[^"]|"")+"$/.test(t)) return t.slice(1, -1).replace(/""/g, '"');
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(t)) return t.toUpperCase();
  return t;
}
