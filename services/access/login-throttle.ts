/**
 * Throttling of failed password logins, per user name and per client address, so passwords
 * cannot be guessed at speed.
 *
 * Contract:
 * - Per user (Snowflake's lockout): USER_MAX_FAILURES consecutive failed logins lock the user
 *   name for LOCK_MS (15 minutes); while locked every login of it is refused, even with the
 *   right password, and refused attempts do not extend the lock. A successful login resets
 *   the count. Names that are not users count the same way, so the lockout says nothing about
 *   which names exist.
 * - Per client address: ADDRESS_MAX_FAILURES failures within WINDOW_MS (any user names) refuse
 *   every login from that address for LOCK_MS: one address cannot spray many names.
 * - `check` answers what refuses a login now (with the milliseconds until it is allowed) or
 *   null; `failed` / `succeeded` record an attempt's outcome.
 * - In memory, bounded: at most MAX_TRACKED names and addresses each (the oldest entries are
 *   forgotten first). A restart clears every lock. Times come from the injected clock.
 */
export const USER_MAX_FAILURES = 5;
export const ADDRESS_MAX_FAILURES = 20;
export const WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
export const MAX_TRACKED = 10_000;

type Counter = { failures: number; firstAt: number; lockedUntil: number };

export type Refusal = { by: 'user' | 'address'; retryAfterMs: number };

export class LoginThrottle {
  private readonly users = new Map<string, Counter>();
  private readonly addresses = new Map<string, Counter>();

  constructor(private readonly clock: () => number = Date.now) {}

  check(user: string, address: string): Refusal | null {
    const now = this.clock();
    const a = this.addresses.get(address);
    if (a && a.lockedUntil > now) return { by: 'address', retryAfterMs: a.lockedUntil - now };
    const u = this.users.get(user);
    if (u && u.lockedUntil > now) return { by: 'user', retryAfterMs: u.lockedUntil - now };
    return null;
  }

  failed(user: string, address: string): void {
    const now = this.clock();
    // Consecutive failures per user: the count only restarts on success or after a lock.
    count(this.users, user, now, Number.POSITIVE_INFINITY, USER_MAX_FAILURES);
    count(this.addresses, address, now, WINDOW_MS, ADDRESS_MAX_FAILURES);
  }

  succeeded(user: string): void {
    this.users.delete(user);
  }
}

function count(map: Map<string, Counter>, key: string, now: number, windowMs: number, max: number): void {
  let c = map.get(key);
  if (!c || c.lockedUntil > 0 || now - c.firstAt >= windowMs) {
    if (c && c.lockedUntil > now) return;
    c = { failures: 0, firstAt: now, lockedUntil: 0 };
  }
  c.failures++;
  if (c.failures >= max) c.lockedUntil = now + LOCK_MS;
  // Re-inserted last: the map's order is by last failure, so the oldest are forgotten first.
  map.delete(key);
  map.set(key, c);
  if (map.size > MAX_TRACKED) map.delete(map.keys().next().value as string);
}
