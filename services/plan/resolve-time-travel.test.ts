import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import type { TableInfo } from '../catalog/catalog.js';
import type { TimeTravel } from '../sql/ast.js';
import { parseSql } from '../sql/parse-sql.js';
import type { BindContext, TimeTravelClock } from './bind-context.js';
import { resolveTimeTravel, timeTravelMs, timeTravelPoint } from './resolve-time-travel.js';

/** The AT | BEFORE clause of `SELECT * FROM t <clause>`. */
function clause(sql: string): TimeTravel {
  const [st] = parseSql(`SELECT * FROM t ${sql}`);
  if (st.kind !== 'query' || st.query.body.kind !== 'select' || st.query.body.from?.kind !== 'table' || !st.query.body.from.at) throw new Error('no clause');
  return st.query.body.from.at;
}

const session = { database: 'D', schema: 'S', warehouse: null };

describe('resolve-time-travel', () => {
  let home: string;
  let catalog: SqliteCatalog;
  let table: TableInfo;

  const ctx = (travel: Partial<TimeTravelClock> = {}): BindContext => ({
    catalog,
    session,
    travel: { startMs: Date.now(), statementStart: () => null, defaultRetentionDays: 1, ...travel },
  });

  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'firn-travel-unit-'));
    catalog = new SqliteCatalog(home);
    catalog.createDatabase('D', { schema: 'S' });
    table = catalog.createTable('D', 'S', 'T', [{ name: 'A', type: Types.number(38, 0), nullable: true }], { queryId: 'q-create' });
    const part = { objectKey: 'k1', rowCount: 1, byteSize: 10, zoneMap: { rowCount: 1, byteSize: 10, columns: {} } };
    catalog.commitTable(table.id, { baseVersion: 0, queryId: 'q-insert', operation: 'INSERT', added: [part], removedIds: [] });
  });

  afterEach(() => {
    catalog.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('reads a TIMESTAMP as TIMESTAMP_NTZ in UTC, to the nanosecond', () => {
    expect(timeTravelPoint(ctx(), clause("AT(TIMESTAMP => '2024-01-02 03:04:05.123456789')"))).toEqual({ at: 'AT', kind: 'time', epochNs: 1_704_164_645_123_456_789n });
    expect(timeTravelPoint(ctx(), clause("BEFORE(TIMESTAMP => '2024-01-02'::DATE)"))).toEqual({ at: 'BEFORE', kind: 'time', epochNs: 1_704_153_600_000_000_000n });
    // An LTZ/TZ is its instant: 05:04:05 at +02:00 is 03:04:05 UTC.
    expect(timeTravelPoint(ctx(), clause("AT(TIMESTAMP => '2024-01-02 05:04:05.123456789 +02:00'::TIMESTAMP_TZ)"))).toEqual({ at: 'AT', kind: 'time', epochNs: 1_704_164_645_123_456_789n });
  });

  it('adds an OFFSET (a constant expression, in seconds) to the statement start', () => {
    expect(timeTravelPoint(ctx({ startMs: 1_000_000 }), clause('AT(OFFSET => -60 * 1.5)'))).toEqual({ at: 'AT', kind: 'time', epochNs: 1_000_000n * 1_000_000n - 90_000_000_000n });
    expect(timeTravelPoint(ctx({ startMs: 5 }), clause('BEFORE(OFFSET => 0)'))).toEqual({ at: 'BEFORE', kind: 'time', epochNs: 5_000_000n });
  });

  it('reads STATEMENT as a string', () => {
    expect(timeTravelPoint(ctx(), clause("AT(STATEMENT => 'ab' || 'c')"))).toEqual({ at: 'AT', kind: 'statement', queryId: 'abc' });
  });

  it('refuses an expression that is not a constant, or NULL', () => {
    expect(() => timeTravelPoint(ctx(), clause('AT(OFFSET => 1 / 0)'))).toThrow(CompilationError);
    expect(() => timeTravelPoint(ctx(), clause('AT(OFFSET => 1 / 0)'))).toThrow('AT (OFFSET => ...) must be a constant FLOAT');
    expect(() => timeTravelPoint(ctx(), clause('AT(TIMESTAMP => NULL)'))).toThrow('must be a non-NULL TIMESTAMP_LTZ');
    expect(() => timeTravelPoint(ctx(), clause('AT(OFFSET => a)'))).toThrow(/invalid identifier 'A'/);
  });

  it('resolves a statement id through the catalog, then the statement history', () => {
    expect(resolveTimeTravel(ctx(), table, clause("AT(STATEMENT => 'q-insert')"))).toBe(1);
    expect(resolveTimeTravel(ctx(), table, clause("BEFORE(STATEMENT => 'q-insert')"))).toBe(0);
    const history = ctx({ statementStart: (id) => (id === 'q-select' ? Date.now() : null) });
    expect(resolveTimeTravel(history, table, clause("BEFORE(STATEMENT => 'q-select')"))).toBe(1);
    expect(() => resolveTimeTravel(ctx(), table, clause("AT(STATEMENT => 'q-unknown')"))).toThrow(expect.objectContaining({ code: '000709', message: 'Statement q-unknown not found' }));
  });

  it('raises 000707 before creation and beyond the default retention', () => {
    expect(() => resolveTimeTravel(ctx(), table, clause('AT(OFFSET => -3600)'))).toThrow(expect.objectContaining({ code: '000707', sqlState: '02000' }));
    const later = { baseVersion: 1, queryId: 'q-2', operation: 'INSERT', added: [{ objectKey: 'k2', rowCount: 1, byteSize: 10, zoneMap: { rowCount: 1, byteSize: 10, columns: {} } }], removedIds: [] };
    catalog.commitTable(table.id, later);
    expect(resolveTimeTravel(ctx({ defaultRetentionDays: 1 }), table, clause("AT(STATEMENT => 'q-insert')"))).toBe(1);
    // A statement a second after the later commit: with no retention, 'q-insert''s version is gone (in the same ms it was not yet).
    expect(() => resolveTimeTravel(ctx({ defaultRetentionDays: 0, startMs: Date.now() + 1000 }), table, clause("AT(STATEMENT => 'q-insert')"))).toThrow(expect.objectContaining({ code: '000707' }));
  });

  it('gives a schema or database clone the ms of the point: AT includes it, BEFORE ends just before', () => {
    expect(timeTravelMs(ctx(), clause("AT(TIMESTAMP => '1970-01-01 00:00:01')"))).toBe(1000);
    expect(timeTravelMs(ctx(), clause("BEFORE(TIMESTAMP => '1970-01-01 00:00:01')"))).toBe(999);
    expect(timeTravelMs(ctx(), clause("BEFORE(TIMESTAMP => '1970-01-01 00:00:01.0005')"))).toBe(1000);
    const history = ctx({ statementStart: (id) => (id === 'q' || id === 'running' ? 42 : null), statementEnd: (id) => (id === 'q' ? 50 : null) });
    expect(timeTravelMs(history, clause("AT(STATEMENT => 'q')"))).toBe(50);
    expect(timeTravelMs(history, clause("BEFORE(STATEMENT => 'q')"))).toBe(41);
    expect(timeTravelMs(history, clause("AT(STATEMENT => 'running')"))).toBe(42);
    expect(() => timeTravelMs(history, clause("AT(STATEMENT => 'x')"))).toThrow(expect.objectContaining({ code: '000709' }));
  });
});
