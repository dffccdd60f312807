import { describe, expect, it } from 'vitest';
import { canonicalZone, isValidTimeZone, localToUtcSecs, offsetText, zoneOffsetMinutes, zoneOffsets } from './time-zone.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi) / 1000;

describe('time zones', () => {
  it('gives a zone\'s offset at an instant across Los Angeles\' DST changes of 2024 (Mar 10 10:00Z, Nov 3 09:00Z)', () => {
    const la = 'America/Los_Angeles';
    expect(zoneOffsetMinutes(la, utc(2024, 3, 10, 9, 59))).toBe(-480);
    expect(zoneOffsetMinutes(la, utc(2024, 3, 10, 10, 0))).toBe(-420);
    expect(zoneOffsetMinutes(la, utc(2024, 11, 3, 8, 59))).toBe(-420);
    expect(zoneOffsetMinutes(la, utc(2024, 11, 3, 9, 0))).toBe(-480);
    expect(zoneOffsetMinutes('Asia/Kolkata', utc(2024, 1, 1))).toBe(330);
    expect(zoneOffsetMinutes('+05:45', utc(2024, 1, 1))).toBe(345);
    expect(zoneOffsetMinutes('UTC', utc(2024, 1, 1))).toBe(0);
  });

  it('reads a wall clock in a zone: the spring-forward gap moves forward, the fall-back overlap takes the earlier instant', () => {
    const at = zoneOffsets('America/Los_Angeles');
    // 02:30 does not exist on 2024-03-10: read with PST (-8) it is 10:30Z = 03:30 PDT.
    expect(localToUtcSecs(at, utc(2024, 3, 10, 2, 30))).toBe(utc(2024, 3, 10, 10, 30));
    // 01:30 on 2024-11-03 happens twice: the first (PDT, -7) is 08:30Z.
    expect(localToUtcSecs(at, utc(2024, 11, 3, 1, 30))).toBe(utc(2024, 11, 3, 8, 30));
    expect(localToUtcSecs(at, utc(2024, 11, 3, 3, 0))).toBe(utc(2024, 11, 3, 11, 0));
    expect(localToUtcSecs(at, utc(2024, 7, 4, 12, 0))).toBe(utc(2024, 7, 4, 19, 0));
    expect(localToUtcSecs(at, utc(2024, 3, 10, 0, 30))).toBe(utc(2024, 3, 10, 8, 30));
  });

  it('checks and canonicalizes zone names, and writes offsets as Snowflake\'s TZHTZM', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(canonicalZone('america/new_york')).toBe('America/New_York');
    expect(canonicalZone('utc')).toBe('UTC');
    expect([offsetText(-480), offsetText(330), offsetText(0), offsetText(-30, true)]).toEqual(['-0800', '+0530', '+0000', '-00:30']);
  });
});
