/**
 * Login sessions (POST /session/v1/login-request), held in memory: a session token stands for
 * a user (by catalog id), the role the session starts with, and the database / schema /
 * warehouse it asked for, until it expires or is closed.
 *
 * Contract:
 * - Expiry as Snowflake's: a session ends after IDLE_TIMEOUT_MS without a request (Snowflake's
 *   default idle session timeout for programmatic clients, 4 hours) and, whatever its use, after
 *   ABSOLUTE_TIMEOUT_MS (24 hours: Snowflake sets no maximum lifespan unless a session policy
 *   does; Firn bounds it so a leaked token does not live forever). `touch` answers the session
 *   and restarts its idle window, or null when the token is unknown, closed or expired.
 * - A session also has a master token, valid for the session's whole life, for renewing the
 *   session token (`renew`: a new token with a fresh idle window, the old one stops working),
 *   as Snowflake's drivers do when a session token expires: a session token past its idle
 *   window fails, but its session stays renewable until the absolute timeout.
 * - Tokens are kept as their SHA-256 (token-secret.ts), never as given. At most MAX_SESSIONS
 *   live at once: opening one more closes the oldest (after dropping expired ones).
 * - In memory only: a restart ends every session (clients log in again). Times come from the
 *   injected clock (epoch ms).
 */
import { newSecret, secretHash } from './token-secret.js';
import { nextSessionId } from './session-id.js';

export const IDLE_TIMEOUT_MS = 4 * 3_600_000;
export const ABSOLUTE_TIMEOUT_MS = 24 * 3_600_000;
export const MAX_SESSIONS = 10_000;

export type SessionContextDefaults = { database: string | null; schema: string | null; warehouse: string | null };

export type LoginSession = {
  /** A number for logs, the driver's sessionId and CURRENT_SESSION() (session-id.ts); never a credential. */
  id: number;
  user: string;
  /** The user's catalog id: a user dropped and created again under the same name is another user. */
  userId: number;
  role: string;
  context: SessionContextDefaults;
  createdAt: number;
  lastUsedAt: number;
};

type Entry = { session: LoginSession; masterHash: string };

export type SessionStoreOptions = { clock?: () => number; idleMs?: number; absoluteMs?: number; maxSessions?: number };

export class SessionStore {
  private readonly byToken = new Map<string, Entry>();
  private readonly byMaster = new Map<string, string>();
  private readonly clock: () => number;
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly maxSessions: number;

  constructor(opts: SessionStoreOptions = {}) {
    this.clock = opts.clock ?? Date.now;
    this.idleMs = opts.idleMs ?? IDLE_TIMEOUT_MS;
    this.absoluteMs = opts.absoluteMs ?? ABSOLUTE_TIMEOUT_MS;
    this.maxSessions = opts.maxSessions ?? MAX_SESSIONS;
  }

  open(user: { id: number; name: string }, role: string, context: SessionContextDefaults): { token: string; masterToken: string; session: LoginSession } {
    const now = this.clock();
    if (this.byToken.size >= this.maxSessions) this.sweep(now);
    while (this.byToken.size >= this.maxSessions) this.closeHash(this.byToken.keys().next().value as string);
    const token = newSecret();
    const masterToken = newSecret();
    const session: LoginSession = { id: nextSessionId(), user: user.name, userId: user.id, role, context, createdAt: now, lastUsedAt: now };
    const hash = secretHash(token);
    const masterHash = secretHash(masterToken);
    this.byToken.set(hash, { session, masterHash });
    this.byMaster.set(masterHash, hash);
    return { token, masterToken, session };
  }

  touch(token: string): LoginSession | null {
    const hash = secretHash(token);
    const entry = this.byToken.get(hash);
    if (!entry) return null;
    const now = this.clock();
    if (this.expired(entry.session, now)) {
      // Past its idle window the token stops working, but the master token may still renew
      // the session (as the drivers do on 390112) until its absolute timeout.
      if (now - entry.session.createdAt >= this.absoluteMs) this.closeHash(hash);
      return null;
    }
    entry.session.lastUsedAt = now;
    return entry.session;
  }

  /** A new session token for the session of `masterToken` (null when unknown or past the absolute timeout). */
  renew(masterToken: string): { token: string; session: LoginSession } | null {
    const masterHash = secretHash(masterToken);
    const hash = this.byMaster.get(masterHash);
    const entry = hash === undefined ? undefined : this.byToken.get(hash);
    if (hash === undefined || !entry) return null;
    const now = this.clock();
    if (now - entry.session.createdAt >= this.absoluteMs) {
      this.closeHash(hash);
      return null;
    }
    this.byToken.delete(hash);
    const token = newSecret();
    const next = secretHash(token);
    entry.session.lastUsedAt = now;
    this.byToken.set(next, entry);
    this.byMaster.set(masterHash, next);
    return { token, session: entry.session };
  }

  /** Whether `masterToken` is a live session's master token (expired or not). */
  knowsMaster(masterToken: string): boolean {
    return this.byMaster.has(secretHash(masterToken));
  }

  close(token: string): void {
    this.closeHash(secretHash(token));
  }

  get size(): number {
    return this.byToken.size;
  }

  private expired(s: LoginSession, now: number): boolean {
    return now - s.lastUsedAt >= this.idleMs || now - s.createdAt >= this.absoluteMs;
  }

  private sweep(now: number): void {
    for (const [hash, entry] of this.byToken) if (this.expired(entry.session, now)) this.closeHash(hash);
  }

  private closeHash(hash: string): void {
    const entry = this.byToken.get(hash);
    if (!entry) return;
    this.byToken.delete(hash);
    this.byMaster.delete(entry.masterHash);
  }
}
