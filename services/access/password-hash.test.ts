import { describe, expect, it } from 'vitest';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password-hash.js';

describe('password hashes', () => {
  it('are scrypt with a per-password salt: the password is not in the hash, equal passwords hash differently, and only the password verifies', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toContain('correct horse');
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horse', b)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verify nothing against a malformed or hostile stored value, nor against the dummy hash', async () => {
    for (const stored of ['', 'plain', 'scrypt$16384$8$1$$', 'bcrypt$1$2$3$AAAA$AAAA', `scrypt$${2 ** 30}$8$1$AAAA$AAAA`, 'scrypt$x$8$1$AAAA$AAAA']) {
      expect(await verifyPassword('anything', stored), stored).toBe(false);
    }
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('password', DUMMY_HASH)).toBe(false);
  });
});
