import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import type { QueryRecord } from '../catalog/usage-store.js';
import type { WarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import { creditMsToScaled, CREDITS_PER_HOUR, creditsPerHour, hourlyCredits, MS_PER_HOUR } from './warehouse-credits.js';
import { WarehouseMetering } from './warehouse-metering.js';

/** A whole UTC hour, so the hours of the scenario are T0 + k hours. */
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const sec = (s: number): number => T0 + s * 1000;

let home: string;
let now = T0;
const clock = (): number => now;

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'firn-metering-'));
  now = T0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function open(): { catalog: SqliteCatalog; meter: WarehouseMetering } {
  const catalog = new SqliteCatalog(home);
  return { catalog, meter: WarehouseMetering.open(catalog.usage, clock, 0) };
}

/** Drives one event at second `s` of the scenario. */
function at(s: number, fn: (at: number) => void): void {
  now = sec(s);
  fn(now);
}

const ev = (warehouseId: number, warehouse: string, cluster: number, size: WarehouseSize, atMs: number) => ({ warehouseId, warehouse, cluster, size, at: atMs });

function totals(meter: WarehouseMetering): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of meter.hourly()) out.set(h.warehouseName, (out.get(h.warehouseName) ?? 0) + h.creditMs);
  return out;
}

function statementOn(warehouseId: number, cluster: number, startS: number, endS: number, id: string): QueryRecord {
  return {
    queryId: id, queryText: 'SELECT 1', databaseName: 'FIRN', schemaName: 'PUBLIC', sessionId: 7, userName: 'ADMIN', roleName: 'ACCOUNTADMIN', warehouseId, warehouseName: 'B', warehouseSize: 'MEDIUM',
    clusterNumber: cluster, queryTag: null, executionStatus: 'SUCCESS', errorCode: null, errorMessage: null, startTime: sec(startS), endTime: sec(endS),
    totalElapsedTime: (endS - startS) * 1000, queuedOverloadTime: 0, bytesScanned: 0, partitionsScanned: 0, partitionsTotal: 0,
    percentageScannedFromCache: 0, bytesSpilled: 0, rowsProduced: 1,
  };
}

describe('WarehouseMetering', () => {
  it('bills each cluster per second at its size, with 60 s minimums per start, exactly, across resizes, hours and a crash', () => {
    let { catalog, meter } = open();
    const a = catalog.createWarehouse('A', 'XSMALL').id;
    const b = catalog.createWarehouse('B', 'XLARGE').id;

    // A/1: 10 s at XSMALL -> the 60 s minimum.
    at(0, (t) => meter.clusterStarted(ev(a, 'A', 1, 'XSMALL', t)));
    at(10, (t) => meter.clusterStopped(ev(a, 'A', 1, 'XSMALL', t)));
    // A/1 again: 30 s XSMALL, then 270 s MEDIUM (the resize's added 3 credits/h run past their minimum).
    at(100, (t) => meter.clusterStarted(ev(a, 'A', 1, 'XSMALL', t)));
    at(130, (t) => meter.clusterResized(ev(a, 'A', 1, 'MEDIUM', t)));
    // A/2 meanwhile: 20 s SMALL, resized to LARGE and stopped 10 s later: the SMALL it started
    // with is billed its 60 s from the start, the 6 credits/h the resize added their 60 s from
    // the resize (Snowflake's minimum for a resize up).
    at(200, (t) => meter.clusterStarted(ev(a, 'A', 2, 'SMALL', t)));
    at(220, (t) => meter.clusterResized(ev(a, 'A', 2, 'LARGE', t)));
    at(230, (t) => meter.clusterStopped(ev(a, 'A', 2, 'LARGE', t)));
    at(400, (t) => meter.clusterStopped(ev(a, 'A', 1, 'MEDIUM', t)));
    // B/1 across the hour boundary: 10 s in hour 0, 100 s in hour 1 at XLARGE.
    at(3590, (t) => meter.clusterStarted(ev(b, 'B', 1, 'XLARGE', t)));
    at(3700, (t) => meter.clusterStopped(ev(b, 'B', 1, 'XLARGE', t)));

    const expectA = 1000 * (60 * 1 + 30 * 1 + 270 * 4 + 60 * 2 + 60 * 6);
    const expectB = 1000 * 110 * 16;
    expect(totals(meter)).toEqual(new Map([['A', expectA], ['B', expectB]]));
    expect(meter.hourly().filter((h) => h.warehouseName === 'B')).toEqual([
      { warehouseId: b, warehouseName: 'B', hourStart: T0, creditMs: 1000 * 10 * 16 },
      { warehouseId: b, warehouseName: 'B', hourStart: T0 + MS_PER_HOUR, creditMs: 1000 * 100 * 16 },
    ]);

    // A running cluster is billed up to now, and at least its minimum.
    at(4000, (t) => meter.clusterStarted(ev(b, 'B', 1, 'LARGE', t)));
    at(4000, (t) => meter.clusterStarted(ev(b, 'B', 2, 'MEDIUM', t)));
    now = sec(4010);
    expect(totals(meter).get('B')).toBe(expectB + 1000 * (60 * 8 + 60 * 4));
    now = sec(4100);
    meter.heartbeat();
    // The process dies: no clusterStopped. B/2 ran a statement that ended after the heartbeat
    // (it started before the cluster, which started on its first use).
    catalog.usage.recordQuery(statementOn(b, 2, 3999, 4130, 'q-late'));
    catalog.usage.recordQuery(statementOn(b, 1, 3000, 3500, 'q-earlier-run'));
    catalog.usage.flush();
    meter.close();
    catalog.close();

    now = sec(9000);
    ({ catalog, meter } = open());
    // B/1 ends at its last heartbeat (100 s), B/2 at its last statement's end (130 s); nothing
    // is billed up to the restart's "now".
    expect(totals(meter)).toEqual(new Map([['A', expectA], ['B', expectB + 1000 * (100 * 8 + 130 * 4)]]));
    // A short open segment that dies before any heartbeat still bills its minimum.
    at(9100, (t) => meter.clusterStarted(ev(a, 'A', 1, 'X4LARGE', t)));
    meter.close();
    catalog.close();
    now = sec(20000);
    ({ catalog, meter } = open());
    expect(totals(meter).get('A')).toBe(expectA + 1000 * 60 * 128);
    expect(catalog.usage.closeAbandonedSegments()).toBe(0);
    meter.close();
    catalog.close();
  });

  it('a cluster started twice without a stop closes its open segment at the new start', () => {
    const { catalog, meter } = open();
    at(0, (t) => meter.clusterStarted(ev(7, 'W', 1, 'SMALL', t)));
    at(90, (t) => meter.clusterStarted(ev(7, 'W', 1, 'SMALL', t)));
    at(200, (t) => meter.clusterStopped(ev(7, 'W', 1, 'SMALL', t)));
    expect(totals(meter)).toEqual(new Map([['W', 1000 * 2 * (90 + 110)]]));
    meter.close();
    catalog.close();
  });
});

