import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { SqliteCatalog } from './sqlite-catalog.js';
import type { NewUser } from './user-store.js';

const user = (name: string, more: Partial<NewUser> = {}): NewUser => ({
  name, passwordHash: null, defaultRole: null, defaultWarehouse: null, defaultNamespace: null, disabled: false, comment: null, owner: 'USERADMIN', createdAt: 1000, ...more,
});
const token = (name: string, hash: string) => ({ name, secretHash: hash, roleRestriction: null, comment: null, createdAt: 1000, createdBy: 'ADMIN', expiresAt: 2000 });

describe('SqliteUserStore', () => {
  it('creates, lists, updates and drops users; names are exact and unique', () => {
    const c = new SqliteCatalog(':memory:');
    const users = c.users;
    expect(users.createUser(user('BOB', { comment: 'first' }))).toBe('created');
    expect(users.createUser(user('bob'))).toBe('created');
    expect(() => users.createUser(user('BOB'))).toThrow(new CompilationError('OBJECT_EXISTS', "Object 'BOB' already exists."));
    expect(users.createUser(user('BOB', { comment: 'second' }), { ifNotExists: true })).toBe('exists');
    expect(users.getUser('BOB')!.comment).toBe('first');
    expect(users.listUsers().map((u) => u.name)).toEqual(['BOB', 'bob']);
    expect(users.updateUser('BOB', { disabled: true, defaultRole: 'SYSADMIN' })).toMatchObject({ disabled: true, defaultRole: 'SYSADMIN', comment: 'first' });
    expect(users.getUser('BOB')).toMatchObject({ disabled: true, defaultRole: 'SYSADMIN' });
    users.recordLogin('BOB', 5000);
    expect(users.getUser('BOB')!.lastLoginAt).toBe(5000);
    expect(() => users.updateUser('NOBODY', { comment: 'x' })).toThrow("User 'NOBODY' does not exist or not authorized.");
    expect(users.dropUser('NOBODY', { ifExists: true })).toBe(false);
    expect(users.dropUser('bob')).toBe(true);
    expect(users.getUser('bob')).toBeNull();
    c.close();
  });

  it('keeps tokens per user by name, finds them by the secret hash, and drops them with their user (also on OR REPLACE)', () => {
    const c = new SqliteCatalog(':memory:');
    const users = c.users;
    users.createUser(user('ANN'));
    users.createUser(user('CY'));
    expect(users.addToken('ANN', token('T', 'h1'))).toBe('created');
    expect(users.addToken('CY', token('T', 'h2'))).toBe('created');
    expect(() => users.addToken('ANN', token('T', 'h3'))).toThrow("Programmatic access token 'T' already exists for user 'ANN'.");
    expect(users.addToken('ANN', token('T', 'h3'), { ifNotExists: true })).toBe('exists');
    expect(users.tokenBySecretHash('h2')).toEqual({ userName: 'CY', ...token('T', 'h2') });
    expect(users.tokenBySecretHash('h3')).toBeNull();
    expect(() => users.removeToken('ANN', 'NONE')).toThrow("Programmatic access token 'NONE' does not exist or not authorized.");
    users.removeToken('CY', 'T');
    expect(users.tokenBySecretHash('h2')).toBeNull();
    users.addToken('ANN', token('U', 'h4'));
    expect(users.tokens('ANN').map((t) => t.name)).toEqual(['T', 'U']);
    users.createUser(user('ANN'), { orReplace: true });
    expect(users.tokens('ANN')).toEqual([]);
    expect(users.tokenBySecretHash('h1')).toBeNull();
    users.addToken('ANN', token('V', 'h5'));
    users.dropUser('ANN');
    expect(users.tokenBySecretHash('h5')).toBeNull();
    c.close();
  });
});
