import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import { parseSql } from '../parse-sql.js';

function one(sql: string) {
  const [st] = parseSql(sql);
  return st;
}

describe('CREATE TRANSIENT TABLE', () => {
  it('marks plain, AS SELECT and CLONE forms transient; other transient objects are not supported', () => {
    const plain = one('CREATE OR REPLACE TRANSIENT TABLE t (a INT)');
    expect(plain.kind === 'create_table' && [plain.transient, plain.orReplace]).toEqual([true, true]);
    const ctas = one('CREATE TRANSIENT TABLE t AS SELECT 1 AS a');
    expect(ctas.kind === 'create_table' && [ctas.transient, ctas.asQuery !== null]).toEqual([true, true]);
    const clone = one('CREATE TRANSIENT TABLE t CLONE s');
    expect(clone.kind === 'create_clone' && [clone.transient, clone.objectType]).toEqual([true, 'TABLE']);
    const permanent = one('CREATE TABLE t (a INT)');
    expect(permanent.kind === 'create_table' && permanent.transient).toBe(undefined);
    expect(() => parseSql('CREATE TRANSIENT SCHEMA s')).toThrow(NotSupportedError);
    expect(() => parseSql('CREATE TEMPORARY TABLE t (a INT)')).toThrow(NotSupportedError);
  });
});
