/**
 * The per-user cap on statements running at once over the HTTP API
 * (FIRN_MAX_STATEMENTS_PER_USER): one user flooding the server with requests cannot take all
 * of its memory, sockets and warehouse queues from the others. Past the cap the request is
 * refused at once (HTTP 429 with Retry-After, TOO_MANY_STATEMENTS) rather than queued: a
 * queue of unbounded length is the flood itself.
 *
 * Contract:
 * - tryAcquire(user) takes one of the user's slots and returns its release, or null when the
 *   user already holds `max`; users are counted apart (by the identity's user name, exactly).
 * - A release gives its slot back once, however often it is called, so it can be tied to
 *   every way a request ends (answer finished, client gone, failure) without counting twice.
 * - A user with no statement running holds no memory here.
 * The HTTP server takes the slot when a statement request arrives and releases it when the
 * response closes (its answer, streamed body included, is finished, or the client went away).
 */
import { RequestError } from '../../storage/errors/firn-error.js';

/**
 * FIRN_MAX_STATEMENTS_PER_USER's default: above what one service account's burst sends at once
 * (the elastic bench's 200 sessions arriving within 2 s, which the warehouse queues), yet a
 * bound on what one user's requests can hold in services.
 */
export const DEFAULT_MAX_STATEMENTS_PER_USER = 256;

/** Seconds a refused client is told to wait (Retry-After): statements are often shorter; it retries soon. */
export const RETRY_AFTER_SECONDS = 1;

export type Release = () => void;

export class UserStatementLimit {
  private readonly running = new Map<string, number>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`the statements-per-user cap must be a positive integer, got ${max}`);
  }

  tryAcquire(user: string): Release | null {
    const now = this.running.get(user) ?? 0;
    if (now >= this.max) return null;
    this.running.set(user, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(user) ?? 1) - 1;
      if (left <= 0) this.running.delete(user);
      else this.running.set(user, left);
    };
  }

  /** Statements the user runs now. */
  runningFor(user: string): number {
    return this.running.get(user) ?? 0;
  }

  /** Users with at least one statement running. */
  get users(): number {
    return this.running.size;
  }

  /** The error a refused request answers with (HTTP 429). */
  refusal(user: string): RequestError {
    return new RequestError(
      'TOO_MANY_STATEMENTS',
      `Your request was rejected because user '${user}' already has ${this.max} statements running, the most allowed at once (FIRN_MAX_STATEMENTS_PER_USER); retry when one of them has finished`,
    );
  }
}
