/**
 * Statement text as query history keeps it: the values of secret properties replaced by
 * '****', so `CREATE USER u PASSWORD = 'x'` or a stage's CREDENTIALS = (AWS_SECRET_KEY = '...')
 * never reach the catalog file or QUERY_HISTORY in plain text.
 *
 * Contract: every `<secret property> = <string literal>` (single-quoted with '' or \ escapes,
 * or $$-quoted), the property name in any case, has its literal replaced by '****'; nothing
 * else changes. SECRET_PROPERTIES lists the names.
 */
export const SECRET_PROPERTIES = ['PASSWORD', 'AWS_SECRET_KEY', 'AWS_TOKEN', 'AZURE_SAS_TOKEN', 'MASTER_KEY'] as const;

const SECRET = new RegExp(`\\b(${SECRET_PROPERTIES.join('|')})(\\s*=\\s*)('(?:[^'\\\\]|''|\\\\[\\s\\S])*'|\\$\\$[\\s\\S]*?\\$\\$)`, 'gi');

export function redactSecrets(sql: string): string {
  return sql.replace(SECRET, (_m, name: string, eq: string) => `${name}${eq}'****'`);
}
