/**
 * Password hashes: scrypt (node:crypto) with a random 16-byte salt per password, so the
 * catalog never holds a password and equal passwords never share a hash.
 *
 * Contract: `hashPassword` answers `scrypt$N$r$p$<salt base64>$<key base64>`;
 * `verifyPassword` recomputes the key with the stored parameters and compares in constant
 * time; a stored value it cannot read verifies nothing. Both run scrypt on libuv's thread
 * pool (async), never on the event loop. `DUMMY_HASH` is verified against when the user
 * does not exist, so a wrong user name costs the same time as a wrong password.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost (N = 2^14, r = 8, p = 1: 16 MiB, a few tens of ms per hash): OWASP's minimum for scrypt. */
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Refuse stored parameters that would cost more than this much memory (a corrupt or hostile row). */
const MAX_MEMORY = 64 * 2 ** 20;

function derive(password: string, salt: Buffer, opts: ScryptOptions, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, bytes, { ...opts, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS, KEY_BYTES);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || 128 * N * r > MAX_MEMORY) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (salt.length === 0 || expected.length === 0) return false;
  try {
    const key = await derive(password, salt, { N, r, p }, expected.length);
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/** A valid hash of no password anyone knows: what a login for an unknown user is checked against. */
export const DUMMY_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${Buffer.alloc(SALT_BYTES).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;
