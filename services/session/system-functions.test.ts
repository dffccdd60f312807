import { describe, expect, it } from 'vitest';
import { FirnError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { parseSql } from '../sql/parse-sql.js';
import { runSystemCall, systemCall } from './system-functions.js';

const one = (sql: string) => parseSql(sql)[0];
const gcResult = { objectsDeleted: 3, bytesFreed: 4096, catalogRowsPurged: 12, unknownObjectsDeleted: 1 };

describe('systemCall', () => {
  it('recognises a FROM-less single-item SELECT of a registered SYSTEM$ function, any case, with its column name', () => {
    expect(systemCall(one('SELECT SYSTEM$COLLECT_GARBAGE()'))).toEqual({ name: 'SYSTEM$COLLECT_GARBAGE', args: [], columnName: 'SYSTEM$COLLECT_GARBAGE()' });
    expect(systemCall(one('select system$collect_garbage() as gc'))).toMatchObject({ name: 'SYSTEM$COLLECT_GARBAGE', columnName: 'GC' });
    expect(systemCall(one('SELECT SYSTEM$COLLECT_GARBAGE(1)'))!.args).toHaveLength(1);
  });

  it('leaves anything else to the query binder', () => {
    for (const sql of [
      'SELECT SYSTEM$NO_SUCH_THING()',
      'SELECT SYSTEM$COLLECT_GARBAGE(), 1',
      'SELECT SYSTEM$COLLECT_GARBAGE() FROM t',
      'SELECT SYSTEM$COLLECT_GARBAGE() WHERE 1 = 1',
      'SELECT SYSTEM$COLLECT_GARBAGE() LIMIT 1',
      'SELECT SYSTEM$COLLECT_GARBAGE() ORDER BY 1',
      'SELECT DISTINCT SYSTEM$COLLECT_GARBAGE()',
      'WITH x AS (SELECT 1) SELECT SYSTEM$COLLECT_GARBAGE()',
      'SELECT UPPER(SYSTEM$COLLECT_GARBAGE())',
      'SELECT 1',
      'CREATE TABLE t (a INT)',
    ]) {
      expect(systemCall(one(sql)), sql).toBeNull();
    }
  });
});

describe('runSystemCall', () => {
  it('SYSTEM$COLLECT_GARBAGE() runs one collection and answers its counts as one VARCHAR JSON text', async () => {
    let runs = 0;
    const answer = await runSystemCall(systemCall(one('SELECT SYSTEM$COLLECT_GARBAGE()'))!, { collectGarbage: async () => (runs++, gcResult) });
    expect(runs).toBe(1);
    expect(answer.columns).toEqual([{ name: 'SYSTEM$COLLECT_GARBAGE()', type: Types.varchar, nullable: false }]);
    expect(answer.batch.length).toBe(1);
    expect(scalarAt(answer.batch.columns[0], 0, Types.varchar)).toBe('{"objectsDeleted":3,"bytesFreed":4096,"catalogRowsPurged":12,"unknownObjectsDeleted":1}');
  });

  it('refuses arguments without collecting', async () => {
    let runs = 0;
    const call = systemCall(one("SELECT SYSTEM$COLLECT_GARBAGE('now')"))!;
    const err = await runSystemCall(call, { collectGarbage: async () => (runs++, gcResult) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FirnError);
    expect((err as FirnError).codeName).toBe('TYPE_MISMATCH');
    expect((err as FirnError).message).toMatch(/Invalid argument types for function 'SYSTEM\$COLLECT_GARBAGE'/);
    expect(runs).toBe(0);
  });
});
