import { describe, expect, it } from 'vitest';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, SessionStore } from './session-store.js';

const CONTEXT = { database: 'FIRN', schema: null, warehouse: null };

describe('SessionStore', () => {
  it('ends a session after 4 hours idle, and after 24 hours whatever its use', () => {
    let now = 1_000_000;
    const store = new SessionStore({ clock: () => now });
    const idle = store.open({ id: 1, name: 'ALICE' }, 'PUBLIC', CONTEXT);
    const busy = store.open({ id: 2, name: 'BOB' }, 'SYSADMIN', CONTEXT);
    expect(IDLE_TIMEOUT_MS).toBe(4 * 3_600_000);
    expect(ABSOLUTE_TIMEOUT_MS).toBe(24 * 3_600_000);
    expect(store.touch(idle.token)?.user).toBe('ALICE');
    for (let h = 1; h < 24; h++) {
      now += 3_600_000;
      expect(store.touch(busy.token)?.role, `hour ${h}`).toBe('SYSADMIN');
    }
    expect(store.touch(idle.token)).toBeNull();
    now += 3_600_000;
    expect(store.touch(busy.token)).toBeNull();
    expect(store.touch(idle.token)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('renews a session whose token idled out, until the absolute timeout', () => {
    let now = 0;
    const store = new SessionStore({ clock: () => now });
    const s = store.open({ id: 1, name: 'ALICE' }, 'PUBLIC', CONTEXT);
    now += IDLE_TIMEOUT_MS;
    expect(store.touch(s.token)).toBeNull();
    const renewed = store.renew(s.masterToken)!;
    expect(store.touch(renewed.token)?.user).toBe('ALICE');
    now = ABSOLUTE_TIMEOUT_MS;
    expect(store.touch(renewed.token)).toBeNull();
    expect(store.renew(s.masterToken)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('keeps only the token\'s hash, refuses unknown and closed tokens, and renews with the master token', () => {
    let now = 0;
    const store = new SessionStore({ clock: () => now });
    const s = store.open({ id: 1, name: 'ALICE' }, 'PUBLIC', CONTEXT);
    expect(JSON.stringify([...(store as unknown as { byToken: Map<string, unknown> }).byToken])).not.toContain(s.token);
    expect(store.touch('not-a-token')).toBeNull();
    expect(store.touch(s.masterToken)).toBeNull();
    now += IDLE_TIMEOUT_MS - 1;
    const renewed = store.renew(s.masterToken)!;
    expect(renewed.session.user).toBe('ALICE');
    expect(store.touch(s.token)).toBeNull();
    expect(store.touch(renewed.token)?.user).toBe('ALICE');
    store.close(renewed.token);
    expect(store.touch(renewed.token)).toBeNull();
    expect(store.renew(s.masterToken)).toBeNull();
  });

  it('holds at most maxSessions, closing the oldest first', () => {
    const store = new SessionStore({ maxSessions: 2 });
    const a = store.open({ id: 1, name: 'A' }, 'PUBLIC', CONTEXT);
    const b = store.open({ id: 2, name: 'B' }, 'PUBLIC', CONTEXT);
    const c = store.open({ id: 3, name: 'C' }, 'PUBLIC', CONTEXT);
    expect([store.touch(a.token), store.touch(b.token)?.user, store.touch(c.token)?.user]).toEqual([null, 'B', 'C']);
  });
});
