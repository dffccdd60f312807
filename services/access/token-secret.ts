/**
 * Secrets of programmatic access tokens and login sessions: 32 random bytes, base64url
 * (43 characters), and the SHA-256 under which a secret is stored and looked up.
 *
 * Why SHA-256 and not scrypt: a secret has 256 bits of entropy, so a fast hash cannot be
 * brute-forced, and it lets authentication find the token by its hash in one indexed
 * lookup per request. Passwords, chosen by people, use scrypt (password-hash.ts).
 */
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Hex SHA-256 of the secret's UTF-8 bytes. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