describe('metering retention', () => {
  it('deletes at open what ended more than 365 days before, keeping open and recent segments', () => {
    let { catalog, meter } = open();
    at(0, (t) => meter.clusterStarted(ev(1, 'OLD', 1, 'XSMALL', t)));
    at(100, (t) => meter.clusterStopped(ev(1, 'OLD', 1, 'XSMALL', t)));
    at(200, (t) => meter.clusterStarted(ev(2, 'KEPT', 1, 'XSMALL', t)));
    at(300, (t) => meter.clusterStopped(ev(2, 'KEPT', 1, 'XSMALL', t)));
    meter.close();
    catalog.close();
    now = sec(250 + 365 * 86_400);
    ({ catalog, meter } = open());
    expect(catalog.usage.segments(0, now).map((x) => x.warehouseName)).toEqual(['KEPT']);
    meter.close();
    catalog.close();
  });
});

describe('warehouse credits', () => {
  it('has Snowflake\'s rates, doubling from 1 credit per hour for XSMALL to 512 for X6LARGE', () => {
    expect(Object.values(CREDITS_PER_HOUR)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
  });

  it('reads every spelling of a size', () => {
    expect(['XSMALL', 'X-Small', 'small', '2X-LARGE', 'XXXLARGE', '4XLARGE', 'X5LARGE', '6X-Large'].map(creditsPerHour)).toEqual([1, 1, 2, 32, 64, 128, 256, 512]);
    expect(() => creditsPerHour('HUGE')).toThrow(/no credit rate/);
  });

  it('converts credit-ms to NUMBER(38, 9), rounding half up', () => {
    expect(creditMsToScaled(MS_PER_HOUR)).toBe(1_000_000_000n);
    expect(creditMsToScaled(1000)).toBe(277_778n);
    expect(creditMsToScaled(60_000 * 512)).toBe(8_533_333_333n);
  });

  it('bills 60 s of the rate a resize up adds; a resize down starts no minimum and releases the newest compute first', () => {
    const seg = (size: string, fromS: number, toS: number | null) =>
      ({ warehouseId: 1, warehouseName: 'W', cluster: 1, size, runStartedAt: T0, startedAt: T0 + fromS * 1000, endedAt: toS === null ? null : T0 + toS * 1000 });
    const total = (segs: ReturnType<typeof seg>[], nowS: number) => hourlyCredits(segs, T0 + nowS * 1000).reduce((n, h) => n + h.creditMs, 0);
    // XSMALL 100 s, MEDIUM (+3) for 10 s, then SMALL (-2) for 200 s: the 3 added credits/h are
    // billed 60 s; of them, the 1 kept by SMALL runs on to the end.
    expect(total([seg('XSMALL', 0, 100), seg('MEDIUM', 100, 110), seg('SMALL', 110, 310)], 400)).toBe(1000 * (310 * 1 + 60 * 2 + 210 * 1));
    // LARGE for 100 s, then XSMALL for 5 s and stopped: the 7 released credits/h are billed to the
    // resize, the remaining 1 to the stop; neither was short of its minimum.
    expect(total([seg('LARGE', 0, 100), seg('XSMALL', 100, 105)], 400)).toBe(1000 * (100 * 7 + 105 * 1));
    // Running: SMALL resized up to LARGE 10 s ago is billed the added 6 credits/h for 60 s already.
    expect(total([seg('SMALL', 0, 100), seg('LARGE', 100, null)], 110)).toBe(1000 * (110 * 2 + 60 * 6));
  });

  it('splits a run over the hours it touches, its minimum included', () => {
    const seg = { warehouseId: 1, warehouseName: 'W', cluster: 1, size: 'SMALL', runStartedAt: T0 - 20_000, startedAt: T0 - 20_000, endedAt: T0 - 10_000 };
    expect(hourlyCredits([seg], T0)).toEqual([
      { warehouseId: 1, warehouseName: 'W', hourStart: T0 - MS_PER_HOUR, creditMs: 2 * 20_000 },
      { warehouseId: 1, warehouseName: 'W', hourStart: T0, creditMs: 2 * 40_000 },
    ]);
  });
});
