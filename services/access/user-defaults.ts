/**
 * A user's DEFAULT_NAMESPACE and DEFAULT_WAREHOUSE as the context of its statements.
 *
 * Contract: a namespace is kept as SQL text, `database` or `database.schema`, each part
 * "quoted" when it is not a plain upper-case identifier (`formatNamespace`), and read back
 * into resolved names by `userContext`; text that does not parse gives no namespace.
 */
import type { UserInfo } from '../catalog/user-store.js';
import type { SessionContextDefaults } from './session-store.js';

const PLAIN = /^[A-Z_][A-Z0-9_$]*$/;
const PART = /("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)/y;

function quote(name: string): string {
  return PLAIN.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function formatNamespace(parts: readonly string[]): string {
  return parts.map(quote).join('.');
}

function parseNamespace(text: string): string[] | null {
  const parts: string[] = [];
  let at = 0;
  while (at < text.length) {
    if (parts.length > 0) {
      if (text[at] !== '.') return null;
      at++;
    }
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) return null;
    const raw = m[1];
    parts.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toUpperCase());
    at = PART.lastIndex;
  }
  return parts.length >= 1 && parts.length <= 2 ? parts : null;
}

export function userContext(user: Pick<UserInfo, 'defaultNamespace' | 'defaultWarehouse'>): SessionContextDefaults {
  const ns = user.defaultNamespace === null ? null : parseNamespace(user.defaultNamespace);
  return { database: ns?.[0] ?? null, schema: ns?.[1] ?? null, warehouse: user.defaultWarehouse };
}
