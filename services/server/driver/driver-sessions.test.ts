import { describe, expect, it } from 'vitest';
import type { Principal } from '../../access/authenticator.js';
import { DriverSessions } from './driver-sessions.js';

const principal = (sessionId: number | undefined): Principal => ({
  user: 'ALICE',
  defaultRole: 'SYSADMIN',
  role: 'SYSADMIN',
  roleRestricted: false,
  context: { database: 'SALES', schema: 'Q1', warehouse: null },
  ...(sessionId === undefined ? {} : { sessionId }),
});

describe('DriverSessions', () => {
  it("starts from the session's role and context and keeps what statements change", () => {
    const sessions = new DriverSessions(1000);
    const state = sessions.of(principal(7));
    expect(state).toMatchObject({ role: 'SYSADMIN', database: 'SALES', schema: 'Q1', warehouse: null, parameters: { useCachedResult: true, timezone: 'America/Los_Angeles' } });
    sessions.update(state, { database: 'OPS', schema: 'PUBLIC', warehouse: 'WH', role: 'PUBLIC' });
    state.parameters.useCachedResult = false;
    expect(sessions.of(principal(7))).toMatchObject({ role: 'PUBLIC', database: 'OPS', schema: 'PUBLIC', warehouse: 'WH', parameters: { useCachedResult: false, timezone: 'America/Los_Angeles' } });
    sessions.close(7);
    expect(sessions.of(principal(7))).toMatchObject({ role: 'SYSADMIN', database: 'SALES' });
  });

  it('keeps nothing for credentials without a session', () => {
    const sessions = new DriverSessions(1000);
    sessions.update(sessions.of(principal(undefined)), { database: 'OPS', schema: null, warehouse: null });
    expect(sessions.of(principal(undefined)).database).toBe('SALES');
    expect(sessions.size).toBe(0);
  });

  it('drops idle states and holds at most maxSessions, least recently used dropped first', () => {
    let now = 0;
    const sessions = new DriverSessions(100, 2, () => now);
    sessions.update(sessions.of(principal(1)), { database: 'ONE', schema: null, warehouse: null });
    sessions.update(sessions.of(principal(2)), { database: 'TWO', schema: null, warehouse: null });
    sessions.of(principal(1));
    sessions.of(principal(3));
    expect(sessions.size).toBe(2);
    expect(sessions.of(principal(1)).database).toBe('ONE');
    expect(sessions.of(principal(2)).database).toBe('SALES');
    now = 1000;
    sessions.of(principal(4));
    expect(sessions.size).toBe(1);
  });
});
