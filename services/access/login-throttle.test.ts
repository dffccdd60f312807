import { describe, expect, it } from 'vitest';
import { ADDRESS_MAX_FAILURES, LOCK_MS, LoginThrottle, USER_MAX_FAILURES } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('locks a user name for 15 minutes after 5 consecutive failures, and a success resets the count', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    expect([USER_MAX_FAILURES, LOCK_MS]).toEqual([5, 15 * 60_000]);
    for (let i = 0; i < 4; i++) t.failed('ALICE', `10.0.0.${i}`);
    t.succeeded('ALICE');
    for (let i = 0; i < 4; i++) t.failed('ALICE', `10.0.1.${i}`);
    expect(t.check('ALICE', '10.0.2.1')).toBeNull();
    t.failed('ALICE', '10.0.2.1');
    expect(t.check('ALICE', '10.0.2.2')).toEqual({ by: 'user', retryAfterMs: LOCK_MS });
    expect(t.check('BOB', '10.0.2.2')).toBeNull();
    now += LOCK_MS - 1;
    expect(t.check('ALICE', '10.0.2.2')).toEqual({ by: 'user', retryAfterMs: 1 });
    now += 1;
    expect(t.check('ALICE', '10.0.2.2')).toBeNull();
    t.failed('ALICE', '10.0.2.2');
    expect(t.check('ALICE', '10.0.2.2')).toBeNull();
  });

  it('refuses an address after 20 failures within 15 minutes, whatever the names', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < ADDRESS_MAX_FAILURES - 1; i++) t.failed(`USER${i}`, '192.0.2.7');
    expect(t.check('ANYONE', '192.0.2.7')).toBeNull();
    t.failed('ONE_MORE', '192.0.2.7');
    expect(t.check('ANYONE', '192.0.2.7')).toEqual({ by: 'address', retryAfterMs: LOCK_MS });
    expect(t.check('ANYONE', '192.0.2.8')).toBeNull();
    // Failures spread wider than the window never add up to a lock.
    const slow = new LoginThrottle(() => now);
    for (let i = 0; i < 3 * ADDRESS_MAX_FAILURES; i++) {
      now += 60_000;
      slow.failed(`U${i}`, '198.51.100.1');
    }
    expect(slow.check('X', '198.51.100.1')).toBeNull();
  });
});
