/**
 * Users for tests of access: created by ADMIN over the SQL API, each with a programmatic
 * access token, and the credentials and headers that act as them.
 */
import type { ClientCredentials } from '../../services/cli/firn-client.js';
import { postStatement } from './post-statement.js';

export type TestUser = { name: string; token: string; credentials: ClientCredentials; headers: Record<string, string> };

/**
 * CREATE USER `name` `properties` (SQL, e.g. "PASSWORD = 'x' DEFAULT_ROLE = SYSADMIN"), GRANT
 * its DEFAULT_ROLE to it (as an administrator would), then ADD PAT; answers the token.
 */
export async function createTestUser(url: string, name: string, properties = ''): Promise<TestUser> {
  await postStatement(url, `CREATE USER ${name} ${properties}`);
  const defaultRole = /\bDEFAULT_ROLE\s*=\s*(\w+)/i.exec(properties)?.[1];
  if (defaultRole && defaultRole.toUpperCase() !== 'PUBLIC') await postStatement(url, `GRANT ROLE ${defaultRole} TO USER ${name}`);
  const added = await postStatement(url, `ALTER USER ${name} ADD PROGRAMMATIC ACCESS TOKEN ${name}_token`);
  const token = added.data[0][1] as string;
  return { name: name.toUpperCase(), token, ...tokenAuth(token, name) };
}

export function tokenAuth(token: string, source: string): { credentials: ClientCredentials; headers: Record<string, string> } {
  return {
    credentials: { token, login: null, source },
    headers: { Authorization: `Bearer ${token}`, 'X-Snowflake-Authorization-Token-Type': 'PROGRAMMATIC_ACCESS_TOKEN' },
  };
}
